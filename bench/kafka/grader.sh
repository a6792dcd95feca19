#!/usr/bin/env bash
# CPU-bound Kafka trigger benchmark (issue 5): the grader in-process on 2 threads against the same
# grader behind a trigger of the real local runtime (embedded broker, fc-host instances), side by
# side in one run. Usage: bench/kafka/grader.sh [--photos N] [--distinct N] [--warmup N]
#   [--concurrency N] [--instances N] [--max-in-flight N] [--partitions N]
# Bounded: the benchmark JVM gets at most 20 minutes (timeout; its shutdown hook kills its
# children), and the script kills the whole tree on exit.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
out="$root/bench/kafka/target/grader"
java="${JAVA:-java}"
cd "$root"
# Reactor builds (never install into ~/.m2): the runtime's and the grader's runtime classpaths
# (the grader's is the image's /app/libs), then the grader's test classpath (photo simulator).
./mvnw -B -q -pl fc-runtime,grader-function -am package dependency:build-classpath -DskipTests \
  -Dmdep.outputFile=target/kbench-runtime-cp.txt -Dmdep.includeScope=runtime
./mvnw -B -q -pl grader-function -am test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/kbench-test-cp.txt -Dmdep.includeScope=test
# A private copy of our classes, so rebuilding the modules cannot disturb a running benchmark.
rm -rf "$out/lib" "$out/classes" "$out/work/state" "$out/work/image-build" \
  "$out/work/grader-image.tar"
mkdir -p "$out/lib" "$out/classes" "$out/work"
cp -r fc-runtime/target/classes "$out/lib/fc-runtime"
cp -r fc-core/target/classes "$out/lib/fc-core"
cp -r grader-function/target/classes "$out/lib/grader"
cp -r grader-function/target/test-classes "$out/lib/grader-test"
cp "$(ls fc-host/target/fc-host-*.jar | grep -v sources | head -1)" "$out/lib/fc-host.jar"
cp="$out/lib/fc-runtime:$out/lib/fc-core:$(cat fc-runtime/target/kbench-runtime-cp.txt)"
cp="$cp:$out/lib/grader-test:$out/lib/grader:$(cat grader-function/target/kbench-test-cp.txt)"
javac --release 17 -d "$out/classes" -cp "$cp" \
  $(find "$root/bench/kafka/grader-src" -name '*.java')
timeout -k 30 1200 "$java" -Xmx1g -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -Dorg.slf4j.simpleLogger.log.org.apache.kafka.clients.NetworkClient=error \
  -cp "$out/classes:$cp" io.fctoolkit.bench.kafka.GraderTriggerBench \
  --work "$out/work" --host-jar "$out/lib/fc-host.jar" --grader-classes "$out/lib/grader" \
  --grader-deps "$(cat grader-function/target/kbench-runtime-cp.txt)" "$@" \
  > >(tee "$out/last-run.txt") &
bench=$!
# Kill the benchmark JVM's whole tree (by pid) if the script is interrupted or the JVM hangs.
kill_tree() {
  local pid=$1 child
  for child in $(ps -o pid= --ppid "$pid" 2>/dev/null); do kill_tree "$child"; done
  kill -9 "$pid" 2>/dev/null || true
}
trap 'kill_tree $bench' EXIT INT TERM
wait $bench
