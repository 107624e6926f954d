#!/usr/bin/env bash
# Set up everything the app (and, with --test, the test suite) needs on a fresh Debian machine.
# Idempotent: a second run only checks. Needs root or sudo for the Debian packages.
#   --serve: and nginx (scripts/serve.sh); --test: and the test suite's packages and chromium;
#   --nginx: nginx only (scripts/run.sh --network, after the rest is set up).
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
apt_install() {
  [ -n "${APT_UPDATED:-}" ] || { as_root apt-get update -qq; APT_UPDATED=1; }
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

have_nginx() { command -v nginx >/dev/null || [ -x /usr/sbin/nginx ]; }
if [ "${1:-}" = "--nginx" ]; then have_nginx || apt_install nginx; exit; fi

PY=${PYTHON:-python3.11}
command -v "$PY" >/dev/null || PY=python3
if [ ! -x .venv/bin/python ]; then
  # Debian ships venv separately (python3-venv); install it when the interpreter lacks it.
  "$PY" -m venv .venv 2>/dev/null || { rm -rf .venv; apt_install python3-venv; "$PY" -m venv .venv; }
fi
.venv/bin/python -m pip install -q --disable-pip-version-check -r requirements.txt

# Fonts for the meeting-brief PDF: a CJK font so Chinese names print (never as empty boxes)
# and DejaVu for the Latin text.
missing=()
for pkg in fonts-wqy-microhei fonts-dejavu-core; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] || apt_install "${missing[@]}"

# serve.sh (and run.sh --network, and their tests) puts nginx, Debian's package, in front of
# the app processes.
if [ "${1:-}" = "--serve" ] || [ "${1:-}" = "--test" ]; then
  have_nginx || apt_install nginx
fi
if [ "${1:-}" = "--test" ]; then
  .venv/bin/python -m pip install -q --disable-pip-version-check -r requirements-dev.txt
  # Browser tests drive Debian's chromium (Playwright never downloads a browser here).
  command -v chromium >/dev/null || apt_install chromium
fi
