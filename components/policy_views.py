"""Charts and cards of the Policies page: the 1978-2035 timeline, the maturity scores against their
maxima, the three factsheet policies side by side and one card per policy.

Figure builders are plain functions (rows in, plotly figure out) so tests can check what is drawn.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from atlas.figures import years_text
from atlas.load import Atlas
from atlas.policy_tables import (
    KIND_LABEL,
    LEVEL_LABEL,
    TIMELINE_END,
    TIMELINE_START,
    factsheet,
    text_of,
    where_it_applies,
)
from atlas.provinces import PROVINCE_NAMES_EN
from atlas.source_quality import weak_note
from components.charts import layout
from components.sector_views import map_links, readable, source_md
from components.text import md

# Okabe-Ito colours (colour-blind safe), one per level and one per kind.
LEVEL_COLOURS = {
    "national": "#0072B2",
    "regional": "#009E73",
    "local": "#E69F00",
    "cluster": "#CC79A7",
    "eu_china": "#D55E00",
}
KIND_COLOURS = {
    "cluster_programme": "#D55E00",
    "strategy": "#0072B2",
    "plan": "#009E73",
    "sector_policy": "#E69F00",
    "guideline": "#56B4E9",
    "regulation": "#CC79A7",
    "agreement": "#000000",
    "dialogue": "#999999",
}
COLOURING = {"level": (LEVEL_COLOURS, LEVEL_LABEL), "kind": (KIND_COLOURS, KIND_LABEL)}
POINT_SYMBOL = {"since": "triangle-right", "until": "triangle-left"}
LABEL_CHARS = 58
ROW_PX = 34  # room for a label on two lines


def short_labels(names) -> list[str]:
    """Axis labels that fit: long names wrapped onto a second line (never cut), kept unique."""
    out, seen = [], set()
    for name in names:
        label = name
        if len(name) > LABEL_CHARS:  # two lines of about equal length, broken at a space
            spaces = [i for i, c in enumerate(name) if c == " "]
            cut = min(spaces, key=lambda i: abs(i - len(name) / 2)) if spaces else 0
            label = name[:cut] + "<br>" + name[cut + 1 :] if cut else name
        while label in seen:
            label += " "
        seen.add(label)
        out.append(label)
    return out


def timeline_years(r) -> str:
    """A timeline row's years, from its mark: a bar's span, a ▶'s start, a ◀'s end."""
    if r["mark"] == "bar":
        return f"{r['start']}–{r['end']}"
    return f"since {r['start']}" if r["mark"] == "since" else f"until {r['end']}"


def timeline_figure(rows: pd.DataFrame, colour_by: str = "level") -> go.Figure:
    """One row per dated policy, oldest first: a bar from start to end year, a ▶ where only a start
    year is given, a ◀ where only an end or target year is; coloured by level or kind."""
    colours, names = COLOURING[colour_by]
    rows = rows.assign(label=short_labels(rows["name"]), years=[timeline_years(r) for r in rows.to_dict("records")])
    fig = go.Figure()
    for group, colour in colours.items():
        g = rows[rows[colour_by] == group]
        if g.empty:
            continue
        bars, points = g[g["mark"] == "bar"], g[g["mark"] != "bar"]
        hover = "%{customdata[0]}<br>%{customdata[1]}<br>%{customdata[2]}<extra></extra>"
        common = dict(legendgroup=group, name=names.get(group, group), hovertemplate=hover)
        if not bars.empty:
            fig.add_bar(
                base=list(bars["start"]),
                x=list(bars["end"] - bars["start"]),
                y=bars["label"],
                orientation="h",
                marker_color=colour,
                text=bars["years"],
                textposition=["inside" if e > TIMELINE_END - 8 else "outside" for e in bars["end"]],
                insidetextanchor="middle",
                textfont=dict(size=13),
                customdata=bars[["name", "years", "period"]].values,
                cliponaxis=False,
                **common,
            )
        if not points.empty:
            fig.add_scatter(
                x=list(points["start"].fillna(points["end"])),
                y=points["label"],
                mode="markers+text",
                marker=dict(color=colour, size=14, symbol=[POINT_SYMBOL[m] for m in points["mark"]]),
                text=[f"  {y}" for y in points["years"]],
                textposition="middle right",
                textfont=dict(size=13),
                customdata=points[["name", "years", "period"]].values,
                showlegend=bars.empty,
                **common,
            )
    layout(fig, ROW_PX * len(rows) + 140)
    readable(fig)
    fig.update_layout(
        showlegend=True,
        margin=dict(l=10, r=30, t=100, b=10),
        bargap=0.35,
        uniformtext=dict(minsize=13, mode="show"),
        legend=dict(orientation="h", yref="container", y=1, yanchor="top", x=0),
    )
    fig.update_yaxes(
        categoryorder="array", categoryarray=list(rows["label"]), autorange="reversed", tickfont=dict(size=13)
    )
    fig.update_xaxes(
        range=[TIMELINE_START - 2, TIMELINE_END + 3],
        dtick=5,
        side="top",
        showgrid=True,
        gridcolor="#E4E7EB",
        tickfont=dict(size=14),
    )
    return fig


def maturity_figure(rows: pd.DataFrame, colour: str = "#0072B2") -> go.Figure:
    """Each dimension's score (coloured) drawn over its maximum (grey), labelled 'score of max' as printed."""
    fig = go.Figure()
    fig.add_bar(
        x=list(rows["max_score"]),
        y=rows["dimension"],
        orientation="h",
        marker_color="#E4E7EB",
        name="Maximum",
        hovertemplate="%{y}: maximum %{x}<extra></extra>",
    )
    fig.add_bar(
        x=list(rows["score"]),
        y=rows["dimension"],
        orientation="h",
        marker_color=colour,
        name="China",
        text=[f"{s} of {m:g}" for s, m in zip(rows["score_as_printed"], rows["max_score"], strict=False)],
        textposition="inside",
        insidetextanchor="end",
        textfont=dict(size=16, color="#FFFFFF"),
        hovertemplate="%{y}: China %{x}<extra></extra>",
    )
    layout(fig, 80 * len(rows) + 60)
    fig.update_layout(
        barmode="overlay", bargap=0.3, showlegend=True, legend=dict(orientation="h", y=1.02, yanchor="bottom", x=0)
    )
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(range=[0, float(rows["max_score"].max()) * 1.02], title="Points")
    return readable(fig)


