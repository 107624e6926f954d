"""What the documents say about one selected thing: facts, policies, cooperation, sources.

Typed, immutable records (``Detail`` and the records it holds), so the panel, the tour, the
meeting brief and the tests read the same named fields, and one detail can be computed once and
shared by every session (``detail`` keeps them per loaded Atlas).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

from atlas import kinds
from atlas.cache import Shared
from atlas.counts import one_per_event
from atlas.figures import years_text
from atlas.load import Atlas
from atlas.provenance import readable
from atlas.text import split
from geo.distance import haversine_km

NEARBY_KM = 150
POLICY_RANK = {"local": 0, "zone": 0, "prefecture": 0, "province": 1, "city cluster": 1, "sector": 2, "national": 3}
# Levels whose policies hold for all of China: national ones and the EU-China framework (bilateral).
COUNTRY_WIDE_LEVELS = ("national", "eu_china")
# Why a policy applies. The first four name the place, a place in it or a place it lies in (its
# own policies); the last two are national or EU-China ones that apply everywhere, for a sector or
# to every region. Panels, Compare and the brief group policies by these two sets.
PLACE_REASONS = ("zone", "prefecture", "province", "city cluster")
NATIONAL_REASONS = ("sector", "national")
REASON_LABELS = {
    "zone": "names a zone here",
    "prefecture": "names a city here",
    "province": "names the province",
    "city cluster": "names the city cluster",
    "sector": "national or EU-China, for its sector",
    "national": "national framework",
}
# How sure a city cluster's member list is (data/README.md, verification), in a reader's words.
MEMBER_LIST = {"V": "as the plan lists it", "P": "partly confirmed by the plan", "U": "not yet confirmed by a plan"}
SUPPORT_KM = 300  # an EU support office this close to a place is listed as a contact for it


@dataclass(frozen=True)
class Link:
    """Another record a panel lists and links to (a zone nearby, a cluster inside ...)."""

    id: str
    name: str
    km: int | None = None  # distance, for what is listed as nearby
    kind: str = ""  # zone kind, for zones nearby
    sector: str = ""  # sector, for clusters inside a city cluster


@dataclass(frozen=True)
class Member:
    """A member city of a city cluster, with how much of it and how sure."""

    name: str
    coverage: str
    verification: str


def member_note(m: Member) -> str:
    """What a reader needs beside a member city's name: '' for a whole city the plan lists, else
    how much of it and how sure (" (part of it, not yet confirmed by a plan)")."""
    words = ["part of it"] if m.coverage == "partial" else []
    if m.verification != "V":
        words.append(MEMBER_LIST.get(m.verification, ""))
    return f" ({', '.join(w for w in words if w)})" if any(words) else ""


@dataclass(frozen=True)
class PolicyMatch:
    """A policy that applies, and why (``reason``: zone, prefecture, province, city cluster,
    sector or national)."""

    id: str
    name: str
    level: str
    kind: str
    years: str
    authorities: tuple[str, ...]
    summary: str
    reason: str
    source: str

    @property
    def names_place(self) -> bool:
        """The policy names the place, a place in it or one it lies in (not national or EU-China only)."""
        return self.reason in PLACE_REASONS


@dataclass(frozen=True)
class Partnership:
    id: str
    name: str
    why: str
    smes: float | None
    partners: float | None
    website: str
    source: str


@dataclass(frozen=True)
class Project:
    id: str
    name: str
    why: str
    years: str
    website: str
    source: str


@dataclass(frozen=True)
class EventMatch:
    """One event (however many stops it had: ``where`` names the places of those listed)."""

    id: str
    name: str
    when: str
    where: str
    why: str
    source: str
    kind: str = ""
    status: str = ""
    group: str = ""  # the event (data/cooperation/events.csv event_group)


@dataclass(frozen=True)
class Contact:
    id: str
    name: str
    why: str
    website: str
    source: str


@dataclass(frozen=True)
class Cooperation:
    """EU-China cooperation related to a selection by sector or by place."""

    partnerships: tuple[Partnership, ...] = ()
    projects: tuple[Project, ...] = ()
    events: tuple[EventMatch, ...] = ()
    organisations: tuple[Contact, ...] = ()

    @property
    def total(self) -> int:
        return len(self.partnerships) + len(self.projects) + len(self.events) + len(self.organisations)

    def sources(self) -> list[str]:
        return [r.source for part in (self.partnerships, self.projects, self.events, self.organisations) for r in part]


@dataclass(frozen=True)
class Detail:
    """Everything a panel shows for one selection. ``policies``/``cooperation`` are None for kinds
    that have none (an event, an organisation), which is not the same as none found."""

    kind: str
    id: str
    title: str
    subtitle: str
    lat: float | None
    lon: float | None
    facts: tuple[tuple[str, str], ...]
    source: str
    colour: str = "#1F2933"
    description: str = ""
    location: str = ""  # where the point comes from
    geometry: object = None  # a city cluster's area
    parent: str = ""  # a zone's parent zone id
    verification_note: str = ""
    city_clusters: tuple[Link, ...] = ()
    zones_nearby: tuple[Link, ...] = ()
    clusters_nearby: tuple[Link, ...] = ()
    children: tuple[Link, ...] = ()
    clusters: tuple[Link, ...] = ()  # inside (a city cluster, a city or county)
    zones: tuple[Link, ...] = ()
    members: tuple[Member, ...] = ()
    clusters_by_sector: dict = field(default_factory=dict, compare=False)
    policies: tuple[PolicyMatch, ...] | None = None
    cooperation: Cooperation | None = None


def _text(value) -> str:
    """A cell as text ("" for missing)."""
    return "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)


def zones_near(atlas: Atlas, lat: float, lon: float, limit: int = 6) -> tuple[Link, ...]:
    out = []
    for z in atlas.records("zones"):
        if pd.notna(z["lat"]):
            d = haversine_km(lat, lon, z["lat"], z["lon"])
            if d <= NEARBY_KM:
                out.append(Link(z["id"], z["name_en"], km=round(d), kind=z["kind"]))
    return tuple(sorted(out, key=lambda z: z.km)[:limit])


def policies_for(
    atlas: Atlas,
    sectors: list[str],
    adcode: str = "",
    city_clusters: list[str] = (),
    zones: list[str] = (),
    cities: list[str] = (),
    provinces: list[str] = (),
) -> list[PolicyMatch]:
    """Policies that apply, most specific first, each with why it applies.

    A policy names the place when it names the place itself, a place in it or a place it lies in:
    for a point, its zones, city, province and city clusters; for a province (``adcode`` ending in
    0000), also every city in it and the city clusters reaching into it; for a city cluster, its
    member ``cities`` and their ``provinces``. So a place inside another never has a policy naming
    it that the other lacks. National and EU-China policies apply by sector or to every region."""
    code = str(adcode or "")
    whole_province = code.endswith("0000")
    prefecture = code[:4] + "00" if code and not whole_province else ""
    city_codes = {c[:4] + "00" for c in cities if c}
    province_codes = {c[:2] + "0000" for c in (code, *provinces) if c}
    out = []
    for p in atlas.records("policies"):
        a = p.get("applies_to") or {}
        p_sectors = set(a.get("sectors") or [])
        sector_hit = bool(p_sectors & set(sectors))
        named_cities = [str(c) for c in a.get("prefectures") or []]
        reason = None
        if set(a.get("zones") or []) & set(zones):
            reason = "zone"
        elif (
            (prefecture and (prefecture in named_cities or code in named_cities))
            or any(c[:4] + "00" in city_codes for c in named_cities)
            or (whole_province and any(c.startswith(code[:2]) for c in named_cities))
        ):
            reason = "prefecture"
        elif province_codes & set(a.get("provinces") or []):
            reason = "province"
        elif set(a.get("city_clusters") or []) & set(city_clusters) and p["level"] not in COUNTRY_WIDE_LEVELS:
            reason = "city cluster"
        if reason and p["level"] == "local" and p_sectors and not sector_hit:
            reason = None  # a city's sector plan does not apply to its other industries
        if reason is None and p["level"] in COUNTRY_WIDE_LEVELS:
            if sector_hit:
                reason = "sector"
            elif not p_sectors:
                reason = "national"
        if reason:
            out.append(
                PolicyMatch(
                    id=p["id"],
                    name=p["name_en"],
                    level=p["level"],
                    kind=p["kind"],
                    years=years_text(p),
                    authorities=tuple(p.get("authorities") or ()),
                    summary=p.get("summary") or "",
                    reason=reason,
                    source=p["source"],
                )
            )
    return sorted(out, key=lambda x: (POLICY_RANK[x.reason], x.name))


def cooperation_for(
    atlas: Atlas,
    sectors: list[str],
    priority: list[str],
    adcode: str = "",
    city_clusters: list[str] = (),
    lat: float | None = None,
    lon: float | None = None,
    points: tuple[tuple[float, float], ...] = (),
    provinces: list[str] = (),
) -> Cooperation:
    """Partnerships, projects, events and organisations related by sector or by place; an event
    with several stops is listed once (atlas.counts.one_per_event). A place of several cities (a
    city cluster) gives its member cities' seats as ``points`` and their ``provinces``: it then
    lists the EU support offices (EEN, chambers) near any of them (and near the clusters and zones
    in it) and the events in their provinces, as the panels of what lies in it do."""
    sectors, priority = set(sectors), set(priority)
    own_provinces = {c[:2] for c in (adcode, *provinces) if c}
    near = tuple(points) + (((lat, lon),) if lat is not None else ())

    def sector_match(rec, scol="sector", pcol="priority_sector") -> bool:
        return bool(set(split(rec.get(scol))) & sectors or set(split(rec.get(pcol))) & priority)

    partnerships = tuple(
        Partnership(
            r["id"],
            f"{r['acronym']} — {r['name']}",
            "same sector",
            r["smes"],
            r["partners"],
            _text(r.get("website")),
            r["source"],
        )
        for r in atlas.records("partnerships")
        if sector_match(r)
    )
    projects = tuple(
        Project(
            r["id"],
            f"{r['acronym']} — {r['title']}",
            "same sector",
            _text(r.get("years_text")),
            _text(r.get("website")),
            r["source"],
        )
        for r in atlas.records("projects")
        if sector_match(r)
    )
    events = []
    for r in atlas.records("events"):
        why = []
        if own_provinces and str(r.get("adcode", ""))[:2] in own_provinces:
            why.append("same province")
        elif set(split(r.get("city_cluster"))) & set(city_clusters):
            why.append("same city cluster")
        if sector_match(r, "sectors", "priority_sectors"):
            why.append("same sector")
        if why:
            events.append(
                {
                    "id": r["id"],
                    "name": r["title"],
                    "when": r.get("date_text", ""),
                    "where": r.get("city_en", ""),
                    "why": ", ".join(why),
                    "source": r["source"],
                }
            )
    organisations = []
    for r in atlas.records("organisations"):
        why = None
        if r["category"] != "eu_support" and sector_match(r):
            why = "same sector"
        elif r["category"] == "eu_support" and pd.notna(r["lat"]) and near:
            km = min(haversine_km(y, x, r["lat"], r["lon"]) for y, x in near)
            if km <= SUPPORT_KM:
                why = (
                    f"EU support office {round(km)} km away"
                    if len(near) == 1
                    else f"EU support office {round(km)} km from it"
                )
        elif r["category"] == "eu_support" and split(r.get("sector")):
            why = "EU support service for this sector" if sector_match(r) else None
        elif r["category"] == "eu_support" and pd.isna(r["lat"]) and r.get("country", "") in ("", "China"):
            why = "EU support service for all of China"
        if why:
            organisations.append(
                Contact(r["id"], r["name"], why, _text(r.get("website_normalised") or r.get("website")), r["source"])
            )
    merged = one_per_event(atlas, events)
    return Cooperation(
        partnerships,
        projects,
        tuple(
            EventMatch(
                e["id"],
                e["name"],
                e["when"],
                e["where"],
                e["why"],
                e["source"],
                str(e["kind"]),
                str(e["status"]),
                str(e["group"]),
            )
            for e in merged
        ),
        tuple(organisations),
    )


def _around(
    atlas: Atlas, r: dict, sectors: list[str], priority: list[str], cc_ids: list[str], zone_ids: list[str], lat, lon
) -> dict:
    """The parts every located item's panel shares: its city clusters, policies, cooperation."""
    cc_names = atlas.city_cluster_names
    return {
        "city_clusters": tuple(Link(c, cc_names.get(c, c)) for c in cc_ids),
        "policies": tuple(policies_for(atlas, sectors, r["adcode"], cc_ids, zone_ids)),
        "cooperation": cooperation_for(atlas, sectors, priority, r["adcode"], cc_ids, lat, lon),
        "location": readable(f"{r['location_method'].replace('_', ' ')}: {r['location_source']}"),
        "source": r["source"],
    }


