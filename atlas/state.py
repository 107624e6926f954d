"""The explorer's shareable view: filters, layers, selection, centre and zoom as URL parameters.

A copied URL must restore the same view, and anything odd in a URL (unknown keys,
bad values, markup) is dropped with a short notice rather than raising.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Mapping

LAYERS = ("clusters", "city_clusters", "zones", "cooperation", "provinces")
DEFAULT_LAYERS = ("clusters", "city_clusters", "zones", "cooperation")
BASEMAPS = ("outline", "tiles")
SELECTION_KINDS = {
    "ic": "industrial cluster",
    "cc": "city cluster",
    "z": "zone or park",
    "ev": "event or mission",
    "org": "organisation",
    "pl": "city or county",
}
MAX_QUERY = 80
MAX_NOTICE_VALUE = 40


@dataclass(frozen=True)
class Known:
    """The values a URL may name, taken from the loaded data."""

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
    layers: tuple[str, ...] = DEFAULT_LAYERS
    basemap: str = "outline"
    sel: str = ""
    lat: float | None = None
    lon: float | None = None
    zoom: int | None = None
    extra: dict = field(default_factory=dict, compare=False)  # other pages' own keys

    def with_(self, **changes) -> "ViewState":
        return replace(self, **changes)

    @property
    def selection(self) -> tuple[str, str] | None:
        if not self.sel:
            return None
        kind, _, ident = self.sel.partition(":")
        return kind, ident


# URL key -> ViewState field, for the multi-valued filters.
LIST_KEYS = {"sector": "sectors", "priority": "priority", "province": "provinces", "cc": "city_clusters"}
SCALAR_KEYS = {"q", "layers", "basemap", "sel", "lat", "lon", "z"}


def shown(value: str) -> str:
    """A URL value quoted for a notice: short, and with markdown/markup characters removed."""
    text = re.sub(r"[^\w\s.,:;@/+-]", "", str(value))[:MAX_NOTICE_VALUE]
    return f"“{text}”"


def _split(value) -> list[str]:
    if isinstance(value, (list, tuple)):
        value = ",".join(str(v) for v in value)
    return [v.strip() for v in str(value).split(",") if v.strip()]


def parse_params(params: Mapping[str, object], known: Known,
                 page_keys: frozenset[str] = frozenset()) -> tuple[ViewState, list[str]]:
    """URL parameters -> (view, notices). Never raises on user input."""
    notices: list[str] = []
    values: dict = {}
    extra: dict = {}
    allowed = {"sector": known.sectors, "priority": known.priority,
               "province": known.provinces, "cc": known.city_clusters}
    for key, raw in params.items():
        if key in page_keys:
            extra[key] = raw
        elif key in LIST_KEYS:
            good, bad = [], []
            for v in _split(raw):
                (good if v in allowed[key] else bad).append(v)
            if bad:
                notices.append(f"Ignored unknown {key} {', '.join(shown(b) for b in bad[:3])}.")
            values[LIST_KEYS[key]] = tuple(dict.fromkeys(good))
        elif key == "q":
            values["q"] = str(raw)[:MAX_QUERY]
        elif key == "layers":
            layers = _split(raw)
            bad = [v for v in layers if v not in LAYERS]
            if bad:
                notices.append(f"Ignored unknown layer {', '.join(shown(b) for b in bad[:3])}.")
            values["layers"] = tuple(v for v in LAYERS if v in layers)
        elif key == "basemap":
            if raw in BASEMAPS:
                values["basemap"] = raw
            else:
                notices.append(f"Ignored unknown basemap {shown(raw)}.")
        elif key == "sel":
            if raw in known.selectable:
                values["sel"] = raw
            else:
                notices.append(f"Nothing to select called {shown(raw)}; showing the whole map.")
        elif key in ("lat", "lon", "z"):
            continue  # read together below
        else:
            notices.append(f"Ignored unknown URL parameter {shown(key)}.")
    view = _parse_view(params, notices)
    values.update(view)
    return ViewState(**values, extra=extra), notices


def _parse_view(params: Mapping[str, object], notices: list[str]) -> dict:
    keys = [k for k in ("lat", "lon", "z") if k in params]
    if not keys:
        return {}
    try:
        lat, lon = float(params["lat"]), float(params["lon"])
        zoom = int(float(params.get("z", 5)))
        if not (-90 <= lat <= 90 and -180 <= lon <= 180 and 1 <= zoom <= 18):
            raise ValueError
    except (KeyError, TypeError, ValueError):
        notices.append("Ignored a map position that was incomplete or out of range.")
        return {}
    return {"lat": round(lat, 4), "lon": round(lon, 4), "zoom": zoom}


def to_params(state: ViewState) -> dict[str, str]:
    """ViewState -> URL parameters, leaving out what equals the default view."""
    out: dict[str, str] = {}
    for key, attr in LIST_KEYS.items():
        if getattr(state, attr):
            out[key] = ",".join(getattr(state, attr))
    if state.q:
        out["q"] = state.q
    if state.layers != DEFAULT_LAYERS:
        out["layers"] = ",".join(state.layers) or "none"
    if state.basemap != "outline":
        out["basemap"] = state.basemap
    if state.sel:
        out["sel"] = state.sel
    if state.lat is not None and state.lon is not None and state.zoom is not None:
        out.update(lat=f"{state.lat:.4f}", lon=f"{state.lon:.4f}", z=str(state.zoom))
    for key, value in state.extra.items():
        out[key] = value
    return out
