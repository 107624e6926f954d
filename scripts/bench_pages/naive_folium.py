"""Benchmark reference: the naive one-page st_folium app — 100 plain markers and nothing else
(Leaflet served locally, as the machine is offline)."""

import sys
from pathlib import Path

import folium
import pandas as pd
from streamlit_folium import st_folium

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from components.map_layers import OfflineMap  # noqa: E402  (static/ is linked beside this page)

clusters = pd.read_csv("data/industrial_clusters.csv")
m = OfflineMap(location=(35, 104.5), zoom_start=4, tiles=None)
for r in clusters.itertuples():
    folium.CircleMarker((r.lat, r.lon), radius=6, tooltip=r.industry).add_to(m)
st_folium(m, height=620, use_container_width=True)
