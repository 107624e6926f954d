#!/usr/bin/env bash
# Set up, then check lint and format (ruff) and run the whole test suite (unit, AppTest and
# headless-Chromium end-to-end tests). Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
.venv/bin/ruff check --quiet .
.venv/bin/ruff format --check --quiet .
exec .venv/bin/python -m pytest "$@"
