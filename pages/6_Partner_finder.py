"""Partner finder: Chinese clusters, zones, city clusters, EU instruments and organisations for a
sector, NACE codes or English keywords, each result with why it matched and its source.

Matching is the atlas/partners package (query, index, scoring, shortlist); the cards, the shortlist (kept in the URL) and its map are
components/partner_views.py. This page wires them together.
"""

from __future__ import annotations

import streamlit as st

from atlas.partners.query import build_query
from atlas.partners.scoring import find_partners
from components.data_access import get_atlas
from components.entry import from_app
from components.partner_views import (
    init_state,
    render_query,
    render_results,
    render_shortlist,
    show_finder_notice,
    write_finder_address,
)

from_app()  # every run goes through app.py (components/entry.py)

atlas = get_atlas()
init_state(atlas)

st.title("Partner finder", anchor=False)
st.write(
    "Which Chinese clusters, zones and city clusters fit your cluster, which EU instruments help, and "
    "whom to contact: choose sectors, type NACE codes (C29, 29.1, C27, C28) or English keywords "
    "(batteries, medical devices, solar). Add what looks promising to your shortlist."
)
with st.container():  # notices come and go; one slot keeps the map below from being remounted
    show_finder_notice()
text, sectors = render_query(atlas)
found = find_partners(atlas, build_query(atlas, text, sectors))

results_col, shortlist_col = st.columns([3, 2], gap="large")
with results_col:
    render_results(atlas, found)
with shortlist_col:
    render_shortlist(atlas)

write_finder_address()
