"""The source reader: a citation in the data opens the passage it cites.

A record's ``source`` names a document in data/sources/ and a section ("000_….txt §3.1 Cluster
mapping", "001_….txt Table 4", "shared/reference/city_clusters.md §4 D4 | …"). ``locate`` turns
one such reference into a document key and a section key (what the Sources page's address holds:
``?doc=briefing-2019&sec=3.1&q=Guangzhou``), ``lookup`` returns the section's text with the cited
figure or name found in it. Sections are read from the documents' own headings (numbered
headings in outline order, table captions, the annex, the web page's headings, the reference
sheet's notes D1–D19 and sources S1–S28), so a citation keeps working by section.

No Streamlit here: components/source_views.py shows a Passage.

    python -m atlas.source_reader --cited    # every section the data cite, by document
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Iterable
from dataclasses import dataclass

from atlas.cache import memoised
from atlas.normalise import fold
from atlas.paths import SEED_FILES, SOURCES_DIR
from atlas.provenance import REFERENCE_PATH, REFERENCES, SEED_PART, parts

MAX_QUERY = 300  # characters of a cited figure, name or quoted passage kept in an address


@dataclass(frozen=True)
class Document:
    key: str  # the Sources page's ``doc=`` value
    file: str  # its file in data/sources/
    publisher: str
    date: str
    url: str = ""  # the original, where its address is known

    @property
    def title(self) -> str:
        return SEED_FILES.get(self.file) or REFERENCES[self.file]


ECCP = "European Commission (DG GROW / EASME), European Cluster Collaboration Platform"
DOCUMENTS = {
    d.key: d
    for d in (
        Document("briefing-2019", "000_84dd9b47cfbecbda.txt", ECCP, "May 2018, updated April 2019"),
        Document("briefing-earlier", "001_9852d4d85712b810.txt", ECCP, "undated (figures to 2017)"),
        Document(
            "country-page",
            "002_b1c25d6d6ae09a0c.txt",
            ECCP,
            "web page",
            "https://clustercollaboration.eu/international-cooperation/china",
        ),
        Document(
            "factsheet",
            "003_dc8295c2f9555873.txt",
            "European Observatory for Clusters and Industrial Change (European Commission)",
            "2020",
        ),
        Document("discussion-paper", "004_ebf33d624ac2b557.txt", ECCP, "2018, updated May 2019"),
        Document("city-clusters", "city_clusters.md", "compiled for the atlas from public sources S1–S28", ""),
    )
}
BY_FILE = {d.file: d for d in DOCUMENTS.values()}


@dataclass(frozen=True)
class Section:
    key: str  # the ``sec=`` value: "3.1", "A.2", "Table 4", "D4", "S15", "Key Facts"
    title: str  # its heading as printed
    start: int
    end: int


@dataclass(frozen=True)
class Passage:
    document: Document
    section: Section | None  # None: the whole document's list of sections is shown
    text: str  # the section's text
    query: str  # the cited figure or name, as asked
    spans: tuple[tuple[int, int], ...]  # where it is in ``text``

    @property
    def found(self) -> bool:
        return bool(self.spans)


class SourceNotFound(ValueError):
    """A document or section the reader does not have; the message is safe to show."""


# ---------------------------------------------------------------- sections

TOC = re.compile(r"\.{4,}|\t\s*\d+\s*$")
NUMBERED = re.compile(r"^[ \t]*(?:Annex[ \t]+)?((?:A\.)?\d{1,2}(?:\.\d{1,2})*)\.?[ \t]+(\S[^\n]{1,110}?)[ \t]*$", re.M)
TABLE = re.compile(r"^[ \t]*TABLE[ \t]+(\d{1,2})\b[^\n]*$", re.M | re.I)
MD_HEADING = re.compile(r"^##[ \t]+(\d+)\.[ \t]+([^\n]+)$", re.M)
MD_ITEM = re.compile(r"^- \*\*((?:D|S)\d{1,2})\b[^\n]*$", re.M)
WEB_HEADINGS = (  # the country page's own headings, in order
    "Economic and political context and framework",
    "Cluster community in the country",
    "Cluster policies encouraging the development and internationalisation of clusters",
    "Key Facts",
    "ESCP-4is targetting this country",
)


def _successor(prev: tuple[int, ...] | None, cur: tuple[int, ...]) -> bool:
    """Whether ``cur`` may follow ``prev`` in an outline (2.1 -> 2.1.1, 2.2 or 3)."""
    if prev is None:
        return cur == (1,)
    for depth in range(len(prev), 0, -1):
        if cur == prev[: depth - 1] + (prev[depth - 1] + 1,):
            return True
    return cur == prev + (1,)


def _numbered(text: str) -> list[tuple[str, str, int, int]]:
    """(key, title, start, depth) of the numbered headings, in outline order; footnotes, the table
    of contents and numbers in running text fail the outline or look like no heading."""
    out, prev, annex = [], None, 0
    for m in NUMBERED.finditer(text):
        key, title = m.group(1), m.group(2).strip()
        if TOC.search(m.group(0)) or not (title[0].isupper() or title[0].isdigit()) or "http" in title:
            continue
        if key.startswith("0"):
            continue  # "02 State of play …": a cover page's chapter number, the heading follows
        if key.startswith("A."):
            n = int(key[2:]) if key[2:].isdigit() else 0
            if n == annex + 1:
                annex = n
                out.append((key, title, m.start(), 1))
            continue
        number = tuple(int(x) for x in key.split("."))
        if len(number) == 1 and ("," in title or len(title) > 60):
            continue  # "3 World Databank, http://…" is a footnote
        if _successor(prev, number):
            prev = number
            out.append((key, title, m.start(), len(number)))
    return out


def _spans(heads: list[tuple[str, str, int, int]], end: int) -> list[Section]:
    """Each heading runs to the next heading of its level or above."""
    out = []
    for i, (key, title, start, depth) in enumerate(heads):
        stop = next((s for _, _, s, d in heads[i + 1 :] if d <= depth), end)
        out.append(Section(key, title, start, stop))
    return out


def _parse(doc: Document, text: str) -> list[Section]:
    if doc.file.endswith(".md"):
        heads = [(m.group(1), m.group(2).strip(), m.start(), 1) for m in MD_HEADING.finditer(text)]
        heads += [(m.group(1), m.group(0)[2:].strip(" *"), m.start(), 2) for m in MD_ITEM.finditer(text)]
        return _spans(sorted(heads, key=lambda h: h[2]), len(text))
    if doc.key == "country-page":
        heads = []
        for title in WEB_HEADINGS:
            m = re.search(rf"^{re.escape(title)}[ \t]*$", text, re.M)
            if m:
                heads.append((title, title, m.start(), 1))
        return _spans(sorted(heads, key=lambda h: h[2]), len(text))
    heads = _numbered(text)
    sections = _spans(heads, len(text))
    for m in TABLE.finditer(text):
        if TOC.search(m.group(0)):
            continue
        inside = [s for s in sections if s.start <= m.start() < s.end]
        stop = min([s.end for s in inside] + [t.start() for t in TABLE.finditer(text, m.end())] + [len(text)])
        sections.append(Section(f"Table {m.group(1)}", m.group(0).strip(), m.start(), stop))
    return sections


@memoised(len(DOCUMENTS))
def text_of(key: str) -> str:
    return (SOURCES_DIR / DOCUMENTS[key].file).read_text(encoding="utf-8")


@memoised(len(DOCUMENTS))
def sections(key: str) -> tuple[Section, ...]:
    """The document's sections, by position (a key is unique within its document)."""
    doc = DOCUMENTS[key]
    found = sorted(_parse(doc, text_of(key)), key=lambda s: s.start)
    return tuple({s.key: s for s in reversed(found)}.values())[::-1]


