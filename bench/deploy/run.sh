#!/usr/bin/env bash
# Incremental deploy benchmark (issue 6): after a one-line change, the wall time of
#   mvn package fc:deploy   against   mvn package
# on the same project in the same run (alternating, ROUNDS times each), and the time from
# "Published version N" to the first response served by version N through the dev alias.
#
#   bench/deploy/run.sh [project-dir] [source-file-to-edit] [rounds]
#
# Defaults: the plain hello HttpFunction of the plugin's integration tests. The project is copied
# to bench/deploy/target/work, so the repository is never edited. Needs curl.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
project="${1:-$root/fc-maven-plugin/src/it/hello-http-function}"
source_rel="${2:-src/main/java/com/example/HelloWorld.java}"
rounds="${3:-5}"
out="$here/target"
repo="$out/repo"
state="$out/state"
work="$out/work"
mvn_opts=(-B -s "$here/settings.xml" -Dmaven.repo.local="$repo")

rm -rf "$work" "$state" && mkdir -p "$out" "$work"
version="$(sed -n "s:.*<version>\(.*\)</version>.*:\1:p" "$root/pom.xml" | head -1)"
echo "bench: installing fc-toolkit $version into $repo"
(cd "$root" && ./mvnw "${mvn_opts[@]}" -q -pl fc-maven-plugin -am install -DskipTests -DskipITs)
cp -r "$project/." "$work/"
sed -i "s/@project.version@/$version/g" "$work/pom.xml"
source="$work/$source_rel"
fn_opts=(-Dfc.runtime.stateDir="$state" -Dfc.runtime.port=0)

cd "$work"
ms() { echo $(( $(date +%s%N) / 1000000 )); }
edit() { # one-line change: a new string constant at the end of the class body
  sed -i "s/^}$/  static final String BENCH_$1 = \"$1\";\n}/" "$source"
}

echo "bench: warm-up (starts the local runtime in the background)"
"$root/mvnw" "${mvn_opts[@]}" -q package fc:deploy "${fn_opts[@]}" > "$out/warmup.log" || { cat "$out/warmup.log"; exit 1; }
token="$(cat "$state/token")"
url="$(sed -n 's/.*"url" *: *"\([^"]*\)".*/\1/p' "$state/run/runtime.json")"
function="$(sed -n 's:.*<artifactId>\(.*\)</artifactId>.*:\1:p' "$work/pom.xml" | sed -n 1p)"

package_ms=(); deploy_ms=(); serving_ms=()
for i in $(seq 1 "$rounds"); do
  edit "p$i"
  start=$(ms); "$root/mvnw" "${mvn_opts[@]}" -q -o package >/dev/null; package_ms+=($(( $(ms) - start )))

  edit "d$i"
  poll_log="$out/poll-$i.log"; : > "$poll_log"
  # Poll the dev alias every ~10 ms, recording which version answered when.
  ( for _ in $(seq 1 6000); do
      v=$(curl -s -o /dev/null -D - -X POST -H "Authorization: Bearer $token" "$url/invoke/$function/dev" \
        | tr -d '\r' | sed -n 's/^fc-version: //Ip')
      echo "$(ms) ${v:-0}" >> "$poll_log"; sleep 0.01
    done ) &
  poller=$!
  deploy_log="$out/deploy-$i.log"
  start=$(ms)
  "$root/mvnw" "${mvn_opts[@]}" -o package fc:deploy "${fn_opts[@]}" \
    | while IFS= read -r line; do echo "$(ms) $line"; done > "$deploy_log"
  deploy_ms+=($(( $(ms) - start )))
  sleep 0.5; kill "$poller" 2>/dev/null || true; wait "$poller" 2>/dev/null || true
  published=$(grep -m1 'Published version' "$deploy_log" || true)
  if [ -z "$published" ]; then echo "bench: round $i published no new version"; cat "$deploy_log"; exit 1; fi
  t_pub=${published%% *}; new_version=$(echo "$published" | sed 's/.*Published version \([0-9]*\).*/\1/')
  t_first=$(awk -v v="$new_version" '$2 == v { print $1; exit }' "$poll_log")
  serving_ms+=($(( ${t_first:-0} - t_pub )))
  echo "bench: round $i package ${package_ms[-1]} ms, package+deploy ${deploy_ms[-1]} ms, publish->serving $(( ${t_first:-0} - t_pub )) ms (v$new_version)"
done
"$root/mvnw" "${mvn_opts[@]}" -q fc:local-stop "${fn_opts[@]}" >/dev/null

median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2))}'; }
p=$(median "${package_ms[@]}"); d=$(median "${deploy_ms[@]}"); s=$(median "${serving_ms[@]}")
ratio=$(awk -v d="$d" -v p="$p" 'BEGIN { printf "%.2f", d / p }')
{
  echo "| measure (median of $rounds, $(date -u +%Y-%m-%dT%H:%MZ), $(java -version 2>&1 | head -1)) | value |"
  echo "|---|---|"
  echo "| mvn package | $p ms |"
  echo "| mvn package fc:deploy | $d ms |"
  echo "| deploy / package | $ratio (target <= 1.5) |"
  echo "| publish -> first response of the new version | $s ms (target < 1000) |"
  echo "| project | $(basename "$project") |"
} | tee "$out/results.md"
