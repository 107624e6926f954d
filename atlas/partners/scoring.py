"""Rank what fits a query and say why, most specific first.

A code or word naming a record's own product beats a sector it belongs to, which beats a mention
in a description; a sector the documents tie to a record elsewhere (the local industrial clusters a
city-cluster description names) counts like its own sector, a little less. A word's NACE code from
data/synonyms.csv only finds clusters coded inside it ("wind", NACE 28.11, does not find the valves
cluster coded 28.1, which merely contains turbines).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from atlas import nace
from atlas.normalise import contains_words, phrase
from atlas.partners.index import GENERAL_ORG, Doc, PartnerIndex, partner_index
from atlas.partners.index import groups as result_groups
from atlas.partners.query import Query, suggestions
from atlas.partners.synonyms import code_fit
from atlas.text import split
from geo.distance import haversine_km

NEAR_KM = 300
# Evidence weights: a code or word naming the product beats a sector, which beats a mention.
W = {
    "whole": 0.5,
    "within": 10.0,
    "broader": 8.0,
    "division": 4.0,
    "code_sector": 6.0,
    "primary": 10.0,
    "secondary": 6.0,
    "place": 6.0,
    "sector": 7.0,
    "priority": 0.5,
    "tied_sector": 6.0,
    "implied_sector": 3.0,
    "contains": 6.0,
    "near": 5.0,
    "province": 5.0,
}
IMPLIED_CODE_W = 0.6
SERVICE_FACETS = frozenset({"general", "near", "province"})  # what _service_evidence adds
NAMED_IN_HOLDS = 5  # matching clusters a city cluster's reason names before "and N more"


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
    specific: float = 0.0  # the strongest single reason: how directly it matches
    matched: bool = True  # it fits the query itself, not only as a service open to every sector

    @property
    def label(self) -> str:
        """What and where or when: two results never share it (two "Textile industrial cluster"s)."""
        return f"{self.title} · {self.subtitle}" if self.subtitle else self.title


@dataclass
class Found:
    query: Query
    groups: dict  # group -> [Result], best first
    suggestions: list  # when little or nothing matched

    @property
    def total(self) -> int:
        return sum(len(v) for v in self.groups.values())

    def best(self, groups) -> float:
        """The best score among these groups' results that fit the query itself (0: none)."""
        return max((r.score for g in groups for r in self.groups[g] if r.matched), default=0.0)

    def matched(self, groups) -> int:
        """How many results of these groups fit the query itself (not only open to every sector)."""
        return sum(r.matched for g in groups for r in self.groups[g])


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

    @property
    def matched(self) -> bool:
        """Something in the query fits it (not only: open to every sector, near a match)."""
        return bool(set(self.facets) - SERVICE_FACETS)

    @property
    def specific(self) -> float:
        return max((w for w, _ in self.reasons), default=0.0)

    def why(self, limit: int = 4) -> list[str]:
        out = []
        for _, r in sorted(self.reasons, key=lambda x: -x[0]):
            if r not in out:
                out.append(r)
        return out[:limit]


def _best_relation(q: nace.NaceCode, item_codes: list, allowed=("within", "broader", "division")) -> tuple | None:
    order = ("within", "broader", "division")
    found = [(nace.relation(q, c), c, i == 0) for i, c in enumerate(item_codes)]
    found = [f for f in found if f[0] in allowed]
    return min(found, key=lambda f: (order.index(f[0]), not f[2])) if found else None


def _code_evidence(ev: _Evidence, doc: Doc, query: Query, index: PartnerIndex) -> None:
    labels = index.labels
    for q in query.codes:
        if doc.codes:
            best = _best_relation(q, doc.codes)
            if best:
                rel, item, main = best
                text = {
                    "within": f"NACE {item} is {q}" if item == q else f"NACE {item} is within {q}",
                    "broader": f"NACE {item} includes {q}",
                    "division": f"NACE {item} is in the same division as {q}",
                }[rel]
                ev.add(str(q), W[rel] + (1 if main and rel != "division" else 0), text)
        else:
            for s in doc.sectors:
                if any(nace.relation(q, c) in ("within", "broader") for c in index.sector_codes.get(s, [])):
                    ev.add(str(q), W["code_sector"], f"sector {labels[s]} covers NACE {q}")
                    break
    # A word's code finds what is coded inside it, and what is coded more broadly only when flagged
    # for the word's EU-China priority sector: "wind" (28.11) finds the renewable-energy equipment
    # cluster coded 28.1, not the valves cluster coded 28.1.
    word_priorities = {index.priorities.get(s, ("",))[0] for s in query.implied_sectors} - {""}
    for q, why, facet in query.implied_codes:
        fit = code_fit(q, doc.codes, bool(word_priorities & doc.priority))
        if fit:
            rel = "is" if fit[0] == "within" else "includes it:"
            ev.add(facet, W[fit[0]] * IMPLIED_CODE_W, f"{why}; this cluster {rel} NACE {fit[1]}")


