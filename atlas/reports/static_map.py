"""A static map of one place, drawn offline from the bundled boundaries (no tiles, no network).

The meeting brief embeds it in its PDF and offers it beside its Markdown. Drawn with Pillow in the map's palette:
land and province lines as on the explorer, the scope outlined in the selection colour, points
coloured by sector (circles: industrial clusters, diamonds: zones, triangles: cooperation).
Lon/lat are projected equirectangularly with the scale true at the map's middle latitude, which
is close enough for a province or the whole country on one page.
"""

from __future__ import annotations

import io
import math
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import shapely
from PIL import Image, ImageDraw

from atlas.paths import GEO_DIR
from geo.boundaries import load_layer
from geo.web import drop_specks

LAND, SEA, LINE, FINE_LINE = "#FBFBF8", "#EAF2F8", "#8A99A8", "#C9D1D9"
HIGHLIGHT = "#D55E00"  # the explorer's selection colour
CHINA_BBOX = (
    73.4,
    17.5,
    135.2,
    53.7,
)  # mainland, Hainan and Taiwan; the far-southern islets are left out
DETAIL_SPAN = 12.0  # degrees of longitude below which prefecture lines are drawn too
SUPERSAMPLE = 2  # draw large, then shrink: smooth edges without an anti-aliasing renderer


@dataclass(frozen=True)
class MapPoint:
    lon: float
    lat: float
    colour: str
    shape: str = "circle"  # circle | diamond | triangle
    ring: bool = False  # ringed in the selection colour (the brief's own cluster or zone)


@dataclass(frozen=True)
class MapSpec:
    bbox: tuple[float, float, float, float]  # lon_min, lat_min, lon_max, lat_max
    outline: object = None  # shapely geometry of the scope, outlined and tinted
    points: tuple[MapPoint, ...] = field(default_factory=tuple)


def bbox_of(geom=None, points=(), margin: float = 0.08, min_span: float = 1.5) -> tuple:
    """A box around a scope (its visible parts, not far islets) and its points, with a margin."""
    boxes = []
    if geom is not None and not geom.is_empty:
        boxes.append(drop_specks(geom).bounds)
    boxes += [(p.lon, p.lat, p.lon, p.lat) for p in points]
    if not boxes:
        return CHINA_BBOX
    x0, y0 = min(b[0] for b in boxes), min(b[1] for b in boxes)
    x1, y1 = max(b[2] for b in boxes), max(b[3] for b in boxes)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    half_w = max(x1 - x0, min_span) * (0.5 + margin)
    half_h = max(y1 - y0, min_span) * (0.5 + margin)
    return (cx - half_w, cy - half_h, cx + half_w, cy + half_h)


class Projection:
    """lon/lat -> pixels, the box widened or heightened to fill the image without distortion."""

    def __init__(self, bbox: tuple, width: int, height: int):
        x0, y0, x1, y1 = bbox
        self.k = math.cos(math.radians((y0 + y1) / 2))
        cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
        span_x, span_y = (x1 - x0) * self.k, (y1 - y0)
        if span_x / span_y < width / height:
            span_x = span_y * width / height
        else:
            span_y = span_x * height / width
        self.scale = width / span_x  # pixels per (lat-equivalent) degree
        self.cx, self.cy, self.width, self.height = cx, cy, width, height
        half_lon, half_lat = span_x / self.k / 2, span_y / 2
        self.bbox = (cx - half_lon, cy - half_lat, cx + half_lon, cy + half_lat)

    def __call__(self, lon: float, lat: float) -> tuple[float, float]:
        return (
            (lon - self.cx) * self.k * self.scale + self.width / 2,
            self.height / 2 - (lat - self.cy) * self.scale,
        )

    def ring(self, coords) -> list[tuple[float, float]]:
        return [self(x, y) for x, y in coords]


def _polygons(geom):
    return [g for g in getattr(geom, "geoms", [geom]) if g.geom_type == "Polygon" and not g.is_empty]


def _layer_shapes(level: str, proj: Projection, geo_dir: Path) -> list:
    """The layer's polygons inside the map, clipped and simplified to about half a pixel."""
    x0, y0, x1, y1 = proj.bbox
    gdf = load_layer(level, geo_dir).cx[x0:x1, y0:y1]
    tolerance = 0.5 / proj.scale
    out = []
    for geom in gdf.geometry.values:
        try:
            clipped = shapely.clip_by_rect(geom, x0 - 1, y0 - 1, x1 + 1, y1 + 1)
        except shapely.errors.GEOSException:  # GEOS's fast clip fails on one outline near Nanjing
            clipped = shapely.intersection(geom, shapely.box(x0 - 1, y0 - 1, x1 + 1, y1 + 1))
        out += _polygons(clipped.simplify(tolerance))
    return out


