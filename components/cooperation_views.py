"""Charts, panels and the organisation directory of the Cooperation page.

Table shaping and figure builders are plain functions (the tests call them); the render_*
functions draw them with their "how to read this" and source captions.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from plotly.subplots import make_subplots

from atlas.cache import per_atlas
from atlas.counts import event_groups
from atlas.schemas import EVENT_KINDS
from atlas.taxonomy import Taxonomy
from atlas.text import split
from components.charts import layout, sector_bar
from components.compare_views import PALETTE
from components.text import h, md, md_link, safe_url, source_caption

KIND_COLOURS = dict(zip(EVENT_KINDS, PALETTE, strict=False))
DIRECTORY_GROUPS = {
    "eu": "European support services",
    "cn": "Chinese organisations (by sector)",
    "cluster": "Cluster organisations",
    "other": "Other bodies named in the documents",
}
CROSS_CUTTING = "all sectors"


# ---------------------------------------------------------------- partnerships


def sector_counts(df: pd.DataFrame, column: str = "sector") -> dict[str, int]:
    """Records per sector; a record with two sectors counts in both."""
    out: dict[str, int] = {}
    for cell in df[column]:
        for s in split(cell):
            out[s] = out.get(s, 0) + 1
    return out


def partnership_size_figure(taxonomy: Taxonomy, df: pd.DataFrame) -> go.Figure:
    """SMEs and partners side by side, only for the partnerships whose counts are given."""
    given = df[df["smes"].notna() | df["partners"].notna()]
    colours = [taxonomy.colour(split(s)[0]) for s in given["sector"]]
    fig = make_subplots(
        rows=1, cols=2, shared_yaxes=True, horizontal_spacing=0.04, subplot_titles=["SMEs involved", "Partners"]
    )
    for col, field in ((1, "smes"), (2, "partners")):
        values = [int(v) if pd.notna(v) else None for v in given[field]]
        fig.add_trace(
            go.Bar(
                x=values,
                y=list(given["acronym"]),
                orientation="h",
                marker_color=colours,
                text=[f"{v:,}" if v is not None else "not given" for v in values],
                textposition="outside",
                cliponaxis=False,
                hovertemplate="%{y}: %{x:,}<extra></extra>",
            ),
            row=1,
            col=col,
        )
        top = max([v for v in values if v is not None] + [1])
        fig.update_xaxes(range=[0, top * 1.3], row=1, col=col, tickformat=",d")
    fig.update_yaxes(autorange="reversed")
    layout(fig, max(200, 40 * len(given) + 80))
    fig.update_layout(margin=dict(l=10, r=10, t=40, b=10))
    return fig


# ---------------------------------------------------------------- projects


def project_timeline_figure(taxonomy: Taxonomy, df: pd.DataFrame) -> go.Figure:
    """One bar per project from the start of its first year to the end of its last."""
    df = df.sort_values(["start_year", "end_year"])
    fig = go.Figure(
        go.Bar(
            base=list(df["start_year"].astype(int)),
            x=list((df["end_year"] - df["start_year"] + 1).astype(int)),
            y=list(df["acronym"]),
            orientation="h",
            marker_color=[taxonomy.colour(split(s)[0]) for s in df["sector"]],
            customdata=list(zip(df["years_text"], df["programme"], strict=False)),
            hovertemplate="%{y}: %{customdata[0]} (%{customdata[1]})<extra></extra>",
        )
    )
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(dtick=1, showgrid=True, gridcolor="#E4E7EB", tickformat="d")
    return layout(fig, max(220, 34 * len(df) + 60))


# ---------------------------------------------------------------- events


def events_per_year_figure(groups: pd.DataFrame) -> go.Figure:
    """Events per year, stacked by kind."""
    years = list(range(int(groups["year"].min()), int(groups["year"].max()) + 1))
    fig = go.Figure()
    for kind in EVENT_KINDS:
        counts = groups[groups["kind"] == kind]["year"].value_counts()
        if counts.empty:
            continue
        fig.add_trace(
            go.Bar(
                x=years,
                y=[int(counts.get(y, 0)) for y in years],
                name=kind,
                marker_color=KIND_COLOURS[kind],
                hovertemplate=f"{kind}: %{{y}} in %{{x}}<extra></extra>",
            )
        )
    fig.update_layout(barmode="stack")
    fig.update_xaxes(dtick=1, tickformat="d")
    fig.update_yaxes(title_text="events", tickformat="d")
    layout(fig, 320)
    fig.update_layout(showlegend=True, legend=dict(orientation="h", y=-0.18))
    return fig


def event_timeline_figure(groups: pd.DataFrame) -> go.Figure:
    """Each event at its month (mid-year, hollow, where only the year is printed); planned ones as crosses."""
    g = groups.assign(when=groups["year"] + (groups["month"].fillna(6.5) - 0.5) / 12)
    fig = go.Figure()
    for kind in EVENT_KINDS:
        rows = g[g["kind"] == kind]
        if rows.empty:
            continue
        symbols = [
            "x" if s == "planned" else ("circle-open" if pd.isna(m) else "circle")
            for s, m in zip(rows["status"], rows["month"], strict=False)
        ]
        fig.add_trace(
            go.Scatter(
                x=list(rows["when"]),
                y=[kind] * len(rows),
                mode="markers",
                name=kind,
                marker=dict(
                    size=15, color=KIND_COLOURS[kind], symbol=symbols, line=dict(width=2, color=KIND_COLOURS[kind])
                ),
                customdata=[
                    h(f"{t} · {d} · {p}") for t, d, p in zip(rows["title"], rows["date"], rows["places"], strict=False)
                ],
                hovertemplate="%{customdata}<extra></extra>",
            )
        )
    fig.update_xaxes(dtick=1, tickformat="d", showgrid=True, gridcolor="#E4E7EB")
    fig.update_yaxes(categoryorder="array", categoryarray=list(reversed(EVENT_KINDS)))
    return layout(fig, 300)


# ---------------------------------------------------------------- organisations


def directory(orgs: pd.DataFrame) -> pd.DataFrame:
    """Organisations with their directory groups (``;``-separated; one may be in two)."""

    def groups(r) -> str:
        lists = r["lists"]
        out = []
        if r["category"] == "eu_support":
            out.append("eu")
        elif "000 Table 2" in lists or "001 Table 3" in lists:
            out.append("cn")
        if r["category"] == "cluster_organisation" or "001 Table 1" in lists:
            out.append("cluster")
        return ";".join(out or ["other"])

    df = orgs.drop(columns="geometry", errors="ignore").copy()
    df["groups"] = [groups(r) for r in df.to_dict("records")]
    df["link"] = [r["website_normalised"] or r["website"] for r in df.to_dict("records")]
    return df


def filter_directory(df: pd.DataFrame, groups: list[str], sectors: list[str], text: str) -> pd.DataFrame:
    """The directory rows matching every given filter (empty filter: no restriction)."""
    mask = pd.Series(True, index=df.index)
    if groups:
        mask &= df["groups"].map(lambda g: bool(set(split(g)) & set(groups)))
    if sectors:
        mask &= df["sector"].map(lambda s: bool(set(split(s) or [CROSS_CUTTING]) & set(sectors)))
    needle = text.strip().lower()
    if needle:
        hay = df[["name", "abbreviation", "name_variants", "role", "city_en", "country", "sector_heading"]]
        mask &= hay.apply(lambda r: needle in " ".join(r).lower(), axis=1)
    return df[mask]


def directory_markdown(rows: pd.DataFrame, taxonomy: Taxonomy) -> str:
    """A list of organisations under sector headings, names linked to their websites."""
    lines = []
    rows = rows.assign(_sector=[split(s)[0] if split(s) else "" for s in rows["sector"]])
    order = {s: i for i, s in enumerate(["", *taxonomy.order])}
    for sector, part in sorted(rows.groupby("_sector"), key=lambda kv: order.get(kv[0], 99)):
        lines.append(f"**{md(taxonomy.label(sector) if sector else 'All sectors')}**\n")
        for r in part.sort_values("name").to_dict("records"):
            abbr = f" ({r['abbreviation']})" if r["abbreviation"] else ""
            where = ", ".join(x for x in (r["city_en"], r["country"]) if x)
            lines.append(
                f"- {md_link(r['name'] + abbr, r['link'])}"
                + (f" — {md(where)}" if where else "")
                + (f"  \n  {md(r['role'])}" if r["role"] else "")
            )
        lines.append("")
    return "\n".join(lines)


# ---------------------------------------------------------------- success stories


def _party(p: dict) -> str:
    name = p.get("name", "")
    printed = p.get("name_printed", "")
    where = ", ".join(x for x in (p.get("city") or p.get("city_en"), p.get("region"), p.get("country")) if x)
    extra = f" (printed: {printed})" if printed and " ".join(printed.split()) != name else ""
    return f"- {md(name)}{md(extra)}" + (f" — {md(where)}" if where else "")


def render_story(story: dict, taxonomy: Taxonomy) -> None:
    """A success story as a readable panel: who, what kind, why, what they did, what came of it."""
    with st.container(border=True):
        st.subheader(md(story["title"]), anchor=False)
        sector = story.get("sector_text", "")
        if story.get("sector") and taxonomy.label(story["sector"]) != sector:
            sector += f" ({taxonomy.label(story['sector'])})"  # the atlas's sector, where it has one
        st.markdown(
            f"**Type of cooperation:** {md(story.get('cooperation_type', ''))}  \n"
            f"**Sector:** {md(sector)}  \n"
            f"**When:** {md(story.get('years', ''))}"
        )
        for title, key in (("European partners", "eu_partners"), ("Chinese partners", "chinese_partners")):
            st.markdown(f"**{title}**\n\n" + "\n".join(_party(p) for p in story.get(key) or []))
        if story.get("objective"):
            st.markdown(f"**Objective.** {md(story['objective'])}")
        for title, key in (("Activities", "activities"), ("Outcomes", "outcomes")):
            items = story.get(key) or []
            if items:
                st.markdown(f"**{title}**\n\n" + "\n".join(f"- {md(x)}" for x in items))
        if story.get("policy_support"):
            st.caption("Policy support: " + md(story["policy_support"]))
        source_caption(story["source"])


# ---------------------------------------------------------------- built once per loaded Atlas


def cooperation_data(atlas) -> dict:
    """The page's tables: they depend only on the data, so every session shares one copy."""

    def build(a) -> dict:
        tax = a.taxonomy
        p = a.partnerships
        table = p.assign(
            sectors=[", ".join(tax.label(s) for s in split(c)) for c in p["sector"]],
            link=[safe_url(w) for w in p["website"]],
        )
        return {
            "groups": event_groups(a.events),
            "directory": directory(a.organisations),
            "partnership_table": table,
            "given": p[p["smes"].notna() | p["partners"].notna()],
        }

    return per_atlas(atlas, "cooperation_page", build)


def cooperation_figure(atlas, which: str) -> go.Figure:
    """One of the page's charts ("sector", "size", "projects", "per_year", "timeline"), built once per Atlas."""

    def build(a) -> go.Figure:
        tax, groups = a.taxonomy, cooperation_data(a)["groups"]
        return {
            "sector": lambda: sector_bar(tax, sector_counts(a.partnerships)),
            "size": lambda: partnership_size_figure(tax, a.partnerships),
            "projects": lambda: project_timeline_figure(tax, a.projects),
            "per_year": lambda: events_per_year_figure(groups),
            "timeline": lambda: event_timeline_figure(groups),
        }[which]()

    return per_atlas(atlas, f"cooperation_figure.{which}", build)
