"""Charts and cards of the Sectors page, plus the map links and source lines both tool pages use.

Figure builders are plain functions (taxonomy + data in, plotly figure out) so tests can check them.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from atlas.cache import per_atlas
from atlas.figures import TABLE4_AS_OF, document_as_of, records_as_of, with_as_of
from atlas.labels import with_period
from atlas.load import Atlas
from atlas.policy_tables import KIND_LABEL, LEVEL_LABEL
from atlas.provenance import summary
from atlas.provinces import PROVINCE_NAMES_EN
from atlas.sector_stats import (
    clusters_by_province,
    clusters_by_sector,
    figure_differences,
    grouped_hierarchy,
    priority_overview,
    priority_sectors,
    programme_matches,
)
from atlas.taxonomy import Taxonomy
from components.charts import layout, sector_bar
from components.downloads import download_rows
from components.text import cite, md, md_link, source_md
from components.url_state import map_link

ROW_LINKS = 4  # up to this many map links stand in a row; more get a picker
PROVINCE_NODE = "#E4E7EB"
PROVINCE_ROW_PX = 30  # one province label per row at the atlas's 14 px tick font, none skipped
TILE_TEXT_MIN = 12  # treemap text smaller than this is hidden (the tile is grouped or hovered), never shrunk


# --- what the page computes from the data alone: once per loaded Atlas, for every session ------


def sectors_data(atlas: Atlas) -> dict:
    """The Sectors page's tables (they depend only on the data, so every session shares them)."""

    def build(a: Atlas) -> dict:
        by_sector, by_province = clusters_by_sector(a), clusters_by_province(a)
        return {
            "by_sector": by_sector,
            "by_sector_table": pd.DataFrame(
                {
                    "sector": list(by_sector),
                    "label": [a.taxonomy.label(s) for s in by_sector],
                    "clusters": list(by_sector.values()),
                }
            ),
            "by_province": by_province,
            "provinces": by_province["province"].nunique(),
            "in_priority": int((a.clusters["priority_sector"] != "").sum()),
            "source_summary": summary(a.clusters["source"]),
            "source_line": cite(a.clusters["source"]),
            "hierarchy": grouped_hierarchy(a),
            "priorities": {pid: priority_overview(a, pid) for pid in priority_sectors(a)},
            "mic2025": programme_matches(a, a.mic2025.sort_values("order", key=lambda s: s.astype(int))),
            "sei": programme_matches(a, a.strategic_emerging),
        }

    return per_atlas(atlas, "sectors_page", build)


def sectors_figure(atlas: Atlas, which: str) -> go.Figure:
    """One of the page's figures, built once per Atlas ("sector", "province", "treemap", "sunburst").
    Shared read-only: st.plotly_chart copies a figure (to_dict) before sending it."""

    def build(a: Atlas) -> go.Figure:
        d, tax = sectors_data(a), a.taxonomy
        if which == "sector":
            by_sector = d["by_sector"]
            fig = readable(sector_bar(tax, by_sector, height=460))
            return fig.update_xaxes(range=[0, max(by_sector.values()) * 1.15])  # room for the count
        if which == "province":
            return province_stack(tax, d["by_province"])
        return hierarchy_figure(tax, d["hierarchy"], which)

    return per_atlas(atlas, f"sectors_figure.{which}", build)


# --- shared pieces (also used by the Policies page) ----------------------------------------


def map_links(items: list[tuple[str, dict[str, str]]], key: str, prompt: str = "Open on the map") -> None:
    """Links that open the map filtered to each item: a row for a few, a picker and one link for many."""
    if len(items) <= ROW_LINKS:
        with st.container(horizontal=True, gap="medium"):
            for label, params in items:
                map_link(label, **params)
        return
    labels = [label for label, _ in items]
    i = st.selectbox(prompt, range(len(items)), format_func=labels.__getitem__, key=key)
    map_link(f"Open the map: {labels[i]}", **items[i][1])


def readable(fig: go.Figure) -> go.Figure:
    """Axis labels sized for a projector and never clipped (charts are drawn with theme=None, so the
    atlas fonts apply rather than Streamlit's smaller grey ones)."""
    fig.update_xaxes(automargin=True, tickfont=dict(size=14))
    fig.update_yaxes(automargin=True, tickfont=dict(size=14))
    return fig


