"""The meeting brief on the page: choose a scope, show progress, offer the files.

The brief itself (content, PDF, Markdown, map) is made in atlas/reports/; this module only
draws the Streamlit pieces around it.
"""

from __future__ import annotations

import streamlit as st

from atlas.load import Atlas
from atlas.reports.content import SCOPE_KINDS, Scope, map_filters, scope_options
from atlas.reports.markdown import MAP_SOURCE, brief_markdown, legend_line
from atlas.reports.meeting_brief import Prepared
from atlas.reports.pdf import find_fonts
from components.text import md
from components.url_state import map_link


def choose_scope(atlas: Atlas, province_names: dict[str, str], preset: str | None) -> Scope:
    """What the brief is about: first the kind, then the item (preset from ?scope=…)."""
    options = scope_options(atlas, province_names)
    kinds = list(SCOPE_KINDS)
    preset_kind = preset.partition(":")[0] if preset else ""
    if preset_kind in kinds and "brief_kind" not in st.session_state:
        st.session_state["brief_kind"] = preset_kind
    kind = st.radio("Brief about", kinds, format_func=SCOPE_KINDS.get, horizontal=True, key="brief_kind")
    counts = atlas.clusters["adcode"].str[:2].value_counts()

    def label(s: Scope) -> str:
        extra = f" ({counts.get(s.ident[:2], 0)} top-100 clusters)" if s.kind == "province" else ""
        return " · ".join(x for x in (s.name, s.name_zh) if x) + extra

    choices = options[kind]
    keys = [s.key for s in choices]
    index = keys.index(preset) if preset in keys else 0
    return st.selectbox(SCOPE_KINDS[kind], choices, index=index, format_func=label, key=f"brief_scope_{kind}")


def render_result(p: Prepared) -> None:
    """Downloads first (what the officer came for), then a preview of the same content."""
    b = p.brief
    stem = p.stem
    c1, c2, c3, c4 = st.columns(4)
    c1.download_button(
        "Download PDF",
        p.pdf,
        file_name=f"{stem}.pdf",
        mime="application/pdf",
        type="primary",
        width="stretch",
        on_click="ignore",
        key="dl_brief_pdf",
    )
    c2.download_button(
        "Download Markdown + map (zip)",
        p.zip,
        file_name=f"{stem}.zip",
        mime="application/zip",
        width="stretch",
        on_click="ignore",
        key="dl_brief_zip",
    )
    c3.download_button(
        "Download Markdown",
        p.markdown.encode("utf-8"),
        file_name=f"{stem}.md",
        mime="text/markdown",
        width="stretch",
        on_click="ignore",
        key="dl_brief_md",
    )
    c4.download_button(
        "Download map (PNG)",
        p.png,
        file_name=f"{stem}.png",
        mime="image/png",
        width="stretch",
        on_click="ignore",
        key="dl_brief_png",
    )
    st.caption(
        f"PDF {len(p.pdf) / 1024:,.0f} KB · Markdown {len(p.markdown.encode()) / 1024:,.0f} KB "
        f"(its map is the PNG beside it: {len(p.png) / 1024:,.0f} KB) · prepared in {p.seconds:.1f} s"
    )
    map_link(f"Open {b.scope.name} on the interactive map", **map_filters(b.scope))
    if not find_fonts().cjk:
        st.caption(
            "No CJK font is installed on this server, so the PDF leaves Chinese names out; the Markdown keeps them."
        )
    st.subheader(md(b.title), anchor=False)
    map_col, text_col = st.columns([3, 2], gap="medium")
    with map_col:
        st.image(p.png, width="stretch", alt=f"Map of {b.scope.name}")
        st.caption(md(legend_line(b)) + " " + md(MAP_SOURCE))
    with text_col:
        st.markdown(md(b.summary))
        if not b.empty:
            figures = (
                ("Industrial clusters", b.counts["clusters"]),
                ("Zones and parks", b.counts["zones"]),
                ("Policies of its own", b.counts["own_policies"]),
                ("EU-China events here", b.counts["events_here"]),
            )
            cols = st.columns(2)
            for i, (label, n) in enumerate(figures):
                cols[i % 2].metric(label, f"{n:,}")
            st.caption(
                "How to read: what the brief lists for this scope, counted from the atlas datasets. "
                "Source: the numbered sources at the end of the brief."
            )
    if b.empty:
        return
    with st.expander("Preview the brief's text", expanded=False):
        st.markdown(brief_markdown(b))
