"""The meeting brief for one scope (a province, a city cluster, a sector, one cluster or zone):
what the documents say about it, assembled as plain data with numbered citations.

components/brief_views.py turns a Brief into Markdown, PDF and the page. Nothing here calls
Streamlit, so the tests read exactly the content an officer downloads.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Mapping

import pandas as pd

from atlas.drilldown import cooperation_for, detail, policies_for, split
from atlas.load import Atlas
from atlas.paths import DATA_DIR, SEED_FILES
from geo.boundaries import load_layer, load_seats
from geo.static_map import CHINA_BBOX, MapPoint, MapSpec, bbox_of

SCOPE_KINDS = {"province": "Province", "cc": "City cluster", "sector": "Sector",
               "ic": "Industrial cluster", "z": "Zone or park"}
TABLE4 = "001_9852d4d85712b810.txt Table 4"
EVENT_COLOUR = "#1F2933"  # cooperation triangles, as on the explorer map
FIGURES_PER_PRIORITY = {"sector": 12, "other": 4}
MAX_TALKING_POINTS = 7
REASON = {"zone": "covers a zone here", "prefecture": "applies to this city", "province": "applies to this province",
          "city cluster": "applies to this city cluster", "sector": "national policy for this sector",
          "national": "national framework"}
TIER = {"world_class": "world-class city cluster", "medium_sized": "medium-sized city cluster",
        "small_sized": "small city cluster"}


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
    """One line of a brief: what it is, a detail, its Chinese name and its citation numbers."""

    text: str
    detail: str = ""
    zh: str = ""
    cites: tuple[int, ...] = ()
    colour: str = ""  # sector colour chip, for clusters and zones


@dataclass(frozen=True)
class Section:
    title: str
    items: list[Item]
    note: str = ""  # how to read it / why these
    facts: bool = False  # label: value rows rather than a list


@dataclass
class Brief:
    scope: Scope
    day: date
    title: str
    summary: str
    empty: bool
    sections: list[Section]
    sources: list[str]  # citation [n] is sources[n - 1]
    map: MapSpec
    legend: list[tuple[str, str]]  # (sector label, colour) of the points on the map
    counts: dict[str, int] = field(default_factory=dict)


class Citations:
    """Numbers each distinct source once ([1], [2] …) in the order the brief first cites it."""

    def __init__(self) -> None:
        self._numbers: dict[str, int] = {}

    def __call__(self, *sources) -> tuple[int, ...]:
        out = []
        for source in sources:
            for part in str(source or "").split(" | "):
                part = part.strip()
                if part:
                    out.append(self._numbers.setdefault(part, len(self._numbers) + 1))
        return tuple(dict.fromkeys(out))

    @property
    def sources(self) -> list[str]:
        return [describe_source(s) for s in self._numbers]


def describe_source(source: str) -> str:
    """A seed file reference with its document title, so a reader knows what "000_…txt" is."""
    for name, title in SEED_FILES.items():
        if source.startswith(name):
            return f"{title}: {source}"
    return source


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
    return {
        "province": [Scope("province", code, name, seats.get(code, ""))
                     for code, name in sorted(province_names.items(), key=lambda kv: kv[1])],
        "cc": [Scope("cc", r["id"], r["name_en"], r["name_zh"]) for r in cc.to_dict("records")],
        "sector": [Scope("sector", s, tax.label(s)) for s in tax.order],
        "ic": [Scope("ic", r["id"], f"{r['industry']} · {r['name_en']}", r["name_zh"])
               for r in atlas.clusters.sort_values("name_en").to_dict("records")],
        "z": [Scope("z", r["id"], r["name_en"], r["name_zh"])
              for r in atlas.zones.sort_values("name_en").to_dict("records")],
    }


def scope_from_key(atlas: Atlas, key: str, province_names: Mapping[str, str]) -> Scope | None:
    """"province:440000", "cc:cc_prd", "sector:ict", "ic:IC048" or "z:z_zhongguancun" -> Scope."""
    kind = str(key).partition(":")[0]
    return next((s for s in scope_options(atlas, province_names).get(kind, []) if s.key == key), None)


def map_filters(scope: Scope) -> dict[str, str]:
    """The explorer's URL filters that show this scope on the map."""
    return {"province": {"province": scope.ident}, "cc": {"cc": scope.ident},
            "sector": {"sector": scope.ident}}.get(scope.kind, {"sel": scope.key})


