#!/usr/bin/env bash
# Single-core latency of grading one photo (decode included) after warm-up, for 1600x1200 and
# 4000x3000 JPEGs. Pinned to one core with taskset when available; the load average before and
# after is printed because the machine may be shared.
# Usage: bench/grader/latency.sh [core]   (JAVA=/path/to/java to pick a JDK)
# BASELINE_CLASSES=DIR (a copy of an earlier grader's target/classes) also measures that grader in
# the same run, alternating with this one per photo size, on the same photos and core; then both
# again in one JVM, alternating photo by photo (LatencyPair): the per-photo CPU-time ratio it prints
# is the comparison to trust on a shared machine, whose load moves between separate runs.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cp="$("$here/classpath.sh")"
java="${JAVA:-java}"
core="${1:-1}"
pin=()
if command -v taskset >/dev/null; then pin=(taskset -c "$core"); fi
root="$(cd "$here/../.." && pwd)"
mkdir -p "$here/results"
out="$here/results/latency-$(date -u +%Y%m%dT%H%M%SZ).txt"
run() { # label classpath width height photos warmup measured
  echo "## $1"
  "${pin[@]}" "$java" -Xmx512m -cp "$2" io.fctoolkit.grader.bench.LatencyBenchmark "$3" "$4" "$5" "$6" "$7"
}
{
  echo "# bench/grader/latency.sh $core on $(nproc) cores; load before: $(cut -d' ' -f1-3 /proc/loadavg)"
  for size in "1600 1200 20 300 600" "4000 3000 8 60 150"; do
    # shellcheck disable=SC2086
    run "this grader" "$cp" $size
    if [ -n "${BASELINE_CLASSES:-}" ]; then
      base="${cp/$root\/grader-function\/target\/classes/$BASELINE_CLASSES}"
      # shellcheck disable=SC2086
      run "baseline grader ($BASELINE_CLASSES)" "$base" $size
    fi
  done
  if [ -n "${BASELINE_CLASSES:-}" ]; then
    for size in "1600 1200 20 200 400" "4000 3000 8 40 120"; do
      echo "## this grader and the baseline in one JVM, alternating per photo"
      # shellcheck disable=SC2086
      "${pin[@]}" "$java" -Xmx1g -cp "$cp" io.fctoolkit.grader.bench.LatencyPair "$BASELINE_CLASSES" $size
    done
  fi
  echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$out"
echo "written: $out"
