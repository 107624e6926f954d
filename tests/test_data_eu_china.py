"""The EU-China framework, events and organisations added from the documents hold to them: each record's
passage is in the document it cites, and its years are the ones printed there."""

import re
from datetime import date

import pandas as pd
import pytest
import yaml

from atlas.paths import DATA_DIR
from atlas.provenance import parts
from atlas.source_reader import locate, lookup

S000, S001, S004 = (
    "000_84dd9b47cfbecbda.txt",
    "001_9852d4d85712b810.txt",
    "004_ebf33d624ac2b557.txt",
)

# record id -> (seed file, passages as printed there); the record's years must appear in the passages.
POLICIES = {
    "p_eu_china_csp": (
        S004,
        [
            "in 2013, evolved to a comprehensive political and economic relationship with the establishment of the Comprehensive Strategic Partnership"
        ],
    ),
    "p_eu_china_st_agreement": (
        S000,
        [
            "Science and Technology Cooperation Agreement, which was signed in December 1998 and renewed for the third time in December 2014"
        ],
    ),
    "p_eu_china_icd": (
        S000,
        ["In September 2012, the European Commission (EC) established a High-Level ICD"],
    ),
    "p_euratom_china_pune": (
        S000,
        ["(R&D-PUNE Agreement): The Agreement was signed in April 2008"],
    ),
    "p_eu_trade_strategy_china_2016": (
        S000,
        [
            "in 2016, the EU established a new trade strategy towards China, which defines the EU trade relationship with China for the 2016-2021 period"
        ],
    ),
    "p_eu_china_cai": (
        S000,
        [
            "In 2013, the EU-China 2020 Strategic Agenda for Cooperation defined key initiatives in the area of trade and investment policy, notably the negotiation of the EU-China Comprehensive Investment Agreement"
        ],
    ),
    "p_jrc_cas_arrangement": (
        S001,
        [
            "the Joint Research Centre (JRC), and the Chinese Academy of Sciences signed an overarching Research Framework Arrangement",
            "3rd EU-China Innovation Cooperation Dialogue held in the scope of the 19th EU-China Summit (June 2017)",
        ],
    ),
    "p_eu_china_flagships_2018_2020": (
        S000,
        ["both parties agreed on implementing the 2018-2020 Flagship Initiatives"],
    ),
    "p_eu_china_hl_strategic_dialogue": (S004, ["the High-Level Strategic Dialogue"]),
    "p_eu_china_hl_economic_trade_dialogue": (
        S004,
        ["the annual High-Level Economic and Trade Dialogue"],
    ),
    "p_eu_china_hl_people_dialogue": (S004, ["Level People-to-People Dialogue"]),
    "p_eu_china_cluster_dialogue": (
        S004,
        [
            "policy discussions / meetings between DG Internal Market, Industry, SMEs and Entrepreneurship (DG GROW) of "
            "the European Commission (EC) / Executive Agency for Small and Medium-sized Enterprises (EASME) and policy "
            "makers from China"
        ],
    ),
    "p_eu_china_sectoral_dialogues": (
        S004,
        [
            "until April 2019, the EU and China have over 60 sectorial dialogues in areas such as cybersecurity, transnational crime, economics, high-tech innovation, tourism, energy, and environment"
        ],
    ),
    "p_eu_china_energy_dialogue": (
        S004,
        [
            "since 1994, EU and Chinese officials have been meeting for an annual Energy Dialogue to cooperate on energy issues"
        ],
    ),
    "p_euctp": (
        S001,
        [
            "The EU-China Trade Project (EUCTP) is a trade related technical assistance project between the EU and China "
            "that started in 2000"
        ],
    ),
}
EVENTS = {
    "ev_2019_02_acea_caam_agreement": (
        S004,
        ["in February 2019, ACEA and CAAM signed a cooperation agreement"],
    ),
    "ev_2018_10_clara_sjtu_oncology_convention": (
        S004,
        ["In October 2018, under the framework of CLARA, an oncology convention was signed"],
    ),
    "ev_2018_07_sjtu_cancer_master_summer_school": (
        S004,
        [
            "The first summer and winter schools of the Shanghai Jiao Tong University French-speaking Cancer Master have taken place in July 2018 and January 2019 respectively"
        ],
    ),
    "ev_2019_01_sjtu_cancer_master_winter_school": (
        S004,
        ["have taken place in July 2018 and January 2019 respectively"],
    ),
    "ev_2019_07_sjtu_cancer_master_summer_school": (
        S004,
        ["The following Summer School will be held in July 2019"],
    ),
    "ev_2018_12_clara_clinical_research_training": (
        S004,
        ["In December 2018, CLARA organised its first session of training in clinical research for 28 doctors"],
    ),
    "ev_2019_07_clara_clinical_research_training_shanghai": (
        S004,
        ["two additional training sessions will be carried out in 2019: July in Shanghai and December in Lyon"],
    ),
    "ev_2019_12_clara_clinical_research_training_lyon": (
        S004,
        ["two additional training sessions will be carried out in 2019: July in Shanghai and December in Lyon"],
    ),
    "ev_2017_10_enrich_launch": (
        S000,
        ["ENRICH was launched in October 2017 in China"],
    ),
    "ev_2019_03_mobigoin_open_call": (
        S004,
        ["in March 2019 launched a call for expressions of interest for an acceleration programme"],
    ),
    "ev_2017_06_eu_china_summit_19": (
        S001,
        ["3rd EU-China Innovation Cooperation Dialogue held in the scope of the 19th EU-China Summit (June 2017)"],
    ),
    "ev_2004_acea_beijing_office": (
        S004,
        ["in 2004, ACEA opened an office", "in Beijing in order to work closely with Chinese authorities"],
    ),
    "ev_2017_05_fenglin_bioxclusters_agreement": (
        S004,
        [
            "In May 2017, bioXclusters plus carried out a mission to China",
            "during the opening of the SEBP, the Fenglin Group and bioXclusters plus signed an agreement",
        ],
    ),
    "ev_1996_zhangjiang_biomedicine_agreement": (
        S000,
        ["agreement signed in 1996 by MoST, the Ministry of Health, the Chinese Academy of Science (CAS)"],
    ),
    "ev_2014_eu_china_summit_16": (S001, ["adopted by both regions at their 16th Summit in 2014"]),
}
ORGANISATIONS = {
    "org_cpmda": (
        S001,
        ["the Chinese Pharmaceutical Manufacture and Development Association (CPMDA)"],
    ),
    "org_cnfi": (
        S001,
        ["the Chinese National Federation of Industries (CNFI) are registered in Taiwan"],
    ),
    "org_cnrec": (S000, ["According to the China National Renewable Energy Centre"]),
    "org_sjtu": (S004, ["Shanghai Jiao Tong University (Shanghai, China)"]),
    "org_academy_dazu_rock_carvings": (S004, ["Academy of Dazu Rock Carvings"]),
    "org_beijing_academy_sciences_heritage": (S004, ["Academy of Sciences of Pechino"]),
    "org_nanjing_museum": (S004, ["Museum of Nanchino"]),
    "org_shanghai_museum": (S004, ["Museum of Shanghai"]),
    "org_capital_museum": (S004, ["Capital Museum"]),
    "org_hunan_provincial_bureau": (S004, ["Provincial Bureau of Hunan"]),
    "org_chengdu_museum": (S004, ["Museum of Chengdu"]),
    "org_xian_museum": (S004, ["Museum of Xi'An"]),
    "org_chongqing_cultural_relics_bureau": (
        S004,
        ["Chongqing Bureau for Cultural Relics"],
    ),
    "org_chongqing_university": (S004, ["Chongqing University"]),
    "org_cas": (
        S001,
        [
            "the Joint Research Centre (JRC), and the Chinese Academy of Sciences signed an overarching Research Framework Arrangement"
        ],
    ),
    "org_jrc": (
        S001,
        ["the Commission's science and knowledge service, the Joint Research Centre (JRC)"],
    ),
}


