#!/usr/bin/env bash
# The runtime benchmark: cold start (hello and the grader, side by side), scale-out burst, alias
# moves under load, a rising load with and without standby (hello and the grader).
# Usage: bench/runtime/run.sh [coldRuns=25] [burst=2000] [maxInstances=10] [switchSeconds=60] [rps=200]
# BENCH_JAVA_OPTS="-Dbench.sections=cold,overhead,burst,switch,rising" selects sections (default: all);
# rising: a rising load per standby headroom (-Dbench.rising.standbys=0,1), side by side, on
# -Dbench.rising.function=hello,grader (default: both). Each has its own default ramp (hello
# 10 -> 300 req/s over 30 s, concurrency 10, max 10; the grader 2 -> 20 req/s over 30 s,
# concurrency 1, max 6: see RisingLoad.Ramp); -Dbench.rising.from=, .to=, .seconds=,
# .concurrency=, .max= override it. The grader's, as documented in docs/performance.md:
#   BENCH_JAVA_OPTS="-Dbench.sections=rising -Dbench.rising.function=grader" bench/runtime/run.sh
# Prints a Markdown report on stdout (RESULTS.md holds the committed one).
# Reactor builds only: nothing is installed into ~/.m2.
set -euo pipefail
cd "$(dirname "$0")/../.."
build() { # offline first (the usual case), online if a dependency is missing
  ./mvnw -B -q -o "$@" >&2 || ./mvnw -B -q "$@" >&2
}
build -pl fc-runtime -am test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
# The grader's classes and runtime dependencies: the image the cold-start section builds for it.
# package (not compile): -am brings in fc-maven-plugin (the grader's pom names it), whose test-jar
# dependencies resolve in the reactor only once packaged.
build -pl grader-function -am package dependency:build-classpath -DskipTests \
  -Dmdep.outputFile=target/bench-runtime-classpath.txt -Dmdep.includeScope=runtime
CP="fc-runtime/target/test-classes:fc-runtime/target/classes:$(cat fc-runtime/target/bench-classpath.txt)"
# The runtime JVM (RuntimeMain) sizes the common pool so that HttpClient answers need no thread
# each on 2 cores; the runtime runs in this JVM here, so this JVM does the same.
exec java -Xmx1g -Djava.util.concurrent.ForkJoinPool.common.parallelism=2 \
  -Dbench.grader.classes=grader-function/target/classes \
  -Dbench.grader.deps="$(cat grader-function/target/bench-runtime-classpath.txt)" \
  -Dbench.grader.photo=grader-function/src/test/resources/io/fctoolkit/grader/sample/sample.jpg \
  ${BENCH_JAVA_OPTS:-} -cp "$CP" io.fctoolkit.runtime.bench.RuntimeBench "$@"
