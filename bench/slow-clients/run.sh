#!/usr/bin/env bash
# Slow clients against the control API (issue 13): K connections holding half a request head plus
# K/10 deploy bodies trickling a byte a second, while health, an authenticated call and a public
# invocation are timed every 100 ms.
# Usage: bench/slow-clients/run.sh [seconds=16] [K...=70 200 1000]
#        bench/slow-clients/run.sh host [seconds=16] [K...=70 1000 1100 2000]   (fc-host itself:
#        K half heads held while a GET is timed every 100 ms; HostSlowClientsBench)
# Prints a Markdown table on stdout. Reactor builds only: nothing is installed into ~/.m2.
set -euo pipefail
cd "$(dirname "$0")/../.."
build() { # offline first (the usual case), online if a dependency is missing
  ./mvnw -B -q -o "$@" >&2 || ./mvnw -B -q "$@" >&2
}
if [ "${1:-}" = host ]; then
  shift
  build -pl fc-host -am test-compile dependency:build-classpath \
    -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
  CP="fc-host/target/test-classes:fc-host/target/classes:$(cat fc-host/target/bench-classpath.txt)"
  exec java -Xmx1g ${BENCH_JAVA_OPTS:-} -cp "$CP" io.fctoolkit.host.bench.HostSlowClientsBench "$@"
fi
build -pl fc-runtime -am test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
CP="fc-runtime/target/test-classes:fc-runtime/target/classes:$(cat fc-runtime/target/bench-classpath.txt)"
exec java -Xmx1g ${BENCH_JAVA_OPTS:-} -cp "$CP" io.fctoolkit.runtime.bench.SlowClientsBench "$@"
