"""EU-China cluster cooperation: partnerships, R&I projects, events, success stories and whom to contact.

Everything here comes from data/cooperation/ (see data/README.md); the tables and figures are
built once per loaded Atlas in components/cooperation_views.py and the counts come from
atlas/counts.py. Each section is a tab that runs only when opened (the map only with the events).
"""

from __future__ import annotations

import streamlit as st

from atlas import counts
from atlas.figures import with_as_of
from atlas.filters import filter_atlas
from atlas.provenance import combined
from atlas.state import ViewState
from components import cooperation_views as V
from components.charts import PLOT_CONFIG
from components.data_access import get_atlas
from components.downloads import download_rows
from components.entry import from_app
from components.legend import DISCLAIMER
from components.map_view import render_map
from components.text import md, md_link, source_caption
from components.url_state import map_link

from_app()  # every run goes through app.py (components/entry.py)

atlas = get_atlas()
tax = atlas.taxonomy

partnerships, projects, events, orgs = atlas.partnerships, atlas.projects, atlas.events, atlas.organisations
data = V.cooperation_data(atlas)
groups = data["groups"]
total = counts.totals(atlas)

st.title("EU-China cluster cooperation", anchor=False)
st.write(
    "What European clusters have already done with China — partnerships, research projects, missions "
    "and matchmaking — and the organisations that help, as recorded in the ECCP documents."
)
m = st.columns(len(counts.LABELS))
as_of = counts.totals_as_of(atlas)
for col, (what, label) in zip(m, counts.LABELS.items(), strict=False):
    col.metric(
        with_as_of(label, as_of[what]),
        total[what],
        help=f"{counts.stops_of_events(events)}: a mission to three cities is one event" if what == "events" else None,
    )

SECTIONS = {
    "partnerships": "ESCP-4i partnerships targeting China",
    "projects": "EU-China research and innovation projects",
    "events": "Missions, matchmaking events and workshops",
    "stories": "Success stories",
    "directory": "Directory of organisations",
}
TAB_LABELS = {
    "partnerships": f"Partnerships ({total['partnerships']})",
    "projects": f"Projects ({total['projects']})",
    "events": f"Events and missions ({total['events']})",
    "stories": f"Success stories ({total['success_stories']})",
    "directory": f"Organisations ({total['organisations']})",
}
tabs = dict(zip(SECTIONS, st.tabs(list(TAB_LABELS.values()), key="coop_view", on_change="rerun"), strict=False))

# ---------------------------------------------------------------- partnerships
with tabs["partnerships"]:
    if tabs["partnerships"].open:
        st.header(SECTIONS["partnerships"], anchor=False)
        src = combined(partnerships["source"])
        left, right = st.columns(2, gap="large")
        with left:
            st.subheader("By sector", anchor=False)
            st.plotly_chart(
                V.cooperation_figure(atlas, "sector"), width="stretch", config=PLOT_CONFIG, key="fig_esp_sector"
            )
            st.caption(
                "How to read this: partnerships per sector (colours as on the map); a partnership "
                "working in two sectors counts in both."
            )
            source_caption(src)
        with right:
            given = data["given"]
            missing = partnerships.drop(given.index)
            st.subheader("SMEs and partners", anchor=False)
            st.plotly_chart(
                V.cooperation_figure(atlas, "size"), width="stretch", config=PLOT_CONFIG, key="fig_esp_size"
            )
            st.caption(
                f"How to read this: counts are given for {len(given)} of {len(partnerships)} partnerships "
                f"(those on the ECCP China country page). For the other {len(missing)} "
                f"({md(', '.join(missing['acronym']))}) the documents give no count — not zero."
            )
            source_caption(combined(given["source"]))
        with st.expander(f"All {len(partnerships)} partnerships as a table", key="esp_table", on_change="rerun") as box:
            if box.open:  # the interactive grid loads only when asked for
                table = data["partnership_table"]
                st.dataframe(
                    table[
                        ["acronym", "name", "sectors", "smes", "partners", "target_countries", "link", "description"]
                    ],
                    hide_index=True,
                    width="stretch",
                    column_config={
                        "link": st.column_config.LinkColumn("website"),
                        "smes": st.column_config.NumberColumn("SMEs", format="localized"),
                        "partners": st.column_config.NumberColumn("partners", format="localized"),
                    },
                )
                st.caption("How to read this: one row per partnership; an empty SME or partner cell means not given.")
        download_rows(partnerships, "ESCP-4i partnerships targeting China", src, key="dl_esp")

