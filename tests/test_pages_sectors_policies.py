"""Sectors and Policies pages: their charts and cards against the real data, their map links, and
both pages rendered under streamlit.testing (as pages of the app, so links to the map resolve)."""

from __future__ import annotations

import csv
import re
import tomllib
from collections import Counter
from pathlib import Path

import pytest
import yaml
from app_pages import app_test, open_tab
from streamlit.testing.v1 import AppTest

from atlas.labels import with_period
from atlas.paths import DATA_DIR
from atlas.policy_tables import (
    FACTSHEET_FIELDS,
    FACTSHEET_POLICIES,
    comparison,
    factsheet,
    filter_policies,
    maturity_rows,
    text_of,
    timeline_rows,
    undated,
    where_it_applies,
)
from atlas.provenance import summary
from atlas.sector_stats import (
    OTHER_PROVINCES,
    clusters_by_province,
    clusters_by_sector,
    grouped_hierarchy,
    hierarchy,
    priority_overview,
    priority_sectors,
    programme_matches,
)
from atlas.state import view_from_url
from atlas.text import split
from components.charts import sector_bar
from components.explorer_session import known_values
from components.page_state import NAV_KEY
from components.policy_views import maturity_figure, timeline_figure
from components.sector_views import (
    PROVINCE_ROW_PX,
    clicked_sector,
    hierarchy_figure,
    province_stack,
    sectors_data,
    sectors_figure,
)
from components.text import source_md
from components.url_state import map_link_params

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")


@pytest.fixture(scope="module")
def raw_policies():
    return yaml.safe_load((DATA_DIR / "policies.yaml").read_text(encoding="utf-8"))


def bar_values(trace) -> dict:
    return dict(zip(trace.y, trace.x, strict=False))


# --- Sectors: charts ----------------------------------------------------------------------------


def test_sector_bars_count_the_clusters_of_each_sector_in_taxonomy_order(atlas):
    tax = atlas.taxonomy
    fig = sector_bar(tax, clusters_by_sector(atlas))
    expected = Counter(atlas.clusters["sector"])
    (bar,) = fig.data
    assert bar_values(bar) == {tax.label(s): n for s, n in expected.items()}
    assert sum(bar.x) == len(atlas.clusters)
    assert list(bar.customdata) == [s for s in tax.order if s in expected]
    assert list(bar.marker.color) == [tax.colour(s) for s in bar.customdata]


def test_province_bars_stack_to_the_counts_printed_in_table_4(atlas):
    tax = atlas.taxonomy
    fig = province_stack(tax, clusters_by_province(atlas))
    bars = [t for t in fig.data if t.type == "bar"]
    totals = Counter()
    for t in bars:
        sector = t.customdata[0]
        assert t.marker.color == tax.colour(sector)
        for province, n in zip(t.y, t.x, strict=False):
            totals[province] += n
    printed = atlas.clusters.groupby("province")["province_count_printed"].first()
    rows = atlas.clusters.groupby("province").size()
    assert len(totals) == len(printed) == len(rows)
    assert sorted(totals.values()) == sorted(int(v) for v in printed) == sorted(int(v) for v in rows)
    beside = dict(zip(fig.data[-1].y, fig.data[-1].x, strict=False))  # the printed count written at each bar's end
    assert totals == Counter(beside)
    ordered = [totals[y] for y in fig.data[-1].y]  # largest province on top
    assert ordered == sorted(ordered, reverse=True)


def test_treemap_nests_every_cluster_under_its_province_and_sector(atlas):
    tax = atlas.taxonomy
    nodes = hierarchy(atlas)
    fig = hierarchy_figure(tax, nodes)
    (tree,) = fig.data
    value = dict(zip(tree.ids, tree.values, strict=False))
    parent = dict(zip(tree.ids, tree.parents, strict=False))
    roots = [i for i, p in parent.items() if not p]
    printed = atlas.clusters.groupby("province")["province_count_printed"].first()
    assert {r: value[r] for r in roots} == {p: int(n) for p, n in printed.items()}
    leaves = [i for i in tree.ids if i not in set(tree.parents)]
    assert sum(value[i] for i in leaves) == len(atlas.clusters)
    for c in atlas.clusters.to_dict("records"):
        assert f"{c['province']}/{c['sector']}/{c['industry']}" in value
    colour = dict(zip(tree.ids, tree.marker.colors, strict=False))
    for i in tree.ids:
        if parent[i]:
            assert colour[i] == tax.colour(i.split("/")[1])


