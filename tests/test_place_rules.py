"""The rules that decide what a place's panel and its Compare column count: which policies name
it, which cooperation lies around it, and that a place inside another never counts more."""

import pytest

from atlas import compare as C
from atlas.drilldown import NATIONAL_REASONS, PLACE_REASONS, detail
from atlas.provinces import PROVINCE_NAMES_EN
from tests.conftest import ROOT, run_page

GLOBAL_POLICIES = ("p_cybersecurity_law_2016", "p_euratom_china_pune", "p_paris_agreement")


@pytest.fixture(scope="module")
def known(atlas):
    return C.options(atlas, PROVINCE_NAMES_EN)


def test_a_city_cluster_lists_as_its_own_only_the_policies_naming_it_or_a_place_in_it(atlas):
    d = detail(atlas, "cc:cc_prd")
    own = [p for p in d.policies if p.names_place]
    assert own and all(p.reason in PLACE_REASONS for p in own)
    assert "p_gba_plan" in {p.id for p in own}
    national = {p.id: p.reason for p in d.policies if not p.names_place}
    for pid in GLOBAL_POLICIES:  # national and international ones apply, grouped as such
        assert pid not in {p.id for p in own}
        assert national.get(pid, "sector") in NATIONAL_REASONS


def test_a_city_cluster_gets_the_policies_naming_its_member_provinces(atlas):
    """Every policy naming a province a city cluster lies in is among the cluster's own."""
    for cc in atlas.city_clusters["id"]:
        d = detail(atlas, f"cc:{cc}")
        provinces = set(C.member_cities(atlas, cc))
        provinces = {c[:2] + "0000" for c in provinces}
        own = {p.id for p in d.policies if p.names_place}
        for p in atlas.records("policies"):
            named = set((p.get("applies_to") or {}).get("provinces") or [])
            if named & provinces and p["level"] != "local":
                assert p["id"] in own, (cc, p["id"])


def test_the_panel_says_how_many_policies_name_the_place_and_how_many_are_national():
    at = run_page(ROOT / "pages" / "map_explorer.py", sel="cc:cc_prd")
    text = " ".join(m.value for m in at.markdown)
    assert "naming this place" in text and "national or EU-China for its sectors" in text
    assert "43 specific" not in text


def test_a_city_cluster_has_the_cooperation_and_contacts_of_what_lies_in_it(atlas):
    """The PRD's panel lists cooperation; every EU support office a cluster or zone inside a city
    cluster lists as nearby is among the city cluster's contacts."""
    prd = detail(atlas, "cc:cc_prd")
    assert prd.cooperation is not None and prd.cooperation.organisations
    for cc in atlas.city_clusters["id"]:
        d = detail(atlas, f"cc:{cc}")
        contacts = {o.id for o in d.cooperation.organisations}
        for link in d.clusters:
            inner = detail(atlas, f"ic:{link.id}")
            near = {o.id for o in inner.cooperation.organisations if "km" in o.why}
            assert near <= contacts, (cc, link.id, near - contacts)
    yrd = {o.id for o in detail(atlas, "cc:cc_yrd").cooperation.organisations}
    assert "org_een_shanghai" in yrd  # an EEN contact point in a member city


def test_an_eu_support_body_for_one_sector_is_no_contact_for_another(atlas):
    """The Norwegian energy consortium is no contact for the Huadu automobile cluster."""
    huadu = {o.id for o in detail(atlas, "ic:IC048").cooperation.organisations}
    assert "org_neec" not in huadu
    energy = atlas.clusters[atlas.clusters["sector"] == "energy"].iloc[0]
    assert "org_neec" in {o.id for o in detail(atlas, f"ic:{energy['id']}").cooperation.organisations}


def _contained_pairs(atlas):
    """(province, city cluster) where every member of the city cluster is in the province."""
    m = atlas.city_cluster_members
    for cc, g in m.groupby("cluster_id"):
        provinces = set(g["adcode"].astype(str).str[:2])
        if len(provinces) == 1:
            yield f"province:{provinces.pop()}0000", f"cc:{cc}"


def test_a_place_inside_another_never_counts_more(atlas, known):
    pairs = list(_contained_pairs(atlas)) + [("province:440000", "cc:cc_prd")]
    assert len(pairs) > 3
    for outer, inner in pairs:
        places = C.places([outer, inner], known)
        table = C.summary(atlas, places, C.policies_applying(atlas, places), C.cooperation_items(atlas, places))
        counts = table.drop(columns=["Place", "Kind"])
        bigger = [c for c in counts if counts.iloc[1][c] > counts.iloc[0][c]]
        assert not bigger, (inner, outer, bigger)


def test_partnerships_of_a_place_share_a_sector_with_what_lies_there(atlas, known):
    """Guangdong and the PRD: the PRD's partnerships are among Guangdong's (it lies in Guangdong
    but for Hong Kong and Macao, where the atlas locates no cluster or zone)."""
    places = C.places(["province:440000", "cc:cc_prd"], known)
    items = C.cooperation_items(atlas, places)
    partners = {k: set(items[(items["key"] == k) & (items["measure"] == C.MEASURES[2])]["id"]) for k in items["key"]}
    assert partners["cc:cc_prd"] <= partners["province:440000"]


def test_compare_says_where_a_city_cluster_reaches_beyond_a_province_it_is_compared_with(atlas, known):
    notes = C.containment_notes(atlas, C.places(["province:440000", "cc:cc_prd", "cc:cc_yrd"], known))
    assert len(notes) == 1 and "Guangdong but for Hong Kong and Macao" in notes[0]
    at = run_page(ROOT / "pages" / "4_Compare.py", compare="province:440000,cc:cc_prd")
    assert any("but for Hong Kong and Macao" in c.value for c in at.caption)