def _point(r: dict) -> tuple[float | None, float | None]:
    return (float(r["lat"]), float(r["lon"])) if pd.notna(r["lat"]) else (None, None)


def cluster_detail(atlas: Atlas, ident: str) -> Detail | None:
    r = atlas.record("clusters", ident)
    if r is None:
        return None
    tax = atlas.taxonomy
    cc_ids = split(r["city_cluster"])
    nearby = zones_near(atlas, r["lat"], r["lon"])
    facts = [
        ("Industry (2010 list, as printed)", r["industry"]),
        ("Place", f"{r['name_en']} · {r['name_zh']}"),
        ("Place as printed", r["place"]),
        ("Province", f"{r['province']} · {r['province_zh']}"),
        ("Sector", tax.label(r["sector"])),
        ("NACE Rev. 2", r["nace"].replace(";", ", ")),
        ("Priority sector", tax.priority_label(r["priority_sector"]) if r["priority_sector"] else "—"),
        ("Division code", r["adcode"] + (f" (2010: {r['adcode_2010']})" if r["adcode_2010"] else "")),
    ]
    if r["admin_change"]:
        facts.append(("Since 2010", r["admin_change"]))
    if r["correction_note"]:
        facts.append(("Correction", r["correction_note"]))
    return Detail(
        kind="ic",
        id=ident,
        title=r["industry"],
        subtitle=r["name_en"],
        lat=float(r["lat"]),
        lon=float(r["lon"]),
        colour=tax.colour(r["sector"]),
        facts=tuple(facts),
        zones_nearby=nearby,
        **_around(
            atlas, r, [r["sector"]], split(r["priority_sector"]), cc_ids, [z.id for z in nearby], r["lat"], r["lon"]
        ),
    )