def flat(text: str) -> str:
    """Whitespace (line and page breaks of the extraction) collapsed, so a passage reads as printed."""
    return re.sub(r"\s+", " ", text.replace("\u2019", "'")).strip()


@pytest.fixture(scope="module")
def seed_text(seeds_dir):
    return {name: flat((seeds_dir / name).read_text(encoding="utf-8")) for name in (S000, S001, S004)}


def _check(record: dict, seed: str, passages: list[str], seed_text: dict, years: list) -> None:
    assert seed in str(record["source"]), f"{record['id']} does not cite {seed}"
    text = seed_text[seed]
    for passage in passages:
        assert flat(passage) in text, f"{record['id']}: {passage!r} not in {seed}"
    # ... and in the section the record cites, as the Sources page opens it
    sections = [locate(p) for p in parts(record["source"]) if p.startswith(seed)]
    for passage in passages:
        assert any(lookup(doc, sec, passage).found for doc, sec in sections), (
            f"{record['id']}: {passage!r} is not in the cited section ({[sec for _, sec in sections]})"
        )
    printed = " ".join(passages)
    for year in years:
        if year is not None and year != "" and not pd.isna(year):
            assert str(int(float(year))) in printed, f"{record['id']}: {year} is not in the cited passage"


def test_eu_china_framework_records_hold_to_the_documents(atlas, seed_text):
    by_id = {p["id"]: p for p in atlas.policies.to_dict("records")}
    for ident, (seed, passages) in POLICIES.items():
        p = by_id[ident]
        assert p["level"] == "eu_china", ident
        _check(p, seed, passages, seed_text, [p["year_start"], p["year_end"]])


