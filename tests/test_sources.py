"""The sources inside the atlas: the documents the data cite are in the repository (data/sources/),
described in its README, and nothing reads them from beside it."""

import re
from pathlib import Path

import pytest
from conftest import run_page

from atlas import manifest as M
from atlas.paths import SEED_FILES, SOURCES_DIR
from atlas.provenance import REFERENCES, parts
from atlas.source_reader import SourceNotFound, best_query, locate, lookup
from components.text import source_md

ROOT = Path(__file__).resolve().parents[1]
CODE = ["atlas", "components", "pages", "geo", "tests", "scripts"]
PAGE = ROOT / "pages" / "sources.py"
OUTSIDE = re.compile(r"\.\./shared|parent\s*/\s*[\"']shared[\"']")


def test_every_cited_document_is_in_the_repository():
    for name in list(SEED_FILES) + list(REFERENCES):
        path = SOURCES_DIR / name
        assert path.is_file() and path.stat().st_size > 1000, name
        assert SOURCES_DIR.is_relative_to(ROOT)


def test_the_sources_readme_gives_each_document_its_title_and_basis():
    readme = (SOURCES_DIR / "README.md").read_text(encoding="utf-8")
    for name in M.source_files():
        row = next((line for line in readme.splitlines() if line.startswith(f"| `{name}`")), "")
        assert row, f"{name} has no row in data/sources/README.md"
        assert row.count("|") >= 7 and ("reuse policy" in row or "compiled for" in row), row
    assert "2011/833/EU" in readme and "CC BY 4.0" in readme


def test_the_manifest_lists_the_source_documents():
    listed = M.read()["sources"]
    assert sorted(listed) == M.source_files() == sorted(list(SEED_FILES) + list(REFERENCES))
    for name, entry in listed.items():
        assert entry["sha256"] == M.sha256(SOURCES_DIR / name), f"{name} changed: rerun atlas.manifest --write"


def test_no_code_reads_anything_beside_the_repository():
    app = [ROOT / "app.py"]
    files = app + [p for folder in CODE for p in (ROOT / folder).rglob("*.py")] + list((ROOT / "scripts").glob("*.sh"))
    for path in files:
        if path.name == Path(__file__).name:
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            assert not OUTSIDE.search(line), f"{path.relative_to(ROOT)}:{n}: {line.strip()}"


# ---------------------------------------------------------------- the source reader

VERBATIM = {  # tables whose cited name or figure is printed as the data hold it
    "clusters": ["place", "industry"],
    "industry_sectors": ["industry"],
    "partnerships": ["acronym", "name"],
    "projects": ["acronym", "title"],
    "policy_maturity": ["score_as_printed"],
    "strategic_emerging": ["name_en"],
}


def _document_citations(atlas):
    for name in dir(atlas):
        table = getattr(atlas, name)
        if "source" in getattr(table, "columns", ()):
            for record in table.to_dict("records"):
                for part in parts(record["source"]):
                    if locate(part) is not None:
                        yield name, record, part


def test_every_citation_of_a_document_opens_a_section(atlas):
    seen = 0
    for name, record, part in _document_citations(atlas):
        doc, sec = locate(part)
        assert sec, f"{name} {record.get('id', '')}: {part!r} names no section the reader finds"
        passage = lookup(doc, sec)
        assert passage.section.key == sec and len(passage.text) > 40, part
        seen += 1
    assert seen > 1000


def test_the_cited_name_or_figure_is_in_the_passage_the_reader_opens(atlas):
    checked = 0
    for name, record, part in _document_citations(atlas):
        if name not in VERBATIM:
            continue
        doc, sec = locate(part)
        values = [record.get(f) for f in VERBATIM[name]]
        q = best_query(doc, sec, values)
        assert q, f"{name} {record.get('id', '')}: none of {values} in {part!r}"
        assert lookup(doc, sec, q).found
        checked += 1
    assert checked > 250


def test_a_passage_is_found_whatever_the_line_breaks_case_or_separators():
    p = lookup("briefing-earlier", "Table 4", "leqing, WENZHOU")
    assert p.found and p.text[p.spans[0][0] : p.spans[0][1]].startswith("Leqing")
    assert not lookup("briefing-earlier", "Table 4", "Atlantis").found
    assert lookup("city-clusters", "D4").section.title.startswith("D4 Shandong")
    assert locate("shared/reference/city_clusters.md (S15: baike.com/x)") == ("city-clusters", "S15")
    assert locate("000_84dd9b47cfbecbda.txt Annex A.3 Table 2") == ("briefing-2019", "Table 2")
    assert locate("002_b1c25d6d6ae09a0c.txt Key Facts") == ("country-page", "Key Facts")
    assert locate("Wikipedia: X (https://en.wikipedia.org/wiki/X)") is None


def test_unknown_documents_and_sections_say_so_plainly():
    with pytest.raises(SourceNotFound, match="no document"):
        lookup("../../etc/passwd", "1")
    with pytest.raises(SourceNotFound, match="no section"):
        lookup("briefing-2019", "<script>9.9")


def test_a_citation_links_to_its_passage():
    shown = source_md("001_9852d4d85712b810.txt Table 4 | Page (https://a.org/x)", "Leqing, Wenzhou 溫州樂清")
    assert shown.startswith("[ECCP D3.2 Preparatory Briefing on China (earlier version), Table 4](sources?doc=")
    assert "sec=Table+4" in shown and "q=Leqing" in shown and "](https://a.org/x)" in shown


def test_the_sources_page_shows_the_cited_passage_highlighted():
    at = run_page(PAGE, doc="briefing-earlier", sec="Table 4", q="Leqing, Wenzhou")
    assert at.title[0].value == "ECCP D3.2 Preparatory Briefing on China (earlier version)"
    html = " ".join(m.value for m in at.markdown)
    assert "<mark>Leqing, Wenzhou</mark>" in html
    assert any("TABLE 4" in s.value for s in at.subheader)


@pytest.mark.parametrize(
    "params, says",
    [
        ({"doc": "<img src=x onerror=alert(1)>", "sec": "1"}, "unknown document"),
        ({"doc": "briefing-2019", "sec": "99.9<b>"}, "no section"),
    ],
)
def test_hostile_or_unknown_addresses_get_a_clear_message(params, says):
    at = run_page(PAGE, **params)
    said = " ".join(e.value for e in list(at.info) + list(at.warning))
    assert says in said
    assert "<img" not in said and "<b>" not in said
    assert not at.exception
