"""Benchmark reference: the naive one-page st_folium app — 100 plain markers and nothing else
(Leaflet served locally, as the machine is offline). Served by tests/browser.serve from the
repository root (``python -m streamlit``), so the atlas's packages import as in the tests."""

import folium
import pandas as pd
from streamlit_folium import st_folium

from components.map_layers import OfflineMap  # static/ is linked beside this page

clusters = pd.read_csv("data/industrial_clusters.csv")
m = OfflineMap(location=(35, 104.5), zoom_start=4, tiles=None)
for r in clusters.itertuples():
    folium.CircleMarker((r.lat, r.lon), radius=6, tooltip=r.industry).add_to(m)
st_folium(m, height=620, use_container_width=True)
