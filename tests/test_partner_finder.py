"""Partner finder on the real data: NACE codes as people type them, keywords with synonyms and slips,
why each result matched, the shortlist in the URL (also after a reload) and the page under AppTest."""

import html
import re
import shutil
from pathlib import Path

import pytest
from conftest import run_page as run_page_at
from streamlit.testing.v1 import AppTest

from atlas import nace
from atlas.page_params import notice, parse
from atlas.partners.query import EXAMPLES, build_query
from atlas.partners.scoring import find_partners
from atlas.partners.shortlist import MAX_SHORTLIST, shortlist_docs, shortlist_table
from atlas.partners.synonyms import load_synonyms
from atlas.paths import DATA_DIR
from atlas.validate import SOURCE_RE, DataFileError
from components import partner_views as pv

PAGE = str(Path(__file__).resolve().parents[1] / "pages" / "6_Partner_finder.py")


def find(atlas, text="", sectors=()):
    return find_partners(atlas, build_query(atlas, text, sectors))


def keys(results, n=None):
    return [r.key for r in results[:n]]


def cluster_key(atlas, industry_starts: str, place: str) -> str:
    c = atlas.clusters
    hit = c[c["industry"].str.startswith(industry_starts) & c["name_en"].str.contains(place)]
    assert len(hit) == 1, (industry_starts, place)
    return "ic:" + hit["id"].iloc[0]


# --- NACE codes as people write them ------------------------------------------------------------


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("C29", ["C29"]),
        ("29.1", ["C29.1"]),
        ("C27, C28", ["C27", "C28"]),
        ("29", ["C29"]),
        ("c 29.10", ["C29.10"]),
        ("NACE Rev. 2: C29", ["C29"]),
        ("C27-C29", ["C27", "C28", "C29"]),
        ("C27; 28.", ["C27", "C28"]),
    ],
)
def test_nace_codes_are_read_in_the_forms_people_use(typed, expected):
    assert [str(c) for c in nace.parse(typed).codes] == expected


def test_nace_codes_leave_the_keywords_and_ignore_numbers_that_are_not_codes():
    parsed = nace.parse("C29 batteries, 5G in 2025")
    assert [str(c) for c in parsed.codes] == ["C29"]
    assert "batteries" in parsed.rest and "5G" in parsed.rest and "2025" in parsed.rest


def test_a_wrong_section_letter_is_corrected_and_a_non_division_reported():
    parsed = nace.parse("C35, 04")
    assert [str(c) for c in parsed.codes] == ["D35"]
    assert any("section D" in n for n in parsed.notes)
    assert any("“04”" in n for n in parsed.notes)


def test_code_containment_follows_the_nace_hierarchy():
    c29, c291 = nace.code("C29"), nace.code("C29.1")
    assert c29.contains(c291) and not c291.contains(c29)
    assert nace.relation(c291, nace.code("C29.3")) == "division"
    assert nace.code("C35") is None  # division 35 is section D


# --- ranking on the real data ----------------------------------------------------------------------


def test_c29_ranks_the_huadu_and_xishan_car_clusters_in_the_top_five(atlas):
    found = find(atlas, "C29")
    top = keys(found.groups["clusters"], 5)
    assert cluster_key(atlas, "Automobile", "Huadu") in top
    assert cluster_key(atlas, "Electric car", "Xishan") in top
    # Every cluster with a code inside C29 comes before any other cluster.
    inside = {
        "ic:" + r["id"]
        for r in atlas.clusters.to_dict("records")
        if any(nace.code("C29").contains(c) for c in nace.codes(r["nace"]))
    }
    assert set(keys(found.groups["clusters"], len(inside))) == inside


def test_solar_finds_the_dezhou_and_wuxi_clusters(atlas):
    found = find(atlas, "solar")
    top = keys(found.groups["clusters"], 3)
    assert cluster_key(atlas, "Solar water heater", "Dezhou") in top
    assert cluster_key(atlas, "Photovoltaic", "Wuxi") in top
    assert "z:z_wuxi_pv" in keys(found.groups["zones"], 3)


