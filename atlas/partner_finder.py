"""Partner finder: what in the atlas fits a sector, a NACE code or a few English keywords.

Ranked results per group (industrial clusters, zones, city clusters, EU instruments, Chinese
organisations), each saying why it matched and citing its record's source. Keywords match whole
words after light normalisation (case, accents, plurals); data/synonyms.csv widens a word to its
synonyms, sectors and NACE codes; rapidfuzz reads a spelling slip as the nearest known word.
No Streamlit here: the page and the tests call the same functions.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pandas as pd
from rapidfuzz import fuzz, process

from atlas import nace
from atlas.cache import per_atlas
from atlas.drilldown import haversine_km, split
from atlas.load import read_csv
from atlas.paths import DATA_DIR
from atlas.state import shown
from atlas.validate import Column, Context, Schema, validate_frame

MAX_TEXT = 200
MAX_PHRASES = 8
FUZZY_CUTOFF = 85  # rapidfuzz ratio for reading a slip as a known word
SUGGEST_CUTOFF = 60
NEAR_KM = 300
STOPWORDS = frozenset("a an and or the of in for with to on from by at as is are me my our we i".split())
EXAMPLES = ("C29", "solar", "medical devices", "textile machinery", "C27, C28", "batteries")

GROUPS = {
    "clusters": "Chinese industrial clusters",
    "zones": "Zones and parks",
    "city_clusters": "City clusters",
    "partnerships": "ESCP-4i partnerships",
    "projects": "Research and innovation projects",
    "events": "Past missions and events",
    "support": "EU support services",
    "organisations": "Chinese organisations to contact",
}
# Evidence weights: a code or word naming the product beats a sector, which beats a mention.
W = {"within": 10.0, "broader": 8.0, "division": 4.0, "code_sector": 6.0, "primary": 10.0,
     "secondary": 6.0, "place": 6.0, "sector": 7.0, "implied_sector": 3.0, "contains": 6.0,
     "near": 5.0, "province": 5.0, "general": 3.0, "general_org": 2.0}
SYNONYM_W, CORRECTED_W, WORD_W, IMPLIED_CODE_W = 0.8, 0.9, 0.7, 0.6


# --- words -----------------------------------------------------------------------------------

def stem(word: str) -> str:
    """Singular of an English plural, enough to meet 'batteries' and 'battery'."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("ches", "shes", "sses", "xes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def norm(text) -> str:
    """Lowercase words without accents or punctuation, each singular: 'Solar Water-Heaters' ->
    'solar water heater'."""
    text = unicodedata.normalize("NFKD", str(text or ""))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return " ".join(stem(w) for w in re.split(r"[^a-z0-9\u4e00-\u9fff]+", text) if w)


def has(haystack: str, needle: str) -> bool:
    return bool(needle) and f" {needle} " in f" {haystack} "


# --- synonyms ---------------------------------------------------------------------------------

def _nace_cell(value) -> str | None:
    bad = [c for c in str(value).split(";") if nace.code(c) is None]
    return f"not a NACE Rev. 2 code: {', '.join(bad)}" if bad else None


SYNONYMS = Schema("synonyms.csv", (
    Column("term", required=True), Column("synonyms", required=True),
    Column("sectors", "sectors", required=True), Column("nace", check=_nace_cell),
    Column("source", "source", required=True)), id_column="term")


@dataclass(frozen=True)
class Synonym:
    term: str
    words: tuple[str, ...]  # the term and its synonyms as typed in the file
    keys: frozenset[str]  # the same, normalised
    sectors: tuple[str, ...]
    codes: tuple[nace.NaceCode, ...]
    source: str


@lru_cache(maxsize=4)
def load_synonyms(data_dir: Path = DATA_DIR, sectors: frozenset[str] = frozenset()) -> tuple[Synonym, ...]:
    """data/synonyms.csv, checked like every other data file (DataFileError names row and field)."""
    df = read_csv(data_dir, SYNONYMS)
    validate_frame(df, SYNONYMS, Context(sectors=sectors))
    out = []
    for r in df.to_dict("records"):
        words = (r["term"], *split(r["synonyms"]))
        out.append(Synonym(r["term"], words, frozenset(norm(w) for w in words), tuple(split(r["sectors"])),
                           tuple(nace.codes(r["nace"])), r["source"]))
    return tuple(out)


