"""What the partner finder searches: one record (Doc) per cluster, zone, city cluster, EU
instrument and organisation, with its names, descriptions, places, sectors, codes and source."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd

from atlas import kinds, nace
from atlas.cache import per_atlas
from atlas.normalise import contains_words, phrase, website_name
from atlas.text import split

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
FIELD_LABELS = {
    "product_en": "product",
    "keywords": "keyword",
    "name_en": "name",
    "name_variants": "name",
    "specialisations": "specialisation",
    "local_industrial_clusters": "local clusters",
    "sector_text": "sector",
    "technology_field_text": "technology field",
    "sectoral_industries_text": "industries",
    "title_alt": "title",
    "sectors_text": "sectors",
    "key_figures": "key figures",
    "description_alt": "description",
}
CHINESE_TABLES = ("000 Table 2", "001 Table 3", "001 Table 1")  # the seeds' tables of Chinese organisations
GENERAL, GENERAL_ORG, ABROAD = 3.0, 2.0, 1.0  # how much serving every sector alone counts


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
    ties: dict = field(default_factory=dict)  # sector -> what in the record's text names an industry of it
    priority: set = field(default_factory=set)  # EU-China priority sectors (automotive, human_health, ...)
    # The priority sectors the documents discuss it under (a partnership's discussed_under): for
    # partnerships, a word's sector reaches them only through these, not through an incidental
    # tag (NATUREEF's "clean energy" participants do not make it a wind or PV partnership). None:
    # its sectors and ties decide.
    placed: set | None = None


def _fields(rec: dict, *cols: str, sep: str = ";") -> list:
    out = []
    for col in cols:
        for value in split(rec.get(col)) if sep == ";" else str(rec.get(col) or "").split(sep):
            value = value.strip()
            if value:
                out.append((FIELD_LABELS.get(col, col.replace("_", " ")), phrase(value), value))
    return out


def _texts(rec: dict, *cols: str) -> list:
    return [
        (FIELD_LABELS.get(col, col.replace("_", " ")), phrase(rec.get(col)))
        for col in cols
        if str(rec.get(col) or "").strip()
    ]


def _places(*values) -> list:
    return [(phrase(v), str(v)) for v in values if str(v or "").strip()]


def _where(rec: dict) -> dict:
    """A record's point (None where it has none) and division code, as Doc fields."""
    lat, lon = rec.get("lat"), rec.get("lon")
    located = lat is not None and not pd.isna(lat)
    return {
        "lat": float(lat) if located else None,
        "lon": float(lon) if located else None,
        "adcode": str(rec.get("adcode") or ""),
    }


def cluster_docs(atlas) -> list[Doc]:
    products = atlas.industry_sectors.set_index("industry")
    docs = []
    for r in atlas.clusters.to_dict("records"):
        p = products.loc[r["industry"]].to_dict() if r["industry"] in products.index else {}
        docs.append(
            Doc(
                f"ic:{r['id']}",
                "clusters",
                r["industry"],
                f"{r['name_en']} · {r['province']}",
                _fields(r, "industry") + _fields(p, "product_en") + _fields(p, "keywords"),
                [],
                _places(r["name_en"], r["place"], r["province"], r["town_en"]),
                {r["sector"]},
                r["source"],
                nace.codes(r["nace"]),
                priority=set(split(r["priority_sector"])),
                **_where(r),
            )
        )
    return docs


def zone_docs(atlas) -> list[Doc]:
    return [
        Doc(
            f"z:{r['id']}",
            "zones",
            r["name_en"],
            f"{r['kind'].replace('_', ' ')} · {r.get('city_en') or r.get('province_en') or ''}",
            _fields(r, "name_en", "companies"),
            _texts(r, "description", "key_figures"),
            _places(r.get("city_en"), r.get("province_en")),
            set(split(r["sectors"])),
            r["source"],
            priority=set(split(r.get("priority_sectors"))),
            **_where(r),
        )
        for r in atlas.zones.to_dict("records")
    ]


