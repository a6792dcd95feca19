#!/usr/bin/env bash
# Writes printable worksheets (PNG, one-page PDF at the exact paper size, layout JSON) for the
# built-in layouts. Usage: grader-function/generate-worksheets.sh [outputDir] [dpi] [layout...]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cp="$("$root/bench/grader/classpath.sh")"
out="${1:-$root/grader-function/target/worksheets}"
shift || true
exec "${JAVA:-java}" -cp "$cp" io.fctoolkit.grader.tools.WorksheetGenerator "$out" "$@"