def test_a_clicked_bar_names_its_sector():
    sectors = ["automotive", "health", "energy"]
    assert clicked_sector({"selection": {"points": [{"customdata": "health"}]}}, sectors) == "health"
    assert clicked_sector({"selection": {"points": [{"point_index": 2, "curve_number": 0}]}}, sectors) == "energy"
    assert clicked_sector({"selection": {"points": []}}, sectors) is None
    assert clicked_sector(None, sectors) is None


# --- Sectors: priority cards and national lists -----------------------------------------------


@pytest.mark.parametrize("priority", ["automotive", "human_health", "renewable_energy", "ict"])
def test_priority_card_holds_its_figures_places_policies_and_cooperation(atlas, raw_policies, priority):
    o = priority_overview(atlas, priority)
    figs = atlas.sector_figures[atlas.sector_figures["priority_sector"] == priority]
    assert sorted(o["figures"]["id"]) == sorted(figs["id"])
    assert list(o["figures"]["value_text"].sort_values()) == sorted(figs["value_text"])
    ids = list(o["figures"]["id"])
    for r in figs.to_dict("records"):
        if r["same_metric_as"]:  # both versions shown, side by side, each naming its document
            i, j = ids.index(r["id"]), ids.index(r["same_metric_as"])
            assert abs(i - j) == 1
            docs = set(o["figures"].set_index("id").loc[[r["id"], r["same_metric_as"]], "document"])
            assert docs == {"2019 briefing (000)", "earlier D3.2 briefing (001)"}
    assert set(o["clusters"]["id"]) == set(atlas.clusters.loc[atlas.clusters["priority_sector"] == priority, "id"])
    assert set(o["zones"]["id"]) == {
        z["id"] for z in atlas.zones.to_dict("records") if priority in split(z["priority_sectors"])
    }
    sectors = priority_sectors(atlas)[priority]
    expected = {
        p["id"]
        for p in raw_policies
        if priority in (p["applies_to"].get("priority_sectors") or [])
        or set(p["applies_to"].get("sectors") or []) & set(sectors)
    }
    assert {p["id"] for p in o["policies"]} == expected
    coop = o["cooperation"]
    groups = {
        e["event_group"]
        for e in atlas.events.to_dict("records")
        if priority in split(e["priority_sectors"]) or set(split(e["sectors"])) & set(sectors)
    }
    assert sorted(e["group"] for e in coop["events"]) == sorted(groups)
    assert {p["id"] for p in coop["partnerships"]} == {
        p["id"]
        for p in atlas.partnerships.to_dict("records")
        if priority in split(p["priority_sector"]) or set(split(p["sector"])) & set(sectors)
    }


def test_national_sector_lists_count_the_clusters_and_zones_of_their_sectors(atlas):
    for table in (atlas.mic2025, atlas.strategic_emerging):
        df = programme_matches(atlas, table)
        assert list(df["id"]) == list(table["id"])
        for r in df.to_dict("records"):
            assert r["clusters"] == int(atlas.clusters["sector"].isin(r["sectors"]).sum())
            assert r["zones"] == sum(bool(set(split(z)) & set(r["sectors"])) for z in atlas.zones["sectors"])
            assert len([x for x in r["cluster_names"].split("; ") if x]) == r["clusters"]


def test_source_lines_keep_seed_sections_and_count_other_references():
    line = summary(
        ["001_9852d4d85712b810.txt Table 4", "001_9852d4d85712b810.txt Table 4 | Wikipedia: X (https://e.org/x)"],
        limit=0,
    )
    assert (
        line
        == "ECCP D3.2 Preparatory Briefing on China (earlier version), 1 section; 1 further reference cited in the rows"
    )
    many = summary([f"000_84dd9b47cfbecbda.txt §{i}" for i in range(6)])
    assert many == "ECCP Preparatory Briefing on China (2019 update), 6 sections"


