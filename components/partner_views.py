"""The Partner finder's pieces: the query box, result cards (why + source), the shortlist kept in
the URL (``?shortlist=ic:IC048,z:z_huadu_auto_city``), its map layers and downloads."""

from __future__ import annotations

import streamlit as st

from atlas import kinds
from atlas.filters import filter_atlas
from atlas.page_params import Param
from atlas.partners.index import groups as result_groups
from atlas.partners.query import EXAMPLES, MAX_TEXT
from atlas.partners.scoring import Found, Result, results_table
from atlas.partners.shortlist import MAX_SHORTLIST, encode_shortlist, shortlist_docs, shortlist_table
from atlas.state import ViewState
from components import map_layers as ml
from components import page_state
from components.downloads import download_rows
from components.map_view import render_map
from components.text import md, md_link, source_md
from components.upload_views import fit_view
from components.url_state import map_link

SHORTLIST, NOTICE = "pf_shortlist", "_pf_notice"  # plain session keys: they survive page changes
QUERY, SECTORS = "pf_q", "pf_sectors"  # widget keys (Streamlit drops them on other pages: saved below)
SAVED = "_pf_saved"
EMPTY = {SHORTLIST: [], QUERY: "", SECTORS: []}
VISIBLE = 6  # cards per group; the rest are listed compactly
TABS = (
    ("Industrial clusters", ("clusters",)),
    ("Zones and parks", ("zones",)),
    ("City clusters", ("city_clusters",)),
    ("EU instruments", ("partnerships", "projects", "events", "support")),
    ("Chinese organisations", ("organisations",)),
)


def tabs_of_groups() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """TABS, then a tab per other group the finder has (a kind registered in atlas/kinds.py)."""
    named = {g for _, gs in TABS for g in gs}
    heads = result_groups()
    return TABS + tuple((heads[g], (g,)) for g in heads if g not in named)


HOW_TO_READ = (
    "How to read this: results are ranked by how directly they match. A NACE code or a product "
    "word counts most, a sector less, a mention in a description least; several matching words "
    "add up. Each card says why it matched and cites the record's source."
)


# --- state: the URL on a session's first visit, the session after that -----------------------------


def url_params(atlas) -> list[Param]:
    """The finder's address parameters, declared once: the shortlist, the words, the sectors. A
    full shortlist of the longest keys is a long value, so its raw limit is set to fit one."""
    known = shortlist_docs(atlas)
    return [
        Param(
            "shortlist",
            "choices",
            "shortlist entry",
            frozenset(known),
            max_items=MAX_SHORTLIST,
            max_raw=MAX_SHORTLIST * (max(map(len, known), default=0) + 1),
            hint="not in the atlas",
        ),
        Param("q", "text", "search", max_len=MAX_TEXT),
        Param("sector", "choices", "sector", frozenset(atlas.taxonomy.order)),
    ]


def from_address(atlas, values: dict) -> dict:
    """Parsed address values -> the finder's state (an event stop's key becomes its event's)."""
    known = shortlist_docs(atlas)
    return {
        SHORTLIST: list(dict.fromkeys(known[k].key for k in values.get("shortlist", ()))),
        QUERY: values.get("q", ""),
        SECTORS: list(values.get("sector", ())),
    }


def to_address(state: dict) -> dict[str, str]:
    """The finder's state -> its address, leaving out what is empty (read back as the same state)."""
    values = {
        "shortlist": encode_shortlist(state.get(SHORTLIST, [])),
        "q": state.get(QUERY, ""),
        "sector": ",".join(state.get(SECTORS, [])),
    }
    return {k: v for k, v in values.items() if v}


def init_state(atlas) -> None:
    """A session's first visit takes the shortlist, words and sectors from the address; after that
    the session keeps them (the widgets' own keys are dropped on other pages, so they are saved)."""
    if SHORTLIST not in st.session_state:
        values, note = page_state.read(url_params(atlas))
        state = from_address(atlas, values)
        st.session_state[NOTICE] = note
    else:
        state = {**EMPTY, **st.session_state.get(SAVED, {})}
    for key, value in state.items():
        if key not in st.session_state:
            st.session_state[key] = value


def write_finder_address() -> None:
    """Mirror the search and the shortlist into the address bar, so a copied link restores both."""
    st.session_state[SAVED] = {QUERY: st.session_state.get(QUERY, ""), SECTORS: st.session_state.get(SECTORS, [])}
    page_state.write(to_address({k: st.session_state.get(k, v) for k, v in EMPTY.items()}))


def show_finder_notice() -> None:
    """What the address that opened the finder had that was ignored (shown once)."""
    page_state.show_notice(st.session_state.pop(NOTICE, None))


def _toggle(key: str) -> None:
    """Add or remove; a full shortlist takes nothing more (its address could not hold it)."""
    keys = st.session_state[SHORTLIST]
    if key in keys:
        st.session_state[SHORTLIST] = [k for k in keys if k != key]
    elif len(keys) < MAX_SHORTLIST:
        st.session_state[SHORTLIST] = keys + [key]


