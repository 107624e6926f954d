#!/usr/bin/env bash
# Set up, then serve the app on its bundled data. Works offline.
#
#   bash scripts/run.sh             # this computer only: http://localhost:8501
#   bash scripts/run.sh --network   # the room too: every interface, http://<this machine's address>:8501
#
# Other options go to `streamlit run` (e.g. --server.port 8502). For a conference (several
# processes behind nginx) use scripts/serve.sh --replicas N.
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
extra=()
if [ "$address" = 0.0.0.0 ]; then
  # Streamlit's own banner would look up this machine's public address on the internet; say
  # where the room connects instead, from the machine's own addresses.
  extra=(--logger.hideWelcomeMessage true)
  echo "Serving the room (Ctrl-C stops). Participants open one of:"
  for ip in $(hostname -I 2>/dev/null); do
    case "$ip" in *:*) ;; *) echo "  http://$ip:$port" ;; esac  # 0.0.0.0 is IPv4 only
  done
fi
exec .venv/bin/streamlit run app.py --server.address "$address" ${extra[@]+"${extra[@]}"} ${args[@]+"${args[@]}"}
