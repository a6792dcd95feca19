#!/usr/bin/env bash
# The project's test command. Installs the Debian packages the tests use (as root, or through
# sudo), then runs `./mvnw -B verify` with any extra Maven arguments given to this script:
#
#   ./run-tests.sh                       all tests
#   ./run-tests.sh -pl fc-core           one module (any Maven argument works)
#
# The tests use a real registry (Debian's docker-registry, started by the tests on 127.0.0.1),
# skopeo and umoci to inspect images, a CJK font for the grader's photo simulator, ssh-agent
# (openssh-client) for the Git push tests, Chromium with Node.js and npm for the runtime
# dashboard's build check and browser test (docs/dashboard.md), and promtool (Debian's prometheus)
# for the Prometheus rules in gitops/observability (ObservabilityRulesTest).
set -euo pipefail
cd "$(dirname "$0")"

packages=(docker-registry skopeo umoci fonts-wqy-microhei openssh-client chromium prometheus)
missing=()
# Node.js may come from elsewhere than Debian (the machine image's own nodejs includes npm): only
# when node or npm is missing are Debian's packages installed.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  missing+=(nodejs npm)
fi
for p in "${packages[@]}"; do
  if command -v dpkg >/dev/null 2>&1; then
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
  else
    case "$p" in
      fonts-*) ;; # only Debian names the font package; the simulator falls back to what it finds
      *) command -v "$p" >/dev/null 2>&1 || missing+=("$p") ;;
    esac
  fi
done

if [ ${#missing[@]} -gt 0 ]; then
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "run-tests: missing ${missing[*]}; install them with your system's package manager" >&2
    exit 2
  fi
  if [ "$(id -u)" -eq 0 ]; then
    as_root=()
  elif command -v sudo >/dev/null 2>&1; then
    as_root=(sudo)
  else
    echo "run-tests: missing Debian packages ${missing[*]}; as root run:" >&2
    echo "  apt-get update && apt-get install -y --no-install-recommends ${missing[*]}" >&2
    exit 2
  fi
  echo "run-tests: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  "${as_root[@]}" apt-get update -qq
  "${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  # The packages start the distribution's registry and Prometheus services; tests start their own
  # registry on 127.0.0.1 and use only promtool.
  ("${as_root[@]}" service docker-registry stop || true) >/dev/null 2>&1
  ("${as_root[@]}" service prometheus stop || true) >/dev/null 2>&1
fi

exec ./mvnw -B verify "$@"
