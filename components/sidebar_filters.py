"""Sidebar filters and search of the map explorer; every change goes into the URL view.

Sectors, priority sectors and layers are pills (one click each, all visible: quick on a
projector, and light for the browser to draw); provinces and city clusters, too many for pills,
are multiselects."""

from __future__ import annotations

import streamlit as st

from atlas import kinds
from atlas.filters import filter_key
from atlas.load import Atlas
from atlas.provinces import PROVINCE_NAMES_EN
from atlas.search import MAX_RESULTS, search
from atlas.state import ViewState
from components import explorer_session as session


def render_filters(atlas: Atlas, view: ViewState) -> None:
    """Draw the sidebar; widget callbacks update the view before the next run."""
    tax = atlas.taxonomy
    sb = st.sidebar
    sb.header("Filters")
    sb.text_input(
        "Search",
        key="f_q",
        on_change=session.widget_changed,
        args=("q",),
        placeholder="e.g. Huadu, 花都, huadu, photovoltaic",
        help="Clusters, zones, city clusters, cities and organisations by English name, "
        "pinyin or Chinese characters. Narrows the map to what it finds.",
    )
    if view.q.strip():
        _search_results(atlas, view.q)
    sb.pills(
        "Sector",
        tax.order,
        format_func=tax.label,
        selection_mode="multi",
        key="f_sectors",
        on_change=session.widget_changed,
        args=("sectors",),
        help="None chosen: all sectors.",
    )
    sb.pills(
        "Priority sector",
        list(tax.priority.index),
        format_func=tax.priority_label,
        selection_mode="multi",
        key="f_priority",
        on_change=session.widget_changed,
        args=("priority",),
        help="The EU-China priority sectors; none chosen: any.",
    )
    sb.multiselect(
        "Province",
        sorted(PROVINCE_NAMES_EN, key=PROVINCE_NAMES_EN.get),
        format_func=PROVINCE_NAMES_EN.get,
        key="f_provinces",
        on_change=session.widget_changed,
        args=("provinces",),
        placeholder="All provinces",
    )
    names = atlas.city_cluster_names
    sb.multiselect(
        "City cluster",
        list(names),
        format_func=names.get,
        key="f_cc",
        on_change=session.widget_changed,
        args=("city_clusters",),
        placeholder="All city clusters",
    )
    sb.header("Layers")
    sb.pills(
        "Layers",
        kinds.layer_codes(),
        format_func=kinds.layer_labels().get,
        selection_mode="multi",
        key="f_layers",
        on_change=session.widget_changed,
        args=("layers",),
        label_visibility="collapsed",
    )
    sb.segmented_control(
        "Basemap",
        ["outline", "tiles"],
        required=True,
        format_func={"outline": "Offline outline", "tiles": "Light tiles"}.get,
        key="f_basemap",
        on_change=session.widget_changed,
        args=("basemap",),
        help="The outline always works; tiles need internet (the outline stays on top).",
    )
    if any(filter_key(view)):
        sb.button("Clear filters", on_click=session.clear_filters)


SHOWN_HITS = 8  # search matches listed at once; the rest one click away


def _hit_button(hit, where, prefix: str = "hit") -> None:
    where.button(
        hit.label,
        key=f"{prefix}_{hit.key}",
        help=hit.kind,
        on_click=session.select,
        args=(hit.key,),
        use_container_width=True,
    )


def _search_results(atlas: Atlas, query: str) -> None:
    """The best matches as buttons, how many there are, and the rest in an expander (search()
    ranks them; the list below the map shows everything the map then holds)."""
    hits = search(atlas, query, limit=10_000)
    if not hits:
        st.sidebar.caption("Nothing found. Try an English name, pinyin or Chinese characters.")
        return
    n = len(hits)
    shown = hits[:SHOWN_HITS]
    st.sidebar.caption(
        f"{n} match{'es' if n > 1 else ''}"
        + (f", the {len(shown)} best first" if n > len(shown) else "")
        + " — click to open"
    )
    for hit in shown:
        _hit_button(hit, st.sidebar)
    if n > len(shown):
        with st.sidebar.expander(f"{n - len(shown)} more matches") as more:
            for hit in hits[len(shown) : MAX_RESULTS * 4]:
                _hit_button(hit, more, "hit_more")
            if n > MAX_RESULTS * 4:
                st.caption(f"… and {n - MAX_RESULTS * 4} more: type more words, or use the list below the map.")
