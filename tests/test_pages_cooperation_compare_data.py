"""Cooperation, Compare and Data pages: the tables and files behind them (on the real data) and
the pages themselves under streamlit.testing. Expected values are computed from the data files."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from pathlib import Path

import pandas as pd
import pytest
import yaml
from app_pages import app_test, open_tab
from streamlit.testing.v1 import AppTest

from atlas import compare as C
from atlas import counts
from atlas import exports as X
from atlas.drilldown import policies_for
from atlas.page_params import notice, parse
from atlas.paths import DATA_DIR
from atlas.provenance import combined, source_line
from atlas.provinces import PROVINCE_NAMES_EN
from atlas.text import split
from components import cooperation_views as V
from components.compare_views import facet_bars
from components.text import cite

ROOT = Path(__file__).resolve().parents[1]
CHINA_BBOX = (73.0, 136.0, 3.0, 54.0)  # lon min/max, lat min/max


def run_page(name: str, **params) -> AppTest:
    at = app_test(name)
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, at.exception
    return at


def metric(at: AppTest, label: str) -> str:
    """A metric's value by its label without the year or document date it ends with."""
    return next(m.value for m in at.metric if label in (m.label, re.sub(r" \([^()]*\)$", "", m.label)))


def markdown_text(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


@pytest.fixture(scope="module")
def known(atlas):
    return C.options(atlas, PROVINCE_NAMES_EN)


def province_of(df: pd.DataFrame, code: str) -> pd.Series:
    return df["adcode"].astype(str).str[:2] == code[:2]


# ---------------------------------------------------------------- compare: selection


def read_selection(params: dict, known) -> tuple[list[str], str | None]:
    """What the Compare page reads from an address: the places and one notice."""
    values, ignored = parse(params, C.url_params(known))
    return C.selection(values), notice(ignored)


def test_selection_keeps_valid_places_and_reports_bad_ones(known):
    keys, note = read_selection({"compare": "province:440000, cc:cc_yrd,bogus:1,province:440000,<b>x</b>"}, known)
    assert keys == ["province:440000", "cc:cc_yrd"]
    assert note.count("Ignored") == 1 and "bogus:1" in note
    assert "<b>" not in note


def test_selection_is_capped_at_five_places(known):
    seven = list(known)[:7]
    keys, note = read_selection({"compare": ",".join(seven)}, known)
    assert keys == seven[: C.MAX_PLACES]
    assert "2 places over the limit of 5" in note


@pytest.mark.parametrize("n", [0, 1, 2, C.MAX_PLACES])
def test_every_selection_the_page_writes_reads_back_the_same(known, n):
    # the longest keys, so a full selection is as long as an address can get
    chosen = sorted(known, key=len, reverse=True)[:n]
    assert read_selection(C.to_url(chosen), known) == (chosen, None)


def test_every_province_and_city_cluster_can_be_chosen(atlas, known):
    assert {f"cc:{i}" for i in atlas.city_clusters["id"]} <= set(known)
    assert {f"province:{c}" for c in PROVINCE_NAMES_EN} <= set(known)


# ---------------------------------------------------------------- compare: tables


def busiest_provinces(atlas, n=5) -> list[str]:
    counts = atlas.clusters["adcode"].str[:2].value_counts().head(n)
    return [f"province:{c}0000" for c in counts.index]


def test_cluster_counts_by_sector_equal_the_dataset_for_each_province(atlas, known):
    places = C.places(busiest_provinces(atlas), known)
    table = C.clusters_by_sector(atlas, places)
    for p in places:
        mine = table[table["key"] == p.key].set_index("sector")["count"]
        expected = atlas.clusters.loc[province_of(atlas.clusters, p.code), "sector"].value_counts()
        assert mine.sum() == expected.sum() > 0
        assert mine[mine > 0].to_dict() == expected.to_dict()
    # aligned: every place has the same sector rows, in taxonomy order
    orders = {tuple(table.loc[table["key"] == p.key, "sector"]) for p in places}
    assert len(orders) == 1
    order = list(orders.pop())
    assert order == [s for s in atlas.taxonomy.order if s in order]


def test_city_cluster_counts_follow_their_polygons(atlas, known):
    places = C.places(["cc:cc_yrd", "cc:cc_prd", "cc:cc_jingjinji"], known)
    table = C.clusters_by_sector(atlas, places)
    for p in places:
        inside = atlas.clusters["city_cluster"].map(lambda c, code=p.code: code in split(c))
        assert table.loc[table["key"] == p.key, "count"].sum() == inside.sum()
    zones = C.zones_by_kind(atlas, places)
    for p in places:
        inside = atlas.zones["city_cluster"].map(lambda c, code=p.code: code in split(c))
        assert zones.loc[zones["key"] == p.key, "count"].sum() == inside.sum()


def test_cooperation_counts_equal_the_records_of_each_place(atlas, known):
    places = C.places(["province:310000", "province:110000", "cc:cc_yrd"], known)
    items = C.cooperation_items(atlas, places)
    counts = C.cooperation_counts(items, places).set_index(["key", "measure"])["count"]
    for p in places:
        mask = C.in_place(atlas.events, p)
        assert counts[(p.key, C.MEASURES[0])] == atlas.events.loc[mask, "event_group"].nunique()
        assert counts[(p.key, C.MEASURES[1])] == C.in_place(atlas.organisations, p).sum()
        sectors = set(C.place_sectors(atlas, p))
        sharing = atlas.partnerships["sector"].map(lambda s, sectors=sectors: bool(set(split(s)) & sectors))
        assert counts[(p.key, C.MEASURES[2])] == sharing.sum()
    shanghai = atlas.events[atlas.events["adcode"].str.startswith("31")]["event_group"].nunique()
    assert counts[("province:310000", C.MEASURES[0])] == shanghai > 0


def test_policies_are_those_the_drilldown_finds(atlas, known):
    places = C.places(["province:440000", "cc:cc_yrd"], known)
    table = C.policies_applying(atlas, places)
    gd = places[0]
    zones = list(atlas.zones.loc[province_of(atlas.zones, gd.code), "id"])
    expected = policies_for(atlas, C.place_sectors(atlas, gd), gd.code, (), zones)
    assert list(table.loc[table["key"] == gd.key, "policy_id"]) == [p.id for p in expected]
    assert "p_gba_plan" in set(table.loc[table["key"] == gd.key, "policy_id"])
    matrix = C.policy_matrix(table, places)
    assert len(matrix) == table["policy_id"].nunique()
    for p in places:
        assert (matrix[p.label] != "").sum() == (table["key"] == p.key).sum()
    reasons = C.policy_reasons(table, places)
    for p in places:
        assert reasons.loc[reasons["key"] == p.key, "count"].sum() == (table["key"] == p.key).sum()


def test_summary_agrees_with_the_tables(atlas, known):
    places = C.places(["province:330000", "cc:cc_prd"], known)
    policies = C.policies_applying(atlas, places)
    items = C.cooperation_items(atlas, places)
    summary = C.summary(atlas, places, policies, items).set_index("Place")
    by_sector = C.clusters_by_sector(atlas, places)
    for p in places:
        row = summary.loc[p.label]
        assert row["Industrial clusters"] == by_sector.loc[by_sector["key"] == p.key, "count"].sum()
        assert row["Policies naming it"] + row["National policies that apply"] == (policies["key"] == p.key).sum()
    assert summary.loc["Zhejiang", "Industrial clusters"] == province_of(atlas.clusters, "330000").sum()


def test_compare_charts_share_one_scale_and_the_sector_colours(atlas, known):
    places = C.places(busiest_provinces(atlas, 3) + ["cc:cc_yrd"], known)
    table = C.clusters_by_sector(atlas, places)
    fig = facet_bars(table, "sector", atlas.taxonomy.colours)
    ranges = {tuple(fig.layout[a].range) for a in fig.layout if a.startswith("xaxis")}
    assert len(ranges) == 1 and ranges.pop()[1] >= table["count"].max()
    assert len(fig.data) == len(places)
    sectors = list(dict.fromkeys(table["sector"]))
    for trace in fig.data:
        assert list(trace.marker.color) == [atlas.taxonomy.colour(s) for s in sectors]
        assert list(trace.y) == [atlas.taxonomy.label(s) for s in sectors]


# ---------------------------------------------------------------- exports


PLACED = [d for d in X.DATASETS if d.geometry in ("point", "polygon")]
CSV_FILES = [d for d in X.DATASETS if d.file.endswith(".csv")]


@pytest.mark.parametrize("ds", PLACED, ids=lambda d: d.key)
def test_geojson_has_one_feature_per_located_record(ds):
    collection = json.loads(X.dataset_geojson(ds, disclaimer="for orientation only"))
    rows = list(csv.DictReader(io.StringIO((DATA_DIR / ds.file).read_text(encoding="utf-8"))))
    features = collection["features"]
    assert collection["type"] == "FeatureCollection" and collection["disclaimer"] == "for orientation only"
    assert collection["source"].startswith(f"China Cluster Atlas, data/{ds.file}")
    if ds.geometry == "polygon":
        assert len(features) == len(rows) == 19
        assert {f["geometry"]["type"] for f in features} <= {"Polygon", "MultiPolygon"}
        assert [f["properties"]["id"] for f in features] == [r["id"] for r in rows]
        return
    located = [r for r in rows if r["lat"].strip() and r["lon"].strip()]
    assert len(features) == len(located) > 0
    for f, r in zip(features, located, strict=False):
        lon, lat = f["geometry"]["coordinates"]
        assert (lon, lat) == (float(r["lon"]), float(r["lat"]))
        assert CHINA_BBOX[0] < lon < CHINA_BBOX[1] and CHINA_BBOX[2] < lat < CHINA_BBOX[3]
        key = "id" if "id" in r else "adcode"
        assert f["properties"][key] == r[key]


def test_datasets_without_places_have_no_geojson():
    assert X.dataset_geojson(X.BY_KEY["policies"]) is None
    assert X.dataset_geojson(X.BY_KEY["sectors"]) is None
    layer = json.loads(X.dataset_geojson(X.BY_KEY["provinces"]))
    assert len(layer["features"]) == 34


@pytest.mark.parametrize("ds", CSV_FILES, ids=lambda d: d.key)
def test_csv_export_round_trips_and_its_data_package_names_the_sources(ds):
    data = X.dataset_csv(ds)
    assert data.decode("utf-8").startswith("\ufeff")
    rows = pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False)  # exactly the data rows
    stored = pd.read_csv(DATA_DIR / ds.file, dtype=str, keep_default_na=False)
    if "source" in stored.columns:  # cited by title, the reference as stored beside it
        assert list(rows["source"]) == [source_line(s) for s in stored["source"]]
        assert not rows["source"].str.contains(r"\b\d{3}_[0-9a-f]{6,}|\.txt\b").any()
        rows = rows.drop(columns="source").rename(columns={"source_file": "source"})
        package = json.loads(zipfile.ZipFile(io.BytesIO(X.dataset_package(ds))).read("datapackage.json"))
        fields = [f["name"] for f in package["resources"][0]["schema"]["fields"]]
        assert fields == list(pd.read_csv(io.BytesIO(data), dtype=str, nrows=0).columns)
    pd.testing.assert_frame_equal(rows[list(stored.columns)], stored)
    assert list(rows.columns) == list(stored.columns)
    package = json.loads(zipfile.ZipFile(io.BytesIO(X.dataset_package(ds))).read("datapackage.json"))
    assert package["description"].startswith(f"Source: China Cluster Atlas, data/{ds.file}")
    if "source" in stored.columns:  # every seed document the rows cite is named in the descriptor
        seeds = set(re.findall(r"\d{3}_[0-9a-f]{16}\.txt", " ".join(stored["source"])))
        assert all(any(s in src["title"] for src in package["sources"]) for s in seeds)


