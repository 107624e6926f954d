"""Plotly charts in the atlas palette, sized to be read on a projector."""

from __future__ import annotations

import plotly.graph_objects as go

from atlas.taxonomy import Taxonomy

FONT = dict(family="sans-serif", size=15, color="#1F2933")
PLOT_CONFIG = {"displayModeBar": False}
# Hover labels show whole names (plotly cuts trace names after 15 characters by default) and
# wrap rather than run off the chart.
HOVER = dict(namelength=-1, align="left", font=dict(size=14))


def layout(fig: go.Figure, height: int) -> go.Figure:
    fig.update_layout(
        height=height,
        margin=dict(l=10, r=10, t=10, b=10),
        font=FONT,
        plot_bgcolor="#FFFFFF",
        paper_bgcolor="#FFFFFF",
        showlegend=False,
        hoverlabel=HOVER,
    )
    return fig


def sector_bar(taxonomy: Taxonomy, counts: dict[str, int], height: int = 320) -> go.Figure:
    """Horizontal bars, one per sector, in taxonomy order and colours."""
    sectors = [s for s in taxonomy.order if counts.get(s)]
    fig = go.Figure(
        go.Bar(
            x=[counts[s] for s in sectors],
            y=[taxonomy.label(s) for s in sectors],
            orientation="h",
            marker_color=[taxonomy.colour(s) for s in sectors],
            text=[counts[s] for s in sectors],
            textposition="outside",
            cliponaxis=False,
            customdata=sectors,
            hovertemplate="%{y}: %{x}<extra></extra>",
        )
    )
    fig.update_yaxes(autorange="reversed", automargin=True)
    fig.update_xaxes(visible=False, range=[0, max(counts.values(), default=1) * 1.15])
    return layout(fig, height)