def zone_detail(atlas: Atlas, ident: str) -> Detail | None:
    r = atlas.record("zones", ident)
    if r is None:
        return None
    tax = atlas.taxonomy
    sectors = split(r["sectors"])
    cc_ids = split(r.get("city_cluster", ""))
    facts = [
        ("Kind", r["kind"].replace("_", " ")),
        ("City", r.get("city_en", "") or "—"),
        ("Established", str(r["year_established"]) if pd.notna(r["year_established"]) else "—"),
        ("Sectors", ", ".join(tax.label(s) for s in sectors) or "—"),
    ]
    if r.get("key_figures"):
        facts.append(("Key figures", r["key_figures"]))
    if r.get("companies"):
        facts.append(("Companies", r["companies"]))
    children = atlas.zones[atlas.zones["parent_id"] == ident]
    lat, lon = _point(r)
    clusters_near = []
    if lat is not None:
        for c in atlas.records("clusters"):
            d = haversine_km(lat, lon, c["lat"], c["lon"])
            if d <= NEARBY_KM:
                clusters_near.append(Link(c["id"], f"{c['industry']} · {c['name_en']}", km=round(d)))
    return Detail(
        kind="z",
        id=ident,
        title=r["name_en"],
        subtitle=_text(r.get("name_zh")),
        lat=lat,
        lon=lon,
        colour=tax.colour(sectors[0]) if sectors else "#777777",
        facts=tuple(facts),
        description=_text(r.get("description")),
        parent=_text(r.get("parent_id")),
        children=tuple(Link(c["id"], c["name_en"]) for c in children.to_dict("records")),
        clusters_nearby=tuple(sorted(clusters_near, key=lambda c: c.km)[:8]),
        **_around(atlas, r, sectors, split(r["priority_sectors"]), cc_ids, [ident], lat, lon),
    )