def file_stem(scope: Scope, day: date) -> str:
    """Download name saying what is inside: meeting-brief_province-guangdong_2025-11-23."""
    slug = re.sub(r"[^a-z0-9]+", "-", f"{scope.kind_label} {scope.name}".lower()).strip("-")
    if len(slug) > 70:
        slug = slug[:71].rsplit("-", 1)[0]  # whole words only
    return f"meeting-brief_{slug}_{day.isoformat()}"


# ---------------------------------------------------------------- talking points

def load_talking_points(data_dir: Path = DATA_DIR) -> pd.DataFrame:
    return pd.read_csv(data_dir / "talking_points.csv", dtype=str, keep_default_na=False)


def pick_talking_points(points: pd.DataFrame, sectors, priority, limit: int = MAX_TALKING_POINTS) -> pd.DataFrame:
    """Points for the scope's priority sectors first, then its other sectors, then general ones."""
    sectors, priority = set(sectors), set(priority)

    def rank(r) -> int:
        if r["priority_sector"] and r["priority_sector"] in priority:
            return 0
        if set(split(r["sectors"])) & sectors:
            return 1
        return 2 if not r["priority_sector"] and not r["sectors"] else 9

    ranked = points.assign(_rank=[rank(r) for r in points.to_dict("records")])
    ranked = ranked[ranked["_rank"] < 9].sort_values("_rank", kind="stable")
    specific = ranked[ranked["_rank"] < 2].head(limit - 2)
    general = ranked[ranked["_rank"] == 2].head(limit - len(specific))
    return pd.concat([specific, general]).drop(columns="_rank")


# ---------------------------------------------------------------- what lies in a scope

@dataclass
class Contents:
    """The records a scope covers, before they become sections."""

    clusters: pd.DataFrame
    zones: pd.DataFrame
    city_clusters: pd.DataFrame
    facts: list[tuple[str, str, str]]  # label, value, source
    policies: list[dict]
    cooperation: dict[str, list[dict]]
    sectors: list[str]
    priority: list[str]
    outline: object = None
    focus: tuple[float, float] | None = None  # the cluster's or zone's own point (ringed)


def _sectors_of(clusters: pd.DataFrame, zones: pd.DataFrame, order: list[str]) -> tuple[list[str], list[str]]:
    sectors = set(clusters["sector"]) | {s for c in zones["sectors"] for s in split(c)}
    priority = ({p for c in clusters["priority_sector"] for p in split(c)}
                | {p for c in zones["priority_sectors"] for p in split(c)})
    return [s for s in order if s in sectors], sorted(priority)


def _count_by_sector(atlas: Atlas, clusters: pd.DataFrame) -> str:
    counts = clusters["sector"].value_counts()
    return ", ".join(f"{atlas.taxonomy.label(s)} ({counts[s]})" for s in atlas.taxonomy.order if s in counts)


