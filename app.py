"""China Cluster Atlas: the entry point. Run ``bash scripts/run.sh``.

Pages are declared here (``st.navigation``) and live in pages/; data services in atlas/,
geometry in geo/, Streamlit pieces in components/.
"""

from __future__ import annotations

import streamlit as st

st.set_page_config(page_title="China Cluster Atlas", layout="wide")

PAGES = [
    st.Page("pages/map_explorer.py", title="Map explorer", default=True),
    st.Page("pages/1_Sectors.py", title="Sectors", url_path="Sectors"),
    st.Page("pages/2_Policies.py", title="Policies", url_path="Policies"),
    st.Page("pages/3_Cooperation.py", title="Cooperation", url_path="Cooperation"),
    st.Page("pages/4_Compare.py", title="Compare", url_path="Compare"),
    st.Page("pages/5_Data.py", title="Data", url_path="Data"),
    st.Page("pages/6_Partner_finder.py", title="Partner finder", url_path="Partner_finder"),
    st.Page("pages/7_Meeting_brief.py", title="Meeting brief", url_path="Meeting_brief"),
    st.Page("pages/8_Presenter_tour.py", title="Presenter tour", url_path="Presenter_tour"),
    st.Page("pages/9_My_places.py", title="My places", url_path="My_places"),
]

st.navigation(PAGES).run()
