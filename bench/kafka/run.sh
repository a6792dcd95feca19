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
cp="$root/fc-runtime/target/classes:$root/fc-core/target/classes:$(cat "$root/fc-runtime/target/bench-classpath.txt")"
rm -rf "$out" && mkdir -p "$out/classes"
javac --release 17 -d "$out/classes" -cp "$cp" $(find "$root/bench/kafka/src" -name '*.java')
java -Xmx1g -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -Dorg.slf4j.simpleLogger.log.org.apache.kafka.clients.NetworkClient=error -cp "$out/classes:$cp" io.fctoolkit.bench.kafka.KafkaTriggerBench "$@" | tee "$out/last-run.txt"
