"""Counts and matches behind the Sectors page: clusters by sector and province, the four priority
sectors (figures, clusters, zones, policies, cooperation) and the national sector lists.

Plain pandas and dicts (no Streamlit), so the page, the tests and any brief share one computation.
"""

from __future__ import annotations

from dataclasses import asdict

import pandas as pd

from atlas.drilldown import cooperation_for
from atlas.figures import with_as_of, years_text
from atlas.load import Atlas
from atlas.policy_tables import year_of
from atlas.provenance import SEED_PART  # the one seed-file pattern
from atlas.text import split

DOCUMENT_LABEL = {"000": "2019 briefing (000)", "001": "earlier D3.2 briefing (001)"}


def clusters_by_sector(atlas: Atlas) -> dict[str, int]:
    """Number of top-100 clusters per sector id, in taxonomy order (sectors without clusters left out)."""
    counts = atlas.clusters["sector"].value_counts()
    return {s: int(counts[s]) for s in atlas.taxonomy.order if s in counts}


def clusters_by_province(atlas: Atlas) -> pd.DataFrame:
    """Long table province x sector -> clusters, with Table 4's printed province count beside it.
    Provinces are ordered by their number of clusters (largest first)."""
    c = atlas.clusters.assign(province_code=atlas.clusters["adcode"].str[:2] + "0000")
    df = c.groupby(["province", "province_code", "sector"]).size().rename("clusters").reset_index()
    printed = c.groupby("province")["province_count_printed"].first()
    df["province_total"] = df.groupby("province")["clusters"].transform("sum")
    df["province_count_printed"] = df["province"].map(printed).astype(int)
    rank = {s: i for i, s in enumerate(atlas.taxonomy.order)}
    df["sector_rank"] = df["sector"].map(rank)
    return (
        df.sort_values(["province_total", "province", "sector_rank"], ascending=[False, True, True])
        .drop(columns="sector_rank")
        .reset_index(drop=True)
    )


def hierarchy(atlas: Atlas) -> pd.DataFrame:
    """Province -> sector -> industry nodes (id, label, parent, value, sector) for a treemap or sunburst;
    a node's value is the number of clusters under it."""
    c = atlas.clusters
    rows = []
    for prov, pdf in c.groupby("province", sort=False):
        rows.append({"id": prov, "label": prov, "parent": "", "value": len(pdf), "sector": ""})
        for sector, sdf in pdf.groupby("sector", sort=False):
            sid = f"{prov}/{sector}"
            rows.append(
                {"id": sid, "label": atlas.taxonomy.label(sector), "parent": prov, "value": len(sdf), "sector": sector}
            )
            for industry, idf in sdf.groupby("industry", sort=False):
                places = ", ".join(idf["name_en"].str.split(",").str[0])
                rows.append(
                    {
                        "id": f"{sid}/{industry}",
                        "label": f"{industry} ({places})",
                        "parent": sid,
                        "value": len(idf),
                        "sector": sector,
                    }
                )
    return pd.DataFrame(rows)


OTHER_PROVINCES = "Other provinces"


def grouped_hierarchy(atlas: Atlas, min_clusters: int = 3) -> pd.DataFrame:
    """hierarchy() with the provinces of fewer than ``min_clusters`` clusters gathered under one
    "Other provinces" tile, so no top-level tile is a sliver too small to label; clicking it opens
    those provinces at a readable size. Values still add up to every cluster."""
    nodes = hierarchy(atlas)
    small = nodes.index[(nodes["parent"] == "") & (nodes["value"] < min_clusters)]
    if len(small) < 2:
        return nodes
    nodes.loc[small, "parent"] = OTHER_PROVINCES
    label = f"{OTHER_PROVINCES} ({len(small)}, under {min_clusters} clusters each)"
    other = pd.DataFrame(
        [
            {
                "id": OTHER_PROVINCES,
                "label": label,
                "parent": "",
                "value": int(nodes.loc[small, "value"].sum()),
                "sector": "",
            }
        ]
    )
    return pd.concat([nodes, other], ignore_index=True)


# --- the four priority sectors -------------------------------------------------------------


def priority_sectors(atlas: Atlas) -> dict[str, list[str]]:
    """Priority-sector id -> the sector ids it corresponds to (data/priority_sectors.csv)."""
    return {p: split(row["sectors"]) for p, row in atlas.taxonomy.priority.iterrows()}


def document_of(source: str) -> str:
    """Which briefing version a figure comes from, for labelling figures that differ."""
    files = [SEED_PART.match(p.strip()).group(1)[:3] for p in str(source).split(" | ") if SEED_PART.match(p.strip())]
    if {"000", "001"} <= set(files):
        return "both briefings (000, 001)"
    return ", ".join(DOCUMENT_LABEL.get(f, f) for f in dict.fromkeys(files)) or "other"


