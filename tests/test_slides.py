"""The view as a slide: every tour step and an explorer view as a 1920×1080 PNG with its title and
source, the tour as a PDF deck whose pages carry each step's text; and the buttons in the browser."""

from __future__ import annotations

import io
import re

import pypdf
import pytest
from PIL import Image

from atlas.drilldown import detail
from atlas.filters import filter_atlas
from atlas.provenance import source_line
from atlas.reports.slides import SLIDE_H, SLIDE_W, deck_pdf, slide_png, view_spec
from atlas.state import ViewState
from atlas.tour import caption_text, frame_places, framed, load_tour, step_counts, step_view
from components.slide_views import tour_slides


def words(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_every_step_is_a_16_9_slide_of_its_own_view(atlas):
    tour = load_tour()
    pngs = set()
    for step in tour.steps:
        view = step_view(step)
        f = filter_atlas(atlas, view)
        view = framed(step, view, frame_places(step, atlas, f, view))
        png = slide_png(atlas, f, view, detail(atlas, step.sel) if step.sel else None, step.title, "a source")
        img = Image.open(io.BytesIO(png))
        assert (img.format, img.size) == ("PNG", (SLIDE_W, SLIDE_H)) == ("PNG", (1920, 1080))
        pngs.add(png)
        spec = view_spec(atlas, f, view, detail(atlas, step.sel) if step.sel else None)
        west, south, east, north = spec.bbox
        for _, (w, s, e, n) in frame_places(step, atlas, f, view):  # the slide holds the step's frame
            assert west <= w and e <= east and south <= s and n <= north, step.id
    assert len(pngs) == len(tour.steps)  # each step its own picture


def test_an_explorer_view_keeps_its_filters_and_selection(atlas):
    view = ViewState(sectors=("automotive",), sel="ic:IC048", lat=23.4, lon=113.25, zoom=7)
    f = filter_atlas(atlas, view)
    spec = view_spec(atlas, f, view, detail(atlas, view.sel))
    clusters = [p for p in spec.points if p.shape == "circle"]
    assert len(clusters) == len(f.clusters) < len(atlas.clusters)
    assert [p.ring for p in spec.points].count(True) == 1
    whole = view_spec(atlas, filter_atlas(atlas, ViewState()), ViewState(), None)
    assert whole.bbox[2] - whole.bbox[0] > 40 > spec.bbox[2] - spec.bbox[0]


def test_the_tour_deck_has_a_page_per_step_with_its_caption_and_source(atlas):
    tour = load_tour()
    reader = pypdf.PdfReader(io.BytesIO(deck_pdf(tour_slides(atlas, tour))))
    assert len(reader.pages) == len(tour.steps)
    for page, step in zip(reader.pages, tour.steps, strict=True):
        text = words(page.extract_text())
        view = step_view(step)
        caption = caption_text(step, step_counts(filter_atlas(atlas, view), view))
        assert words(caption) in text, step.id
        assert words(source_line(step.source))[:60] in text and step.title in text, step.id
        assert page.images and page.mediabox.width / page.mediabox.height == pytest.approx(16 / 9, rel=0.01)


def download(page, button: str, timeout: float):
    """Click a download button and return Playwright's download of its file."""
    with page.expect_download(timeout=timeout * 1000) as dl:
        page.get_by_role("button", name=button).click()
    return dl.value


@pytest.mark.browser
def test_download_this_view_from_a_tour_step_and_the_explorer_and_the_deck():
    """The files a presenter gets: a 1920×1080 PNG of a tour step and of an explorer view, and the
    deck with one page per step, each page carrying its step's title.

    A deferred download's file id is renewed on every run of the page, so a click is made once the
    run that draws the button is over: on the tour the step's title; on the explorer the sidebar's
    filters, drawn after the button by the run the map's first report starts."""
    from browser import launch, map_frame, serve
    from playwright.sync_api import expect, sync_playwright

    tour = load_tour()
    with serve() as url, sync_playwright() as p:
        browser = launch(p)
        page = browser.new_context(viewport={"width": 1280, "height": 720}, accept_downloads=True).new_page()
        page.goto(f"{url}/Presenter_tour?step=2")
        map_frame(page)
        expect(page.locator(".tour-title")).to_have_text(tour.steps[1].title, timeout=20000)
        png = download(page, "Download this view", timeout=60)
        assert Image.open(png.path()).size == (1920, 1080) and png.suggested_filename.endswith(".png")
        # The backend gives a deferred file 180 s before the browser stops waiting for it.
        deck = download(page, "Download the tour", timeout=180)
        assert deck.suggested_filename == "atlas-tour.pdf"
        pages = pypdf.PdfReader(deck.path()).pages
        assert len(pages) == len(tour.steps)
        for pdf_page, step in zip(pages, tour.steps, strict=True):
            assert step.title in words(pdf_page.extract_text()), step.id

        page.goto(f"{url}/?sector=automotive&sel=ic%3AIC048")
        map_frame(page)
        sidebar = page.locator("[data-testid='stSidebar']")
        expect(sidebar.get_by_role("textbox", name="Search")).to_be_visible(timeout=30000)
        png = download(page, "Download this view", timeout=60)
        assert Image.open(png.path()).size == (1920, 1080)
        assert page.locator("[data-testid='stException']").count() == 0
        browser.close()
