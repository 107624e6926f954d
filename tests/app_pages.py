"""Open the app's pages under AppTest as a user does: through app.py (its navigation and page
config) on every run, never the page file on its own."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[1] / "app.py")


def app_test(page: str | Path | None = None, timeout: float = 60) -> AppTest:
    """The app opened on this page of pages/ (a file name or path; None or app.py: the app's own
    address, the map explorer), not yet run."""
    at = AppTest.from_file(APP, default_timeout=timeout)
    if page is not None and Path(page).name != "app.py":
        at.switch_page(f"pages/{Path(page).name}")
    return at


def open_tab(at: AppTest, key: str, label: str) -> AppTest:
    """Choose a tab as a user would (the page's tabs rerun it and run only the open tab)."""
    at.session_state[key] = label
    at.run()
    assert not at.exception, at.exception
    return at