def test_cited_pages_become_working_links():
    text = source_md("003_dc8295c2f9555873.txt §1 | China Torch Plan (https://jxxfw.com/p/7.html) | *x*")
    assert "](https://jxxfw.com/p/7.html)" in text
    assert "\\*x\\*" in text


# --- Policies ----------------------------------------------------------------------------------


def test_timeline_has_one_row_per_dated_policy_from_its_start_to_its_end(atlas, raw_policies):
    rows = timeline_rows(atlas.policies)
    dated = [p for p in raw_policies if p["year_start"] or p["year_end"]]
    assert sorted(rows["id"]) == sorted(p["id"] for p in dated)
    assert sorted(undated(atlas.policies)["id"]) == sorted(
        p["id"] for p in raw_policies if not (p["year_start"] or p["year_end"])
    )
    fig = timeline_figure(rows, "level")
    drawn = {}
    for t in fig.data:
        for i, _label in enumerate(t.y):
            name = t.customdata[i][0]
            assert name not in drawn
            drawn[name] = (t.base[i], t.base[i] + t.x[i]) if t.type == "bar" else (t.x[i], t.x[i])
    assert len(drawn) == len(dated) == len({lbl for t in fig.data for lbl in t.y})
    for p in dated:
        start, end = p["year_start"], p["year_end"]
        if start and end:
            assert drawn[p["name_en"]] == (start, end)
        else:
            assert drawn[p["name_en"]] == (start or end, start or end)
    with_start = [p for p in raw_policies if p["year_start"]]
    bars_and_since = sum(len(t.y) for t in fig.data if t.type == "bar") + sum(
        sym == "triangle-right" for t in fig.data if t.type == "scatter" for sym in t.marker.symbol
    )
    assert bars_and_since == len(with_start)
    by_kind = timeline_figure(rows, "kind")
    assert {t.name for t in by_kind.data} >= {"Regulation", "Strategy"}


def test_maturity_bars_equal_the_csv(atlas):
    with open(DATA_DIR / "policy_maturity.csv", encoding="utf-8") as f:
        csv_rows = list(csv.DictReader(f))
    fig = maturity_figure(maturity_rows(atlas))
    maximum, score = fig.data
    assert list(maximum.y) == list(score.y) == [r["dimension"] for r in csv_rows]
    assert list(maximum.x) == [float(r["max_score"]) for r in csv_rows]
    assert list(score.x) == [float(r["score"]) for r in csv_rows]
    assert all(r["score_as_printed"] in t for r, t in zip(csv_rows, score.text, strict=False))


def test_factsheet_policies_side_by_side_in_the_same_field_order(atlas, raw_policies):
    names, rows = comparison(atlas)
    by_id = {p["id"]: p for p in raw_policies}
    assert names == [by_id[i]["name_en"] for i in FACTSHEET_POLICIES]
    labels = [label for label, _ in rows]
    assert [lbl for lbl in labels if lbl in dict(FACTSHEET_FIELDS).values()] == [lbl for _, lbl in FACTSHEET_FIELDS]
    objectives = dict(rows)["Objectives"]
    assert objectives == [by_id[i]["objectives"] for i in FACTSHEET_POLICIES]
    assert all(len(values) == 3 for _, values in rows)


def test_cards_show_only_the_fields_the_documents_fill(raw_policies):
    for p in raw_policies:
        shown = factsheet(p)
        expected = [label for field, label in FACTSHEET_FIELDS if text_of(p.get(field))]
        assert [label for label, _ in shown] == expected
        assert all(text for _, text in shown)


def test_card_filters(atlas, raw_policies):
    df = filter_policies(atlas.policies, levels=["local"])
    assert len(df) == sum(p["level"] == "local" for p in raw_policies)
    df = filter_policies(atlas.policies, kinds=["regulation", "guideline"], sectors=["energy"])
    assert set(df["id"]) == {
        p["id"]
        for p in raw_policies
        if p["kind"] in ("regulation", "guideline") and "energy" in (p["applies_to"]["sectors"] or [])
    }
    assert len(filter_policies(atlas.policies)) == len(raw_policies)