def industry_phrases(atlas) -> dict[str, set[str]]:
    """Normalised names of the top-100 list's industries (product, industry, keywords) -> their sectors."""
    out: dict[str, set[str]] = {}
    for r in atlas.industry_sectors.to_dict("records"):
        names = [
            r["product_en"].split("(")[0],
            re.sub(r"\s*industrial cluster$", "", r["industry"]),
            *split(r["keywords"]),
        ]
        for name in names:
            if phrase(name):
                out.setdefault(phrase(name), set()).add(r["sector"])
    return out


def local_cluster_ties(text: str, phrases: dict[str, set[str]], labels: dict) -> dict[str, str]:
    """'Zhenjiang: eyewear; Wuxi: environmental protection equipment' -> the sectors of the
    industries named, each with what named it; the longest industry name in a piece wins."""
    ties: dict[str, str] = {}
    for item in re.split(r";\s+", str(text or "")):
        city, _, products = item.rpartition(": ")
        for piece in re.split(r",\s+", products):
            n = phrase(re.sub(r"\(.*?\)", "", piece))
            hits = [p for p in phrases if contains_words(n, p)]
            for p in (p for p in hits if not any(p != o and contains_words(o, p) for o in hits)):
                for s in sorted(phrases[p]):
                    where = f" ({city})" if city else ""
                    ties.setdefault(
                        s,
                        f"the documents name its local industrial cluster “{piece.strip()}”{where}, "
                        f"an industry of {labels.get(s, s)}",
                    )
    return ties


def city_cluster_docs(atlas) -> list[Doc]:
    phrases, labels = industry_phrases(atlas), atlas.taxonomy.labels
    docs = []
    for r in atlas.city_clusters.to_dict("records"):
        sectors = set(split(r["sectors"]))
        ties = {
            s: why
            for s, why in local_cluster_ties(r["local_industrial_clusters"], phrases, labels).items()
            if s not in sectors
        }
        docs.append(
            Doc(
                f"cc:{r['id']}",
                "city_clusters",
                r["name_en"],
                f"{r['name_zh']} · {r['n_members']} member cities",
                _fields(r, "name_en", "specialisations") + _fields(r, "local_industrial_clusters", sep="; "),
                _texts(r, "description"),
                _places(*split(r["provinces"])),
                sectors,
                r["source"],
                ties=ties,
            )
        )
    return docs


def _counts(r: dict) -> str:
    return ", ".join(
        f"{int(v)} {k}"
        for k, v in (("SMEs", r["smes"]), ("partners", r["partners"]))
        if v is not None and not pd.isna(v)
    )


def _titled(acronym: str, name: str) -> str:
    """'DIA — European Digital Industry Alliance'; 'NATUREEF', not 'NATUREEF — NATUREEF'."""
    return acronym if phrase(acronym) == phrase(name) else f"{acronym} — {name}"


def named_partnerships(partnerships: list[dict], text: str) -> list[dict]:
    """The partnerships whose acronym a text names as words ("EC2i Matchmaking Mission" -> EC2i)."""
    said = f" {phrase(text)} "
    return [r for r in partnerships if phrase(r["acronym"]) and f" {phrase(r['acronym'])} " in said]


def _placed(r: dict) -> set:
    return set(split(r.get("discussed_under")))


def _partnership_docs(atlas) -> list[Doc]:
    return [
        Doc(
            f"esp:{r['id']}",
            "partnerships",
            _titled(r["acronym"], r["name"]),
            _counts(r) or "ESCP-4i partnership",
            _fields(r, "acronym", "name", "sector_text", "technology_field_text", "sectoral_industries_text"),
            _texts(r, "description", "members"),
            [],
            set(split(r["sector"])),
            r["source"],
            website=r.get("website", ""),
            priority=set(split(r.get("priority_sector"))) | _placed(r),
            placed=_placed(r),
        )
        for r in atlas.partnerships.to_dict("records")
    ]