def _province_contents(atlas: Atlas, code: str) -> Contents:
    clusters = atlas.clusters[_in_province(atlas.clusters, code)]
    zones = atlas.zones[_in_province(atlas.zones, code)]
    members = atlas.city_cluster_members
    cc_ids = set(members.loc[_in_province(members, code) & (members["membership"] == "core"), "cluster_id"])
    cc = atlas.city_clusters[atlas.city_clusters["id"].isin(cc_ids)].sort_values("rank")
    sectors, priority = _sectors_of(clusters, zones, atlas.taxonomy.order)
    seat = load_seats().set_index("adcode").loc[code]
    lat, lon = (float(seat["lat"]), float(seat["lon"])) if seat["lat"] else (None, None)
    facts = [("Top-100 industrial clusters (2010)", f"{len(clusters)} of {len(atlas.clusters)}", TABLE4),
             ("Their sectors", _count_by_sector(atlas, clusters) or "—", ""),
             ("Zones and parks named in the briefings", str(len(zones)), ""),
             ("City clusters", ", ".join(cc["name_en"]) or "none", "")]
    shapes = load_layer("province").set_index("adcode").geometry
    return Contents(clusters, zones, cc, facts,
                    policies_for(atlas, sectors, code, list(cc["id"]), list(zones["id"])),
                    cooperation_for(atlas, sectors, priority, code, list(cc["id"]), lat, lon),
                    sectors, priority, outline=shapes.get(code))


def _city_cluster_contents(atlas: Atlas, ident: str) -> Contents:
    d = detail(atlas, f"cc:{ident}")
    clusters = atlas.clusters[atlas.clusters["city_cluster"].map(lambda c: _has(c, ident))]
    zones = atlas.zones[atlas.zones["city_cluster"].map(lambda c: _has(c, ident))]
    sectors, priority = _sectors_of(clusters, zones, atlas.taxonomy.order)
    cc = atlas.city_clusters[atlas.city_clusters["id"] == ident]
    facts = [(k, v, "") for k, v in d["facts"]]
    facts.insert(1, ("Top-100 industrial clusters (2010) inside", f"{len(clusters)} of {len(atlas.clusters)}", TABLE4))
    return Contents(clusters, zones, cc.iloc[0:0], facts, d["policies"],
                    cooperation_for(atlas, sectors, priority, "", [ident], d["lat"], d["lon"]),
                    sectors, priority, outline=d["geometry"])


def _sector_contents(atlas: Atlas, sector: str) -> Contents:
    tax = atlas.taxonomy
    clusters = atlas.clusters[atlas.clusters["sector"] == sector]
    zones = atlas.zones[atlas.zones["sectors"].map(lambda c: _has(c, sector))]
    cc_ids = {c for cell in clusters["city_cluster"] for c in split(cell)}
    cc = atlas.city_clusters[atlas.city_clusters["id"].isin(cc_ids)].sort_values("rank")
    info = tax.sectors.loc[sector]
    priority = split(info["priority_sector"])
    provinces = clusters["province"].value_counts().head(5)
    facts = [("Sector", f"{info['label']}: {info['description']}", ""),
             ("NACE Rev. 2", info["nace"].replace(";", ", "), info["source"]),
             ("Briefing priority sector", ", ".join(tax.priority_label(p) for p in priority) or "none", ""),
             ("Top-100 industrial clusters (2010)", f"{len(clusters)} of {len(atlas.clusters)}", TABLE4),
             ("Provinces with most of them", ", ".join(f"{p} ({n})" for p, n in provinces.items()) or "—", ""),
             ("Zones and parks in this sector", str(len(zones)), "")]
    return Contents(clusters, zones, cc, facts, policies_for(atlas, [sector]),
                    cooperation_for(atlas, [sector], priority), [sector], priority)