def city_cluster_detail(atlas: Atlas, ident: str) -> Detail | None:
    r = atlas.record("city_clusters", ident)
    if r is None:
        return None
    members = atlas.city_cluster_members[atlas.city_cluster_members["cluster_id"] == ident]
    inside = atlas.clusters[atlas.clusters["city_cluster"].map(lambda c: ident in split(c))]
    zones_in = atlas.zones[atlas.zones["city_cluster"].map(lambda c: ident in split(c))]
    by_sector = inside["sector"].value_counts().reindex(atlas.taxonomy.order).dropna().astype(int)
    facts = [
        ("Tier", r["tier_label"]),
        ("Rank in the plan", str(r["rank"])),
        ("Provinces", r["provinces"].replace(";", ", ")),
        ("Plan", f"{r['plan_name']} ({r['plan_year']})" if pd.notna(r["plan_year"]) else r["plan_name"] or "—"),
        ("Member list", MEMBER_LIST[r["verification"]]),
    ]
    if r.get("gdp_share_text"):
        facts.append(("Share of GDP", r["gdp_share_text"]))
    if r.get("specialisations"):
        facts.append(("Specialisations", r["specialisations"].replace(";", ", ")))
    if r.get("local_industrial_clusters"):
        facts.append(("Local industrial clusters (as the documents list them)", r["local_industrial_clusters"]))
    sectors = located_sectors(atlas, inside, zones_in)
    cities = [str(m) for m in members["adcode"] if m]
    c = r["geometry"].representative_point() if r["geometry"] is not None else None
    return Detail(
        kind="cc",
        id=ident,
        title=r["name_en"],
        subtitle=r["name_zh"],
        lat=c.y if c else None,
        lon=c.x if c else None,
        geometry=r["geometry"],
        facts=tuple(facts),
        description=_text(r.get("description")),
        verification_note=_text(r.get("verification_note")),
        members=tuple(
            Member(f"{m['member_en']} {m['member_zh']}", m["coverage"], m["verification"])
            for m in members.to_dict("records")
        ),
        clusters=tuple(
            Link(x["id"], f"{x['industry']} · {x['name_en']}", sector=x["sector"]) for x in inside.to_dict("records")
        ),
        clusters_by_sector=by_sector.to_dict(),
        zones=tuple(Link(z["id"], z["name_en"]) for z in zones_in.to_dict("records")),
        policies=tuple(
            policies_for(atlas, sectors, "", [ident], list(zones_in["id"]), cities=cities, provinces=cities)
        ),
        cooperation=cooperation_for(
            atlas,
            sectors,
            priorities_of(atlas, sectors),
            "",
            [ident],
            points=seats_of(cities) + _points(inside) + _points(zones_in),
            provinces=cities,
        ),
        source=r["source"],
    )