def _project_docs(atlas) -> list[Doc]:
    return [
        Doc(
            f"prj:{r['id']}",
            "projects",
            _titled(r["acronym"], r["title"]),
            " · ".join(x for x in (r.get("programme", ""), r.get("years_text", "")) if x),
            _fields(r, "acronym", "title", "title_alt"),
            _texts(r, "description", "description_alt"),
            [],
            set(split(r["sector"])),
            r["source"],
            website=r.get("website", ""),
            priority=set(split(r.get("priority_sector"))),
        )
        for r in atlas.projects.to_dict("records")
    ]


def event_docs(atlas) -> list[Doc]:
    """One result per event (a mission's stops share an ``event_group``)."""
    docs = []
    partnerships = atlas.partnerships.to_dict("records")
    for _, stops in atlas.events.groupby("event_group", sort=False):
        recs = stops.to_dict("records")
        r = recs[0]
        cities = list(dict.fromkeys(s["city_en"] for s in recs if s.get("city_en")))
        first = next((s for s in recs if _where(s)["lat"] is not None), r)  # the first stop on the map
        sectors = set().union(*(set(split(s["sectors"])) for s in recs))
        named = named_partnerships(partnerships, f"{r['title']} {r['organisers']}")
        placed = set().union(*(_placed(x) for x in named))
        ties = {  # an event of a partnership is tied to the priority sector the documents discuss it under
            s: f"part of {x['acronym']}, which the documents discuss under {atlas.taxonomy.priority_label(p)}"
            for x in named
            for p in _placed(x)
            for s in atlas.taxonomy.order
            if atlas.taxonomy.sectors.at[s, "priority_sector"] == p and s not in sectors
        }
        docs.append(
            Doc(
                f"ev:{first['id']}",
                "events",
                r["title"],
                " · ".join(x for x in (r["kind"], r.get("date_text", ""), ", ".join(cities)) if x),
                _fields(r, "title", "sectors_text", sep=","),
                _texts(r, "activities", "participants", "outcome", "organisers"),
                _places(*cities),
                sectors,
                " | ".join(dict.fromkeys(s["source"] for s in recs)),
                priority=set().union(*(set(split(s.get("priority_sectors"))) for s in recs)) | placed,
                ties=ties,
                placed=placed if named else None,  # a partnership's event: placed as the partnership
                **_where(first),
            )
        )
    return docs


def organisation_docs(atlas) -> list[Doc]:
    docs = []
    for r in atlas.organisations.to_dict("records"):
        support = r["category"] == "eu_support"
        if not support and not any(t in r.get("lists", "") for t in CHINESE_TABLES):
            continue  # European bodies outside the support table (ACEA, BECI, ...) are neither group
        where = r.get("city_en") or ("China-wide" if r.get("country") in ("China", "") else r.get("country", ""))
        docs.append(
            Doc(
                f"org:{r['id']}",
                "support" if support else "organisations",
                r["name"],
                f"{r['category'].replace('_', ' ')} · {where}",
                _fields(r, "name", "abbreviation", "name_variants", "sector_heading")
                + _fields(
                    {"web address": website_name(r.get("website_normalised") or r.get("website"))}, "web address"
                ),
                _texts(r, "role"),
                _places(r.get("city_en")),
                set(split(r["sector"])),
                r["source"],
                website=r.get("website_normalised") or r.get("website", ""),
                general=_general_weight(r, support),
                priority=set(split(r.get("priority_sector"))),
                **_where(r),
            )
        )
    return docs


def _general_weight(r: dict, support: bool) -> float:
    """Sector-free bodies: the seeds' support tables first, offices outside China last."""
    if split(r["sector"]):
        return 0.0
    if not support:
        return GENERAL_ORG
    if r.get("country") not in ("China", ""):
        return ABROAD
    return GENERAL if r.get("lists") else GENERAL_ORG