# --- the query ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Term:
    text: str  # normalised words to look for
    facet: str  # the phrase it comes from (one facet counts once, however many synonyms hit)
    weight: float
    why: str  # how it was read, for the explanation


@dataclass(frozen=True)
class Query:
    sectors: dict = field(default_factory=dict)  # sector id -> why (chosen or named)
    codes: tuple = ()  # NaceCode typed
    terms: tuple = ()  # Term
    implied_sectors: dict = field(default_factory=dict)  # sector id -> why (from synonyms.csv)
    implied_codes: tuple = ()  # (NaceCode, why, facet)
    notes: tuple = ()
    unmatched: tuple = ()  # phrases nothing could be made of
    sources: tuple = ()  # synonyms.csv rows used

    @property
    def empty(self) -> bool:
        return not (self.sectors or self.codes or self.terms or self.unmatched)


def phrases(text: str) -> list[str]:
    """Comma/semicolon/slash-separated phrases, stop-words alone dropped."""
    parts = re.split(r"[,;/|\n]+|\s+or\s+", text)
    out = []
    for p in parts:
        p = re.sub(r"\s+", " ", p).strip(" .:-'\"")
        if p and any(w not in STOPWORDS for w in norm(p).split()):
            out.append(p[:60])
    return list(dict.fromkeys(out))[:MAX_PHRASES]


@dataclass
class _Reader:
    """Turns typed phrases into terms, using what the atlas actually contains."""

    index: "Index"
    terms: list = field(default_factory=list)
    sectors: dict = field(default_factory=dict)
    implied_sectors: dict = field(default_factory=dict)
    implied_codes: list = field(default_factory=list)
    sources: list = field(default_factory=list)

    def read(self, phrase: str, facet: str, weight: float, why: str) -> bool:
        """Add the terms one phrase stands for; False if nothing in the atlas knows it."""
        p = norm(phrase)
        found = False
        for sector, alias in self.index.sector_aliases.items():
            if p in alias:
                self.sectors.setdefault(sector, f"{why} names the sector {self.index.labels[sector]}")
                found = True
        if self.index.known(p):
            self.terms.append(Term(p, facet, weight, why))
            found = True
        for syn in self.index.synonym_rows(p):
            found = True
            self.sources.append(syn.source)
            for w in syn.words:
                if norm(w) != p:
                    self.terms.append(Term(norm(w), facet, weight * SYNONYM_W,
                                           f"{why} → synonym “{w}” (synonyms.csv)"))
            for s in syn.sectors:
                self.implied_sectors.setdefault(
                    s, f"{why} is listed under {self.index.labels.get(s, s)} in synonyms.csv")
            for c in syn.codes:
                self.implied_codes.append((c, f"{why} is NACE {c} in synonyms.csv", facet))
        return found

    def read_phrase(self, phrase: str) -> bool:
        quoted = f"“{phrase}”"
        if self.read(phrase, phrase, 1.0, quoted):
            return True
        for fix in self.index.corrections(norm(phrase)):
            if self.read(fix, phrase, CORRECTED_W, f"{quoted} read as “{fix}”"):
                return True
        words = [w for w in phrase.split() if w.lower() not in STOPWORDS and len(w) >= 2]
        if len(words) > 1:
            hits = [self.read_phrase_word(w, phrase) for w in words]
            return any(hits)
        return False

    def read_phrase_word(self, word: str, phrase: str) -> bool:
        why = f"“{word}” (from “{phrase}”)"
        if self.read(word, word, WORD_W, why):
            return True
        return any(self.read(fix, word, WORD_W * CORRECTED_W, f"“{word}” read as “{fix}”")
                   for fix in self.index.corrections(norm(word)))


def build_query(atlas, text: str = "", sectors=()) -> Query:
    """Read what someone typed (NACE codes and keywords in one box) plus the sectors they chose."""
    index = index_for(atlas)
    parsed = nace.parse(str(text or "")[:MAX_TEXT])
    reader = _Reader(index)
    chosen = {s: f"you chose {index.labels[s]}" for s in sectors if s in index.labels}
    unmatched = [p for p in phrases(parsed.rest) if not reader.read_phrase(p)]
    terms: dict[tuple, Term] = {}
    for t in reader.terms:  # one term per word and phrase, the strongest reading kept
        if (t.text, t.facet) not in terms or t.weight > terms[(t.text, t.facet)].weight:
            terms[(t.text, t.facet)] = t
    return Query(sectors={**reader.sectors, **chosen}, codes=parsed.codes, terms=tuple(terms.values()),
                 implied_sectors={k: v for k, v in reader.implied_sectors.items()
                                  if k not in chosen and k not in reader.sectors},
                 implied_codes=tuple(reader.implied_codes), notes=parsed.notes,
                 unmatched=tuple(unmatched), sources=tuple(dict.fromkeys(reader.sources)))


