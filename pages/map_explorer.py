"""Map explorer: the three layers and EU-China cooperation on one offline map, filters and
search in the sidebar, a drill-down panel for whatever is clicked, the whole view in the address.

The page wires the pieces: state (components/explorer_session.py over atlas/state.py), the map
(components/map_view.py), the panel and the filters. The sidebar filters are drawn from the run
that the map's first report starts (its ``on_change``): on a 2-core machine the browser draws the
map and the page's widgets on one thread, and the map comes first (README, "Speed").
"""

from __future__ import annotations

import streamlit as st

from atlas.drilldown import detail
from atlas.filters import filter_atlas
from components import explorer_session as session
from components.data_access import get_atlas
from components.entry import from_app
from components.legend import render_counts, render_disclaimer
from components.map_list_view import render_map_list
from components.map_view import render_map
from components.page_state import show_notice
from components.panel import render_panel
from components.sidebar_filters import render_filters
from components.slide_views import download_view

from_app()  # every run goes through app.py (components/entry.py)

atlas = get_atlas()
state = session.current(atlas)
session.write_url(state)  # first, so the address is current by the time the panel shows
view = state.view
filtered = filter_atlas(atlas, view)
selection = detail(atlas, view.sel) if view.sel else None

st.title("China Cluster Atlas", anchor=False)
show_notice(session.notice())
render_counts(atlas, filtered)
map_col, panel_col = st.columns([3, 2], gap="medium")
with panel_col:  # before the map, so a click's panel reaches the browser first
    render_panel(atlas, view.sel, selection, examples=state.map_reported)
with map_col:
    # What was just clicked needs no ring: the map's layers stay as they are, so the browser
    # has nothing to redraw and the panel appears sooner. Selections made elsewhere get one.
    ring = None if state.clicked == view.sel else selection
    render_map(atlas, filtered, view, ring, state.pan, on_change=session.map_changed, start=state.start)
    render_disclaimer()  # the legend is inside the map
    render_map_list(atlas, filtered, view)
    download_view(atlas, filtered, view, selection, None, None, key="explorer_slide")
if state.map_reported:
    render_filters(atlas, view)
else:
    st.sidebar.header("Filters")
    st.sidebar.caption("The filters appear as soon as the map has drawn itself.")
    st.sidebar.button("Show the filters now", on_click=session.show_filters)