def test_every_map_link_opens_the_map_without_a_notice(atlas):
    known = known_values(atlas)
    links = [w["link"] for p in atlas.policies.to_dict("records") for w in where_it_applies(atlas, p)]
    for pid in priority_sectors(atlas):
        o = priority_overview(atlas, pid)
        links += [{"priority": pid}] + [{"sel": f"ic:{i}"} for i in o["clusters"]["id"]]
        links += [{"sel": f"z:{i}"} for i in o["zones"]["id"]]
    links += [{"sector": ",".join(r["sectors"])} for r in programme_matches(atlas, atlas.mic2025).to_dict("records")]
    links += [{"province": c} for c in clusters_by_province(atlas)["province_code"]]
    assert any(link.get("cc") == "cc_prd" for link in links)
    for link in links:
        params = map_link_params(**link)
        assert params.pop(NAV_KEY) == "1"
        view, note = view_from_url(params, known)
        assert note is None, (link, note)
        assert view.sel or view.sectors or view.priority or view.provinces or view.city_clusters


# --- both pages under AppTest -------------------------------------------------------------------


def open_page(page: str) -> AppTest:
    at = app_test(page)
    at.run()
    assert not at.exception, at.exception
    return at


def metrics(at) -> list[tuple[str, str]]:
    return [(m.label, m.value) for m in at.metric]


def test_sectors_page_renders_with_its_counts_and_map_links(atlas):
    at = open_page("pages/1_Sectors.py")
    assert [t.value for t in at.title] == ["Sectors"]
    assert [h.value for h in at.header] == [
        "Industrial clusters by sector",
        "The four priority sectors",
        "Made in China 2025 and the strategic emerging industries",
    ]
    m = metrics(at)
    assert ("Industrial clusters (2010 list)", str(len(atlas.clusters))) in m
    assert ("Provinces with clusters (2010 list)", str(atlas.clusters["province"].nunique())) in m
    queries = [p.proto.query_string for p in at.page_link]
    assert "sector=automotive&nav=1" in queries
    at.selectbox(key="ml_sector").set_value(list(clusters_by_sector(atlas)).index("textiles")).run()
    assert "sector=textiles&nav=1" in [p.proto.query_string for p in at.page_link]
    for pid in priority_sectors(atlas):  # one tab per priority sector, each its card
        label = atlas.taxonomy.priority_label(pid)
        open_tab(at, "sec_priority", label)
        assert label in [s.value for s in at.subheader]
        flagged = [v for lbl, v in metrics(at) if lbl == "Flagged clusters (2010 list)"]
        assert flagged == [str((atlas.clusters["priority_sector"] == pid).sum())]
        assert f"priority={pid}&nav=1" in [p.proto.query_string for p in at.page_link]


def test_sectors_page_draws_only_the_open_views_charts(atlas):
    at = open_page("pages/1_Sectors.py")
    charts = at.get("plotly_chart")
    assert len(charts) == 1 and "Automotive" in charts[0].proto.spec  # the by-sector bars
    assert len(at.dataframe) == 0  # tables behind expanders: the grid loads only when one is opened
    at.session_state["figtable_automotive"] = True
    at.run()
    assert len(at.dataframe) == 1 and "Figure as printed" in at.dataframe[0].value.columns
    open_tab(at, "sec_view", "By province")
    (chart,) = at.get("plotly_chart")
    assert '"Zhejiang"' in chart.proto.spec and "Table 4 count" in chart.proto.spec
    open_tab(at, "sec_view", "Province → sector → industry")
    (chart,) = at.get("plotly_chart")
    assert '"treemap"' in chart.proto.spec


def test_the_pages_figures_are_built_once_for_every_session(atlas):
    for which in ("sector", "province", "treemap", "sunburst"):
        assert sectors_figure(atlas, which) is sectors_figure(atlas, which)
    assert sectors_data(atlas) is sectors_data(atlas)