def test_a_spelling_slip_still_finds_tonghuas_pharmaceutical_cluster(atlas):
    found = find(atlas, "pharmaceutcal")
    best = found.groups["clusters"][0]
    assert best.key == cluster_key(atlas, "Pharmaceutical", "Tonghua")
    assert any("read as “pharmaceutical”" in r for r in best.reasons)


def test_synonyms_widen_a_word_and_say_so(atlas):
    found = find(atlas, "photovoltaics")
    wuxi = next(r for r in found.groups["clusters"] if r.key == cluster_key(atlas, "Photovoltaic", "Wuxi"))
    assert wuxi.reasons
    dezhou = cluster_key(atlas, "Solar water heater", "Dezhou")
    assert dezhou not in keys(found.groups["clusters"])  # photovoltaics is not solar heat
    battery = build_query(atlas, "batteries")
    assert {"battery", "accumulator"} <= {t.text for t in battery.terms}
    row = next(s for s in load_synonyms(sectors=frozenset(atlas.taxonomy.order)) if s.term == "batteries")
    assert row.source in battery.sources


def test_a_chosen_sector_returns_exactly_that_sectors_clusters(atlas):
    found = find(atlas, "", ["health"])
    expected = {"ic:" + i for i in atlas.clusters.loc[atlas.clusters["sector"] == "health", "id"]}
    assert set(keys(found.groups["clusters"])) == expected


def test_every_result_says_why_and_cites_a_source(atlas):
    for text in ("C29", "solar", "medical devices", "textile machinery", "guangdong automotive"):
        found = find(atlas, text)
        assert found.total
        for _group, results in found.groups.items():
            for r in results:
                assert r.reasons, (text, r.key)
                assert SOURCE_RE.search(r.source), (text, r.key, r.source)


def test_eu_instruments_and_contacts_come_with_the_sector(atlas):
    found = find(atlas, "C29")
    partnerships = atlas.partnerships
    automotive = {"esp:" + r["id"] for r in partnerships.to_dict("records") if "automotive" in r["sector"].split(";")}
    assert set(keys(found.groups["partnerships"])) == automotive
    support = keys(found.groups["support"])
    for org in ("org_eu_sme_centre", "org_china_ipr_sme_helpdesk", "org_een_beijing"):
        assert f"org:{org}" in support
    contacts = found.groups["organisations"]
    assert contacts and all(r.key.startswith("org:") for r in contacts)
    websites = {r["id"]: r["website_normalised"] for r in atlas.organisations.to_dict("records")}
    assert all(r.website == websites[r.key[4:]] for r in contacts if websites[r.key[4:]])


def test_an_empty_or_nonsense_query_gives_suggestions_not_nothing(atlas):
    empty = find(atlas, "")
    assert empty.query.empty and not empty.total and list(empty.suggestions) == list(EXAMPLES)
    nonsense = find(atlas, "qzxv wrrk")
    assert not nonsense.total and nonsense.query.unmatched == ("qzxv wrrk",)
    assert nonsense.suggestions


# --- how specifically a result matches ------------------------------------------------------------

SECTOR_WIDE = re.compile(r"^sector [^(]*(\(|: )")  # "sector X (you chose X)", "sector X: “w” is a term ..."


@pytest.mark.parametrize("text", ["solar", "photovoltaics", "energy", "medical devices", "batteries", "furniture"])
def test_a_result_named_by_the_keyword_ranks_before_sector_wide_matches(atlas, text):
    """Within every group, anything whose name, product or keyword is the typed word comes before
    anything that only shares its sector."""
    found = find(atlas, text)
    typed = f"“{text}” matches"
    for group, results in found.groups.items():
        named = [i for i, r in enumerate(results) if any(x.startswith(typed) for x in r.reasons)]
        wide = [i for i, r in enumerate(results) if all(SECTOR_WIDE.match(x) for x in r.reasons)]
        if named and wide:
            assert max(named) < min(wide), (text, group, [r.title for r in results])