def province_label(code: str, printed: str) -> str:
    return PROVINCE_NAMES_EN.get(code, printed)


# --- figures ---------------------------------------------------------------------------------


def province_stack(taxonomy: Taxonomy, by_province: pd.DataFrame, height: int | None = None) -> go.Figure:
    """Horizontal bars, one per province (most clusters on top), stacked by sector in the taxonomy's
    order and colours; the printed Table 4 count stands at the end of each bar. Every province is
    labelled: one tick per category and a row tall enough for its label (plotly would otherwise
    skip every other label when rows are tight)."""
    provinces = list(dict.fromkeys(by_province["province"]))
    codes = dict(zip(by_province["province"], by_province["province_code"], strict=False))
    names = [province_label(codes[p], p) for p in provinces]
    fig = go.Figure()
    for sector in taxonomy.order:
        rows = by_province[by_province["sector"] == sector].set_index("province")["clusters"]
        if rows.empty:
            continue
        fig.add_bar(
            x=[int(rows.get(p, 0)) for p in provinces],
            y=names,
            orientation="h",
            name=taxonomy.label(sector),
            marker_color=taxonomy.colour(sector),
            customdata=[sector] * len(provinces),
            hovertemplate="%{y} · " + taxonomy.label(sector).replace("%", "%%") + ": %{x}<extra></extra>",
        )
    totals = by_province.drop_duplicates("province").set_index("province")["province_count_printed"]
    fig.add_scatter(
        x=[int(totals[p]) for p in provinces],
        y=names,
        mode="text",
        showlegend=False,
        text=[f" {int(totals[p])}" for p in provinces],
        textposition="middle right",
        hoverinfo="skip",
        name="Table 4 count",
    )
    fig.update_layout(barmode="stack")
    fig.update_yaxes(autorange="reversed", tickmode="array", tickvals=names, ticktext=names)
    fig.update_xaxes(title="Industrial clusters (Table 4, 2010)", range=[0, max(totals) * 1.12])
    layout(fig, height or PROVINCE_ROW_PX * len(names) + 230)
    fig.update_layout(
        showlegend=True,
        margin=dict(l=10, r=10, t=10, b=150),
        legend=dict(orientation="h", yref="container", y=0, yanchor="bottom", font=dict(size=13), traceorder="normal"),
    )
    return readable(fig)


def hierarchy_figure(taxonomy: Taxonomy, nodes: pd.DataFrame, kind: str = "treemap", height: int = 620) -> go.Figure:
    """Province -> sector -> industry as a treemap or sunburst; sector and industry tiles in the sector's colour.
    Text that would be shrunk below TILE_TEXT_MIN is hidden instead (hover or click the tile to read it);
    provinces with few clusters are grouped by grouped_hierarchy so their tiles are not slivers."""
    colours = [taxonomy.colour(s) if s else PROVINCE_NODE for s in nodes["sector"]]
    trace = go.Treemap if kind == "treemap" else go.Sunburst
    extra = (
        dict(tiling=dict(pad=2), pathbar=dict(visible=True))
        if kind == "treemap"
        else dict(insidetextorientation="radial")
    )
    fig = go.Figure(
        trace(
            ids=nodes["id"],
            labels=nodes["label"],
            parents=nodes["parent"],
            values=nodes["value"],
            branchvalues="total",
            marker=dict(colors=colours),
            textinfo="label+value",
            hovertemplate=f"%{{label}}: %{{value}} cluster(s) ({TABLE4_AS_OF})<extra></extra>",
            maxdepth=2,
            **extra,
        )
    )
    layout(fig, height)
    return fig.update_layout(uniformtext=dict(minsize=TILE_TEXT_MIN, mode="hide"))


def clicked_sector(event, sectors: list[str]) -> str | None:
    """The sector of a clicked bar in st.plotly_chart's selection event (None if nothing usable)."""
    try:
        points = event["selection"]["points"]
    except (KeyError, TypeError):
        return None
    for p in points or []:
        s = p.get("customdata")
        s = s[0] if isinstance(s, (list, tuple)) else s
        if s in sectors:
            return s
        i = p.get("point_index", p.get("point_number"))
        if isinstance(i, int) and 0 <= i < len(sectors) and p.get("curve_number", 0) == 0:
            return sectors[i]
    return None


