"""Filter the atlas by the sidebar's choices; the map and the counts use the same result."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from atlas import kinds
from atlas.cache import Shared
from atlas.load import Atlas
from atlas.search import matching_ids
from atlas.state import ViewState


@dataclass(frozen=True)
class Filtered:
    """What the filters keep of each kind's table (atlas/kinds.py), by dataset name; read a table
    as ``filtered.table("zones")`` or ``filtered.zones``."""

    tables: dict[str, pd.DataFrame]

    def table(self, name: str) -> pd.DataFrame:
        return self.tables[name]

    def __getattr__(self, name: str) -> pd.DataFrame:
        tables = self.__dict__.get("tables", {})
        if name in tables:
            return tables[name]
        raise AttributeError(name)

    # Worked out when the filter set is (once, under its key's lock in atlas/cache.py), not on
    # every run: the ids in each table, in the registry's order (what the map's layers depend
    # on), and the markers per layer (counting reads every row of every table).
    ids: tuple[tuple[str, ...], ...] = field(init=False, repr=False, compare=False)
    counts: dict[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "ids", tuple(tuple(df["id"]) for df in self.tables.values()))
        object.__setattr__(self, "counts", self._count_layers())

    def markers(self, kind: kinds.Kind) -> int:
        """How many of the kind's rows the map draws as markers (its rows when it has none)."""
        df = self.tables[kind.dataset]
        if kind.marker is None:
            return len(df)
        return sum(1 for r in df.to_dict("records") if kind.marker.shows(r))

    def layer_counts(self) -> dict[str, int]:
        """Markers (or areas) per layer: what the counts line and the tour's captions say."""
        return dict(self.counts)

    def _count_layers(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for layer in kinds.layers():
            members = [k for k in kinds.kinds_of(layer.code) if k.dataset in self.tables]
            if members:
                out[layer.code] = sum(self.markers(k) for k in members)
        return out


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


def _apply(df: pd.DataFrame, view: ViewState, kind: kinds.Kind, scope: SearchScope | None) -> pd.DataFrame:
    """The rows of one kind's table that the filters which apply to it keep."""
    mask = pd.Series(True, index=df.index)
    applies = kind.filters
    if view.sectors and "sector" in applies:
        mask &= df[kind.sector_column].map(lambda c: _has_any(c, view.sectors))
    if view.priority and "priority" in applies:
        mask &= df[kind.priority_column].map(lambda c: _has_any(c, view.priority))
    if view.provinces and "province" in applies:
        mask &= df["adcode"].map(_province_of).isin(view.provinces)
    if view.city_clusters and "city_cluster" in applies:
        mask &= df[kind.city_cluster_column].map(lambda c: _has_any(c, view.city_clusters))
    if scope is not None and kind.marker is not None:
        mask &= scope.mask(df, kind.code)
    kept = df[mask]
    return kept[kept["lat"].notna()] if kind.marker is not None else kept  # markers: located rows only


FILTERED = Shared(256)  # filter sets kept for every session (a workshop room asks for the same few)


def filter_atlas(atlas: Atlas, view: ViewState) -> Filtered:
    """Everything matching all active filters (sector, priority, province, city cluster, search).
    The same filters give the same (read-only) tables, so they are computed once for all sessions."""
    return FILTERED.get(atlas, filter_key(view), lambda: _filter(atlas, view))


def filter_key(view: ViewState) -> tuple:
    """What a filter set depends on: the key of everything computed once per filter set."""
    return (view.sectors, view.priority, view.provinces, view.city_clusters, view.q)


def _filter(atlas: Atlas, view: ViewState) -> Filtered:
    scope = SearchScope.of(matching_ids(atlas, view.q)) if view.q.strip() else None
    return Filtered(
        {
            k.dataset: _apply(atlas.table(k.dataset), view, k, scope)
            for k in kinds.KINDS.values()
            if k.dataset and k.layer is not None
        }
    )
