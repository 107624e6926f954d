"""Web-sized geometry for the browser map: fewer vertices, fewer decimals, fewer properties.

The map sends these to every visitor, so they are cut down further than the committed
layers (which the tests and the briefs use at full build resolution).
"""

from __future__ import annotations

import json
from functools import lru_cache

import shapely
from shapely.geometry import MultiPolygon, mapping

from geo.boundaries import load_layer

WEB_TOLERANCE = {"province": 0.03, "city_cluster": 0.02, "prefecture": 0.01}
WEB_DECIMALS = 3


MIN_PART_AREA = 0.005  # square degrees (≈ 50 km²): islets invisible at country scale


def drop_specks(geom):
    """Keep the parts big enough to see at country zoom (always keep the largest)."""
    parts = list(getattr(geom, "geoms", [geom]))
    kept = [p for p in parts if p.area >= MIN_PART_AREA] or [max(parts, key=lambda p: p.area)]
    return MultiPolygon(kept) if len(kept) > 1 else kept[0]


@lru_cache(maxsize=8)
def web_geojson_text(level: str, properties: tuple[str, ...]) -> str:
    """A compact GeoJSON string (so folium does not re-serialise a large dict each rerun)."""
    gdf = load_layer(level)
    features = []
    for rec in gdf.to_dict("records"):
        geom = drop_specks(rec["geometry"]).simplify(WEB_TOLERANCE[level], preserve_topology=True)
        geom = shapely.set_precision(geom, 10**-WEB_DECIMALS)
        if geom.is_empty:
            continue
        props = {p: rec.get(p) for p in properties}
        features.append({"type": "Feature", "properties": props, "geometry": mapping(geom)})
    return json.dumps({"type": "FeatureCollection", "features": features},
                      ensure_ascii=False, separators=(",", ":"))


def web_geojson(level: str, properties: tuple[str, ...]) -> dict:
    return json.loads(web_geojson_text(level, properties))