@pytest.mark.parametrize("key", ["policies", "success_stories"])
def test_yaml_datasets_export_one_row_per_record(key):
    ds = X.BY_KEY[key]
    records = yaml.safe_load((DATA_DIR / ds.file).read_text(encoding="utf-8"))
    rows = X.read_csv_export(X.dataset_csv(ds))
    assert list(rows["id"]) == [r["id"] for r in records]
    if key == "policies":  # structured fields survive as JSON
        assert json.loads(rows.loc[0, "applies_to"]) == records[0]["applies_to"]


def test_every_bundled_file_is_offered_and_the_curated_ones_described():
    files = {str(p.relative_to(DATA_DIR)) for ext in ("csv", "yaml", "geojson") for p in DATA_DIR.rglob(f"*.{ext}")}
    offered = {d.file for d in X.all_datasets()}
    not_datasets = {
        str(p.relative_to(DATA_DIR))
        for p in DATA_DIR.rglob("*.yaml")
        if not isinstance(yaml.safe_load(p.read_text(encoding="utf-8")), list)
    }
    assert files - offered == X.COMPANION_FILES | not_datasets
    dictionary = X.sections((DATA_DIR / "README.md").read_text(encoding="utf-8"), 3)
    missing = [d.file for d in X.DATASETS if not dictionary.get(d.readme)]
    assert not missing