# ---------------------------------------------------------------- projects
with tabs["projects"]:
    if tabs["projects"].open:
        st.header(SECTIONS["projects"], anchor=False)
        src = combined(projects["source"])
        st.plotly_chart(V.cooperation_figure(atlas, "projects"), width="stretch", config=PLOT_CONFIG, key="fig_prj")
        st.caption(
            "How to read this: each bar runs from the start of a project's first year to the end of its "
            "last (as printed); colour = its (first) sector."
        )
        source_caption(src)
        st.markdown(
            "\n".join(
                f"- {md_link(f'{r.acronym} — {r.title}', r.website)} · {md(r.years_text)} · {md(r.programme)}"
                for r in projects.sort_values("start_year", ascending=False).itertuples()
            )
        )
        download_rows(projects, "EU-China research and innovation projects", src, key="dl_prj")

# ---------------------------------------------------------------- events
with tabs["events"]:
    if tabs["events"].open:
        st.header(SECTIONS["events"], anchor=False)
        src = combined(events["source"])
        in_china = events[events["lat"].notna()]
        map_col, chart_col = st.columns([3, 2], gap="medium")
        with map_col:
            view = ViewState(layers=("cooperation",))
            render_map(atlas, filter_atlas(atlas, view), view, None, None, height=430, key="coop_map")
            st.caption(
                f"How to read this: ▲ dark = event stops in China ({len(in_china)} of the "
                f"{counts.stops_of_events(events)}; the others were in Europe or name no city), grey = EU "
                "support offices. Points are city seats. " + DISCLAIMER
            )
            map_link("Open the cooperation layer on the map", layers="cooperation")
        with chart_col:
            st.subheader("Events per year", anchor=False)
            st.plotly_chart(
                V.cooperation_figure(atlas, "per_year"), width="stretch", config=PLOT_CONFIG, key="fig_ev_year"
            )
            st.caption(
                f"How to read this: {total['events']} events by the year they started, by kind; a mission "
                "to several cities counts once."
            )
        st.subheader("Timeline", anchor=False)
        st.plotly_chart(V.cooperation_figure(atlas, "timeline"), width="stretch", config=PLOT_CONFIG, key="fig_ev_time")
        st.caption(
            "How to read this: each event at its month; hollow = only the year is printed (placed "
            "mid-year); ✕ = announced as planned in 2019, not known whether it took place."
        )
        source_caption(src)
        st.dataframe(groups.drop(columns=["event_group", "month", "source"]), hide_index=True, width="stretch")
        download_rows(groups, "EU-China events", src, key="dl_events")

# ---------------------------------------------------------------- success stories
with tabs["stories"]:
    if tabs["stories"].open:
        st.header(SECTIONS["stories"], anchor=False)
        st.caption("How to read this: the two cases the Discussion Paper tells in full, in its words.")
        for col, story in zip(
            st.columns(len(atlas.success_stories) or 1, gap="medium"), atlas.success_stories, strict=False
        ):
            with col:
                V.render_story(story, tax)

# ---------------------------------------------------------------- directory
with tabs["directory"]:
    if tabs["directory"].open:
        st.header(SECTIONS["directory"], anchor=False)
        d = data["directory"]
        f1, f2, f3 = st.columns([2, 2, 2])
        chosen_groups = f1.multiselect(
            "Kind",
            list(V.DIRECTORY_GROUPS),
            format_func=V.DIRECTORY_GROUPS.get,
            key="dir_groups",
            placeholder="All kinds",
        )
        sector_choices = [s for s in tax.order if any(s in str(c).split(";") for c in d["sector"])] + [V.CROSS_CUTTING]
        chosen_sectors = f2.multiselect(
            "Sector",
            sector_choices,
            key="dir_sectors",
            placeholder="All sectors",
            format_func=lambda s: "All sectors (cross-cutting)" if s == V.CROSS_CUTTING else tax.label(s),
        )
        text = f3.text_input("Search names, cities, roles", key="dir_text", max_chars=80)
        shown = V.filter_directory(d, chosen_groups, chosen_sectors, text)
        st.markdown(f"Showing **{len(shown)}** of {total['organisations']} organisations.")
        for gid, label in V.DIRECTORY_GROUPS.items():
            part = shown[shown["groups"].map(lambda g, gid=gid: gid in g.split(";"))]
            if len(part):
                with st.expander(f"{label} ({len(part)})", expanded=gid != "other"):
                    st.markdown(V.directory_markdown(part, tax))
        st.caption(
            "How to read this: names link to the websites printed in the documents (https:// added where "
            "none was printed); an organisation listed both as a Chinese body and among the sample cluster "
            "organisations appears under both."
        )
        src = combined(shown["source"]) if len(shown) else combined(orgs["source"])
        source_caption(src)
        download_rows(shown.drop(columns=["groups", "link"]), "organisations", src, key="dl_orgs")
