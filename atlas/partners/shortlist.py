"""The shortlist kept in the page address: ``?shortlist=ic:IC048,z:z_huadu_auto_city`` (keys in
order, comma-separated; read through the partner finder's declared parameters,
components/partner_views.py ``url_params``)."""

from __future__ import annotations

import pandas as pd

from atlas.partners.index import Doc, groups, partner_index

MAX_SHORTLIST = 40


def shortlist_docs(atlas) -> dict[str, Doc]:
    """Everything that can go on a shortlist, by key ("ic:IC048", "z:z_huadu_auto_city", ...).
    Events are also known by each stop's id, so a link to any stop keeps working."""
    index = partner_index(atlas)
    docs = {d.key: d for d in index.docs}
    for r in atlas.events.to_dict("records"):
        group_doc = next(
            (d for d in index.docs if d.group == "events" and d.title == r["title"] and r["source"] in d.source), None
        )
        if group_doc is not None:
            docs.setdefault(f"ev:{r['id']}", group_doc)
    return docs


def encode_shortlist(keys: list[str]) -> str:
    """The address's form of a shortlist (what the partner finder's ``url_params`` read back)."""
    return ",".join(dict.fromkeys(keys))


def shortlist_table(atlas, keys: list[str]) -> pd.DataFrame:
    """The shortlist as rows with website, point and source, for the table and the CSV."""
    docs = shortlist_docs(atlas)
    rows = []
    for k in keys:
        d = docs[k]
        rows.append(
            {
                "key": d.key,
                "group": groups()[d.group],
                "name": d.title,
                "details": d.subtitle,
                "sectors": "; ".join(atlas.taxonomy.label(s) for s in sorted(d.sectors)),
                "website": d.website,
                "lat": d.lat,
                "lon": d.lon,
                "source": d.source,
            }
        )
    return pd.DataFrame(rows, columns=["key", "group", "name", "details", "sectors", "website", "lat", "lon", "source"])
