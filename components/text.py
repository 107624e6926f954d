"""Safe text for Streamlit: data strings are escaped before they reach markdown or HTML."""

from __future__ import annotations

import html
import re
from urllib.parse import urlparse

from atlas.provenance import source_line
from atlas.reports.markdown import escape as md  # one Markdown escaping rule, app and brief


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


def source_md(text) -> str:
    """A record's source as markdown, cited by document title and section (atlas/provenance.py),
    text escaped, cited web pages as real links (an escaped bare URL would be auto-linked with
    its backslashes in it)."""
    text = source_line(text)
    out, last = [], 0
    for m in URL.finditer(text):
        out += [md(text[last : m.start()]), md_link(m.group(0), m.group(0))]
        last = m.end()
    return "".join(out) + md(text[last:])