def test_every_eu_china_record_has_parties_and_what_it_covers(atlas):
    framework = atlas.policies[atlas.policies["level"] == "eu_china"]
    assert set(POLICIES) <= set(framework["id"])
    for p in framework.to_dict("records"):
        assert p["authorities"], p["id"]
        assert p["summary"] and (p["objectives"] or p["focus"] or p["summary"]), p["id"]


def test_new_events_hold_to_the_documents(atlas, seed_text):
    events = atlas.events.set_index("id")
    for ident, (seed, passages) in EVENTS.items():
        e = events.loc[ident].to_dict() | {"id": ident}
        _check(e, seed, passages, seed_text, [e["year"]])
        if e["month"] in ("", None) or pd.isna(e["month"]):  # a year only (the document gives no month)
            assert not re.search(
                r"\b(?:January|February|March|April|May|June|July|August|September|October|November|December)\b",
                e["date_text"],
            ), ident
            continue
        month = date(2000, int(e["month"]), 1).strftime("%B")
        assert month in " ".join(passages), ident


def test_new_organisations_are_named_in_the_documents(atlas, seed_text):
    orgs = atlas.organisations.set_index("id")
    for ident, (seed, passages) in ORGANISATIONS.items():
        _check(orgs.loc[ident].to_dict() | {"id": ident}, seed, passages, seed_text, [])


def test_the_clara_story_lists_its_dated_events(atlas):
    story = next(s for s in atlas.success_stories if s["id"] == "ss_clara_sjtu")
    assert {
        "ev_2018_10_clara_sjtu_oncology_convention",
        "ev_2018_12_clara_clinical_research_training",
        "ev_2018_07_sjtu_cancer_master_summer_school",
    } <= set(story["related_events"])
    assert set(story["related_events"]) <= set(atlas.events["id"])


def test_eu_china_framework_applies_in_every_drill_down(atlas):
    """A cluster's drill-down lists the framework items without a sector and those for its sector."""
    from atlas.drilldown import policies_for

    auto = policies_for(atlas, ["automotive"], "440114")
    ids = {p.id for p in auto}
    assert {"p_eu_china_st_agreement", "p_eu_china_icd", "p_eu_china_cai"} <= ids
    assert "p_eu_china_flagships_2018_2020" in ids  # surface transport
    assert "p_euratom_china_pune" not in ids  # nuclear energy is not this cluster's sector
    assert "p_euratom_china_pune" in {p.id for p in policies_for(atlas, ["services"], "110108")}  # R&D, Zhongguancun


def test_data_locations_say_where_they_come_from(atlas):
    for df in (atlas.zones, atlas.events, atlas.organisations):
        located = df[df["adcode"] != ""]
        assert (located["location_basis"] != "").all()
        inferred = df[df["location_basis"] == "inferred"]
        assert len(inferred) > 0 and (inferred["location_why"].str.len() > 20).all()
    fair = atlas.events.set_index("id").loc["ev_2018_10_china_international_furniture_fair"]
    assert fair["location_basis"] == "inferred"


