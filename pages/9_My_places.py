"""Your own list on the map: partners, suppliers or target cities next to the clusters.

Reading and placing the rows is atlas/uploads.py; this page draws the input, the report and the map.
The list stays in this browser session only: nothing is cached, logged or written to disk.
"""

from __future__ import annotations

import streamlit as st

from atlas.filters import filter_atlas
from atlas.state import ViewState
from components.data_access import get_atlas
from components.downloads import download_rows
from components.entry import from_app
from components.legend import render_disclaimer
from components.map_view import render_map
from components.upload_views import SEATS_SOURCE, map_request, places_layer, places_table, render_input, render_report

from_app()  # every run goes through app.py (components/entry.py)

# Measured with scripts/measure_download_privacy.py (Streamlit 1.67, --ttl 10): the file is made on the click,
# then served from the server's memory at a random /media/ address that another client reads without the session:
# still readable with the tab open, 2 s and 30 s after it closed (past the disconnected-session TTL) on an idle
# server, and after one more page run by another visitor; gone (404) after the second. Streamlit's media file
# manager marks an unreferenced download at one clean-up and deletes it at the next (one at the end of every page run).
DOWNLOAD_NOTE = (
    "About the download: the file is made when you click. The server then keeps it in memory at a long "
    "random link that opens without your session, even after you close the tab, until two more page runs "
    "(by anyone) clear it. Share the file, not the link."
)

atlas = get_atlas()

st.title("My places on the map", anchor=False)
st.write(
    "Put your own list on the atlas map, next to the top-100 industrial clusters and the city clusters: "
    "each row needs a **name** and either a Chinese **city or county** (in pinyin, e.g. Huadu, or in "
    "Chinese, e.g. 花都区) or **lat** and **lon**."
)
st.caption(
    "Private by design: your list stays in this browser session. It is not stored, cached or written "
    "to disk, and it is gone when you close the tab (a CSV you download is the exception: see under "
    "“Your places”)."
)

upload, origin = render_input()
with st.container():  # one slot whatever the report holds, so the map below keeps its place (no remount)
    if upload is not None:
        render_report(upload, origin)

view = ViewState(layers=("clusters", "city_clusters"))
st.subheader(f"Map: {len(upload.places) if upload else 0:,} of your places", anchor=False)
render_map(
    atlas,
    filter_atlas(atlas, view),
    view,
    None,
    map_request(upload),
    height=560,
    key="myplaces_map",
    extra_layers=[places_layer(upload)],
)
render_disclaimer()  # the legend is inside the map
st.caption(
    "How to read this: dark points are your places; coloured circles are the top-100 industrial "
    "clusters (2010) by sector; blue areas are the 19 city clusters. A place given by name sits on the "
    "seat of that city or county, not on an exact address."
)

if upload is not None and upload.places:
    table = places_table(atlas, upload)
    st.subheader("Your places", anchor=False)
    st.dataframe(table, hide_index=True, width="stretch", key="mp_table")
    st.caption(
        "How to read this: one line per row placed on the map, with how it was placed and the nearest "
        "top-100 industrial cluster (straight-line distance)."
    )
    st.caption("Source: your list; " + SEATS_SOURCE)
    download_rows(table, "my places", "your list; " + SEATS_SOURCE, key="dl_myplaces")
    st.caption(DOWNLOAD_NOTE)
