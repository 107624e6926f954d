"""What a meeting brief says about one scope (a province, a city cluster, a sector, one
cluster or zone), as plain data with numbered citations.

A brief is about its scope: what lies in it (clusters, zones, policies of the place, events
held there, organisations there) comes first and in full; national and sector-wide items
follow as a short summary, listed in full only in the annex. Absences are stated. The PDF and
Markdown writers (atlas/reports/pdf.py, markdown.py) only lay this out.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

import pandas as pd

from atlas import kinds
from atlas.counts import event_count
from atlas.drilldown import NEARBY_KM, PolicyMatch, detail, policies_for
from atlas.figures import (
    CITY_CLUSTERS_AS_OF,
    DOCUMENT_AS_OF,
    TABLE4_AS_OF,
    document_as_of,
    of_list,
    records_as_of,
    with_as_of,
)
from atlas.file_names import slug
from atlas.load import Atlas
from atlas.paths import DATA_DIR
from atlas.provenance import citation, parts, readable
from atlas.reports.static_map import CHINA_BBOX, MapPoint, MapSpec, bbox_of
from atlas.text import split
from geo.boundaries import load_layer, load_seats
from geo.distance import haversine_km

# What a brief can be about: a province, a sector, or a kind of place the brief takes (atlas/kinds.py Kind.brief).
SCOPE_KINDS = {
    "province": "Province",
    "cc": kinds.label("cc"),
    "sector": "Sector",
    **{k.code: k.label for k in kinds.KINDS.values() if k.brief and k.code != "cc"},
}
TABLE4 = "001_9852d4d85712b810.txt Table 4"
EVENT_COLOUR = "#1F2933"  # cooperation triangles, as on the explorer map
HEADLINE = 200  # characters: a longer fact shows its lead in the body, in full in the annex
MAIN_ITEMS = 5  # longer lists show their first items in the body; the annex has them all
NEARBY_ITEMS = 3  # a cluster's or zone's neighbours in the body
BODY_POLICIES = 3
BODY_COOPERATION = 3  # events and organisations held or located in the scope
BODY_FIGURES = 3  # a sector's national key figures in the body
HEADLINE_FACTS = ("Share of GDP",)  # a scope's headline figure, the first of its key facts
BRIEF_SKIPS = ("Member list",)  # panel facts a meeting does not need
MAX_TALKING_POINTS = 3
FIGURES_PER_PRIORITY = 4
REGIONAL = ("zone", "prefecture", "province", "city cluster")
WHERE = {  # where the scope's own things are, in a sentence
    "province": "in this province",
    "cc": "in this city cluster",
    "ic": f"within {NEARBY_KM} km",
    "z": f"within {NEARBY_KM} km",
}
TIER = {
    "world_class": "world-class city cluster",
    "medium_sized": "medium-sized city cluster",
    "small_sized": "small city cluster",
}
EEN = "Enterprise Europe Network"
CODE_NOTE = re.compile(r"\s*\((?:V|P|U|seeds?)\)")  # verification codes and working notes
COLUMN_WORDS = {
    "name_zh": "the Chinese name",
    "name_en": "the English name",
    "town_zh": "the town's Chinese name",
    "province_zh": "the province's Chinese name",
}
# SME and partner counts of the ESCP-4i partnerships are printed on the ECCP country page only.
SME_COUNTS_AS_OF = DOCUMENT_AS_OF["002"]
# Facts of a selected record that are figures of a known vintage (atlas/figures.py labels).
FACT_AS_OF = {"Rank in the plan": CITY_CLUSTERS_AS_OF}
TOKEN = re.compile(r"\b(?:[a-z]{1,4}_[a-z0-9_]+|IC\d{3})\b")


@dataclass(frozen=True)
class Scope:
    kind: str  # a key of SCOPE_KINDS
    ident: str  # province adcode, city-cluster id, sector id, cluster id or zone id
    name: str
    name_zh: str = ""

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.ident}"

    @property
    def kind_label(self) -> str:
        return SCOPE_KINDS[self.kind]


@dataclass(frozen=True)
class Item:
    """One line of a brief: what it is, a detail, its Chinese name, its citation numbers."""

    text: str
    detail: str = ""
    zh: str = ""
    cites: tuple = ()  # citations while the brief is built, their numbers once it is
    colour: str = ""  # sector colour chip, for clusters and zones
    entries: int = 1  # how many records of a counted section the line stands for ("… and 5 more": 5)


@dataclass
class Section:
    title: str
    items: list[Item]
    note: str = ""  # how to read it / why these
    facts: bool = False  # label: value rows rather than a list
    count: str = ""  # the key of Brief.counts its title states (its items' entries add up to it)


@dataclass
class Brief:
    scope: Scope
    day: date
    title: str
    summary: str
    empty: bool
    sections: list[Section]  # the body: the part read in the meeting's five minutes
    sources: list[str]  # citation [n] is sources[n - 1], by document title and section
    map: MapSpec
    legend: list[tuple[str, str]]  # (sector label, colour) of the points on the map
    counts: dict[str, int] = field(default_factory=dict)
    annex: list[Section] = field(default_factory=list)  # full lists of what the body summarises
    as_of: dict[str, str] = field(default_factory=dict)  # each count's year or document date, keyed as counts
    body_sources: int = 0  # sources[:body_sources] are those the body cites (numbered first)

    def sources_for(self, with_annex: bool) -> list[str]:
        """The numbered sources a brief printed with or without its annex cites."""
        return self.sources if with_annex else self.sources[: self.body_sources]


class Citations:
    """Collects each line's references by their citation (title and section), never a file name;
    ``number`` then numbers them once ([1], [2] …) in reading order, the body before the annex, so
    a brief printed without its annex lists only the sources its body cites."""

    def __call__(self, *sources) -> tuple[str, ...]:
        return tuple(dict.fromkeys(citation(part) for source in sources for part in parts(source)))

    @staticmethod
    def number(body: list[Section], annex: list[Section]) -> tuple[list[str], int]:
        numbers: dict[str, int] = {}

        def numbered(sections: list[Section]) -> int:
            for section in sections:
                section.items = [
                    replace(i, cites=tuple(numbers.setdefault(c, len(numbers) + 1) for c in i.cites))
                    for i in section.items
                ]
            return len(numbers)

        body_count = numbered(body)
        numbered(annex)
        return list(numbers), body_count


def plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def clean(text, names: Mapping[str, str] | None = None) -> str:
    """Data text as a reader should see it: no file names, paths, verification codes,
    column names or record ids (a record id becomes the record's name)."""
    text = CODE_NOTE.sub("", readable(str(text or ""))).strip()
    words = {**COLUMN_WORDS, **(names or {})}
    return TOKEN.sub(lambda m: words.get(m.group(0), m.group(0)), text)


def record_names(atlas: Atlas) -> dict[str, str]:
    """Every record id with the name a reader knows it by."""
    out = {}
    for df, col in (
        (atlas.policies, "name_en"),
        (atlas.zones, "name_en"),
        (atlas.city_clusters, "name_en"),
        (atlas.organisations, "name"),
        (atlas.events, "title"),
        (atlas.projects, "acronym"),
        (atlas.partnerships, "acronym"),
    ):
        out.update(zip(df["id"], df[col], strict=False))
    out.update(
        zip(
            atlas.clusters["id"],
            atlas.clusters["industry"] + " — " + atlas.clusters["name_en"],
            strict=False,
        )
    )
    return out


def _cleaned(sections: list[Section], names: Mapping[str, str]) -> list[Section]:
    for s in sections:
        s.title, s.note = clean(s.title, names), clean(s.note, names)
        s.items = [replace(i, text=clean(i.text, names), detail=clean(i.detail, names)) for i in s.items]
    return sections


# ---------------------------------------------------------------- scopes


def province_of(adcode) -> str:
    return str(adcode)[:2] + "0000" if adcode and str(adcode) != "nan" else ""


def _in_province(df: pd.DataFrame, code: str) -> pd.Series:
    return df["adcode"].astype(str).str[:2] == code[:2]


def _has(cell, ident: str) -> bool:
    return ident in split(cell)


def scope_options(atlas: Atlas, province_names: Mapping[str, str]) -> dict[str, list[Scope]]:
    """Everything a brief can be about, by kind, in the order a person looks for it."""
    seats = load_seats().set_index("adcode")["name_zh"]
    tax = atlas.taxonomy
    cc = atlas.city_clusters.sort_values("rank")
    provinces = sorted(province_names.items(), key=lambda kv: kv[1])
    return {
        "province": [Scope("province", c, n, seats.get(c, "")) for c, n in provinces],
        "cc": [Scope("cc", r["id"], r["name_en"], r["name_zh"]) for r in cc.to_dict("records")],
        "sector": [Scope("sector", s, tax.label(s)) for s in tax.order],
        "ic": [
            Scope("ic", r["id"], f"{r['industry']} · {r['name_en']}", r["name_zh"])
            for r in atlas.clusters.sort_values("name_en").to_dict("records")
        ],
        "z": [
            Scope("z", r["id"], r["name_en"], r["name_zh"])
            for r in atlas.zones.sort_values("name_en").to_dict("records")
        ],
    }


def scope_from_key(atlas: Atlas, key: str, province_names: Mapping[str, str]) -> Scope | None:
    """ "province:440000", "cc:cc_prd", "sector:ict", "ic:IC048", "z:z_zhongguancun" -> Scope."""
    kind = str(key).partition(":")[0]
    options = scope_options(atlas, province_names).get(kind, [])
    return next((s for s in options if s.key == key), None)


def map_filters(scope: Scope) -> dict[str, str]:
    """The explorer's URL filters that show this scope on the map."""
    return {
        "province": {"province": scope.ident},
        "cc": {"cc": scope.ident},
        "sector": {"sector": scope.ident},
    }.get(scope.kind, {"sel": scope.key})


def file_stem(scope: Scope, day: date) -> str:
    """Download name saying what is inside: meeting-brief_province-guangdong_2025-11-23."""
    name = slug(f"{scope.kind_label} {scope.name}", 70, whole_words=True)
    return f"meeting-brief_{name}_{day.isoformat()}"


# ---------------------------------------------------------------- talking points


def load_talking_points(data_dir: Path = DATA_DIR) -> pd.DataFrame:
    return pd.read_csv(data_dir / "talking_points.csv", dtype=str, keep_default_na=False)


def pick_talking_points(points: pd.DataFrame, sectors, priority, limit: int = MAX_TALKING_POINTS) -> pd.DataFrame:
    """Points for the scope's own sectors (priority sectors first); general points only when
    the documents have fewer than two for its sectors."""
    sectors, priority = set(sectors), set(priority)

    def rank(r) -> int:
        if r["priority_sector"] and r["priority_sector"] in priority:
            return 0
        if set(split(r["sectors"])) & sectors:
            return 1
        return 2 if not r["priority_sector"] and not r["sectors"] else 9

    ranked = points.assign(_rank=[rank(r) for r in points.to_dict("records")])
    ranked = ranked[ranked["_rank"] < 9].sort_values("_rank", kind="stable")
    specific = ranked[ranked["_rank"] < 2].head(limit)
    if len(specific) < 2:
        general = ranked[ranked["_rank"] == 2].head(limit - len(specific))
        specific = pd.concat([specific, general])
    return specific.drop(columns="_rank")


# ---------------------------------------------------------------- what lies in a scope


@dataclass
class Contents:
    """The records a scope covers, before they become sections."""

    clusters: pd.DataFrame
    zones: pd.DataFrame
    city_clusters: pd.DataFrame
    facts: list[tuple[str, str, str]]  # label, value, source
    policies: Sequence[PolicyMatch]
    sectors: list[str]
    priority: list[str]
    events_here: pd.DataFrame  # EU-China events held in the scope
    orgs_here: pd.DataFrame  # organisations located in the scope
    point: tuple[float, float] | None = None  # lat, lon the nearest contacts are measured from
    outline: object = None
    focus: tuple[float, float] | None = None  # the cluster's or zone's own point (ringed)
    description: str = ""
    description_source: str = ""


def _sectors_of(clusters, zones, order: list[str]) -> tuple[list[str], list[str]]:
    sectors = set(clusters["sector"]) | {s for c in zones["sectors"] for s in split(c)}
    priority = {p for c in clusters["priority_sector"] for p in split(c)} | {
        p for c in zones["priority_sectors"] for p in split(c)
    }
    return [s for s in order if s in sectors], sorted(priority)


def _count_by_sector(atlas: Atlas, clusters: pd.DataFrame) -> str:
    """'Textiles (3), Machinery (1) (2010 list)': the counts are of Table 4's rows."""
    counts = clusters["sector"].value_counts()
    order = [s for s in atlas.taxonomy.order if s in counts]
    return with_as_of(", ".join(f"{atlas.taxonomy.label(s)} ({counts[s]})" for s in order), TABLE4_AS_OF)


def _counted(n: int, label: str) -> str:
    """A count with the year or document date it is for: '10 (2019 and earlier briefings)'."""
    return with_as_of(f"{n:,}", label)


def _near(df: pd.DataFrame, lat: float, lon: float, km: float = NEARBY_KM):
    located = df[df["lat"].notna()]
    dist = [haversine_km(lat, lon, a, b) for a, b in zip(located["lat"], located["lon"], strict=False)]
    return located[[d <= km for d in dist]]


def _province_contents(atlas: Atlas, code: str) -> Contents:
    clusters = atlas.clusters[_in_province(atlas.clusters, code)]
    zones = atlas.zones[_in_province(atlas.zones, code)]
    members = atlas.city_cluster_members
    core = _in_province(members, code) & (members["membership"] == "core")
    cc = atlas.city_clusters[atlas.city_clusters["id"].isin(set(members.loc[core, "cluster_id"]))]
    cc = cc.sort_values("rank")
    sectors, priority = _sectors_of(clusters, zones, atlas.taxonomy.order)
    seat = load_seats().set_index("adcode").loc[code]
    point = (float(seat["lat"]), float(seat["lon"])) if seat["lat"] else None
    facts = [  # the counts of clusters and zones head their sections
        (
            "Its top-100 industrial clusters by sector",
            _count_by_sector(atlas, clusters) if len(clusters) else "none",
            TABLE4,
        ),
        ("City clusters", ", ".join(cc["name_en"]) or "none", ""),
    ]
    shapes = load_layer("province").set_index("adcode").geometry
    return Contents(
        clusters,
        zones,
        cc,
        facts,
        policies_for(atlas, sectors, code, list(cc["id"]), list(zones["id"])),
        sectors,
        priority,
        events_here=atlas.events[_in_province(atlas.events, code)],
        orgs_here=atlas.organisations[_in_province(atlas.organisations, code)],
        point=point,
        outline=shapes.get(code),
    )


def _city_cluster_contents(atlas: Atlas, ident: str) -> Contents:
    d = detail(atlas, f"cc:{ident}")
    clusters = atlas.clusters[atlas.clusters["city_cluster"].map(lambda c: _has(c, ident))]
    zones = atlas.zones[atlas.zones["city_cluster"].map(lambda c: _has(c, ident))]
    sectors, priority = _sectors_of(clusters, zones, atlas.taxonomy.order)
    cc = atlas.city_clusters[atlas.city_clusters["id"] == ident]
    facts = [(k, with_as_of(v, FACT_AS_OF.get(k, "")), "") for k, v in d.facts]
    members = atlas.city_cluster_members
    prefixes = tuple(
        str(a)[:4] if str(a)[2:] != "0000" else str(a)[:2]
        for a in members.loc[members["cluster_id"] == ident, "adcode"]
    )

    def inside(df):
        by_tag = df["city_cluster"].map(lambda c: _has(c, ident)) if "city_cluster" in df else False
        return df[by_tag | df["adcode"].astype(str).str.startswith(prefixes)]

    point = (d.lat, d.lon) if d.lat is not None else None
    return Contents(
        clusters,
        zones,
        cc.iloc[0:0],
        facts,
        d.policies,
        sectors,
        priority,
        events_here=inside(atlas.events),
        orgs_here=inside(atlas.organisations),
        point=point,
        outline=d.geometry,
        description=d.description,
        description_source=cc.iloc[0]["source"],
    )


def _sector_contents(atlas: Atlas, sector: str) -> Contents:
    tax = atlas.taxonomy
    clusters = atlas.clusters[atlas.clusters["sector"] == sector]
    zones = atlas.zones[atlas.zones["sectors"].map(lambda c: _has(c, sector))]
    cc_ids = {c for cell in clusters["city_cluster"] for c in split(cell)}
    cc = atlas.city_clusters[atlas.city_clusters["id"].isin(cc_ids)].sort_values("rank")
    info = tax.sectors.loc[sector]
    priority = split(info["priority_sector"])
    provinces = clusters["province"].value_counts().head(5)
    facts = [
        ("Sector", f"{info['label']}: {info['description']}", ""),
        ("NACE Rev. 2", info["nace"].replace(";", ", "), info["source"]),
        (
            "Briefing priority sector",
            ", ".join(tax.priority_label(p) for p in priority) or "none",
            "",
        ),
        (
            "Provinces with most of its top-100 industrial clusters",
            with_as_of(", ".join(f"{p} ({n})" for p, n in provinces.items()), TABLE4_AS_OF)
            if len(provinces)
            else "none",
            "",
        ),
    ]

    def of_sector(df, scol, pcol):
        hit = df[scol].map(lambda c: sector in split(c))
        if priority:
            hit |= df[pcol].map(lambda c: bool(set(split(c)) & set(priority)))
        return df[hit]

    return Contents(
        clusters,
        zones,
        cc,
        facts,
        policies_for(atlas, [sector]),
        [sector],
        priority,
        events_here=of_sector(atlas.events, "sectors", "priority_sectors"),
        orgs_here=of_sector(atlas.organisations, "sector", "priority_sector"),
    )


def _item_contents(atlas: Atlas, kind: str, ident: str) -> Contents:
    """One cluster or zone: its own facts, what lies within 150 km, its policies."""
    d = detail(atlas, f"{kind}:{ident}")
    table = atlas.clusters if kind == "ic" else atlas.zones
    own_row = table[table["id"] == ident]
    own_clusters, own_zones = (own_row, atlas.zones.iloc[0:0]) if kind == "ic" else (atlas.clusters.iloc[0:0], own_row)
    sectors, priority = _sectors_of(own_clusters, own_zones, atlas.taxonomy.order)
    point = (d.lat, d.lon) if d.lat is not None else None
    if point:  # everything within NEARBY_KM, the item itself included
        clusters, zones = _near(atlas.clusters, *point), _near(atlas.zones, *point)
    else:
        children = atlas.zones[atlas.zones["parent_id"] == ident]
        clusters = own_clusters
        zones = own_zones if kind == "ic" else atlas.zones[atlas.zones["id"].isin([ident, *children["id"]])]
    cc = atlas.city_clusters[atlas.city_clusters["id"].isin([c.id for c in d.city_clusters])]
    facts = [(k, v, "") for k, v in d.facts if k not in ("Division code",)]
    if point:
        events = _near(atlas.events, *point)
        orgs = _near(atlas.organisations, *point)
    else:
        events, orgs = atlas.events.iloc[0:0], atlas.organisations.iloc[0:0]
    return Contents(
        clusters,
        zones,
        cc,
        facts,
        d.policies,
        sectors,
        priority,
        events_here=events,
        orgs_here=orgs,
        point=point,
        focus=point,
        description=d.description,
        description_source=d.source,
    )


def gather(atlas: Atlas, scope: Scope) -> Contents:
    if scope.kind == "province":
        return _province_contents(atlas, scope.ident)
    if scope.kind == "cc":
        return _city_cluster_contents(atlas, scope.ident)
    if scope.kind == "sector":
        return _sector_contents(atlas, scope.ident)
    return _item_contents(atlas, scope.kind, scope.ident)


# ---------------------------------------------------------------- map


def _zone_colour(atlas: Atlas, cell) -> str:
    sectors = split(cell)
    return atlas.taxonomy.colour(sectors[0]) if sectors else "#777777"


def _points(atlas: Atlas, clusters, zones, events, focus=None) -> tuple[MapPoint, ...]:
    def ringed(lat, lon) -> bool:
        if focus is None:
            return False
        return abs(lat - focus[0]) < 1e-6 and abs(lon - focus[1]) < 1e-6

    pts = [
        MapPoint(r["lon"], r["lat"], EVENT_COLOUR, "triangle") for r in events[events["lat"].notna()].to_dict("records")
    ]
    pts += [
        MapPoint(
            r["lon"],
            r["lat"],
            _zone_colour(atlas, r["sectors"]),
            "diamond",
            ringed(r["lat"], r["lon"]),
        )
        for r in zones.to_dict("records")
        if pd.notna(r["lat"])
    ]
    pts += [
        MapPoint(
            r["lon"],
            r["lat"],
            atlas.taxonomy.colour(r["sector"]),
            "circle",
            ringed(r["lat"], r["lon"]),
        )
        for r in clusters.to_dict("records")
    ]
    return tuple(pts)


def map_spec(atlas: Atlas, scope: Scope, c: Contents) -> MapSpec:
    """The scope outlined (province, city cluster), the whole country (sector), or the
    surroundings of one cluster or zone with everything else nearby for context."""
    if scope.kind == "sector":
        return MapSpec(CHINA_BBOX, None, _points(atlas, c.clusters, c.zones, c.events_here))
    if scope.kind in ("province", "cc"):
        pts = _points(atlas, c.clusters, c.zones, c.events_here)
        return MapSpec(bbox_of(c.outline, pts), c.outline, pts)
    if c.focus is None:
        return MapSpec(CHINA_BBOX)
    lat, lon = c.focus
    box = bbox_of(None, [MapPoint(lon, lat, "")], min_span=2.5)

    def inside(df):
        return df[df["lon"].between(box[0], box[2]) & df["lat"].between(box[1], box[3])]

    pts = _points(
        atlas,
        inside(atlas.clusters),
        inside(atlas.zones),
        inside(atlas.events),
        focus=c.focus,
    )
    return MapSpec(box, None, pts)


def legend(atlas: Atlas, spec: MapSpec) -> list[tuple[str, str]]:
    colours = {p.colour for p in spec.points if p.shape != "triangle"}
    tax = atlas.taxonomy
    return [(tax.label(s), tax.colour(s)) for s in tax.order if tax.colour(s) in colours]


# ---------------------------------------------------------------- items


def _cluster_items(atlas: Atlas, clusters: pd.DataFrame, cite: Citations) -> list[Item]:
    tax = atlas.taxonomy
    return [
        Item(
            f"{r['industry']} — {r['name_en']}",
            tax.label(r["sector"]),
            r["name_zh"],
            cite(r["source"]),
            tax.colour(r["sector"]),
        )
        for r in clusters.sort_values("table_row").to_dict("records")
    ]


def _zone_items(atlas: Atlas, zones: pd.DataFrame, cite: Citations) -> list[Item]:
    tax = atlas.taxonomy
    items = []
    for r in zones.to_dict("records"):
        year = f"est. {r['year_established']}" if pd.notna(r["year_established"]) else ""
        where = r["city_en"] or r["province_en"]
        sectors = ", ".join(tax.label(s) for s in split(r["sectors"]))
        kind = r["kind"].replace("_", " ")
        text = " · ".join(x for x in (kind, where, sectors, year) if x)
        items.append(
            Item(
                r["name_en"],
                text,
                r["name_zh"],
                cite(r["source"]),
                _zone_colour(atlas, r["sectors"]),
            )
        )
    return items


def _policy_item(p: PolicyMatch, cite: Citations, full: bool) -> Item:
    """A policy with its years, level and responsible bodies (the lead body only when it is
    listed for reference rather than for the place)."""
    bodies = p.authorities if full else p.authorities[:1]
    who = "; ".join(bodies) if bodies else "responsible body not named"
    if len(bodies) < len(p.authorities):
        who += f" (+{len(p.authorities) - len(bodies)} more)"
    kind = f"{p.level} {p.kind.replace('_', ' ')}"
    detail_text = " · ".join((p.years or "years not given", kind, f"Responsible: {who}"))
    return Item(p.name, detail_text, cites=cite(p.source))


def _event_items(events: pd.DataFrame, cite: Citations) -> list[Item]:
    """One line per event: the stops of one mission (one group) are one event, its places
    listed together."""
    items = []
    if events.empty:
        return items
    for _, group in events.groupby("event_group", sort=False):
        first = group.iloc[0]
        places = ", ".join(dict.fromkeys(p for p in group["city_en"] if p)) or "place not given"
        what = first["kind"].replace("_", " ")
        detail_text = " · ".join(x for x in (what, first["date_text"], places) if x)
        items.append(Item(first["title"], detail_text, cites=cite(*group["source"])))
    return items


ORG_KIND = {
    "eu_support": "European support office",
    "chinese_body": "Chinese public body",
    "chinese_ministry": "Chinese ministry",
    "cluster_organisation": "cluster organisation",
    "research": "research institute",
    "association": "association",
}


def _org_items(orgs: pd.DataFrame, cite: Citations, point=None) -> list[Item]:
    items = []
    for r in orgs.to_dict("records"):
        where = r["city_en"] or (r["country"] if r["country"] != "China" else "")
        km = ""
        if point and pd.notna(r["lat"]):
            km = f"{round(haversine_km(point[0], point[1], r['lat'], r['lon'])):,} km away"
        what = ORG_KIND.get(r["category"], "")
        web = r.get("website_normalised") or r.get("website") or ""
        detail_text = " · ".join(x for x in (what, where, km, web) if x)
        items.append(Item(r["name"], detail_text, r["name_zh"], cite(r["source"])))
    return items


def _figure_items(atlas: Atlas, priority: list[str], limit: int, cite: Citations):
    """National key figures of the scope's priority sectors, each with its year; where the two
    briefings differ, the 2019 update's figure first and the earlier briefing's after it."""
    sf = atlas.sector_figures
    by_id = sf.set_index("id")
    newer = sf[~((sf["same_metric_as"] != "") & sf["id"].str.endswith("_001"))]
    out = []
    for p in priority:
        rows = newer[newer["priority_sector"] == p].head(limit)
        for r in rows.to_dict("records"):
            value, sources = with_as_of(r["value_text"], r["as_of"]), [r["source"]]
            if r["same_metric_as"] in by_id.index:
                other = by_id.loc[r["same_metric_as"]]
                value += f"; {document_as_of(other['source'])}: {with_as_of(other['value_text'], other['as_of'])}"
                sources.append(other["source"])
            label = f"{atlas.taxonomy.priority_label(p)}: {r['metric']}"
            out.append(Item(label, value, cites=cite(*sources)))
    return out


def _een_line(atlas: Atlas, scope: Scope, c: Contents, cite: Citations) -> Item | None:
    """Whether an Enterprise Europe Network contact point is in the scope, and if not, the
    nearest ones: an absence stated, not left to be inferred."""
    orgs = atlas.organisations
    een = orgs[orgs["name"].str.startswith(EEN) & orgs["lat"].notna()]
    if een.empty or scope.kind == "sector":
        return None
    here = c.orgs_here[c.orgs_here["name"].str.startswith(EEN)]
    if not here.empty:  # the line stands for these organisations in the count of those here
        names = ", ".join(dict.fromkeys(here["city_en"]))
        return Item(f"{EEN} contact point here: {names}", cites=cite(*here["source"]), entries=len(here))
    if c.point is None:
        return None
    rows = een.to_dict("records")
    dist = sorted((haversine_km(*c.point, r["lat"], r["lon"]), i) for i, r in enumerate(rows))
    nearest = [(km, rows[i]) for km, i in dist[:2]]
    names = " and ".join(f"{r['city_en']} (about {round(km, -1):,.0f} km)" for km, r in nearest)
    return Item(
        f"No {EEN} contact point {WHERE[scope.kind]}; the nearest are {names}.",
        cites=cite(*(r["source"] for _, r in nearest)),
        entries=0,
    )


# ---------------------------------------------------------------- sections


def headline(text: str, limit: int = HEADLINE) -> str:
    """The lead of a long fact for the body: its first alternative (facts list the documents'
    figures " | " apart, the first with its year), cut at a word if still long."""
    first = str(text).split(" | ")[0].strip()
    if len(first) <= limit:
        return first
    return first[:limit].rsplit(" ", 1)[0].rstrip(",;:") + " …"


def first_sentence(text: str, limit: int = HEADLINE) -> str:
    """A description's first sentence, for a cluster's or zone's body (cut at a word if long)."""
    sentence = re.split(r"(?<=\.)\s+(?=[A-Z])", str(text).strip())[0]
    return headline(sentence, limit)


def _listed(
    title: str,
    key: str,
    count: str,
    items: list[Item],
    annex: list[Section],
    note: str = "",
    empty: str = "",
    limit: int = MAIN_ITEMS,
) -> Section:
    """A body section titled with its count and the count's year ("Zones and parks here: 10 (2019
    briefing)"), at most ``limit`` items; a longer list goes whole to the annex under the same count."""
    heading = f"{title}: {count}"
    if not items:
        return Section(heading, [Item(empty or "None recorded in the documents.", entries=0)], note, count=key)
    if len(items) <= limit:
        return Section(heading, items, note, count=key)
    annex.append(Section(f"{title}, in full: {count}", items, note, count=key))
    rest = sum(i.entries for i in items[limit:])
    more = Item(f"… and {rest} more, listed in the annex.", entries=rest)
    return Section(heading, items[:limit] + [more], note, count=key)


def _national_line(national: list[PolicyMatch], counts: Mapping[str, int], label: str, cite: Citations) -> Item:
    """All national policies in one line, with the one count the annex lists them under, split
    into those for the scope's sectors and the frameworks for every region."""
    by_sector = [p for p in national if p.reason == "sector"]
    frameworks = [p for p in national if p.reason != "sector"]
    parts_ = []
    if by_sector:
        names = "; ".join(p.name for p in by_sector[:1])
        parts_.append(f"{counts['national_sector']} for the sectors here (e.g. {names})")
    if frameworks:
        names = "; ".join(p.name for p in frameworks[:1])
        parts_.append(f"{counts['national_frameworks']} frameworks for every region (e.g. {names})")
    applies = plural(counts["national_policies"], "national policy applies", "national policies apply")
    return Item(
        with_as_of(applies, label),
        "; ".join(parts_),
        cites=cite(*(p.source for p in by_sector[:2] + frameworks[:1])),
        entries=counts["national_policies"],
    )


def _cooperation_elsewhere(atlas: Atlas, c: Contents, scope: Scope, cite: Citations):
    """EU-China cooperation in the scope's sectors but not held in it: counted in the body,
    listed in the annex; each kind's items with the dates of the documents they come from."""
    sectors, priority = set(c.sectors), set(c.priority)

    def match(df, scol, pcol):
        return df[
            df[scol].map(lambda v: bool(set(split(v)) & sectors))
            | df[pcol].map(lambda v: bool(set(split(v)) & priority))
        ]

    events = match(atlas.events, "sectors", "priority_sectors")
    events = events[~events["id"].isin(c.events_here["id"])]
    partnerships = match(atlas.partnerships, "sector", "priority_sector")
    projects = match(atlas.projects, "sector", "priority_sector")
    orgs = atlas.organisations[atlas.organisations["category"] != "eu_support"]
    orgs = match(orgs, "sector", "priority_sector")
    orgs = orgs[~orgs["id"].isin(c.orgs_here["id"])]
    if scope.kind == "sector":  # for a sector, "here" already is the sector
        events, orgs = events.iloc[0:0], orgs.iloc[0:0]
    part_items = []
    for r in partnerships.to_dict("records"):
        counts = ", ".join(
            f"{v} {k}" for k, v in (("SMEs", r["smes"]), ("partners", r["partners"])) if v is not None and v == v
        )
        counts = with_as_of(counts, SME_COUNTS_AS_OF) if counts else ""
        part_items.append(
            Item(
                f"{r['acronym']} — {r['name']}",
                " · ".join(x for x in (counts, r.get("website", "")) if x),
                cites=cite(r["source"]),
            )
        )
    proj_items = [
        Item(
            f"{r['acronym']} — {r['title']}",
            " · ".join(x for x in (r.get("years_text", ""), r.get("website", "")) if x),
            cites=cite(r["source"]),
        )
        for r in projects.to_dict("records")
    ]
    return {
        "events_elsewhere": (_event_items(events, cite), records_as_of(events["source"])),
        "partnerships": (part_items, records_as_of(partnerships["source"])),
        "projects": (proj_items, records_as_of(projects["source"])),
        "organisations_elsewhere": (_org_items(orgs, cite), records_as_of(orgs["source"])),
    }


def _summary(scope: Scope, c: Contents, counts: Mapping[str, int], as_of: Mapping[str, str]) -> str:
    """The brief in one sentence, every count with its year or document date."""

    def n(key: str, one: str, many: str) -> str:
        return with_as_of(plural(counts[key], one, many), as_of[key])

    zones = n("zones", "zone or park", "zones and parks")
    if scope.kind in ("ic", "z"):
        return (
            f"Within {NEARBY_KM} km of {scope.name} (itself included) the documents give "
            f"{n('clusters', 'top-100 industrial cluster', 'top-100 industrial clusters')} and {zones}; "
            f"{n('own_policies', 'policy', 'policies')} {'applies' if counts['own_policies'] == 1 else 'apply'} "
            "to its place and "
            f"{plural(counts['events_here'], 'EU-China event was', 'EU-China events were')} held nearby"
            f"{_bracketed(as_of['events_here'])}."
        )
    where = scope.name if scope.kind != "sector" else f"the {scope.name} sector"
    found = [f"{counts['clusters']} of the top-100 industrial clusters ({TABLE4_AS_OF})", zones]
    if scope.kind != "cc":
        found.append(n("city_clusters", "city cluster", "city clusters"))
    own = "policy of its own" if scope.kind != "sector" else "national policy for it"
    owns = "policies of its own" if scope.kind != "sector" else "national policies for it"
    held = "held there" if scope.kind != "sector" else "in this sector"
    return (
        f"For {where} the documents give {', '.join(found[:-1])} and {found[-1]}; "
        f"{n('own_policies', own, owns)} and "
        f"{plural(counts['events_here'], 'EU-China event', 'EU-China events')} {held}{_bracketed(as_of['events_here'])}."
    )


def _bracketed(label: str) -> str:
    return f" ({label})" if label else ""


def is_empty(scope: Scope, c: Contents) -> bool:
    """Nothing located in the scope: no cluster, zone, city cluster or event (e.g. Tibet)."""
    if scope.kind in ("ic", "z", "cc"):
        return False
    nothing = c.clusters.empty and c.zones.empty and c.city_clusters.empty
    return nothing and c.events_here.empty


def _count_as_of(atlas: Atlas, c: Contents, own, national) -> dict[str, str]:
    """The year or document date of each count of the brief (keyed as ``Brief.counts``); a count
    of none names the documents searched."""
    policies = atlas.policies["source"]
    return {
        "clusters": TABLE4_AS_OF,
        "zones": records_as_of(c.zones["source"], atlas.zones["source"]),
        "city_clusters": CITY_CLUSTERS_AS_OF,
        "policies": records_as_of((p.source for p in c.policies), policies),
        "own_policies": records_as_of((p.source for p in own), policies),
        "national_policies": records_as_of((p.source for p in national), policies),
        "events_here": records_as_of(c.events_here["source"], atlas.events["source"]),
        "organisations_here": records_as_of(c.orgs_here["source"], atlas.organisations["source"]),
    }


WIDER = {  # what the "in short" lines count, one and many
    "events_elsewhere": (
        "EU-China event elsewhere in the same sectors",
        "EU-China events elsewhere in the same sectors",
    ),
    "partnerships": (
        "ESCP-4i partnership in the same sectors",
        "ESCP-4i partnerships in the same sectors",
    ),
    "projects": (
        "EU-China research and innovation project in the same sectors",
        "EU-China research and innovation projects in the same sectors",
    ),
    "organisations_elsewhere": (
        "organisation elsewhere in the same sectors",
        "organisations elsewhere in the same sectors",
    ),
}


def _key_facts(scope: Scope, c: Contents, cite: Citations, annex: list[Section]) -> Section:
    """The scope's facts, its headline figure first; a long fact shows its lead (the first of the
    documents' figures, with its year) and goes whole to the annex's background, as does the
    documents' description of a region (a cluster's or zone's keeps its first sentence)."""
    facts = [(k, v, s, headline(v)) for k, v, s in c.facts if v and k not in BRIEF_SKIPS]
    facts.sort(key=lambda f: f[0] not in HEADLINE_FACTS)  # stable: the headline figure first
    if c.description:
        lead = first_sentence(c.description) if scope.kind in ("ic", "z") else ""
        facts.append(("What the documents say", c.description, c.description_source, lead))
    body, background = [], []
    for label, value, source, lead in facts:
        if lead:
            body.append(Item(label, lead, cites=cite(source)))
        if lead != value:
            background.append(Item(label, value, cites=cite(source)))
    if background:
        annex.append(Section("Background from the documents, in full", background, facts=True))
    return Section("Key facts", body, facts=True)


def build_brief(atlas: Atlas, scope: Scope, day: date, talking_points: pd.DataFrame | None = None) -> Brief:
    """Everything the brief says about the scope, each line with its citation numbers and each
    count with its year or document date. Every count is worked out once, in ``counts``, and
    every line that states it reads it from there (body and annex agree)."""
    c = gather(atlas, scope)
    cite = Citations()
    title = f"Meeting brief: {scope.name}"
    spec = map_spec(atlas, scope, c)
    if scope.kind == "sector":
        own = [p for p in c.policies if p.reason == "sector"]
    else:
        own = [p for p in c.policies if p.reason in REGIONAL]
    national = [p for p in c.policies if p not in own]
    elsewhere = _cooperation_elsewhere(atlas, c, scope, cite) if not is_empty(scope, c) else {}
    counts = {
        "clusters": len(c.clusters),
        "zones": len(c.zones),
        "city_clusters": len(c.city_clusters),
        "policies": len(c.policies),
        "own_policies": len(own),
        "national_policies": len(national),
        "national_sector": sum(p.reason == "sector" for p in national),
        "national_frameworks": sum(p.reason != "sector" for p in national),
        "events_here": event_count(c.events_here),
        "organisations_here": len(c.orgs_here),
        **{key: sum(i.entries for i in items) for key, (items, _) in elsewhere.items()},
    }
    as_of = _count_as_of(atlas, c, own, national)
    as_of.update({key: label for key, (_, label) in elsewhere.items()})
    if is_empty(scope, c):
        summary = (
            f"The documents list no top-100 industrial cluster ({TABLE4_AS_OF}), no zone or park, no city "
            f"cluster ({CITY_CLUSTERS_AS_OF}) and no EU-China event in {scope.name}. Only national policies "
            f"apply here; a brief for a sector or a neighbouring province will say more."
        )
        return Brief(scope, day, title, summary, True, [], [], spec, [], counts, as_of=as_of)

    def counted(key: str) -> str:
        if key == "clusters":
            return of_list(counts[key], len(atlas.clusters))
        return _counted(counts[key], as_of[key])

    annex: list[Section] = []
    sections = [_key_facts(scope, c, cite, annex)]
    figures_note = (
        "National figures from the briefings, each with its year; where the two briefings differ, "
        "the 2019 briefing's first, then the earlier briefing's."
    )
    if scope.kind == "sector":
        figures = _figure_items(atlas, c.priority, FIGURES_PER_PRIORITY, cite)
        if figures:
            sections.append(Section("Key figures in China", figures[:BODY_FIGURES], note=figures_note))
            if len(figures) > BODY_FIGURES:
                annex.append(Section("Key figures in China, in full", figures, note=figures_note))
    where = (
        "in this sector"
        if scope.kind == "sector"
        else (f"within {NEARBY_KM} km" if scope.kind in ("ic", "z") else "here")
    )
    listed_limit = NEARBY_ITEMS if scope.kind in ("ic", "z") else MAIN_ITEMS  # neighbours cite more sources
    sections.append(
        _listed(
            f"Industrial clusters {where}",
            "clusters",
            counted("clusters"),
            _cluster_items(atlas, c.clusters, cite),
            annex,
            note="Top-100 industrial clusters of 2010 (Table 4); colour = sector.",
            empty=f"No top-100 industrial cluster ({TABLE4_AS_OF}) {where}.",
            limit=listed_limit,
        )
    )
    sections.append(
        _listed(
            f"Zones and parks {where}",
            "zones",
            counted("zones"),
            _zone_items(atlas, c.zones, cite),
            annex,
            empty=f"No zone or park named in the briefings {where}.",
            limit=listed_limit,
        )
    )
    if not c.city_clusters.empty and scope.kind != "province":  # a province's are a key fact
        cc_items = [
            Item(r["name_en"], TIER.get(r["tier"], r["tier"]), r["name_zh"], cite(r["source"]))
            for r in c.city_clusters.to_dict("records")
        ]
        # a cluster's or zone's city clusters are part of its place; a sector's are background (annex)
        target = annex if scope.kind == "sector" else sections
        target.append(Section(f"City clusters: {counted('city_clusters')}", cc_items, count="city_clusters"))
    own_title = "National policies for this sector" if scope.kind == "sector" else "Policies of this place"
    sections.append(
        _listed(
            own_title,
            "own_policies",
            counted("own_policies"),
            [_policy_item(p, cite, False) for p in own],
            annex,
            note=""
            if scope.kind == "sector"
            else "Policies of the city, province or city cluster, or for its zones; most specific first.",
            empty="No policy of this place is recorded in the documents; national policies apply (below).",
            limit=BODY_POLICIES,
        )
    )
    events_title = (
        "EU-China events and missions in this sector" if scope.kind == "sector" else f"EU-China events held {where}"
    )
    sections.append(
        _listed(
            events_title,
            "events_here",
            counted("events_here"),
            _event_items(c.events_here, cite),
            annex,
            empty=(
                "No EU-China event recorded in this region."
                if scope.kind in ("province", "cc")
                else f"No EU-China event recorded within {NEARBY_KM} km."
            )
            if scope.kind != "sector"
            else "No EU-China event recorded in this sector.",
            limit=BODY_COOPERATION,
        )
    )
    een = _een_line(atlas, scope, c, cite)
    orgs = c.orgs_here
    if een is not None and een.entries:  # the contact points here are named in the line: not twice
        orgs = orgs[~orgs["name"].str.startswith(EEN)]
    point = c.point if scope.kind in ("ic", "z") else None  # distances only from a point
    org_items = ([een] if een is not None else []) + _org_items(orgs, cite, point)
    orgs_title = "Organisations in this sector" if scope.kind == "sector" else f"Organisations {where}"
    sections.append(
        _listed(
            orgs_title,
            "organisations_here",
            counted("organisations_here"),
            org_items,
            annex,
            empty=f"No organisation in the documents is located {where}.",
            limit=BODY_COOPERATION + (een is not None),
        )
    )

    wider = [_national_line(national, counts, as_of["national_policies"], cite)] if national else []
    for key, (items, _) in elsewhere.items():
        if items:
            wider.append(Item(with_as_of(plural(counts[key], *WIDER[key]), as_of[key]), entries=counts[key]))
    if wider:
        sections.append(
            Section(
                "National and sector-wide, in short",
                wider,
                note="What applies beyond this scope; the annex lists every item.",
            )
        )
    if talking_points is not None:
        tps = pick_talking_points(talking_points, c.sectors, c.priority)
        sections.append(
            Section(
                "Talking points",
                [Item(r["text"], cites=cite(r["source"])) for r in tps.to_dict("records")],
                note=f"From the documents' opportunity sections{_bracketed(records_as_of(tps['source']))}, "
                "for this scope's own sectors.",
            )
        )
    if national:
        annex.append(
            Section(
                f"National policies that apply: {counted('national_policies')}",
                [_policy_item(p, cite, False) for p in national],
                note=f"{counts['national_sector']} for the sectors here, "
                f"{counts['national_frameworks']} frameworks for every region.",
                count="national_policies",
            )
        )
    if scope.kind != "sector":
        figures = _figure_items(atlas, c.priority, FIGURES_PER_PRIORITY, cite)
        if figures:
            annex.append(Section("Key figures of the priority sectors in China", figures, note=figures_note))
    for key, (items, _) in elsewhere.items():
        if items:
            many = WIDER[key][1]
            annex.append(Section(f"{many[0].upper()}{many[1:]}: {counted(key)}", items, count=key))
    summary = _summary(scope, c, counts, as_of)
    names = record_names(atlas)
    sections, annex = _cleaned(sections, names), _cleaned(annex, names)
    sources, body_sources = Citations.number(sections, annex)
    return Brief(
        scope,
        day,
        title,
        summary,
        False,
        sections,
        sources,
        spec,
        legend(atlas, spec),
        counts,
        annex,
        as_of,
        body_sources,
    )
