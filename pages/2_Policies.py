"""Policies: the 1978-2035 timeline, the cluster policy maturity scores, the factsheet's three cluster
policies side by side, and a card per policy with where it applies on the map.

Tables and figures depend only on the data: built once per loaded Atlas for every session. The
four sections sit in tabs that run only when opened."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from atlas.cache import per_atlas
from atlas.figures import records_as_of, with_as_of
from atlas.policy_tables import (
    KIND_LABEL,
    LEVEL_LABEL,
    TIMELINE_END,
    TIMELINE_START,
    comparison,
    filter_policies,
    maturity_rows,
    timeline_rows,
    undated,
)
from atlas.provenance import summary
from components.charts import PLOT_CONFIG
from components.data_access import get_atlas
from components.downloads import download_rows
from components.entry import from_app
from components.policy_views import (
    maturity_figure,
    render_comparison,
    render_policy_card,
    render_undated,
    timeline_figure,
)
from components.text import md, source_caption

from_app()  # every run goes through app.py (components/entry.py)

atlas = get_atlas()
policies = atlas.policies

st.title("Policies", anchor=False)
st.write(
    "China's cluster, regional and sector policies as the documents describe them: when they run, how "
    "mature China's cluster policy is, the three cluster policies of the country factsheet side by side, "
    "and a card for each policy with where it applies on the map."
)


def policies_data(a) -> dict:
    """The page's tables, built once per loaded Atlas for every session (they depend only on the data)."""

    def build(a) -> dict:
        names, rows = comparison(a)
        return {
            "timeline": timeline_rows(a.policies),
            "undated": undated(a.policies),
            "maturity": maturity_rows(a),
            "names": names,
            "rows": rows,
        }

    return per_atlas(a, "policies_page", build)


def policies_figure(a, which: str):
    """The timeline (coloured by "level" or "kind") or the maturity chart, built once per Atlas."""

    def build(a):
        d = policies_data(a)
        return maturity_figure(d["maturity"]) if which == "maturity" else timeline_figure(d["timeline"], which)

    return per_atlas(a, f"policies_figure.{which}", build)


data = policies_data(atlas)
timeline, no_years = data["timeline"], data["undated"]
cols = st.columns(4)
recorded = records_as_of(policies["source"])  # the policies the documents of these dates record
cols[0].metric(with_as_of("Policies", recorded), len(policies))
cols[1].metric(f"On the timeline ({TIMELINE_START}–{TIMELINE_END})", len(timeline))
cols[2].metric(with_as_of("Cluster programmes", recorded), int((policies["kind"] == "cluster_programme").sum()))
cols[3].metric(
    with_as_of("National · regional · local · EU-China", recorded),
    " · ".join(str(int((policies["level"] == lv).sum())) for lv in ("national", "regional", "local", "eu_china")),
)

t_time, t_maturity, t_three, t_cards = st.tabs(
    [
        f"Timeline {TIMELINE_START} → {TIMELINE_END}",
        "Cluster policy maturity",
        "TORCH, City Clusters and the Greater Bay Area plan",
        "Every policy",
    ],
    key="pol_view",
    on_change="rerun",
)

# --- timeline ----------------------------------------------------------------------------------
with t_time:
    if t_time.open:
        st.header(f"Timeline {TIMELINE_START} → {TIMELINE_END}", anchor=False)
        colour_by = st.radio(
            "Colour by",
            ["level", "kind"],
            horizontal=True,
            key="tl_colour",
            format_func={"level": "Level (national, regional, local, EU-China)", "kind": "Kind of policy"}.get,
        )
        st.plotly_chart(policies_figure(atlas, colour_by), config=PLOT_CONFIG, theme=None, key="timeline")
        st.caption(
            "How to read this: one row per policy, oldest first. A bar runs from the first to the last year "
            "the documents give; ▶ marks a policy with only a start year (open-ended or no end given), ◀ one "
            "with only an end or target year. Hover for the full name and the period as printed."
        )
        source_caption(timeline["source"])
        download_rows(timeline, "policy timeline", summary(timeline["source"]), key="dl_timeline")
        render_undated(no_years)

# --- maturity ----------------------------------------------------------------------------------
with t_maturity:
    if t_maturity.open:
        st.header("Cluster policy maturity", anchor=False)
        maturity = data["maturity"]
        left, right = st.columns([3, 2], gap="large")
        with left:
            st.plotly_chart(policies_figure(atlas, "maturity"), config=PLOT_CONFIG, theme=None, key="maturity")
            st.caption(
                "How to read this: China's score on each dimension of the Observatory's cluster policy "
                "maturity index (data collected 2020), drawn over the dimension's maximum. Scores as printed "
                "(the factsheet writes 0,5 with a decimal comma). The factsheet gives no total."
            )
            source_caption(maturity["source"])
            download_rows(maturity, "cluster policy maturity", summary(maturity["source"]), key="dl_maturity")
        with right:
            st.markdown("**What each dimension means**")
            st.markdown(
                "\n".join(
                    f"- **{md(r['dimension'])}** ({md(r['score_as_printed'])} of {r['max_score']:g}): "
                    f"{md(r['meaning'])}"
                    for r in maturity.to_dict("records")
                )
            )

# --- the three factsheet policies --------------------------------------------------------------
with t_three:
    if t_three.open:
        st.header("TORCH, City Clusters and the Greater Bay Area plan", anchor=False)
        st.caption(
            "How to read this: the three cluster policies of the country factsheet, field by field in the "
            "factsheet's order; '—' where it is silent."
        )
        names, rows = data["names"], data["rows"]
        by_id = policies.set_index("name_en")["source"]
        render_comparison(names, rows, [by_id[n] for n in names])
        download_rows(
            pd.DataFrame([[label, *values] for label, values in rows], columns=["field", *names]),
            "torch city clusters greater bay area",
            summary(by_id[n] for n in names),
            key="dl_compare",
        )

# --- one card per policy -----------------------------------------------------------------------
with t_cards:
    if t_cards.open:
        st.header("Every policy", anchor=False)
        tax = atlas.taxonomy
        f1, f2, f3 = st.columns(3)
        levels = f1.multiselect(
            "Level",
            [lv for lv in LEVEL_LABEL if lv in set(policies["level"])],
            format_func=LEVEL_LABEL.get,
            key="f_level",
            placeholder="All levels",
        )
        kinds = f2.multiselect(
            "Kind",
            [k for k in KIND_LABEL if k in set(policies["kind"])],
            format_func=KIND_LABEL.get,
            key="f_kind",
            placeholder="All kinds",
        )
        sectors = f3.multiselect(
            "Sector it targets", tax.order, format_func=tax.label, key="f_sector", placeholder="All sectors"
        )
        shown = filter_policies(policies, levels, kinds, sectors)
        shown = (
            shown.assign(_y=shown["year_start"].fillna(shown["year_end"]))
            .sort_values(["_y", "name_en"])
            .drop(columns="_y")
        )
        st.markdown(f"Showing **{len(shown)} of {len(policies)}** policies.")
        st.caption(
            "How to read these cards: the documents' factsheet fields (only those they fill), then the "
            "sectors, provinces, cities, city clusters and zones the policy names, each a link that opens "
            "the map there."
        )
        download_rows(shown.drop(columns=["applies_to"]), "policies", summary(shown["source"]), key="dl_cards")
        cards = shown.to_dict("records")
        for i in range(0, len(cards), 2):  # two cards a row
            for col, policy in zip(st.columns(2, gap="medium"), cards[i : i + 2], strict=False):
                with col:
                    render_policy_card(atlas, policy)
