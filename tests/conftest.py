import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from atlas.load import load_atlas  # noqa: E402
from atlas.paths import SEEDS_DIR  # noqa: E402


@pytest.fixture(scope="session")
def atlas():
    return load_atlas()


@pytest.fixture(scope="session")
def seeds_dir():
    if not SEEDS_DIR.exists():
        pytest.fail(f"the source documents are expected beside the repo at {SEEDS_DIR}")
    return SEEDS_DIR
