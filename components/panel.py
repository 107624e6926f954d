"""The drill-down panel beside the map: what the documents say about the selection, cited."""

from __future__ import annotations

import streamlit as st

from atlas import kinds
from atlas.cache import per_atlas
from atlas.drilldown import REASON_LABELS, Cooperation, Detail, PolicyMatch, detail, member_note
from atlas.kinds import label as kind_label
from atlas.labels import with_period
from atlas.load import Atlas
from components import explorer_session as session
from components.text import h, md, md_link, source_md


def _select_button(label: str, key: str, button_key: str) -> None:
    st.button(label, key=button_key, on_click=session.select, args=(key,), use_container_width=True)


def _facts(facts) -> None:
    st.markdown("\n".join(f"- **{md(k)}:** {md(v)}" for k, v in facts if v not in (None, "")))


def _sources(text: str) -> None:
    st.caption("Source: " + source_md(text))


def _policy_line(p: PolicyMatch) -> str:
    return f"- **{md(with_period(p.name, p.years))}** — _{md(REASON_LABELS[p.reason])}_"


def _policies(policies: tuple[PolicyMatch, ...]) -> None:
    """The policies naming the place first; national and EU-China ones grouped apart, one click
    away (keeps the panel quick to draw)."""
    specific = [p for p in policies if p.names_place]
    by_sector = [p for p in policies if p.reason == "sector"]
    general = [p for p in policies if p.reason == "national"]
    st.markdown(
        f"**Policies that apply:** {len(specific)} naming this place · {len(by_sector)} national or "
        f"EU-China for its sectors · {len(general)} national framework"
    )
    if not policies:
        st.write("The documents name no policy for this.")
    shown = specific[:3] or by_sector[:3]
    st.markdown("\n".join(_policy_line(p) for p in shown))
    if len(policies) > len(shown):
        # Drawn when opened: a click's panel reaches the screen sooner with less in it.
        with st.expander("All policies, with responsible bodies", key="p_all_policies", on_change="rerun") as box:
            if not box.open:
                return
            for title, group in (
                ("Naming this place", specific),
                ("National and EU-China, for its sectors", by_sector),
            ):
                if group:
                    st.markdown(f"**{title}**")
                for p in group:
                    st.markdown(_policy_line(p))
                    if p.authorities:
                        st.caption("Responsible: " + md("; ".join(p.authorities[:3])))
            if general:
                st.markdown("National framework: " + "; ".join(md(p.name) for p in general))


def _cooperation(coop: Cooperation, prefix: str) -> None:
    """What cooperation there is around the selection, counted as everywhere (an event once,
    however many stops), and who to contact."""
    counts = [
        (len(coop.partnerships), "ESCP-4i partnerships"),
        (len(coop.projects), "R&I projects"),
        (len(coop.events), "missions and events"),
        (len(coop.organisations), "contacts"),
    ]
    st.markdown(
        "**EU-China cooperation around it:** "
        + (" · ".join(f"{c} {label}" for c, label in counts if c) or "none recorded yet")
    )
    with st.expander("Who, what and when", key=f"{prefix}_who", on_change="rerun") as box:
        if not box.open:  # drawn when opened, as the policies are
            return
        if coop.partnerships:
            st.markdown("**ESCP-4i partnerships in this sector**")
            for p in coop.partnerships:
                sizes = ", ".join(
                    f"{v:g} {k}" for k, v in (("SMEs", p.smes), ("partners", p.partners)) if v == v and v is not None
                )
                st.markdown(f"- {md_link(p.name, p.website)}" + (f" ({md(sizes)})" if sizes else ""))
        if coop.projects:
            st.markdown("**Research and innovation projects**")
            st.markdown("\n".join(f"- {md_link(with_period(p.name, p.years), p.website)}" for p in coop.projects))
        if coop.events:
            st.markdown("**Missions, matchmaking and workshops**")
            for e in coop.events[:8]:
                where = f" · {e.where}" if e.where else ""
                _select_button(f"{e.when} · {e.name}{where} ({e.why})", f"ev:{e.id}", f"{prefix}_ev_{e.id}")
        if coop.organisations:
            st.markdown("**Who to contact**")
            st.markdown("\n".join(f"- {md_link(o.name, o.website)} — {md(o.why)}" for o in coop.organisations[:12]))
        if not coop.total:
            st.write("The documents record no cooperation here yet.")


