"""Web-sized geometry for the browser map, served as static files the browser caches.

The province outline and the city-cluster polygons are the same for every visitor and every
filter, so instead of being serialised into the map on each rerun they are written once to
``static/geo/`` (``python -m geo.web``) and fetched by the map (see components/map_layers.py).
They are cut down further than the committed layers (which tests and briefs use).
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pandas as pd
import shapely
from shapely.geometry import MultiPolygon, mapping

from atlas.cache import memoised
from atlas.paths import DATA_DIR, STATIC_DIR
from atlas.place_names import place_pinyin
from geo.boundaries import load_layer, load_seats

WEB_TOLERANCE = {"province": 0.03, "city_cluster": 0.02}
WEB_DECIMALS = 3
MIN_PART_AREA = 0.005  # square degrees (≈ 50 km²): islets invisible at country scale
WEB_DIR = STATIC_DIR / "geo"
WEB_FILES = {"province": "provinces.json", "city_cluster": "city_clusters.json", "place": "places.json"}
# Suffixes a map label leaves off (广州市 → 广州, 延边朝鲜族自治州 → 延边).
UNIT_SUFFIX = re.compile(r"(特别行政区|自治州|地区|林区|盟|市)$")
# Capitals whose usual English name is not their pinyin (the names English-language atlases and
# encyclopaedias use, e.g. Wikipedia's article titles).
ENGLISH_NAMES = {
    "呼和浩特": "Hohhot",
    "哈尔滨": "Harbin",
    "拉萨": "Lhasa",
    "西安": "Xi'an",
    "乌鲁木齐": "Urumqi",
    "香港": "Hong Kong",
    "澳门": "Macao",
}
ETHNIC_SUFFIX = re.compile(r"(朝鲜|土家|苗|白|彝|哈尼|壮|傣|景颇|傈僳|藏|回|蒙古|羌|布依|侗|柯尔克孜|哈萨克)族?$")
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
        features.append(
            {
                "type": "Feature",
                "properties": {"adcode": rec["adcode"], "name_zh": rec["name_zh"]},
                "geometry": mapping(web_geometry(rec["geometry"], "province")),
            }
        )
    return {"type": "FeatureCollection", "features": features}


def city_cluster_collection(data_dir: Path = DATA_DIR) -> dict:
    """City clusters with what the map needs: id for clicks, an escaped label, the tier."""
    attrs = pd.read_csv(data_dir / "city_clusters.csv", dtype=str, keep_default_na=False).set_index("id")
    features = []
    for rec in load_layer("city_cluster").to_dict("records"):
        a = attrs.loc[rec["id"]]
        label = html.escape(f"{a['name_en']} · {a['tier'].replace('_', '-')} city cluster")
        props = {"kind": "cc", "id": rec["id"], "tier": a["tier"], "label": label}
        features.append(
            {"type": "Feature", "properties": props, "geometry": mapping(web_geometry(rec["geometry"], "city_cluster"))}
        )
    return {"type": "FeatureCollection", "features": features}


def short_name(name_zh: str) -> str:
    """A prefecture-level unit's name as a map label says it: without 市, 地区, 盟 or 自治州 and
    the peoples an autonomous prefecture is named after."""
    short = UNIT_SUFFIX.sub("", name_zh)
    while (shorter := ETHNIC_SUFFIX.sub("", short)) != short and len(shorter) >= 2:
        short = shorter
    return short


def place_collection() -> dict:
    """Map labels from our own division seats: every prefecture-level unit (rank 2) and the
    provincial capitals (rank 1: the prefecture whose seat is nearest its province's seat)."""
    seats = load_seats()
    seats = seats[seats["lon"] != ""].astype({"lat": float, "lon": float})
    levels = seats["levels"].str.split(";")
    prefectures = seats[levels.map(lambda v: "prefecture" in v) & ~seats["name_zh"].str.endswith("县")]
    prefectures = prefectures[prefectures["name_zh"] != "台湾省"]  # no divisions of it in our data
    capitals = set(prefectures.loc[prefectures["level"] == "province", "adcode"])  # Chongqing
    for prov in seats[seats["level"] == "province"].to_dict("records"):
        same = prefectures[prefectures["province_zh"] == prov["province_zh"]]
        if len(same):
            d = (same["lat"] - prov["lat"]) ** 2 + (same["lon"] - prov["lon"]) ** 2
            capitals.add(same.loc[d.idxmin(), "adcode"])
    features = []
    for rec in prefectures.to_dict("records"):
        rank = 1 if rec["adcode"] in capitals else 2
        short = short_name(rec["name_zh"])
        label = html.escape(f"{ENGLISH_NAMES.get(short) or place_pinyin(short).capitalize()} {short}")
        features.append(
            {
                "type": "Feature",
                "properties": {"adcode": rec["adcode"], "rank": rank, "label": label},
                "geometry": {"type": "Point", "coordinates": [round(rec["lon"], 3), round(rec["lat"], 3)]},
            }
        )
    return {"type": "FeatureCollection", "features": features}


def web_text(collection: dict) -> str:
    return json.dumps(collection, ensure_ascii=False, separators=(",", ":"))


@memoised(4)
def web_geojson_text(level: str) -> str:
    """The same collections in memory, for layers that are styled per request (province shading)."""
    builders = {"province": province_collection, "city_cluster": city_cluster_collection, "place": place_collection}
    return web_text(builders[level]())


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
