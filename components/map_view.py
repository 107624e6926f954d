"""The explorer's map: the base map is fixed per basemap, the layers come as feature groups.

The map reruns the page only for a click (``last_active_drawing``) or a move (``center``,
``zoom``), and a filter or selection change swaps feature groups without re-rendering the map,
so the map does not flash. The code of the base map (per basemap) and of the layers (per filter
set) is generated once and cached (components/folium_component.py), so a rerun costs little.
"""

from __future__ import annotations

import streamlit as st

from atlas.drilldown import split
from atlas.filters import Filtered
from atlas.load import Atlas
from atlas.state import ViewState
from components import folium_component as fc
from components import map_layers as ml
from components import progressive
from components.url_state import update_view
from geo.web import web_geojson

MAP_KEY = "atlas_map"
RETURNED = ["last_active_drawing", "center", "zoom"]
SELECT_ZOOM = {"ic": 8, "z": 8, "ev": 7, "org": 8, "pl": 8}


def cluster_points(atlas: Atlas, df) -> list[dict]:
    tax = atlas.taxonomy
    return [{"kind": "ic", "id": r["id"], "lat": r["lat"], "lon": r["lon"],
             "colour": tax.colour(r["sector"]),
             "label": ml.label_text(r["industry"], r["name_en"])}
            for r in df.to_dict("records")]


def zone_sector(cell) -> str:
    """The sector a zone is coloured by (its first; "" when the documents name none)."""
    return (split(cell if cell == cell else "") or [""])[0]


def zone_points(atlas: Atlas, df) -> list[dict]:
    tax = atlas.taxonomy
    return [{"kind": "z", "id": r["id"], "lat": r["lat"], "lon": r["lon"],
             "colour": tax.colour(zone_sector(r["sectors"])),
             "label": ml.label_text(r["name_en"], r.get("city_en", ""))}
            for r in df.to_dict("records") if r["lat"] == r["lat"]]


def cooperation_points(atlas: Atlas, events, orgs) -> list[dict]:
    pts = [{"kind": "ev", "id": r["id"], "lat": r["lat"], "lon": r["lon"], "colour": "#1F2933",
            "label": ml.label_text(r["title"], r.get("date_text", ""), r.get("city_en", ""))}
           for r in events.to_dict("records")]
    pts += [{"kind": "org", "id": r["id"], "lat": r["lat"], "lon": r["lon"], "colour": "#6B7785",
             "label": ml.label_text(r["name"], r.get("city_en", ""))}
            for r in orgs.to_dict("records") if r["category"] == "eu_support"]
    return pts


def province_shading(atlas: Atlas, filtered: Filtered) -> dict:
    counts = filtered.clusters["adcode"].str[:2].value_counts().to_dict()
    fc = web_geojson("province")
    top = max(counts.values(), default=1)
    for f in fc["features"]:
        p = f["properties"]
        n = counts.get(p["adcode"][:2], 0)
        p.update(kind="province", id=p["adcode"], n=n, share=n / top,
                 label=ml.label_text(p["name_zh"], f"{n} industrial clusters"))
    return fc


def province_style(feature: dict) -> dict:
    share = feature["properties"]["share"]
    return {"color": "#8A99A8", "weight": 0.5, "fillColor": "#B45F06",
            "fillOpacity": 0.05 + 0.45 * share if share else 0.0}


def data_groups(atlas: Atlas, filtered: Filtered, view: ViewState) -> list:
    """The explorer's layers for the filtered atlas, bottom to top (without the selection ring)."""
    groups = []
    # Points sharing a seat (across layers: a zone and an EEN office in one city) are fanned out.
    points = ml.spread_colocated(
        (cluster_points(atlas, filtered.clusters) if "clusters" in view.layers else [])
        + (zone_points(atlas, filtered.zones) if "zones" in view.layers else [])
        + (cooperation_points(atlas, filtered.events, filtered.organisations)
           if "cooperation" in view.layers else []))
    by_kind = {k: [p for p in points if p["kind"] in k] for k in (("ic",), ("z",), ("ev", "org"))}
    if "provinces" in view.layers:
        groups.append(ml.polygon_layer("Province shading", province_shading(atlas, filtered),
                                       province_style))
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
    groups.append(ml.legend_layer([(tax.colour(s), tax.label(s)) for s in tax.order if s in shown], view.layers,
                                  unsectored))
    return groups


def layers_key(atlas: Atlas, filtered: Filtered, view: ViewState) -> tuple:
    """What the data layers show: equal keys, equal layers (so their code can be reused)."""
    ids = tuple(tuple(df["id"]) for df in (filtered.clusters, filtered.zones, filtered.city_clusters,
                                           filtered.events, filtered.organisations))
    return id(atlas), ids, view.layers, bool(view.city_clusters)


def _ring_key(selection: dict | None) -> tuple | None:
    if not selection:
        return None
    return selection.get("title"), selection.get("lat"), selection.get("lon"), selection.get("geometry") is not None


def _on_map_event() -> None:
    """A click selects what was clicked; a move records the view for the URL. The first event
    is the map's own report that it is up."""
    progressive.map_reported()
    state = st.session_state.get(MAP_KEY) or {}
    drawing = state.get("last_active_drawing") or {}
    props = drawing.get("properties") or {}
    changes = {}
    token = (props.get("kind"), props.get("id"))
    if props.get("kind") in ("ic", "cc", "z", "ev", "org") and token != st.session_state.get("_last_click"):
        st.session_state["_last_click"] = token
        changes["sel"] = st.session_state["_last_click_sel"] = f"{props['kind']}:{props['id']}"
    center, zoom = state.get("center"), state.get("zoom")
    if center and zoom:
        changes.update(lat=round(center["lat"], 4), lon=round(center["lng"], 4), zoom=int(zoom))
    if changes:
        update_view(**changes)


def render_map(atlas: Atlas, filtered: Filtered, view: ViewState, selection: dict | None,
               request: tuple | None, height: int = 620, key: str = MAP_KEY,
               extra_groups: list | None = None, interactive: bool = True) -> None:
    """The atlas map. Other pages pass their own ``key`` (and ``interactive=False`` when a click
    should not change the explorer's selection) and may add their own feature groups on top."""
    code = fc.map_code(lambda: ml.base_map(view.basemap), view.basemap)
    layers, n = fc.cached_layers_code(layers_key(atlas, filtered, view),
                                      lambda: data_groups(atlas, filtered, view))
    ring, _ = fc.cached_layers_code(("ring", _ring_key(selection)), lambda: [ml.highlight_layer(selection)],
                                    start=n)
    layers += ring
    if extra_groups:
        layers += fc.layers_code(list(extra_groups), start=n + 1)
    center = zoom = None
    if request:
        center, zoom = (request[0], request[1]), request[2]
    fc.show_map(code, layers, key=key, height=height, returned_objects=RETURNED if interactive else [],
                center=center, zoom=zoom, on_change=_on_map_event if interactive else None)