def test_a_new_data_file_is_offered_even_before_it_is_catalogued(tmp_path):
    (tmp_path / "new_points.csv").write_text("id,lat,lon,source\nx1,31.2,121.5,Page\nx2,,,Page\n", encoding="utf-8")
    (tmp_path / "notes.yaml").write_text("- id: n1\n  source: Page\n", encoding="utf-8")
    (tmp_path / "config.yaml").write_text("title: not a dataset\nsteps: []\n", encoding="utf-8")
    extra = {d.file: d for d in X.all_datasets(tmp_path)[len(X.DATASETS) :]}
    assert set(extra) == {"new_points.csv", "notes.yaml"}
    assert extra["new_points.csv"].geometry == "point" and extra["notes.yaml"].geometry is None
    collection = json.loads(X.dataset_geojson(extra["new_points.csv"], tmp_path))
    assert [f["properties"]["id"] for f in collection["features"]] == ["x1"]


def test_source_line_names_each_seed_once_and_summarises_the_rest():
    line = combined(
        [
            "000_84dd9b47cfbecbda.txt §3.2 | Page A (https://a.example)",
            "000_84dd9b47cfbecbda.txt §4 | Page B | Page C",
            "Page D | Page E | Page F",
        ],
        limit=1,
    )
    assert line.count("000_84dd9b47cfbecbda.txt") == 1 and "(2 sections)" in line
    assert "Page A" in line and "Page B" not in line and "5 further references cited in the rows" in line
    shown = cite([line])
    assert "Preparatory Briefing on China (2019 update)" in shown and ".txt" not in shown


