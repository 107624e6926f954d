"""Find clusters, zones, city clusters, cities and organisations by English name, pinyin or
Chinese characters, forgiving small spelling slips (rapidfuzz, not hand-written distances)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from rapidfuzz import fuzz

from atlas.cache import per_atlas
from atlas.place_names import place_pinyin

FUZZY_THRESHOLD = 86
MAX_RESULTS = 25


@dataclass(frozen=True)
class Entry:
    key: str  # "ic:IC048"
    kind: str
    title: str
    subtitle: str
    texts: tuple[str, ...]  # normalised searchable strings


@dataclass(frozen=True)
class Hit:
    key: str
    kind: str
    title: str
    subtitle: str
    score: float


def normalise(text: str) -> str:
    """Lowercase, no accents, tone marks, spaces or punctuation. (Traditional and simplified
    characters meet through their pinyin, which is indexed too.)"""
    text = unicodedata.normalize("NFKD", str(text))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[\s\-'’,.()/·]+", "", text.lower())


def pinyin(text: str) -> str:
    return place_pinyin(str(text)) if re.search(r"[\u4e00-\u9fff]", str(text)) else ""


def _entry(key: str, kind: str, title: str, subtitle: str, *names: str) -> Entry:
    texts = []
    for name in names:
        if name:
            texts.append(normalise(name))
            py = pinyin(name)
            if py:
                texts.append(normalise(py))
    return Entry(key, kind, title, subtitle, tuple(dict.fromkeys(t for t in texts if t)))


def build_index(atlas) -> tuple[Entry, ...]:
    from geo.boundaries import load_seats  # local: only the search needs place names

    entries = []
    products = atlas.industry_sectors.set_index("industry")
    for r in atlas.clusters.to_dict("records"):
        prod = products.loc[r["industry"]] if r["industry"] in products.index else None
        keywords = prod["keywords"].split(";") if prod is not None else []
        entries.append(_entry(f"ic:{r['id']}", "industrial cluster", r["industry"], r["name_en"],
                              r["name_en"], r["name_zh"], r["place"], r["industry"], r["town_en"], r["town_zh"],
                              *keywords))
    for r in atlas.zones.to_dict("records"):
        entries.append(_entry(f"z:{r['id']}", "zone or park", r["name_en"], r.get("city_en", ""),
                              r["name_en"], r.get("name_zh", ""), r.get("city_en", "")))
    for r in atlas.city_clusters.to_dict("records"):
        entries.append(_entry(f"cc:{r['id']}", "city cluster", r["name_en"], r["tier_label"],
                              r["name_en"], r["name_zh"]))
    for r in atlas.organisations.to_dict("records"):
        entries.append(_entry(f"org:{r['id']}", "organisation", r["name"], r.get("city_en", ""),
                              r["name"], r.get("name_zh", "")))
    for r in atlas.events.to_dict("records"):
        entries.append(_entry(f"ev:{r['id']}", "event or mission", r["title"], r.get("date_text", ""),
                              r["title"], r.get("city_en", "")))
    seats = load_seats()
    for r in seats[seats["level"].isin(["prefecture", "county"]) & (seats["lon"] != "")].to_dict("records"):
        subtitle = " ".join(x for x in (r["province_zh"], r["prefecture_zh"]) if x and x != r["name_zh"])
        entries.append(_entry(f"pl:{r['adcode']}", "city or county", r["name_zh"], subtitle,
                              r["name_zh"]))
    return tuple(entries)


def _index_for(atlas) -> tuple[Entry, ...]:
    return per_atlas(atlas, "search", build_index)


def search(atlas, query: str, limit: int = MAX_RESULTS) -> list[Hit]:
    """Ranked hits: exact and prefix matches first, then substring, then fuzzy."""
    q = normalise(query)
    if not q:
        return []
    q_py = normalise(pinyin(query)) if pinyin(query) else ""
    hits = []
    for e in _index_for(atlas):
        best = 0.0
        for t in e.texts:
            for needle in filter(None, (q, q_py)):
                if t == needle:
                    score = 100.0
                elif t.startswith(needle):
                    score = 96.0
                elif needle in t and len(needle) >= 2:
                    score = 92.0
                elif len(needle) >= 4:
                    score = fuzz.partial_ratio(needle, t) if len(t) >= len(needle) else fuzz.ratio(needle, t)
                    score = score * 0.9 if score >= FUZZY_THRESHOLD else 0.0
                else:
                    score = 0.0
                best = max(best, score)
        if best:
            hits.append(Hit(e.key, e.kind, e.title, e.subtitle, best))
    hits.sort(key=lambda h: (-h.score, h.kind != "industrial cluster", h.title))
    return hits[:limit]


def matching_ids(atlas, query: str) -> frozenset[str]:
    """Keys of every located item the query finds (used as a map filter)."""
    return frozenset(h.key for h in search(atlas, query, limit=10_000))
