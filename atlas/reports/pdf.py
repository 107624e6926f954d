"""The meeting brief as an A4 PDF (fpdf2).

Chinese names print with a CJK font when one is installed (Debian: fonts-wqy-microhei) and
are left out, never drawn as empty boxes, when none is.

Why the text is split into font runs here instead of using fpdf2's fallback fonts: in fpdf2
2.8.9, when a line's first fragment comes from a fallback font right after a font change
(e.g. a bold label, then a value starting with "《…"), fpdf2 selects the main font inside that
line's text object, which it wraps in q … Q, and records the font as set for the page. After
the Q the PDF is back in the previous font (the bold face), so the next line of the same
paragraph, written without a font operator, is drawn in the bold font with the regular
font's glyph numbers: the "mDi y:fDl aHGuSl" garbage of the Greater Bay Area brief. Each run
below names its own font (regular, bold or CJK) and paragraphs are laid out as fpdf2 text
regions, so every line says which font it is in and the fallback path is never taken.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path

from fontTools.ttLib import TTCollection, TTFont
from fpdf import FPDF

from atlas.cache import memoised
from atlas.paths import SEED_FILES
from atlas.provenance import REFERENCES
from atlas.reports.content import Brief
from atlas.reports.markdown import ANNEX_TITLE, MAP_KEY, MAP_SOURCE, PREPARED, SOURCES_NOTE, WITHOUT_ANNEX, cites

FONT_ROOTS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"))
TEXT_FONTS = (
    ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
    ("LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf"),
)
CJK_FONTS = (
    "wqy-microhei.ttc",
    "wqy-zenhei.ttc",
    "NotoSansCJK-Regular.ttc",
    "NotoSansSC-Regular.otf",
)
CJK = re.compile(
    "[\u2e80-\u2fff\u3000-\u303f\u3040-\u312f\u3190-\u31ff\u3400-\u4dbf\u4e00-\u9fff"
    "\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0002ffff]"
)
LATIN1 = {
    "–": "-",
    "—": "-",
    "‘": "'",
    "’": "'",
    "“": '"',
    "”": '"',
    "…": "...",
    "€": "EUR ",
    "→": "->",
    "•": "-",
    "●": "o",
    "◆": "<>",
    "▲": "^",
    "≈": "~",
}  # for the core-font fallback only
INK, GREY, RULE = (31, 41, 51), (90, 100, 112), (200, 206, 212)
MAP_W, MAP_H = 1500, 900
MAP_WIDTH_MM = 92  # of the 180 mm text width, beside the key facts: the body fits two pages
GUTTER = 4
TEXT, CJK_FACE = "atlas", "atlas-cjk"


@dataclass(frozen=True)
class Fonts:
    regular: Path | None = None
    bold: Path | None = None
    cjk: Path | None = None


@memoised(4)
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


@memoised(8)
def covered(path: Path) -> frozenset[int]:
    """The code points a font file has glyphs for (the first font of a collection)."""
    if path.suffix.lower() == ".ttc":
        font = TTCollection(str(path), lazy=True).fonts[0]
    else:
        font = TTFont(str(path), lazy=True)
    return frozenset(font.getBestCmap())


def strip_cjk(text: str) -> str:
    """English only: CJK characters removed, with the brackets and separators they leave."""
    text = CJK.sub("", str(text))
    text = re.sub(r"\(\s*[→/,;·-]?\s*\)|\[\s*\]", "", text)  # "(廣州→广州)" leaves "(→)"
    text = re.sub(r"\s*·(?:\s*·)*\s*", " · ", text)  # runs of separators become one
    text = re.sub(r"^[\s·/,;]+|[\s·/,;]+$", "", text)
    return re.sub(r"\s+(?=[.,;:])", "", re.sub(r"\s{2,}", " ", text))


class BriefPDF(FPDF):
    """A4 portrait with a footer naming the brief; text is written in font runs."""

    def __init__(self, brief: Brief, fonts: Fonts):
        super().__init__(format="A4")
        self.brief_title = brief.title
        self.unicode = fonts.regular is not None
        self.with_cjk = fonts.cjk is not None
        self.main_glyphs: frozenset[int] = frozenset()
        self.cjk_glyphs: frozenset[int] = frozenset()
        if self.unicode:
            self.add_font(TEXT, "", str(fonts.regular))
            self.add_font(TEXT, "B", str(fonts.bold))
            self.main_glyphs = covered(fonts.regular) & covered(fonts.bold)
            if fonts.cjk:
                self.add_font(CJK_FACE, "", str(fonts.cjk))
                self.cjk_glyphs = covered(fonts.cjk)
        self.face = TEXT if self.unicode else "helvetica"
        self.size, self.bold, self.colour = 10.0, False, INK
        self.set_margins(15, 15, 15)
        self.set_auto_page_break(True, margin=16)

    def clean(self, text) -> str:
        text = str(text or "")
        if not self.with_cjk:
            text = strip_cjk(text)
        if not self.unicode:
            text = "".join(LATIN1.get(ch, ch) for ch in text)
            text = text.encode("latin-1", "replace").decode("latin-1")
        return text

    def clean_keeping_spaces(self, text: str) -> str:
        """clean() that keeps a segment's leading and trailing spaces (" — detail")."""
        text = str(text or "")
        core = text.strip()
        if not core:
            return text
        start = text.index(core[0])
        return text[:start] + self.clean(core) + text[start + len(core) :]

    def runs(self, text: str) -> list[tuple[str, str]]:
        """(font family, text) runs: the text font wherever it has the glyph, else the CJK
        font; a character neither has becomes "?" rather than an empty box."""
        if not self.unicode:
            return [(self.face, text)] if text else []
        out: list[list[str]] = []
        for ch in text:
            if ord(ch) in self.main_glyphs or ch.isspace():
                face = TEXT
            elif ord(ch) in self.cjk_glyphs:
                face = CJK_FACE
            else:
                face, ch = TEXT, "?"
            if out and (out[-1][0] == face or ch.isspace()):
                out[-1][1] += ch
            else:
                out.append([face, ch])
        return [(face, run) for face, run in out]

    def font(self, size: float, bold: bool = False, colour=INK) -> None:
        self.size, self.bold, self.colour = size, bold, colour
        self.set_font(self.face, "B" if bold else "", size)
        self.set_text_color(*colour)

    def para(self, text, h: float = 5.0, indent: float = 0.0) -> None:
        """A paragraph wrapped within the margins (left margin + indent) and continued on
        the next page if need be. ``text`` is a string in the current size, weight and
        colour, or a list of (text, colour, bold) segments."""
        segments = [(text, self.colour, self.bold)] if isinstance(text, str) else text
        runs = [
            (face, run, colour, bold)
            for part, colour, bold in segments
            for face, run in self.runs(self.clean_keeping_spaces(part))
        ]
        if not runs:
            return
        weight, ink = self.bold, self.colour
        self.set_x(self.l_margin)
        with (
            self.text_columns(
                l_margin=self.l_margin + indent,
                r_margin=self.r_margin,
                line_height=h / self.font_size,
            ) as region,
            region.paragraph() as paragraph,
        ):
            for face, run, colour, bold in runs:
                style = "B" if bold and face == TEXT else ""
                self.set_font(face, style, self.size)
                self.set_text_color(*colour)
                paragraph.write(run)
        self.font(self.size, weight, ink)
        self.set_x(self.l_margin)

    def line_text(self, w: float, h: float, text: str, align: str = "L") -> None:
        """One line in the text font only (footer, legend labels): CJK left out."""
        self.cell(w, h, strip_cjk(self.clean(text)), align=align)

    def footer(self) -> None:
        self.set_y(-11)
        self.font(8, colour=GREY)
        text = f"{PREPARED} · {self.brief_title} · page {self.page_no()}/{{nb}}"
        self.line_text(0, 5, text, align="C")


