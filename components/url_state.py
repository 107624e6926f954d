"""Links from any page that open the map explorer on a view (filters, layers, a selection)."""

from __future__ import annotations

import streamlit as st

from components.page_state import NAV_KEY
from components.text import md

EXPLORER_PAGE = "pages/map_explorer.py"


def map_link_params(**filters: str) -> dict[str, str]:
    """Address parameters that open the explorer with filters, e.g. map_link_params(sector="automotive")
    or map_link_params(sel="ic:IC048"); the marker tells the explorer to take the view from them."""
    return {**{k: v for k, v in filters.items() if v}, NAV_KEY: "1"}


def map_link(label: str, **filters: str) -> None:
    """A link that opens the explorer filtered to this (sector=…, cc=…, sel=…). Every page runs
    inside app.py's navigation (components/entry.py), so the explorer is always a page to link to."""
    st.page_link(EXPLORER_PAGE, label=md(label), query_params=map_link_params(**filters))