# --- the searchable records -------------------------------------------------------------------------

@dataclass
class Doc:
    key: str
    group: str
    title: str
    subtitle: str
    primary: list  # (what, normalised, as printed): names, products, keywords
    secondary: list  # (what, normalised): descriptions and roles
    places: list  # (normalised, as printed)
    sectors: set
    source: str
    codes: list = field(default_factory=list)
    website: str = ""
    lat: float | None = None
    lon: float | None = None
    adcode: str = ""
    general: float = 0.0  # > 0 for bodies that serve every sector: how much that alone counts


FIELD_LABELS = {"product_en": "product", "keywords": "keyword", "name_en": "name", "name_variants": "name",
                "specialisations": "specialisation", "local_industrial_clusters": "local clusters",
                "sector_text": "sector", "technology_field_text": "technology field",
                "sectoral_industries_text": "industries", "title_alt": "title", "sectors_text": "sectors",
                "key_figures": "key figures", "description_alt": "description"}


def _fields(rec: dict, *cols: str, sep: str = ";") -> list:
    out = []
    for col in cols:
        for value in (split(rec.get(col)) if sep == ";" else str(rec.get(col) or "").split(sep)):
            value = value.strip()
            if value:
                out.append((FIELD_LABELS.get(col, col.replace("_", " ")), norm(value), value))
    return out


def _texts(rec: dict, *cols: str) -> list:
    return [(FIELD_LABELS.get(col, col.replace("_", " ")), norm(rec.get(col)))
            for col in cols if str(rec.get(col) or "").strip()]


def _places(*values) -> list:
    return [(norm(v), str(v)) for v in values if str(v or "").strip()]


def _where(rec: dict) -> dict:
    """A record's point (None where it has none) and division code, as Doc fields."""
    lat, lon = rec.get("lat"), rec.get("lon")
    located = lat is not None and not pd.isna(lat)
    return {"lat": float(lat) if located else None, "lon": float(lon) if located else None,
            "adcode": str(rec.get("adcode") or "")}


def _cluster_docs(atlas) -> list[Doc]:
    products = atlas.industry_sectors.set_index("industry")
    docs = []
    for r in atlas.clusters.to_dict("records"):
        p = products.loc[r["industry"]].to_dict() if r["industry"] in products.index else {}
        docs.append(Doc(f"ic:{r['id']}", "clusters", r["industry"], f"{r['name_en']} · {r['province']}",
                        _fields(r, "industry") + _fields(p, "product_en") + _fields(p, "keywords"), [],
                        _places(r["name_en"], r["place"], r["province"], r["town_en"]), {r["sector"]},
                        r["source"], nace.codes(r["nace"]), **_where(r)))
    return docs


def _zone_docs(atlas) -> list[Doc]:
    return [Doc(f"z:{r['id']}", "zones", r["name_en"],
                f"{r['kind'].replace('_', ' ')} · {r.get('city_en') or r.get('province_en') or ''}",
                _fields(r, "name_en", "companies"), _texts(r, "description", "key_figures"),
                _places(r.get("city_en"), r.get("province_en")), set(split(r["sectors"])), r["source"], **_where(r))
            for r in atlas.zones.to_dict("records")]


def _city_cluster_docs(atlas) -> list[Doc]:
    return [Doc(f"cc:{r['id']}", "city_clusters", r["name_en"], f"{r['name_zh']} · {r['n_members']} member cities",
                _fields(r, "name_en", "specialisations") + _fields(r, "local_industrial_clusters", sep="; "),
                _texts(r, "description"), _places(*split(r["provinces"])), set(split(r["sectors"])), r["source"])
            for r in atlas.city_clusters.to_dict("records")]


def _counts(r: dict) -> str:
    return ", ".join(f"{int(v)} {k}" for k, v in (("SMEs", r["smes"]), ("partners", r["partners"]))
                     if v is not None and not pd.isna(v))


