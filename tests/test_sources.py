"""The sources inside the atlas: the documents the data cite are in the repository (data/sources/),
described in its README, and nothing reads them from beside it."""

import re
from pathlib import Path

from atlas import manifest as M
from atlas.paths import SEED_FILES, SOURCES_DIR
from atlas.provenance import REFERENCES

ROOT = Path(__file__).resolve().parents[1]
CODE = ["atlas", "components", "pages", "geo", "tests", "scripts"]
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