# --- priority-sector cards -----------------------------------------------------------------

FIGURE_COLUMNS = {
    "metric": "Metric",
    "value_text": "Figure as printed",
    "as_of": "Year (or document)",
    "document": "Document",
    "other_version": "The other briefing version says",
    "value_text_corrected": "Corrected reading",
    "note": "Note",
    "source": "Source",
}


def figure_line(r: dict) -> str:
    """'28 million units (2018) · 2019 briefing (000)': the figure with its year, then the briefing it
    comes from unless its year label already is that document's date."""
    shown = with_as_of(r["value_text"], r["as_of"])
    return shown if r["as_of"] == document_as_of(r["source"]) else f"{shown} · {r['document']}"


def counted(label: str, n: int, sources, searched=()) -> str:
    """A card's count with the dates of the documents its records come from: 'Zones and parks
    (2019 and earlier briefings): 9'."""
    return f"{with_as_of(label, records_as_of(sources, searched))}: {n}"


def card_text(atlas: Atlas, o: dict) -> dict:
    """Everything a priority card writes that depends only on the data (its markdown, captions, map
    links and source lines), worked out once per Atlas: a run of the page only puts it on screen."""
    return per_atlas(atlas, f"sector_card.{o['id']}", lambda a: _card_text(a, o))


def _card_text(atlas: Atlas, o: dict) -> dict:
    tax = atlas.taxonomy
    figs, clusters, zones, coop = o["figures"], o["clusters"], o["zones"], o["cooperation"]
    diffs = figure_differences(figs)
    diff_md = "\n".join(
        f"- **{md(d['metric'])}**: "
        + " · ".join(
            f"{md(v['document'])}: {md(v['value_text'])}"
            + (f" \\[read: {md(v['corrected'])}\\]" if v["corrected"] else "")
            + f" ({md(v['as_of'])})"
            for v in d["versions"]
        )
        for d in diffs
    )
    sector_names = ", ".join(tax.label(s) for s in o["sectors"])
    cluster_rows, zone_rows = clusters.to_dict("records"), zones.to_dict("records")
    coop_rows = [r for v in coop.values() for r in v]
    events = "\n".join(
        f"- {md(e['when'])} · {md(e['name'])}"
        + (f" — {md(e['where'])}" if e["where"] else "")
        + (" (planned)" if e["status"] == "planned" else "")
        for e in coop["events"]
    )
    return {
        "colour": tax.colour(o["sectors"][0]) if o["sectors"] else "#1F2933",
        "caption": f"Briefing priority sector; our sector(s): {md(', '.join(tax.label(s) for s in o['sectors']))}. "
        f"Source: {source_md(o['source'])}",
        "metrics": card_metrics(atlas, o),
        # key figures
        "figures_title": f"**{md(counted('Key figures', len(figs), figs['source']))}**",
        "differences": diff_md,
        "figure_lines": "\n".join(f"- **{md(r['metric'])}**: {md(figure_line(r))}" for r in figs.to_dict("records")),
        "figures_source": cite(figs["source"]),
        "figures_summary": summary(figs["source"]),
        # places
        "clusters_title": f"**Top-100 clusters ({TABLE4_AS_OF}) flagged for this priority: {len(clusters)}**",
        "clusters_md": "\n".join(f"- {md(r['industry'])} — {md(r['name_en'])}" for r in cluster_rows)
        or "None in Table 4.",
        "clusters_caption": f"{len(clusters)} of the {o['sector_clusters']} clusters ({TABLE4_AS_OF}) in "
        f"{md(sector_names)} carry the priority flag (data/industry_sectors.csv says why each industry is or "
        "is not flagged).",
        "zones_title": f"**{md(counted('Zones and parks', len(zones), zones['source'], atlas.zones['source']))}**",
        "zones_md": " · ".join(f"{md(r['name_en'])} ({md(r['city_en'] or r['province_en'])})" for r in zone_rows)
        or "None named in the documents.",
        "places_source": cite(list(clusters["source"]) + list(zones["source"])),
        "sector_links": [(f"All of {o['label']} on the map", {"priority": o["id"]})]
        + [(f"Sector: {tax.label(s)}", {"sector": s}) for s in o["sectors"]],
        "place_links": [(f"{r['industry']} · {r['name_en']}", {"sel": f"ic:{r['id']}"}) for r in cluster_rows]
        + [(r["name_en"], {"sel": f"z:{r['id']}"}) for r in zone_rows],
        # policies and cooperation
        "policies_title": counted("Policies for this sector", len(o["policies"]), (p["source"] for p in o["policies"])),
        "policies_md": "\n".join(
            f"- **{md(with_period(p['name'], p['years']))}**"
            + f" · {md(LEVEL_LABEL.get(p['level'], p['level']))} {md(KIND_LABEL.get(p['kind'], p['kind']).lower())}"
            for p in o["policies"]
        )
        or "None named.",
        "policies_source": cite(p["source"] for p in o["policies"]),
        "coop_title": counted("EU-China cooperation in this sector", len(coop_rows), (r["source"] for r in coop_rows)),
        "coop_count": len(coop_rows),
        "partnerships_md": "\n".join(f"- {md_link(p['name'], p['website'])}" for p in coop["partnerships"]),
        "projects_md": "\n".join(
            f"- {md_link(with_period(p['name'], p['years']), p['website'])}" for p in coop["projects"]
        ),
        "events_md": events,
        "coop_source": cite(r["source"] for r in coop_rows),
    }