def render_panel(atlas: Atlas, key: str | None, d: Detail | None = None, examples: bool = True) -> None:
    """The panel for the selected item (``d``: its detail, if already computed), or a short
    guide (with the tour's examples when ``examples``) when nothing is selected."""
    if not key:
        st.subheader("Click anything on the map")
        st.write(
            f"Any {kinds.clickable_text()} on the map opens here with what the documents say "
            "about it: facts, the policies that apply and the EU-China cooperation around it, "
            "each with its source."
        )
        if examples:
            _start_here(atlas)
        return
    d = d or detail(atlas, key)
    if d is None:
        st.warning("That item is not in the data any more.")
        return
    kind = d.kind
    colour = d.colour
    st.markdown(
        f'<div class="atlas-kind" style="border-left:6px solid {h(colour)};padding-left:8px">'
        f"{h(kind_label(kind))}</div>",
        unsafe_allow_html=True,
    )
    st.subheader(md(d.title), anchor=False)
    if d.subtitle:
        st.caption(md(d.subtitle))
    st.button("Clear selection", key="clear_sel", on_click=session.clear)
    _facts(d.facts)
    if d.description:
        st.markdown(md(d.description))
    for cc in d.city_clusters:
        _select_button(f"City cluster: {cc.name}", f"cc:{cc.id}", f"p_cc_{cc.id}")
    if d.parent:
        _select_button(
            "Part of: " + (atlas.record("zones", d.parent) or {"name_en": d.parent})["name_en"],
            f"z:{d.parent}",
            "p_parent",
        )
    if d.zones_nearby:
        st.markdown("**Zones and parks nearby**")
        for z in d.zones_nearby:
            _select_button(f"{z.name} · {z.km} km", f"z:{z.id}", f"p_zn_{z.id}")
    if kind == "cc":
        _city_cluster_extras(atlas, d)
    if d.clusters_nearby or (kind == "pl" and d.clusters):
        st.markdown("**Industrial clusters**" + (" nearby" if kind == "z" else " here"))
        for c in d.clusters_nearby or d.clusters:
            km = f" · {c.km} km" if c.km is not None else ""
            _select_button(c.name + km, f"ic:{c.id}", f"p_icn_{c.id}")
    if d.policies is not None:
        _policies(d.policies)
    if d.cooperation is not None:
        _cooperation(d.cooperation, f"p_{kind}")
    if d.location:
        st.caption("Location: " + md(d.location))
    _sources(d.source)


def start_examples(atlas: Atlas) -> list[tuple[str, str]]:
    """(selection, button label) for the presenter tour's drill-downs that are in the data."""
    from atlas.tour import load_tour

    out = []
    for step in load_tour().steps:
        d = detail(atlas, step.sel) if step.sel else None
        if d:
            out.append((step.sel, f"{kind_label(d.kind)}: {d.title}"))
    return out


def _start_here(atlas: Atlas) -> None:
    """Examples and a short how-to, drawn with the filters (after the map is up)."""
    examples = per_atlas(atlas, "start_examples", start_examples)
    if examples:
        st.caption("Or start with one of the presenter tour's examples:")
        for sel, label in examples:
            _select_button(label, sel, f"p_start_{sel}")
    with st.expander("How to use this map"):
        st.markdown(
            "- **Click** a marker or a city cluster for its facts, policies and cooperation.\n"
            "- **Filter** by sector, priority sector, province or city cluster in the sidebar, or "
            "**search** by English name, pinyin or Chinese characters.\n"
            "- **Share** the view: the address bar holds the filters, layers, selection and zoom.\n"
            "- Every fact shows its **source**; the Data page lists them all."
        )


def _city_cluster_extras(atlas: Atlas, d: Detail) -> None:
    from components.charts import sector_bar

    if d.clusters_by_sector:
        st.plotly_chart(
            sector_bar(atlas.taxonomy, d.clusters_by_sector, height=220),
            use_container_width=True,
            config={"displayModeBar": False},
        )
        st.caption("Top-100 industrial clusters (2010) inside this city cluster, by sector.")
    with st.expander(f"Member cities ({len(d.members)})"):
        st.markdown("\n".join(f"- {md(m.name)}{md(member_note(m))}" for m in d.members))
        if d.verification_note:
            st.caption(md(d.verification_note))
    if d.clusters:
        with st.expander(f"Industrial clusters inside ({len(d.clusters)})"):
            for c in d.clusters:
                _select_button(c.name, f"ic:{c.id}", f"p_cci_{c.id}")
    if d.zones:
        with st.expander(f"Zones and parks inside ({len(d.zones)})"):
            for z in d.zones:
                _select_button(z.name, f"z:{z.id}", f"p_ccz_{z.id}")
