"""End to end in headless Chromium, offline: what a cluster manager sees and does on the map."""

import re

import pytest
from browser import (
    MAP_FRAME,
    OUTLINE_JS,
    Offline,
    click_feature,
    count,
    launch,
    map_frame,
    serve,
    wait_for_count,
    wait_for_outline,
    wait_for_zoom,
)
from playwright.sync_api import expect, sync_playwright

pytestmark = pytest.mark.browser
HUADU_VIEW = "lat=23.40&lon=113.25&z=9"
SELECTED_IC048 = re.compile(r"[?&]sel=ic(%3A|:)IC048(&|$)")  # the address says what is open


@pytest.fixture(scope="module")
def app_url():
    with serve() as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        b = launch(p)
        yield b
        b.close()


@pytest.fixture()
def page(browser):
    context = browser.new_context(viewport={"width": 1500, "height": 1000})
    page = context.new_page()
    page.offline = Offline(page)
    page.script_errors = []
    page.on("pageerror", lambda error: page.script_errors.append(str(error)))
    yield page
    context.close()
    # A script error in the map frame can leave markers drawn but deaf to clicks.
    assert page.script_errors == [], f"script errors on the page: {page.script_errors[:3]}"


def open_huadu(page, app_url: str):
    """The map at Huadu, every cluster drawn, zoomed in: where the click tests start. Returns the map frame."""
    page.goto(f"{app_url}/?{HUADU_VIEW}")
    frame = map_frame(page)
    wait_for_count(page, frame, "ic", lambda n: n == 100)
    wait_for_zoom(frame, 9)
    return frame


def test_map_shows_every_cluster_city_cluster_and_zone_offline(page, app_url, atlas):
    page.goto(app_url)
    frame = map_frame(page)
    assert wait_for_count(page, frame, "ic", lambda n: n == 100) == 100
    assert wait_for_count(page, frame, "cc", lambda n: n == 19) == 19
    zones_with_points = int(atlas.zones["lat"].notna().sum())
    assert count(frame, "z") == zones_with_points > 40
    assert count(frame, "ev") > 0 and count(frame, "org") > 0
    # province outline drawn from our own data (no tiles needed)
    frame.wait_for_function(OUTLINE_JS)
    assert page.offline.blocked == [], f"tried to reach the internet: {page.offline.blocked[:3]}"


def test_tile_basemap_degrades_to_the_outline_without_network(page, app_url):
    page.goto(app_url + "/?basemap=tiles")
    frame = map_frame(page)
    assert wait_for_count(page, frame, "ic", lambda n: n == 100) == 100
    frame.wait_for_function(OUTLINE_JS)  # outline still drawn
    expect(page.get_by_text("Industrial clusters").first).to_be_visible()


def test_clicking_huadu_opens_its_panel_with_city_cluster_and_plan(page, app_url):
    frame = open_huadu(page, app_url)
    click_feature(page, frame, "IC048")
    panel_title = page.get_by_role("heading", name="Automobile industrial cluster")
    expect(panel_title).to_be_visible(timeout=15000)
    expect(page.get_by_text("Guangzhou Automobile Industry 2025 Strategic Plan").first).to_be_visible()
    expect(page.get_by_role("button", name="City cluster: Pearl River Delta").first).to_be_visible()
    expect(page).to_have_url(SELECTED_IC048)


def test_sector_filter_changes_the_number_of_markers(page, app_url, atlas):
    page.goto(app_url)
    frame = map_frame(page)
    wait_for_count(page, frame, "ic", lambda n: n == 100)
    sidebar = page.locator("[data-testid='stSidebar']")
    sidebar.get_by_role("button", name="Automotive & transport equipment").click()
    expected = int((atlas.clusters["sector"] == "automotive").sum())
    assert wait_for_count(page, frame, "ic", lambda n: n == expected) == expected
    legend = page.frame_locator(MAP_FRAME).locator(".atlas-legend")  # the key follows the filter
    expect(legend).to_contain_text("Automotive & transport equipment")
    expect(legend).not_to_contain_text("Textiles")
    assert 0 < expected < 100
    # the map was updated in place, not reloaded: the same frame still answers
    assert wait_for_count(page, frame, "cc", lambda n: n == 19) == 19


def test_copied_url_restores_the_selection(page, browser, app_url):
    frame = open_huadu(page, app_url)
    click_feature(page, frame, "IC048")
    expect(page.get_by_role("heading", name="Automobile industrial cluster")).to_be_visible(timeout=15000)
    page.wait_for_function("() => location.search.includes('sel=')")
    copied = page.url

    other = browser.new_context(viewport={"width": 1500, "height": 1000}).new_page()
    Offline(other)
    other.goto(copied)
    expect(other.get_by_role("heading", name="Automobile industrial cluster")).to_be_visible(timeout=20000)
    expect(other.get_by_text("Guangzhou Automobile Industry 2025 Strategic Plan").first).to_be_visible()
    frame2 = map_frame(other)
    wait_for_count(other, frame2, "ic", lambda n: n == 100)
    zoom = frame2.evaluate("() => window.map.getZoom()")
    assert zoom >= 8  # the restored view is zoomed in on Guangzhou, not the whole country
    other.context.close()


