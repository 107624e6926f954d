"""What the Policies page shows, as plain data: the timeline rows, filtered policies, a policy's
factsheet fields and where it applies, the maturity scores and the three factsheet policies side by side.

No Streamlit here, so the tests check exactly what the page draws.
"""

from __future__ import annotations

import math

import pandas as pd

from atlas.load import Atlas

TIMELINE_START, TIMELINE_END = 1978, 2035
# The factsheet's fields, in the factsheet's order, with the labels the page prints.
FACTSHEET_FIELDS = (
    ("objectives", "Objectives"),
    ("focus", "Focus"),
    ("authorities", "Authorities"),
    ("beneficiaries", "Beneficiaries"),
    ("instruments", "Instruments"),
    ("period", "Period"),
    ("budget", "Budget"),
    ("evaluation", "Evaluation"),
)
FACTSHEET_POLICIES = ("p_torch", "p_city_clusters", "p_gba_plan")
LEVEL_LABEL = {
    "national": "National",
    "regional": "Regional",
    "local": "Local",
    "cluster": "Cluster",
    "eu_china": "EU-China",
}
KIND_LABEL = {
    "cluster_programme": "Cluster programme",
    "strategy": "Strategy",
    "plan": "Plan",
    "sector_policy": "Sector policy",
    "guideline": "Guideline",
    "regulation": "Regulation",
    "agreement": "Agreement",
    "dialogue": "Dialogue",
}


def year_of(value) -> int | None:
    """A YAML year (int, float from pandas, or missing) as an int or None."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return int(value)


def text_of(value) -> str:
    """A field as display text: lists joined with '; ', missing values as ''."""
    if isinstance(value, (list, tuple)):
        return "; ".join(str(v) for v in value if v)
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value).strip()


def timeline_rows(policies: pd.DataFrame) -> pd.DataFrame:
    """One row per policy with at least one year: a bar from year_start to year_end, or a point where
    the documents give only one year ('since' a start or 'until' an end). Oldest first."""
    rows = []
    for p in policies.to_dict("records"):
        start, end = year_of(p["year_start"]), year_of(p["year_end"])
        if start is None and end is None:
            continue
        mark = (
            "bar"
            if start is not None and end is not None and end > start
            else ("since" if start is not None else "until")
        )
        rows.append(
            {
                "id": p["id"],
                "name": p["name_en"],
                "level": p["level"],
                "kind": p["kind"],
                "start": start,
                "end": end,
                "mark": mark,
                "period": text_of(p["period"]),
                "source": p["source"],
            }
        )
    df = pd.DataFrame(rows).astype({"start": "Int64", "end": "Int64"})
    df["sort_year"] = df["start"].fillna(df["end"])
    return df.sort_values(["sort_year", "name"]).drop(columns="sort_year").reset_index(drop=True)


def undated(policies: pd.DataFrame) -> pd.DataFrame:
    """Policies the documents give no year for (listed below the timeline)."""
    mask = policies["year_start"].isna() & policies["year_end"].isna()
    return policies.loc[mask, ["id", "name_en", "level", "kind", "source"]].reset_index(drop=True)


def filter_policies(policies: pd.DataFrame, levels=(), kinds=(), sectors=()) -> pd.DataFrame:
    """Policies of any of these levels, kinds and applies_to sectors (an empty choice means all)."""
    mask = pd.Series(True, index=policies.index)
    if levels:
        mask &= policies["level"].isin(levels)
    if kinds:
        mask &= policies["kind"].isin(kinds)
    if sectors:
        mask &= policies["applies_to"].map(lambda a: bool(set((a or {}).get("sectors") or []) & set(sectors)))
    return policies[mask]


def factsheet(policy: dict) -> list[tuple[str, str]]:
    """(label, text) for the policy's non-empty factsheet fields, in the factsheet's order."""
    return [(label, text_of(policy.get(field))) for field, label in FACTSHEET_FIELDS if text_of(policy.get(field))]


def place_name(adcode: str) -> str:
    """'Guangzhou 广州市' for a division code: pinyin of a city's name without 'shi', then the Chinese."""
    from geo.boundaries import load_seats

    seats = load_seats()
    hit = seats[(seats["adcode"] == adcode) & (seats["level"] != "former_county")]
    if hit.empty:
        return adcode
    zh, pinyin = hit.iloc[0]["name_zh"], hit.iloc[0]["pinyin"]
    if zh.endswith("市") and pinyin.endswith("shi"):
        return f"{pinyin[:-3].title()} {zh}"
    return zh


def where_it_applies(atlas: Atlas, policy: dict, province_names: dict[str, str] | None = None) -> list[dict]:
    """The places and sectors the policy names, each with the map filter that shows it:
    {'group', 'label', 'link'} where link is keyword arguments for map_link_params()."""
    a = policy.get("applies_to") or {}
    tax, names = atlas.taxonomy, province_names or {}
    cc = atlas.city_clusters.set_index("id")["name_en"]
    zones = atlas.zones.set_index("id")["name_en"]
    out = [{"group": "Sector", "label": tax.label(s), "link": {"sector": s}} for s in a.get("sectors") or []]
    out += [
        {"group": "Priority sector", "label": tax.priority_label(p), "link": {"priority": p}}
        for p in a.get("priority_sectors") or []
    ]
    out += [
        {"group": "Province", "label": names.get(p) or place_name(p), "link": {"province": p}}
        for p in a.get("provinces") or []
    ]
    out += [
        {
            "group": "City",
            "label": place_name(p),  # a municipality listed as a city filters by province
            "link": {"province": p} if p.endswith("0000") else {"sel": f"pl:{p}"},
        }
        for p in a.get("prefectures") or []
        if p not in (a.get("provinces") or [])
    ]
    out += [{"group": "City cluster", "label": cc.get(c, c), "link": {"cc": c}} for c in a.get("city_clusters") or []]
    out += [{"group": "Zone", "label": zones.get(z, z), "link": {"sel": f"z:{z}"}} for z in a.get("zones") or []]
    return out


def maturity_rows(atlas: Atlas) -> pd.DataFrame:
    """The factsheet's cluster policy maturity scores, one row per dimension, with their maxima."""
    return atlas.policy_maturity[
        ["dimension", "score", "score_as_printed", "max_score", "meaning", "note", "source"]
    ].reset_index(drop=True)


def comparison(
    atlas: Atlas, ids: tuple[str, ...] = FACTSHEET_POLICIES
) -> tuple[list[str], list[tuple[str, list[str]]]]:
    """The factsheet's three cluster policies side by side: (policy names, [(field, one text per policy)])
    with every field in the same order for each, '—' where the factsheet is silent."""
    by_id = {p["id"]: p for p in atlas.policies.to_dict("records")}
    chosen = [by_id[i] for i in ids if i in by_id]
    fields = [
        ("Level", lambda p: LEVEL_LABEL.get(p["level"], p["level"])),
        ("Name in Chinese", lambda p: text_of(p.get("name_zh"))),
    ]
    fields += [(label, lambda p, f=field: text_of(p.get(f))) for field, label in FACTSHEET_FIELDS]
    fields += [("Summary", lambda p: text_of(p.get("summary")))]
    rows = [(label, [get(p) or "—" for p in chosen]) for label, get in fields]
    return [p["name_en"] for p in chosen], rows
