"""The atlas map, drawn with st_folium's documented arguments only.

The base map (outline, optional tiles) is the same on every run, so streamlit-folium keeps the
map it has drawn; everything that filters and selection change is handed over as feature groups
(``feature_group_to_add``), which it swaps without reloading the map, and a pan is asked for with
``center`` and ``zoom``. The map reruns the page only for a click or a move (``returned_objects``).
"""

from __future__ import annotations

from typing import Callable

import streamlit as st
from streamlit_folium import st_folium

from atlas.drilldown import Detail, split
from atlas.filters import Filtered
from atlas.load import Atlas
from atlas.state import Pan, ViewState
from components import map_layers as ml
from geo.web import web_geojson

MAP_KEY = "atlas_map"
# A click comes back as the clicked object (its kind and id) with streamlit-folium's click
# counter, so a second click on the same marker is still news; a pan or zoom as centre and zoom.
RETURNED = ["last_object_clicked_count", "last_active_drawing", "center", "zoom"]


def cluster_points(atlas: Atlas, df) -> list[dict]:
    tax = atlas.taxonomy
    return [
        {
            "kind": "ic",
            "id": r["id"],
            "lat": r["lat"],
            "lon": r["lon"],
            "colour": tax.colour(r["sector"]),
            "label": ml.label_text(r["industry"], r["name_en"]),
        }
        for r in df.to_dict("records")
    ]


def zone_sector(cell) -> str:
    """The sector a zone is coloured by (its first; "" when the documents name none)."""
    return (split(cell if cell == cell else "") or [""])[0]


def zone_points(atlas: Atlas, df) -> list[dict]:
    tax = atlas.taxonomy
    return [
        {
            "kind": "z",
            "id": r["id"],
            "lat": r["lat"],
            "lon": r["lon"],
            "colour": tax.colour(zone_sector(r["sectors"])),
            "label": ml.label_text(r["name_en"], r.get("city_en", "")),
        }
        for r in df.to_dict("records")
        if r["lat"] == r["lat"]
    ]


def cooperation_points(atlas: Atlas, events, orgs) -> list[dict]:
    pts = [
        {
            "kind": "ev",
            "id": r["id"],
            "lat": r["lat"],
            "lon": r["lon"],
            "colour": "#1F2933",
            "label": ml.label_text(r["title"], r.get("date_text", ""), r.get("city_en", "")),
        }
        for r in events.to_dict("records")
    ]
    pts += [
        {
            "kind": "org",
            "id": r["id"],
            "lat": r["lat"],
            "lon": r["lon"],
            "colour": "#6B7785",
            "label": ml.label_text(r["name"], r.get("city_en", "")),
        }
        for r in orgs.to_dict("records")
        if r["category"] == "eu_support"
    ]
    return pts


def province_shading(atlas: Atlas, filtered: Filtered) -> dict:
    counts = filtered.clusters["adcode"].str[:2].value_counts().to_dict()
    fc = web_geojson("province")
    top = max(counts.values(), default=1)
    for f in fc["features"]:
        p = f["properties"]
        n = counts.get(p["adcode"][:2], 0)
        p.update(
            kind="province",
            id=p["adcode"],
            n=n,
            share=n / top,
            label=ml.label_text(p["name_zh"], f"{n} industrial clusters"),
        )
    return fc


def province_style(feature: dict) -> dict:
    share = feature["properties"]["share"]
    return {
        "color": "#8A99A8",
        "weight": 0.5,
        "fillColor": "#B45F06",
        "fillOpacity": 0.05 + 0.45 * share if share else 0.0,
    }


