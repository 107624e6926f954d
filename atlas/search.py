"""Find clusters, zones, city clusters, cities, organisations and events by English name, pinyin
or Chinese characters, forgiving small spelling slips (rapidfuzz, not hand-written distances).

A query matches whole words, or a run of whole words, of a name: "car" finds the electric car
cluster, not "cardboard" or "healthcare"; "EEN" finds the Enterprise Europe Network contact points,
not "green". Only a query of four letters or more may end inside a word ("photovolt") or be read as
a slip of one ("Huadhu"). Chinese is matched as characters and as pinyin syllables, so 廣州花都,
广州花都 and "guangzhou huadu" meet; a run of pinyin syllables counts as words, a lone syllable
("xian", "shi") only when it is the whole name. Every result is labelled with what and where it
is ("Electronic products industrial cluster · Dongguan, Guangdong") and no two labels are the same.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from atlas import kinds
from atlas.cache import per_atlas
from atlas.normalise import STOPWORDS, is_han, phrase, syllables, website_name, words
from atlas.provinces import PROVINCE_NAMES_EN

FUZZY_THRESHOLD = 86  # rapidfuzz ratio for reading a query as a slip of a name's words
FUZZY_MIN, PREFIX_MIN = 4, 4  # letters a query needs before it may be a slip or a word's start
MAX_RESULTS = 25
MAX_WORDS = 5  # words of a query looked up one by one (each must be somewhere in the entry)
MAX_SPAN = 6  # longest run of words indexed inside a name (a whole name is always indexed)
# Which kinds are searched, with which entries, and how results of equal score are ordered:
# atlas/kinds.py (Kind.searched, Kind.search_entries, Kind.search_rank).
# How a query sits in a name: all of it, its start, words inside it, a word's start, a slip.
WHOLE, START, INSIDE, WORD_START, WORD_INSIDE = 100.0, 96.0, 92.0, 90.0, 86.0
FUZZY_WEIGHT = 0.9
AND_PENALTY = 6.0  # several words found apart in one entry rank after the same words together


@dataclass(frozen=True)
class Entry:
    key: str  # "ic:IC048"
    kind: str  # what it is (its kind's label, lower case: kind_name())
    title: str  # what it is
    subtitle: str  # where it is
    label: str  # "what · where", unique in the index
    names: tuple[str, ...]  # the searchable names as written


@dataclass(frozen=True)
class Hit:
    key: str
    kind: str
    title: str
    subtitle: str
    score: float
    label: str = ""


# --- names -> indexed terms ---------------------------------------------------------------------


def segments(text: str) -> list[tuple[list[str], bool]]:
    """A name as runs of units: English words (singular), or a Chinese run's pinyin syllables
    (flagged True: a lone syllable is too short to count as a word)."""
    out, latin = [], []
    for w in words(text, singular=True):
        if is_han(w):
            if latin:
                out.append((latin, False))
                latin = []
            out.append((syllables(w), True))
        else:
            latin.append(w)
    if latin:
        out.append((latin, False))
    return out


def query_units(text: str) -> list[str]:
    """What was typed, as units in order (English words, pinyin syllables for characters)."""
    return [u for units, _ in segments(text) for u in units]


@dataclass
class SearchIndex:
    entries: list[Entry]
    spans: dict  # joined run of units -> {entry number: how well it sits}
    starts: list  # sorted (run of English words to a name's end, entry number, score)
    han: list  # (entry number, Chinese run as written)
    vocabulary: list  # indexed runs of FUZZY_MIN letters or more, for slips

    @classmethod
    def build(cls, entries: list[Entry]) -> SearchIndex:
        spans: dict[str, dict[int, float]] = defaultdict(dict)
        starts, han = [], []
        for i, e in enumerate(entries):
            for name in e.names:
                for w in words(name):
                    if is_han(w):
                        han.append((i, w))
                for units, pinyin in segments(name):
                    cls._add_runs(spans, starts, i, units, pinyin)
        starts.sort()
        vocabulary = sorted(k for k in spans if len(k) >= FUZZY_MIN)
        return cls(entries, dict(spans), starts, han, vocabulary)

    @staticmethod
    def _add_runs(spans: dict, starts: list, i: int, units: list[str], pinyin: bool) -> None:
        """Every run of up to MAX_SPAN units (pinyin: two syllables or more), the whole name, and
        for English names each word onwards (for a query that ends inside a word)."""
        n = len(units)
        runs = {
            (a, b) for a in range(n) for b in range(a + 1, min(n, a + MAX_SPAN) + 1) if not (pinyin and b - a < 2)
        } | {(0, n)}
        for a, b in runs:
            score = WHOLE if (a, b) == (0, n) else START if a == 0 else INSIDE
            key = "".join(units[a:b])
            spans[key][i] = max(spans[key].get(i, 0.0), score)
        if not pinyin:
            starts.extend(("".join(units[a:]), i, WORD_START if a == 0 else WORD_INSIDE) for a in range(n))

    def lookup(self, units: list[str], typed_latin: bool) -> dict[int, float]:
        """Entry number -> score for one run of query units."""
        q = "".join(units)
        found: dict[int, float] = dict(self.spans.get(q, {}))

        def add(i: int, score: float) -> None:
            if score > found.get(i, 0.0):
                found[i] = score

        if typed_latin and len(q) >= PREFIX_MIN:
            at = bisect.bisect_left(self.starts, (q,))
            while at < len(self.starts) and self.starts[at][0].startswith(q):
                _, i, score = self.starts[at]
                add(i, score)
                at += 1
        if len(q) >= FUZZY_MIN:
            for term, ratio, _ in process.extract(
                q, self.vocabulary, scorer=fuzz.ratio, score_cutoff=FUZZY_THRESHOLD, limit=None
            ):
                for i, score in self.spans[term].items():
                    add(i, min(score, ratio) * FUZZY_WEIGHT if term != q else score)
        return found

    def lookup_han(self, han: str) -> dict[int, float]:
        """Chinese characters as written: the whole name, its start, or inside it (2 or more)."""
        found: dict[int, float] = {}
        if len(han) < 2:
            return found
        for i, name in self.han:
            score = WHOLE if name == han else START if name.startswith(han) else INSIDE if han in name else 0.0
            if score > found.get(i, 0.0):
                found[i] = score
        return found


# --- the entries: what and where ----------------------------------------------------------------


def _province(adcode) -> str:
    code = str(adcode or "")
    return PROVINCE_NAMES_EN.get(code[:2] + "0000", "") if len(code) >= 2 else ""


def _where(*parts) -> str:
    """'Dongguan', 'Guangdong' -> 'Dongguan, Guangdong'; a part already named is not repeated."""
    out: list[str] = []
    for part in parts:
        part = str(part or "").strip()
        if part and not any(part.lower() in p.lower() for p in out):
            out.append(part)
    return ", ".join(out)


def _abroad(country) -> str:
    return "" if str(country or "") in ("", "China") else str(country)


def _initialisms(name: str) -> list[str]:
    """YRD for Yangtze River Delta, PRD for Pearl River Delta: the initials of each part of a name
    of three words or more (the seeds use them)."""
    out = []
    for part in re.split(r"\s*[/(]\s*", name):
        ws = re.findall(r"[A-Z][a-z]+", part)
        if len(ws) >= 3 and len(ws) == len(part.replace("-", " ").split()):
            out.append("".join(w[0] for w in ws))
    return out


def kind_name(code: str) -> str:
    """What a result of this kind is called ("industrial cluster")."""
    return kinds.label(code).lower()


def seat_entries(atlas) -> list[Entry]:
    """Every prefecture and county by its division seat (its Chinese name, romanised where it is)."""
    from atlas.uploads import romanise  # the gazetteer's English for a division
    from geo.boundaries import load_seats  # local: only the search needs every division seat

    seats = load_seats()
    roman = {}
    out = []
    for r in seats[seats["level"].isin(["prefecture", "county"]) & (seats["lon"] != "")].to_dict("records"):
        parents = [p for p in dict.fromkeys((r["prefecture_zh"], r["province_zh"])) if p and p != r["name_zh"]]
        for name in (r["name_zh"], *parents):
            if name not in roman:
                roman[name] = romanise(name)
        out.append(
            Entry(
                f"pl:{r['adcode']}",
                kind_name("pl"),
                f"{r['name_zh']} {roman[r['name_zh']]}",
                _where(*(roman[p] for p in parents)),
                "",
                (r["name_zh"],),
            )
        )
    return out


def _synonym_terms(atlas, codes: list, priority: str, words_of: set) -> list[str]:
    """The synonym table's terms that fit a cluster: a row whose words name one of its products or
    keywords, or whose NACE code it fits as the partner finder reads it (atlas.partners.synonyms
    code_fit: "wind" for the renewable-energy equipment cluster)."""
    from atlas import nace
    from atlas.partners.synonyms import code_fit, load_synonyms

    tax = atlas.taxonomy.sectors
    out = []
    for row in load_synonyms(sectors=frozenset(atlas.taxonomy.order)):
        flagged = bool(priority) and priority in {tax.at[x, "priority_sector"] for x in row.sectors}
        if row.keys & words_of or any(code_fit(c, nace.codes(codes), flagged) for c in row.codes):
            out.append(row.term)
    return out


def cluster_entries(atlas) -> list[Entry]:
    products = atlas.industry_sectors.set_index("industry")
    tax = atlas.taxonomy
    out = []
    for r in atlas.clusters.to_dict("records"):
        keywords = products.at[r["industry"], "keywords"].split(";") if r["industry"] in products.index else []
        own = {phrase(w) for w in (r["industry"].replace(" industrial cluster", ""), *keywords)}
        priority = str(r.get("priority_sector") or "")
        out.append(
            Entry(
                f"ic:{r['id']}",
                kind_name("ic"),
                r["industry"],
                _where(r["name_en"], _province(r["adcode"])),
                "",
                (
                    r["name_en"],
                    r["name_zh"],
                    r["place"],
                    r["industry"],
                    r["town_en"],
                    r["town_zh"],
                    *keywords,
                    *([tax.priority_label(priority)] if priority else []),
                    *_synonym_terms(atlas, r["nace"], priority, own),
                ),
            )
        )
    return out


def zone_entries(atlas) -> list[Entry]:
    tax = atlas.taxonomy
    return [
        Entry(
            f"z:{r['id']}",
            kind_name("z"),
            r["name_en"],
            _where(r.get("city_en"), r.get("province_en")) or "China",
            "",
            (
                r["name_en"],
                r.get("name_zh", ""),
                r.get("city_en", ""),
                r.get("companies", ""),
                *(tax.priority_label(p) for p in str(r.get("priority_sectors") or "").split(";") if p),
            ),
        )
        for r in atlas.zones.to_dict("records")
    ]


def city_cluster_entries(atlas) -> list[Entry]:
    """A city cluster by its names and by the local industrial clusters its description names
    ("pharmaceutical" finds Jing-Jin-Ji, for Shijiazhuang's)."""
    out = []
    for r in atlas.city_clusters.to_dict("records"):
        provinces = str(r.get("provinces") or "").split(";")
        where = ", ".join(provinces[:3]) + (" …" if len(provinces) > 3 else "")
        local = [
            re.sub(r"\(.*?\)", "", piece).strip()
            for item in re.split(r";\s+", str(r.get("local_industrial_clusters") or ""))
            for piece in re.split(r",\s+", item.rpartition(": ")[2])
        ]
        out.append(
            Entry(
                f"cc:{r['id']}",
                kind_name("cc"),
                f"{r['name_en']} city cluster",
                where,
                "",
                (r["name_en"], r["name_zh"], *_initialisms(r["name_en"]), *(x for x in local if x)),
            )
        )
    return out


def organisation_entries(atlas) -> list[Entry]:
    return [
        Entry(
            f"org:{r['id']}",
            kind_name("org"),
            r["name"],
            _where(r.get("city_en"), _abroad(r.get("country"))) or "China",
            "",
            (
                r["name"],
                r.get("name_zh", ""),
                r.get("abbreviation", ""),
                *str(r.get("name_variants") or "").split(";"),
                website_name(r.get("website_normalised") or r.get("website")),
            ),
        )
        for r in atlas.organisations.to_dict("records")
    ]


def event_entries(atlas) -> list[Entry]:
    partnerships = [(p["acronym"], p["name"]) for p in atlas.partnerships.to_dict("records")]
    out = []
    for r in atlas.events.to_dict("records"):
        said = set(words(f"{r['title']} {r.get('organisers', '')}"))
        part_of = [n for acronym, name in partnerships if set(words(acronym)) <= said for n in (acronym, name)]
        out.append(
            Entry(
                f"ev:{r['id']}",
                kind_name("ev"),
                r["title"],
                _where(r.get("city_en"), _abroad(r.get("country")), r.get("date_text")),
                "",
                (r["title"], r.get("city_en", ""), *part_of),
            )
        )
    return out


def partnership_entries(atlas) -> list[Entry]:
    return [
        Entry(
            f"esp:{r['id']}",
            kind_name("esp"),
            r["acronym"] if phrase(r["acronym"]) == phrase(r["name"]) else f"{r['acronym']} — {r['name']}",
            "ESCP-4i partnership",
            "",
            (r["acronym"], r["name"]),
        )
        for r in atlas.partnerships.to_dict("records")
    ]


def project_entries(atlas) -> list[Entry]:
    return [
        Entry(
            f"prj:{r['id']}",
            kind_name("prj"),
            r["acronym"] if phrase(r["acronym"]) == phrase(r["title"]) else f"{r['acronym']} — {r['title']}",
            " · ".join(x for x in (r.get("programme", ""), r.get("years_text", "")) if x) or "R&I project",
            "",
            (r["acronym"], r["title"], r.get("title_alt", "")),
        )
        for r in atlas.projects.to_dict("records")
    ]


def row_entries(atlas, kind: kinds.Kind) -> list[Entry]:
    """A kind without entries of its own: one per row, named by its ``search_names`` columns and
    placed by its ``search_where`` columns."""
    return [
        Entry(
            kinds.key_of(kind.code, r["id"]),
            kind.label.lower(),
            str(r.get(kind.search_names[0]) or r["id"]),
            _where(*(r.get(c) for c in kind.search_where)) or "China",
            "",
            tuple(str(r.get(c) or "") for c in kind.search_names),
        )
        for r in atlas.records(kind.dataset)
    ]


def entries(atlas) -> list[Entry]:
    """Everything the explorer can open, with its names, labels not yet made unique: each
    searched kind's entries (atlas/kinds.py Kind.search_entries, one function per kind)."""
    out: list[Entry] = []
    for kind in kinds.searched():
        make = kinds.resolve(kind.search_entries)
        out += make(atlas) if make else row_entries(atlas, kind)
    return out


def unique_labels(items: list[Entry]) -> list[Entry]:
    """'what · where' for each entry; where two are the same, the kind and then the key tell them
    apart (a zone and an organisation can share a name and a city)."""

    def label(e: Entry, *more: str) -> str:
        where = "" if e.subtitle.lower() in e.title.lower() else e.subtitle  # "… contact point – Beijing"
        return " · ".join(x for x in (e.title, where, *more) if x)

    labels = [label(e) for e in items]
    for extra in (lambda e: (e.kind,), lambda e: (e.kind, e.key.split(":", 1)[1])):
        seen: dict[str, int] = defaultdict(int)
        for x in labels:
            seen[x] += 1
        labels = [label(e, *extra(e)) if seen[x] > 1 else x for e, x in zip(items, labels, strict=False)]
    return [Entry(e.key, e.kind, e.title, e.subtitle, x, e.names) for e, x in zip(items, labels, strict=False)]


def build_search_index(atlas) -> SearchIndex:
    return SearchIndex.build(unique_labels(entries(atlas)))


def search_index(atlas) -> SearchIndex:
    """One index per Atlas and set of searched kinds (a kind registered later is searched too)."""
    return per_atlas(atlas, "search:" + ",".join(k.code for k in kinds.searched()), build_search_index)


# --- the search --------------------------------------------------------------------------------------


def _best(*found: dict[int, float]) -> dict[int, float]:
    out: dict[int, float] = {}
    for d in found:
        for i, score in d.items():
            out[i] = max(out.get(i, 0.0), score)
    return out


def search(atlas, query: str, limit: int = MAX_RESULTS) -> list[Hit]:
    """Ranked hits: the whole name, then its start, words inside it, the start of a word, slips."""
    index = search_index(atlas)
    typed = words(query)
    if not typed:
        return []
    scores = _best(
        index.lookup(query_units(query), not is_han(typed[-1])), *(index.lookup_han(w) for w in typed if is_han(w))
    )
    parts = list(dict.fromkeys(w for w in typed if w not in STOPWORDS))[:MAX_WORDS] if len(typed) > 1 else []
    if len(parts) > 1:  # several words: each somewhere in the entry's names
        each = [_best(index.lookup(query_units(w), not is_han(w)), index.lookup_han(w)) for w in parts]
        for i in set.intersection(*(set(d) for d in each)):
            scores[i] = max(scores.get(i, 0.0), min(d[i] for d in each) - AND_PENALTY)
    if any(s >= WORD_INSIDE for s in scores.values()):  # slips only when nothing is spelt so
        scores = {i: s for i, s in scores.items() if s >= WORD_INSIDE}
    hits = [
        Hit(e.key, e.kind, e.title, e.subtitle, s, e.label)
        for i, s in scores.items()
        if s > 0
        for e in (index.entries[i],)
    ]
    order = [k.label.lower() for k in kinds.searched()]
    hits.sort(key=lambda h: (-h.score, order.index(h.kind) if h.kind in order else len(order), h.label))
    return hits[:limit]


def matching_ids(atlas, query: str) -> frozenset[str]:
    """Keys of everything the query finds (the map filter widens these to what they contain)."""
    return frozenset(h.key for h in search(atlas, query, limit=10_000))
