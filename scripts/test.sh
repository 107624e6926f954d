#!/usr/bin/env bash
# Set up, then run the whole test suite (unit, AppTest and headless-Chromium end-to-end tests).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
exec .venv/bin/python -m pytest "$@"