def _use(text: str = "", sectors: list | None = None) -> None:
    st.session_state[QUERY] = text
    if sectors is not None:
        st.session_state[SECTORS] = sectors


# --- the query -----------------------------------------------------------------------------------


def render_query(atlas) -> tuple[str, list[str]]:
    tax = atlas.taxonomy
    left, right = st.columns([2, 3])
    left.multiselect("Sectors", tax.order, format_func=tax.label, key=SECTORS, placeholder="Any sector")
    right.text_input(
        "NACE codes and keywords",
        key=QUERY,
        max_chars=MAX_TEXT,
        placeholder="e.g. C29 · 29.1 · C27, C28 · solar · medical devices · textile machinery",
        help="NACE Rev. 2 codes as you write them (C29, 29.1, C27-C29) and English words, "
        "separated by commas. Common synonyms and spelling slips are understood.",
    )
    with st.container(horizontal=True, gap="small", vertical_alignment="center"):
        st.caption("Try:", width="content")
        for example in EXAMPLES:
            st.button(example, key=f"pf_ex_{example}", on_click=_use, args=(example, []), type="tertiary")
    return st.session_state[QUERY], st.session_state[SECTORS]


def _read_as(found: Found, atlas) -> str:
    q = found.query
    parts = [f"NACE {', '.join(map(str, q.codes))}"] if q.codes else []
    typed = list(dict.fromkeys(t.facet for t in q.terms))
    if typed:
        parts.append("words " + ", ".join(f"“{t}”" for t in typed))
    if q.sectors:
        parts.append("sector " + ", ".join(atlas.taxonomy.label(s) for s in q.sectors))
    n_syn = len({t.text for t in q.terms if "synonym" in t.why})
    if n_syn:
        parts.append(f"{n_syn} synonym{'s' if n_syn > 1 else ''}")
    return "Read as: " + " · ".join(parts) if parts else ""


def _sector_buttons(atlas, prefix: str) -> None:
    tax = atlas.taxonomy
    with st.container(horizontal=True, gap="small"):
        for s in tax.order:
            st.button(tax.label(s), key=f"{prefix}_{s}", on_click=_use, args=("", [s]))


def render_guide(atlas, found: Found) -> None:
    """What to do when nothing was asked, or nothing matched."""
    if found.query.empty:
        st.info("Start with a sector, a NACE code or an English keyword — or try one of the examples above.", icon="🔎")
    else:
        asked = ", ".join(f"“{p}”" for p in found.query.unmatched) or "that"
        st.warning(
            md(f"Nothing in the atlas matches {asked}.") + " Check the spelling, use a NACE code "
            "(e.g. C29) or pick a sector.",
            icon="🤷",
        )
        st.markdown("**Did you mean**" if list(found.suggestions) != list(EXAMPLES) else "**Try one of these**")
        with st.container(horizontal=True, gap="small"):
            for s in found.suggestions:
                st.button(s, key=f"pf_sug_{s}", on_click=_use, args=(s,))
    st.markdown("**Or start from a sector**")
    _sector_buttons(atlas, "pf_sec")


# --- results ------------------------------------------------------------------------------------------


def _card(r: Result, shortlist: list[str], prefix: str) -> None:
    with st.container(border=True):
        main, side = st.columns([5, 1.5])
        main.markdown(f"**{md(r.title)}**" + (f"  \n{md(r.subtitle)}" if r.subtitle else ""))
        main.markdown("\n".join(f"- {md(x)}" for x in r.reasons))
        if r.website:
            main.markdown("Website: " + md_link(r.website, r.website))
        main.caption("Source: " + source_md(r.source))
        with side:
            _shortlist_button(r.key, shortlist, prefix)
            if r.key.split(":", 1)[0] in kinds.map_kinds():  # what the explorer can open
                map_link("Map", sel=r.key)


def _shortlist_button(key: str, shortlist: list[str], prefix: str, label: str = "") -> None:
    on = key in shortlist
    full = not on and len(shortlist) >= MAX_SHORTLIST
    st.button(
        (md(label) + " · " if label else "") + ("✓ Shortlisted" if on else "＋ Shortlist"),
        key=f"{prefix}_{key}",
        on_click=_toggle,
        args=(key,),
        type="primary" if on else "secondary",
        width="stretch",
        disabled=full,
        help="Remove from the shortlist"
        if on
        else (f"The shortlist is full ({MAX_SHORTLIST} items)" if full else "Add to the shortlist"),
    )


def first_tab(found: Found) -> int:
    """The tab to open: the one holding the best match (ELBE opens on the EU instruments, not on a
    city cluster whose description says "give"); services open to every sector do not count."""
    best = [found.best(groups) for _label, groups in tabs_of_groups()]
    return best.index(max(best)) if max(best) > 0 else 0


