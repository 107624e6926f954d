"""Side-by-side comparison of provinces and city clusters: the tables behind the Compare page.

A place is a province (its records by the first two digits of ``adcode``) or a city cluster
(records whose point lies in its polygon, the ``city_cluster`` column). Every table is long
(one row per place and category) with zeros filled in, so the charts can share one scale and
one row order across places.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from atlas.cache import per_atlas
from atlas.drilldown import NATIONAL_REASONS, REASON_LABELS, located_sectors, policies_for
from atlas.load import Atlas
from atlas.page_params import Param
from atlas.provenance import combined
from atlas.text import split

MAX_PLACES = 5
URL_KEY = "compare"
KIND_NAMES = {"province": "province", "cc": "city cluster"}
ZONE_KIND_ORDER = (
    "high_tech_zone",
    "science_park",
    "economic_development_zone",
    "free_trade_zone",
    "special_economic_zone",
    "new_area",
    "industrial_park",
    "sector_cluster",
)
REASON_ORDER = ("zone", "prefecture", "province", "city cluster", "sector", "national")
MEASURES = (
    "Events held there",
    "Organisations based there",
    "ESCP-4i partnerships in its sectors",
    "R&I projects in its sectors",
)


@dataclass(frozen=True)
class Place:
    key: str  # "province:440000" or "cc:cc_yrd"
    kind: str  # "province" | "cc"
    code: str
    label: str


def options(atlas: Atlas, province_names: Mapping[str, str]) -> dict[str, str]:
    """Every selectable place: key -> label (city clusters in plan order, provinces by name)."""
    out = {f"cc:{i}": f"{n} (city cluster)" for i, n in atlas.city_cluster_names.items()}
    for code, name in sorted(province_names.items(), key=lambda kv: kv[1]):
        out[f"province:{code}"] = f"{name} (province)"
    return out


def url_params(known: Mapping[str, str]) -> list[Param]:
    """The page's one address parameter, ``?compare=province:440000,cc:cc_yrd`` (declared once)."""
    return [Param(URL_KEY, "choices", "place", frozenset(known), max_items=MAX_PLACES)]


def selection(values: Mapping[str, object]) -> list[str]:
    """The places a parsed address names (components/page_state.read), in its order."""
    return list(values.get(URL_KEY, ()))


def to_url(keys: list[str]) -> dict[str, str]:
    """The address for a selection (what ``url_params`` reads back as the same places)."""
    return {URL_KEY: ",".join(dict.fromkeys(keys))} if keys else {}


def places(keys: list[str], known: Mapping[str, str]) -> list[Place]:
    out = []
    for k in keys:
        kind, _, code = k.partition(":")
        out.append(Place(k, kind, code, known[k].rsplit(" (", 1)[0]))
    return out


def in_place(df: pd.DataFrame, place: Place) -> pd.Series:
    """Rows of a located dataset (clusters, zones, events, organisations) that lie in the place."""
    if place.kind == "province":
        return df["adcode"].astype(str).str[:2] == place.code[:2]
    return df["city_cluster"].map(lambda c: place.code in split(c))


def place_facts(atlas: Atlas, place: Place) -> dict:
    """Everything the comparison needs about one place, computed once per loaded Atlas and place
    (the data alone decides it, so every session and every selection containing the place shares it)."""

    def build(a: Atlas) -> dict:
        clusters, zones = a.clusters[in_place(a.clusters, place)], a.zones[in_place(a.zones, place)]
        return {
            "sectors": clusters["sector"].value_counts().to_dict(),
            "kinds": zones["kind"].value_counts().to_dict(),
            "clusters": len(clusters),
            "zones": len(zones),
            "cluster_sources": list(clusters["source"]),
            "zone_sources": list(zones["source"]),
            "zone_rows": [
                {
                    "place": place.label,
                    "zone": z["name_en"],
                    "kind": z["kind"].replace("_", " "),
                    "city": z["city_en"],
                    "sectors": z["sectors"].replace(";", ", "),
                    "source": z["source"],
                }
                for z in zones.to_dict("records")
            ],
            "policies": _policies_of(a, place, list(zones["id"])),
            "cooperation": _cooperation_of(a, place),
        }

    return per_atlas(atlas, f"compare.place.{place.key}", build)


def rows_in(df: pd.DataFrame, places_: list[Place]) -> pd.DataFrame:
    """Rows lying in any of the places (for a chart's source line and download)."""
    mask = pd.Series(False, index=df.index)
    for p in places_:
        mask |= in_place(df, p)
    return df[mask]


def _long(counts: dict[str, dict[str, int]], categories: list[str], places_: list[Place], column: str) -> pd.DataFrame:
    rows = [
        {"place": p.label, "key": p.key, column: c, "count": int(counts[p.key].get(c, 0))}
        for p in places_
        for c in categories
    ]
    return pd.DataFrame(rows, columns=["place", "key", column, "count"])


