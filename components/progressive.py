"""Map first: the explorer's first run in a session draws the header, the panel and the map; the
sidebar filters (and the panel's examples) follow in the next run, which the map's first report
starts.

Why: on a 2-core machine the browser draws the page and the map's frame on one thread, and the
sidebar's widgets (search box, multiselects, pills) cost about as much as the whole map to draw.
Drawn after it, the map is up about half a second sooner, close to a page with nothing but a map,
and the whole page is complete about a tenth of a second later than if all were drawn at once
(scripts/benchmark.py prints both times). Every later run draws everything, so filtering and
selecting never wait for the map.
"""

from __future__ import annotations

import streamlit as st

MAP_REPORTED = "_map_reported"  # the map has drawn itself and sent its first view
CHROME_DRAWN = "_chrome_drawn"  # the filters have been drawn in this session
FALLBACK_ARMED = "_chrome_fallback_armed"
FALLBACK_SECONDS = 2.0


def map_reported() -> None:
    """From the map's event callback: the map is up."""
    st.session_state[MAP_REPORTED] = True


def full_run_draws_chrome() -> bool:
    """At the start of a full run: whether this run draws the filters (then it records
    that, so the map's later reports do not ask for another run)."""
    if st.session_state.get(MAP_REPORTED):
        st.session_state[CHROME_DRAWN] = True
    return bool(st.session_state.get(CHROME_DRAWN))


def chrome_drawn() -> bool:
    return bool(st.session_state.get(CHROME_DRAWN))


def rerun_app_once_map_is_up() -> None:
    """In the map's fragment: the map's first report reruns the whole page, to draw the rest."""
    if st.session_state.get(MAP_REPORTED) and not st.session_state.get(CHROME_DRAWN):
        st.rerun(scope="app")


def placeholder() -> None:
    """What the sidebar shows until the map is up (and a timer, should the map never report)."""
    st.sidebar.header("Filters")
    st.sidebar.caption("The filters appear as soon as the map is drawn.")
    _fallback()


@st.fragment(run_every=FALLBACK_SECONDS)
def _fallback() -> None:
    """If the map has not reported a couple of seconds after the first run (its frame failed to
    load, say), draw the filters anyway. Not called once they are drawn, so the timer stops."""
    if st.session_state.get(FALLBACK_ARMED) and not st.session_state.get(CHROME_DRAWN):
        st.session_state[MAP_REPORTED] = True
        st.rerun(scope="app")
    st.session_state[FALLBACK_ARMED] = True
