#!/usr/bin/env bash
# Cold-start benchmark: fc-host against Google's java-function-invoker serving the same hello
# HttpFunction, on JDK 17 and JDK 25, plain and with a class-data archive (AppCDS / AOT cache).
# Builds what it needs with the Maven wrapper, then runs the harness (ColdStart.java).
#
#   bench/coldstart/run.sh [runs]        default 20 runs per variant
#
# Environment: JAVA17_HOME, JAVA25_HOME (defaults: Debian's JDK 17, Temurin 25 under /usr/lib/jvm).
# Writes bench/coldstart/results.md (table) and bench/coldstart/results.csv (every run).
set -euo pipefail
cd "$(dirname "$0")/../.."
runs="${1:-${RUNS:-20}}"
java17="${JAVA17_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}"
java25="${JAVA25_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
for home in "$java17" "$java25"; do
  [ -x "$home/bin/java" ] || { echo "run.sh: no JDK at $home (set JAVA17_HOME / JAVA25_HOME)" >&2; exit 2; }
done
./mvnw -B -q -pl fc-host -am package -DskipTests
./mvnw -B -q -f bench/coldstart/pom.xml package
exec "$java17/bin/java" -cp bench/coldstart/target/coldstart.jar io.fctoolkit.bench.ColdStart \
  --runs "$runs" --java17 "$java17" --java25 "$java25" \
  --fc-host fc-host/target/fc-host-0.1.0-SNAPSHOT.jar \
  --out bench/coldstart/results.md