def section(key: str, sec: str) -> Section | None:
    return next((s for s in sections(key) if s.key == sec), None)


# ---------------------------------------------------------------- citations

SECTION_NUMBER = re.compile(r"§\s*((?:A\.)?\d{1,2}(?:\.\d{1,2})*)")
ANNEX = re.compile(r"\bAnnex\s+(A\.\d)")
TABLE_REF = re.compile(r"\bTable\s+(\d{1,2})\b")
NOTE = re.compile(r"\b([DS]\d{1,2})\b")


def document_of(part: str) -> tuple[Document, str] | None:
    """The document one reference cites, and the rest of the reference: a reference as the data
    hold it ("000_….txt §3.1") or as a reader sees it (provenance.citation: "ECCP Preparatory
    Briefing on China (2019 update), §3.1 …", as in the meeting brief's numbered sources)."""
    part = str(part or "").strip()
    m = SEED_PART.match(part)
    if m and m.group(1) in BY_FILE:
        return BY_FILE[m.group(1)], part[m.end() :]
    m = REFERENCE_PATH.match(part)
    if m and m.group(1) in BY_FILE:
        return BY_FILE[m.group(1)], part[m.end() :]
    for doc in sorted(DOCUMENTS.values(), key=lambda d: -len(d.title)):  # a citation as shown
        if part.startswith(doc.title):
            return doc, part[len(doc.title) :]
    return None


def locate(part: str) -> tuple[str, str] | None:
    """(document key, section key) of one reference; the section key is "" when the reference names
    no section the document has (its list of sections is then shown). None: not one of the
    documents (a public web page keeps its own link)."""
    found = document_of(part)
    if found is None:
        return None
    doc, rest = found
    keys = {s.key for s in sections(doc.key)}
    candidates: list[str] = []
    if doc.file.endswith(".md"):
        candidates += NOTE.findall(rest)  # "§4 D4", "(S15: …)"
    candidates += [f"Table {n}" for n in TABLE_REF.findall(rest)]
    candidates += ANNEX.findall(rest) + SECTION_NUMBER.findall(rest)
    if doc.key == "country-page":
        low = rest.lower()
        candidates += [t for t in WEB_HEADINGS if t.lower() in low]
    return doc.key, next((c for c in candidates if c in keys), "")