def data_groups(atlas: Atlas, filtered: Filtered, view: ViewState) -> list:
    """The explorer's layers for the filtered atlas, bottom to top (without the selection ring)."""
    groups = []
    # Points sharing a seat (across layers: a zone and an EEN office in one city) are fanned out.
    points = ml.spread_colocated(
        (cluster_points(atlas, filtered.clusters) if "clusters" in view.layers else [])
        + (zone_points(atlas, filtered.zones) if "zones" in view.layers else [])
        + (cooperation_points(atlas, filtered.events, filtered.organisations) if "cooperation" in view.layers else [])
    )
    by_kind = {k: [p for p in points if p["kind"] in k] for k in (("ic",), ("z",), ("ev", "org"))}
    if "provinces" in view.layers:
        groups.append(ml.polygon_layer("Province shading", province_shading(atlas, filtered), province_style))
    if "city_clusters" in view.layers:
        only = sorted(filtered.city_clusters["id"]) if view.city_clusters else None
        groups.append(ml.city_cluster_layer(only))
    if "clusters" in view.layers:
        groups.append(ml.circle_layer("Industrial clusters", by_kind[("ic",)]))
    if "zones" in view.layers:
        groups.append(ml.symbol_layer("Zones and parks", by_kind[("z",)], "atlas-zone"))
    if "cooperation" in view.layers:
        groups.append(ml.symbol_layer("EU-China cooperation", by_kind[("ev", "org")], "atlas-coop"))
    tax = atlas.taxonomy
    shown = set(filtered.clusters["sector"]) if "clusters" in view.layers else set()
    unsectored = None
    if "zones" in view.layers:
        firsts = [zone_sector(s) for s in filtered.zones.dropna(subset=["lat"])["sectors"]]
        shown |= set(firsts) - {""}
        unsectored = tax.colour("") if "" in firsts else None
    groups.append(
        ml.legend_layer([(tax.colour(s), tax.label(s)) for s in tax.order if s in shown], view.layers, unsectored)
    )
    return groups


def layers_key(atlas: Atlas, filtered: Filtered, view: ViewState) -> tuple:
    """What the data layers show: equal keys, equal layers."""
    return id(atlas), filtered.ids, view.layers, bool(view.city_clusters)


def _ring_key(selection: Detail | None) -> tuple | None:
    return (selection.kind, selection.id) if selection else None


def _session_groups(cache_key: str, key: tuple, build) -> list:
    """The folium feature groups for ``key``, built once per session and reused while the
    filters stay the same. Per session, not shared: streamlit-folium renames the groups it is given
    (and their children) for the map it renders, and a group drawn by two sessions' maps was seen to
    reach a browser half renamed (a script error, and the markers deaf to clicks)."""
    cache = st.session_state.setdefault(cache_key, {})
    if key not in cache:
        if len(cache) >= 6:
            cache.pop(next(iter(cache)))
        cache[key] = build()
    return cache[key]


def render_map(
    atlas: Atlas,
    filtered: Filtered,
    view: ViewState,
    selection: Detail | None,
    pan: Pan | tuple | None,
    height: int = 620,
    key: str = MAP_KEY,
    extra_groups: list | None = None,
    on_change: Callable[[str], None] | None = None,
) -> str:
    """The atlas map, through st_folium's documented arguments. ``on_change(map_key)`` is called on
    a map event (the component's value is then in ``st.session_state[map_key]``); without it the
    map reports nothing (other pages' maps that only show). ``pan``: where the map should be, a
    Pan or (lat, lon, zoom). Returns the map's key."""
    if isinstance(pan, tuple):
        pan = Pan(*pan)
    map_key = f"{key}_{view.basemap}"  # a new basemap is a new map (its own click counter)
    groups = _session_groups(
        f"{map_key}_layers", layers_key(atlas, filtered, view), lambda: data_groups(atlas, filtered, view)
    )
    ring = _session_groups(
        f"{map_key}_ring",
        ("ring", _ring_key(selection)),
        lambda: [
            ml.highlight_layer(selection.lat, selection.lon, selection.geometry) if selection else ml.highlight_layer()
        ],
    )
    st_folium(
        ml.base_map(view.basemap),
        key=map_key,
        height=height,
        use_container_width=True,
        returned_objects=RETURNED if on_change else [],
        center=pan.center if pan else None,
        zoom=pan.zoom if pan else None,
        feature_group_to_add=groups + ring + list(extra_groups or ()),
        on_change=(lambda: on_change(map_key)) if on_change else None,
    )
    return map_key
