"""streamlit-folium's component, fed with map and layer code that is generated once and cached.

``st_folium`` turns the folium objects into JavaScript on every call (tens of milliseconds of
template rendering per rerun, before the browser sees anything). The base map is the same for a
given basemap and the layers are the same for a given filter set, so their code is built once
here and handed to the same frontend component ``st_folium`` uses, with the same arguments
(tests/test_explorer_logic.py checks the payload against what ``st_folium`` itself sends).
streamlit-folium is pinned in requirements.txt because this leans on its helper functions.
"""

from __future__ import annotations

from typing import Callable

import folium
import streamlit as st
import streamlit_folium as sf


@st.cache_resource(show_spinner=False, max_entries=8)
def map_code(_build: Callable[[], folium.Map], name: str) -> dict:
    """The base map's script, header, html and asset links, once per ``name`` (e.g. a basemap)."""
    m = _build()
    m.get_root().render()
    m.render()
    html, header = sf._get_html(m), sf._get_header(m)
    script = sf._get_map_string(m)
    css, js = [], []
    for elem in _walk(m):
        css.extend(href for _, href in getattr(elem, "default_css", []))
        js.extend(src for _, src in getattr(elem, "default_js", []))
    return {"script": script, "header": header, "html": html, "id": sf.get_full_id(m),
            "css_links": list(dict.fromkeys(css)), "js_links": list(dict.fromkeys(js)),
            "defaults": _defaults(m)}


def _defaults(m: folium.Map) -> dict:
    """The component's value before any interaction (st_folium's, for every returnable object)."""
    (s, w), (n, e) = m.get_bounds()
    bounds = {"_southWest": {"lat": s, "lng": w}, "_northEast": {"lat": n, "lng": e}}
    empty = ("last_clicked", "last_object_clicked", "last_object_clicked_count", "last_object_clicked_tooltip",
             "last_object_clicked_popup", "all_drawings", "last_active_drawing", "last_circle_radius",
             "last_circle_polygon", "selected_layers", "selected_tags", "last_geocoder_result")
    return {**dict.fromkeys(empty), "bounds": bounds, "zoom": m.options.get("zoom")}


def _walk(element):
    if isinstance(element, folium.elements.JSCSSMixin):
        yield element
    for child in getattr(element, "_children", {}).values():
        yield from _walk(child)


def layers_code(groups: list[folium.FeatureGroup], start: int = 0) -> str:
    """Feature groups as the code the component evaluates (numbered from ``start``). They are
    attached to a throwaway map: the cached base map is shared by every session."""
    host = folium.Map(tiles=None)
    return "".join(sf._get_feature_group_string(g, map=host, idx=start + i) for i, g in enumerate(groups))


@st.cache_resource(show_spinner=False, max_entries=64)
def cached_layers_code(key: tuple, _build: Callable[[], list[folium.FeatureGroup]],
                       start: int = 0) -> tuple[str, int]:
    """layers_code, and how many groups, for the layers identified by ``key`` (what is in them,
    not how it was asked for)."""
    groups = _build()
    return layers_code(groups, start), len(groups)


def show_map(code: dict, layers: str, *, key: str, height: int, returned_objects: list[str],
             center: tuple | None = None, zoom: int | None = None,
             on_change: Callable[[], None] | None = None):
    """Draw the map as st_folium would (same component, same arguments); a map event stores the
    component's value under ``key`` in session state, then calls ``on_change``."""
    hash_key = sf.generate_js_hash(code["script"], key, False)
    defaults = {k: v for k, v in code["defaults"].items() if k in returned_objects}

    def _on_change():
        st.session_state[key] = st.session_state.get(hash_key, {})
        if on_change is not None:
            on_change()

    return sf._component_func(
        script=code["script"], header=code["header"], html=code["html"], id=code["id"], key=hash_key,
        height=height, width=None, returned_objects=returned_objects, default=defaults,
        zoom=zoom, center=center, feature_group=layers, return_on_hover=False, layer_control=None,
        pixelated=False, css_links=code["css_links"], js_links=code["js_links"], on_change=_on_change,
        wrap_longitude=False,
    )