def test_every_province_is_labelled(atlas):
    fig = province_stack(atlas.taxonomy, clusters_by_province(atlas))
    provinces = list(fig.data[-1].y)
    assert len(provinces) == atlas.clusters["province"].nunique()
    assert list(fig.layout.yaxis.tickvals) == list(fig.layout.yaxis.ticktext) == provinces
    assert fig.layout.height >= PROVINCE_ROW_PX * len(provinces)


def test_small_provinces_share_one_treemap_tile_and_no_text_is_shrunk_unreadable(atlas):
    nodes = grouped_hierarchy(atlas)
    top = nodes[nodes["parent"] == ""]
    small = atlas.clusters.groupby("province").size()
    small = set(small[small < 3].index)
    assert OTHER_PROVINCES in set(top["id"])
    assert all(v >= 3 for i, v in zip(top["id"], top["value"], strict=False) if i != OTHER_PROVINCES)
    under_other = set(nodes.loc[nodes["parent"] == OTHER_PROVINCES, "id"])
    assert under_other == small
    assert int(top["value"].sum()) == len(atlas.clusters)
    for kind in ("treemap", "sunburst"):
        fig = hierarchy_figure(atlas.taxonomy, nodes, kind)
        assert fig.layout.uniformtext.mode == "hide" and fig.layout.uniformtext.minsize >= 12


def test_hover_labels_show_whole_names(atlas):
    figs = [sectors_figure(atlas, w) for w in ("sector", "province", "treemap")]
    figs += [timeline_figure(timeline_rows(atlas.policies)), maturity_figure(maturity_rows(atlas))]
    for fig in figs:
        assert fig.layout.hoverlabel.namelength == -1


def test_a_period_is_printed_once():
    assert with_period("13th Five-Year Plan (2016-2020)", "2016–2020") == "13th Five-Year Plan (2016-2020)"
    assert with_period("Made in China 2025", "since 2015") == "Made in China 2025 (since 2015)"
    assert with_period("Healthy China 2030", "2016–2030") == "Healthy China 2030 (2016–2030)"
    assert with_period("SENET — Health hub", "") == "SENET — Health hub"


def test_no_card_prints_a_period_twice(atlas):
    checked = 0
    for pid in priority_sectors(atlas):
        for p in priority_overview(atlas, pid)["policies"]:
            shown = with_period(p["name"], p["years"]).replace("–", "-")
            periods = re.findall(r"(?:19|20)\d\d-(?:19|20)\d\d", shown)
            assert len(periods) == len(set(periods)), shown
            checked += p["name"].startswith("13th Five-Year Plan")
    assert checked  # the policy whose name carries its period is among them


def test_page_titles_start_near_the_top():
    """Streamlit's default 6rem gap above a page's title is replaced by the documented theme option."""
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["theme"]["paddingTop"] == "1rem"


def test_policies_page_renders_and_filters_its_cards(atlas, raw_policies):
    at = open_page("pages/2_Policies.py")
    assert [t.value for t in at.title] == ["Policies"]
    assert [h.value for h in at.header] == ["Timeline 1978 → 2035"]  # only the open tab runs
    labels = [label for label, _ in metrics(at)]  # each count says the years or documents it is for
    assert all(
        re.search(r"\((?:[^()]*\b(?:19|20)\d{2}\b|[^()]*(?:briefings?|page|Paper|factsheet))[^()]*\)$", x)
        for x in labels
    ), labels
    m = {re.sub(r" \([^()]*\)$", "", label): value for label, value in metrics(at)}
    assert m["Policies"] == str(len(raw_policies))
    assert m["On the timeline"] == str(sum(bool(p["year_start"] or p["year_end"]) for p in raw_policies))
    assert "Cluster policy maturity" in [h.value for h in open_tab(at, "pol_view", "Cluster policy maturity").header]

    def cards(at) -> int:
        return sum(md.value.startswith("#### ") for md in at.markdown)

    open_tab(at, "pol_view", "Every policy")
    assert cards(at) == len(raw_policies)
    assert any(f"Showing **{len(raw_policies)} of {len(raw_policies)}**" in md.value for md in at.markdown)
    gba = at.selectbox(key="ml_p_gba_plan")  # many places: a picker and one link
    gba.set_value(next(i for i, o in enumerate(gba.options) if o.startswith("City cluster: Pearl River Delta"))).run()
    assert "cc=cc_prd&nav=1" in [p.proto.query_string for p in at.page_link]
    at.multiselect(key="f_level").select("local").run()
    local = sum(p["level"] == "local" for p in raw_policies)
    assert not at.exception
    assert cards(at) == local
    assert any(f"Showing **{local} of {len(raw_policies)}**" in md.value for md in at.markdown)