def _rgb(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4))


def _heading(pdf: BriefPDF, title: str, note: str, size: float = 10.5) -> None:
    if pdf.will_page_break(18):
        pdf.add_page()
    pdf.ln(2)
    pdf.font(size, bold=True)
    pdf.para(title, h=size * 0.5)
    pdf.set_draw_color(*RULE)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.l_margin + pdf.epw, pdf.get_y())
    pdf.ln(1)
    if note:
        pdf.font(8, colour=GREY)
        pdf.para(note, h=3.8)
        pdf.ln(0.3)


def _item(pdf: BriefPDF, item, facts: bool, size: float = 9) -> None:
    """One line of a list ("what · 中文 — detail [n]") or of facts ("Label: value [n]"),
    with the sector colour chip in the margin."""
    if pdf.will_page_break(7):
        pdf.add_page()
    y = pdf.get_y()
    pdf.font(size)
    refs = (f"  {cites(item.cites)}", INK, False) if item.cites else ("", INK, False)
    if facts:
        pdf.para(
            [(f"{item.text}: ", INK, True), (item.detail, INK, False), refs],
            h=size * 0.47,
            indent=2,
        )
        pdf.ln(0.6)
        return
    if item.colour:
        pdf.set_fill_color(*_rgb(item.colour))
        pdf.circle(pdf.l_margin + 1.6, y + size * 0.24, 1.2, style="F")
    head = " · ".join(x for x in (item.text, pdf.clean(item.zh) if item.zh else "") if x)
    detail = (f" — {item.detail}", GREY, False) if item.detail else ("", GREY, False)
    pdf.para([(head, INK, False), detail, refs], h=size * 0.47, indent=5)
    pdf.ln(0.6)


def _legend(pdf: BriefPDF, brief: Brief) -> None:
    pdf.font(8, colour=GREY)
    x = pdf.l_margin
    for label, colour in brief.legend:
        w = pdf.get_string_width(strip_cjk(pdf.clean(label))) + 7
        if x + w > pdf.l_margin + pdf.epw:
            pdf.ln(4)
            x = pdf.l_margin
        pdf.set_fill_color(*_rgb(colour))
        pdf.circle(x + 1.5, pdf.get_y() + 2.2, 1.4, style="F")
        pdf.set_xy(x + 4, pdf.get_y())
        pdf.line_text(w - 4, 4, label)
        x += w
    pdf.ln(4.5)
    pdf.font(7, colour=GREY)
    pdf.para(f"{MAP_KEY} {MAP_SOURCE}", h=3.1)