def test_within_a_chosen_sector_its_eu_china_priority_comes_first(atlas):
    """Energy: photovoltaics (renewable energy) is on the first cards, not behind “2 more”."""
    from components.partner_views import VISIBLE

    found = find(atlas, "", ["energy"])
    clusters = found.groups["clusters"]
    pv = cluster_key(atlas, "Photovoltaic", "Wuxi")
    assert pv in keys(clusters, VISIBLE)
    priority = {
        "ic:" + r["id"]
        for r in atlas.clusters.to_dict("records")
        if r["sector"] == "energy" and "renewable_energy" in r["priority_sector"].split(";")
    }
    assert set(keys(clusters, len(priority))) == priority
    yrd = next(r for r in found.groups["city_clusters"] if r.key == "cc:cc_yrd")
    holds = next(x for x in yrd.reasons if x.startswith("holds"))
    assert "Photovoltaic" in holds.split(" and ")[0]


def test_a_field_that_is_the_word_itself_ranks_first(atlas):
    found = find(atlas, "URBAN-EU-CHINA")
    assert keys(found.groups["projects"])[:2] == ["prj:prj_urban_eu_china", "prj:prj_trans_urban_eu_china"]


def test_a_words_nace_code_does_not_pull_in_unrelated_industries(atlas):
    """“wind” is NACE 28.11 (turbines); the valves and axle-bearing clusters are coded 28.1, which
    contains turbines but is not about them, and photovoltaics (27.1) is not wind."""
    found = find(atlas, "wind")
    for industry, place in (
        ("Valves", "Longwan"),
        ("Axle bearing", ""),
        ("Photovoltaic", "Wuxi"),
        ("Plumbing hardware", ""),
    ):
        assert cluster_key(atlas, industry, place) not in keys(found.groups["clusters"])
    row = next(s for s in load_synonyms(sectors=frozenset(atlas.taxonomy.order)) if s.term == "wind")
    for r in found.groups["clusters"]:  # anything left is coded inside the word's codes or named by
        # it, or flagged renewable energy (wind's EU-China priority sector) and coded around them
        rec = atlas.clusters.set_index("id").loc[r.key[3:]]
        codes = nace.codes(rec["nace"])
        inside = any(w.contains(c) for w in row.codes for c in codes)
        around = rec["priority_sector"] == "renewable_energy" and any(c.contains(w) for w in row.codes for c in codes)
        assert inside or around or any("matches" in x for x in r.reasons)
    assert cluster_key(atlas, "Automobile", "Huadu") in keys(find(atlas, "automotive").groups["clusters"])


def test_no_synonym_row_pulls_in_clusters_only_near_its_codes(atlas):
    """For every row of the synonym table: a cluster found without any of its words is coded inside
    one of the row's NACE codes (or around it, when flagged for the row's EU-China priority
    sector), or is in a sector or priority sector the word is the name of."""
    inside = re.compile(r"is NACE (\S+); this cluster is NACE (\S+)$")
    around = re.compile(r"is NACE (\S+); this cluster includes it: NACE (\S+)$")
    tax = atlas.taxonomy.sectors
    for row in load_synonyms(sectors=frozenset(atlas.taxonomy.order)):
        priorities = {tax.at[s, "priority_sector"] for s in row.sectors} - {""}
        for r in find(atlas, row.term).groups["clusters"]:
            if any(" matches " in x for x in r.reasons):
                continue
            flagged = atlas.clusters.set_index("id").at[r.key[3:], "priority_sector"] in priorities
            for x in r.reasons:
                m, b = inside.search(x), around.search(x)
                assert (
                    (m and nace.code(m.group(1)).contains(nace.code(m.group(2))))
                    or (b and flagged and nace.code(b.group(2)).contains(nace.code(b.group(1))))
                    or "names the sector" in x
                    or "names the EU-China priority sector" in x
                ), (
                    row.term,
                    r.title,
                    x,
                )


