"""In headless Chromium: the list of what the map shows opens a place as a click on the map does."""

import re

import pytest
from browser import launch, serve
from playwright.sync_api import expect, sync_playwright

pytestmark = pytest.mark.browser


def test_choosing_a_row_of_the_list_opens_its_place_and_puts_it_in_the_address():
    with serve() as url, sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page(viewport={"width": 1500, "height": 1100})
        page.goto(f"{url}/?sector=energy&layers=clusters")
        # once the page is complete (the run the map's first report starts has drawn the sidebar),
        # as a person sees it (a click while that run was on was once seen to leave the list shut)
        sidebar = page.locator("[data-testid='stSidebar']")
        expect(sidebar.get_by_role("textbox", name="Search")).to_be_visible(timeout=60_000)
        page.get_by_text("List of what the map shows").first.click(timeout=60_000)
        grid = page.locator('[data-testid="stDataFrame"]').first
        grid.wait_for(timeout=30_000)
        box = grid.bounding_box()
        # the first row's selection box: at the grid's left edge, one row below the header
        page.mouse.click(box["x"] + 15, box["y"] + 35 + 17)
        expect(page).to_have_url(re.compile(r"[?&]sel=ic(%3A|:)IC\d+"), timeout=20_000)
        key = re.search(r"sel=ic(?:%3A|:)(IC\d+)", page.url).group(1)
        expect(page.get_by_role("heading", level=3).first).to_contain_text("industrial cluster")
        assert key
        browser.close()