def _partnership_docs(atlas) -> list[Doc]:
    return [Doc(f"esp:{r['id']}", "partnerships", f"{r['acronym']} — {r['name']}",
                _counts(r) or "ESCP-4i partnership",
                _fields(r, "acronym", "name", "sector_text", "technology_field_text", "sectoral_industries_text"),
                _texts(r, "description", "members"), [], set(split(r["sector"])), r["source"],
                website=r.get("website", ""))
            for r in atlas.partnerships.to_dict("records")]


def _project_docs(atlas) -> list[Doc]:
    return [Doc(f"prj:{r['id']}", "projects", f"{r['acronym']} — {r['title']}",
                " · ".join(x for x in (r.get("programme", ""), r.get("years_text", "")) if x),
                _fields(r, "acronym", "title", "title_alt"), _texts(r, "description", "description_alt"),
                [], set(split(r["sector"])), r["source"], website=r.get("website", ""))
            for r in atlas.projects.to_dict("records")]


def _event_docs(atlas) -> list[Doc]:
    """One result per event (a mission's stops share an ``event_group``)."""
    docs = []
    for _, stops in atlas.events.groupby("event_group", sort=False):
        recs = stops.to_dict("records")
        r = recs[0]
        cities = list(dict.fromkeys(s["city_en"] for s in recs if s.get("city_en")))
        first = next((s for s in recs if _where(s)["lat"] is not None), r)  # the first stop on the map
        sectors = set().union(*(set(split(s["sectors"])) for s in recs))
        docs.append(Doc(f"ev:{first['id']}", "events", r["title"],
                        " · ".join(x for x in (r["kind"], r.get("date_text", ""), ", ".join(cities)) if x),
                        _fields(r, "title", "sectors_text", sep=","),
                        _texts(r, "activities", "participants", "outcome", "organisers"),
                        _places(*cities), sectors, " | ".join(dict.fromkeys(s["source"] for s in recs)),
                        **_where(first)))
    return docs


CHINESE_TABLES = ("000 Table 2", "001 Table 3", "001 Table 1")  # the seeds' tables of Chinese organisations


def _organisation_docs(atlas) -> list[Doc]:
    docs = []
    for r in atlas.organisations.to_dict("records"):
        support = r["category"] == "eu_support"
        if not support and not any(t in r.get("lists", "") for t in CHINESE_TABLES):
            continue  # European bodies outside the support table (ACEA, BECI, ...) are neither group
        where = r.get("city_en") or ("China-wide" if r.get("country") in ("China", "") else r.get("country", ""))
        docs.append(Doc(f"org:{r['id']}", "support" if support else "organisations", r["name"],
                        f"{r['category'].replace('_', ' ')} · {where}",
                        _fields(r, "name", "abbreviation", "name_variants", "sector_heading"),
                        _texts(r, "role"), _places(r.get("city_en")), set(split(r["sector"])), r["source"],
                        website=r.get("website_normalised") or r.get("website", ""),
                        general=_general_weight(r, support), **_where(r)))
    return docs


def _general_weight(r: dict, support: bool) -> float:
    """Sector-free bodies: the seeds' support tables first, offices outside China last."""
    if split(r["sector"]):
        return 0.0
    if not support:
        return W["general_org"]
    if r.get("country") not in ("China", ""):
        return 1.0
    return W["general"] if r.get("lists") else W["general_org"]


@dataclass
class Index:
    docs: list
    labels: dict  # sector id -> label
    sector_codes: dict  # sector id -> [NaceCode]
    sector_aliases: dict  # sector id -> {normalised names}
    synonyms: tuple
    corpus: str  # every normalised text, for "does the atlas know this word"
    vocabulary: list  # names, keywords and synonyms, for spelling slips and suggestions

    def __post_init__(self):
        self.by_term = {norm(s.term): s for s in self.synonyms}

    def synonym_rows(self, p: str) -> list:
        """Rows for a typed word. A row's own term also brings in the rows its synonyms are terms of
        (solar lists photovoltaics, so "solar" finds PV), but "photovoltaics" does not bring in solar heat."""
        own = self.by_term.get(p)
        if own:
            return [own] + [self.by_term[k] for k in (norm(w) for w in own.words[1:]) if k in self.by_term and k != p]
        return [s for s in self.synonyms if p in s.keys]

    def known(self, p: str) -> bool:
        return has(self.corpus, p)

    def corrections(self, p: str) -> list[str]:
        """Known words a slip most likely meant (none for short words: 'IT' is not 'it')."""
        if len(p) < 4 or self.known(p):
            return []
        hits = process.extract(p, self.vocabulary, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=2)
        return [h[0] for h in hits]