def _item_contents(atlas: Atlas, kind: str, ident: str) -> Contents:
    """One cluster or zone: its drill-down facts, what is near it, its policies and cooperation."""
    d = detail(atlas, f"{kind}:{ident}")
    if kind == "ic":
        clusters = atlas.clusters[atlas.clusters["id"] == ident]
        zones = atlas.zones[atlas.zones["id"].isin([z["id"] for z in d["zones_nearby"]])]
    else:
        zones = atlas.zones[(atlas.zones["id"] == ident) | (atlas.zones["parent_id"] == ident)]
        clusters = atlas.clusters[atlas.clusters["id"].isin([c["id"] for c in d["clusters_nearby"]])]
    cc = atlas.city_clusters[atlas.city_clusters["id"].isin([c["id"] for c in d["city_clusters"]])]
    own = clusters if kind == "ic" else zones[zones["id"] == ident]  # its own sectors, not its neighbours'
    sectors, priority = _sectors_of(own if kind == "ic" else clusters.iloc[0:0],
                                    own if kind == "z" else zones.iloc[0:0], atlas.taxonomy.order)
    facts = [(k, v, "") for k, v in d["facts"]]
    if d.get("description"):
        facts.append(("What the documents say", d["description"], ""))
    focus = (d["lat"], d["lon"]) if d["lat"] is not None else None
    return Contents(clusters, zones, cc, facts, d["policies"], d["cooperation"], sectors, priority, focus=focus)


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
        return focus is not None and abs(lat - focus[0]) < 1e-6 and abs(lon - focus[1]) < 1e-6

    pts = [MapPoint(r["lon"], r["lat"], EVENT_COLOUR, "triangle") for r in events.to_dict("records")]
    pts += [MapPoint(r["lon"], r["lat"], _zone_colour(atlas, r["sectors"]), "diamond", ringed(r["lat"], r["lon"]))
            for r in zones.to_dict("records") if pd.notna(r["lat"])]
    pts += [MapPoint(r["lon"], r["lat"], atlas.taxonomy.colour(r["sector"]), "circle", ringed(r["lat"], r["lon"]))
            for r in clusters.to_dict("records")]
    return tuple(pts)


def map_spec(atlas: Atlas, scope: Scope, c: Contents, event_ids: list[str]) -> MapSpec:
    """The scope outlined (province, city cluster), the whole country (sector), or the
    surroundings of one cluster or zone with everything else nearby for context."""
    events = atlas.events[atlas.events["id"].isin(event_ids) & atlas.events["lat"].notna()]
    if scope.kind == "sector":
        return MapSpec(CHINA_BBOX, None, _points(atlas, c.clusters, c.zones, events.iloc[0:0]))
    if scope.kind in ("province", "cc"):
        if scope.kind == "province":
            events = events[_in_province(events, scope.ident)]
        else:
            events = events[events["city_cluster"].map(lambda cell: _has(cell, scope.ident))]
        pts = _points(atlas, c.clusters, c.zones, events)
        return MapSpec(bbox_of(c.outline, pts), c.outline, pts)
    if c.focus is None:
        return MapSpec(CHINA_BBOX)
    lat, lon = c.focus
    box = bbox_of(None, [MapPoint(lon, lat, "")], min_span=2.5)

    def inside(df):
        return df[df["lon"].between(box[0], box[2]) & df["lat"].between(box[1], box[3])]

    return MapSpec(box, None, _points(atlas, inside(atlas.clusters), inside(atlas.zones), inside(events),
                                      focus=c.focus))


def legend(atlas: Atlas, spec: MapSpec) -> list[tuple[str, str]]:
    colours = {p.colour for p in spec.points if p.shape != "triangle"}
    return [(atlas.taxonomy.label(s), atlas.taxonomy.colour(s)) for s in atlas.taxonomy.order
            if atlas.taxonomy.colour(s) in colours]


# ---------------------------------------------------------------- sections

def _figures(atlas: Atlas, priority: list[str], limit: int, cite: Citations) -> list[Section]:
    """National key figures of the scope's priority sectors, the 2019 update preferred where
    the two briefings differ."""
    sf = atlas.sector_figures
    newer = sf[~((sf["same_metric_as"] != "") & sf["id"].str.endswith("_001"))]
    out = []
    for p in priority:
        rows = newer[newer["priority_sector"] == p].head(limit)
        items = [Item(r["metric"], r["value_text"] + (f" ({r['year']})" if r["year"] and r["year"] not in
                                                      r["value_text"] else ""), cites=cite(r["source"]))
                 for r in rows.to_dict("records")]
        if items:
            out.append(Section(f"Key figures: {atlas.taxonomy.priority_label(p)} in China", items,
                               note="National figures from the briefings (newest where they differ)."))
    return out


