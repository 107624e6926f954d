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
address=127.0.0.1
args=()
for arg in "$@"; do
  case "$arg" in
    --network) address=0.0.0.0 ;;
    *) args+=("$arg") ;;
  esac
done
bash scripts/setup.sh
if [ "$address" = 0.0.0.0 ]; then
  echo "Serving the network: participants open http://<this machine's address>:8501 (Ctrl-C stops)."
fi
exec .venv/bin/streamlit run app.py --server.address "$address" ${args[@]+"${args[@]}"}
