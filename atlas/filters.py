"""Filter the atlas by the sidebar's choices; the map and the counts use the same result."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from atlas.load import Atlas
from atlas.search import matching_ids
from atlas.state import ViewState


@dataclass(frozen=True)
class Filtered:
    clusters: pd.DataFrame
    zones: pd.DataFrame
    events: pd.DataFrame
    organisations: pd.DataFrame
    city_clusters: pd.DataFrame


def _has_any(cell: str, wanted: tuple[str, ...]) -> bool:
    return bool(set(str(cell).split(";")) & set(wanted))


def _province_of(adcode: str) -> str:
    return adcode[:2] + "0000" if adcode else ""


def _apply(df: pd.DataFrame, view: ViewState, sector_col: str, priority_col: str,
           kind: str, hits: frozenset[str] | None) -> pd.DataFrame:
    mask = pd.Series(True, index=df.index)
    if view.sectors:
        mask &= df[sector_col].map(lambda c: _has_any(c, view.sectors))
    if view.priority:
        mask &= df[priority_col].map(lambda c: _has_any(c, view.priority))
    if view.provinces:
        mask &= df["adcode"].map(_province_of).isin(view.provinces)
    if view.city_clusters:
        mask &= df["city_cluster"].map(lambda c: _has_any(c, view.city_clusters))
    if hits is not None:
        mask &= df["id"].map(lambda i: f"{kind}:{i}" in hits)
    return df[mask]


def filter_atlas(atlas: Atlas, view: ViewState) -> Filtered:
    """Everything matching all active filters (sector, priority, province, city cluster, search)."""
    hits = matching_ids(atlas, view.q) if view.q.strip() else None
    clusters = _apply(atlas.clusters, view, "sector", "priority_sector", "ic", hits)
    zones = _apply(atlas.zones, view, "sectors", "priority_sectors", "z", hits)
    events = _apply(atlas.events, view, "sectors", "priority_sectors", "ev", hits)
    orgs = _apply(atlas.organisations, view, "sector", "priority_sector", "org", hits)
    cc = atlas.city_clusters
    if view.city_clusters:
        cc = cc[cc["id"].isin(view.city_clusters)]
    return Filtered(clusters=clusters, zones=zones, events=events[events["lat"].notna()],
                    organisations=orgs[orgs["lat"].notna()], city_clusters=cc)
