"""The explorer's search on the real data: what and where in every label, no two labels alike,
acronyms, no matches on a short fragment of a word, the map keeps what a result contains, and one
text normaliser for every search index."""

import pytest

from atlas import normalise, uploads
from atlas.filters import filter_atlas
from atlas.normalise import fold, latin, phrase, words
from atlas.partners.query import build_query
from atlas.partners.scoring import find_partners
from atlas.search import search, search_index
from atlas.state import ViewState


def keys(hits) -> list[str]:
    return [h.key for h in hits]


# --- labels: what and where, never two alike --------------------------------------------------------


def test_a_result_says_what_and_where(atlas):
    hits = {h.key: h for h in search(atlas, "electronic products")}
    assert hits["ic:IC046"].label == "Electronic products industrial cluster · Dongguan, Guangdong"
    assert hits["ic:IC051"].label == "Electronic products industrial cluster · Shenzhen, Guangdong"
    place = next(h for h in search(atlas, "花都区") if h.key == "pl:440114")
    assert place.label == "花都区 Huadu · Guangzhou, Guangdong"


def test_no_two_things_share_a_label(atlas):
    labels = [e.label for e in search_index(atlas).entries]
    repeated = {x for x in labels if labels.count(x) > 1}
    assert not repeated, sorted(repeated)[:5]
    # A zone and an organisation with one name in one city are told apart by what they are.
    zgc = {h.key: h.label for h in search(atlas, "Zhongguancun Science Park")}
    assert zgc["z:z_zhongguancun"] != zgc["org:org_zpark"]


@pytest.mark.parametrize("query", ["Guangzhou", "electronic", "EEN", "ENRICH", "mission", "xian"])
def test_result_lists_have_distinct_labels(atlas, query):
    labels = [h.label for h in search(atlas, query)]
    assert labels and len(labels) == len(set(labels))


# --- acronyms ------------------------------------------------------------------------------------------


def test_organisation_acronyms_find_the_organisation(atlas):
    een = atlas.organisations[atlas.organisations["name"].str.contains(r"\(EEN\)")]
    assert set(keys(search(atlas, "EEN"))) == {f"org:{i}" for i in een["id"]}
    assert "org:org_acea" in keys(search(atlas, "ACEA"))[:2]  # with the ACEA–CAAM agreement
    for acronym, key in (
        ("EUCCC", "org:org_euccc"),
        ("MIIT", "org:org_miit"),
        ("NDRC", "org:org_ndrc"),
        ("CWEA", "org:org_cwea"),
    ):
        assert keys(search(atlas, acronym))[0] == key, acronym


def test_city_cluster_initialisms_used_by_the_seeds_find_them(atlas):
    assert keys(search(atlas, "YRD"))[0] == "cc:cc_yrd"
    assert keys(search(atlas, "PRD"))[0] == "cc:cc_prd"


def test_escp4i_partnerships_find_their_missions_on_the_map(atlas):
    """Partnerships have no place of their own; their acronym or name finds the missions they ran."""
    for acronym, name in zip(atlas.partnerships["acronym"], atlas.partnerships["name"], strict=False):
        events = [
            r["id"]
            for r in atlas.events.to_dict("records")
            if set(words(acronym)) <= set(words(f"{r['title']} {r['organisers']}"))
        ]
        for query in (acronym, name):
            found = {k for k in keys(search(atlas, query, limit=100)) if k.startswith("ev:")}
            assert {f"ev:{e}" for e in events} <= found, (query, events)
    assert {"ev:ev_2018_11_adpack2_fact_finding_mission", "ev:ev_2019_06_adpack2_third_mission"} <= set(
        keys(search(atlas, "AdPack²"))
    )


def test_event_and_project_acronyms_find_them(atlas):
    clara = keys(search(atlas, "CLARA"))
    assert "ev:ev_2019_10_clara_sjtu_symposium" in clara and all("clara" in k for k in clara)
    found = find_partners(atlas, build_query(atlas, "DIA"))
    assert found.groups["partnerships"][0].key == "esp:esp_dia"
    for r in atlas.projects.to_dict("records"):
        found = find_partners(atlas, build_query(atlas, r["acronym"]))
        assert found.groups["projects"] and found.groups["projects"][0].key == f"prj:{r['id']}", r["acronym"]


# --- no matches on a short fragment ---------------------------------------------------------------------


def _names(atlas, key: str) -> list[str]:
    return next(e.names for e in search_index(atlas).entries if e.key == key)


