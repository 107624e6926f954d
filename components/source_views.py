"""The Sources page: a cited passage, highlighted in its context, with the document's title,
section and original address (atlas/source_reader.py finds it; the address holds
``doc``, ``sec`` and ``q``)."""

from __future__ import annotations

from urllib.parse import urlencode

import streamlit as st

from atlas.page_params import Param
from atlas.source_reader import DOCUMENTS, MAX_QUERY, Passage, SourceNotFound, lookup, sections
from components import page_state
from components.text import SOURCES_PAGE, h, md, md_link

SPEC = (
    Param("doc", "choice", what="document", choices=frozenset(DOCUMENTS), hint="not a document of the atlas"),
    Param("sec", "text", what="section", max_len=60),
    Param("q", "text", what="cited text", max_len=MAX_QUERY),
)
CONTEXT = 900  # characters shown either side of the first highlighted place


def href(doc: str, sec: str = "", q: str = "") -> str:
    params = {k: v for k, v in (("doc", doc), ("sec", sec), ("q", q)) if v}
    return f"{SOURCES_PAGE}?{urlencode(params)}"


def _marked(text: str, spans: tuple[tuple[int, int], ...]) -> str:
    """The text as escaped HTML, each found place in <mark>, line breaks kept."""
    out, last = [], 0
    for a, b in spans:
        out += [h(text[last:a]), f"<mark>{h(text[a:b])}</mark>"]
        last = b
    out.append(h(text[last:]))
    return "".join(out)


def _box(html_text: str) -> None:
    st.markdown(
        f'<div class="source-passage" style="white-space:pre-wrap;font-size:0.9rem;'
        f'border-left:3px solid #999;padding:0.5rem 0.8rem">{html_text}</div>',
        unsafe_allow_html=True,
    )


def _documents() -> None:
    st.subheader("The documents")
    for d in DOCUMENTS.values():
        st.markdown(f"- [{md(d.title)}]({href(d.key)}) — {md(d.publisher)}{', ' + md(d.date) if d.date else ''}")


def _sections(doc: str) -> None:
    st.markdown("**Sections**")
    st.markdown("\n".join(f"- [{md(s.key)} {md(s.title[:90])}]({href(doc, s.key)})" for s in sections(doc)))


def _passage(p: Passage) -> None:
    d = p.document
    st.title(d.title)
    about = [d.publisher] + ([d.date] if d.date else [])
    st.caption(
        md(", ".join(about)) + (" · Original: " + md_link(d.url, d.url) if d.url else " · Original address not known")
    )
    if p.section is None:
        _sections(d.key)
        return
    st.subheader(f"{p.section.key} {p.section.title}" if p.section.key not in p.section.title else p.section.title)
    if p.query and p.found:
        a, b = p.spans[0][0], p.spans[-1][1]
        start, end = max(0, a - CONTEXT), min(len(p.text), b + CONTEXT)
        shown = tuple((x - start, y - start) for x, y in p.spans if x >= start and y <= end)
        st.markdown(f"The cited text, **{md(p.query)}**, is highlighted ({len(p.spans)} place(s) in this section).")
        _box(("…" if start else "") + _marked(p.text[start:end], shown) + ("…" if end < len(p.text) else ""))
        with st.expander("The whole section"):
            _box(_marked(p.text, p.spans))
    else:
        if p.query:
            st.info(
                f"“{md(p.query)}” is not printed in this section as written here (the data may word it "
                "differently); the whole section is shown."
            )
        _box(_marked(p.text, ()))
    with st.expander("Other sections of this document"):
        _sections(d.key)


def render() -> None:
    values, notice = page_state.read(SPEC)
    page_state.show_notice(notice)
    doc, sec, q = values.get("doc", ""), values.get("sec", ""), values.get("q", "")
    page_state.write({k: v for k, v in (("doc", doc), ("sec", sec), ("q", q)) if v})
    if not doc:
        st.title("Sources")
        st.markdown(
            "Every citation in the atlas opens its passage here: the document, the section and the cited "
            "figure or name highlighted in its context. The documents are kept with the atlas "
            "(data/sources/), with their publishers, dates and reuse terms in its README."
        )
        _documents()
        return
    try:
        passage = lookup(doc, sec, q)
    except SourceNotFound as exc:
        st.warning(str(exc))
        _sections(doc)
        return
    _passage(passage)