FIGURES_HOW_TO_READ = (
    "How to read this: each figure exactly as printed, with its year (reference, forecast or target "
    "year; the document's date where it gives no year) and the briefing it comes from; a figure the "
    "other version prints differently sits right below it. "
    "Corrected readings and doubts are in the last columns."
)


def _figures(o: dict, text: dict) -> None:
    figs = o["figures"]
    st.markdown(text["figures_title"])
    if text["differences"]:
        st.markdown("Where the two briefing versions print different figures, both are shown:")
        st.markdown(text["differences"])
    st.markdown(text["figure_lines"])
    with st.expander(
        "All key figures as a table, with corrections and notes", key=f"figtable_{o['id']}", on_change="rerun"
    ) as box:
        if box.open:  # the interactive grid loads only when asked for
            table = figs[list(FIGURE_COLUMNS)].rename(columns=FIGURE_COLUMNS)
            st.dataframe(
                table,
                hide_index=True,
                height=320,
                column_config={
                    "Metric": st.column_config.TextColumn(width="medium"),
                    "Figure as printed": st.column_config.TextColumn(width="medium"),
                },
            )
    st.caption(FIGURES_HOW_TO_READ)
    st.caption(text["figures_source"])
    download_rows(figs, f"key figures {o['label']}", text["figures_summary"], key=f"dl_fig_{o['id']}")


def _places(text: dict) -> None:
    st.markdown(text["clusters_title"])
    st.markdown(text["clusters_md"])
    st.caption(text["clusters_caption"])
    st.markdown(text["zones_title"])
    st.markdown(text["zones_md"])
    st.caption(text["places_source"])


def _place_links(o: dict, text: dict) -> None:
    map_links(text["sector_links"], key=f"ml_{o['id']}")
    if text["place_links"]:
        map_links(text["place_links"], key=f"pick_{o['id']}", prompt="Open one cluster or zone on the map")


def _policies_and_cooperation(text: dict) -> None:
    left, right = st.columns(2, gap="large")
    with left.expander(text["policies_title"]):
        st.markdown(text["policies_md"])
        st.caption(
            "Policies whose scope names this priority sector or its sectors (data/policies.yaml, "
            "applies_to). The Policies page has each one's factsheet."
        )
        st.caption(text["policies_source"])
    with right.expander(text["coop_title"]):
        if text["partnerships_md"]:
            st.markdown("**ESCP-4i partnerships**")
            st.markdown(text["partnerships_md"])
        if text["projects_md"]:
            st.markdown("**Research and innovation projects**")
            st.markdown(text["projects_md"])
        if text["events_md"]:
            st.markdown("**Missions, matchmaking, fairs and dialogues**")
            st.markdown(text["events_md"])
        if not text["coop_count"]:
            st.write("The documents record no cooperation in this sector.")
        st.caption(
            "Partnerships, projects and events whose sector or priority sector matches; an event "
            "with several stops counts once."
        )
        st.caption(text["coop_source"])


