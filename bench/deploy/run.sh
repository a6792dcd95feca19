#!/usr/bin/env bash
# Incremental deploy benchmark (issue 6): after a one-line change, the wall time of
#   mvn package fc:deploy   against   mvn package
# on the same project in the same run (alternating, ROUNDS times each, nothing else running), and,
# in one more deploy per round while a poller calls the dev alias, the time from
# "Published version N" to the first response served by version N.
#
#   bench/deploy/run.sh [project-dir] [source-file-to-edit] [rounds]
#
# Defaults: the plain hello HttpFunction of the plugin's integration tests. For the grader:
#   bench/deploy/run.sh grader-function src/main/java/io/fctoolkit/grader/GraderFunction.java
# The project is copied (without target/) to bench/deploy/target/work, so the repository is never
# edited; a copy of a module of this repository still finds its parent pom (installed into the
# bench repository) and the repository's gitops/ folder. Runs on a fresh machine (empty ~/.m2):
# everything resolves from Maven Central. BENCH_MVN_ARGS (default -DskipTests) is
# passed to both measured builds alike. Needs curl.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
project="${1:-$root/fc-maven-plugin/src/it/hello-http-function}"
case "$project" in /*) ;; *) project="$root/$project" ;; esac
source_rel="${2:-src/main/java/com/example/HelloWorld.java}"
rounds="${3:-5}"
out="$here/target"
repo="$out/repo"
state="$out/state"
work="$out/work"
# Its own local repository, filled from Maven Central on a fresh machine; ~/.m2/repository (when
# present) is only read, as a tail, so nothing of the benchmark is installed there.
mvn_opts=(-B -s "$here/settings.xml" -Dmaven.repo.local="$repo")
if [ -d "$HOME/.m2/repository" ]; then mvn_opts+=(-Dmaven.repo.local.tail="$HOME/.m2/repository"); fi
read -r -a build_args <<< "${BENCH_MVN_ARGS:--DskipTests}"
load_start="$(cut -d' ' -f1-3 /proc/loadavg)"

rm -rf "$work" "$state" && mkdir -p "$out" "$work"
version="$(sed -n "s:.*<version>\(.*\)</version>.*:\1:p" "$root/pom.xml" | head -1)"
echo "bench: installing fc-toolkit $version into $repo"
(cd "$root" && ./mvnw "${mvn_opts[@]}" -q -pl fc-maven-plugin -am install -DskipTests -DskipITs)
cp -r "$project/." "$work/" && rm -rf "$work/target"
sed -i "s/@project.version@/$version/g" "$work/pom.xml"
source="$work/$source_rel"
fn_opts=(-Dfc.runtime.stateDir="$state" -Dfc.runtime.port=0 "${build_args[@]}")

cd "$work"
ms() { echo $(( $(date +%s%N) / 1000000 )); }
edit() { # one-line change: a new string constant at the end of the class body
  sed -i "s/^}$/  static final String BENCH_$1 = \"$1\";\n}/" "$source"
}

# Waits (at most 10 min) while a training run of this state folder runs; fails if one ran.
wait_training() {
  local waited=0
  for _ in $(seq 1 1200); do
    if ps -eo args= | grep -F -e "-XX:AOTCacheOutput=$state/" -e "-XX:ArchiveClassesAtExit=$state/" \
        | grep -qv grep; then waited=1; sleep 0.5; else break; fi
  done
  return $waited
}
stop_runtime() { "$root/mvnw" "${mvn_opts[@]}" -q -o fc:local-stop "${fn_opts[@]}" >/dev/null 2>&1 || true; }
trap stop_runtime EXIT  # also when a round fails: never leave the background runtime running
echo "bench: warm-up (starts the local runtime in the background)"
"$root/mvnw" "${mvn_opts[@]}" -q package fc:deploy "${fn_opts[@]}" > "$out/warmup.log" || { cat "$out/warmup.log"; exit 1; }
token="$(cat "$state/token")"
url="$(sed -n 's/.*"url" *: *"\([^"]*\)".*/\1/p' "$state/run/runtime.json")"
# The function's name: the plugin's <function>, else the project's own artifactId (not the parent's).
function="$(sed -n 's:.*<function>\(.*\)</function>.*:\1:p' "$work/pom.xml" | sed -n 1p)"
if [ -z "$function" ]; then
  function="$(sed '/<parent>/,/<\/parent>/d' "$work/pom.xml" | sed -n 's:.*<artifactId>\(.*\)</artifactId>.*:\1:p' | sed -n 1p)"
fi
echo "bench: function $function"
wait_training || echo "bench: waited for the warm-up's class-data archive"