def build_index(atlas) -> Index:
    tax = atlas.taxonomy
    docs = (_cluster_docs(atlas) + _zone_docs(atlas) + _city_cluster_docs(atlas) + _partnership_docs(atlas)
            + _project_docs(atlas) + _event_docs(atlas) + _organisation_docs(atlas))
    labels = tax.labels
    aliases = {s: {norm(s), norm(labels[s]), norm(re.split(r"[&,]", labels[s])[0])} for s in tax.order}
    synonyms = load_synonyms(sectors=frozenset(tax.order))
    texts = [t[1] for d in docs for t in d.primary + d.secondary] + [p[0] for d in docs for p in d.places]
    vocab = {t[1] for d in docs for t in d.primary} | {k for s in synonyms for k in s.keys}
    vocab |= {w for v in list(vocab) for w in v.split() if len(w) >= 4}
    return Index(docs, labels, {s: nace.codes(tax.sectors.at[s, "nace"]) for s in tax.order}, aliases,
                 synonyms, " | ".join(texts + sorted(vocab)), sorted(vocab))


def index_for(atlas) -> Index:
    """One index per loaded Atlas."""
    return per_atlas(atlas, "partner_finder", build_index)


# --- scoring ------------------------------------------------------------------------------------

@dataclass
class Result:
    key: str
    group: str
    title: str
    subtitle: str
    score: float
    reasons: list
    source: str
    website: str = ""
    lat: float | None = None
    lon: float | None = None


@dataclass
class Found:
    query: Query
    groups: dict  # group -> [Result], best first
    suggestions: list  # when little or nothing matched

    @property
    def total(self) -> int:
        return sum(len(v) for v in self.groups.values())


class _Evidence:
    """Per facet (a phrase, a code, the sector choice) only the strongest reason counts fully."""

    def __init__(self):
        self.facets: dict[str, float] = {}
        self.reasons: list[tuple[float, str]] = []

    def add(self, facet: str, weight: float, reason: str) -> None:
        self.facets[facet] = max(self.facets.get(facet, 0.0), weight)
        self.reasons.append((weight, reason))

    @property
    def score(self) -> float:
        w = sorted(self.facets.values(), reverse=True)
        return round(w[0] + 0.5 * sum(w[1:]), 2) if w else 0.0

    def why(self, limit: int = 4) -> list[str]:
        out = []
        for _, r in sorted(self.reasons, key=lambda x: -x[0]):
            if r not in out:
                out.append(r)
        return out[:limit]


def _code_evidence(ev: _Evidence, doc: Doc, query: Query, index: Index) -> None:
    labels = index.labels
    for q in query.codes:
        if doc.codes:
            best = _best_relation(q, doc.codes)
            if best:
                rel, item, main = best
                text = {"within": f"NACE {item} is {q}" if item == q else f"NACE {item} is within {q}",
                        "broader": f"NACE {item} includes {q}",
                        "division": f"NACE {item} is in the same division as {q}"}[rel]
                ev.add(str(q), W[rel] + (1 if main and rel != "division" else 0), text)
        else:
            for s in doc.sectors:
                if any(nace.relation(q, c) in ("within", "broader") for c in index.sector_codes.get(s, [])):
                    ev.add(str(q), W["code_sector"], f"sector {labels[s]} covers NACE {q}")
                    break
    for q, why, facet in query.implied_codes:  # a word's code: same division alone is too loose
        best = _best_relation(q, doc.codes) if doc.codes else None
        if best and best[0] != "division":
            ev.add(facet, W[best[0]] * IMPLIED_CODE_W, f"{why}; this cluster is NACE {best[1]}")


def _best_relation(q: nace.NaceCode, item_codes: list) -> tuple | None:
    order = ("within", "broader", "division")
    found = [(nace.relation(q, c), c, i == 0) for i, c in enumerate(item_codes)]
    found = [f for f in found if f[0]]
    return min(found, key=lambda f: (order.index(f[0]), not f[2])) if found else None


