"""The atlas map, drawn with st_folium's documented arguments only.

The base map (outline, optional tiles) is the same on every run, so streamlit-folium keeps the
map it has drawn; everything that filters and selection change is handed over as feature groups
(``feature_group_to_add``), which it swaps without reloading the map, and a pan is asked for with
``center`` and ``zoom``. The map reruns the page only for a click or a move (``returned_objects``).

What a run costs is kept small for a room clicking at once: the layers for a filter set and the
ring for a selection are worked out once for all sessions (LayerSpec, shared) and each run only
makes fresh folium objects from them; the map is rendered once per run (``render=False``: st_folium
renders the map itself, the figure around it is not needed).
"""

from __future__ import annotations

from collections.abc import Callable

from streamlit_folium import st_folium

from atlas import kinds
from atlas.cache import Shared, per_atlas
from atlas.drilldown import Detail
from atlas.filters import Filtered
from atlas.load import Atlas
from atlas.state import Pan, ViewState
from atlas.text import split
from components import map_layers as ml
from geo.web import web_geojson

MAP_KEY = "atlas_map"
# A click comes back as the clicked object (its kind and id) with streamlit-folium's click
# counter, so a second click on the same marker is still news; a pan or zoom as centre and zoom.
RETURNED = ["last_object_clicked_count", "last_active_drawing", "center", "zoom"]


def first_sector(cell) -> str:
    """The sector a point is coloured by: the first its cell names ("" when the documents name none)."""
    return (split(cell if cell == cell else "") or [""])[0]


def colour_of(atlas: Atlas, marker: kinds.Marker, row: dict) -> str:
    """A marker's colour rule (atlas/kinds.py Marker.colour) applied to a row."""
    rule, _, column = marker.colour.partition(":")
    return atlas.taxonomy.colour(first_sector(row.get(column, ""))) if rule == "sector" else marker.colour


def kind_points(atlas: Atlas, kind: kinds.Kind, rows) -> list[dict]:
    """The kind's rows that its marker draws, as points (kind, id, position, colour, tooltip)."""
    m = kind.marker
    return [
        {
            "kind": kind.code,
            "id": r["id"],
            "lat": r["lat"],
            "lon": r["lon"],
            "colour": colour_of(atlas, m, r),
            "label": ml.label_text(*(str(r.get(c) or "") for c in m.label)),
        }
        for r in rows
        if m.shows(r)
    ]


def marked_kinds() -> tuple[kinds.Kind, ...]:
    return tuple(k for k in kinds.KINDS.values() if k.marker is not None and k.dataset)


def all_points(atlas: Atlas) -> dict[str, dict[str, dict]]:
    """Every point the map can show, by table and id, made once per Atlas: a filter only picks.
    Kept per registry too: a kind registered later has points of its own."""

    def build(a: Atlas) -> dict[str, dict[str, dict]]:
        tables = {k.dataset: kind_points(a, k, a.records(k.dataset)) for k in marked}
        return {name: {p["id"]: p for p in points} for name, points in tables.items()}

    marked = marked_kinds()
    return per_atlas(atlas, "map_points:" + ",".join(k.code for k in marked), build)


def picked(atlas: Atlas, table: str, ids) -> list[dict]:
    """The mapped points of ``table`` among ``ids``, in their order."""
    points = all_points(atlas)[table]
    return [points[i] for i in ids if i in points]


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


def _point_layer(layer: kinds.Layer, points: list[dict]) -> ml.LayerSpec:
    """A layer's points, one marker shape per kind (atlas/kinds.py Marker)."""
    shapes = {k.code: k.marker for k in kinds.kinds_of(layer.code) if k.marker is not None}
    by_style: dict[tuple[str, int], list[dict]] = {}
    for p in points:
        m = shapes[p["kind"]]
        by_style.setdefault((m.shape, m.size), []).append(p)
    return ml.marker_layer(layer.toggle, by_style)


def _legend(atlas: Atlas, filtered: Filtered, view: ViewState) -> ml.LayerSpec:
    """Rows for the sectors the shown markers are coloured by, one for markers of a kind with no
    sector named, then each shown layer's own rows."""
    tax = atlas.taxonomy
    shown: set[str] = set()
    unsectored = []
    for k in marked_kinds():
        if k.layer.code not in view.layers or not k.marker.colour.startswith("sector:"):
            continue
        column = k.marker.colour.partition(":")[2]
        firsts = {first_sector(r.get(column, "")) for r in filtered.table(k.dataset).to_dict("records")}
        shown |= firsts - {""}
        if "" in firsts:
            unsectored.append((k.marker.shape, tax.colour(""), f"{k.label} with no sector named"))
    return ml.legend_layer(
        [(tax.colour(s), tax.label(s)) for s in tax.order if s in shown],
        unsectored,
        [row for layer in kinds.layers() if layer.code in view.layers for row in layer.legend],
    )


