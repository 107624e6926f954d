"""Keep the explorer's view in the URL: read it once per session, write it on every run."""

from __future__ import annotations

import streamlit as st

from atlas.load import Atlas
from atlas.state import Known, ViewState, parse_params, to_params

SESSION_VIEW = "_view"
SESSION_NOTICES = "_url_notices"


@st.cache_resource(show_spinner=False)
def known_values(_atlas: Atlas) -> Known:
    a = _atlas
    selectable = (
        {f"ic:{i}" for i in a.clusters["id"]}
        | {f"cc:{i}" for i in a.city_clusters["id"]}
        | {f"z:{i}" for i in a.zones["id"]}
        | {f"ev:{i}" for i in a.events["id"]}
        | {f"org:{i}" for i in a.organisations["id"]}
    )
    from geo.boundaries import load_seats

    seats = load_seats()
    places = seats[seats["level"].isin(["prefecture", "county"]) & (seats["lon"] != "")]
    selectable |= {f"pl:{c}" for c in places["adcode"]}
    provinces = frozenset(seats.loc[seats["level"] == "province", "adcode"])
    return Known(
        sectors=frozenset(a.taxonomy.order),
        priority=frozenset(a.taxonomy.priority.index),
        provinces=provinces,
        city_clusters=frozenset(a.city_clusters["id"]),
        selectable=frozenset(selectable),
    )


SESSION_FROM_URL = "_view_from_url"
SESSION_PARSED = "_view_just_parsed"  # set when this run took the view from the URL
NAV_KEY = "nav"  # one-shot marker on links from other pages: "take the view from this URL"


def map_link_params(**filters: str) -> dict[str, str]:
    """Query parameters for st.page_link("app.py", query_params=...) that open the map with filters,
    e.g. map_link_params(sector="automotive") or map_link_params(sel="ic:IC048")."""
    return {**{k: v for k, v in filters.items() if v}, NAV_KEY: "1"}


# View field -> sidebar widget key, so a view changed elsewhere (a link, a URL, "clear filters")
# is what the widgets show on the next run.
FIELD_WIDGETS = {"sectors": "f_sectors", "priority": "f_priority", "provinces": "f_provinces",
                 "city_clusters": "f_cc", "q": "f_q", "basemap": "f_basemap"}


def sync_widgets(view: ViewState, fields=None) -> None:
    from atlas.state import LAYERS

    for field, key in FIELD_WIDGETS.items():
        if fields is None or field in fields:
            value = getattr(view, field)
            st.session_state[key] = list(value) if isinstance(value, tuple) else value
    if fields is None or "layers" in fields:
        st.session_state["f_layers"] = [layer for layer in LAYERS if layer in view.layers]


def map_link(label: str, **filters: str) -> None:
    """A link that opens the explorer filtered to this (sector=…, cc=…, sel=…). A page run on its
    own (AppTest.from_file) has no app.py registered; it gets a plain link with the same query."""
    from urllib.parse import urlencode

    from streamlit.errors import StreamlitPageNotFoundError

    from components.text import md

    params = map_link_params(**filters)
    try:
        st.page_link("app.py", label=md(label), icon="🗺️", query_params=params)
    except StreamlitPageNotFoundError:
        st.markdown(f"[{md(label)}](/?{urlencode(params)})")


def current_view(atlas: Atlas, page_keys: frozenset[str] = frozenset()) -> ViewState:
    """The view for this run: parsed from the URL on a session's first run (a pasted or shared
    link opens a new session) or when another page asks for it; after that the session's view
    is the truth and the URL only mirrors it. (Comparing with the URL on every run would race
    with the browser, which applies our URL updates asynchronously.)"""
    params = st.query_params.to_dict()
    from_link = params.pop(NAV_KEY, None) == "1"
    if SESSION_VIEW not in st.session_state or st.session_state.pop(SESSION_FROM_URL, False) or from_link:
        view, notices = parse_params(params, known_values(atlas), page_keys)
        st.session_state[SESSION_VIEW] = view
        st.session_state[SESSION_NOTICES] = notices
        st.session_state[SESSION_PARSED] = True
        sync_widgets(view)
    return st.session_state[SESSION_VIEW]


def open_map_with(params: dict[str, str]) -> None:
    """From another page: show the map with these URL parameters (e.g. a sector filter)."""
    st.session_state[SESSION_FROM_URL] = True
    st.switch_page("app.py", query_params=params)


def update_view(**changes) -> None:
    """For widget callbacks: change part of the view (e.g. the selection)."""
    st.session_state[SESSION_VIEW] = st.session_state[SESSION_VIEW].with_(**changes)
    sync_widgets(st.session_state[SESSION_VIEW], set(changes) - {"sel", "lat", "lon", "zoom"})


def write_url(view: ViewState) -> None:
    """Mirror the view into the address bar so a copied URL restores it."""
    wanted = to_params(view)
    if st.query_params.to_dict() != wanted:
        st.query_params.from_dict(wanted)


def show_notices(consume: bool = True) -> None:
    """Notices about the URL; ``consume=False`` leaves them for the next run to show again."""
    notices = st.session_state.pop(SESSION_NOTICES, []) if consume else st.session_state.get(SESSION_NOTICES, [])
    for notice in notices:
        st.info(notice, icon="ℹ️")
