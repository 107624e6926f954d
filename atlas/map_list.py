"""What the map shows, as a table: one row per marker or area the explorer draws for the current
filters and layers, so the map can be read and its places opened without a pointer (the list view
below the map, for keyboard and screen-reader users, and to sort what is shown)."""

from __future__ import annotations

import pandas as pd

from atlas import kinds
from atlas.cache import Shared
from atlas.filters import Filtered, filter_key
from atlas.load import Atlas
from atlas.state import ViewState

COLUMNS = ["kind", "name", "where", "sector", "key"]
ROWS = Shared(128)  # the list per filter set and layers, for every session (read-only)


def _located(df: pd.DataFrame) -> pd.DataFrame:
    return df[df["lat"].notna()] if "lat" in df else df


def shown_rows(atlas: Atlas, filtered: Filtered, view: ViewState) -> pd.DataFrame:
    """Rows in the map's order of layers: city clusters, industrial clusters, zones, cooperation
    (events and the EU support offices), each with its selection key ("ic:IC048"). Built once per
    filter set and layers for every session, not on every run; treat the table as read-only."""
    return ROWS.get(atlas, (filter_key(view), view.layers), lambda: _rows(atlas, filtered, view))


def _rows(atlas: Atlas, filtered: Filtered, view: ViewState) -> pd.DataFrame:
    tax = atlas.taxonomy
    rows: list[dict] = []

    def add(code: str, ident: str, name: str, where: str, sector: str) -> None:
        rows.append(
            {
                "kind": kinds.label(code),
                "name": name,
                "where": where,
                "sector": sector,
                "key": kinds.key_of(code, ident),
            }
        )

    if "city_clusters" in view.layers:
        for r in filtered.city_clusters.to_dict("records"):
            add("cc", r["id"], r["name_en"], str(r.get("provinces") or "").replace(";", ", "), "")
    if "clusters" in view.layers:
        for r in _located(filtered.clusters).to_dict("records"):
            add("ic", r["id"], r["industry"], f"{r['name_en']}, {r['province']}", tax.label(r["sector"]))
    if "zones" in view.layers:
        for r in _located(filtered.zones).to_dict("records"):
            sectors = [s for s in str(r.get("sectors") or "").split(";") if s]
            where = ", ".join(x for x in (r.get("city_en"), r.get("province_en")) if x)
            add("z", r["id"], r["name_en"], where, ", ".join(tax.label(s) for s in sectors))
    if "cooperation" in view.layers:
        for r in filtered.events.to_dict("records"):
            where = ", ".join(x for x in (r.get("city_en"), r.get("date_text")) if x)
            add("ev", r["id"], r["title"], where, "")
        orgs = filtered.organisations
        for r in orgs[orgs["category"] == "eu_support"].to_dict("records"):
            add("org", r["id"], r["name"], str(r.get("city_en") or ""), "")
    return pd.DataFrame(rows, columns=COLUMNS)
