from pathlib import Path

import pytest
from app_pages import app_test
from streamlit.testing.v1 import AppTest

from atlas.load import load_atlas
from atlas.paths import SEEDS_DIR

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def atlas():
    return load_atlas()


@pytest.fixture(scope="session")
def seeds_dir():
    """The source documents, kept in the repository (data/sources/)."""
    return SEEDS_DIR


def run_page(path, **params) -> AppTest:
    """Open a page of pages/ through app.py with these URL parameters; it must not raise."""
    at = app_test(path)
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, at.exception
    return at
