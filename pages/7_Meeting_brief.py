"""Meeting brief: a short, cited brief on one province, city cluster, sector, cluster or zone,
as PDF and Markdown (with its map as PNG), for a policy officer preparing a meeting. Content,
map, PDF and Markdown: atlas/reports/; page pieces: components/brief_views.py.
"""

from __future__ import annotations

from datetime import date

import streamlit as st

from atlas.provinces import PROVINCE_NAMES_EN
from atlas.reports.meeting_brief import Prepared, prepare
from components import page_state
from components.brief_views import address, choose_scope, render_result
from components.data_access import get_atlas
from components.entry import from_app
from components.text import md

from_app()  # every run goes through app.py (components/entry.py)

atlas = get_atlas()

st.title("Meeting brief", anchor=False)
st.caption(
    "Pick what the meeting is about. One click prepares a two-page brief with a map, the key facts, the "
    "clusters and zones, the policies that apply, the EU-China cooperation there, organisations to contact "
    "and talking points — every line numbered to its source document. Download it as PDF, or as Markdown "
    "with its map as a PNG; the annex with the full lists is optional."
)

scope = choose_scope(atlas, PROVINCE_NAMES_EN)
page_state.write(address(scope))  # so the page can be bookmarked or shared for this scope

with_annex = st.checkbox(
    "Add the annex: the full lists (every cluster, zone, national policy and partner) and the documents' "
    "background texts, on pages after the two-page brief",
    key="brief_annex",
)
if scope is not None and st.button(f"Prepare the brief on {md(scope.name)}", type="primary", key="brief_prepare"):
    with st.status(f"Preparing the brief on {md(scope.name)}…", expanded=True) as status:
        result = prepare(atlas, scope, date.today(), progress=st.write, with_annex=with_annex)
        status.update(label=f"Brief ready in {result.seconds:.1f} s", state="complete", expanded=False)
    st.session_state["brief_result"] = result

result: Prepared | None = st.session_state.get("brief_result")
if scope is not None and result is not None and result.key == scope.key and result.with_annex == with_annex:
    render_result(result)
else:
    st.info(
        "Choose what the meeting is about above, then press the button: the brief (two pages) is ready "
        "in about a second.",
        icon=":material/description:",
    )