def _term_evidence(ev: _Evidence, doc: Doc, query: Query) -> None:
    """Typed words come before their synonyms, so one field is explained by the word typed."""
    explained = set()
    for t in query.terms:
        hit = next(((what, shown_as) for what, text, shown_as in doc.primary if has(text, t.text)), None)
        place = None if hit else next((shown_as for text, shown_as in doc.places if has(text, t.text)), None)
        what = None if hit or place or len(t.text) < 4 else \
            next((what for what, text in doc.secondary if has(text, t.text)), None)
        field_key = (t.facet, hit or place or what)
        if field_key[1] is None or field_key in explained:
            continue
        explained.add(field_key)
        if hit:
            ev.add(t.facet, W["primary"] * t.weight, f"{t.why} matches {hit[0]} “{hit[1]}”")
        elif place:
            ev.add(t.facet, W["place"] * t.weight, f"{t.why}: in {place}")
        else:
            ev.add(t.facet, W["secondary"] * t.weight, f"{t.why} is mentioned in the {what}")


def _sector_evidence(ev: _Evidence, doc: Doc, query: Query, index: Index) -> None:
    for s, why in query.sectors.items():
        if s in doc.sectors:
            ev.add("sector", W["sector"], f"sector {index.labels[s]} ({why})")
    if doc.group != "clusters":  # a cluster's products and codes say more than a word's sector
        for s, why in query.implied_sectors.items():
            if s in doc.sectors:
                ev.add("sector", W["implied_sector"], f"sector {index.labels[s]}: {why}")


def _score(doc: Doc, query: Query, index: Index) -> _Evidence:
    ev = _Evidence()
    _code_evidence(ev, doc, query, index)
    _term_evidence(ev, doc, query)
    _sector_evidence(ev, doc, query, index)
    return ev


def _result(doc: Doc, ev: _Evidence) -> Result:
    return Result(doc.key, doc.group, doc.title, doc.subtitle, ev.score, ev.why(), doc.source,
                  doc.website, doc.lat, doc.lon)


def _strong(results: list[Result]) -> list[Result]:
    """The results close to the best one (weak sector-only matches do not anchor anything)."""
    best = max((r.score for r in results), default=0.0)
    return [r for r in results if r.score >= max(5.0, 0.6 * best)]


def _contains_evidence(index: Index, evidence: dict, clusters: list[Result], atlas) -> None:
    """A city cluster that holds strongly matching industrial clusters fits too."""
    strong = _strong(clusters)
    cc_of = dict(zip("ic:" + atlas.clusters["id"], atlas.clusters["city_cluster"]))
    for doc in index.docs:
        if doc.group != "city_clusters":
            continue
        cc_id = doc.key.split(":", 1)[1]
        inside = [r for r in strong if cc_id in split(cc_of.get(r.key))]
        if inside:
            names = "; ".join(f"{r.title.replace(' industrial cluster', '')} ({r.subtitle.split(' · ')[0]})"
                              for r in inside[:3])
            more = f" and {len(inside) - 3} more" if len(inside) > 3 else ""
            n = f"{len(inside)} matching industrial cluster" + ("s" if len(inside) > 1 else "")
            evidence[doc.key].add("contains", W["contains"] + min(len(inside), 4), f"holds {n}: {names}{more}")


def _service_evidence(index: Index, evidence: dict, anchors: list[Result]) -> None:
    """EU support services help whatever the sector; the nearest offices to the best matches first.
    Chinese bodies for all sectors count where they cover a matching cluster's province."""
    located = [a for a in anchors if a.lat is not None][:5]
    adcodes = {d.key: d.adcode for d in index.docs}
    provinces = {adcodes.get(a.key, "")[:2]: a for a in located if adcodes.get(a.key)}
    for doc in index.docs:
        ev = evidence[doc.key]
        if doc.group == "support":
            if doc.lat is not None and located:
                km, near = min(((haversine_km(doc.lat, doc.lon, a.lat, a.lon), a) for a in located),
                               key=lambda x: x[0])
                if km <= NEAR_KM:
                    ev.add("near", W["near"], f"office {round(km):,} km from {near.title} ({near.subtitle})")
            if doc.general:
                ev.add("general", doc.general, "EU support service open to every sector")
        elif doc.group == "organisations" and doc.general:
            a = provinces.get(doc.adcode[:2]) if doc.adcode.endswith("0000") else None
            if a:
                ev.add("province", W["province"], f"provincial body where {a.title} ({a.subtitle}) is")
            ev.add("general", W["general_org"], "works across all sectors")


