"""Fill the points of every located record from division seats, and the spatial joins.

Run after editing a data file: ``python -m geo.geolocate``. It rewrites only the
``lat``, ``lon``, ``location_source`` and ``city_cluster`` cells; rows whose
location_method is ``cited`` keep the coordinates typed from their cited page, and
``gazetteer`` rows take their GeoNames place's point (``geo.gazetteer`` matched it).
Tests re-derive the same values, so a stale file fails CI.
"""

from __future__ import annotations

import csv
from pathlib import Path

import geopandas as gpd
import pandas as pd
from shapely.geometry import Point

from atlas.paths import DATA_DIR, GEO_DIR
from geo.boundaries import load_layer, load_seats
from geo.gazetteer import load_places

LOCATED_FILES = (
    "industrial_clusters.csv",
    "zones.csv",
    "cooperation/events.csv",
    "cooperation/organisations.csv",
)
CITY_CLUSTER_FILES = LOCATED_FILES
SEAT_METHODS = {"county_seat", "prefecture_seat", "province_seat"}


class GeolocationError(ValueError):
    pass


def seat_point(row: dict, seats: pd.DataFrame) -> tuple[float, float, str]:
    """(lat, lon, source) of the seat a row's location_method asks for."""
    code = row["adcode"]
    method = row["location_method"]
    if method == "province_seat":
        code = code[:2] + "0000"
    for candidate in (code, row.get("adcode_2010", "")):
        if candidate and candidate in seats.index and seats.at[candidate, "lon"] != "":
            rec = seats.loc[candidate]
            label = f"seat of {rec['name_zh']} ({candidate})"
            return float(rec["lat"]), float(rec["lon"]), f"{label}: {rec['seat_source']}"
    raise GeolocationError(f"no seat known for {code}; give a cited point instead")


def gazetteer_point(row: dict, places: dict[str, dict]) -> tuple[float, float, str]:
    """(lat, lon, source) of the GeoNames place a ``gazetteer`` row names."""
    place = places.get(row.get("geonames_id", ""))
    if place is None:
        raise GeolocationError(f"GeoNames place {row.get('geonames_id')!r} unknown; run python -m geo.gazetteer")
    zh = place["names_zh"].split(";")[-1]
    label = f"GeoNames {place['geonames_id']} {place['name']} ({zh}), {place['source']}, {place['licence']}"
    return float(place["lat"]), float(place["lon"]), label


def city_clusters_at(lat: float, lon: float, polygons: gpd.GeoDataFrame) -> str:
    """';'-joined ids of the city clusters containing the point (members may overlap)."""
    pt = Point(lon, lat)
    hits = polygons[polygons.geometry.contains(pt)]["id"].tolist()
    return ";".join(sorted(hits))


def locate_rows(
    rows: list[dict], seats: pd.DataFrame, polygons: gpd.GeoDataFrame | None, places: dict[str, dict] | None = None
) -> list[dict]:
    places = load_places() if places is None else places
    out = []
    for i, row in enumerate(rows, start=1):
        row = dict(row)
        method = row.get("location_method", "")
        if method in SEAT_METHODS or method == "gazetteer":
            try:
                lat, lon, source = gazetteer_point(row, places) if method == "gazetteer" else seat_point(row, seats)
            except GeolocationError as exc:
                raise GeolocationError(f"row {i} ({row.get('id')}): {exc}") from None
            row["lat"], row["lon"], row["location_source"] = f"{lat:.5f}", f"{lon:.5f}", source
        if polygons is not None and "city_cluster" in row:
            has_point = row.get("lat") and row.get("lon")
            row["city_cluster"] = city_clusters_at(float(row["lat"]), float(row["lon"]), polygons) if has_point else ""
        out.append(row)
    return out


def geolocate_file(path: Path, seats: pd.DataFrame, polygons: gpd.GeoDataFrame | None) -> int:
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        fieldnames = list(reader.fieldnames or [])
        rows = list(reader)
    located = locate_rows(rows, seats, polygons)
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=fieldnames, lineterminator="\n")
        writer.writeheader()
        writer.writerows(located)
    return len(located)


def main(data_dir: Path = DATA_DIR, geo_dir: Path = GEO_DIR) -> None:
    seats = load_seats(geo_dir).set_index("adcode")
    cc_path = geo_dir / "city_clusters.geojson"
    polygons = load_layer("city_cluster", geo_dir) if cc_path.exists() else None
    for name in LOCATED_FILES:
        path = data_dir / name
        if path.exists():
            n = geolocate_file(path, seats, polygons if name in CITY_CLUSTER_FILES else None)
            print(f"{name}: {n} rows located")
    if data_dir == DATA_DIR:  # the committed files changed: record them (tests/test_data_corruption.py)
        from atlas import manifest

        print(f"{manifest.write().name} written")


if __name__ == "__main__":
    main()
