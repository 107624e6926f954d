"""Everything one meeting brief is offered as: PDF, Markdown, the map PNG and a zip of the
Markdown with its map, made in one go with progress reported step by step."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date

from atlas.load import Atlas
from atlas.reports.content import (
    Brief,
    Scope,
    build_brief,
    file_stem,
    load_talking_points,
)
from atlas.reports.markdown import brief_markdown, brief_zip
from atlas.reports.pdf import MAP_H, MAP_W, brief_pdf
from atlas.reports.static_map import render_png


@dataclass(frozen=True)
class Prepared:
    key: str
    day: date
    stem: str  # file name without extension, shared by every download
    brief: Brief
    png: bytes
    pdf: bytes
    markdown: str  # refers to the map as stem.png (the file beside it in the zip)
    zip: bytes
    seconds: float
    with_annex: bool = False  # the PDF, Markdown and zip carry the annex (full lists) too


def prepare(atlas: Atlas, scope: Scope, day: date, progress=lambda _msg: None, with_annex: bool = False) -> Prepared:
    """Build the brief, its map, its PDF and its Markdown (with the annex when asked for),
    reporting each step."""
    start = time.perf_counter()
    progress("Collecting facts, policies and cooperation from the datasets…")
    brief = build_brief(atlas, scope, day, load_talking_points())
    stem = file_stem(scope, day)
    progress("Drawing the map from the bundled boundaries…")
    png = render_png(brief.map, MAP_W, MAP_H)
    progress("Writing the PDF…")
    pdf = brief_pdf(brief, png, with_annex=with_annex)
    progress("Writing the Markdown…")
    text = brief_markdown(brief, f"{stem}.png", with_annex)
    bundle = brief_zip(brief, stem, png, with_annex)
    seconds = time.perf_counter() - start
    return Prepared(scope.key, day, stem, brief, png, pdf, text, bundle, seconds, with_annex)
