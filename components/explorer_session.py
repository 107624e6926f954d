"""The explorer's session: one ExplorerState (atlas/state.py) under one session key, the
sidebar widgets that mirror it, and the callbacks that change it. The only module that reads or
writes the explorer's session keys; the page and the map component call these functions.
"""

from __future__ import annotations

import streamlit as st

from atlas import kinds
from atlas import state as es
from atlas.cache import per_atlas
from atlas.drilldown import detail
from atlas.kinds import dataset_keys
from atlas.load import Atlas
from atlas.state import ExplorerState, Known
from components import page_state
from components.data_access import get_atlas
from geo.boundaries import load_seats

STATE = "explorer"
NOTICE = "explorer_notice"
# View field -> sidebar widget key: a view changed elsewhere (a link, an address, "Clear filters")
# is what the widgets show on the next run.
WIDGETS = {
    "sectors": "f_sectors",
    "priority": "f_priority",
    "provinces": "f_provinces",
    "city_clusters": "f_cc",
    "q": "f_q",
    "basemap": "f_basemap",
    "layers": "f_layers",
}


def known_values(atlas: Atlas) -> Known:
    """What an address may name, from the data and the registered kinds (once per Atlas and set
    of kinds, for all sessions)."""
    return per_atlas(atlas, f"explorer.known_values.{','.join(kinds.KINDS)}", _known_values)


def _known_values(a: Atlas) -> Known:
    seats = load_seats()
    places = seats[seats["level"].isin(["prefecture", "county"]) & (seats["lon"] != "")]
    selectable = dataset_keys(a) | {f"pl:{c}" for c in places["adcode"]}
    return Known(
        sectors=frozenset(a.taxonomy.order),
        priority=frozenset(a.taxonomy.priority.index),
        provinces=frozenset(seats.loc[seats["level"] == "province", "adcode"]),
        city_clusters=frozenset(a.city_clusters["id"]),
        selectable=frozenset(selectable),
    )


def locate(atlas: Atlas, key: str) -> tuple[float, float] | None:
    d = detail(atlas, key)
    return (d.lat, d.lon) if d and d.lat is not None else None


def _put(new: ExplorerState) -> None:
    old: ExplorerState | None = st.session_state.get(STATE)
    st.session_state[STATE] = new
    for field, key in WIDGETS.items():
        value = getattr(new.view, field)
        if old is None or getattr(old.view, field) != value:
            st.session_state[key] = list(value) if isinstance(value, tuple) else value


def current(atlas: Atlas) -> ExplorerState:
    """This run's state: read from the address on a session's first run (a shared link opens a
    new session) or when a link from another page carries a view; after that the session's state
    is the truth and the address only mirrors it."""
    if STATE not in st.session_state or page_state.arrived_by_link():
        params = {k: v for k, v in page_state.raw_params().items() if k != page_state.NAV_KEY}
        new, note = es.from_url(params, known_values(atlas), lambda key: locate(atlas, key))
        st.session_state.pop(STATE, None)
        _put(new)
        st.session_state[NOTICE] = note
    return st.session_state[STATE]


def notice() -> str | None:
    """What the address that opened the view had that was ignored (until the user acts)."""
    return st.session_state.get(NOTICE)


def _apply(transition, *args, **kwargs) -> None:
    st.session_state[NOTICE] = None
    _put(transition(st.session_state[STATE], *args, **kwargs))


# --- callbacks -------------------------------------------------------------------------------


def select(key: str) -> None:
    """Select from outside the map (panel link, search hit, example): pan to it."""
    _apply(es.select, key, locate(get_atlas(), key))


def select_row(table_key: str, keys: tuple[str, ...]) -> None:
    """A row chosen in the list of what the map shows (st.dataframe's selection): select its place."""
    rows = st.session_state[table_key].selection.rows
    if rows and 0 <= rows[0] < len(keys):
        select(keys[rows[0]])


def clear() -> None:
    _apply(es.clear)


def clear_filters() -> None:
    _apply(es.set_filters, sectors=(), priority=(), provinces=(), city_clusters=(), q="")


def widget_changed(field: str) -> None:
    """A sidebar widget's on_change: its value becomes part of the view."""
    value = st.session_state[WIDGETS[field]]
    if field == "layers":
        value = tuple(v for v in kinds.layer_codes() if v in (value or ()))
    elif isinstance(getattr(st.session_state[STATE].view, field), tuple):
        value = tuple(value or ())
    _apply(es.set_filters, **{field: value})


def show_filters() -> None:
    _put(es.show_filters(st.session_state[STATE]))


def map_changed(map_key: str) -> None:
    """The map's on_change: streamlit-folium stored its returned objects under ``map_key``."""
    before: ExplorerState = st.session_state[STATE]
    after = es.on_map_event(before, map_key, st.session_state.get(map_key))
    if after.view.sel != before.view.sel or after.clicked != before.clicked:
        st.session_state[NOTICE] = None
    _put(after)


def write_url(s: ExplorerState) -> None:
    page_state.write(es.to_url(s))