def render_undated(df: pd.DataFrame) -> None:
    st.markdown(f"**Policies the documents give no year for ({len(df)})**")
    st.markdown(
        " · ".join(
            f"{md(r['name_en'])} ({md(LEVEL_LABEL.get(r['level'], r['level']).lower())} "
            f"{md(KIND_LABEL.get(r['kind'], r['kind']).lower())})"
            for r in df.to_dict("records")
        )
    )


def render_comparison(names: list[str], rows: list[tuple[str, list[str]]], sources: list[str]) -> None:
    """The factsheet's three cluster policies in three columns, one row per field so fields line up."""
    cols = st.columns(len(names), gap="medium")
    for col, name in zip(cols, names, strict=False):
        col.markdown(f"#### {md(name)}")
    for label, values in rows:
        cols = st.columns(len(names), gap="medium")
        for col, value in zip(cols, values, strict=False):
            col.markdown(f"**{md(label)}**  \n{md(value)}")
    cols = st.columns(len(names), gap="medium")
    for col, source in zip(cols, sources, strict=False):
        col.caption("Source: " + source_md(source))


def render_policy_card(atlas: Atlas, policy: dict) -> None:
    """One policy: what the documents say (non-empty factsheet fields only), where it applies with
    links that open the map there, and its source."""
    with st.container(border=True):
        st.markdown(f"#### {md(policy['name_en'])}")
        meta = [
            text_of(policy.get("name_zh")),
            LEVEL_LABEL.get(policy["level"], policy["level"]),
            KIND_LABEL.get(policy["kind"], policy["kind"]),
            years_text(policy),
        ]
        st.caption(" · ".join(md(m) for m in meta if m))
        if text_of(policy.get("summary")):
            st.markdown(md(policy["summary"]))
        fields = factsheet(policy)
        if fields:
            st.markdown("\n".join(f"- **{md(label)}:** {md(text)}" for label, text in fields))
        places = where_it_applies(atlas, policy, PROVINCE_NAMES_EN)
        if places:
            groups = dict.fromkeys(p["group"] for p in places)
            st.markdown(
                "**Where it applies:** "
                + " · ".join(
                    f"_{md(g)}:_ " + ", ".join(md(p["label"]) for p in places if p["group"] == g) for g in groups
                )
            )
            map_links(
                [(f"{p['group']}: {p['label']}", p["link"]) for p in places],
                key=f"ml_{policy['id']}",
                prompt="Open where it applies on the map",
            )
        if text_of(policy.get("note")):
            st.caption("Note: " + md(policy["note"]))
        st.caption("Source: " + source_md(policy["source"]))
        if weak := weak_note(policy["source"]):
            st.caption(md(weak))
