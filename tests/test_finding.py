"""Finding things as a new user types them: the partner finder's words (issue 24 §4), with the
exact queries that went wrong."""

import pytest

from atlas.partners.query import build_query
from atlas.partners.scoring import find_partners
from components.partner_views import TABS, first_tab
from tests.conftest import ROOT, run_page


def find(atlas, text):
    return find_partners(atlas, build_query(atlas, text))


def keys(found, *groups):
    return {r.key for g in groups or found.groups for r in found.groups[g]}


def cluster(atlas, industry):
    c = atlas.clusters
    return {"ic:" + i for i in c.loc[c["industry"] == industry, "id"]}


@pytest.mark.parametrize("text", ["ELBE", "GIVE", "SENET"])
def test_a_partnership_or_project_opens_the_tab_that_has_it(atlas, text):
    found = find(atlas, text)
    tab = first_tab(found)
    assert TABS[tab][0] == "EU instruments"
    assert any(r.matched and text.lower() in r.title.lower() for g in TABS[tab][1] for r in found.groups[g])


def test_a_tab_with_only_services_for_every_sector_is_not_opened_first(atlas):
    found = find(atlas, "ELBE")
    assert found.groups["support"] and not found.matched(["support"])  # open to every sector, not a match
    assert first_tab(find(atlas, "solar")) == 0  # clusters first when clusters fit


def test_the_partner_finder_page_runs_for_a_partnership():
    at = run_page(ROOT / "pages" / "6_Partner_finder.py", q="ELBE")
    assert any("ELBE" in m.value for m in at.markdown)


def test_the_priority_sectors_own_name_finds_it(atlas):
    """'human health' is how the documents name the priority sector; it finds what 'health' finds."""
    human, health = find(atlas, "human health"), find(atlas, "health")
    pharma = cluster(atlas, "Pharmaceutical industrial cluster")
    for found in (human, health):
        assert pharma <= keys(found, "clusters")
        assert "prj:prj_senet" in keys(found, "projects")


def test_health_does_not_bring_eyewear(atlas):
    assert not cluster(atlas, "Eyewear industrial cluster") & keys(find(atlas, "health"), "clusters")


def test_wind_finds_the_energy_equipment_cluster_and_not_valves(atlas):
    clusters = keys(find(atlas, "wind"), "clusters")
    assert cluster(atlas, "Energy equipment industrial cluster") <= clusters
    assert not cluster(atlas, "Valves industrial cluster") & clusters


@pytest.mark.parametrize("text", ["renewable energy", "solar", "wind"])
def test_ec2i_and_its_nanjing_mission_are_among_renewable_energy_results(atlas, text):
    found = find(atlas, text)
    assert "esp:esp_ec2i" in keys(found, "partnerships")
    assert "ev:ev_2018_11_ec2i_nanjing_matchmaking_mission" in keys(found, "events")


@pytest.mark.parametrize("text", ["photovoltaic", "wind"])
def test_natureef_an_agrifood_partnership_is_no_pv_or_wind_result(atlas, text):
    found = find(atlas, text)
    assert "esp:esp_natureef" not in keys(found, "partnerships")
    assert not {k for k in keys(found, "events") if "natureef" in k}


@pytest.mark.parametrize(
    "text, noise",
    [
        ("solar", "z:z_wuxi_iot"),  # its description mentions photovoltaics: a synonym in a description
        ("renewable energy", "z:z_chongqing_auto_cluster"),  # "new energy" of new energy vehicles
        ("renewable energy", "ic:IC029"),  # the electric car cluster's keyword "new energy vehicles"
    ],
)
def test_a_synonym_inside_another_industrys_name_or_a_description_is_no_match(atlas, text, noise):
    assert noise not in keys(find(atlas, text))


# --- the map search and the list of what the map shows ------------------------------------------


@pytest.mark.parametrize(
    "text, key",
    [
        ("ELBE", "esp:esp_elbe"),
        ("GIVE", "esp:esp_give"),
        ("SENET", "prj:prj_senet"),
        ("SAE-China", "org:org_sae_china"),  # the name its own web address gives it
        ("wind", "ic:IC038"),  # Jiangyan's energy equipment, by wind's NACE code and priority sector
        ("pharmaceutical", "cc:cc_jingjinji"),  # Shijiazhuang's local pharmaceutical cluster
    ],
)
def test_map_search_finds_it(atlas, text, key):
    from atlas.search import search

    assert key in [h.key for h in search(atlas, text)]


def test_map_search_reads_the_priority_sectors_name(atlas):
    from atlas.search import search

    found = [h.key for h in search(atlas, "human health")]
    assert "ic:IC092" in found and not cluster(atlas, "Eyewear industrial cluster") & set(found)


def test_a_partnership_chosen_in_search_opens_its_record(atlas):
    """Partnerships have no place: selecting one opens its record in the panel, address and all."""
    from atlas.drilldown import detail

    d = detail(atlas, "esp:esp_ec2i")
    assert d.title == "EC2i" and d.lat is None and "Nanjing" in d.description
    assert "EC2i Matchmaking Mission" in dict(d.facts)["Events"]
    at = run_page(ROOT / "pages" / "map_explorer.py", sel="esp:esp_ec2i")
    assert at.query_params["sel"] in ("esp:esp_ec2i", ["esp:esp_ec2i"])
    assert any("EC2i" in s.value for s in at.subheader)


def test_the_sidebar_says_how_many_matches_and_offers_the_rest(atlas):
    from atlas.search import search

    n = len(search(atlas, "energy", limit=10_000))
    assert n > 8
    at = run_page(ROOT / "pages" / "map_explorer.py", q="energy")
    captions = " ".join(c.value for c in at.sidebar.caption)
    if "appear as soon as the map" in captions:  # the filters are drawn once the map reports
        next(b for b in at.sidebar.button if "Show the filters" in b.label).click().run()
    captions = " ".join(c.value for c in at.sidebar.caption)
    assert f"{n} matches, the 8 best first" in captions
    assert any(e.label == f"{n - 8} more matches" for e in at.sidebar.expander)


def test_the_list_follows_the_filters_and_layers(atlas):
    from atlas.filters import filter_atlas
    from atlas.map_list import shown_rows
    from atlas.state import ViewState

    view = ViewState(sectors=("energy",), layers=("clusters", "zones"))
    rows = shown_rows(atlas, filter_atlas(atlas, view), view)
    energy = atlas.clusters[atlas.clusters["sector"] == "energy"]
    assert set(rows.loc[rows["kind"] == "Industrial cluster", "key"]) == {"ic:" + i for i in energy["id"]}
    assert set(rows["kind"]) <= {"Industrial cluster", "Zone or park"}
    everything = ViewState()
    assert len(shown_rows(atlas, filter_atlas(atlas, everything), everything)) > len(rows)
