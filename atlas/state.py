"""The map explorer's state and its transitions, as plain values and functions (no Streamlit).

``ViewState`` is what a shared link restores: filters, layers, basemap, selection, centre and
zoom. ``ExplorerState`` adds what a session needs besides: where the map should pan next, which
selection the last map click made, and streamlit-folium's click counter, so that a click is an
event (clicking the same marker twice opens it twice) rather than a value compared with the last.
components/explorer_session.py keeps one ExplorerState per session and is the only code that
reads or writes it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from atlas import kinds
from atlas.page_params import Param, notice, parse

# The map's layers and which are on by default: atlas/kinds.py (kinds.layer_codes(), kinds.default_layers()).
NO_LAYERS = "none"  # written when every layer is off, read back as no layer
BASEMAPS = ("outline", "tiles")
MAX_QUERY = 80
PAN_NUDGE = 1e-7  # degrees: a repeated pan to the same place differs by this (about 1 cm)


@dataclass(frozen=True)
class Known:
    """The values an address may name, taken from the loaded data."""

    sectors: frozenset[str] = frozenset()
    priority: frozenset[str] = frozenset()
    provinces: frozenset[str] = frozenset()
    city_clusters: frozenset[str] = frozenset()
    selectable: frozenset[str] = frozenset()  # "ic:IC048", "cc:cc_prd", ...


@dataclass(frozen=True)
class ViewState:
    sectors: tuple[str, ...] = ()
    priority: tuple[str, ...] = ()
    provinces: tuple[str, ...] = ()
    city_clusters: tuple[str, ...] = ()
    q: str = ""
    layers: tuple[str, ...] = field(default_factory=kinds.default_layers)
    basemap: str = "outline"
    sel: str = ""
    lat: float | None = None
    lon: float | None = None
    zoom: int | None = None
    extra: dict = field(default_factory=dict, compare=False)  # other pages' own keys

    def with_(self, **changes) -> ViewState:
        return replace(self, **changes)

    @property
    def selection(self) -> tuple[str, str] | None:
        if not self.sel:
            return None
        kind, _, ident = self.sel.partition(":")
        return kind, ident


@dataclass(frozen=True)
class Pan:
    """A move the map should make. ``seq`` grows with every request, so asking twice for the same
    place is still a change the map sees."""

    lat: float
    lon: float
    zoom: int
    seq: int = 0

    @property
    def center(self) -> tuple[float, float]:
        return round(self.lat + self.seq * PAN_NUDGE, 8), self.lon


@dataclass(frozen=True)
class ExplorerState:
    view: ViewState = field(default_factory=ViewState)
    pan: Pan | None = None  # where the map should be; None: where it starts (all of China)
    # Where the map is drawn at first: the view the session opened at (None: all of China). The
    # map then reports that view once drawn, rather than all of China and then the pan to it
    # (a run more, and an address that showed China for a moment).
    start: Pan | None = None
    clicked: str = ""  # the selection the last map click made (no ring, no pan needed)
    map_key: str = ""  # which map instance ``last_click`` counts for
    last_click: int = 0  # streamlit-folium's last_object_clicked_count when last handled
    map_reported: bool = False  # the map has drawn itself and sent its first view


# URL key -> ViewState field, for the multi-valued filters.
LIST_KEYS = {"sector": "sectors", "priority": "priority", "province": "provinces", "cc": "city_clusters"}


def url_params(known: Known) -> list[Param]:
    """The explorer's address parameters, declared once."""
    return [
        Param("sector", "choices", "sector", known.sectors),
        Param("priority", "choices", "priority sector", known.priority),
        Param("province", "choices", "province", known.provinces),
        Param("cc", "choices", "city cluster", known.city_clusters),
        Param("q", "text", "search", max_len=MAX_QUERY),
        Param("layers", "choices", "layer", frozenset(kinds.layer_codes()) | {NO_LAYERS}),
        Param("basemap", "choice", "basemap", frozenset(BASEMAPS)),
        Param("sel", "choice", "selection", known.selectable),
        Param("lat", "float", "latitude", lo=-90, hi=90),
        Param("lon", "float", "longitude", lo=-180, hi=180),
        Param("z", "int", "zoom", lo=1, hi=18),
    ]


def view_from_url(
    params: Mapping[str, str | Iterable[str]], known: Known, page_keys: Iterable[str] = ()
) -> tuple[ViewState, str | None]:
    """Address parameters -> (view, one notice of what was ignored or None). Never raises."""
    page_keys = frozenset(page_keys)
    values, ignored = parse(params, url_params(known), ignore=page_keys)
    view: dict = {LIST_KEYS[k]: v for k, v in values.items() if k in LIST_KEYS}
    if "q" in values:
        view["q"] = values["q"]
    if "layers" in values:
        view["layers"] = tuple(v for v in kinds.layer_codes() if v in values["layers"])
    for key in ("basemap", "sel"):
        if key in values:
            view[key] = values[key]
    position = [k for k in ("lat", "lon", "z") if k in params]
    if position:
        if {"lat", "lon"} <= set(values) and ("z" in values or "z" not in params):
            view.update(lat=round(values["lat"], 4), lon=round(values["lon"], 4), zoom=values.get("z", 5))
        elif {"lat", "lon"} <= set(params):
            ignored.append("the map position")
        else:
            ignored.append("an incomplete map position")
    extra = {k: v for k, v in params.items() if k in page_keys}
    return ViewState(**view, extra=extra), notice(ignored)


