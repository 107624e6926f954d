#!/usr/bin/env bash
# Set up, then serve the app on its bundled data (http://localhost:8501). Works offline.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/streamlit run app.py "$@"
