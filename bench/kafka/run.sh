#!/usr/bin/env bash
# Kafka trigger benchmark: the old consumer design against the trigger, side by side in one run
# on one embedded broker. Usage: bench/kafka/run.sh [--backlog N] [--overhead-records N]
#   [--io-ms N] [--max-in-flight N] [--keys N]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
out="$root/bench/kafka/target"
cd "$root"
# Reactor build (never installs into ~/.m2) and fc-runtime's full classpath, Kafka server included.
./mvnw -B -q -pl fc-runtime -am package dependency:build-classpath -DskipTests \
  -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=runtime
rm -rf "$out" && mkdir -p "$out/classes" "$out/lib"
# A private copy of our classes, so rebuilding the modules cannot disturb a running benchmark.
cp -r "$root/fc-runtime/target/classes" "$out/lib/fc-runtime"
cp -r "$root/fc-core/target/classes" "$out/lib/fc-core"
cp="$out/lib/fc-runtime:$out/lib/fc-core:$(cat "$root/fc-runtime/target/bench-classpath.txt")"
javac --release 17 -d "$out/classes" -cp "$cp" $(find "$root/bench/kafka/src" -name '*.java')
java -Xmx1g -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -Dorg.slf4j.simpleLogger.log.org.apache.kafka.clients.NetworkClient=error -cp "$out/classes:$cp" io.fctoolkit.bench.kafka.KafkaTriggerBench "$@" | tee "$out/last-run.txt"