@pytest.mark.parametrize("query", ["car", "een", "jade", "tea", "ict", "pv"])
def test_a_short_query_matches_whole_words_only(atlas, query):
    """'car' finds the car clusters, not boxboard (cardboard), jade (carving) or healthcare."""
    for h in search(atlas, query, limit=1000):
        said = {w for name in _names(atlas, h.key) for w in words(name, singular=True)}
        pinyin = {"".join(normalise.syllables(w)) for w in said if normalise.is_han(w)}
        assert query in said or any(query in p for p in pinyin), (query, h.label)
    car = keys(search(atlas, "car"))
    boxboard, jade = "ic:IC002", "ic:IC069"
    assert "ic:IC048" in car and "ic:IC029" in car and boxboard not in car and jade not in car


def test_a_slip_is_read_only_when_nothing_is_spelt_that_way(atlas):
    assert keys(search(atlas, "Huadhu"))[0] == "ic:IC048"
    dongguan = keys(search(atlas, "Dongguan"))
    assert "pl:441900" in dongguan and "pl:130923" not in dongguan  # not 东光县 Dongguang, a slip away


def test_a_lone_pinyin_syllable_does_not_match_inside_names(atlas):
    """'xian' is Xi'an, not the 县 (xian) that ends a county's name."""
    hits = search(atlas, "xian", limit=1000)
    assert "pl:610100" in keys(hits)
    assert not [
        h
        for h in hits
        if h.key.startswith("pl:") and h.title.split()[0].endswith("县") and not h.title.split()[0].startswith("西安")
    ]


def test_traditional_and_simplified_characters_and_pinyin_meet(atlas):
    first = {q: keys(search(atlas, q))[:1] for q in ("廣州花都", "广州花都", "guangzhou huadu")}
    assert first["廣州花都"] == first["广州花都"] == first["guangzhou huadu"] == ["ic:IC048"]


# --- the map keeps what a result contains ---------------------------------------------------------------


def test_searching_a_city_cluster_keeps_its_clusters_on_the_map(atlas):
    for r in atlas.city_clusters.to_dict("records"):
        inside = {
            i
            for i, cc in zip(atlas.clusters["id"], atlas.clusters["city_cluster"], strict=False)
            if r["id"] in cc.split(";")
        }
        shown = set(filter_atlas(atlas, ViewState(q=r["name_en"])).clusters["id"])
        assert inside <= shown, r["name_en"]


def test_searching_a_city_keeps_its_clusters_zones_and_events_on_the_map(atlas):
    f = filter_atlas(atlas, ViewState(q="广州"))
    in_guangzhou = lambda df: set(df.loc[df["adcode"].astype(str).str.startswith("4401"), "id"])  # noqa: E731
    assert in_guangzhou(atlas.clusters) and in_guangzhou(atlas.clusters) <= set(f.clusters["id"])
    assert in_guangzhou(atlas.zones) <= set(f.zones["id"])
    shanghai = filter_atlas(atlas, ViewState(q="Shanghai"))
    located = atlas.events[atlas.events["lat"].notna()]
    assert set(located.loc[located["city_en"] == "Shanghai", "id"]) <= set(shanghai.events["id"])


def test_searching_a_zone_keeps_its_sub_zones(atlas):
    f = filter_atlas(atlas, ViewState(q="Zhongguancun Science Park"))
    children = set(atlas.zones.loc[atlas.zones["parent_id"] == "z_zhongguancun", "id"])
    assert children and children | {"z_zhongguancun"} <= set(f.zones["id"])


def test_a_search_for_an_industry_still_narrows_the_map(atlas):
    f = filter_atlas(atlas, ViewState(q="car"))
    assert set(f.clusters["id"]) == {"IC048", "IC029"}


# --- one normaliser --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed, folded",
    [
        ("Solar Water-Heaters", "solar water heaters"),
        ("Lüliang", "luliang"),
        ("ＡｄＰａｃｋ²", "adpack2"),
        ("Xi'an", "xi an"),
        ("R&D", "r d"),
        ("  ", ""),
        (None, ""),
    ],
)
def test_the_normaliser_folds_case_width_accents_and_punctuation(typed, folded):
    assert fold(typed) == folded


def test_every_search_index_reads_text_through_the_one_normaliser(atlas):
    """Full-width letters and accents are read alike by the explorer search, the partner finder and
    the upload gazetteer."""
    assert uploads.latin is latin
    assert phrase("Ｓｏｌａｒ Water-Heaters") == "solar water heater"
    assert keys(search(atlas, "Ｈｕａｄｕ"))[:1] == keys(search(atlas, "Huadu"))[:1]
    wide = find_partners(atlas, build_query(atlas, "ｓｏｌａｒ"))
    assert keys(wide.groups["clusters"]) == keys(find_partners(atlas, build_query(atlas, "solar")).groups["clusters"])
    assert uploads.resolve("Ｈｕａｄｕ").seats[0]["adcode"] == uploads.resolve("Huadu").seats[0]["adcode"] == "440114"