def test_location_methods_add_up_to_each_dataset(atlas):
    frames = {"clusters": atlas.clusters, "events": atlas.events, "organisations": atlas.organisations}
    table = X.location_methods(frames).set_index("dataset")
    for name, df in frames.items():
        row = table.loc[name]
        assert row[list(X.LOCATION_COLUMNS)].sum() == row["total"] == len(df)
        assert row["not located"] == df["lat"].isna().sum()
    assert table.loc["clusters", "cited"] == (atlas.clusters["location_method"] == "cited").sum()


def test_doc_markdown_drops_only_relative_links():
    text = "See [SOURCES.md](SOURCES.md) and [the page](https://example.org/x)."
    assert X.doc_markdown(text) == "See SOURCES.md and [the page](https://example.org/x)."


# ---------------------------------------------------------------- cooperation views


def test_partnership_sector_chart_counts_every_sector_a_partnership_lists(atlas):
    counts = V.sector_counts(atlas.partnerships)
    assert sum(counts.values()) == sum(len(split(s)) for s in atlas.partnerships["sector"])
    size = V.partnership_size_figure(atlas.taxonomy, atlas.partnerships)
    given = atlas.partnerships[atlas.partnerships["smes"].notna()]
    assert list(size.data[0].y) == list(given["acronym"])
    assert list(size.data[0].x) == [int(v) for v in given["smes"]]