def priority_figures(atlas: Atlas, priority: str) -> pd.DataFrame:
    """The sector's key figures as printed, each with its year, document and source; a figure that the
    other briefing version gives differently sits right after it, with both documents named."""
    f = atlas.sector_figures[atlas.sector_figures["priority_sector"] == priority]
    order, seen, present = [], set(), set(f["id"])
    for r in f.to_dict("records"):
        for ident in (r["id"], r["same_metric_as"]):
            if ident and ident not in seen and ident in present:
                seen.add(ident)
                order.append(ident)
    out = f.set_index("id").loc[order].reset_index()
    out["document"] = out["source"].map(document_of)
    partner = out.set_index("id")
    out["other_version"] = [
        (
            f"{with_as_of(partner.at[m, 'value_text'], partner.at[m, 'as_of'])}, {partner.at[m, 'document']}"
            if m in partner.index
            else ""
        )
        for m in out["same_metric_as"]
    ]
    return out[
        [
            "id",
            "metric",
            "value_text",
            "as_of",
            "year",
            "document",
            "other_version",
            "value_text_corrected",
            "note",
            "source",
            "same_metric_as",
        ]
    ]


def figure_differences(figures: pd.DataFrame) -> list[dict]:
    """The metrics where the 2019 briefing and the earlier one print different figures, one entry a pair."""
    rows = figures.set_index("id")
    pairs = []
    for ident, r in rows.iterrows():
        other = r["same_metric_as"]
        if other in rows.index and ident < other:
            versions = sorted([(ident, r), (other, rows.loc[other])], key=lambda x: x[1]["document"])
            pairs.append(
                {
                    "metric": r["metric"],
                    "versions": [
                        {
                            "document": v["document"],
                            "value_text": v["value_text"],
                            "year": v["year"],
                            "as_of": v["as_of"],
                            "corrected": v["value_text_corrected"],
                            "source": v["source"],
                        }
                        for _, v in versions
                    ],
                }
            )
    return pairs


def in_priority(cell: str, priority: str) -> bool:
    return priority in split(cell)


def sector_policies(atlas: Atlas, sectors: list[str], priority: list[str]) -> list[dict]:
    """Policies whose applies_to names one of these priority sectors or sectors, oldest first."""
    out = []
    for p in atlas.policies.to_dict("records"):
        a = p.get("applies_to") or {}
        if set(a.get("priority_sectors") or []) & set(priority) or set(a.get("sectors") or []) & set(sectors):
            out.append(
                {
                    "id": p["id"],
                    "name": p["name_en"],
                    "level": p["level"],
                    "kind": p["kind"],
                    "years": years_text(p),
                    "start": year_of(p.get("year_start")),
                    "source": p["source"],
                }
            )
    return sorted(out, key=lambda p: (p["start"] is None, p["start"] or 0, p["name"]))


def sector_cooperation(atlas: Atlas, sectors: list[str], priority: list[str]) -> dict[str, list[dict]]:
    """ESCP-4i partnerships, R&I projects and events in these sectors (an event with several stops
    once, as atlas.drilldown.cooperation_for lists them), as rows for the sector cards."""
    coop = cooperation_for(atlas, sectors, priority)
    return {
        "partnerships": [asdict(p) for p in coop.partnerships],
        "projects": [asdict(p) for p in coop.projects],
        "events": [asdict(e) for e in coop.events],
    }


def priority_overview(atlas: Atlas, priority: str) -> dict:
    """Everything one priority-sector card shows."""
    sectors = priority_sectors(atlas)[priority]
    clusters = atlas.clusters[atlas.clusters["priority_sector"].map(lambda c: in_priority(c, priority))]
    zones = atlas.zones[atlas.zones["priority_sectors"].map(lambda c: in_priority(c, priority))]
    wider = atlas.clusters[atlas.clusters["sector"].isin(sectors)]
    return {
        "id": priority,
        "label": atlas.taxonomy.priority_label(priority),
        "sectors": sectors,
        "figures": priority_figures(atlas, priority),
        "clusters": clusters,
        "zones": zones,
        "sector_clusters": len(wider),
        "policies": sector_policies(atlas, sectors, [priority]),
        "cooperation": sector_cooperation(atlas, sectors, [priority]),
        "source": atlas.taxonomy.priority.at[priority, "source"],
    }


# --- Made in China 2025 sectors and the strategic emerging industries -----------------------


def programme_matches(atlas: Atlas, table: pd.DataFrame) -> pd.DataFrame:
    """Each row of a national sector list with the top-100 clusters and the zones in its sectors."""
    tax = atlas.taxonomy
    rows = []
    for r in table.to_dict("records"):
        sectors = split(r["sectors"])
        cl = atlas.clusters[atlas.clusters["sector"].isin(sectors)]
        zo = atlas.zones[atlas.zones["sectors"].map(lambda c, s=set(sectors): bool(set(split(c)) & s))]
        rows.append(
            {
                "id": r["id"],
                "name": r["name_en"],
                "sectors": sectors,
                "sector_labels": ", ".join(tax.label(s) for s in sectors),
                "priority": tax.priority_label(r["priority_sector"]) if r["priority_sector"] else "",
                "clusters": len(cl),
                "zones": len(zo),
                "cluster_names": "; ".join(
                    f"{i} ({n.split(',')[0]})" for i, n in zip(cl["industry"], cl["name_en"], strict=False)
                ),
                "zone_names": "; ".join(zo["name_en"]),
                "note": r.get("note", ""),
                "source": r["source"],
            }
        )
    return pd.DataFrame(rows)