def address(part: str, query: str = "") -> dict[str, str] | None:
    """The Sources page's address parameters for one reference (None: not a document)."""
    where = locate(part)
    if where is None:
        return None
    params = {"doc": where[0]}
    if where[1]:
        params["sec"] = where[1]
    query = " ".join(str(query or "").split())[:MAX_QUERY]
    if query:
        params["q"] = query
    return params


# ---------------------------------------------------------------- passages


def _folded_with_map(text: str) -> tuple[str, list[int]]:
    """The text folded as search folds it (atlas/normalise.fold: case, accents, punctuation and
    line breaks as one space), with each folded character's position in the original."""
    out, where = [], []
    for i, ch in enumerate(text):
        folded = fold(ch)
        if not folded:
            if out and out[-1] != " ":
                out.append(" ")
                where.append(i)
            continue
        out += folded
        where += [i] * len(folded)
    return "".join(out), where


def _whole(q: str) -> str:
    """A folded query as a pattern that matches whole words and numbers: "12" not inside "2012",
    "Wuxi" not inside "Wuxian"; a footnote mark after a word ("Partnership2") is no part of it;
    Chinese, which has no spaces, matches anywhere."""

    def edge(c: str) -> str:
        return "[a-z]" if "a" <= c <= "z" else r"\d" if c.isdigit() else ""

    start, end = edge(q[0]), edge(q[-1])
    return (f"(?<!{start})" if start else "") + re.escape(q) + (f"(?!{end})" if end else "")


def find(text: str, query: str) -> tuple[tuple[int, int], ...]:
    """Where the query is in the text, as whole words (case, accents, punctuation and line breaks
    ignored: "108,500" meets "108 500", "Lüliang" meets "Luliang"), at most 20 places."""
    q = fold(query)
    if not q:
        return ()
    folded, where = _folded_with_map(text)
    spans = []
    for m in re.finditer(_whole(q), folded):
        spans.append((where[m.start()], where[m.end() - 1] + 1))
        if len(spans) == 20:
            break
    return tuple(spans)


NUMBER = re.compile(r"\d[\d,.]*\d|\d")
SPLIT = re.compile(r"\s*(?:\(|\)|;|:| – | - |,\s)\s*")


def candidates(*values) -> list[str]:
    """What a record's citation may be found by, most specific first: each value as it is, then its
    parts (before a bracket, a dash or a comma), then its figures with a decimal or thousands
    separator ("€154.1 billion in 2020" -> "154.1")."""
    out: list[str] = []
    for value in values:
        text = " ".join(str(value or "").split())
        if not text:
            continue
        out.append(text)
        out += [p for p in SPLIT.split(text) if len(p) >= 3]
    for value in values:
        out += [n for n in NUMBER.findall(str(value or "")) if re.search(r"[.,]", n) or len(n) >= 3]
    return list(dict.fromkeys(out))


@memoised(256)
def _folded_section(doc: str, sec: str) -> tuple[str, tuple[int, ...]]:
    found = section(doc, sec)
    text = text_of(doc)[found.start : found.end].strip("\n") if found else ""
    folded, where = _folded_with_map(text)
    return folded, tuple(where)


def best_query(doc: str, sec: str, values: Iterable) -> str:
    """The first of the candidates found in the section (what a link highlights), else ""."""
    if not sec:
        return ""
    folded, _ = _folded_section(doc, sec)
    for q in candidates(*values):
        f = fold(q)
        if f and re.search(_whole(f), folded):
            return q
    return ""


def lookup(doc: str, sec: str = "", query: str = "") -> Passage:
    """The passage a citation opens. Raises SourceNotFound (with a message fit to show) for a
    document or section the reader does not have."""
    document = DOCUMENTS.get(str(doc or ""))
    if document is None:
        raise SourceNotFound("The address names no document of the atlas. The documents are listed below.")
    query = " ".join(str(query or "").split())[:MAX_QUERY]
    if not sec:
        return Passage(document, None, "", query, ())
    found = section(document.key, str(sec))
    if found is None:
        raise SourceNotFound(f"{document.title} has no section of that number or name; its sections are listed below.")
    text = text_of(document.key)[found.start : found.end].strip("\n")
    return Passage(document, found, text, query, find(text, query))


def cited(sources: Iterable) -> dict[str, list[str]]:
    """Every section the given source cells cite, by document key (for the README's check)."""
    out: dict[str, set[str]] = {}
    for source in sources:
        for part in parts(source):
            where = locate(part)
            if where:
                out.setdefault(where[0], set()).add(where[1])
    return {k: sorted(v) for k, v in sorted(out.items())}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cited", action="store_true", help="list every section the data cite")
    args = parser.parse_args(argv)
    if args.cited:
        from atlas.load import load_atlas

        atlas = load_atlas()
        tables = [getattr(atlas, name) for name in dir(atlas)]
        cells = [s for t in tables if "source" in getattr(t, "columns", ()) for s in t["source"]]
        for key, secs in cited(cells).items():
            print(f"{DOCUMENTS[key].file}: {', '.join(s or '(whole document)' for s in secs)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
