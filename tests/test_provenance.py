"""Provenance: sources are cited by document title and section, never by file name, hash or
local path, wherever the app shows a source line."""

import re
from pathlib import Path

import pytest
from conftest import run_page

from atlas.paths import SEED_FILES
from atlas.provenance import (
    SEED_FILE,
    citation,
    citations,
    parts,
    readable,
    source_line,
    summary,
)
from components.text import cite, source_md

ROOT = Path(__file__).resolve().parents[1]
BAD = re.compile(r"\d{3}_[0-9a-f]{16}|shared/reference|/work/|city_clusters\.md")


def all_sources(atlas) -> list[str]:
    out = []
    for name in dir(atlas):
        table = getattr(atlas, name)
        if hasattr(table, "columns") and "source" in table.columns:
            out += [str(s) for s in table["source"] if str(s or "").strip()]
    return out


def test_a_seed_reference_becomes_its_title_and_section():
    source = (
        "003_dc8295c2f9555873.txt §1 National cluster policy (City Clusters) | "
        "000_84dd9b47cfbecbda.txt §3.2 Clusters in Automotive"
    )
    assert citations(source) == [
        "Country factsheet China (European Observatory for Clusters and Industrial Change), "
        "§1 National cluster policy (City Clusters)",
        "ECCP Preparatory Briefing on China (2019 update), §3.2 Clusters in Automotive",
    ]
    assert citation("001_9852d4d85712b810.txt Table 4") == (
        "ECCP D3.2 Preparatory Briefing on China (earlier version), Table 4"
    )
    assert citation("002_b1c25d6d6ae09a0c.txt") == "ECCP China country page"


def test_the_document_with_a_year_is_cited_with_it():
    assert "2019" in SEED_FILES["000_84dd9b47cfbecbda.txt"]
    assert citation("000_84dd9b47cfbecbda.txt §2.2").startswith(
        "ECCP Preparatory Briefing on China (2019 update), §2.2"
    )


@pytest.mark.parametrize(
    "source, expected",
    [
        (
            "shared/reference/city_clusters.md §4 D1",
            "China's 19 city clusters of the 13th Five-Year Plan: reference fact sheet (public sources S1–S28), §4 D1",
        ),
        (
            "/work/shared/reference/city_clusters.md §2 (13th FYP sentence)",
            "China's 19 city clusters of the 13th Five-Year Plan: reference fact sheet "
            "(public sources S1–S28), §2 (13th FYP sentence)",
        ),
        (
            "shared/reference/city_clusters.md (S9: soolun.net/a.html)",
            "China's 19 city clusters of the 13th Five-Year Plan: reference fact sheet "
            "(public sources S1–S28), S9: soolun.net/a.html",
        ),
    ],
)
def test_the_reference_sheet_is_cited_by_title_never_by_path(source, expected):
    assert citation(source) == expected


def test_a_named_public_page_stays_as_it_is():
    page = "Wikipedia: Wujiang District, Suzhou (https://en.m.wikipedia.org/wiki/Wujiang_District)"
    assert citation(page) == page
    assert citation("NACE Rev. 2 (Eurostat)") == "NACE Rev. 2 (Eurostat)"


def test_parts_are_split_once_and_kept_in_order():
    assert parts(" a | b |  | a ") == ["a", "b"]
    assert source_line("") == "" and citations(None) == []


def test_summaries_and_free_text_lose_their_file_names():
    title = SEED_FILES["000_84dd9b47cfbecbda.txt"]
    assert readable(f"{title} (000_84dd9b47cfbecbda.txt, 3 sections)") == f"{title} (3 sections)"
    assert readable(f"{title} (000_84dd9b47cfbecbda.txt)") == title
    assert readable("see 001_9852d4d85712b810.txt") == f"see {SEED_FILES['001_9852d4d85712b810.txt']}"
    text = readable("12% (GBA; 003 §1) and (000, 001). 001 gives 108,500,000; code 440003 (IC001)")
    assert text == (
        "12% (GBA; the Observatory factsheet §1) and (ECCP briefing 2019, earlier ECCP "
        "briefing). The earlier ECCP briefing gives 108,500,000; code 440003 (IC001)"
    )


def test_a_summary_of_many_records_cites_documents_not_files():
    many = summary([f"000_84dd9b47cfbecbda.txt §{i}" for i in range(6)] + ["Page (https://a.org/x)"])
    assert many == "ECCP Preparatory Briefing on China (2019 update), 6 sections; Page (https://a.org/x)"
    few = summary(["001_9852d4d85712b810.txt Table 4", "A (https://a.org)", "B (https://b.org)"], limit=1)
    assert few == (
        "ECCP D3.2 Preparatory Briefing on China (earlier version), Table 4; A (https://a.org); 1 further reference cited in the rows"
    )


def test_every_source_in_the_data_renders_without_file_names_or_paths(atlas):
    sources = all_sources(atlas)
    assert len(sources) > 500
    for source in sources:
        shown = source_md(source)
        assert not BAD.search(shown), (source, shown)
        for url in re.findall(r"https?://[^\s()|]*[^\s()|.,;:]", source):
            assert f"]({url.replace(')', '%29')})" in shown, (source, url)


def test_source_md_escapes_markup_and_links_pages():
    shown = source_md("003_dc8295c2f9555873.txt §1 | Torch (https://a.org/p/7.html) | *x* <b>")
    assert "](https://a.org/p/7.html)" in shown and "\\*x\\*" in shown and "<b>" not in shown
    assert shown.startswith("[Country factsheet China")


def test_one_seed_file_pattern():
    """The pattern lives in atlas/provenance.py; no module that cites or shows sources
    defines its own (atlas/validate.py checks what may be cited, and is left to its owner)."""
    assert SEED_FILE.fullmatch("000_84dd9b47cfbecbda.txt")
    for path in list((ROOT / "atlas").rglob("*.py")) + list((ROOT / "components").glob("*.py")):
        if path.name in ("provenance.py", "validate.py"):
            continue
        assert "[0-9a-f]{16}" not in path.read_text(encoding="utf-8"), path


@pytest.mark.parametrize("page", ["2_Policies.py", "3_Cooperation.py"])
def test_pages_show_source_lines_by_title(page):
    at = run_page(ROOT / "pages" / page)
    shown = [e.value for e in list(at.caption) + list(at.markdown)]
    assert any("Source" in v for v in shown)
    for value in shown:
        assert not BAD.search(value), value


def test_one_source_summariser():
    """Sources are summarised in atlas/provenance.py only (combined, summary, source_line); the one
    caption that shows them is components/text.source_caption."""
    homes = {"source_line": "provenance.py", "source_summary": None, "sources_line": None}
    homes |= {"combined": "provenance.py", "source_caption": "text.py", "cite": "text.py"}
    for path in [*ROOT.glob("atlas/**/*.py"), *ROOT.glob("components/*.py"), *ROOT.glob("pages/*.py")]:
        for name in re.findall(r"^def (\w+)\(", path.read_text(encoding="utf-8"), re.M):
            if name in homes:
                assert path.name == homes[name], (path, name)


def test_a_summary_caption_links_every_document_it_names():
    shown = cite(["000_84dd9b47cfbecbda.txt §2.3.1 Automotive | 001_9852d4d85712b810.txt §2.3.1 Automotive"])
    assert not BAD.search(shown), shown
    assert shown.count("](sources?doc=") == 2, shown
