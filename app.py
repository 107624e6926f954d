"""China Cluster Atlas: the entry point. Run ``bash scripts/run.sh``.

Pages are declared here (``st.navigation``) and live in pages/; data services in atlas/,
geometry in geo/, Streamlit pieces in components/. Every page starts with
``components.entry.from_app()``, so every run goes through ``main()`` here, also when Streamlit's
legacy discovery of pages/ runs a page file itself (components/entry.py says when).
"""

from __future__ import annotations

import streamlit as st

from components.entry import app_running_page

TOUR = st.Page("pages/8_Presenter_tour.py", title="Presenter tour", icon="🎤", url_path="Presenter_tour")
PAGES = [
    st.Page("pages/map_explorer.py", title="Map explorer", icon="🗺️", default=True),
    st.Page("pages/1_Sectors.py", title="Sectors", icon="🏭", url_path="Sectors"),
    st.Page("pages/2_Policies.py", title="Policies", icon="📜", url_path="Policies"),
    st.Page("pages/3_Cooperation.py", title="Cooperation", icon="🤝", url_path="Cooperation"),
    st.Page("pages/4_Compare.py", title="Compare", icon="⚖️", url_path="Compare"),
    st.Page("pages/5_Data.py", title="Data", icon="📚", url_path="Data"),
    st.Page("pages/6_Partner_finder.py", title="Partner finder", icon="🔎", url_path="Partner_finder"),
    st.Page("pages/7_Meeting_brief.py", title="Meeting brief", icon="📄", url_path="Meeting_brief"),
    TOUR,
    st.Page("pages/9_My_places.py", title="My places", icon="📍", url_path="My_places"),
    st.Page("pages/sources.py", title="Sources", icon="📖", url_path="sources"),
]


def main() -> None:
    """One run: the page the address names, inside the app's navigation and page config."""
    page = st.navigation(PAGES)
    # Once for the app; the browser tab shows the page's title. The tour opens with the sidebar
    # folded away: a projector needs the width.
    st.set_page_config(layout="wide", initial_sidebar_state="collapsed" if page.url_path == TOUR.url_path else "auto")
    with app_running_page():
        page.run()


if __name__ == "__main__":  # Streamlit runs this file as __main__; pages call main() via components/entry.py
    main()