@pytest.mark.parametrize(
    "text, unrelated",
    [
        ("furniture", ["Boxboard", "Jade processing", "Lighter", "Zipper"]),
        ("ceramics", ["Eyewear"]),
        ("power equipment", ["Valves", "Axle bearing", "Plumbing hardware"]),
        ("moulds", ["Locks", "Kitchenware"]),
    ],
)
def test_a_keyword_does_not_pull_in_unrelated_industries(atlas, text, unrelated):
    titles = [r.title for r in find(atlas, text).groups["clusters"]]
    assert titles and not [t for t in titles if any(t.startswith(u) for u in unrelated)], titles


def test_a_city_cluster_is_found_from_the_sectors_of_the_local_clusters_the_documents_name(atlas):
    """The YRD's sectors do not list consumer goods or environment, but its description names
    the local stationery cluster and environmental protection equipment (eyewear follows its NACE
    division, C32.5, into health)."""
    yrd = atlas.city_clusters.set_index("id").loc["cc_yrd"]
    assert "consumer" not in yrd["sectors"].split(";") and "environment" not in yrd["sectors"].split(";")
    for sector, named in (("consumer", "stationery"), ("environment", "environmental protection equipment")):
        found = find(atlas, "", [sector])
        hit = next((r for r in found.groups["city_clusters"] if r.key == "cc:cc_yrd"), None)
        assert hit is not None, sector
        assert any(f"local industrial cluster “{named}”" in x for x in hit.reasons), hit.reasons
    industries = {}
    for r in atlas.industry_sectors.to_dict("records"):
        for name in (r["industry"].removesuffix(" industrial cluster"), r["product_en"].split("(")[0].strip()):
            industries[name.lower()] = r["sector"]
    named = [
        (r["id"], piece, industries[piece.lower()])
        for r in atlas.city_clusters.to_dict("records")
        for piece in re.split(r"[;,]\s+|:\s+", r["local_industrial_clusters"])
        if piece.lower() in industries
    ]
    assert len(named) >= 10
    for cc, piece, sector in named:  # every named local cluster that is a listed industry
        assert f"cc:{cc}" in keys(find(atlas, "", [sector]).groups["city_clusters"]), (cc, piece, sector)


@pytest.mark.parametrize("text, sectors", [("", ["textiles"]), ("", ["ict"]), ("ENRICH", []), ("mission", [])])
def test_no_two_results_in_a_list_look_the_same(atlas, text, sectors):
    found = find(atlas, text, sectors)
    assert found.total
    for results in found.groups.values():
        labels = [r.label for r in results]
        assert len(labels) == len(set(labels)), labels
        assert len(keys(results)) == len(set(keys(results)))


def test_reasons_and_titles_name_no_files_and_repeat_nothing(atlas):
    from components.partner_views import _read_as

    for text in ("solar", "batteries", "wind", "C29", "NATUREEF"):
        found = find(atlas, text)
        assert ".csv" not in _read_as(found, atlas)
        for results in found.groups.values():
            for r in results:
                assert all(".csv" not in x for x in r.reasons), (text, r.reasons)
                parts = r.title.split(" — ")
                assert len(parts) == 1 or parts[0] != parts[1], r.title


# --- the synonyms table ------------------------------------------------------------------------------


def test_the_synonym_table_is_valid_and_cited(atlas):
    rows = load_synonyms(sectors=frozenset(atlas.taxonomy.order))
    assert len(rows) >= 30
    assert all(SOURCE_RE.search(r.source) for r in rows)