@dataclass
class PartnerIndex:
    docs: list
    labels: dict  # sector id -> label
    sector_codes: dict  # sector id -> [NaceCode]
    sector_aliases: dict  # sector id -> {normalised names}: its id and its label
    sector_parts: dict  # sector id -> {the first of several things its label names}: "furniture", "energy"
    priority_aliases: dict  # EU-China priority id -> {normalised names}: its label, its id, and the
    # id of the one sector it covers where that id is a word of its label ("health" for Human health)
    priorities: dict  # sector id -> (its EU-China priority sector id, that priority's label)
    corpus: str  # every normalised text, for "does the atlas know this word"
    vocabulary: set  # names, products and keywords, for spelling slips and suggestions
    phrases: dict = field(default_factory=dict)  # industry names (industry_phrases) -> their sectors

    def known(self, p: str) -> bool:
        return contains_words(self.corpus, p)

    def priority_label(self, priority: str) -> str:
        return next((label for p, label in self.priorities.values() if p == priority), priority)


def build_partner_index(atlas) -> PartnerIndex:
    tax = atlas.taxonomy
    docs = [d for kind in kinds.KINDS.values() if kind.partner for d in kind_docs(atlas, kind)]
    docs += _partnership_docs(atlas) + _project_docs(atlas)
    labels = tax.labels
    aliases = {s: {phrase(s), phrase(labels[s])} for s in tax.order}
    firsts = {s: phrase(re.split(r"[&,]", labels[s])[0]) for s in tax.order}
    parts = {s: {firsts[s]} - aliases[s] for s in tax.order if len(firsts[s]) >= 3}
    texts = [t[1] for d in docs for t in d.primary + d.secondary] + [p[0] for d in docs for p in d.places]
    priorities = {s: (p, tax.priority_label(p)) for s in tax.order for p in [tax.sectors.at[s, "priority_sector"]] if p}
    priority_aliases = {p: {phrase(p), phrase(tax.priority_label(p))} for p in tax.priority.index}
    for s, (p, label) in priorities.items():
        if phrase(s) in phrase(label).split():  # "health" reads as Human health, not all of its sector
            priority_aliases[p].add(phrase(s))
            aliases[s].discard(phrase(s))
    return PartnerIndex(
        docs,
        labels,
        {s: nace.codes(tax.sectors.at[s, "nace"]) for s in tax.order},
        aliases,
        {s: p for s, p in parts.items() if p},
        priority_aliases,
        priorities,
        " | ".join(texts),
        {t[1] for d in docs for t in d.primary},
        industry_phrases(atlas),
    )


def partner_index(atlas) -> PartnerIndex:
    """One index per loaded Atlas and set of kinds the finder takes (atlas/kinds.py)."""
    taken = ",".join(k.code for k in kinds.KINDS.values() if k.partner)
    return per_atlas(atlas, "partner_finder:" + taken, build_partner_index)


def groups() -> dict[str, str]:
    """The finder's result groups (key -> heading): GROUPS, then each other kind it takes, by
    its dataset."""
    out = dict(GROUPS)
    for k in kinds.KINDS.values():
        if k.partner and k.dataset and k.dataset not in out:
            out[k.dataset] = k.plural[:1].upper() + k.plural[1:]
    return out


def kind_docs(atlas, kind) -> list[Doc]:
    """The kind's own records (Kind.partner_docs), or one per row: its names, places, sectors,
    codes and source."""
    make = kinds.resolve(kind.partner_docs)
    if make is not None:
        return make(atlas)
    return [
        Doc(
            kinds.key_of(kind.code, r["id"]),
            kind.dataset,
            str(r.get(kind.search_names[0]) or r["id"]),
            ", ".join(str(r.get(c)) for c in kind.search_where if r.get(c)),
            _fields(r, *kind.search_names),
            _texts(r, "description"),
            _places(*(r.get(c) for c in kind.search_where)),
            set(split(r.get(kind.sector_column))),
            r.get("source", ""),
            nace.codes(r["nace"]) if r.get("nace") else [],
            priority=set(split(r.get(kind.priority_column))),
            **_where(r),
        )
        for r in atlas.records(kind.dataset)
    ]
