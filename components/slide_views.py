""" "Download this view": the map as a 16:9 slide (PNG) and the whole tour as a PDF deck.

Both are made when the button is pressed (st.download_button's documented callable ``data``, run
apart from the page's run), from atlas/reports/slides.py, offline.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from atlas import kinds
from atlas.drilldown import Detail, detail
from atlas.filters import Filtered, filter_atlas
from atlas.load import Atlas
from atlas.provenance import source_line, summary
from atlas.reports.slides import Slide, deck_pdf, slide_png
from atlas.state import ViewState
from atlas.tour import Tour, caption_text, frame_places, framed, step_counts, step_view


def view_title(view: ViewState, selection: Detail | None) -> str:
    """An explorer view's slide title: the selection, else what the map shows."""
    if selection is not None:
        return selection.title
    labels = kinds.layer_labels()  # the layer toggles' names (the kinds registry)
    return "China Cluster Atlas: " + (", ".join(labels[l] for l in view.layers if l in labels) or "the map")


def view_source(filtered: Filtered, view: ViewState) -> str:
    """The documents behind what the view's map shows, as one source line."""
    shown = [k.dataset for layer in view.layers for k in kinds.kinds_of(layer) if k.dataset in filtered.tables]
    sources = [
        filtered.tables[d]["source"] for d in shown if len(filtered.tables[d]) and "source" in filtered.tables[d]
    ]
    return summary(pd.concat(sources)) if sources else "China Cluster Atlas data (see the Data page)"


def download_view(
    atlas: Atlas,
    filtered: Filtered,
    view: ViewState,
    selection: Detail | None,
    title: str | None,
    source: str | None,
    key: str,
) -> None:
    """The button: the current map (layers, filters, selection, frame) as a 1920×1080 PNG. Title and
    source None: worked out from the view when the button is pressed, not on every run."""

    def make() -> bytes:
        return slide_png(
            atlas,
            filtered,
            view,
            selection,
            title or view_title(view, selection),
            source or view_source(filtered, view),
        )

    st.download_button(
        "Download this view (PNG, 16:9)",
        data=make,
        file_name=f"atlas-view-{dt.date.today().isoformat()}.png",
        mime="image/png",
        key=key,
        on_click="ignore",
        icon=":material/image:",
    )


def tour_slides(atlas: Atlas, tour: Tour) -> list[Slide]:
    """Every step as the tour shows it: framed view, caption with the map's numbers, source."""
    slides = []
    for step in tour.steps:
        view = step_view(step)
        filtered = filter_atlas(atlas, view)
        view = framed(step, view, frame_places(step, atlas, filtered, view))
        selection = detail(atlas, step.sel) if step.sel else None
        source = source_line(step.source)
        png = slide_png(atlas, filtered, view, selection, step.title, source)
        slides.append(Slide(step.title, caption_text(step, step_counts(filtered, view)), source, png))
    return slides


def download_deck(atlas: Atlas, tour: Tour, key: str) -> None:
    """The button: the whole tour as a PDF, one page per step (the fallback for a failing venue)."""
    st.download_button(
        "Download the tour (PDF deck)",
        data=lambda: deck_pdf(tour_slides(atlas, tour)),
        file_name="atlas-tour.pdf",
        mime="application/pdf",
        key=key,
        on_click="ignore",
        icon=":material/slideshow:",
    )
