"""Pieces of the presenter tour page: large type, step navigation through the URL, the
ready-to-present checklist and the small panel under each step's map.

Step content (view, caption, source) comes from data/tour.yaml through atlas/tour.py.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from atlas import counts
from atlas.counts import event_years
from atlas.drilldown import detail
from atlas.figures import records_as_of, with_as_of, years_text
from atlas.filters import Filtered
from atlas.labels import with_period
from atlas.load import Atlas
from atlas.page_params import Param
from atlas.provenance import source_line
from atlas.tour import Check, Step, step_number, step_param
from components import page_state
from components.downloads import download_rows
from components.legend import render_disclaimer
from components.text import cite, h, md, source_md

STEP_KEY = "step"
MAP_HEIGHT = 440  # px: with the title and the step buttons, fits a 1280×720 projector
# Large type for a projector; static CSS (no data inside).
PRESENTATION_CSS = """
<style>
[data-testid="stMainBlockContainer"] {padding-top: 2.6rem; padding-bottom: 1rem; max-width: 100%;}
.tour-kicker {font-size: 1.15rem; color: #5A6470; letter-spacing: .02em;}
.tour-title {font-size: 2.1rem; font-weight: 700; line-height: 1.15; margin: .1rem 0 .2rem 0; color: #1F2933;}
.tour-caption {font-size: 1.45rem; line-height: 1.4; color: #1F2933; margin: 0 0 .3rem 0;}
.tour-source {font-size: 1.0rem; color: #5A6470;}
[data-testid="stMarkdownContainer"] p, [data-testid="stMarkdownContainer"] li {font-size: 1.15rem;}
[data-testid="stMetricValue"] {font-size: 2.2rem;}
</style>
"""


# The presenting view (F): Streamlit's header, toolbar and sidebar (their data-testid attributes)
# are not drawn, nor the bottom step buttons (their keys, PageUp/PageDown, still work); the type
# grows for the back of the room. The map's frame takes the screen's height less the title and
# the buttons (the map inside follows its frame: components/map_layers.py SYMBOL_CSS).
PRESENTING_CSS = """
<style>
[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stSidebar"],
[data-testid="stExpandSidebarButton"], .st-key-tour_nav_bottom {display: none !important;}
[data-testid="stMainBlockContainer"] {padding-top: .6rem; padding-bottom: 0; max-width: 100%;}
.st-key-tour_stage iframe {height: calc(100vh - 11.5rem) !important;}
.tour-title {font-size: 2.4rem;}
.tour-caption {font-size: 1.6rem;}
.tour-source {font-size: 1.1rem;}
.tour-ready {color: #2E7D32;}
.tour-kicker {white-space: nowrap; overflow: hidden; text-overflow: ellipsis;}  /* one line: the frame's height counts on it */
</style>
"""
PRESENT_MAP_HEIGHT = 520  # px before the CSS above sizes the frame to the screen


def presentation_style() -> None:
    st.markdown(PRESENTATION_CSS, unsafe_allow_html=True)


def presenting_style() -> None:
    st.markdown(PRESENTING_CSS, unsafe_allow_html=True)


PRESENT_KEY = "present"
PRESENT_PARAM = Param(PRESENT_KEY, "choice", "presenting view", choices=frozenset({"1"}))
# The keys a presenter (or a clicker: it sends PageDown/PageUp) moves with. Each is the documented
# ``shortcut`` of one tour button (st.button), so Streamlit binds it on the page and ignores it while
# a field has the focus. One button takes one key: Next and Previous appear twice (top and bottom),
# and Space, Home and End belong to buttons kept out of sight.
KEYS = (
    ("→  or  PageDown  or  Space", "next step"),
    ("←  or  PageUp", "previous step"),
    ("Home  /  End", "first / last step"),
    ("F", "presenting view on / off"),
)
# Static CSS (no data inside): the buttons that only carry a key are not drawn (their container's
# documented st-key- class).
HIDDEN_KEYS_CSS = "<style>.st-key-tour_keys {display: none;}</style>"


def address(n: int, present: bool = False) -> dict[str, str]:
    """The tour's whole address at step n (the page writes the same; step_param reads it back)."""
    return {STEP_KEY: str(n), **({PRESENT_KEY: "1"} if present else {})}


def presenting() -> bool:
    return st.session_state.get("tour_present", False)


def go_to(n: int) -> None:
    """Button callback: the step lives in the address, so every step can be bookmarked."""
    page_state.write(address(n, presenting()))


def move(delta: int, total: int) -> None:
    """Key and button callback: one step on from the step in the address now. Relative to the
    address, not to the step the button was drawn for: a key pressed while the next step is still
    being drawn moves on from that step, not back to it."""
    values, _ = page_state.read([step_param(total)])
    go_to(min(max(step_number(values, total) + delta, 1), total))


def toggle_present(total: int) -> None:
    st.session_state["tour_present"] = not presenting()
    move(0, total)


def _jump() -> None:
    go_to(st.session_state["tour_jump"])


def _step_button(
    col, label: str, where: str, target: int, current: int, total: int, shortcut: str, primary: bool = False
) -> None:
    """A step button with its key: Next/Previous move by one, First/Last go to their end."""
    relative = where.startswith(("next", "prev", "space"))
    col.button(
        label,
        key=f"tour_{where}",
        disabled=not 1 <= target <= total or target == current,
        on_click=move if relative else go_to,
        args=(target - current, total) if relative else (target,),
        type="primary" if primary else "secondary",
        width="stretch",
        shortcut=shortcut,
    )


def render_key_help() -> None:
    """The "?" beside the steps: every key the tour answers to."""
    with st.popover("?", help="Keys for presenting"):
        st.markdown("**Keys** (not while typing in a field)\n\n" + "\n".join(f"- **{k}**: {what}" for k, what in KEYS))


def render_navigation(steps: tuple[Step, ...], n: int, where: str) -> None:
    """Previous / next buttons, each with its key, and (top) a jump list, the key help and the
    presenting switch; each is a rerun with ?step=k."""
    total = len(steps)
    if where == "top":
        prev_col, jump_col, help_col, present_col, next_col = st.columns(
            [1.1, 3, 0.35, 0.9, 1.1], vertical_alignment="center"
        )
    else:
        prev_col, jump_col, next_col = st.container(key="tour_nav_bottom").columns(
            [1.1, 4.25, 1.1], vertical_alignment="center"
        )
    back, on = ("Left", "Right") if where == "top" else ("PageUp", "PageDown")
    _step_button(prev_col, "◀ Previous", f"prev_{where}", n - 1, n, total, back)
    _step_button(next_col, "Next ▶", f"next_{where}", n + 1, n, total, on, primary=True)
    if where == "top":
        st.session_state["tour_jump"] = n
        jump_col.selectbox(
            "Jump to step",
            range(1, total + 1),
            key="tour_jump",
            format_func=lambda k: f"{k}. {steps[k - 1].title}",
            label_visibility="collapsed",
            on_change=_jump,
        )
        with help_col:
            render_key_help()
        present_col.button(
            "Exit" if presenting() else "Present",
            key="tour_present_button",
            on_click=toggle_present,
            args=(total,),
            width="stretch",
            shortcut="F",
            help="Presenting view: the map and caption fill the screen",
        )
    else:
        st.markdown(HIDDEN_KEYS_CSS, unsafe_allow_html=True)
        with st.container(key="tour_keys"):
            _step_button(st, "Next", "space", n + 1, n, total, "Space")
            _step_button(st, "First", "home", 1, n, total, "Home")
            _step_button(st, "Last", "end", total, n, total, "End")


def render_header(step: Step, n: int, total: int, tour_title: str, ready: str = "") -> None:
    st.markdown(
        f'<div class="tour-kicker">{h(tour_title)} · step {n} of {total}'
        + (f' <span class="tour-ready">· ✓ {h(ready)}</span>' if ready else "")
        + "</div>"
        f'<div class="tour-title">{h(step.title)}</div>',
        unsafe_allow_html=True,
    )


def render_caption(text: str, source: str) -> None:
    st.markdown(
        f'<div class="tour-caption">{h(text)}</div><div class="tour-source">Source: {h(source_line(source))}</div>',
        unsafe_allow_html=True,
    )


def render_checks(checks: list[Check], show_when_ok: bool) -> None:
    """The ready-to-present checklist: failures always shown in full; when everything is checked,
    one line that opens on what was checked (the map keeps the screen)."""
    failed = [c for c in checks if not c.ok]
    items = "\n".join(
        f"- {'ok' if c.ok else '**missing or broken**'} · **{md(c.name)}** — {md(c.detail)}" for c in checks
    )
    if failed:
        st.error(
            "Not ready to present — " + " ".join(f"{md(c.name)}: {md(c.detail)}." for c in failed),
            icon=":material/warning:",
        )
        with st.expander("What was checked", expanded=True):
            st.markdown(items)
    elif show_when_ok:
        with st.expander(ready_line(checks), icon=":material/check_circle:"):
            st.markdown(items)


def ready_line(checks: list[Check]) -> str:
    return "Ready to present offline: " + ", ".join(c.name.split(" (")[0].lower() for c in checks) + " all checked"


def ready_short(checks: list[Check]) -> str:
    """The all-clear folded into the presenting view's one kicker line (the full list is in the
    expander of the normal view)."""
    return f"Ready to present offline: all {len(checks)} checks passed"


# ---------------------------------------------------------------- panels under the map


def _legend_panel() -> None:
    """The key itself is inside the map (lower left), open on the tour's full-width map."""
    render_disclaimer()


def _detail_panel(atlas: Atlas, step: Step) -> None:
    d = detail(atlas, step.sel)
    left, right = st.columns([2, 3])
    with left:
        st.markdown(f"**{md(d.title)}** · {md(d.subtitle)}")
        st.markdown("\n".join(f"- **{md(k)}:** {md(v)}" for k, v in d.facts[:6] if v))
    with right:
        specific = [p for p in d.policies or () if p.reason not in ("sector", "national")]
        st.markdown("**Policies for this place**")
        st.markdown(
            "\n".join(f"- {md(with_period(p.name, p.years))}" for p in specific[:5]) or "None named in the documents."
        )
    st.caption("Source: " + source_md(d.source))


def policy_rows(atlas: Atlas) -> pd.DataFrame:
    """The cluster programmes of the factsheet and SEZs: what the policy step talks about."""
    records = atlas.policies[atlas.policies["kind"] == "cluster_programme"].to_dict("records")
    return pd.DataFrame(
        {
            "policy": [p["name_en"] for p in records],
            "years": [years_text(p) for p in records],
            "responsible": ["; ".join(p["authorities"] or []) for p in records],
            "source": [p["source"] for p in records],
        }
    )


def _policies_panel(atlas: Atlas) -> None:
    left, right = st.columns([3, 2])
    rows = policy_rows(atlas)
    with left:
        st.dataframe(rows.drop(columns="source"), hide_index=True, width="stretch")
        st.caption("How to read: the national cluster programmes, with their years and responsible bodies.")
        download_rows(rows, "cluster-programmes", "; ".join(dict.fromkeys(rows["source"])), key="tour_dl_policies")
    with right:
        m = atlas.policy_maturity
        label = records_as_of(m["source"])
        cols = st.columns(2)
        for i, r in enumerate(m.to_dict("records")):
            cols[i % 2].metric(with_as_of(r["dimension"], label), f"{r['score_as_printed']} / {r['max_score']:g}")
        st.caption(
            f"Cluster policy maturity index ({label}); no total score is given. Source: "
            + source_md(" | ".join(dict.fromkeys(m["source"])))
        )


def cooperation_metrics(atlas: Atlas, filtered: Filtered) -> list[tuple[str, int, str]]:
    """The cooperation step's counts (label with its years, value, help): events as atlas/counts.py
    counts them, their stops said as stops."""
    ev, total = atlas.events, counts.totals(atlas)
    years = event_years(ev)
    return [
        (with_as_of(counts.LABELS["events"], years), total["events"], counts.stops_of_events(ev) + f", {years}"),
        (
            with_as_of("Event stops on this map, in China", event_years(filtered.events)),
            len(filtered.events),
            counts.stops_of_events(filtered.events),
        ),
        *(
            (with_as_of(counts.LABELS[k], records_as_of(df["source"])), total[k], records_as_of(df["source"]))
            for k, df in (("partnerships", atlas.partnerships), ("projects", atlas.projects))
        ),
    ]


def _cooperation_panel(atlas: Atlas, filtered: Filtered) -> None:
    ev = atlas.events
    for col, (label, n, help_text) in zip(st.columns(4), cooperation_metrics(atlas, filtered), strict=False):
        col.metric(label, f"{n:,}", help=help_text)
    by_year = counts.event_groups(ev).groupby(["year", "kind"]).size().rename("events").reset_index()
    st.caption(
        f"How to read: all EU-China events the documents record, {event_years(ev)} (a mission to several cities "
        "counts once; some were abroad, so not on the map), the partnerships targeting China and the "
        "joint projects. " + cite(ev["source"])
    )
    download_rows(by_year, "eu-china-events-by-year", "; ".join(dict.fromkeys(ev["source"])), key="tour_dl_events")


def render_panel(atlas: Atlas, filtered: Filtered, step: Step) -> None:
    if step.panel == "legend":
        _legend_panel()
    elif step.panel == "detail" and step.sel:
        _detail_panel(atlas, step)
    elif step.panel == "policies":
        _policies_panel(atlas)
    elif step.panel == "cooperation":
        _cooperation_panel(atlas, filtered)
