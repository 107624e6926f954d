"""The one cached Atlas per server process; a broken data file stops the page with a clear message."""

from __future__ import annotations

import streamlit as st

from atlas.load import Atlas, load_atlas
from atlas.validate import DataFileError


@st.cache_resource(show_spinner="Loading the atlas data…")
def _load() -> Atlas:
    return load_atlas()


def get_atlas() -> Atlas:
    try:
        return _load()
    except DataFileError as exc:
        st.error(f"A data file could not be read, so nothing is shown rather than something wrong: {exc}. "
                 "Fix the file (see data/README.md) and reload.")
        st.stop()
