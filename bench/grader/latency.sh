#!/usr/bin/env bash
# Single-core latency of grading one photo (decode included) after warm-up, for 1600x1200 and
# 4000x3000 JPEGs. Pinned to one core with taskset when available; the load average before and
# after is printed because the machine may be shared.
# Usage: bench/grader/latency.sh [core]   (JAVA=/path/to/java to pick a JDK)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cp="$("$here/classpath.sh")"
java="${JAVA:-java}"
core="${1:-1}"
pin=()
if command -v taskset >/dev/null; then pin=(taskset -c "$core"); fi
mkdir -p "$here/results"
out="$here/results/latency-$(date -u +%Y%m%dT%H%M%SZ).txt"
{
  echo "# bench/grader/latency.sh $core on $(nproc) cores; load before: $(cut -d' ' -f1-3 /proc/loadavg)"
  "${pin[@]}" "$java" -Xmx512m -cp "$cp" io.fctoolkit.grader.bench.LatencyBenchmark 1600 1200 20 300 600
  "${pin[@]}" "$java" -Xmx512m -cp "$cp" io.fctoolkit.grader.bench.LatencyBenchmark 4000 3000 8 60 150
  echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$out"
echo "written: $out"
