#!/usr/bin/env bash
# Prints the grader's test classpath (its classes, test classes and dependencies), compiling the
# module and what it needs in one reactor build. Nothing is installed into ~/.m2.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
./mvnw -B -q -pl grader-function -am test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt >&2
echo "$root/grader-function/target/test-classes:$root/grader-function/target/classes:$(cat grader-function/target/bench-classpath.txt)"