def _rgba(colour: str, alpha: int) -> tuple[int, int, int, int]:
    colour = colour.lstrip("#")
    return tuple(int(colour[i : i + 2], 16) for i in (0, 2, 4)) + (alpha,)


def _draw_point(draw: ImageDraw.ImageDraw, x: float, y: float, p: MapPoint, r: float) -> None:
    edge = max(1, round(r / 4))
    if p.ring:
        draw.ellipse(
            (x - 2.2 * r, y - 2.2 * r, x + 2.2 * r, y + 2.2 * r),
            outline=HIGHLIGHT,
            width=edge * 2,
        )
    if p.shape == "diamond":
        shape = [(x, y - r * 1.2), (x + r * 1.2, y), (x, y + r * 1.2), (x - r * 1.2, y)]
        draw.polygon(shape, fill=p.colour, outline="#1F2933", width=edge)
    elif p.shape == "triangle":
        shape = [
            (x, y - r * 1.2),
            (x + r * 1.1, y + r * 0.8),
            (x - r * 1.1, y + r * 0.8),
        ]
        draw.polygon(shape, fill=p.colour, outline="#FFFFFF", width=edge)
    else:
        draw.ellipse((x - r, y - r, x + r, y + r), fill=p.colour, outline="#FFFFFF", width=edge)


def marker_radius(width: int, height: int) -> float:
    return max(width, height) / 125


def fan_out(placed: list, step: float) -> list:
    """Points drawn at the same spot (several clusters in one county seat) are set around it in a
    small circle, so each one shows; others stay where they are."""
    groups: dict[tuple, list] = defaultdict(list)
    for (x, y), p in placed:
        groups[(round(x), round(y))].append(((x, y), p))
    out = []
    for members in groups.values():
        for i, ((x, y), p) in enumerate(members):
            if len(members) > 1:
                angle = 2 * math.pi * i / len(members)
                x, y = x + step * math.cos(angle), y + step * math.sin(angle)
            out.append(((x, y), p))
    return out


def render_png(spec: MapSpec, width: int = 1500, height: int = 900, geo_dir: Path = GEO_DIR) -> bytes:
    """The map as PNG bytes: sea, land with province lines (and prefecture lines when zoomed in),
    the scope tinted and outlined, then the points, ringed ones on top."""
    s = SUPERSAMPLE
    proj = Projection(spec.bbox, width * s, height * s)
    img = Image.new("RGBA", (width * s, height * s), SEA)
    draw = ImageDraw.Draw(img)
    provinces = _layer_shapes("province", proj, geo_dir)
    for poly in provinces:
        draw.polygon(proj.ring(poly.exterior.coords), fill=LAND)
    if proj.bbox[2] - proj.bbox[0] < DETAIL_SPAN:
        for poly in _layer_shapes("prefecture", proj, geo_dir):
            for ring in (poly.exterior, *poly.interiors):
                draw.line(proj.ring(ring.coords), fill=FINE_LINE, width=s)
    for poly in provinces:
        for ring in (poly.exterior, *poly.interiors):
            draw.line(proj.ring(ring.coords), fill=LINE, width=int(1.5 * s))
    if spec.outline is not None:
        img = _tint(img, proj, spec.outline)
        draw = ImageDraw.Draw(img)
        for poly in _polygons(spec.outline):
            for ring in (poly.exterior, *poly.interiors):
                draw.line(proj.ring(ring.coords), fill=HIGHLIGHT, width=3 * s, joint="curve")
    radius = marker_radius(width, height) * s
    placed = fan_out([(proj(p.lon, p.lat), p) for p in spec.points], 2.2 * radius)
    for (x, y), p in sorted(placed, key=lambda xp: xp[1].ring):
        _draw_point(draw, x, y, p, radius)
    out = img.convert("RGB").resize((width, height), Image.LANCZOS)
    buf = io.BytesIO()
    out.save(buf, format="PNG")
    return buf.getvalue()


def _tint(img: Image.Image, proj: Projection, geom) -> Image.Image:
    """A light wash of the selection colour over the scope (holes left clear)."""
    overlay = Image.new("RGBA", img.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    for poly in _polygons(geom):
        draw.polygon(proj.ring(poly.exterior.coords), fill=_rgba(HIGHLIGHT, 38))
        for hole in poly.interiors:
            draw.polygon(proj.ring(hole.coords), fill=(0, 0, 0, 0))
    return Image.alpha_composite(img, overlay)
