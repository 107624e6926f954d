"""Filter the atlas by the sidebar's choices; the map and the counts use the same result."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import pandas as pd

from atlas.cache import SharedMemo
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

    @cached_property
    def ids(self) -> tuple[tuple[str, ...], ...]:
        """The ids in each table (clusters, zones, city clusters, events, organisations): what the
        map's layers depend on, read once per filter set rather than on every run."""
        tables = (self.clusters, self.zones, self.city_clusters, self.events, self.organisations)
        return tuple(tuple(df["id"]) for df in tables)

    @cached_property
    def cooperation_markers(self) -> int:
        """The cooperation layer's markers: events and the EU support offices (counted once per filter set)."""
        return len(self.events) + int((self.organisations["category"] == "eu_support").sum())


@dataclass(frozen=True)
class SearchScope:
    """What a search keeps on the map: the items it found and everything inside the places, city
    clusters and zones it found (a search for the Pearl River Delta or for 广州 keeps their clusters)."""

    keys: frozenset[str]
    city_clusters: frozenset[str]
    divisions: tuple[str, ...]  # division code prefixes: "4401" for 广州市, "440114" for 花都区
    zones: frozenset[str]  # zones whose sub-zones count too

    @classmethod
    def of(cls, keys: frozenset[str]) -> SearchScope:
        ids = {kind: {k.split(":", 1)[1] for k in keys if k.startswith(kind + ":")} for kind in ("cc", "pl", "z")}
        divisions = tuple(sorted(code[:4] if code.endswith("00") else code for code in ids["pl"]))
        return cls(keys, frozenset(ids["cc"]), divisions, frozenset(ids["z"]))

    def mask(self, df: pd.DataFrame, kind: str) -> pd.Series:
        keep = df["id"].map(lambda i: f"{kind}:{i}" in self.keys)
        if self.city_clusters and "city_cluster" in df:
            keep |= df["city_cluster"].map(lambda c: _has_any(c, tuple(self.city_clusters)))
        if self.divisions and "adcode" in df:
            keep |= df["adcode"].fillna("").astype(str).str.startswith(self.divisions)
        if self.zones and "parent_id" in df:
            keep |= df["parent_id"].isin(self.zones)
        return keep


def _has_any(cell: str, wanted: tuple[str, ...]) -> bool:
    return bool(set(str(cell).split(";")) & set(wanted))


def _province_of(adcode: str) -> str:
    return adcode[:2] + "0000" if adcode else ""


def _apply(
    df: pd.DataFrame, view: ViewState, sector_col: str, priority_col: str, kind: str, scope: SearchScope | None
) -> pd.DataFrame:
    mask = pd.Series(True, index=df.index)
    if view.sectors:
        mask &= df[sector_col].map(lambda c: _has_any(c, view.sectors))
    if view.priority:
        mask &= df[priority_col].map(lambda c: _has_any(c, view.priority))
    if view.provinces:
        mask &= df["adcode"].map(_province_of).isin(view.provinces)
    if view.city_clusters:
        mask &= df["city_cluster"].map(lambda c: _has_any(c, view.city_clusters))
    if scope is not None:
        mask &= scope.mask(df, kind)
    return df[mask]


FILTERED = SharedMemo(256)  # filter sets kept for every session (a workshop room asks for the same few)


def filter_atlas(atlas: Atlas, view: ViewState) -> Filtered:
    """Everything matching all active filters (sector, priority, province, city cluster, search).
    The same filters give the same (read-only) tables, so they are computed once for all sessions."""
    key = (view.sectors, view.priority, view.provinces, view.city_clusters, view.q)
    return FILTERED.get(atlas, key, lambda: _filter(atlas, view))


def _filter(atlas: Atlas, view: ViewState) -> Filtered:
    scope = SearchScope.of(matching_ids(atlas, view.q)) if view.q.strip() else None
    clusters = _apply(atlas.clusters, view, "sector", "priority_sector", "ic", scope)
    zones = _apply(atlas.zones, view, "sectors", "priority_sectors", "z", scope)
    events = _apply(atlas.events, view, "sectors", "priority_sectors", "ev", scope)
    orgs = _apply(atlas.organisations, view, "sector", "priority_sector", "org", scope)
    cc = atlas.city_clusters
    if view.city_clusters:
        cc = cc[cc["id"].isin(view.city_clusters)]
    return Filtered(
        clusters=clusters,
        zones=zones,
        events=events[events["lat"].notna()],
        organisations=orgs[orgs["lat"].notna()],
        city_clusters=cc,
    )