def _points(df: pd.DataFrame) -> tuple[tuple[float, float], ...]:
    located = df[df["lat"].notna()]
    return tuple(zip(located["lat"].astype(float), located["lon"].astype(float), strict=True))


def located_sectors(atlas: Atlas, clusters: pd.DataFrame, zones: pd.DataFrame) -> list[str]:
    """The sectors of the industrial clusters and zones located in a place, in taxonomy order: what
    a province's or city cluster's sector matches (partnerships, national sector policies) rest on,
    so a place inside another never has a sector the other lacks. A city cluster's specialisations
    as the documents list them are shown as facts, not counted here."""
    found = set(clusters["sector"]) | {s for cell in zones["sectors"] for s in split(cell)}
    return [s for s in atlas.taxonomy.order if s in found]


def priorities_of(atlas: Atlas, sectors: list[str]) -> list[str]:
    """The EU-China priority sectors these sectors belong to."""
    tax = atlas.taxonomy.sectors
    return sorted({str(tax.at[s, "priority_sector"]) for s in sectors if s in tax.index} - {"", "nan"})


def seats_of(adcodes: list[str]) -> tuple[tuple[float, float], ...]:
    """The seats (lat, lon) of these divisions, for what lies near any of them."""
    from geo.boundaries import load_seats

    seats = load_seats().set_index("adcode")
    return tuple(
        (float(seats.at[c, "lat"]), float(seats.at[c, "lon"]))
        for c in adcodes
        if c in seats.index and str(seats.at[c, "lat"]) != ""
    )


