"""Charts and tables of the Compare page: one small chart per place, all on one scale.

The figure builders are plain functions (tests read their axes and colours); the render_*
functions only draw what atlas/compare.py computed.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from plotly.subplots import make_subplots

from atlas.cache import Shared
from atlas.compare import shared_max
from components.charts import layout
from components.downloads import download_rows
from components.text import h, md, source_caption

# Okabe-Ito colours, for categories that are not sectors (zone kinds, policy reasons, measures).
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#999999", "#F0E442")
CHART_CONFIG = {"displayModeBar": False}


def category_colours(categories: list[str]) -> dict[str, str]:
    return {c: PALETTE[i % len(PALETTE)] for i, c in enumerate(categories)}


def _wrap(text: str, width: int = 24) -> str:
    words, lines, line = str(text).split(), [], ""
    for w in words:
        if line and len(line) + len(w) + 1 > width:
            lines.append(line)
            line = w
        else:
            line = f"{line} {w}".strip()
    return "<br>".join(h(x) for x in lines + [line])


def facet_bars(table: pd.DataFrame, category: str, colours: dict[str, str]) -> go.Figure:
    """One column of horizontal bars per place: the same rows in the same order and colours, and
    one x-axis range for all, so bar lengths compare across places."""
    keys = list(dict.fromkeys(table["key"]))
    x_max = shared_max(table)
    titles = table.drop_duplicates("key").set_index("key")["place"]
    cats = list(dict.fromkeys(table[category]))
    labels = table.drop_duplicates(category).set_index(category)["label"]
    fig = make_subplots(
        rows=1,
        cols=max(len(keys), 1),
        shared_yaxes=True,
        horizontal_spacing=0.025,
        subplot_titles=[_wrap(titles[k]) for k in keys],
    )
    for i, key in enumerate(keys, start=1):
        counts = table[table["key"] == key].set_index(category)["count"].reindex(cats).fillna(0).astype(int)
        fig.add_trace(
            go.Bar(
                x=list(counts),
                y=[labels[c] for c in cats],
                orientation="h",
                marker_color=[colours.get(c, "#777777") for c in cats],
                text=list(counts),
                textposition="outside",
                cliponaxis=False,
                customdata=cats,
                name=h(titles[key]),
                hovertemplate=h(titles[key]) + "<br>%{y}: %{x}<extra></extra>",
            ),
            row=1,
            col=i,
        )
    fig.update_xaxes(
        range=[0, x_max * 1.3 + 0.5],
        showgrid=True,
        gridcolor="#E4E7EB",
        zeroline=True,
        zerolinecolor="#8A99A8",
        tickformat=",d",
    )
    fig.update_yaxes(autorange="reversed")
    title_lines = max(t.count("<br>") + 1 for t in (_wrap(titles[k]) for k in keys)) if keys else 1
    layout(fig, height=max(200, 34 * len(cats) + 50 + 22 * title_lines))
    fig.update_layout(margin=dict(l=10, r=10, t=20 + 22 * title_lines, b=10))
    fig.update_annotations(font_size=15)
    return fig


# facet_bars once per selection and section, for every session (atlas/cache.py). Shared read-only:
# st.plotly_chart copies a figure before sending it.
FACETS = Shared(256)


def render_facets(
    title: str,
    table: pd.DataFrame,
    category: str,
    colours: dict[str, str],
    how_to_read: str,
    source: str,
    key: str,
    selection: tuple | None = None,
) -> None:
    """A section's facet chart; with ``selection`` (the Atlas and the place keys: what decides the
    table) its figure is computed once for every session."""
    st.subheader(title, anchor=False)
    if table.empty:
        st.write("None of the selected places has any.")
        return
    fig = (
        FACETS.get(selection[0], (selection[1], key), lambda: facet_bars(table, category, colours))
        if selection is not None
        else facet_bars(table, category, colours)
    )
    st.plotly_chart(fig, width="stretch", config=CHART_CONFIG, key=f"fig_{key}")
    st.caption(how_to_read)
    source_caption(source)
    wide = table.pivot_table(index="label", columns="place", values="count", sort=False).reset_index()
    download_rows(wide.rename(columns={"label": title}), title, source, key=f"dl_{key}")


def render_summary(summary: pd.DataFrame, source: str) -> None:
    """A static table: a few rows, read at a glance (no interactive grid to load before the charts)."""
    st.table(summary, hide_index=True)
    st.caption(
        "How to read this: one row per place. Clusters and zones are counted where their point lies; "
        "events and organisations likewise; partnerships and projects count when they share a "
        "sector with the place's clusters or zones."
    )
    source_caption(source)
    download_rows(summary, "comparison summary", source, key="dl_cmp_summary")


def render_policy_matrix(matrix: pd.DataFrame, source: str) -> None:
    with st.expander(f"All {len(matrix)} policies and where each applies", expanded=False):
        st.dataframe(matrix, hide_index=True, width="stretch")
        st.caption(
            "How to read this: each row is a policy; a cell says why it applies to that place "
            "(empty: it does not). Policies naming a zone, city, province or city cluster come first."
        )
        source_caption(source)
        download_rows(matrix, "policies by place", source, key="dl_cmp_policies")


def render_item_lists(items: pd.DataFrame, place_labels: list[str], measures: tuple[str, ...]) -> None:
    """What stands behind each cooperation count, one column per place."""
    cols = st.columns(len(place_labels))
    for col, label in zip(cols, place_labels, strict=False):
        mine = items[items["place"] == label]
        with col:
            st.markdown(f"**{md(label)}**")
            for m in measures:
                names = mine.loc[mine["measure"] == m, "name"]
                with st.expander(f"{m} ({len(names)})"):
                    st.markdown("\n".join(f"- {md(n)}" for n in names) or "None recorded.")
