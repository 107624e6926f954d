"""Build data/geo/city_clusters.geojson: each city cluster = union of its members' boundaries.

Run after editing data/city_cluster_members.csv: ``python -m geo.build_city_clusters``.
"""

from __future__ import annotations

import json

import geopandas as gpd
import pandas as pd
import shapely
from shapely.geometry import MultiPolygon, Polygon, mapping

from atlas.paths import DATA_DIR, GEO_DIR
from geo.boundaries import load_layer

TOLERANCE = 0.01  # degrees (≈ 1 km): the clusters are drawn at country scale
DECIMALS = 4


def member_geometry(adcode: str, partial_units: str, layers: dict[str, gpd.GeoDataFrame]):
    """A member's polygon: its named districts when only part of it belongs, else the whole unit."""
    if partial_units:
        codes = partial_units.split(";")
        counties = layers["county"]
        found = counties[counties["adcode"].isin(codes)]
        if len(found) != len(codes):
            missing = sorted(set(codes) - set(found["adcode"]))
            raise ValueError(f"partial units not in the county layer: {missing}")
        return shapely.union_all(found.geometry.values)
    candidates = [adcode, adcode[:2] + "0100"] if adcode.endswith("0000") else [adcode]
    for level in ("prefecture", "province", "county"):
        layer = layers[level]
        for code in candidates:
            hit = layer[layer["adcode"] == code]
            if len(hit):
                return hit.geometry.iloc[0]
    raise ValueError(f"member {adcode} not found in any boundary layer")


def close_slivers(geom, gap: float = 0.01, min_hole: float = 0.05):
    """Members were simplified one by one, so their union has slivers and pinholes along
    shared borders; a closing (grow then shrink) and dropping tiny holes removes them."""
    geom = geom.buffer(gap, join_style="mitre").buffer(-gap, join_style="mitre")
    parts = getattr(geom, "geoms", [geom])
    cleaned = [Polygon(p.exterior, [r for r in p.interiors if Polygon(r).area >= min_hole]) for p in parts]
    return MultiPolygon(cleaned) if len(cleaned) > 1 else cleaned[0]


def build(members: pd.DataFrame, clusters: pd.DataFrame) -> dict:
    layers = {lvl: load_layer(lvl) for lvl in ("province", "prefecture", "county")}
    features = []
    for cc in clusters.to_dict("records"):
        rows = members[members["cluster_id"] == cc["id"]]
        geoms = [member_geometry(r["adcode"], r.get("partial_units", ""), layers) for r in rows.to_dict("records")]
        geom = close_slivers(shapely.union_all(geoms))
        geom = geom.simplify(TOLERANCE, preserve_topology=True)
        geom = shapely.set_precision(geom, 10**-DECIMALS)
        props = {
            "id": cc["id"],
            "name_en": cc["name_en"],
            "name_zh": cc["name_zh"],
            "tier": cc["tier"],
            "members": len(rows),
            "verification": cc["verification"],
        }
        features.append({"type": "Feature", "properties": props, "geometry": mapping(geom)})
    return {"type": "FeatureCollection", "features": features}


def main() -> None:
    read = dict(dtype=str, keep_default_na=False)
    members = pd.read_csv(DATA_DIR / "city_cluster_members.csv", **read)
    clusters = pd.read_csv(DATA_DIR / "city_clusters.csv", **read)
    fc = build(members, clusters)
    path = GEO_DIR / "city_clusters.geojson"
    path.write_text(json.dumps(fc, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    print(f"{path}: {len(fc['features'])} clusters, {path.stat().st_size / 1e6:.2f} MB")
    from atlas import manifest  # the committed files changed: record them (tests/test_data_corruption.py)

    print(f"{manifest.write().name} written")


if __name__ == "__main__":
    main()