def _inside_other_industry(field: str, words: str, query: Query, index: PartnerIndex) -> bool:
    """The words sit inside a longer industry name of another sector ("new energy" in "new energy
    vehicles", an automotive keyword): the field names that industry, not the words' one."""
    text = phrase(field)
    wanted = set(query.implied_sectors) | set(query.sectors)
    return any(
        len(p) > len(words) and contains_words(p, words) and contains_words(text, p) and not (sectors & wanted)
        for p, sectors in index.phrases.items()
    )


def _term_evidence(ev: _Evidence, doc: Doc, query: Query, index: PartnerIndex) -> None:
    """Typed words come before their synonyms, so one field is explained by the word typed."""
    explained = set()
    for t in query.terms:
        hits = [
            (text != t.text, what, shown_as) for what, text, shown_as in doc.primary if contains_words(text, t.text)
        ]
        if t.synonym:  # "new energy" for renewable energy, not inside "new energy vehicles"
            hits = [h for h in hits if not _inside_other_industry(h[2], t.text, query, index)]
        hit = min(hits)[1:] if hits else None  # a field that is the word itself, else the first
        place = None if hit else next((shown_as for text, shown_as in doc.places if contains_words(text, t.text)), None)
        what = (
            None
            if hit or place or len(t.text) < 4 or t.synonym  # a synonym in a description is too loose
            else next((what for what, text in doc.secondary if contains_words(text, t.text)), None)
        )
        field_key = (t.facet, hit or place or what)
        if field_key[1] is None or field_key in explained:
            continue
        explained.add(field_key)
        if hit:
            whole = W["whole"] if not min(hits)[0] else 0.0  # the name itself, not a longer one
            ev.add(t.facet, (W["primary"] + whole) * t.weight, f"{t.why} matches {hit[0]} “{hit[1]}”")
        elif place:
            ev.add(t.facet, W["place"] * t.weight, f"{t.why}: in {place}")
        else:
            ev.add(t.facet, W["secondary"] * t.weight, f"{t.why} is mentioned in the {what}")


def _sector_evidence(ev: _Evidence, doc: Doc, query: Query, index: PartnerIndex) -> None:
    for s, why in query.sectors.items():
        priority, priority_label = index.priorities.get(s, ("", ""))
        if s in doc.sectors and priority in doc.priority:  # the sector's EU-China priority: the closer fit
            ev.add(
                "sector",
                W["sector"] + W["priority"],
                f"sector {index.labels[s]}, EU-China priority sector {priority_label} ({why})",
            )
        elif s in doc.sectors:
            ev.add("sector", W["sector"], f"sector {index.labels[s]} ({why})")
        elif s in doc.ties:
            ev.add("sector", W["tied_sector"], f"sector {index.labels[s]}: {doc.ties[s]}")
    for p, why in query.priorities.items():
        if p in doc.priority:
            ev.add("sector", W["sector"] + W["priority"], f"EU-China priority sector {index.priority_label(p)} ({why})")
    if doc.group != "clusters":  # a cluster's products and codes say more than a word's sector
        for s, why in query.implied_sectors.items():
            if doc.placed is not None:  # a partnership: where the documents discuss it
                priority, label = index.priorities.get(s, ("", ""))
                if priority in doc.placed:
                    ev.add("sector", W["implied_sector"], f"discussed under {label} in the documents: {why}")
            elif s in doc.sectors or s in doc.ties:
                ev.add("sector", W["implied_sector"], f"sector {index.labels[s]}: {why}")


def _score(doc: Doc, query: Query, index: PartnerIndex) -> _Evidence:
    ev = _Evidence()
    _code_evidence(ev, doc, query, index)
    _term_evidence(ev, doc, query, index)
    _sector_evidence(ev, doc, query, index)
    return ev


def _result(doc: Doc, ev: _Evidence) -> Result:
    return Result(
        doc.key,
        doc.group,
        doc.title,
        doc.subtitle,
        ev.score,
        ev.why(),
        doc.source,
        doc.website,
        doc.lat,
        doc.lon,
        ev.specific,
        ev.matched,
    )


