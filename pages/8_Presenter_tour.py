"""Presenter tour: a guided walk through the atlas for a workshop, one step per screen.

The steps live in data/tour.yaml (fields: data/README.md, "tour.yaml"); each has its own URL (?step=3) so a
presenter can jump or bookmark. Before anything else the page checks, offline, that the map
assets, boundaries, data and tour file are all there and says plainly what is missing.
"""

from __future__ import annotations

import streamlit as st

from atlas.drilldown import detail
from atlas.filters import filter_atlas
from atlas.provenance import source_line
from atlas.state import to_params
from atlas.tour import (
    TourError,
    caption_text,
    frame_places,
    framed,
    load_tour,
    readiness,
    step_counts,
    step_number,
    step_param,
    step_view,
)
from components import page_state
from components import tour_views as tv
from components.data_access import get_atlas
from components.entry import from_app
from components.map_layers import local_assets_present
from components.map_view import render_map
from components.slide_views import download_deck, download_view
from components.url_state import map_link

from_app()  # every run goes through app.py (components/entry.py)

tv.presentation_style()

# Ready to present? Files first (a missing boundary file would stop the data from loading), then the data.
checks = readiness(local_assets_present(), load=lambda _data, _geo: get_atlas())
if not all(c.ok for c in checks[:2]):
    tv.render_checks(checks, show_when_ok=True)
    st.stop()
atlas = get_atlas()
try:
    tour = load_tour()
except TourError:
    tv.render_checks(checks, show_when_ok=True)
    st.stop()

asked = tv.STEP_KEY in page_state.raw_params()
values, notice = page_state.read([step_param(len(tour.steps)), tv.PRESENT_PARAM])
n = step_number(values, len(tour.steps))
if notice and asked and tv.STEP_KEY not in values:  # only then is step 1 a fallback worth naming
    notice += f" Starting at step 1 of {len(tour.steps)}."
if "tour_present" not in st.session_state:  # the address says how the tour opens; the F key toggles
    st.session_state["tour_present"] = tv.PRESENT_KEY in values
present = tv.presenting()
page_state.write(tv.address(n, present))
if present:
    tv.presenting_style()
step = tour.steps[n - 1]
view = step_view(step)
filtered = filter_atlas(atlas, view)
view = framed(step, view, frame_places(step, atlas, filtered, view))  # every place it names in frame

# Every step has the same outline (parts that vary sit in containers), so moving between steps
# updates the page in place instead of leaving the previous step's elements behind for a moment.
ready = all(c.ok for c in checks)
# Presenting, an all-clear folds into the line above the title (a failure is always shown in full).
tv.render_header(step, n, len(tour.steps), tour.title, tv.ready_short(checks) if present and ready and n == 1 else "")
with st.container():
    page_state.show_notice(notice)
    tv.render_checks(checks, show_when_ok=n == 1 and not present)
tv.render_navigation(tour.steps, n, "top")
# Map and caption side by side, the map sized so both fit a 1280×720 projector without scrolling.
map_col, text_col = st.container(key="tour_stage").columns([3, 2], gap="medium")
with map_col:
    render_map(
        atlas,
        filtered,
        view,
        detail(atlas, step.sel) if step.sel else None,
        (view.lat, view.lon, view.zoom),
        height=tv.PRESENT_MAP_HEIGHT if present else tv.MAP_HEIGHT,
        key="tour_map",
    )
with text_col:
    tv.render_caption(caption_text(step, step_counts(filtered, view)), step.source)
    with st.container():
        tv.render_panel(atlas, filtered, step)
        map_link("Open this view in the map explorer (for questions)", **to_params(view))
        png_col, pdf_col = st.columns(2)
        with png_col:
            selection = detail(atlas, step.sel) if step.sel else None
            download_view(atlas, filtered, view, selection, step.title, source_line(step.source), key="tour_slide")
        with pdf_col:
            download_deck(atlas, tour, key="tour_deck")
tv.render_navigation(tour.steps, n, "bottom")
