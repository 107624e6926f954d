"""Open the app's pages under AppTest as a user does (through app.py's navigation)."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[1] / "app.py")


def open_tab(at: AppTest, key: str, label: str) -> AppTest:
    """Choose a tab as a user would (the page's tabs rerun it and run only the open tab)."""
    at.session_state[key] = label
    at.run()
    assert not at.exception, at.exception
    return at
