"""Sectors: where the top-100 industrial clusters are by sector and province, the four priority
sectors with their figures, places, policies and cooperation, and the national sector lists."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from atlas.sector_stats import (
    clusters_by_province,
    clusters_by_sector,
    hierarchy,
    priority_overview,
    priority_sectors,
    programme_matches,
    source_summary,
)
from components.charts import sector_bar
from components.data_access import get_atlas
from components.downloads import download_rows
from components.sector_views import (
    clicked_sector,
    readable,
    hierarchy_figure,
    map_link,
    map_links,
    province_label,
    province_stack,
    render_priority_card,
    render_programme_table,
    source_caption,
)

st.set_page_config(page_title="Sectors · China Cluster Atlas", page_icon="🏭", layout="wide")

atlas = get_atlas()
tax = atlas.taxonomy
clusters = atlas.clusters
PLOT_CONFIG = {"displayModeBar": False}

st.title("Sectors", anchor=False)
st.write(
    "Which industries China's top-100 industrial clusters (Table 4, 2010) work in and where they are; "
    "the briefing's four priority sectors with their figures as printed; and the national sector lists."
)

by_sector = clusters_by_sector(atlas)
by_province = clusters_by_province(atlas)
cols = st.columns(4)
cols[0].metric("Industrial clusters", len(clusters))
cols[1].metric("Sectors with clusters", f"{len(by_sector)} of {len(tax.order)}")
cols[2].metric("Provinces with clusters", by_province["province"].nunique())
cols[3].metric("Flagged for a priority sector", int((clusters["priority_sector"] != "").sum()))

# --- clusters by sector and by province ------------------------------------------------------
st.header("Industrial clusters by sector", anchor=False)
left, right = st.columns([2, 3], gap="large")
with left:
    st.subheader("By sector", anchor=False)
    sectors = list(by_sector)
    bar = readable(sector_bar(tax, by_sector, height=460))
    bar.update_xaxes(range=[0, max(by_sector.values()) * 1.15])  # room for the count beside the longest bar
    event = st.plotly_chart(
        bar, key="sector_bar", on_select="rerun", selection_mode="points", config=PLOT_CONFIG, theme=None
    )
    picked = clicked_sector(event, sectors)
    if picked:
        map_link(f"Open the map filtered to {tax.label(picked)} ({by_sector[picked]} clusters)", {"sector": picked})
    st.caption(
        "How to read this: one bar per sector, its length the number of top-100 clusters in it; "
        "sectors in the atlas's order and map colours. Click a bar, or use the links below, to open "
        "the map filtered to that sector."
    )
    map_links(
        [(f"{tax.label(s)} ({n})", {"sector": s}) for s, n in by_sector.items()],
        key="ml_sector",
        prompt="Open the map filtered to one sector",
    )
    source_caption(clusters["source"])
    download_rows(
        pd.DataFrame(
            {
                "sector": list(by_sector),
                "label": [tax.label(s) for s in by_sector],
                "clusters": list(by_sector.values()),
            }
        ),
        "clusters by sector",
        source_summary(clusters["source"]),
        key="dl_sector",
    )
with right:
    st.subheader("By province", anchor=False)
    st.plotly_chart(province_stack(tax, by_province), config=PLOT_CONFIG, theme=None)
    st.caption(
        "How to read this: one bar per province, split by sector in the same colours; the number at the "
        "end is the count printed beside the province in Table 4."
    )
    provinces = by_province.drop_duplicates("province")
    map_links(
        [
            (
                f"{province_label(r['province_code'], r['province'])} ({r['province_count_printed']})",
                {"province": r["province_code"]},
            )
            for r in provinces.to_dict("records")
        ],
        key="ml_province",
        prompt="Open the map filtered to one province",
    )
    download_rows(by_province, "clusters by province and sector", source_summary(clusters["source"]), key="dl_province")

st.subheader("Province → sector → industry", anchor=False)
kind = st.radio(
    "Chart",
    ["treemap", "sunburst"],
    horizontal=True,
    format_func=str.capitalize,
    key="tree_kind",
    label_visibility="collapsed",
)
st.plotly_chart(hierarchy_figure(tax, hierarchy(atlas), kind), config=PLOT_CONFIG, theme=None)
st.caption(
    "How to read this: each province's tile holds its sectors (map colours), each sector its "
    "industries as printed in Table 4 with the places; tile size is the number of clusters. "
    "Click a tile to zoom in, the path bar to zoom out."
)
source_caption(clusters["source"])
download_rows(
    clusters[["id", "province", "place", "industry", "name_en", "sector", "priority_sector", "source"]],
    "top-100 clusters by province sector industry",
    source_summary(clusters["source"]),
    key="dl_tree",
)

# --- the four priority sectors ---------------------------------------------------------------
st.header("The four priority sectors", anchor=False)
st.write(
    "The briefing's priority sectors for EU-China cluster cooperation. Key figures are printed exactly as in "
    "the two briefing versions: the 2019 update (000) and the earlier D3.2 briefing (001)."
)
for pid in priority_sectors(atlas):
    render_priority_card(atlas, priority_overview(atlas, pid))

# --- national sector lists -------------------------------------------------------------------
st.header("Made in China 2025 and the strategic emerging industries", anchor=False)
st.caption(
    "How to read these tables: each item of the national list, the sector(s) of the atlas it maps to, "
    "and how many top-100 clusters and zones or parks lie in those sectors. The match is by sector, so "
    "for example aerospace, ships and rail share the transport-equipment sector with cars (see the "
    "mapping note)."
)
st.subheader(f"Made in China 2025: the {len(atlas.mic2025)} key priority sectors", anchor=False)
render_programme_table(
    programme_matches(atlas, atlas.mic2025.sort_values("order", key=lambda s: s.astype(int))),
    "Made in China 2025",
    "mic",
)
st.subheader(f"The {len(atlas.strategic_emerging)} strategic emerging industries (13th Five-Year Plan)", anchor=False)
render_programme_table(programme_matches(atlas, atlas.strategic_emerging), "strategic emerging industries", "sei")
