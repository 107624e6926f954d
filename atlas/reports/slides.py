"""The view as a slide: a 16:9 PNG (1920×1080) of a map view with its title, legend, source line and
date, and the tour as a PDF deck (one page per step: the slide, its caption and source).

Drawn offline, server-side, with the meeting brief's static map (atlas/reports/static_map.py,
Pillow, bundled boundaries) and its fonts (atlas/reports/pdf.py find_fonts); the deck is written
with fpdf2 like the brief. The slide shows the box the tour's map shows at 1280×720 for the view's
centre and zoom (geo/framing.py), widened to the slide's shape.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable
from dataclasses import dataclass

from fpdf import FPDF
from PIL import Image, ImageDraw, ImageFont

from atlas.drilldown import Detail
from atlas.filters import Filtered
from atlas.load import Atlas
from atlas.reports.pdf import LATIN1, find_fonts, strip_cjk
from atlas.reports.static_map import CHINA_BBOX, HIGHLIGHT, MapPoint, MapSpec, render_png
from atlas.state import ViewState
from atlas.text import split
from geo.framing import visible_box

SLIDE_W, SLIDE_H = 1920, 1080
TITLE_H, FOOT_H = 120, 96  # px: the title band above the map, the source and date below it
MAP_W, MAP_H = SLIDE_W, SLIDE_H - TITLE_H - FOOT_H
VIEW_PX = (620, 440)  # the map the view is framed for (atlas/tour.py FRAME_PX): the slide shows that box
INK, GREY = "#1F2933", "#5A6470"
EVENT, OFFICE = "#1F2933", "#6B7785"  # the explorer's cooperation colours (components/map_view.py)
SHAPES = {"circle": "Top-100 industrial cluster", "diamond": "Zone or park", "triangle": "EU-China event or office"}


@dataclass(frozen=True)
class Slide:
    title: str
    caption: str
    source: str  # the source line as users read it (document titles)
    png: bytes


def _zone_colour(atlas: Atlas, sectors) -> str:
    return atlas.taxonomy.colour((split(sectors if sectors == sectors else "") or [""])[0])


def view_points(atlas: Atlas, filtered: Filtered, view: ViewState, selection: Detail | None) -> tuple[MapPoint, ...]:
    """The points the view's map shows, in its layers' colours; the selection ringed."""

    def ring(r) -> bool:
        return selection is not None and r["id"] == selection.id

    pts: list[MapPoint] = []
    if "cooperation" in view.layers:
        orgs = filtered.organisations[filtered.organisations["category"] == "eu_support"]
        for table, colour in ((filtered.events, EVENT), (orgs, OFFICE)):
            pts += [
                MapPoint(r["lon"], r["lat"], colour, "triangle", ring(r))
                for r in table.dropna(subset=["lat"]).to_dict("records")
            ]
    if "zones" in view.layers:
        pts += [
            MapPoint(r["lon"], r["lat"], _zone_colour(atlas, r["sectors"]), "diamond", ring(r))
            for r in filtered.zones.dropna(subset=["lat"]).to_dict("records")
        ]
    if "clusters" in view.layers:
        tax = atlas.taxonomy
        pts += [
            MapPoint(r["lon"], r["lat"], tax.colour(r["sector"]), "circle", ring(r))
            for r in filtered.clusters.to_dict("records")
        ]
    return tuple(pts)


def view_spec(atlas: Atlas, filtered: Filtered, view: ViewState, selection: Detail | None) -> MapSpec:
    """The static map of a view: its box, its points, and outlined the selection's area or, when the
    view picks city clusters, theirs."""
    outline = selection.geometry if selection is not None and selection.geometry is not None else None
    if outline is None and "city_clusters" in view.layers and view.city_clusters:
        outline = filtered.city_clusters.geometry.union_all()
    if view.lat is None or view.lon is None or view.zoom is None:  # the map where it starts: all of China
        box = CHINA_BBOX
    else:
        box = visible_box(view.lat, view.lon, view.zoom, *VIEW_PX)
    return MapSpec(box, outline, view_points(atlas, filtered, view, selection))


def legend_rows(atlas: Atlas, points: Iterable[MapPoint]) -> list[tuple[str, str, str]]:
    """(shape, colour, label) for each kind of symbol and each sector colour on the map."""
    points = list(points)
    shapes = [(s, "#FFFFFF", label) for s, label in SHAPES.items() if any(p.shape == s for p in points)]
    colours = {p.colour for p in points if p.shape != "triangle"}
    tax = atlas.taxonomy
    sectors = [("dot", tax.colour(s), tax.label(s)) for s in tax.order if tax.colour(s) in colours]
    return shapes + sectors


def _font(bold: bool, size: int):
    fonts = find_fonts()
    path = fonts.bold if bold else fonts.regular
    return ImageFont.truetype(str(path), size) if path else ImageFont.load_default(size)


def _text(text: str) -> str:
    """Text as the slide's Latin font can draw it (Chinese names left out, never drawn as boxes)."""
    return strip_cjk(text)


def _wrap(draw: ImageDraw.ImageDraw, text: str, font, width: int) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        trial = f"{line} {word}".strip()
        if draw.textlength(trial, font=font) <= width or not line:
            line = trial
        else:
            lines.append(line)
            line = word
    return lines + ([line] if line else [])