def event_detail(atlas: Atlas, ident: str) -> Detail | None:
    r = atlas.record("events", ident)
    if r is None:
        return None
    facts = [
        ("What", r["kind"]),
        ("When", r.get("date_text", "")),
        ("Where", r.get("place_text", "") or r.get("city_en", "")),
        ("Organisers", r.get("organisers", "")),
        ("Who took part", r.get("participants", "")),
        ("Sectors", r.get("sectors_text", "")),
        ("Outcome", r.get("outcome", "")),
        ("Status", r.get("status", "")),
    ]
    lat, lon = _point(r)
    return Detail(
        kind="ev",
        id=ident,
        title=r["title"],
        subtitle=_text(r.get("date_text")),
        lat=lat,
        lon=lon,
        facts=tuple((k, _text(v)) for k, v in facts if _text(v)),
        description=_text(r.get("activities")),
        source=r["source"],
    )


def organisation_detail(atlas: Atlas, ident: str) -> Detail | None:
    r = atlas.record("organisations", ident)
    if r is None:
        return None
    facts = [
        ("Category", r["category"].replace("_", " ")),
        ("Sector", r.get("sector_heading", "") or atlas.taxonomy.label(r["sector"]) if r["sector"] else ""),
        ("City", r.get("city_en", "")),
        ("Website", r.get("website_normalised", "") or r.get("website", "")),
        ("What it does", r.get("role", "")),
    ]
    lat, lon = _point(r)
    return Detail(
        kind="org",
        id=ident,
        title=r["name"],
        subtitle=_text(r.get("name_zh")),
        lat=lat,
        lon=lon,
        facts=tuple((k, _text(v)) for k, v in facts if _text(v)),
        source=r["source"],
    )


def _events_of(atlas: Atlas, acronym: str) -> str:
    """The events a partnership's or project's acronym is named in (title or organisers), one per event."""
    from atlas.partners.index import named_partnerships  # local: the partner index reads this module

    rows = [
        {"id": r["id"], "name": r["title"], "when": _text(r.get("date_text"))}
        for r in atlas.records("events")
        if named_partnerships([{"acronym": acronym}], f"{r['title']} {_text(r.get('organisers'))}")
    ]
    return "; ".join(f"{e['name']} ({e['when']})" if e["when"] else e["name"] for e in one_per_event(atlas, rows))


def _record_detail(atlas: Atlas, kind: str, ident: str, r: dict, what: str, facts: list) -> Detail:
    """A record with no place (partnership, project): its facts, the events naming it, its text."""
    facts = [*facts, ("Events", _events_of(atlas, r["acronym"]))]
    return Detail(
        kind=kind,
        id=ident,
        title=r["acronym"],
        subtitle=what,
        lat=None,
        lon=None,
        facts=tuple((k, v) for k, v in facts if v),
        description=_text(r.get("description")),
        source=r["source"],
    )