count_archives() { find "$state/archives" \( -name '*.aot' -o -name '*.jsa' \) 2>/dev/null | wc -l; }
package_ms=(); deploy_ms=(); serving_ms=(); polled_ms=(); archive_note=()
timed_deploy() { # a one-line change + package fc:deploy, timestamped per output line, into $1
  start=$(ms)
  "$root/mvnw" "${mvn_opts[@]}" -o package fc:deploy "${fn_opts[@]}" \
    | while IFS= read -r line; do t=${EPOCHREALTIME/./}; echo "$(( t / 1000 )) $line"; done > "$1"
  echo $(( $(ms) - start ))
}
for i in $(seq 1 "$rounds"); do
  archives_before=$(count_archives)
  # The ratio: package and deploy alike with nothing else running (the runtime idle).
  edit "p$i"
  start=$(ms); "$root/mvnw" "${mvn_opts[@]}" -q -o package "${build_args[@]}" >/dev/null; package_ms+=($(( $(ms) - start )))
  edit "d$i"
  deploy_ms+=($(timed_deploy "$out/deploy-$i.log"))
  grep -q 'Published version' "$out/deploy-$i.log" || { echo "bench: round $i published no new version"; cat "$out/deploy-$i.log"; exit 1; }

  # Publish to serving: one more deploy while a poller calls the dev alias about every 20 ms,
  # recording which version answered when: one curl process on one keep-alive connection (URL
  # globbing, --rate), timestamped with bash's EPOCHREALTIME. The poller loads the runtime and the
  # serving instance, so this deploy's wall time is reported on its own, not in the ratio.
  edit "s$i"
  poll_log="$out/poll-$i.log"; : > "$poll_log"
  ( curl -s -w '%{stderr}%header{fc-version}\n' -X POST --rate 50/s \
      -H "Authorization: Bearer $token" "$url/invoke/$function/dev?poll=[1-30000]" \
      2>&1 >/dev/null & echo $! > "$out/poller.pid"; wait ) \
    | while IFS= read -r v; do t=${EPOCHREALTIME/./}; echo "$(( t / 1000 )) ${v:-0}"; done \
    >> "$poll_log" &
  poller=$!
  deploy_log="$out/serving-$i.log"
  polled_ms+=($(timed_deploy "$deploy_log"))
  sleep 0.5; kill "$(cat "$out/poller.pid")" 2>/dev/null || true; wait "$poller" 2>/dev/null || true
  published=$(grep -m1 'Published version' "$deploy_log" || true)
  if [ -z "$published" ]; then echo "bench: round $i published no new version"; cat "$deploy_log"; exit 1; fi
  t_pub=${published%% *}; new_version=$(echo "$published" | sed 's/.*Published version \([0-9]*\).*/\1/')
  t_first=$(awk -v v="$new_version" '$2 == v { print $1; exit }' "$poll_log")
  serving_ms+=($(( ${t_first:-0} - t_pub )))
  # When no class-data archive covers the version's host and dependency jars yet, the runtime
  # trains one in the background after publish (a low-priority JVM whose command line names the
  # archive it writes). Wait for any such run of this state folder to end (at most 10 min), so it
  # cannot run into the next round's measured build; an incremental deploy usually reuses the
  # archive and trains nothing.
  trained=reused
  wait_training || trained=trained
  [ "$(count_archives)" -gt "$archives_before" ] && trained=trained
  archive_note+=("$trained")
  echo "bench: round $i package ${package_ms[-1]} ms, package+deploy ${deploy_ms[-1]} ms; with the poller: package+deploy ${polled_ms[-1]} ms, publish->serving $(( ${t_first:-0} - t_pub )) ms (v$new_version); class-data archive $trained"
  grep -E 'elapsed +[a-z]' "$out/deploy-$i.log" | sed 's/^[0-9]* \[INFO\] */bench:   fc:deploy /' || true
done
stop_runtime; trap - EXIT

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
  echo "| mvn package fc:deploy while the poller runs (the publish -> serving rounds) | $(median "${polled_ms[@]}") ms |"
  echo "| class-data archive per round (trained in the background, or reused from an earlier version) | ${archive_note[*]} |"
  echo "| per round (ms): package / package+deploy / package+deploy with the poller / publish->serving | ${package_ms[*]} / ${deploy_ms[*]} / ${polled_ms[*]} / ${serving_ms[*]} |"
  echo "| project | $(basename "$project") (function $function, build args: ${build_args[*]}) |"
  echo "| load average (1/5/15 min) at start / end | $load_start / $(cut -d' ' -f1-3 /proc/loadavg) |"
} | tee "$out/results.md"