def test_project_timeline_spans_the_printed_years(atlas):
    fig = V.project_timeline_figure(atlas.taxonomy, atlas.projects)
    bar = fig.data[0]
    assert len(bar.y) == len(atlas.projects)
    years = atlas.projects.set_index("acronym")
    for name, base, length in zip(bar.y, bar.base, bar.x, strict=False):
        assert base == years.loc[name, "start_year"] and base + length == years.loc[name, "end_year"] + 1


def test_events_count_once_per_event_group(atlas):
    groups = counts.event_groups(atlas.events)
    assert len(groups) == atlas.events["event_group"].nunique()
    assert groups["stops"].sum() == len(atlas.events)
    per_year = V.events_per_year_figure(groups)
    assert sum(sum(t.y) for t in per_year.data) == len(groups)
    timeline = V.event_timeline_figure(groups)
    assert sum(len(t.x) for t in timeline.data) == len(groups)


def test_directory_groups_and_filters(atlas):
    d = V.directory(atlas.organisations)
    assert (d["groups"] != "").all()
    eu = V.filter_directory(d, ["eu"], [], "")
    assert len(eu) == (atlas.organisations["category"] == "eu_support").sum()
    ict = V.filter_directory(d, ["cn"], ["ict"], "")
    assert len(ict) > 0 and all("ict" in split(s) for s in ict["sector"])
    shanghai = V.filter_directory(d, [], [], "shanghai")
    assert len(shanghai) > 0
    assert all(
        "shanghai" in " ".join(r[["name", "city_en", "role", "name_variants"]]).lower() for _, r in shanghai.iterrows()
    )
    text = V.directory_markdown(V.filter_directory(d, [], [], "CAAM"), atlas.taxonomy)
    assert "(https://www.caam.org.cn)" in text


def test_source_captions_escape_text_and_link_urls():
    out = cite("Wiki_page (https://x.org/a_b) | c*d")
    assert "](https://x.org/a_b)" in out and r"c\*d" in out and r"Wiki\_page" in out


# ---------------------------------------------------------------- pages under AppTest


COOP_SECTIONS = {
    "partnerships": "ESCP-4i partnerships targeting China",
    "projects": "EU-China research and innovation projects",
    "events": "Missions, matchmaking events and workshops",
    "stories": "Success stories",
    "directory": "Directory of organisations",
}


def coop_tab_labels(atlas) -> dict[str, str]:
    t = counts.totals(atlas)
    return {
        "partnerships": f"Partnerships ({t['partnerships']})",
        "projects": f"Projects ({t['projects']})",
        "events": f"Events and missions ({t['events']})",
        "stories": f"Success stories ({t['success_stories']})",
        "directory": f"Organisations ({t['organisations']})",
    }


def test_cooperation_page_shows_every_section_with_its_counts(atlas):
    at = run_page("3_Cooperation.py")
    assert [h.value for h in at.header] == [COOP_SECTIONS["partnerships"]]  # only the open tab runs
    assert [t.label for t in at.tabs] == list(coop_tab_labels(atlas).values())
    assert metric(at, "ESCP-4i partnerships") == str(len(atlas.partnerships))
    assert metric(at, "R&I projects") == str(len(atlas.projects))
    assert metric(at, "Events and missions") == str(atlas.events["event_group"].nunique())
    assert metric(at, "Organisations") == str(len(atlas.organisations))
    # every count says what it is for: the events' years, the other records' document dates
    labels = {m.label for m in at.metric}
    years = sorted(atlas.events["year"].dropna().astype(int))
    assert f"Events and missions ({years[0]}–{years[-1]})" in labels
    assert all(
        re.search(r"\((?:[^()]*\b(?:19|20)\d{2}\b|[^()]*(?:briefings?|page|Paper|factsheet))[^()]*\)$", x)
        for x in labels
    ), labels
    captions = " ".join(c.value for c in at.caption)
    missing = atlas.partnerships["smes"].isna().sum()
    assert f"For the other {missing}" in captions
    for section, label in coop_tab_labels(atlas).items():
        open_tab(at, "coop_view", label)
        assert [h.value for h in at.header] == [COOP_SECTIONS[section]]
    open_tab(at, "coop_view", coop_tab_labels(atlas)["stories"])
    stories = [s.value for s in at.subheader]
    assert sum("Venetian Cluster" in s or "CLARA" in s for s in stories) == len(atlas.success_stories) == 2
    open_tab(at, "coop_view", coop_tab_labels(atlas)["directory"])
    assert f"Showing **{len(atlas.organisations)}** of {len(atlas.organisations)} organisations." in markdown_text(at)