def card_metrics(atlas: Atlas, o: dict) -> list[tuple[str, int]]:
    """The card's headline counts, each label with the year of the list or the dates of the documents."""
    coop = [r for v in o["cooperation"].values() for r in v]
    rows = (
        ("Key figures", len(o["figures"]), records_as_of(o["figures"]["source"])),
        ("Flagged clusters", len(o["clusters"]), TABLE4_AS_OF),
        ("Zones and parks", len(o["zones"]), records_as_of(o["zones"]["source"], atlas.zones["source"])),
        ("Policies", len(o["policies"]), records_as_of(p["source"] for p in o["policies"])),
        ("Partnerships, projects, events", len(coop), records_as_of(r["source"] for r in coop)),
    )
    return [(with_as_of(label, as_of), n) for label, n, as_of in rows]


def render_priority_card(atlas: Atlas, o: dict) -> None:
    """One priority sector: figures as printed, where it is (clusters, zones), its policies and cooperation."""
    text = card_text(atlas, o)
    with st.container(border=True):
        st.markdown(
            f'<div style="height:6px;background:{text["colour"]};border-radius:3px"></div>', unsafe_allow_html=True
        )
        st.subheader(md(o["label"]), anchor=False)
        st.caption(text["caption"])
        for col, (label, value) in zip(st.columns(5), text["metrics"], strict=False):
            col.metric(label, value, help=label)
        left, right = st.columns(2, gap="large")
        with left:
            _figures(o, text)
        with right:
            _places(text)
            _place_links(o, text)
        _policies_and_cooperation(text)


# --- national sector lists -------------------------------------------------------------------


def programme_text(df: pd.DataFrame) -> dict:
    """What a national sector list writes (its lines, map links and source line), from its table."""
    rows = df.to_dict("records")
    return {
        "lines": "\n".join(
            f"- **{md(r['name'])}** → {md(r['sector_labels'])}: {r['clusters']} top-100 clusters ({TABLE4_AS_OF}), "
            f"{r['zones']} zones and parks" + (f" · briefing priority: {md(r['priority'])}" if r["priority"] else "")
            for r in rows
        ),
        "links": [(f"{r['name']} ({r['sector_labels']})", {"sector": ",".join(r["sectors"])}) for r in rows],
        "source": cite(df["source"]),
        "summary": summary(df["source"]),
        "rows": df.drop(columns=["sectors"]),
    }


PROGRAMME_COLUMNS = {
    "name": "Sector as printed",
    "sector_labels": "Our sector(s)",
    "priority": "Briefing priority",
    "clusters": f"Top-100 clusters ({TABLE4_AS_OF})",
    "zones": "Zones and parks",
    "cluster_names": "Which clusters",
    "zone_names": "Which zones",
    "note": "Mapping note",
}


def render_programme_table(atlas: Atlas, which: str, name: str) -> None:
    """A national sector list (``which``: a table of sectors_data) with the clusters and zones in each
    item's sectors, and map links; its text is worked out once per Atlas."""
    df = sectors_data(atlas)[which]
    text = per_atlas(atlas, f"programme_text.{which}", lambda a: programme_text(df))
    st.markdown(text["lines"])
    with st.expander(
        "The table, with which clusters and zones and the mapping notes", key=f"table_{which}", on_change="rerun"
    ) as box:
        if box.open:  # the interactive grid loads only when asked for
            st.dataframe(
                df.rename(columns=PROGRAMME_COLUMNS).drop(columns=["id", "sectors", "source"]),
                hide_index=True,
                column_config={
                    "Sector as printed": st.column_config.TextColumn(width="medium"),
                    "Which clusters": st.column_config.TextColumn(width="large"),
                },
            )
    map_links(text["links"], key=f"ml_{which}", prompt=f"Open the map filtered to one {name} sector")
    st.caption(text["source"])
    download_rows(text["rows"], name, text["summary"], key=f"dl_{which}")