def _rank(results: list[Result]) -> list[Result]:
    """Best first; at the same score the more direct match (its strongest reason) first."""
    return sorted(results, key=lambda r: (-r.score, -r.specific, r.title))


def _strong(results: list[Result]) -> list[Result]:
    """The results close to the best one (weak sector-only matches do not anchor anything)."""
    best = max((r.score for r in results), default=0.0)
    return [r for r in results if r.score >= max(5.0, 0.6 * best)]


def _contains_evidence(index: PartnerIndex, evidence: dict, clusters: list[Result], atlas) -> None:
    """A city cluster that holds strongly matching industrial clusters fits too; the reason names
    the best matches first, so a specific match is never hidden behind "and N more"."""
    strong = _strong(clusters)
    cc_of = dict(zip("ic:" + atlas.clusters["id"], atlas.clusters["city_cluster"], strict=False))
    for doc in index.docs:
        if doc.group != "city_clusters":
            continue
        cc_id = doc.key.split(":", 1)[1]
        inside = [r for r in strong if cc_id in split(cc_of.get(r.key))]
        if inside:
            names = "; ".join(
                f"{r.title.replace(' industrial cluster', '')} ({r.subtitle.split(' · ')[0]})"
                for r in inside[:NAMED_IN_HOLDS]
            )
            more = f" and {len(inside) - NAMED_IN_HOLDS} more" if len(inside) > NAMED_IN_HOLDS else ""
            n = f"{len(inside)} matching industrial cluster" + ("s" if len(inside) > 1 else "")
            evidence[doc.key].add("contains", W["contains"] + min(len(inside), 4), f"holds {n}: {names}{more}")


def _service_evidence(index: PartnerIndex, evidence: dict, anchors: list[Result]) -> None:
    """EU support services help whatever the sector; the nearest offices to the best matches first.
    Chinese bodies for all sectors count where they cover a matching cluster's province."""
    located = [a for a in anchors if a.lat is not None][:5]
    adcodes = {d.key: d.adcode for d in index.docs}
    provinces = {adcodes.get(a.key, "")[:2]: a for a in located if adcodes.get(a.key)}
    for doc in index.docs:
        ev = evidence[doc.key]
        if doc.group == "support":
            if doc.lat is not None and located:
                km, near = min(((haversine_km(doc.lat, doc.lon, a.lat, a.lon), a) for a in located), key=lambda x: x[0])
                if km <= NEAR_KM:
                    ev.add("near", W["near"], f"office {round(km):,} km from {near.title} ({near.subtitle})")
            if doc.general:
                ev.add("general", doc.general, "EU support service open to every sector")
        elif doc.group == "organisations" and doc.general:
            a = provinces.get(doc.adcode[:2]) if doc.adcode.endswith("0000") else None
            if a:
                ev.add("province", W["province"], f"provincial body where {a.title} ({a.subtitle}) is")
            ev.add("general", GENERAL_ORG, "works across all sectors")


def find_partners(atlas, query: Query) -> Found:
    """Everything that fits the query, grouped and ranked; empty groups when nothing does."""
    index = partner_index(atlas)
    groups: dict[str, list[Result]] = {g: [] for g in result_groups()}
    if query.empty:
        return Found(query, groups, suggestions(atlas, ""))
    evidence = {d.key: _score(d, query, index) for d in index.docs}

    def ranked(group: str) -> list[Result]:
        docs = [d for d in index.docs if d.group == group and evidence[d.key].score > 0]
        return _rank([_result(d, evidence[d.key]) for d in docs])

    _contains_evidence(index, evidence, ranked("clusters"), atlas)
    first = {g: ranked(g) for g in result_groups() if g != "support"}
    if any(first.values()):
        anchors = _strong(first["clusters"]) + _strong(first["zones"])
        _service_evidence(index, evidence, sorted(anchors, key=lambda r: -r.score))
    groups = {g: ranked(g) for g in result_groups()}
    found = Found(query, groups, [])
    if not found.total or query.unmatched:
        found.suggestions = suggestions(atlas, " ".join(query.unmatched))
    return found


def results_table(found: Found) -> pd.DataFrame:
    """All results as rows (for the CSV download), with why and source."""
    rows = [
        {
            "group": result_groups()[g],
            "key": r.key,
            "name": r.title,
            "details": r.subtitle,
            "score": r.score,
            "why": " | ".join(r.reasons),
            "website": r.website,
            "source": r.source,
        }
        for g, results in found.groups.items()
        for r in results
    ]
    return pd.DataFrame(rows, columns=["group", "key", "name", "details", "score", "why", "website", "source"])