SECTION_NUMBER = re.compile(
    r"^(?P<number>(?:§[\d.]+|Annex(?: [A-Z][\d.]*)?|Table \d+)(?: (?:Table|Figure) \d+)?)"
    r"(?P<heading>[^()]*?)\s*(?P<detail>\(.*\))?$"
)
OTHER_SOURCES = "Other public sources"


def grouped_sources(sources: list[str]) -> list[tuple[str, list[tuple[int, str]]]]:
    """The numbered sources by document, its title said once and each section by its number
    (and what it is about) only: a two-page brief cites forty to sixty sections of five documents.
    Public pages and other sources follow as they are."""
    titles = sorted({*SEED_FILES.values(), *REFERENCES.values()}, key=len, reverse=True)
    groups: dict[str, list[tuple[int, str]]] = {}
    for n, src in enumerate(sources, 1):
        title = next((t for t in titles if src.startswith(f"{t}, ")), None)
        if title is None:
            groups.setdefault(OTHER_SOURCES, []).append((n, src))
            continue
        rest = src[len(title) + 2 :]
        m = SECTION_NUMBER.match(rest)
        short = " ".join(x for x in (m["number"], m["detail"] or "") if x) if m else rest
        groups.setdefault(title, []).append((n, short))
    other = groups.pop(OTHER_SOURCES, None)
    return list(groups.items()) + ([(OTHER_SOURCES, other)] if other else [])


def brief_pdf(
    brief: Brief, map_png: bytes, fonts: Fonts | None = None, compress: bool = True, with_annex: bool = False
) -> bytes:
    """The brief as an A4 PDF: title block, map, the body (two pages at most), then, when asked
    for, the annex with the full lists on pages of its own; then the numbered sources cited."""
    fonts = find_fonts() if fonts is None else fonts
    pdf = BriefPDF(brief, fonts)
    pdf.set_compression(compress)
    pdf.set_title(strip_cjk(pdf.clean(brief.title)))
    pdf.set_author(PREPARED)
    pdf.add_page()
    pdf.font(16, bold=True)
    pdf.para(brief.title, h=7)
    s = brief.scope
    pdf.font(9.5, colour=GREY)
    zh = pdf.clean(s.name_zh)
    pdf.para(" · ".join(x for x in (s.kind_label, zh, f"prepared {brief.day:%d %B %Y}", PREPARED) if x), h=4.6)
    pdf.ln(1)
    pdf.font(10)
    pdf.para(brief.summary, h=4.8)
    pdf.ln(1)
    top, margin = pdf.get_y(), pdf.r_margin
    x = pdf.l_margin + pdf.epw - MAP_WIDTH_MM
    pdf.image(
        io.BytesIO(map_png),
        x=x,
        y=top,
        w=MAP_WIDTH_MM,
        h=MAP_WIDTH_MM * MAP_H / MAP_W,
        alt_text=f"Map of {s.name}",
    )
    # the map and its legend on the right, the first section (the key facts) beside them
    pdf.set_y(top + MAP_WIDTH_MM * MAP_H / MAP_W + 1)
    left = pdf.l_margin
    pdf.set_left_margin(x)
    _legend(pdf, brief)
    beside_end = pdf.get_y()
    pdf.set_left_margin(left)
    pdf.set_right_margin(margin + MAP_WIDTH_MM + GUTTER)
    pdf.set_y(top - 2)
    sections = list(brief.sections)
    if sections:
        first = sections.pop(0)
        _heading(pdf, first.title, first.note)
        for item in first.items:
            _item(pdf, item, first.facts)
    pdf.set_right_margin(margin)
    pdf.set_y(max(pdf.get_y(), beside_end) if pdf.page_no() == 1 else pdf.get_y())
    for section in sections:
        _heading(pdf, section.title, section.note)
        for item in section.items:
            _item(pdf, item, section.facts)
    if with_annex and brief.annex:
        pdf.add_page()
        pdf.font(14, bold=True)
        pdf.para(ANNEX_TITLE, h=7)
        for section in brief.annex:
            _heading(pdf, section.title, section.note, size=10.5)
            for item in section.items:
                _item(pdf, item, section.facts, size=8.5)
    elif brief.annex:
        pdf.ln(1.5)
        pdf.font(8, colour=GREY)
        pdf.para(WITHOUT_ANNEX, h=3.8)
    sources = brief.sources_for(with_annex)
    if sources:
        _heading(pdf, "Sources", SOURCES_NOTE, size=9.5)
        pdf.font(6.2)
        for title, refs in grouped_sources(sources):
            listed = "; ".join(f"[{n}] {ref}" for n, ref in refs)
            pdf.para([(f"{title}: ", INK, True), (listed, INK, False)], h=2.75)
            pdf.ln(0.3)
    return bytes(pdf.output())
