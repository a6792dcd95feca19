#!/usr/bin/env bash
# The runtime benchmark: cold start, scale-out burst, alias moves under load.
# Usage: bench/runtime/run.sh [coldRuns=25] [burst=2000] [maxInstances=10] [switchSeconds=60] [rps=200]
# BENCH_JAVA_OPTS="-Dbench.sections=cold,overhead,burst,switch" selects sections (default: all).
# Prints a Markdown report on stdout (RESULTS.md holds the committed one).
set -euo pipefail
cd "$(dirname "$0")/../.."
./mvnw -B -q -o -pl fc-runtime -am test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test >&2 \
  || ./mvnw -B -q -pl fc-runtime -am test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test >&2
CP="fc-runtime/target/test-classes:fc-runtime/target/classes:$(cat fc-runtime/target/bench-classpath.txt)"
exec java -Xmx1g ${BENCH_JAVA_OPTS:-} -cp "$CP" io.fctoolkit.runtime.bench.RuntimeBench "$@"
