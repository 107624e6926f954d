"""Compare two to five provinces or city clusters side by side, on one scale.

The tables come from atlas/compare.py (each place's facts computed once per loaded Atlas); this
page only draws them, each section in a tab that runs only when opened. The selection lives in the
URL (``?compare=province:440000,cc:cc_yrd``) so a comparison can be shared.
"""

from __future__ import annotations

import streamlit as st

from atlas import compare as C
from atlas.provenance import combined
from atlas.provinces import PROVINCE_NAMES_EN
from components import page_state
from components.compare_views import (
    category_colours,
    render_facets,
    render_item_lists,
    render_policy_matrix,
    render_summary,
)
from components.data_access import get_atlas
from components.entry import from_app
from components.url_state import map_link

from_app()  # every run goes through app.py (components/entry.py)

atlas = get_atlas()
tax = atlas.taxonomy
known = C.options(atlas, PROVINCE_NAMES_EN)

WIDGET, SAVED, NOTICE = "cmp_places", "_cmp_saved", "_cmp_notice"
if WIDGET not in st.session_state:  # first run of this page (or back from another page): the address decides
    values, note = page_state.read(C.url_params(known))
    in_address = C.URL_KEY in page_state.raw_params()
    st.session_state[WIDGET] = C.selection(values) if in_address else st.session_state.get(SAVED, [])
    st.session_state[NOTICE] = note

st.title("Compare provinces and city clusters", anchor=False)
page_state.show_notice(st.session_state.pop(NOTICE, None))
selected = st.multiselect(
    "Places to compare (two to five)",
    list(known),
    format_func=known.get,
    key=WIDGET,
    max_selections=C.MAX_PLACES,
    placeholder="Pick provinces or city clusters",
)
st.session_state[SAVED] = selected
page_state.write(C.to_url(selected))

if len(selected) < 2:
    st.info(
        "Pick at least two places to compare: provinces (e.g. Guangdong, Zhejiang) or city clusters "
        "(e.g. Yangtze River Delta). The choice is kept in the address, so the link can be shared."
    )
    if not selected:
        st.stop()

places = C.places(selected, known)
selection = (atlas, tuple(selected))  # what decides every table below
policies = C.policies_applying(atlas, places)
items = C.cooperation_items(atlas, places)
cluster_sources, zone_sources = C.place_sources(atlas, places, "cluster"), C.place_sources(atlas, places, "zone")

st.header("At a glance", anchor=False)
link_cols = st.columns(len(places))
for col, p in zip(link_cols, places, strict=False):
    with col:
        map_link(f"{p.label} on the map", **({"province": p.code} if p.kind == "province" else {"cc": p.code}))
summary = C.summary(atlas, places, policies, items)
for note in C.containment_notes(atlas, places):
    st.caption(note)
render_summary(summary, combined(cluster_sources + zone_sources + list(policies["source"]) + list(items["source"])))

SECTIONS = (
    "Top-100 industrial clusters by sector",
    "High-tech zones, parks and sector clusters",
    "EU-China cooperation activity",
    "Policies that apply",
)
TABS = ("Industrial clusters", "Zones and parks", "Cooperation", "Policies")
tabs = dict(zip(SECTIONS, st.tabs(list(TABS), key="cmp_view", on_change="rerun"), strict=False))

with tabs[SECTIONS[0]]:
    if tabs[SECTIONS[0]].open:
        render_facets(
            SECTIONS[0],
            C.clusters_by_sector(atlas, places),
            "sector",
            tax.colours,
            "How to read this: one column per place, one bar per sector (colours as on the map), all on the same "
            "scale. Counts are clusters of the 2010 top-100 list whose point lies in the place.",
            combined(cluster_sources),
            "sectors",
            selection,
        )
with tabs[SECTIONS[1]]:
    if tabs[SECTIONS[1]].open:
        render_facets(
            SECTIONS[1],
            C.zones_by_kind(atlas, places),
            "kind",
            category_colours(list(C.ZONE_KIND_ORDER)),
            "How to read this: zones the documents single out, by kind, counted where their point lies; "
            "same scale in every column.",
            combined(zone_sources),
            "zones",
            selection,
        )
        with st.expander("Which zones", key="cmp_zone_list", on_change="rerun") as box:
            if box.open:
                st.dataframe(C.zone_list(atlas, places).drop(columns="source"), hide_index=True, width="stretch")
with tabs[SECTIONS[2]]:
    if tabs[SECTIONS[2]].open:
        render_facets(
            SECTIONS[2],
            C.cooperation_counts(items, places),
            "measure",
            category_colours(list(C.MEASURES)),
            "How to read this: events (one per event, however many cities it visited) and organisations located "
            "in the place; ESCP-4i partnerships and R&I projects that share a sector with its clusters or zones. "
            "Same scale in every column.",
            C.sources(items),
            "coop",
            selection,
        )
        render_item_lists(items, [p.label for p in places], C.MEASURES)
with tabs[SECTIONS[3]]:
    if tabs[SECTIONS[3]].open:
        render_facets(
            SECTIONS[3],
            C.policy_reasons(policies, places),
            "reason",
            category_colours(list(C.REASON_ORDER)),
            "How to read this: policies counted by why they apply — the most specific reason wins (a zone, city, "
            "province or city cluster named by the policy), then national policies for the place's sectors and the "
            "national framework.",
            C.sources(policies),
            "policies",
            selection,
        )
        render_policy_matrix(C.policy_matrix(policies, places), C.sources(policies))