# --- in the browser: what a presenter sees at 1280×720 ----------------------------------------

TITLE_TOP_JS = """() => { const r = document.createRange(); r.selectNodeContents(document.querySelector('h1'));
  return r.getBoundingClientRect().top; }"""


@pytest.mark.browser
def test_titles_sit_at_the_top_and_every_province_is_labelled_in_the_browser(atlas):
    from browser import Offline, launch, serve
    from playwright.sync_api import sync_playwright

    with serve() as url, sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page(viewport={"width": 1280, "height": 720})
        Offline(page)
        for path in ("Sectors", "Policies", "Cooperation", "Compare", "Data"):
            page.goto(f"{url}/{path}")
            page.locator("h1").first.wait_for(timeout=60_000)
            assert page.evaluate(TITLE_TOP_JS) < 60, path  # Streamlit's default put it ~110 px down
        page.goto(f"{url}/Sectors")
        page.get_by_role("tab", name="By province").click()
        ticks = page.locator("[data-testid='stPlotlyChart'] .ytick text")
        ticks.first.wait_for(timeout=60_000)
        names = sorted(set(clusters_by_province(atlas)["province_code"]))
        page.wait_for_function(f"() => document.querySelectorAll('.ytick text').length >= {len(names)}", timeout=60_000)
        shown = [t for t in ticks.all_text_contents() if t]
        assert len(shown) == len(names) == len(set(shown))
        browser.close()


def test_timeline_labels_are_whole_names(atlas):
    fig = timeline_figure(timeline_rows(atlas.policies), "level")
    for t in fig.data:
        for label, custom in zip(t.y, t.customdata, strict=False):
            assert label.replace("<br>", " ").rstrip() == custom[0]  # wrapped, never cut
            assert all(len(line) <= 70 for line in label.split("<br>")), label


# ---------------------------------------------------------------- the year of every figure

AS_OF_WORDS = re.compile(r"\b(?:19|20)\d{2}\b|list|briefings?|factsheet|Discussion Paper|country page", re.I)


def test_every_sectors_metric_says_its_year_and_the_cluster_count_names_the_2010_list(atlas):
    """The headline metrics and each priority card's metrics carry the year of the list or the
    dates of the documents they count; the cluster count's help says which list it is."""
    at = open_page("pages/1_Sectors.py")
    clusters = next(m for m in at.metric if m.label.startswith("Industrial clusters"))
    assert clusters.label == "Industrial clusters (2010 list)" and clusters.value == str(len(atlas.clusters))
    assert "2010" in clusters.proto.help and "Table 4" in clusters.proto.help
    for pid in priority_sectors(atlas):
        open_tab(at, "sec_priority", atlas.taxonomy.priority_label(pid))
        labels = [m.label for m in at.metric]
        assert len(labels) == 9, labels  # four headline metrics, five on the open card
        for label in labels:
            m = re.search(r"\(([^()]+)\)$", label)
            assert m and AS_OF_WORDS.search(m.group(1)), label


@pytest.mark.parametrize("priority", ["automotive", "human_health", "renewable_energy", "ict"])
def test_every_key_figure_line_on_a_card_says_its_year(atlas, priority):
    from components.sector_views import figure_line

    for r in priority_overview(atlas, priority)["figures"].to_dict("records"):
        line = figure_line(r)
        assert "no year" not in line
        assert r["as_of"] in line or all(y in line for y in re.findall(r"\d{4}", r["as_of"])), line