def _cluster_items(atlas: Atlas, clusters: pd.DataFrame, cite: Citations) -> list[Item]:
    tax = atlas.taxonomy
    return [Item(f"{r['industry']} — {r['name_en']}", tax.label(r["sector"]), r["name_zh"], cite(r["source"]),
                 tax.colour(r["sector"]))
            for r in clusters.sort_values("table_row").to_dict("records")]


def _zone_items(atlas: Atlas, zones: pd.DataFrame, cite: Citations) -> list[Item]:
    tax = atlas.taxonomy
    items = []
    for r in zones.to_dict("records"):
        year = f"est. {r['year_established']}" if pd.notna(r["year_established"]) else ""
        where = r["city_en"] or r["province_en"]
        sectors = ", ".join(tax.label(s) for s in split(r["sectors"]))
        detail_text = " · ".join(x for x in (r["kind"].replace("_", " "), where, sectors, year) if x)
        items.append(Item(r["name_en"], detail_text, r["name_zh"], cite(r["source"]),
                          _zone_colour(atlas, r["sectors"])))
    return items


def _policy_items(policies: list[dict], cite: Citations) -> list[Item]:
    """Policies for this place in full; national ones with their lead body only, to stay short."""
    items = []
    for p in policies:
        bodies = p["authorities"] if p["reason"] not in ("sector", "national") else p["authorities"][:1]
        who = "; ".join(bodies) if bodies else "responsible body not named"
        if len(bodies) < len(p["authorities"]):
            who += f" (+{len(p['authorities']) - len(bodies)} more)"
        parts = [p["years"] or "years not given", f"{p['level']} {p['kind'].replace('_', ' ')}",
                 f"Responsible: {who}", REASON[p["reason"]]]
        items.append(Item(p["name"], " · ".join(parts), cites=cite(p["source"])))
    return items


def _cooperation_sections(atlas: Atlas, coop: dict, cite: Citations) -> list[Section]:
    zh = atlas.organisations.set_index("id")["name_zh"]
    events = [Item(e["name"], " · ".join(x for x in (e["when"], e["where"], e["why"]) if x), cites=cite(e["source"]))
              for e in coop["events"]]
    partnerships = []
    for p in coop["partnerships"]:
        counts = ", ".join(f"{v} {k}" for k, v in (("SMEs", p["smes"]), ("partners", p["partners"]))
                           if v is not None and v == v)
        partnerships.append(Item(p["name"], " · ".join(x for x in (counts, p["website"]) if x),
                                 cites=cite(p["source"])))
    projects = [Item(p["name"], " · ".join(x for x in (p["years"], p["website"]) if x), cites=cite(p["source"]))
                for p in coop["projects"]]
    orgs = [Item(o["name"], " · ".join(x for x in (o["why"], o["website"]) if x), zh.get(o["id"], ""),
                 cite(o["source"])) for o in coop["organisations"]]
    return [s for s in (
        Section(f"EU-China events and missions ({len(events)})", events,
                note="Matchmaking events, missions and workshops held here or in the same sectors."),
        Section(f"ESCP-4i partnerships ({len(partnerships)})", partnerships),
        Section(f"Research and innovation projects ({len(projects)})", projects),
        Section(f"Organisations to contact ({len(orgs)})", orgs,
                note="Chinese bodies in the same sectors and European support offices nearby or for all of China."),
    ) if s.items]


