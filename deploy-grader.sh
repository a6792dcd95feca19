#!/usr/bin/env bash
# The main job: install the toolkit into the local Maven repository (so `fc:` resolves), deploy the
# grader onto the local runtime (started in the background if none answers), then grade the sample
# photo through it. Stop the runtime afterwards with: (cd grader-function && ../mvnw fc:local-stop)
set -euo pipefail
cd "$(dirname "$0")"
root=$PWD
sample="$root/grader-function/src/test/resources/io/fctoolkit/grader/sample"

echo "== Installing fc-toolkit into the local Maven repository (tests skipped: ./mvnw verify runs them)"
./mvnw -B -q install -DskipTests -DskipITs

cd grader-function
echo "== mvn fc:deploy of the grader onto the local runtime"
# GRADER_FILE_ROOTS lets the grader read the sample photo from this checkout (file: URIs outside
# the listed folders are refused).
../mvnw -B package fc:deploy -DskipTests -Dfc.variables="GRADER_FILE_ROOTS=$sample"

echo "== mvn fc:invoke: grade the sample photo through the dev alias"
../mvnw -B fc:invoke -Dfc.payload="{\"submissionId\":\"sample-1\",\"studentId\":\"student-1\",\"worksheetId\":\"math-12\",\"imageUri\":\"file://$sample/sample.jpg\"}"

echo "== mvn fc:send: the same photo as a record on the submissions trigger; its grade from the grades topic"
# The trigger calls the grader through the dev alias; fc:send prints the result the trigger wrote
# to its onSuccess topic (or the dead letter and why), matched to the record it sent.
../mvnw -B fc:send -Dfc.trigger=submissions -Dfc.key=sample-2 -Dfc.value="{\"submissionId\":\"sample-2\",\"studentId\":\"student-1\",\"worksheetId\":\"math-12\",\"imageUri\":\"file://$sample/sample.jpg\"}"