def _data_layers(atlas: Atlas, filtered: Filtered, view: ViewState) -> list[ml.LayerSpec]:
    """The layers on (atlas/kinds.py: areas and shading below, markers above), then the legend."""
    shown = [layer for layer in kinds.layers() if layer.code in view.layers]
    # Points sharing a seat (across layers: a zone and an EEN office in one city) are fanned out.
    points = ml.spread_colocated(
        [
            p
            for layer in shown
            if layer.draw == "points"
            for k in kinds.kinds_of(layer.code)
            if k.marker is not None and k.dataset in filtered.tables
            for p in picked(atlas, k.dataset, filtered.table(k.dataset)["id"])
        ]
    )
    layers = []
    if any(layer.draw == "province_shading" for layer in shown):
        layers.append(ml.polygon_layer("Province shading", province_shading(atlas, filtered), province_style))
    if any(layer.draw == "city_cluster_areas" for layer in shown):
        only = sorted(filtered.city_clusters["id"]) if view.city_clusters else None
        layers.append(ml.city_cluster_layer(only))
    for layer in shown:
        if layer.draw == "points":
            codes = {k.code for k in kinds.kinds_of(layer.code)}
            layers.append(_point_layer(layer, [p for p in points if p["kind"] in codes]))
    layers.append(_legend(atlas, filtered, view))
    return layers


LAYERS = Shared(64)  # layers per filter set, for every session
RINGS = Shared(256)  # the selection's mark per selected item, for every session


def layers_key(atlas: Atlas, filtered: Filtered, view: ViewState) -> tuple:
    """What the data layers show: equal keys, equal layers."""
    return id(atlas), filtered.ids, view.layers, bool(view.city_clusters)


def data_layers(atlas: Atlas, filtered: Filtered, view: ViewState) -> list[ml.LayerSpec]:
    """The explorer's layers for the filtered atlas, bottom to top (without the selection ring)."""
    return LAYERS.get(atlas, layers_key(atlas, filtered, view), lambda: _data_layers(atlas, filtered, view))


def ring_layer(atlas: Atlas, selection: Detail | None) -> ml.LayerSpec:
    """The selection's mark (an empty layer when nothing is selected)."""
    if selection is None:
        return ml.highlight_layer()
    return RINGS.get(
        atlas,
        (selection.kind, selection.id),
        lambda: ml.highlight_layer(selection.lat, selection.lon, selection.geometry),
    )


def render_map(
    atlas: Atlas,
    filtered: Filtered,
    view: ViewState,
    selection: Detail | None,
    pan: Pan | tuple | None,
    height: int = 620,
    key: str = MAP_KEY,
    extra_layers: list[ml.LayerSpec] | None = None,
    on_change: Callable[[str], None] | None = None,
    start: Pan | None = None,
) -> str:
    """The atlas map, through st_folium's documented arguments. ``on_change(map_key)`` is called on
    a map event (the component's value is then in ``st.session_state[map_key]``); without it the
    map reports nothing (other pages' maps that only show). ``pan``: where the map should be, a
    Pan or (lat, lon, zoom). ``extra_layers``: a page's own layers, drawn on top. ``start``: where
    the map is first drawn (the same on every run of a session; None: all of China). Returns the
    map's key."""
    if isinstance(pan, tuple):
        pan = Pan(*pan)
    if pan is not None and pan == start:
        pan = None  # the map is drawn there: asked again, Leaflet moves it by a fraction and reports
    map_key = f"{key}_{view.basemap}"  # a new basemap is a new map (its own click counter)
    layers = data_layers(atlas, filtered, view) + [ring_layer(atlas, selection)] + list(extra_layers or ())
    st_folium(
        ml.base_map(view.basemap, (start.center, start.zoom) if start else None),
        key=map_key,
        height=height,
        use_container_width=True,
        returned_objects=RETURNED if on_change else [],
        center=pan.center if pan else None,
        zoom=pan.zoom if pan else None,
        feature_group_to_add=[layer.group() for layer in layers],
        render=False,
        on_change=(lambda: on_change(map_key)) if on_change else None,
    )
    return map_key