def clusters_by_sector(atlas: Atlas, places_: list[Place]) -> pd.DataFrame:
    """Top-100 industrial clusters per sector and place; sectors any place has, in taxonomy order."""
    counts = {p.key: place_facts(atlas, p)["sectors"] for p in places_}
    present = {s for c in counts.values() for s in c}
    sectors = [s for s in atlas.taxonomy.order if s in present]
    df = _long(counts, sectors, places_, "sector")
    df["label"] = df["sector"].map(atlas.taxonomy.label)
    return df


def zones_by_kind(atlas: Atlas, places_: list[Place]) -> pd.DataFrame:
    counts = {p.key: place_facts(atlas, p)["kinds"] for p in places_}
    present = {k for c in counts.values() for k in c}
    kinds = [k for k in ZONE_KIND_ORDER if k in present] + sorted(present - set(ZONE_KIND_ORDER))
    df = _long(counts, kinds, places_, "kind")
    df["label"] = df["kind"].str.replace("_", " ").str.capitalize()
    return df


def zone_list(atlas: Atlas, places_: list[Place]) -> pd.DataFrame:
    rows = [r for p in places_ for r in place_facts(atlas, p)["zone_rows"]]
    return pd.DataFrame(rows, columns=["place", "zone", "kind", "city", "sectors", "source"])


def place_sectors(atlas: Atlas, place: Place) -> list[str]:
    """The sectors a place is active in: its clusters' and zones' sectors (atlas.drilldown's
    located_sectors, as its panel counts them), so a city cluster inside a province never shares
    a sector with more partnerships than the province does."""
    return located_sectors(
        atlas, atlas.clusters[in_place(atlas.clusters, place)], atlas.zones[in_place(atlas.zones, place)]
    )


def member_cities(atlas: Atlas, cc_id: str) -> list[str]:
    """Division codes of a city cluster's member cities (and the SARs it takes in whole)."""
    m = atlas.city_cluster_members
    return [str(c) for c in m.loc[m["cluster_id"] == cc_id, "adcode"] if c]


def city_clusters_reaching(atlas: Atlas, province: str) -> list[str]:
    """City clusters with a member city in the province."""
    m = atlas.city_cluster_members
    return list(dict.fromkeys(m.loc[m["adcode"].astype(str).str[:2] == province[:2], "cluster_id"]))


def _policies_of(atlas: Atlas, p: Place, zones: list[str]) -> list[dict]:
    """As the panels find them: a province's include those naming a city or city cluster in it, a
    city cluster's those naming a member city or its province (atlas.drilldown.policies_for)."""
    sectors = place_sectors(atlas, p)
    if p.kind == "province":
        found = policies_for(atlas, sectors, p.code, city_clusters_reaching(atlas, p.code), zones)
    else:
        cities = member_cities(atlas, p.code)
        found = policies_for(atlas, sectors, "", [p.code], zones, cities=cities, provinces=cities)
    return [
        {
            "place": p.label,
            "key": p.key,
            "policy_id": x.id,
            "policy": x.name,
            "level": x.level,
            "years": x.years,
            "reason": x.reason,
            "source": x.source,
        }
        for x in found
    ]


def policies_applying(atlas: Atlas, places_: list[Place]) -> pd.DataFrame:
    """Every policy that applies to each place, with why (atlas.drilldown.policies_for)."""
    rows = [r for p in places_ for r in place_facts(atlas, p)["policies"]]
    return pd.DataFrame(rows, columns=["place", "key", "policy_id", "policy", "level", "years", "reason", "source"])


def policy_reasons(table: pd.DataFrame, places_: list[Place]) -> pd.DataFrame:
    counts = {p.key: table.loc[table["key"] == p.key, "reason"].value_counts().to_dict() for p in places_}
    present = set(table["reason"])
    df = _long(counts, [r for r in REASON_ORDER if r in present], places_, "reason")
    df["label"] = df["reason"].map(REASON_LABELS)
    return df


def policy_matrix(table: pd.DataFrame, places_: list[Place]) -> pd.DataFrame:
    """One row per policy, one column per place saying why it applies there (empty: it does not);
    place-specific policies first, the national framework last."""
    if table.empty:
        return pd.DataFrame(columns=["policy", "level", "years"] + [p.label for p in places_])
    rank = {r: i for i, r in enumerate(REASON_ORDER)}
    base = table.drop_duplicates("policy_id").set_index("policy_id")
    out = base[["policy", "level", "years"]].copy()
    for p in places_:
        mine = table[table["key"] == p.key].set_index("policy_id")["reason"]
        out[p.label] = [REASON_LABELS[mine[i]] if i in mine.index else "" for i in out.index]
    best = table.groupby("policy_id")["reason"].agg(lambda r: min(rank[x] for x in r))
    shared = (out[[p.label for p in places_]] != "").sum(axis=1)
    out = out.assign(_rank=best, _shared=-shared).sort_values(["_rank", "_shared", "policy"])
    return out.drop(columns=["_rank", "_shared"]).reset_index(drop=True)