def _summary(scope: Scope, c: Contents, coop_n: int) -> str:
    tail = (f"{plural(len(c.policies), 'policy applies', 'policies apply')} and "
            f"{plural(coop_n, 'EU-China cooperation record relates', 'EU-China cooperation records relate')} to it.")
    if scope.kind in ("ic", "z"):
        near = len(c.zones) if scope.kind == "ic" else len(c.clusters)
        what = plural(near, *(("zone or park", "zones and parks") if scope.kind == "ic"
                             else ("top-100 industrial cluster", "top-100 industrial clusters")))
        return f"{scope.name}: {what} within 150 km; {tail}"
    where = scope.name if scope.kind != "sector" else f"the {scope.name} sector"
    parts = [f"{len(c.clusters)} of the top-100 industrial clusters (2010)", plural(len(c.zones), "zone or park",
                                                                                  "zones and parks")]
    if scope.kind != "cc":
        parts.append(plural(len(c.city_clusters), "city cluster", "city clusters"))
    return f"For {where} the documents give {', '.join(parts[:-1])} and {parts[-1]}; {tail}"


def plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def is_empty(scope: Scope, c: Contents) -> bool:
    """Nothing located in the scope: no cluster, zone, city cluster or event (e.g. Tibet)."""
    if scope.kind in ("ic", "z", "cc"):
        return False
    here = c.cooperation["events"]
    if scope.kind == "province":
        here = [e for e in here if "same province" in e["why"]]
    return c.clusters.empty and c.zones.empty and c.city_clusters.empty and not here


def build_brief(atlas: Atlas, scope: Scope, day: date, talking_points: pd.DataFrame | None = None) -> Brief:
    """Everything the brief says about the scope, each line with its citation numbers."""
    c = gather(atlas, scope)
    cite = Citations()
    title = f"Meeting brief: {scope.name}"
    spec = map_spec(atlas, scope, c, [e["id"] for e in c.cooperation["events"]])
    counts = {"clusters": len(c.clusters), "zones": len(c.zones), "city_clusters": len(c.city_clusters),
              "policies": len(c.policies), **{k: len(v) for k, v in c.cooperation.items()}}
    if is_empty(scope, c):
        summary = (f"The documents list no top-100 industrial cluster, no zone or park, no city cluster and no "
                   f"EU-China event in {scope.name}. Only national policies apply here; a brief for a sector "
                   f"or a neighbouring province will say more.")
        return Brief(scope, day, title, summary, True, [], [], spec, [], counts)
    sections = [Section("Key facts", [Item(k, v, cites=cite(s)) for k, v, s in c.facts if v], facts=True)]
    if talking_points is not None:
        tps = pick_talking_points(talking_points, c.sectors, c.priority)
        sections.append(Section("Talking points", [Item(r["text"], cites=cite(r["source"]))
                                                   for r in tps.to_dict("records")],
                                note="From the documents' own opportunity sections, this scope's sectors first."))
    limit = FIGURES_PER_PRIORITY["sector" if scope.kind == "sector" else "other"]
    sections += _figures(atlas, c.priority, limit, cite)
    sections.append(Section(f"Industrial clusters ({len(c.clusters)})", _cluster_items(atlas, c.clusters, cite),
                            note="Top-100 industrial clusters of 2010 (Table 4); colour = sector."))
    sections.append(Section(f"Zones and parks ({len(c.zones)})", _zone_items(atlas, c.zones, cite)))
    if not c.city_clusters.empty:
        sections.append(Section(f"City clusters ({len(c.city_clusters)})",
                                [Item(r["name_en"], TIER.get(r["tier"], r["tier"]), r["name_zh"], cite(r["source"]))
                                 for r in c.city_clusters.to_dict("records")]))
    sections.append(Section(f"Policies that apply ({len(c.policies)})", _policy_items(c.policies, cite),
                            note="Most specific first: this place, its city cluster, then national policy."))
    sections += _cooperation_sections(atlas, c.cooperation, cite)
    for s in sections:
        if not s.items and not s.facts:
            s.items.append(Item(f"None recorded in the documents for {scope.name}."))
    summary = _summary(scope, c, sum(len(v) for v in c.cooperation.values()))
    return Brief(scope, day, title, summary, False, sections, cite.sources, spec, legend(atlas, spec), counts)