def _draw_legend(draw: ImageDraw.ImageDraw, rows: list[tuple[str, str, str]], top: int) -> None:
    if not rows:
        return
    font = _font(False, 22)
    row_h, x0 = 32, SLIDE_W - 430
    box = (x0 - 18, top + 18, SLIDE_W - 24, top + 30 + row_h * len(rows) + 12)
    draw.rounded_rectangle(box, 8, fill=(255, 255, 255), outline="#C9D1D9", width=2)
    for i, (shape, colour, label) in enumerate(rows):
        cx, cy = x0 + 10, top + 42 + i * row_h + row_h // 2 - 4
        if shape in ("circle", "dot"):
            draw.ellipse((cx - 9, cy - 9, cx + 9, cy + 9), fill=colour if shape == "dot" else GREY, outline="#FFFFFF")
        elif shape == "diamond":
            draw.polygon([(cx, cy - 11), (cx + 11, cy), (cx, cy + 11), (cx - 11, cy)], fill=GREY, outline=INK)
        else:
            draw.polygon([(cx, cy - 11), (cx + 10, cy + 8), (cx - 10, cy + 8)], fill=EVENT)
        draw.text((x0 + 34, cy), _text(label), font=font, fill=INK, anchor="lm")


def slide_png(
    atlas: Atlas,
    filtered: Filtered,
    view: ViewState,
    selection: Detail | None,
    title: str,
    source: str,
    date: dt.date | None = None,
) -> bytes:
    """The view as a 1920×1080 PNG: title, the map with its legend, the source line and the date."""
    spec = view_spec(atlas, filtered, view, selection)
    map_img = Image.open(io.BytesIO(render_png(spec, MAP_W, MAP_H)))
    img = Image.new("RGB", (SLIDE_W, SLIDE_H), "#FFFFFF")
    img.paste(map_img, (0, TITLE_H))
    draw = ImageDraw.Draw(img)
    title_font = _font(True, 54)
    draw.text(
        (48, TITLE_H // 2),
        _wrap(draw, _text(title), title_font, SLIDE_W - 96)[0],
        font=title_font,
        fill=INK,
        anchor="lm",
    )
    if selection is not None:
        draw.ellipse((40, TITLE_H + MAP_H - 56, 64, TITLE_H + MAP_H - 32), outline=HIGHLIGHT, width=4)
        draw.text((74, TITLE_H + MAP_H - 44), _text(selection.title), font=_font(True, 26), fill=INK, anchor="lm")
    west, south, east, north = spec.bbox
    inside = [p for p in spec.points if west <= p.lon <= east and south <= p.lat <= north]
    _draw_legend(draw, legend_rows(atlas, inside), TITLE_H)
    foot = _font(False, 22)
    day = (date or dt.date.today()).isoformat()
    lines = _wrap(draw, _text(f"Source: {source}"), foot, SLIDE_W - 96 - 480)[:2]
    for i, line in enumerate(lines):
        draw.text((48, TITLE_H + MAP_H + 20 + i * 30), line, font=foot, fill=GREY)
    draw.text((SLIDE_W - 48, TITLE_H + MAP_H + 20), f"China Cluster Atlas · {day}", font=foot, fill=GREY, anchor="ra")
    buf = io.BytesIO()
    img.save(buf, format="PNG", optimize=False)
    return buf.getvalue()


class DeckPDF(FPDF):
    """A 16:9 landscape deck: one page per slide, the slide's map image above its caption."""

    PAGE = (190.5, 338.67)  # mm, short side first (fpdf2 turns it for landscape): 13.33 × 7.5 in, 16:9

    def __init__(self):
        super().__init__(orientation="landscape", unit="mm", format=self.PAGE)
        self.set_auto_page_break(False)
        self.set_margins(10, 8, 10)
        fonts = find_fonts()
        self.unicode = bool(fonts.regular)
        if self.unicode:
            self.add_font("deck", "", str(fonts.regular))
            self.add_font("deck", "B", str(fonts.bold))
        self.face = "deck" if self.unicode else "helvetica"

    def text_of(self, text: str) -> str:
        text = strip_cjk(text)
        if not self.unicode:
            for a, b in LATIN1.items():
                text = text.replace(a, b)
            text = text.encode("latin-1", "replace").decode("latin-1")
        return text

    def add_slide(self, slide: Slide, number: int, total: int) -> None:
        self.add_page()
        image_h = 132.0
        self.image(io.BytesIO(slide.png), x=(self.w - image_h * 16 / 9) / 2, y=6, h=image_h)
        self.set_xy(12, 6 + image_h + 3)
        self.set_font(self.face, "", 13)
        self.set_text_color(31, 41, 51)
        self.multi_cell(self.w - 24, 6, self.text_of(slide.caption))
        self.set_font(self.face, "", 8)
        self.set_text_color(90, 100, 112)
        self.set_x(12)
        self.multi_cell(self.w - 24, 4, self.text_of(f"Source: {slide.source}"))
        self.set_text_color(90, 100, 112)
        self.set_xy(12, self.h - 9)
        self.cell(self.w - 24, 4, self.text_of(f"Step {number} of {total}: {slide.title}"), align="R")


def deck_pdf(slides: list[Slide]) -> bytes:
    """The slides as one PDF, a page each."""
    pdf = DeckPDF()
    pdf.set_title("China Cluster Atlas: presenter tour")
    for n, slide in enumerate(slides, 1):
        pdf.add_slide(slide, n, len(slides))
    return bytes(pdf.output())
