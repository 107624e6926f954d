"""Every figure says its year; data text reads as words (no file numbers, column names or ids); the
sector follows the NACE grouping; weak web sources are marked."""

import csv
import re

import pytest
import yaml

from atlas import figures
from atlas.nace import codes
from atlas.paths import DATA_DIR
from atlas.source_quality import registry, weak_note, weak_sources


def test_as_of_labels_say_the_year_or_the_documents_date():
    assert figures.as_of(2018, "000_84dd9b47cfbecbda.txt §2.3.1") == "2018"
    assert figures.as_of("2020", "000_84dd9b47cfbecbda.txt", note="forecast") == "2020 forecast"
    assert figures.as_of(None, "000_84dd9b47cfbecbda.txt §3.2") == "2019 briefing"
    assert figures.as_of("", "001_9852d4d85712b810.txt | 000_84dd9b47cfbecbda.txt") == "2019 and earlier briefings"
    assert figures.as_of(None, "001_9852d4d85712b810.txt", "growth 2015-2020") == "2015–2020"
    assert (
        figures.with_as_of("nearly 20,000 enterprises", "2019 briefing") == "nearly 20,000 enterprises (2019 briefing)"
    )
    assert figures.with_as_of("28 million units in 2018", "2018") == "28 million units in 2018"
    assert figures.of_list(25) == "25 of 100 (2010 list)"


def test_a_count_of_records_says_the_dates_of_all_its_documents():
    """A count (not one figure) is labelled by every document its records cite; a count of none
    by the documents searched; records citing only web pages give no document date."""
    briefings = ["000_84dd9b47cfbecbda.txt §3.1", "001_9852d4d85712b810.txt Table 1"]
    paper = "004_ebf33d624ac2b557.txt §2.2"
    assert figures.records_as_of([*briefings, paper]) == "2019 and earlier briefings, 2019 Discussion Paper"
    assert figures.records_as_of([f"{paper} | 003_dc8295c2f9555873.txt §1"]) == "2020 factsheet, 2019 Discussion Paper"
    assert figures.records_as_of([], searched=[paper]) == "2019 Discussion Paper"
    assert figures.records_as_of(["A page (https://example.org)"], searched=[paper]) == ""
    assert figures.with_as_of("10", figures.records_as_of(briefings)) == "10 (2019 and earlier briefings)"


@pytest.mark.parametrize("name", ["facts/sector_figures.csv", "facts/country_facts.csv"])
def test_every_fact_says_which_year_it_is_for(name):
    rows = list(csv.DictReader(open(DATA_DIR / name, encoding="utf-8")))
    for r in rows:
        assert r["as_of"], r["id"]
        if r["year"]:
            assert r["as_of"].startswith(r["year"]), r["id"]
        assert r["as_of"] == figures.as_of(r["year"], r["source"], r["metric"] + " " + r["value_text"], r["note"])


def test_both_briefings_figures_are_shown_with_their_years(atlas):
    from atlas.sector_stats import figure_differences, priority_figures

    diffs = figure_differences(priority_figures(atlas, "automotive"))
    sales = next(d for d in diffs if d["metric"] == "Vehicle sales")
    assert {v["as_of"] for v in sales["versions"]} == {"2017", "2018"}


def test_zone_key_figures_say_their_year_or_document():
    for r in csv.DictReader(open(DATA_DIR / "zones.csv", encoding="utf-8")):
        if r["key_figures"]:
            assert re.search(
                r"\((?:[^()]*\b(?:19|20)\d{2}\b[^()]*|[^()]*briefings?|[^()]*Discussion Paper)\)\s*$",
                r["key_figures"],
            ), r["id"]
            assert not re.search(r"(?<![\w.,])00[0-4](?![\w%])", r["key_figures"]), r["id"]


# ------------------------------------------------------------------ words a reader knows
TEXT_SKIP = {
    "source",
    "location_source",
    "id",
    "event_group",
    "part_of",
    "related_events",
    "same_metric_as",
    "website",
    "website_normalised",
    "website_alt",
    "programme_source",
    "sel",
    "layers",
    "filters",
    "lists",
}  # lists: which document tables name an organisation (provenance, like source)
WORKING = re.compile(
    r"(?<![\w.,/-])00[0-4](?![\w%])(?![.,]\d)|\bseeds?\b|\bname_zh\b|\bV/P\b|synonyms\.csv|"
    r"\bsee (?:p|z|ev|org|cc|ic)_[a-z0-9_]+|\(see org_|sf_[a-z0-9_]+_00[0-4]"
)


def _text_cells():
    for path in sorted(DATA_DIR.rglob("*.csv")):
        if "geo" in path.parts or path.name in ("source_quality.csv",):
            continue
        for i, r in enumerate(csv.DictReader(open(path, encoding="utf-8")), 1):
            for k, v in r.items():
                if k not in TEXT_SKIP and v:
                    yield f"{path.name} row {i} {k}", v
    for path in sorted(DATA_DIR.rglob("*.yaml")):

        def walk(x, where):
            if isinstance(x, dict):
                for k, v in x.items():
                    if k not in TEXT_SKIP:
                        yield from walk(v, f"{where}.{k}")
            elif isinstance(x, list):
                for v in x:
                    yield from walk(v, where)
            elif isinstance(x, str):
                yield where, x

        yield from walk(yaml.safe_load(path.read_text(encoding="utf-8")), path.name)