def test_cooperation_directory_search_narrows_the_list(atlas):
    at = open_tab(run_page("3_Cooperation.py"), "coop_view", coop_tab_labels(atlas)["directory"])
    at.text_input(key="dir_text").input("Beijing").run()
    assert not at.exception
    expected = V.filter_directory(V.directory(atlas.organisations), [], [], "Beijing")
    assert 0 < len(expected) < len(atlas.organisations)
    assert f"Showing **{len(expected)}** of {len(atlas.organisations)}" in markdown_text(at)


def test_compare_page_restores_the_url_selection_and_reports_a_bad_entry(atlas):
    at = run_page("4_Compare.py", compare="province:440000,cc:cc_yrd,nowhere:1")
    assert at.multiselect(key="cmp_places").value == ["province:440000", "cc:cc_yrd"]
    assert [i.value for i in at.info] == ["Ignored in the page address: unknown place `nowhere:1`."]
    assert at.query_params["compare"] in ("province:440000,cc:cc_yrd", ["province:440000,cc:cc_yrd"])
    assert "Top-100 industrial clusters by sector" in [s.value for s in at.subheader]
    for tab, title in (("Policies", "Policies that apply"), ("Cooperation", "EU-China cooperation activity")):
        assert title in [s.value for s in open_tab(at, "cmp_view", tab).subheader]
    summary = at.table[0].value.set_index("Place")
    assert summary.loc["Guangdong", "Industrial clusters"] == province_of(atlas.clusters, "440000").sum()
    yrd = atlas.clusters["city_cluster"].map(lambda c: "cc_yrd" in split(c)).sum()
    assert summary.loc["Yangtze River Delta", "Industrial clusters"] == yrd


def test_compare_page_writes_a_changed_selection_to_the_url():
    at = run_page("4_Compare.py", compare="province:440000,province:330000")
    at.multiselect(key="cmp_places").select("cc:cc_prd").run()
    assert not at.exception
    assert at.query_params["compare"] in (
        "province:440000,province:330000,cc:cc_prd",
        ["province:440000,province:330000,cc:cc_prd"],
    )


def test_compare_page_without_a_selection_asks_for_places():
    at = run_page("4_Compare.py")
    assert at.title[0].value == "Compare provinces and city clusters"
    assert any("Pick at least two places" in i.value for i in at.info)


def test_compare_page_links_to_the_map_inside_the_app():
    at = app_test("4_Compare.py")
    at.query_params["compare"] = "province:440000,cc:cc_yrd"
    at.run()
    assert not at.exception
    links = [e.proto for e in at.get("page_link")]
    assert [l.query_string for l in links] == ["province=440000&nav=1", "cc=cc_yrd&nav=1"]


def test_data_page_offers_every_dataset_and_counts_what_is_uncertain(atlas):
    at = run_page("5_Data.py")
    assert [h.value for h in at.header] == ["Download the data"]  # only the open tab runs
    keys = {b.key for b in at.get("download_button")}
    datasets = X.all_datasets()
    assert keys == (
        {f"csv_{d.key}" for d in datasets}
        | {f"pkg_{d.key}" for d in datasets}
        | {f"geo_{d.key}" for d in datasets if d.geometry}
    )
    assert metric(at, "Datasets") == str(len(datasets))
    open_tab(at, "data_view", "Sources, licences and boundaries")
    assert [h.value for h in at.header] == ["Sources and licences", "Boundary disclaimer"]
    assert any("no position on any territory" in w.value for w in at.warning)
    open_tab(at, "data_view", "What is known to be uncertain")
    assert [h.value for h in at.header] == ["What is known to be uncertain"]
    levels = atlas.city_clusters["verification"].value_counts()
    assert metric(at, "City clusters verified (V)") == str(levels.get("V", 0))
    assert metric(at, "Partly verified (P)") == str(levels.get("P", 0))
    assert metric(at, "Unverified (U)") == str(levels.get("U", 0))
    assert metric(at, "Renamed counties") == str((atlas.clusters["adcode_2010"] != "").sum())
    methods = at.dataframe[0].value.set_index("dataset")
    county_seats = (atlas.clusters["location_method"] == "county_seat").sum()
    assert methods.loc["Industrial clusters", "county seat"] == county_seats


