"""Every run of every page starts in app.py, even when Streamlit itself runs a page file.

pages/ sits next to app.py, and Streamlit treats a ``pages/`` folder next to the entry point as a
legacy multipage app until the first ``st.navigation`` call of the process (docs.streamlit.io,
"Creating multipage apps using the pages/ directory": "If you call st.navigation in your app (in
any session), Streamlit will switch to using the newer, Page-and-navigation multipage
structure"). Until then, and on every AppTest run, an address such as ``/Sectors`` runs
``pages/1_Sectors.py`` directly: app.py's navigation, titles and page config would be skipped
(the sidebar would list file names, the tour would open with its sidebar out). So each page
starts with ``from_app()``: run by app.py it does nothing; run by the legacy discovery it runs
app.py, which runs this page inside its navigation, and ends the legacy run.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

_inside = threading.local()  # one script run per thread


@contextmanager
def app_running_page() -> Iterator[None]:
    """Around app.py's ``page.run()``: the page is being run by the app."""
    _inside.app = True
    try:
        yield
    finally:
        _inside.app = False


def from_app() -> None:
    """The first call of every page: make sure this run went through app.py."""
    if getattr(_inside, "app", False):
        return
    import app  # the entry point, imported only when Streamlit ran a page file itself

    app.main()
    st.stop()
