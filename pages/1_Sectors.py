"""Sectors: where the top-100 industrial clusters are by sector and province, the four priority
sectors with their figures, places, policies and cooperation, and the national sector lists.

Tables and figures depend only on the data, so they are built once for all sessions
(components/sector_views.py); each section's views sit in tabs that run only when opened.
"""

from __future__ import annotations

import streamlit as st

from atlas.figures import TABLE4_AS_OF, records_as_of
from components.charts import PLOT_CONFIG
from components.data_access import get_atlas
from components.downloads import download_rows
from components.entry import from_app
from components.sector_views import (
    clicked_sector,
    map_links,
    province_label,
    render_priority_card,
    render_programme_table,
    sectors_data,
    sectors_figure,
)
from components.url_state import map_link

from_app()  # every run goes through app.py (components/entry.py)

atlas = get_atlas()
tax = atlas.taxonomy
clusters = atlas.clusters
data = sectors_data(atlas)
by_sector, by_province = data["by_sector"], data["by_province"]

st.title("Sectors", anchor=False)
st.write(
    "Which industries China's top-100 industrial clusters (Table 4, 2010) work in and where they are; "
    "the briefing's four priority sectors with their figures as printed; and the national sector lists."
)

cols = st.columns(4)
cols[0].metric(
    "Industrial clusters (2010 list)",
    len(clusters),
    help="The top-100 industrial clusters of 2010: Table 4 of the earlier (D3.2) briefing.",
)
cols[1].metric("Sectors with clusters (2010 list)", f"{len(by_sector)} of {len(tax.order)}")
cols[2].metric("Provinces with clusters (2010 list)", data["provinces"])
cols[3].metric(
    f"Of them in a priority sector ({TABLE4_AS_OF})",
    data["in_priority"],
    help="Clusters of the 2010 list whose industry falls in one of the briefings' four priority sectors.",
)

# --- clusters by sector and by province ------------------------------------------------------
st.header("Industrial clusters by sector", anchor=False)
t_sector, t_province, t_tree = st.tabs(
    ["By sector", "By province", "Province → sector → industry"], key="sec_view", on_change="rerun"
)
with t_sector:
    if t_sector.open:
        sectors = list(by_sector)
        event = st.plotly_chart(
            sectors_figure(atlas, "sector"),
            key="sector_bar",
            on_select="rerun",
            selection_mode="points",
            config=PLOT_CONFIG,
            theme=None,
        )
        picked = clicked_sector(event, sectors)
        if picked:
            map_link(
                f"Open the map filtered to {tax.label(picked)} ({by_sector[picked]} clusters, {TABLE4_AS_OF})",
                sector=picked,
            )
        st.caption(
            "How to read this: one bar per sector, its length the number of top-100 clusters of the 2010 list "
            "in it; "
            "sectors in the atlas's order and map colours. Click a bar, or use the links below, to open "
            "the map filtered to that sector."
        )
        map_links(
            [(f"{tax.label(s)} ({n})", {"sector": s}) for s, n in by_sector.items()],
            key="ml_sector",
            prompt=f"Open the map filtered to one sector (clusters of the {TABLE4_AS_OF})",
        )
        st.caption(data["source_line"])
        download_rows(data["by_sector_table"], "clusters by sector", data["source_summary"], key="dl_sector")
with t_province:
    if t_province.open:
        st.plotly_chart(sectors_figure(atlas, "province"), config=PLOT_CONFIG, theme=None, key="province_bar")
        st.caption(
            "How to read this: one bar per province, split by sector in the same colours; the number at "
            "the end is the count printed beside the province in Table 4 (the 2010 list)."
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
            prompt=f"Open the map filtered to one province (clusters of the {TABLE4_AS_OF})",
        )
        st.caption(data["source_line"])
        download_rows(by_province, "clusters by province and sector", data["source_summary"], key="dl_province")
with t_tree:
    if t_tree.open:
        kind = st.radio(
            "Chart",
            ["treemap", "sunburst"],
            horizontal=True,
            format_func=str.capitalize,
            key="tree_kind",
            label_visibility="collapsed",
        )
        st.plotly_chart(sectors_figure(atlas, kind), config=PLOT_CONFIG, theme=None, key="tree")
        st.caption(
            "How to read this: each province's tile holds its sectors (map colours), each sector its "
            "industries as printed in Table 4 with the places; tile size is the number of clusters (2010 list). "
            "Provinces with one or two clusters share the “Other provinces” tile. Click a tile to zoom "
            "in (its labels then show), the path bar to zoom out."
        )
        st.caption(data["source_line"])
        download_rows(
            clusters[["id", "province", "place", "industry", "name_en", "sector", "priority_sector", "source"]],
            "top-100 clusters by province sector industry",
            data["source_summary"],
            key="dl_tree",
        )

# --- the four priority sectors ---------------------------------------------------------------
st.header("The four priority sectors", anchor=False)
st.write(
    "The briefing's priority sectors for EU-China cluster cooperation. Key figures are printed exactly as in "
    "the two briefing versions: the 2019 update (000) and the earlier D3.2 briefing (001)."
)
priorities = data["priorities"]
tabs = st.tabs([tax.priority_label(pid) for pid in priorities], key="sec_priority", on_change="rerun")
for tab, (_pid, overview) in zip(tabs, priorities.items(), strict=False):
    with tab:
        if tab.open:
            render_priority_card(atlas, overview)

# --- national sector lists -------------------------------------------------------------------
st.header("Made in China 2025 and the strategic emerging industries", anchor=False)
st.caption(
    "How to read these tables: each item of the national list, the sector(s) of the atlas it maps to, "
    f"and how many top-100 clusters ({TABLE4_AS_OF}) and zones or parks ({records_as_of(atlas.zones['source'])}) "
    "lie in those sectors. The match is by sector, so "
    "for example aerospace, ships and rail share the transport-equipment sector with cars (see the "
    "mapping note)."
)
mic_title = f"Made in China 2025: the {len(atlas.mic2025)} key priority sectors"
sei_title = f"The {len(atlas.strategic_emerging)} strategic emerging industries (13th Five-Year Plan)"
t_mic, t_sei = st.tabs([mic_title, sei_title], key="sec_lists", on_change="rerun")
with t_mic:
    if t_mic.open:
        render_programme_table(atlas, "mic2025", "Made in China 2025")
with t_sei:
    if t_sei.open:
        render_programme_table(atlas, "sei", "strategic emerging industries")