def _cooperation_of(atlas: Atlas, p: Place) -> list[tuple]:
    rows = []
    ev = atlas.events[in_place(atlas.events, p)]
    for group, stops in ev.groupby("event_group", sort=False):  # one row per event, as atlas.counts counts
        first = stops.iloc[0]
        rows.append((MEASURES[0], group, first["title"], first["date_text"], first["source"]))
    for o in atlas.organisations[in_place(atlas.organisations, p)].to_dict("records"):
        rows.append((MEASURES[1], o["id"], o["name"], o["category"].replace("_", " "), o["source"]))
    sectors = set(place_sectors(atlas, p))
    for measure, df, title in ((MEASURES[2], atlas.partnerships, "name"), (MEASURES[3], atlas.projects, "title")):
        for r in df.to_dict("records"):
            if set(split(r["sector"])) & sectors:
                rows.append(
                    (
                        measure,
                        r["id"],
                        f"{r['acronym']} — {r[title]}",
                        ", ".join(atlas.taxonomy.label(s) for s in split(r["sector"])),
                        r["source"],
                    )
                )
    return rows


def cooperation_items(atlas: Atlas, places_: list[Place]) -> pd.DataFrame:
    """What counts as cooperation activity of each place: events held there (one row per event,
    i.e. distinct ``event_group``), organisations based there, and partnerships and projects in
    the sectors the place is active in."""
    return pd.DataFrame(
        [
            {"place": p.label, "key": p.key, "measure": m, "id": i, "name": n, "detail": d, "source": s}
            for p in places_
            for m, i, n, d, s in place_facts(atlas, p)["cooperation"]
        ],
        columns=["place", "key", "measure", "id", "name", "detail", "source"],
    )


def cooperation_counts(items: pd.DataFrame, places_: list[Place]) -> pd.DataFrame:
    counts = {p.key: items.loc[items["key"] == p.key, "measure"].value_counts().to_dict() for p in places_}
    df = _long(counts, list(MEASURES), places_, "measure")
    df["label"] = df["measure"]
    return df


def summary(atlas: Atlas, places_: list[Place], policies: pd.DataFrame, items: pd.DataFrame) -> pd.DataFrame:
    """One row per place: the headline counts of every section."""
    rows = []
    for p in places_:
        pol = policies[policies["key"] == p.key]
        mine = items[items["key"] == p.key]["measure"].value_counts()
        rows.append(
            {
                "Place": p.label,
                "Kind": KIND_NAMES[p.kind],
                "Industrial clusters": place_facts(atlas, p)["clusters"],
                "Zones and parks": place_facts(atlas, p)["zones"],
                "Policies naming it": int((~pol["reason"].isin(NATIONAL_REASONS)).sum()),
                "National policies that apply": int(pol["reason"].isin(NATIONAL_REASONS).sum()),
                **{m: int(mine.get(m, 0)) for m in MEASURES},
            }
        )
    return pd.DataFrame(rows)


def shared_max(*tables: pd.DataFrame) -> int:
    """One x-axis end for charts that must be read against each other."""
    return max([int(t["count"].max()) for t in tables if len(t)] + [1])


def place_sources(atlas: Atlas, places_: list[Place], what: str) -> list[str]:
    """The source cells of the places' "cluster" or "zone" records (for a chart's source line)."""
    return [x for p in places_ for x in place_facts(atlas, p)[f"{what}_sources"]]


def sources(df: pd.DataFrame) -> str:
    return combined(df["source"]) if "source" in df.columns and len(df) else ""


def containment_notes(atlas: Atlas, places_: list[Place]) -> list[str]:
    """Where a compared city cluster lies in a compared province: it counts no more than the
    province does, except for what lies in its members outside that province (named here)."""
    notes = []
    for outer in (p for p in places_ if p.kind == "province"):
        for inner in (p for p in places_ if p.kind == "cc"):
            cities = member_cities(atlas, inner.code)
            inside = [c for c in cities if c[:2] == outer.code[:2]]
            if not inside:
                continue
            m = atlas.city_cluster_members
            rows = m[(m["cluster_id"] == inner.code) & ~m["adcode"].astype(str).str[:2].eq(outer.code[:2])]
            beyond = list(dict.fromkeys(rows["member_en"]))
            if len(beyond) >= len(inside):
                notes.append(
                    f"{inner.label} reaches into {outer.label} ({len(inside)} of its {len(cities)} member "
                    f"cities): its counts also cover its members elsewhere."
                )
                continue
            others = " and ".join(", ".join(beyond).rsplit(", ", 1)) if beyond else ""
            notes.append(
                f"{inner.label} lies in {outer.label}"
                + (f" but for {others}" if beyond else "")
                + f": its counts are of what lies in it, so none exceeds {outer.label}'s"
                + (f" unless something in {others} adds to it." if beyond else ".")
                + " Its partnerships and projects are those sharing a sector with its clusters and zones."
            )
    return notes