def find_partners(atlas, query: Query) -> Found:
    """Everything that fits the query, grouped and ranked; empty groups when nothing does."""
    index = index_for(atlas)
    groups: dict[str, list[Result]] = {g: [] for g in GROUPS}
    if query.empty:
        return Found(query, groups, suggestions(atlas, ""))
    evidence = {d.key: _score(d, query, index) for d in index.docs}

    def ranked(group: str) -> list[Result]:
        docs = [d for d in index.docs if d.group == group and evidence[d.key].score > 0]
        return sorted((_result(d, evidence[d.key]) for d in docs), key=lambda r: (-r.score, r.title))

    _contains_evidence(index, evidence, ranked("clusters"), atlas)
    first = {g: ranked(g) for g in GROUPS if g != "support"}
    if any(first.values()):
        anchors = _strong(first["clusters"]) + _strong(first["zones"])
        _service_evidence(index, evidence, sorted(anchors, key=lambda r: -r.score))
    groups = {g: ranked(g) for g in GROUPS}
    found = Found(query, groups, [])
    if not found.total or query.unmatched:
        found.suggestions = suggestions(atlas, " ".join(query.unmatched))
    return found


def suggestions(atlas, text: str, limit: int = 5) -> list[str]:
    """Queries worth trying: known words close to what was typed, else the examples."""
    index = index_for(atlas)
    close = []
    if norm(text):
        hits = process.extract(norm(text), index.vocabulary, scorer=fuzz.WRatio,
                               score_cutoff=SUGGEST_CUTOFF, limit=limit * 3)
        close = [h[0] for h in hits if len(h[0]) >= 3]
    return list(dict.fromkeys(close))[:limit] or list(EXAMPLES)


def results_table(found: Found) -> pd.DataFrame:
    """All results as rows (for the CSV download), with why and source."""
    rows = [{"group": GROUPS[g], "key": r.key, "name": r.title, "details": r.subtitle, "score": r.score,
             "why": " | ".join(r.reasons), "website": r.website, "source": r.source}
            for g, results in found.groups.items() for r in results]
    return pd.DataFrame(rows, columns=["group", "key", "name", "details", "score", "why", "website", "source"])


# --- the shortlist -----------------------------------------------------------------------------

MAX_SHORTLIST = 40


def shortlist_docs(atlas) -> dict[str, Doc]:
    """Everything that can go on a shortlist, by key ("ic:IC048", "z:z_huadu_auto_city", ...).
    Events are also known by each stop's id, so a link to any stop keeps working."""
    index = index_for(atlas)
    docs = {d.key: d for d in index.docs}
    for r in atlas.events.to_dict("records"):
        group_doc = next((d for d in index.docs if d.group == "events" and d.title == r["title"]
                          and r["source"] in d.source), None)
        if group_doc is not None:
            docs.setdefault(f"ev:{r['id']}", group_doc)
    return docs


def parse_shortlist(raw, atlas) -> tuple[list[str], list[str]]:
    """The URL's shortlist value -> (known keys in order, notices for what was dropped)."""
    if isinstance(raw, (list, tuple)):
        raw = ",".join(map(str, raw))
    known = shortlist_docs(atlas)
    keys, bad = [], []
    for part in str(raw or "").split(","):
        part = part.strip()
        if not part:
            continue
        (keys if part in known else bad).append(part)
    notices = []
    if bad:
        notices.append(f"Ignored {len(bad)} shortlist entr{'y' if len(bad) == 1 else 'ies'} not in the atlas: "
                       + ", ".join(shown(b) for b in bad[:3]) + (" …" if len(bad) > 3 else "") + ".")
    keys = list(dict.fromkeys(known[k].key for k in keys))
    if len(keys) > MAX_SHORTLIST:
        notices.append(f"A shortlist holds up to {MAX_SHORTLIST} items; the rest were left out.")
    return keys[:MAX_SHORTLIST], notices


def shortlist_table(atlas, keys: list[str]) -> pd.DataFrame:
    """The shortlist as rows with website, point and source, for the table and the CSV."""
    docs = shortlist_docs(atlas)
    rows = []
    for k in keys:
        d = docs[k]
        rows.append({"key": d.key, "group": GROUPS[d.group], "name": d.title, "details": d.subtitle,
                     "sectors": "; ".join(atlas.taxonomy.label(s) for s in sorted(d.sectors)),
                     "website": d.website, "lat": d.lat, "lon": d.lon, "source": d.source})
    return pd.DataFrame(rows, columns=["key", "group", "name", "details", "sectors", "website", "lat", "lon",
                                       "source"])