def test_data_text_has_no_file_numbers_column_names_or_working_notes():
    bad = [(where, m.group(0)) for where, text in _text_cells() for m in [WORKING.search(text)] if m]
    assert not bad, bad[:10]


# ------------------------------------------------------------------ the NACE grouping
def test_every_industry_follows_the_nace_grouping_of_sectors_csv():
    sectors = {r["id"]: codes(r["nace"]) for r in csv.DictReader(open(DATA_DIR / "sectors.csv", encoding="utf-8"))}
    for r in csv.DictReader(open(DATA_DIR / "industry_sectors.csv", encoding="utf-8")):
        main = codes(r["nace"])[0]
        hits = [(len(c.digits), sid) for sid, cs in sectors.items() for c in cs if c.contains(main)]
        assert hits and max(hits)[1] == r["sector"], (
            r["industry"],
            r["nace"],
            r["sector"],
        )


def test_photovoltaics_keeps_only_its_own_nace_class():
    pv = next(
        r
        for r in csv.DictReader(open(DATA_DIR / "industry_sectors.csv", encoding="utf-8"))
        if r["industry"] == "Photovoltaic industrial cluster"
    )
    assert pv["nace"] == "C26.11"


# ------------------------------------------------------------------ weak web sources
LOW_STANDING_REPLACED = (
    "jxxfw.com",
    "kjxc518.com",
    "hongwu.com",
    "cryer.org.uk",
    "iwiki.icu",
    "wikibrief.org",
    "pedia.workers.dev",
    "wiwiwikim.kfd.me",
    "owiki.org",
    "iiab.me",
    "wikiwand.com",
    "let.rug.nl",
    "china-travelnote.com",
    "hosted-temp.com",
)


def test_replaced_low_standing_pages_are_gone_and_the_rest_are_marked():
    text = "\n".join(
        p.read_text(encoding="utf-8")
        for p in DATA_DIR.rglob("*")
        if p.suffix in (".csv", ".yaml") and "geo" not in p.parts
    )
    assert not [d for d in LOW_STANDING_REPLACED if d in text]
    for domain in registry():
        assert domain in text, f"{domain} is no longer cited: drop it from source_quality.csv"


def test_a_citation_of_a_weak_page_says_so():
    src = "China Checkup: Special Economic Zone (https://www.chinacheckup.com/blogs/x) | 000_84dd9b47cfbecbda.txt §3"
    assert [w["domain"] for w in weak_sources(src)] == ["chinacheckup.com"]
    assert weak_note(src) == "Weak source: chinacheckup.com (commercial page)."
    assert weak_note("000_84dd9b47cfbecbda.txt §3 | https://en.wikipedia.org/wiki/X") == ""


@pytest.mark.parametrize(
    "note, label",
    [
        ("forecast", "2018 forecast"),
        ("forecast; 2019 briefing gives the outturn 6.6%", "2018 forecast"),
        ("same figure in 2019 briefing and earlier briefing; target", "2018 target"),
        ("the weakest economic growth in nearly three decades; earlier briefing had forecast 6.61% for 2018", "2018"),
        ("", "2018"),
    ],
)
def test_a_figure_is_a_forecast_or_target_only_when_its_note_says_so_of_it(note, label):
    """The 6.6 % 2018 outturn is not a "2018 forecast" because its note mentions another figure's forecast."""
    assert figures.as_of(2018, "000_84dd9b47cfbecbda.txt §2.1", note=note) == label


def test_the_2018_gdp_growth_outturn_is_labelled_2018():
    rows = {r["id"]: r for r in csv.DictReader(open(DATA_DIR / "facts/country_facts.csv", encoding="utf-8"))}
    assert rows["cf_gdp_growth_2018_000"]["as_of"] == "2018"
    assert rows["cf_gdp_growth_forecast_2018_001"]["as_of"] == "2018 forecast"


def test_data_text_has_no_doubled_words_or_half_replaced_document_numbers():
    """Notes once read "ECCP country page country page" (10 partnerships) and "2019 briefing/004" (6):
    a document's number replaced by its name twice, or half."""
    doubled = re.compile(r"\b([A-Za-z]+(?: [A-Za-z]+)?) \1\b(?!-)")
    half = re.compile(r"\b(?:briefing|page|paper|factsheet)/00\d\b", re.I)
    for path in [*DATA_DIR.glob("*.csv"), *DATA_DIR.glob("*/*.csv"), DATA_DIR / "policies.yaml"]:
        if path.parent.name in ("geo", "sources"):
            continue
        text = path.read_text(encoding="utf-8")
        bad = [m.group(0) for m in doubled.finditer(text) if m.group(1).lower() not in ALLOWED_REPEATS]
        assert not bad, (path.name, bad[:5])
        assert not half.search(text), (path.name, half.findall(text)[:5])


ALLOWED_REPEATS = {"had", "that"}  # "that that" and "had had" are English
