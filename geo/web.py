"""Web-sized geometry for the browser map, served as static files the browser caches.

The province outline and the city-cluster polygons are the same for every visitor and every
filter, so instead of being serialised into the map on each rerun they are written once to
``static/geo/`` (``python -m geo.web``) and fetched by the map (see components/map_layers.py).
They are cut down further than the committed layers (which tests and briefs use).
"""

from __future__ import annotations

import html
import json
from functools import lru_cache
from pathlib import Path

import pandas as pd
import shapely
from shapely.geometry import MultiPolygon, mapping

from atlas.paths import DATA_DIR, STATIC_DIR
from geo.boundaries import load_layer

WEB_TOLERANCE = {"province": 0.03, "city_cluster": 0.02}
WEB_DECIMALS = 3
MIN_PART_AREA = 0.005  # square degrees (≈ 50 km²): islets invisible at country scale
WEB_DIR = STATIC_DIR / "geo"
WEB_FILES = {"province": "provinces.json", "city_cluster": "city_clusters.json"}
URL_PREFIX = "/app/static/geo/"


def drop_specks(geom):
    """Keep the parts big enough to see at country zoom (always keep the largest)."""
    parts = list(getattr(geom, "geoms", [geom]))
    kept = [p for p in parts if p.area >= MIN_PART_AREA] or [max(parts, key=lambda p: p.area)]
    return MultiPolygon(kept) if len(kept) > 1 else kept[0]


def web_geometry(geom, level: str):
    geom = drop_specks(geom).simplify(WEB_TOLERANCE[level], preserve_topology=True)
    return shapely.set_precision(geom, 10**-WEB_DECIMALS)


def province_collection() -> dict:
    features = []
    for rec in load_layer("province").to_dict("records"):
        features.append({"type": "Feature", "properties": {"adcode": rec["adcode"], "name_zh": rec["name_zh"]},
                         "geometry": mapping(web_geometry(rec["geometry"], "province"))})
    return {"type": "FeatureCollection", "features": features}


def city_cluster_collection(data_dir: Path = DATA_DIR) -> dict:
    """City clusters with what the map needs: id for clicks, an escaped label, the tier."""
    attrs = pd.read_csv(data_dir / "city_clusters.csv", dtype=str, keep_default_na=False).set_index("id")
    features = []
    for rec in load_layer("city_cluster").to_dict("records"):
        a = attrs.loc[rec["id"]]
        label = html.escape(f"{a['name_en']} · {a['tier'].replace('_', '-')} city cluster")
        props = {"kind": "cc", "id": rec["id"], "tier": a["tier"], "label": label}
        features.append({"type": "Feature", "properties": props,
                         "geometry": mapping(web_geometry(rec["geometry"], "city_cluster"))})
    return {"type": "FeatureCollection", "features": features}


def web_text(collection: dict) -> str:
    return json.dumps(collection, ensure_ascii=False, separators=(",", ":"))


@lru_cache(maxsize=4)
def web_geojson_text(level: str) -> str:
    """The same collections in memory, for layers that are styled per request (province shading)."""
    return web_text(province_collection() if level == "province" else city_cluster_collection())


def web_geojson(level: str) -> dict:
    return json.loads(web_geojson_text(level))


def url(level: str) -> str:
    return URL_PREFIX + WEB_FILES[level]


def main() -> None:
    WEB_DIR.mkdir(parents=True, exist_ok=True)
    for level, name in WEB_FILES.items():
        path = WEB_DIR / name
        path.write_text(web_geojson_text(level), encoding="utf-8")
        print(f"{path}: {path.stat().st_size / 1e3:.0f} kB")
    from atlas import manifest  # the committed files changed: record them (tests/test_data_corruption.py)

    print(f"{manifest.write().name} written")


if __name__ == "__main__":
    main()
