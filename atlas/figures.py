"""The one way a figure says which year it is for: "28 million units (2018)", "25 of 100 (2010 list)",
"nearly 20,000 enterprises (2019 briefing)" where the document gives no year.

The facts files carry the label in their ``as_of`` column (data/README.md); this module makes it and
prints it, so the panel, the cards, the charts and the brief say it the same way.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable

from atlas.paths import SEED_FILES
from atlas.provenance import SEED_FILE

# A document's date, for figures it prints without a year of their own.
DOCUMENT_AS_OF = {
    "000": "2019 briefing",
    "001": "earlier briefing",
    "002": "ECCP country page",
    "003": "2020 factsheet",
    "004": "2019 Discussion Paper",
}
TABLE4_AS_OF = "2010 list"
# The 19 city clusters are those of the 13th Five-Year Plan (2016-2020): the reference sheet's title.
CITY_CLUSTERS_AS_OF = "13th Five-Year Plan, 2016–2020"
BOTH_BRIEFINGS = "2019 and earlier briefings"
PERIOD_RE = re.compile(r"\b((?:19|20)\d{2})\s*[-–]\s*((?:19|20)\d{2})\b")
YEAR_RE = re.compile(r"\b(?:19|20)\d{2}\b")

assert {f[:3] for f in SEED_FILES} == set(DOCUMENT_AS_OF)


def _year(value) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)) or str(value).strip() in ("", "<NA>"):
        return ""
    return str(int(float(value)))


def document_as_of(source: str) -> str:
    """The date label of the seed documents a source cites ('' if it cites none); a figure both
    briefings print says so."""
    docs = list(dict.fromkeys(name[:3] for name in SEED_FILE.findall(str(source or ""))))
    if {"000", "001"} <= set(docs):
        return BOTH_BRIEFINGS
    return DOCUMENT_AS_OF[docs[0]] if docs else ""


def records_as_of(sources: Iterable, searched: Iterable = ()) -> str:
    """The dates of every document a count of records comes from ("2019 and earlier briefings,
    2019 Discussion Paper"), for a count rather than one figure; a count of none says which
    documents were searched (the sources of the whole dataset, ``searched``)."""
    sources = list(sources) or list(searched)
    docs = {name[:3] for s in sources for name in SEED_FILE.findall(str(s or ""))}
    labels = [BOTH_BRIEFINGS] if {"000", "001"} <= docs else []
    docs -= {"000", "001"} if labels else set()
    return ", ".join(labels + [DOCUMENT_AS_OF[d] for d in sorted(docs)])


def figure_kind(note) -> str:
    """' forecast' or ' target' when the note marks the figure so: a clause of its own that starts
    with the word ("forecast", "same figure in both briefings; target"), not the word anywhere
    ("earlier briefing had forecast 6.61%" is said of another figure, this one an outturn)."""
    for clause in str(note or "").lower().split(";"):
        word = clause.strip().split(" ", 1)[0]
        if word in ("forecast", "target"):
            return f" {word}"
    return ""


def as_of(year=None, source: str = "", text: str = "", note: str = "") -> str:
    """A figure's year label: its reference year ('2018', '2019 forecast', '2020 target'), else a period
    printed with it ('2015–2020'), else the date of the document that prints it ('2019 briefing')."""
    y = _year(year)
    if y:
        return y + figure_kind(note)
    period = PERIOD_RE.search(str(text or ""))
    if period:
        return f"{period.group(1)}–{period.group(2)}"
    return document_as_of(source)


def with_as_of(text: str, label: str) -> str:
    """'28 million units (2018)'; the text alone where the label is empty or the text already says it."""
    text = str(text or "").strip()
    if not label:
        return text
    years = YEAR_RE.findall(label)
    if (years and all(y in text for y in years)) or label in text:
        return text
    return f"{text} ({label})"


def of_list(n: int, total: int = 100) -> str:
    """A count of Table 4 rows: '25 of 100 (2010 list)'."""
    return f"{n} of {total} ({TABLE4_AS_OF})"


def years_text(p: dict) -> str:
    """A policy's years for people: "2016–2020", "since 1988", "until 2035" or ""."""
    start, end = p.get("year_start"), p.get("year_end")
    start = None if start is None or (isinstance(start, float) and math.isnan(start)) else int(start)
    end = None if end is None or (isinstance(end, float) and math.isnan(end)) else int(end)
    if start and end:
        return f"{start}–{end}"
    return f"since {start}" if start else (f"until {end}" if end else "")