# ---------------------------------------------------------------- one count for one thing


def test_events_are_counted_once_per_event_on_every_page(atlas):
    n, stops = atlas.events["event_group"].nunique(), len(atlas.events)
    assert stops > n  # some missions have several stops: the case that printed 36 here and 31 there
    assert counts.event_count(atlas.events) == counts.totals(atlas)["events"] == n
    assert counts.stops_of_events(atlas.events) == f"{stops} stops of {n} events"
    coop = run_page("3_Cooperation.py")
    assert metric(coop, "Events and missions") == str(n)
    assert coop.tabs[2].label == f"Events and missions ({n})"
    data = run_page("5_Data.py")
    assert f"{stops:,} records ({stops} stops of {n} events)" in markdown_text(data)
    known = C.options(atlas, PROVINCE_NAMES_EN)
    for p in C.places(list(known), known):  # every place: events held there, one per event
        items = C.cooperation_items(atlas, [p])
        held = items[items["measure"] == C.MEASURES[0]]
        assert list(held["id"]) == list(dict.fromkeys(held["id"]))
        assert len(held) == atlas.events.loc[C.in_place(atlas.events, p), "event_group"].nunique()


def test_a_mission_with_several_stops_is_listed_once(atlas):
    multi = atlas.events.groupby("event_group").filter(lambda g: len(g) > 1)
    group = multi["event_group"].iloc[0]
    stops = multi[multi["event_group"] == group]
    entries = [{"id": r["id"], "name": r["title"], "where": r["city_en"]} for r in stops.to_dict("records")]
    merged = counts.one_per_event(atlas, entries)
    assert len(merged) == 1 and merged[0]["group"] == group
    assert [c for c in stops["city_en"] if c] == merged[0]["where"].split(", ")


def test_a_places_facts_are_computed_once_for_every_selection(atlas, known):
    guangdong, prd = C.places(["province:440000", "cc:cc_prd"], known)
    facts = C.place_facts(atlas, guangdong)
    assert C.place_facts(atlas, guangdong) is facts and C.place_facts(atlas, prd) is not facts
    assert facts["clusters"] == int(C.in_place(atlas.clusters, guangdong).sum())


def test_a_datasets_dictionary_is_drawn_when_opened(atlas):
    at = run_page("5_Data.py")
    before = markdown_text(at)
    at.session_state["doc_events"] = True
    at.run()
    assert not at.exception
    assert len(markdown_text(at)) > len(before)


def test_compare_page_address_round_trips_in_a_new_session():
    at = run_page("4_Compare.py", compare="cc:cc_yrd")
    at.multiselect(key="cmp_places").select("province:440000").run()
    written = {k: at.query_params[k] for k in at.query_params}
    assert written in ({"compare": "cc:cc_yrd,province:440000"}, {"compare": ["cc:cc_yrd,province:440000"]})
    again = run_page("4_Compare.py", **{k: (v if isinstance(v, str) else v[0]) for k, v in written.items()})
    assert again.multiselect(key="cmp_places").value == ["cc:cc_yrd", "province:440000"]
    assert all("Ignored" not in i.value for i in again.info)


def test_compare_page_drops_unknown_keys_and_empty_selection_leaves_a_clean_address():
    at = run_page("4_Compare.py", compare="province:440000", utm_source="x")
    assert any("unknown parameter `utm_source`" in i.value for i in at.info)
    at.multiselect(key="cmp_places").unselect("province:440000").run()
    assert not at.exception and list(at.query_params) == []
