#!/usr/bin/env bash
# The rollout benchmark (issue 20): a good release promoted, bad releases (5% errors, 3x latency,
# 5% dead letters) rolled back by the runtime's sample-based rollout controller under HTTP load
# plus a Kafka trigger flow, next to a time-based schedule of the same steps; and a good release at
# 1 req/s, which must not be promoted blindly.
# Usage: bench/rollout/run.sh [rps=200] [recordsPerSecond=50] [minSamples=200] [interval=10]
#                             [fixedInterval=60] [lowRps=1] [maxStepTime=120]   (times in seconds)
# Prints a Markdown report on stdout (progress on stderr). Reactor build only: nothing is
# installed into ~/.m2.
set -euo pipefail
cd "$(dirname "$0")/../.."
build() { # offline first (the usual case), online if a dependency is missing
  ./mvnw -B -q -o "$@" >&2 || ./mvnw -B -q "$@" >&2
}
build -pl fc-runtime -am test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
CP="fc-runtime/target/test-classes:fc-runtime/target/classes:$(cat fc-runtime/target/bench-classpath.txt)"
exec java -Xmx1g ${BENCH_JAVA_OPTS:-} -cp "$CP" io.fctoolkit.runtime.bench.RolloutBench "$@"
