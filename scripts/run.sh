#!/usr/bin/env bash
# Set up, then serve the app on its bundled data. Works offline.
#
#   bash scripts/run.sh             # this computer only: http://localhost:8501
#   bash scripts/run.sh --network   # a room: every interface, http://<this machine's address>:8501
#
# It says "ready" once the app has loaded its data and run once (scripts/ready.py), so the first
# visitor waits no longer than the second. With --network the room is served as
# scripts/serve.sh --replicas 1 serves it (that script runs): nginx (Debian's package, installed
# here) sends each browser's ~100 first-visit files, the app process (on the next port) only its
# sessions. Other options go to `streamlit run` (e.g. --server.port 8502); with --network only
# --server.port is taken. For a conference (several processes) use scripts/serve.sh --replicas N.
set -euo pipefail
cd "$(dirname "$0")/.."
address=127.0.0.1 port=8501 next="" args=()
for arg in "$@"; do
  case "$arg" in
    --network) address=0.0.0.0; continue ;;
    --server.port=*) port=${arg#*=} ;;
  esac
  [ "$next" = port ] && port=$arg
  next=$([ "$arg" = --server.port ] && echo port || true)
  args+=("$arg")
done
bash scripts/setup.sh
if [ "$address" = 0.0.0.0 ]; then
  for arg in ${args[@]+"${args[@]}"}; do
    case "$arg" in --server.port|--server.port=*|[0-9]*) ;; *)
      echo "run.sh: with --network only --server.port is taken ($arg is not); see scripts/serve.sh" >&2; exit 2 ;;
    esac
  done
  command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || bash scripts/setup.sh --nginx || true
  if command -v nginx >/dev/null || [ -x /usr/sbin/nginx ]; then
    exec bash scripts/serve.sh --replicas 1 --port "$port" --network --no-setup
  fi
  echo "run.sh: nginx (Debian's package) is not installed and could not be installed here" \
    "(sudo apt-get install nginx). Serving the room from the app process alone: fine for a few" \
    "people; in a room of 30 opening the explorer at once each waits about 5 s instead of about" \
    "1 s (docs/performance.md), since the app process sends every browser's first-visit files itself." >&2
fi
# Streamlit's own banner comes before the app is ready (and with --network would look up this
# machine's public address on the internet): say where to connect once it is.
.venv/bin/streamlit run app.py --server.address "$address" --logger.hideWelcomeMessage true \
  ${args[@]+"${args[@]}"} &
app=$!
trap 'kill -TERM $app 2>/dev/null; wait $app; exit 130' INT
trap 'kill -TERM $app 2>/dev/null; wait $app; exit 143' TERM
.venv/bin/python -m scripts.ready --url "http://127.0.0.1:$port" --pid $app || { kill -TERM $app 2>/dev/null; exit 1; }
if [ "$address" = 0.0.0.0 ]; then
  echo "China Cluster Atlas is ready (Ctrl-C stops). Participants open one of:"
  for ip in $(hostname -I 2>/dev/null); do
    case "$ip" in *:*) ;; *) echo "  http://$ip:$port" ;; esac  # 0.0.0.0 is IPv4 only
  done
else
  echo "China Cluster Atlas is ready: http://localhost:$port (Ctrl-C stops)"
fi
wait $app