def test_markup_in_a_url_is_shown_as_text(page, app_url):
    page.goto(app_url + "/?q=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E&sel=%3Cb%3Ex%3C/b%3E")
    expect(page.get_by_text("Ignored in the page address").first).to_be_visible(timeout=20000)
    assert page.locator("img[src='x']").count() == 0
    assert page.frame_locator(MAP_FRAME).locator("img[src='x']").count() == 0


def test_clicking_a_city_cluster_opens_its_panel(page, app_url, atlas):
    page.goto(f"{app_url}/?lat=30.5&lon=106.5&z=6&layers=city_clusters")
    frame = map_frame(page)
    wait_for_count(page, frame, "cc", lambda n: n == 19)
    wait_for_zoom(frame, 6)
    page.wait_for_timeout(300)
    # a point well inside the Chengdu-Chongqing cluster (Suining, between the two cities)
    xy = frame.evaluate("() => { const p = window.map.latLngToContainerPoint([30.53, 105.59]); return [p.x, p.y]; }")
    page.frame_locator(MAP_FRAME).locator("#map_div").click(position={"x": xy[0], "y": xy[1]})
    name = atlas.city_clusters.set_index("id").at["cc_chengyu", "name_en"]
    expect(page.get_by_role("heading", name=name)).to_be_visible(timeout=15000)
    expect(page.get_by_text("Member cities").first).to_be_visible()


def test_filters_and_legend_follow_the_map_and_no_timer_keeps_running(page, app_url):
    sent = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda payload: sent.append(payload)))
    page.goto(app_url)
    frame = map_frame(page)
    wait_for_count(page, frame, "ic", lambda n: n == 100)
    sidebar = page.locator("[data-testid='stSidebar']")
    expect(sidebar.get_by_role("textbox", name="Search")).to_be_visible(timeout=10000)
    expect(sidebar.locator("[data-testid='stMultiSelect']").first).to_be_visible()
    legend = page.frame_locator(MAP_FRAME).locator(".atlas-legend")
    expect(legend).to_contain_text("Automotive & transport equipment")
    expect(legend).to_contain_text("World-class city cluster")
    page.wait_for_timeout(1000)
    before = len(sent)
    page.wait_for_timeout(3500)
    assert len(sent) == before, "the page kept asking the server to rerun after everything was drawn"


def test_filters_are_one_click_away_when_the_map_cannot_load(page, app_url):
    page.route("**/leaflet.js", lambda route: route.abort())
    page.goto(app_url)
    sidebar = page.locator("[data-testid='stSidebar']")
    sidebar.get_by_role("button", name="Show the filters now").click()
    expect(sidebar.get_by_role("textbox", name="Search")).to_be_visible(timeout=15000)
    page.script_errors.clear()  # the map's scripts fail without Leaflet, as this test intends


def test_a_click_asks_the_server_once(page, app_url):
    """A click is one message to the server (one rerun), not one per layer it lands on."""
    sent = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda payload: sent.append(payload)))
    frame = open_huadu(page, app_url)
    expect(page.locator("[data-testid='stSidebar']").get_by_role("textbox", name="Search")).to_be_visible(timeout=10000)
    page.wait_for_timeout(1000)
    before = len(sent)
    click_feature(page, frame, "IC048")
    expect(page.get_by_role("heading", name="Automobile industrial cluster")).to_be_visible(timeout=10000)
    page.wait_for_timeout(800)  # past the debounce
    assert len(sent) - before == 1


def test_clicking_the_same_marker_again_opens_it_again(page, app_url):
    """A click is an event: after "Clear selection" a second click on the same marker opens it again."""
    frame = open_huadu(page, app_url)
    heading = page.get_by_role("heading", name="Automobile industrial cluster")
    click_feature(page, frame, "IC048")
    expect(heading).to_be_visible(timeout=15000)
    page.get_by_role("button", name="Clear selection").click()
    expect(page.get_by_role("heading", name="Click anything on the map")).to_be_visible(timeout=15000)
    click_feature(page, frame, "IC048")
    expect(heading).to_be_visible(timeout=15000)
    expect(page).to_have_url(SELECTED_IC048)


def test_a_marker_opens_again_after_a_selection_from_the_panel(page, app_url):
    """Selecting the city cluster from the Huadu panel pans and outlines it; clicking Huadu on the
    map then opens Huadu again (the outline is redrawn without deafening the markers)."""
    frame = open_huadu(page, app_url)
    huadu = page.get_by_role("heading", name="Automobile industrial cluster")
    click_feature(page, frame, "IC048")
    expect(huadu).to_be_visible(timeout=15000)
    page.get_by_role("button", name="City cluster: Pearl River Delta").first.click()
    expect(page.get_by_role("heading", name="Pearl River Delta")).to_be_visible(timeout=15000)
    expect(page).to_have_url(re.compile(r"[?&]sel=cc(%3A|:)cc_prd(&|$)"))
    wait_for_outline(frame)  # what a person waits for: the map outlines the city cluster
    click_feature(page, frame, "IC048")
    expect(huadu).to_be_visible(timeout=15000)
    expect(page).to_have_url(SELECTED_IC048)