def test_yaml_of_policies_stays_a_list_of_mappings():
    records = yaml.safe_load((DATA_DIR / "policies.yaml").read_text(encoding="utf-8"))
    assert isinstance(records, list) and all(isinstance(r, dict) for r in records)


def test_policies_page_shows_the_eu_china_framework_on_its_timeline_and_cards(atlas):
    """The level filter 'EU-China' leaves exactly the framework's cards; the timeline draws its dated items."""

    from app_pages import app_test, open_tab

    from atlas.policy_tables import LEVEL_LABEL, timeline_rows
    from components.policy_views import timeline_figure

    framework = atlas.policies[atlas.policies["level"] == "eu_china"]
    rows = timeline_rows(atlas.policies)
    dated = rows[rows["level"] == "eu_china"]
    assert {"p_eu_china_st_agreement", "p_euratom_china_pune", "p_eu_china_icd"} <= set(dated["id"])
    fig = timeline_figure(rows, "level")
    assert LEVEL_LABEL["eu_china"] in {t.name for t in fig.data}

    at = app_test("2_Policies.py", timeout=90)  # as a page of the app, as users open it
    at.run()
    assert not at.exception
    open_tab(at, "pol_view", "Every policy")
    at.multiselect(key="f_level").select("eu_china").run()
    assert not at.exception
    headings = [m.value[5:] for m in at.markdown if m.value.startswith("#### ")]
    names = set(framework["name_en"])
    assert names <= {h.replace("\\", "") for h in headings}
    assert any(f"Showing **{len(framework)} of {len(atlas.policies)}**" in m.value for m in at.markdown)


def test_every_authority_of_the_cluster_dialogue_is_named_in_its_sources():
    """EASME was listed as a party of the MoST – DG GROW dialogue with no cited section saying so;
    004 §1 does, and the record now cites it: each party is named in a section the record cites."""
    policies = yaml.safe_load(open(DATA_DIR / "policies.yaml", encoding="utf-8"))
    p = next(p for p in policies if p["id"] == "p_eu_china_cluster_dialogue")
    sections = [locate(part) for part in parts(p["source"])]
    for body, names in {"EASME": ["EASME"], "MoST": ["MoST"], "DG GROW": ["DG GROW", "DG Growth"]}.items():
        assert any(body in a for a in p["authorities"]), body
        assert any(lookup(doc, sec, n).found for doc, sec in sections for n in names), body


def test_every_event_group_follows_the_data_dictionary(atlas):
    """data/README.md: event_group equals id for a single-place event; the stops of a multi-city event
    share it, each numbered, its id the group's with _<stop>. One event broke it (a summer school
    grouped alone under a name of its own)."""
    events = pd.read_csv(DATA_DIR / "cooperation" / "events.csv", dtype=str, keep_default_na=False)
    for group, rows in events.groupby("event_group"):
        if len(rows) == 1:
            r = rows.iloc[0]
            assert r["id"] == group and not r["stop"], (r["id"], group)
        else:
            for r in rows.to_dict("records"):
                assert r["stop"] and r["id"] == f"{group}_{r['stop']}", (r["id"], group)


def test_a_nuclear_research_agreement_is_no_policy_of_lighting_or_appliance_clusters(atlas):
    """EURATOM-China R&D-PUNE is research cooperation: it applies to R&D clusters and parks, not to the
    energy & electrical equipment sector of the Guzhen lighting or household-appliance clusters."""
    from atlas.drilldown import detail, policies_for

    energy = atlas.clusters[atlas.clusters["sector"] == "energy"]
    assert energy["industry"].str.contains("ighting|ppliance").any()
    assert "p_euratom_china_pune" not in {p.id for p in policies_for(atlas, ["energy"])}
    for ident in energy["id"]:
        d = detail(atlas, f"ic:{ident}")
        assert "p_euratom_china_pune" not in {p.id for p in d.policies or ()}, ident
    assert "p_euratom_china_pune" in {p.id for p in policies_for(atlas, ["services"])}
