#!/usr/bin/env bash
# Shared helpers of the fc-toolkit pipeline scripts (sourced, never run). Settings, all optional:
#   FC_MVN     the Maven command (default: ./mvnw -B when the repository has the wrapper, else
#              mvn -B); split on spaces, so paths in it must not hold spaces
#   FC_GITOPS  the gitops folder (default: gitops)
#   FC_GLOBAL_SETTINGS  a Maven global settings file passed with -gs (fc-setup writes it with the
#              plugin group io.fctoolkit); the user's ~/.m2/settings.xml stays in force
# Every script prints what it does on stderr and never prints a credential.

fc_gitops() {
  printf '%s\n' "${FC_GITOPS:-gitops}"
}

# Runs Maven with the given arguments: "$@" after the FC_MVN words.
fc_mvn() {
  local -a cmd
  if [ -n "${FC_MVN:-}" ]; then
    read -r -a cmd <<<"$FC_MVN"
  elif [ -x ./mvnw ]; then
    cmd=(./mvnw -B --no-transfer-progress)
  else
    cmd=(mvn -B --no-transfer-progress)
  fi
  if [ -n "${FC_GLOBAL_SETTINGS:-}" ]; then
    cmd+=(-gs "$FC_GLOBAL_SETTINGS")
  fi
  "${cmd[@]}" "$@"
}

fc_log() {
  printf 'fc: %s\n' "$*" >&2
}

fc_die() {
  printf 'fc: error: %s\n' "$*" >&2
  exit 1
}

# Environment names are directory names under environments/; anything else is refused before it
# reaches a path, a Maven property or a comment.
fc_check_env_name() {
  case "$1" in
    '' | *[!A-Za-z0-9._-]* | .*) fc_die "'$1' is not an environment name (letters, digits, '.', '_', '-')" ;;
  esac
}

fc_env_file() {
  printf '%s/environments/%s/environment.yaml\n' "$(fc_gitops)" "$1"
}

# The platform type an environment file binds: local or knative (block or flow style).
fc_env_platform() {
  local file
  file=$(fc_env_file "$1")
  [ -f "$file" ] || fc_die "$file does not exist (environments are the folders under $(fc_gitops)/environments)"
  awk '
    /^platform:[[:space:]]*\{/ { if (match($0, /type:[[:space:]]*[A-Za-z0-9_-]+/)) {
        t = substr($0, RSTART, RLENGTH); sub(/type:[[:space:]]*/, "", t); print t; exit } }
    /^platform:/ { inside = 1; next }
    inside && /^[^[:space:]#]/ { inside = 0 }
    inside && $1 == "type:" { print $2; exit }
  ' "$file"
}

# The functions an environment file deploys: the keys under its top-level functions: block.
fc_env_functions() {
  awk '
    /^functions:/ { inside = 1; next }
    inside && /^[^[:space:]#]/ { inside = 0 }
    inside && /^  [A-Za-z0-9][A-Za-z0-9_-]*:[[:space:]]*(#.*)?$/ { sub(/^  /, ""); sub(/:.*/, ""); print }
  ' "$(fc_env_file "$1")"
}

# pull when the environment's rendered manifests are committed (gitops/rendered/<env>/, synced by
# Argo CD or Flux), else push (fc:apply changes the platform).
fc_env_mode() {
  if [ -f "$(fc_gitops)/rendered/$1/kustomization.yaml" ]; then
    echo pull
  else
    echo push
  fi
}

# Whether Kubernetes credentials are present: KUBECONFIG naming a readable file, or ~/.kube/config.
fc_has_kubeconfig() {
  if [ -n "${KUBECONFIG:-}" ]; then
    [ -r "${KUBECONFIG%%:*}" ]
  else
    [ -r "$HOME/.kube/config" ]
  fi
}

# Starts a local runtime in the background on state folder $1 (any free port) with the plugin's
# fc:local, and waits until it answers (its run/runtime.json appears).
fc_local_start() {
  local state=$1 waited=0
  mkdir -p "$state"
  fc_log "starting a local runtime on $state"
  fc_mvn -N fc:local -Dfc.runtime.stateDir="$state" -Dfc.runtime.port=0 \
    >"$state.log" 2>&1 </dev/null &
  echo "$!" >"$state.maven.pid"
  until [ -f "$state/run/runtime.json" ]; do
    if ! kill -0 "$(cat "$state.maven.pid")" 2>/dev/null; then
      tail -n 40 "$state.log" >&2
      fc_die "the local runtime did not start (log above, $state.log)"
    fi
    if [ "$waited" -ge 180 ]; then
      tail -n 40 "$state.log" >&2
      fc_die "the local runtime did not answer within 180 s ($state.log)"
    fi
    sleep 1
    waited=$((waited + 1))
  done
  fc_log "local runtime up after ${waited} s"
}

# Stops the local runtime of state folder $1, if one runs there (fc:local-stop drains it), and
# waits for the foreground Maven process of fc_local_start, which then ends by itself.
fc_local_stop() {
  local state=$1
  [ -f "$state/run/runtime.json" ] || [ -f "$state.maven.pid" ] || return 0
  fc_mvn -q -N fc:local-stop -Dfc.runtime.stateDir="$state" >/dev/null 2>&1 || true
  if [ -f "$state.maven.pid" ]; then
    wait "$(cat "$state.maven.pid")" 2>/dev/null || true
    rm -f "$state.maven.pid"
  fi
}

# The Maven log as a reader wants it in a comment: no download lines, no [INFO] prefixes.
fc_clean_log() {
  grep -v -E '^\[INFO\] (Download|Progress)' "$1" | sed -E 's/^\[(INFO|WARNING|ERROR)\] //'
}
