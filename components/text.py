"""Safe text for Streamlit: data strings are escaped before they reach markdown or HTML."""

from __future__ import annotations

import html
import re
from urllib.parse import urlencode, urlparse

import streamlit as st

from atlas.provenance import citation, combined, parts
from atlas.reports.markdown import escape as md  # one Markdown escaping rule, app and brief
from atlas.source_reader import address, best_query, locate


def h(text) -> str:
    """Escape a data value for raw HTML."""
    return html.escape(str(text if text is not None else ""), quote=True)


def safe_url(url) -> str | None:
    """Only http(s) links with a host are shown as links; anything else is shown as text."""
    url = str(url or "").strip().rstrip(".")
    if not url:
        return None
    if re.match(r"^[a-z][a-z0-9+.-]*:(?!\d)", url, re.I) and not re.match(r"^https?://", url, re.I):
        return None  # javascript:, data:, mailto: ... are never made links
    if not re.match(r"^https?://", url, re.I):
        url = "https://" + url
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc or " " in url:
        return None
    return url


def md_link(label, url) -> str:
    safe = safe_url(url)
    return f"[{md(label)}]({safe.replace(')', '%29')})" if safe else md(label)


URL = re.compile(r"https?://[^\s()|]*[^\s()|.,;:]")


SOURCES_PAGE = "sources"  # the Sources page's url_path (app.py), relative so a base path is kept


def source_href(part: str, *about) -> str | None:
    """The Sources page's address for one reference, highlighting the first of ``about`` (the
    record's name or figure) that the cited section prints; None for a reference to no document."""
    where = locate(part)
    if where is None:
        return None
    params = address(part, best_query(where[0], where[1], about))
    return f"{SOURCES_PAGE}?{urlencode(params)}"


def _with_page_links(text: str) -> str:
    out, last = [], 0
    for m in URL.finditer(text):
        out += [md(text[last : m.start()]), md_link(m.group(0), m.group(0))]
        last = m.end()
    return "".join(out) + md(text[last:])


def source_md(text, *about) -> str:
    """A record's source as markdown: each reference cited by document title and section
    (atlas/provenance.py) and linked to its passage on the Sources page (highlighting the first
    of ``about``, the record's name or figure, found there); cited web pages as real links (an
    escaped bare URL would be auto-linked with its backslashes in it); text escaped."""
    out = []
    for part in parts(text):
        href = source_href(part, *about)
        cited = citation(part)
        out.append(f"[{md(cited)}]({href})" if href else _with_page_links(cited))
    return "; ".join(dict.fromkeys(out))


def cite(source, *about) -> str:
    """The "Source:" line under a record (one source cell) or under many (an iterable of cells,
    summarised by provenance.combined), each reference linked to its passage."""
    return "Source: " + source_md(source if isinstance(source, str) else combined(source), *about)


def source_caption(source, *about) -> None:
    """The one source caption of the app (see cite)."""
    st.caption(cite(source, *about))
