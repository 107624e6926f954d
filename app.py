"""China Cluster Atlas — map explorer (the main page).

Run: ``bash scripts/run.sh``. Data services live in atlas/, geometry in geo/, UI pieces in
components/; this page only wires them together. The map comes first: the sidebar filters and
the panel's examples follow once the map has drawn itself (components/progressive.py says why).
"""

from __future__ import annotations

import streamlit as st

from atlas.drilldown import detail
from atlas.filters import filter_atlas
from atlas.load import Atlas
from components.data_access import get_atlas
from components.legend import render_counts, render_disclaimer
from components.map_view import SELECT_ZOOM, render_map
from components import progressive
from components.panel import render_panel
from components.sidebar_filters import render_filters
from components.url_state import SESSION_PARSED, SESSION_VIEW, current_view, show_notices, write_url

st.set_page_config(page_title="China Cluster Atlas", page_icon="🗺️", layout="wide")


def map_request(view, selection) -> tuple | None:
    """Where the map should move: to a selection made outside the map (search, panel links,
    URL), or to the view a URL names when it is read; a click or a move on the map leaves the
    view alone (sending the map's own view back would only make it redraw)."""
    request = st.session_state.get("_map_request")
    from_url = st.session_state.pop(SESSION_PARSED, False)
    if view.sel and view.sel != st.session_state.get("_requested_sel"):
        st.session_state["_requested_sel"] = view.sel
        if selection and selection.get("lat") is not None and st.session_state.get("_last_click_sel") != view.sel:
            kind = view.sel.split(":", 1)[0]
            request = (selection["lat"], selection["lon"], max(view.zoom or 4, SELECT_ZOOM.get(kind, 5)))
    elif from_url and view.lat is not None:
        request = (view.lat, view.lon, view.zoom)
    st.session_state["_map_request"] = request
    return request


@st.fragment
def explorer(atlas: Atlas) -> None:
    """Map and panel: a click or a panel link reruns only this part, not the sidebar."""
    progressive.rerun_app_once_map_is_up()
    view = st.session_state[SESSION_VIEW]
    filtered = filter_atlas(atlas, view)
    selection = detail(atlas, view.sel) if view.sel else None
    request = map_request(view, selection)
    map_col, panel_col = st.columns([3, 2], gap="medium")
    with panel_col:  # before the map, so a click's panel reaches the browser first
        render_panel(atlas, view.sel, selection)
    # What was just clicked needs no ring: leaving the map's layers unchanged lets the browser
    # skip redrawing them, so the panel appears sooner. Selections from search, links or the
    # URL get the ring (and the map pans to them).
    ring = None if st.session_state.get("_last_click_sel") == view.sel else selection
    with map_col:
        render_map(atlas, filtered, view, ring, request)
        render_disclaimer()  # the legend is inside the map
    write_url(view)


atlas = get_atlas()
view = current_view(atlas)
filtered = filter_atlas(atlas, view)
chrome = progressive.full_run_draws_chrome()

st.title("China Cluster Atlas", anchor=False)
header = st.container()  # filled after the map, so the map's frame starts loading first
explorer(atlas)
with header:
    show_notices(consume=chrome)  # the run that draws the filters follows at once: keep them
    render_counts(atlas, filtered)
if chrome:
    render_filters(atlas, view)
else:
    progressive.placeholder()