def test_a_broken_synonym_row_is_refused_with_row_and_field(tmp_path, atlas):
    shutil.copy(DATA_DIR / "synonyms.csv", tmp_path / "synonyms.csv")
    lines = (tmp_path / "synonyms.csv").read_text(encoding="utf-8").splitlines()
    lines[2] = "medical gadgets,gizmos,health,C99.9.9,NACE Rev. 2 (Eurostat)"
    (tmp_path / "synonyms.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DataFileError) as err:
        load_synonyms(tmp_path, frozenset(atlas.taxonomy.order))
    assert err.value.row == 2 and err.value.field == "nace"


# --- the shortlist -------------------------------------------------------------------------------------


def read_address(atlas, params: dict) -> tuple[dict, str | None]:
    """What the finder reads from an address: its state and one notice."""
    values, ignored = parse(params, pv.url_params(atlas))
    return pv.from_address(atlas, values), notice(ignored)


def test_a_shortlist_keeps_known_entries_in_order_and_reports_the_rest(atlas):
    state, note = read_address(atlas, {"shortlist": "ic:IC048, z:z_huadu_auto_city,<b>x</b>,ic:IC048,esp:nope"})
    assert state[pv.SHORTLIST] == ["ic:IC048", "z:z_huadu_auto_city"]
    assert note.count("Ignored") == 1 and "unknown shortlist entry `bx/b`, `esp:nope`" in note
    assert "<b>" not in note


def test_an_event_stop_in_a_link_is_shortlisted_as_its_event(atlas):
    docs = shortlist_docs(atlas)
    stop, doc = next((k, d) for k, d in docs.items() if k.startswith("ev:") and k != d.key)
    state, note = read_address(atlas, {"shortlist": f"{stop},{doc.key}"})
    assert state[pv.SHORTLIST] == [doc.key] and note is None


@pytest.mark.parametrize("n", [1, 4, MAX_SHORTLIST])
def test_a_finder_address_reads_back_as_the_same_state(atlas, n):
    longest = sorted({d.key for d in shortlist_docs(atlas).values()}, key=len, reverse=True)
    state = {
        pv.SHORTLIST: longest[:n],
        pv.QUERY: "C29, solar, 花都 [a](//e.io)"[: 3 * n],
        pv.SECTORS: list(atlas.taxonomy.order[:n]),
    }
    assert read_address(atlas, pv.to_address(state)) == (state, None)
    assert read_address(atlas, pv.to_address(pv.EMPTY)) == (pv.EMPTY, None)


def test_a_shortlist_beyond_its_limit_keeps_the_first_and_says_so(atlas):
    keys = sorted({d.key for d in shortlist_docs(atlas).values()})[: MAX_SHORTLIST + 2]
    state, note = read_address(atlas, {"shortlist": ",".join(keys)})
    assert state[pv.SHORTLIST] == keys[:MAX_SHORTLIST]
    assert f"2 shortlist entries over the limit of {MAX_SHORTLIST}" in note


def test_a_shortlist_table_carries_each_records_source_and_website(atlas):
    table = shortlist_table(atlas, ["ic:IC048", "org:org_eu_sme_centre", "esp:esp_give"])
    src = {
        "ic:IC048": atlas.clusters.set_index("id").at["IC048", "source"],
        "org:org_eu_sme_centre": atlas.organisations.set_index("id").at["org_eu_sme_centre", "source"],
        "esp:esp_give": atlas.partnerships.set_index("id").at["esp_give", "source"],
    }
    assert dict(zip(table["key"], table["source"], strict=False)) == src
    assert table.set_index("key").at["org:org_eu_sme_centre", "website"].startswith("https://")
    assert table.set_index("key")["lat"].isna().tolist() == [False, False, True]


def feature_labels(group) -> list[str]:
    return [
        f["properties"]["label"]
        for child in group.group()._children.values()
        if hasattr(child, "data")
        for f in child.data["features"]
    ]


def test_the_shortlist_map_shows_located_items_with_rings_and_escaped_labels(atlas):
    from components.partner_views import shortlist_layers

    groups = shortlist_layers(atlas, ["ic:IC048", "cc:cc_prd", "esp:esp_give"])
    row = atlas.clusters.set_index("id").loc["IC048"]
    assert feature_labels(groups[0]) == [html.escape(f"★ {row['industry']} · {row['name_en']} · {row['province']}")]
    assert len(groups) == 1 + 2  # the points, then a ring for the cluster and an outline for the PRD


# --- the page -------------------------------------------------------------------------------------------


def run(**params) -> AppTest:
    return run_page_at(PAGE, **params)


def test_the_page_opens_with_a_guide():
    at = run()
    assert at.title[0].value == "Partner finder"
    assert any("Start with a sector" in i.value for i in at.info)
    assert "Your shortlist (0)" in [s.value for s in at.subheader]


def test_the_page_shows_counts_per_group_for_a_query(atlas):
    at = run(q="C29")
    found = find(atlas, "C29")
    labels = [t.label for t in at.tabs]
    assert f"Industrial clusters ({len(found.groups['clusters'])})" in labels
    eu = sum(len(found.groups[g]) for g in ("partnerships", "projects", "events", "support"))
    assert f"EU instruments ({eu})" in labels
    assert any("Automobile industrial cluster" in m.value for m in at.markdown)


def test_sectors_and_query_come_from_the_url_and_markup_stays_text(atlas):
    at = run(sector="health", q="<script>alert(1)</script>, solar")
    assert at.multiselect(key="pf_sectors").value == ["health"]
    found = find(atlas, "<script>alert(1)</script>, solar", ["health"])
    assert f"Industrial clusters ({len(found.groups['clusters'])})" in [t.label for t in at.tabs]
    shown = [m.value for m in at.markdown] + [c.value for c in at.caption] + [w.value for w in at.warning]
    assert any("script" in t for t in shown) and all("<script>" not in t for t in shown)


def test_the_shortlist_survives_a_reload_from_its_url(atlas):
    at = run(q="C29")
    huadu = cluster_key(atlas, "Automobile", "Huadu")
    next(b for b in at.button if b.key == f"pf_clusters_{huadu}").click().run()
    assert not at.exception
    url = {k: at.query_params[k] for k in at.query_params}
    shared = url["shortlist"] if isinstance(url["shortlist"], str) else url["shortlist"][0]
    assert shared.split(",") == [huadu]
    again = run(**{k: (v if isinstance(v, str) else v[0]) for k, v in url.items()})  # a new session
    assert "Your shortlist (1)" in [s.value for s in again.subheader]
    assert any(b.key == f"pf_sl_{huadu}" for b in again.button)


def test_a_bad_shortlist_entry_is_ignored_with_a_notice():
    at = run(shortlist="ic:IC048,ic:IC999,<script>x</script>")
    assert "Your shortlist (1)" in [s.value for s in at.subheader]
    notices = [i.value for i in at.info if "page address" in i.value]
    assert notices == [
        "Ignored in the page address: unknown shortlist entry `ic:IC999`, `scriptx/script` (not in the atlas)."
    ]
    assert {k: at.query_params[k] for k in at.query_params} in ({"shortlist": "ic:IC048"}, {"shortlist": ["ic:IC048"]})
    at.run()  # the next run (any click) no longer repeats the notice
    assert not [i.value for i in at.info if "page address" in i.value]


def test_a_full_shortlist_takes_nothing_more(atlas):
    """The address of a full shortlist still reads back whole, so the page adds nothing beyond it."""
    keys = sorted({d.key for d in shortlist_docs(atlas).values() if d.key.startswith("ic:")})
    at = run(shortlist=",".join(keys[:MAX_SHORTLIST]), q="C29")
    assert f"Your shortlist ({MAX_SHORTLIST})" in [s.value for s in at.subheader]
    adds = [b for b in at.button if b.key and b.key.startswith("pf_clusters_") and "＋" in b.label]
    assert adds and all(b.disabled for b in adds)


def test_a_nonsense_query_shows_suggestions(atlas):
    at = run(q="qzxv")
    assert any("Nothing in the atlas matches" in w.value for w in at.warning)
    assert any(b.key and b.key.startswith("pf_sug_") for b in at.button)
    assert sum(1 for b in at.button if b.key and b.key.startswith("pf_sec_")) == len(atlas.taxonomy.order)
