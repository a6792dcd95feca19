#!/usr/bin/env bash
# Accuracy of the grader on the held-out evaluation set: 500 simulated phone photos, seeds
# 7000000..7000499, generated deterministically at run time (nothing is downloaded or committed).
# Usage: bench/grader/accuracy.sh [count] [firstSeed]   (JAVA=/path/to/java to pick a JDK)
# SIM_CACHE=DIR keeps the simulated photos in DIR and reuses them on the next run (the simulator is
# deterministic, so a cached photo is byte-identical to a regenerated one).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cp="$("$here/classpath.sh")"
java="${JAVA:-java}"
count="${1:-500}"
first="${2:-7000000}"
mkdir -p "$here/results"
out="$here/results/accuracy-$(date -u +%Y%m%dT%H%M%SZ).txt"
{
  echo "# bench/grader/accuracy.sh $count $first"
  "$java" -version 2>&1 | head -1
  cache=()
  if [ -n "${SIM_CACHE:-}" ]; then cache=("-Dsim.cache=$SIM_CACHE"); fi
  "$java" "${cache[@]}" -cp "$cp" io.fctoolkit.grader.bench.AccuracyEvaluation "$count" "$first"
} | tee "$out"
echo "written: $out"
