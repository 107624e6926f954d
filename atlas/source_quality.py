"""Which cited web pages are of low standing, so that a citation can say so.

The list is data (``data/source_quality.csv``: domain, standing, why): a page is marked weak only
where no official or encyclopaedic page for the same fact was found to replace it.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

from atlas.cache import memoised
from atlas.paths import DATA_DIR

STANDING_LABEL = {
    "question_answer": "question-and-answer page",
    "document_sharing": "document-sharing site",
    "repost": "unattributed repost",
    "commercial": "commercial page",
    "user_encyclopedia": "user-edited encyclopaedia",
    "mirror": "unofficial copy of another site",
}
URL_HOST = re.compile(r"(?:https?://)?(?:www\.)?([a-z0-9.-]+\.[a-z]{2,})", re.IGNORECASE)


@memoised(2)
def registry(data_dir: Path = DATA_DIR) -> dict[str, dict]:
    with open(data_dir / "source_quality.csv", newline="", encoding="utf-8") as f:
        return {r["domain"]: r for r in csv.DictReader(f)}


def weak_sources(source: str, data_dir: Path = DATA_DIR) -> list[dict]:
    """The registry entries of the low-standing sites a source text cites, in citation order, once each."""
    known = registry(data_dir)
    hits: dict[str, dict] = {}
    for host in URL_HOST.findall(str(source or "")):
        host = host.lower()
        for domain, entry in known.items():
            if host == domain or host.endswith("." + domain):
                hits.setdefault(domain, entry)
    return list(hits.values())


def weak_note(source: str, data_dir: Path = DATA_DIR) -> str:
    """'' or one line a reader can weigh: 'Weak source: mogufr.com (question-and-answer page).'"""
    weak = weak_sources(source, data_dir)
    if not weak:
        return ""
    parts = [f"{w['domain']} ({STANDING_LABEL.get(w['standing'], w['standing'])})" for w in weak]
    return f"Weak source{'s' if len(parts) > 1 else ''}: {', '.join(parts)}."
