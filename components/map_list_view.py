"""The list view of what the map shows: a sortable table (st.dataframe) whose rows select their
place as a click on the map does (explorer_session.select, so the selection lands in the address).
It also serves keyboard and screen-reader users, who cannot click a marker."""

from __future__ import annotations

from functools import partial

import streamlit as st

from atlas.filters import Filtered
from atlas.load import Atlas
from atlas.map_list import shown_rows
from atlas.state import ViewState
from components import explorer_session as session

TABLE_KEY = "map_list"


def render_map_list(atlas: Atlas, filtered: Filtered, view: ViewState) -> None:
    """An expander (drawn when opened) with one row per place on the map; choosing a row opens it."""
    rows = shown_rows(atlas, filtered, view)
    label = f"List of what the map shows ({len(rows)})"
    with st.expander(label, key="map_list_open", on_change="rerun") as box:
        if not box.open:
            return
        if rows.empty:
            st.write("The map shows nothing with these filters and layers.")
            return
        st.caption(
            "Sort by a column's header; choose a row (its checkbox, or arrow keys and Space) to open "
            "it in the panel, as a click on the map does. Follows the filters and layers."
        )
        keys = tuple(rows["key"])
        st.dataframe(
            rows.drop(columns="key"),
            hide_index=True,
            width="stretch",
            key=f"{TABLE_KEY}_{hash(keys)}",  # a new list (other filters) starts with no row chosen
            on_select=partial(session.select_row, f"{TABLE_KEY}_{hash(keys)}", keys),
            selection_mode="single-row",
        )