def render_results(atlas, found: Found) -> None:
    for note in found.query.notes:
        st.info(md(note), icon="ℹ️")
    if found.query.empty or not found.total:
        render_guide(atlas, found)
        return
    if found.query.unmatched:
        st.warning(
            md(
                "Nothing matches "
                + ", ".join(f"“{p}”" for p in found.query.unmatched)
                + "; the results are for the rest. Try: "
                + ", ".join(found.suggestions[:3])
                + "."
            )
        )
    st.caption(md(_read_as(found, atlas)))
    shortlist = st.session_state[SHORTLIST]
    tabbed = tabs_of_groups()
    labels = [f"{label} ({sum(len(found.groups[g]) for g in groups)})" for label, groups in tabbed]
    tabs = st.tabs(labels, default=labels[first_tab(found)])
    for tab, (_label, groups) in zip(tabs, tabbed, strict=False):
        with tab:
            for g in groups:
                results = found.groups[g]
                if len(groups) > 1:
                    st.subheader(f"{result_groups()[g]} ({len(results)})", anchor=False)
                if not results:
                    st.write("Nothing here fits this search.")
                for r in results[:VISIBLE]:
                    _card(r, shortlist, f"pf_{g}")
                if len(results) > VISIBLE:
                    with st.expander(f"{len(results) - VISIBLE} more {result_groups()[g].lower()}"):
                        for r in results[VISIBLE:]:
                            _shortlist_button(r.key, shortlist, f"pf_more_{g}", label=r.label)
                            st.caption(md(r.reasons[0] if r.reasons else ""))
    st.caption(HOW_TO_READ)
    download_rows(
        results_table(found),
        "partner finder results",
        "each row's source column (seed documents and cited pages); synonyms: NACE Rev. 2 (Eurostat) "
        "and the seed documents",
        key="dl_pf_results",
    )


# --- the shortlist -------------------------------------------------------------------------------------


def shortlist_layers(atlas, keys: list[str]) -> list[ml.LayerSpec]:
    """The shortlist on the map: its points (colour = sector) and a ring or outline around each."""
    docs = shortlist_docs(atlas)
    points, rings = [], []
    for key in keys:
        d = docs[key]
        if d.lat is not None:
            sector = sorted(d.sectors)[0] if d.sectors else ""
            points.append(
                {
                    "kind": "shortlist",
                    "id": key,
                    "lat": d.lat,
                    "lon": d.lon,
                    "colour": atlas.taxonomy.colour(sector),
                    "label": ml.label_text("★ " + d.title, d.subtitle),
                }
            )
            rings.append((d.lat, d.lon, None))
        elif d.group == "city_clusters":
            geom = atlas.city_clusters.set_index("id")["geometry"].get(key.split(":", 1)[1])
            if geom is not None:
                rings.append((None, None, geom))
    return [ml.circle_layer("Shortlist", points, radius=8)] + [ml.highlight_layer(*r) for r in rings]


def _clear() -> None:
    st.session_state[SHORTLIST] = []


def _shortlist_rows(table) -> None:
    for row in table.to_dict("records"):
        name, remove = st.columns([7, 1], vertical_alignment="center")
        name.markdown(f"**{md(row['name'])}**  \n{md(row['group'])} · {md(row['details'])}")
        remove.button(
            "✕", key=f"pf_sl_{row['key']}", on_click=_toggle, args=(row["key"],), help="Remove from the shortlist"
        )


def render_shortlist(atlas) -> None:
    keys = st.session_state[SHORTLIST]
    st.subheader(f"Your shortlist ({len(keys)})", anchor=False)
    if not keys:
        st.write(
            "Add results with “＋ Shortlist”. The list is kept in the page address, so a bookmark or a "
            "shared link brings it back."
        )
        return
    table = shortlist_table(atlas, keys)
    with st.container():  # one slot however long the list, so the map below is not remounted
        _shortlist_rows(table)
    st.caption("Saved in the page address (URL): bookmark or share it to keep the list.")
    view = ViewState(layers=("clusters", "city_clusters"))
    located = [
        (lat, lon) for lat, lon in zip(table["lat"], table["lon"], strict=False) if lat == lat and lat is not None
    ]
    render_map(
        atlas,
        filter_atlas(atlas, view),
        view,
        None,
        fit_view(located),
        height=440,
        key="partner_map",
        extra_layers=shortlist_layers(atlas, keys),
    )
    mapped = int(table["lat"].notna().sum()) + int(table["group"].eq(result_groups()["city_clusters"]).sum())
    st.caption(
        f"How to read this: {mapped} of {len(table)} shortlisted items are on the map, ringed in "
        "orange (colour = sector; city clusters outlined); small circles are all top-100 industrial "
        "clusters. Partnerships and projects have no place and are only listed."
    )
    sources = " | ".join(dict.fromkeys(table["source"]))
    st.caption("Source: " + source_md(sources))
    download_rows(table, "partner shortlist", sources, key="dl_pf_shortlist")
    st.button("Clear the shortlist", key="pf_clear", on_click=_clear)