def partnership_detail(atlas: Atlas, ident: str) -> Detail | None:
    """An ESCP-4i partnership: no place of its own, so the panel shows its record."""
    r = atlas.record("partnerships", ident)
    if r is None:
        return None
    tax = atlas.taxonomy
    sizes = ", ".join(
        f"{int(v)} {k}" for k, v in (("SMEs", r["smes"]), ("partners", r["partners"])) if v is not None and pd.notna(v)
    )
    facts = [
        ("Name", r["name"]),
        ("Sectors", ", ".join(tax.label(s) for s in split(r["sector"]))),
        ("Discussed under", tax.priority_label(r["discussed_under"]) if r.get("discussed_under") else ""),
        ("Size", sizes),
        ("Members", _text(r.get("members"))),
        ("Website", _text(r.get("website"))),
    ]
    return _record_detail(atlas, "esp", ident, r, "ESCP-4i partnership", facts)


def project_detail(atlas: Atlas, ident: str) -> Detail | None:
    """An EU-China research and innovation project: its record in the panel."""
    r = atlas.record("projects", ident)
    if r is None:
        return None
    facts = [
        ("Title", r["title"]),
        ("Programme", _text(r.get("programme"))),
        ("Years", _text(r.get("years_text"))),
        ("Sectors", ", ".join(atlas.taxonomy.label(s) for s in split(r["sector"]))),
        ("Website", _text(r.get("website"))),
    ]
    return _record_detail(atlas, "prj", ident, r, "EU-China research and innovation project", facts)


def place_detail(atlas: Atlas, adcode: str) -> Detail | None:
    """A city or county found by search: what lies in it."""
    from geo.boundaries import load_seats

    seats = load_seats().set_index("adcode")
    if adcode not in seats.index:
        return None
    s = seats.loc[adcode]
    prefix = adcode[:4] if s["level"] == "prefecture" else adcode
    inside = atlas.clusters[atlas.clusters["adcode"].str.startswith(prefix)]
    zones_in = atlas.zones[atlas.zones["adcode"].str.startswith(prefix)]
    return Detail(
        kind="pl",
        id=adcode,
        title=s["name_zh"],
        subtitle=" ".join(x for x in (s["prefecture_zh"], s["province_zh"]) if x),
        lat=float(s["lat"]),
        lon=float(s["lon"]),
        facts=(("Division code", adcode), ("Level", s["level"])),
        clusters=tuple(Link(x["id"], f"{x['industry']} · {x['name_en']}") for x in inside.to_dict("records")),
        zones=tuple(Link(z["id"], z["name_en"]) for z in zones_in.to_dict("records")),
        source=f"data/geo/division_seats.csv ({s['seat_source']})",
    )


DETAILS_KEPT = Shared(512)  # details kept for every session (a room opens the same few)


def row_detail(atlas: Atlas, kind: kinds.Kind, ident: str) -> Detail | None:
    """The panel of a kind without a builder of its own: its name, where it is, its other
    columns as facts, and its source."""
    r = atlas.record(kind.dataset, ident)
    if r is None:
        return None
    named = {"id", "lat", "lon", "source", "geometry", *kind.search_names[:1]}
    lat, lon = _point(r)
    return Detail(
        kind=kind.code,
        id=ident,
        title=_text(r.get(kind.search_names[0])) or ident,
        subtitle=", ".join(_text(r.get(c)) for c in kind.search_where if _text(r.get(c))),
        lat=lat,
        lon=lon,
        facts=tuple((c.replace("_", " ").capitalize(), _text(v)) for c, v in r.items() if c not in named and _text(v)),
        source=_text(r.get("source")),
    )


def detail(atlas: Atlas, key: str) -> Detail | None:
    """The detail of ``key`` ("ic:IC048"), or None. Computed once per Atlas and key: a Detail is
    immutable, so every session can share it."""
    kind, _, ident = str(key).partition(":")
    k = kinds.KINDS.get(kind)
    fn = kinds.resolve(k.detail) if k else None
    if k and fn is None and k.dataset:
        fn = lambda a, i: row_detail(a, k, i)  # noqa: E731
    return DETAILS_KEPT.get(atlas, key, lambda: fn(atlas, ident) if fn else None)
