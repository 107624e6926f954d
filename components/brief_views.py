"""The meeting brief on the page: choose a scope, show progress, offer the files.

The brief itself (content, PDF, Markdown, map) is made in atlas/reports/; this module only
draws the Streamlit pieces around it.
"""

from __future__ import annotations

import streamlit as st

from atlas.figures import with_as_of
from atlas.load import Atlas
from atlas.page_params import Param
from atlas.reports.content import SCOPE_KINDS, Scope, map_filters, scope_options
from atlas.reports.markdown import MAP_SOURCE, brief_markdown, legend_line
from atlas.reports.meeting_brief import Prepared
from atlas.reports.pdf import find_fonts
from components import page_state
from components.text import md
from components.url_state import map_link

KIND, NOTICE = "brief_kind", "_brief_notice"
# The brief's counts shown as metrics (keys of Brief.counts), each labelled with its year (Brief.as_of).
BRIEF_METRICS = {
    "clusters": "Industrial clusters",
    "zones": "Zones and parks",
    "own_policies": "Policies of its own",
    "events_here": "EU-China events here",
}


def scope_param(options: dict[str, list[Scope]]) -> Param:
    """The page's one address parameter, ``?scope=province:440000`` (declared once)."""
    keys = frozenset(s.key for group in options.values() for s in group)
    return Param("scope", "choice", "scope", keys, hint="no such province, city cluster, sector, cluster or zone")


def address(scope: Scope | None) -> dict[str, str]:
    """The page's address for a scope (``scope_param`` reads it back as the same scope)."""
    return {"scope": scope.key} if scope else {}


def _read_address(options: dict[str, list[Scope]]) -> None:
    """On the page's first run the address presets the widgets; an unknown scope presets nothing
    (the page asks, rather than guessing another place) and is named in the notice."""
    values, note = page_state.read([scope_param(options)])
    st.session_state[NOTICE] = note
    preset = values.get("scope")
    if preset:
        kind = preset.partition(":")[0]
        st.session_state[KIND] = kind
        st.session_state[f"brief_scope_{kind}"] = preset


def _forget_notice() -> None:
    """The user chose: the notice about the address that opened the page no longer applies."""
    st.session_state[NOTICE] = None


def choose_scope(atlas: Atlas, province_names: dict[str, str]) -> Scope | None:
    """What the brief is about: first the kind, then the item (None until one is chosen)."""
    options = scope_options(atlas, province_names)
    if KIND not in st.session_state:
        _read_address(options)
    page_state.show_notice(st.session_state.get(NOTICE))
    kinds = list(SCOPE_KINDS)
    kind = st.radio(
        "Brief about", kinds, format_func=SCOPE_KINDS.get, horizontal=True, key=KIND, on_change=_forget_notice
    )
    counts = atlas.clusters["adcode"].str[:2].value_counts()
    by_key = {s.key: s for s in options[kind]}

    def label(key: str) -> str:
        s = by_key[key]
        extra = f" ({counts.get(s.ident[:2], 0)} top-100 clusters)" if s.kind == "province" else ""
        return " · ".join(x for x in (s.name, s.name_zh) if x) + extra

    what = SCOPE_KINDS[kind].lower()
    key = st.selectbox(
        SCOPE_KINDS[kind],
        list(by_key),
        index=None,
        format_func=label,
        key=f"brief_scope_{kind}",
        placeholder=f"Choose {'an' if what[0] in 'aeiou' else 'a'} {what}",
        on_change=_forget_notice,
    )
    return by_key.get(key)


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
            cols = st.columns(2)
            for i, (key, label) in enumerate(BRIEF_METRICS.items()):
                shown = with_as_of(label, b.as_of.get(key, ""))
                cols[i % 2].metric(shown, f"{b.counts[key]:,}", help=shown)
            st.caption(
                "How to read: what the brief lists for this scope, counted from the atlas datasets; in brackets "
                "the year of the list or the dates of the documents the records come from. "
                "Source: the numbered sources at the end of the brief."
            )
    if b.empty:
        return
    with st.expander("Preview the brief's text", expanded=False):
        st.markdown(brief_markdown(b, with_annex=p.with_annex))
