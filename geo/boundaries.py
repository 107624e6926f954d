"""Read the committed boundary layers and division seats (built by geo.build_boundaries)."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd

from atlas.cache import memoised
from atlas.paths import GEO_DIR

LAYER_FILES = {
    "province": "provinces.geojson",
    "prefecture": "prefectures.geojson",
    "county": "counties.geojson",
    "city_cluster": "city_clusters.geojson",
}


@memoised(8)
def load_layer(level: str, geo_dir: Path = GEO_DIR) -> gpd.GeoDataFrame:
    """One boundary layer in WGS84; read once per process."""
    gdf = gpd.read_file(geo_dir / LAYER_FILES[level])
    return gdf.set_crs(4326, allow_override=True)


@memoised(2)
def load_seats(geo_dir: Path = GEO_DIR) -> pd.DataFrame:
    """Seat point of every current division (and of former county codes), WGS84."""
    return pd.read_csv(geo_dir / "division_seats.csv", dtype=str, keep_default_na=False)


def current_adcodes(geo_dir: Path = GEO_DIR) -> frozenset[str]:
    seats = load_seats(geo_dir)
    return frozenset(seats.loc[seats["level"] != "former_county", "adcode"])


def division_name(adcode: str, geo_dir: Path = GEO_DIR) -> str:
    seats = load_seats(geo_dir).set_index("adcode")
    return seats.at[adcode, "name_zh"] if adcode in seats.index else ""


@memoised(2)
def china_outline(geo_dir: Path = GEO_DIR):
    """China's outline (union of provinces, ≈2 km margin), prepared for fast point tests."""
    import shapely

    geom = shapely.union_all(load_layer("province", geo_dir).geometry.values).buffer(0.02)
    shapely.prepare(geom)
    return geom