def to_params(state: ViewState) -> dict[str, str]:
    """ViewState -> address parameters, leaving out what equals the default view. Every address
    written here is read back by ``view_from_url`` as the same view."""
    out: dict[str, str] = {}
    for key, attr in LIST_KEYS.items():
        if getattr(state, attr):
            out[key] = ",".join(getattr(state, attr))
    if state.q:
        out["q"] = state.q
    if state.layers != kinds.default_layers():
        out["layers"] = ",".join(state.layers) or NO_LAYERS
    if state.basemap != "outline":
        out["basemap"] = state.basemap
    if state.sel:
        out["sel"] = state.sel
    if state.lat is not None and state.lon is not None and state.zoom is not None:
        out.update(lat=f"{state.lat:.4f}", lon=f"{state.lon:.4f}", z=str(state.zoom))
    for key, value in state.extra.items():
        out[key] = value
    return out


# --- transitions -------------------------------------------------------------------------------


def from_url(
    params: Mapping[str, str | Iterable[str]], known: Known, locate=None, page_keys: Iterable[str] = ()
) -> tuple[ExplorerState, str | None]:
    """A session opened from an address. ``locate(sel)`` gives a selection's (lat, lon) or None:
    the map pans to the position the address names, else to the selection."""
    view, note = view_from_url(params, known, page_keys)
    pan = None
    if view.lat is not None:
        pan = Pan(view.lat, view.lon, view.zoom or 5, 1)
    elif view.sel and locate is not None and (at := locate(view.sel)):
        pan = Pan(at[0], at[1], kinds.select_zoom(view.sel), 1)
    return ExplorerState(view=view, pan=pan, start=pan), note


def to_url(state: ExplorerState) -> dict[str, str]:
    return to_params(state.view)


def select(state: ExplorerState, key: str, at: tuple[float, float] | None = None) -> ExplorerState:
    """Select from outside the map (search, panel link, example): the map pans to ``at``."""
    pan = state.pan
    if at is not None:
        zoom = max(state.view.zoom or 4, kinds.select_zoom(key))
        pan = Pan(at[0], at[1], zoom, (state.pan.seq if state.pan else 0) + 1)
    return replace(state, view=state.view.with_(sel=key), clicked="", pan=pan)


def clear(state: ExplorerState) -> ExplorerState:
    return replace(state, view=state.view.with_(sel=""), clicked="")


def set_filters(state: ExplorerState, **changes) -> ExplorerState:
    """A filter, layer, basemap or search change from the sidebar."""
    return replace(state, view=state.view.with_(**changes))


def on_map_move(state: ExplorerState, center: Mapping | None, zoom) -> ExplorerState:
    """The map reports its view (after a pan or zoom, and once when it is first drawn)."""
    state = replace(state, map_reported=True)
    try:
        lat, lon, z = float(center["lat"]), float(center["lng"]), int(zoom)
    except (TypeError, KeyError, ValueError):
        return state
    return replace(state, view=state.view.with_(lat=round(lat, 4), lon=round(lon, 4), zoom=z))


def on_map_click(state: ExplorerState, map_key: str, count, properties: Mapping | None) -> ExplorerState:
    """streamlit-folium counts clicks on map objects; a new count is a click. A click on one of
    our markers or areas selects it, even when it is what is already selected."""
    if not isinstance(count, int) or (map_key == state.map_key and count == state.last_click):
        return state
    state = replace(state, map_key=map_key, last_click=count)
    props = properties or {}
    key = kinds.key_of(str(props.get("kind")), str(props.get("id")))
    if count > 0 and props.get("kind") in kinds.clickable() and props.get("id"):
        state = replace(state, view=state.view.with_(sel=key), clicked=key)
    return state


def on_map_event(state: ExplorerState, map_key: str, value: Mapping | None) -> ExplorerState:
    """What the map component returned (its documented ``returned_objects``)."""
    value = value or {}
    state = on_map_move(state, value.get("center"), value.get("zoom"))
    drawing = value.get("last_active_drawing") or {}
    return on_map_click(state, map_key, value.get("last_object_clicked_count"), drawing.get("properties"))


def show_filters(state: ExplorerState) -> ExplorerState:
    """The user asked for the filters before the map reported (its frame could not load, say)."""
    return replace(state, map_reported=True)
