"""Presenter tour: the tour file validates against the data, the ready-to-present check names what
is missing, the page under AppTest, and the whole tour walked offline in headless Chromium."""

import os
import re
from pathlib import Path

import pytest
from app_pages import app_test
from conftest import run_page as run_page_at
from streamlit.testing.v1 import AppTest

from atlas.filters import filter_atlas
from atlas.kinds import layer_codes
from atlas.page_params import parse
from atlas.paths import DATA_DIR, GEO_DIR
from atlas.tour import (
    BOUNDARY_FILES,
    MAX_STEPS,
    MIN_STEPS,
    TOUR_FILE,
    caption_text,
    load_tour,
    readiness,
    selectable,
    step_counts,
    step_number,
    step_param,
    step_view,
    validate_tour,
)
from components import tour_views as tv

PAGE = str(Path(__file__).resolve().parents[1] / "pages" / "8_Presenter_tour.py")


@pytest.fixture(scope="module")
def tour():
    return load_tour()


def expected_features(atlas, step) -> dict[str, int]:
    """What the step's map must show, per feature kind, counted from the data."""
    view = step_view(step)
    f = filter_atlas(atlas, view)
    orgs = f.organisations
    return {
        "ic": len(f.clusters) if "clusters" in step.layers else 0,
        "z": int(f.zones["lat"].notna().sum()) if "zones" in step.layers else 0,
        "cc": len(f.city_clusters) if "city_clusters" in step.layers else 0,
        "ev": len(f.events) if "cooperation" in step.layers else 0,
        "org": int((orgs["category"] == "eu_support").sum()) if "cooperation" in step.layers else 0,
    }


# ---------------------------------------------------------------- the tour file


def test_tour_file_validates_against_the_data(atlas, tour):
    assert validate_tour(tour, atlas) == []
    assert MIN_STEPS <= len(tour.steps) <= MAX_STEPS
    known = selectable(atlas)
    for step in tour.steps:
        assert not step.sel or step.sel in known
        assert step.layers and set(step.layers) <= set(layer_codes())
        assert re.search(r"\d{3}_[0-9a-f]{16}\.txt|shared/reference/|https?://", step.source), step.id
    assert any(s.sel == "ic:IC048" for s in tour.steps)  # the drill-down step


def test_every_step_shows_something_and_its_caption_counts_match(atlas, tour):
    for step in tour.steps:
        shown = expected_features(atlas, step)
        assert sum(shown.values()) > 0 or "provinces" in step.layers, step.id
        text = caption_text(step, step_counts(filter_atlas(atlas, step_view(step)), step_view(step)))
        assert "{" not in text
        if "{clusters}" in step.caption:
            assert f"{shown['ic']:,}" in text
    first = caption_text(
        tour.steps[0], step_counts(filter_atlas(atlas, step_view(tour.steps[0])), step_view(tour.steps[0]))
    )
    assert f"{len(atlas.clusters)} top industrial clusters" in first


def test_validator_names_each_mistake(atlas, tmp_path):
    bad = tmp_path / "tour.yaml"
    bad.write_text(
        """
- {id: a, title: A, lat: 35, lon: 104, zoom: 4, layers: [clusters, lasers], caption: "x {nope}", source: ""}
- {id: a, title: B, lat: 0, lon: 0, zoom: 4, layers: [zones], sel: "ic:IC999", caption: y,
   source: "somewhere", filters: {sector: [rockets]}, panel: chart}
""",
        encoding="utf-8",
    )
    problems = " | ".join(validate_tour(load_tour(bad), atlas))
    for expected in (
        "6 to 8",
        "used twice",
        "lasers",
        "nope",
        "needs a source",
        "IC999",
        "not over China",
        "rockets",
        "unknown panel chart",
    ):
        assert expected in problems, expected


def test_step_from_the_url_falls_back_to_the_first_with_a_notice():
    spec = [step_param(7)]
    assert step_number(parse({"step": "3"}, spec)[0], 7) == 3
    assert step_number(parse({}, spec)[0], 7) == 1
    for raw in ("99", "0", "abc", "<b>", "inf", "1e309", "[a](//e.io)"):
        values, ignored = parse({"step": raw}, spec)
        assert step_number(values, 7) == 1 and ignored and "](" not in ignored[0]


# ---------------------------------------------------------------- ready to present


def _linked_copy(src: Path, dst: Path) -> None:
    """A copy of data/ made of symlinks, so a test can remove one file cheaply."""
    for path in src.rglob("*"):
        if path.is_file():
            target = dst / path.relative_to(src)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.symlink(path, target)


def test_ready_to_present_on_the_bundled_files(atlas):
    checks = readiness([], load=lambda d, g: atlas)
    assert [c.ok for c in checks] == [True] * 4, checks
    assert {c.name.split(" (")[0] for c in checks} == {"Map assets", "Boundaries", "Data", "Tour"}


def test_readiness_says_plainly_what_is_missing(tmp_path):
    data = tmp_path / "data"
    _linked_copy(DATA_DIR, data)
    (data / "geo" / "provinces.geojson").unlink()
    checks = {
        c.name.split(" (")[0]: c
        for c in readiness(["static/vendor/leaflet/leaflet.js"], data, data / "geo", data / "tour.yaml")
    }
    assert not checks["Map assets"].ok and "leaflet.js" in checks["Map assets"].detail
    assert not checks["Boundaries"].ok and "provinces.geojson" in checks["Boundaries"].detail
    assert not checks["Data"].ok and "not checked" in checks["Data"].detail
    assert "counties.geojson" not in checks["Boundaries"].detail  # only what is missing is named

    (data / "geo" / "provinces.geojson").symlink_to(GEO_DIR / "provinces.geojson")
    (data / "zones.csv").unlink()
    checks = {c.name.split(" (")[0]: c for c in readiness([], data, data / "geo", data / "tour.yaml")}
    assert checks["Map assets"].ok and checks["Boundaries"].ok
    assert not checks["Data"].ok and "zones.csv" in checks["Data"].detail
    assert len(BOUNDARY_FILES) == 5


def test_readiness_reports_a_missing_tour_file(atlas, tmp_path):
    checks = readiness([], tour_path=tmp_path / "tour.yaml", load=lambda d, g: atlas)
    assert not checks[-1].ok and "tour.yaml is missing" in checks[-1].detail
    assert TOUR_FILE.exists()


# ---------------------------------------------------------------- the page under AppTest


def run_page(**params) -> AppTest:
    return run_page_at(PAGE, **params)


def html_text(at) -> str:
    return re.sub(r"<[^>]+>", " ", "\n".join(m.value for m in at.markdown)).replace("&#x27;", "'")


def test_page_opens_on_step_one_with_the_readiness_check(atlas, tour):
    at = run_page()
    assert tour.steps[0].title in html_text(at)
    assert f"{len(atlas.clusters)} top industrial clusters" in html_text(at)
    assert [e.label for e in at.expander if e.label.startswith("Ready to present offline")]  # one line
    assert at.query_params["step"] in ("1", ["1"])


def test_page_step_from_url_and_next_button(atlas, tour):
    n = next(i for i, s in enumerate(tour.steps, 1) if s.sel == "ic:IC048")
    at = run_page(step=str(n))
    text = html_text(at)
    assert tour.steps[n - 1].title in text and "Huadu" in text
    assert not [e for e in at.expander if e.label.startswith("Ready")]  # the all-clear is for step 1 only
    links = [e.proto for e in at.get("page_link") if "Open this view in the map explorer" in e.proto.label]
    assert links and links[0].page == ""  # the explorer, at the app's own address
    assert "sel=ic%3AIC048" in links[0].query_string and "z=9" in links[0].query_string  # the same view, for questions
    at.button(key="tour_next_top").click().run()
    assert not at.exception
    assert at.query_params["step"] in (str(n + 1), [str(n + 1)])
    assert tour.steps[n].title in html_text(at)


def test_page_with_an_unknown_step_starts_at_one_with_a_notice(tour):
    at = run_page(step="<b>42</b>")
    assert tour.steps[0].title in html_text(at)
    assert any("Starting at step 1" in i.value for i in at.info)


def test_a_link_in_the_step_parameter_is_shown_as_text_not_as_a_link(tour):
    at = run_page(step="[a](//e.io) ![i](//e.io/x.png) $x^2$ :red[x]")
    notice = " ".join(i.value for i in at.info)
    assert "Starting at step 1" in notice and "](" not in notice and "$" not in notice


# ---------------------------------------------------------------- end to end, offline, in Chromium


@pytest.mark.browser
def test_walk_the_whole_tour_offline(atlas, tour):
    from browser import Offline, count, launch, map_frame, serve, wait_for_count
    from playwright.sync_api import expect, sync_playwright

    with serve() as url, sync_playwright() as p:
        browser = launch(p)
        page = browser.new_context(viewport={"width": 1500, "height": 1000}).new_page()
        offline = Offline(page)
        page.goto(f"{url}/Presenter_tour?step=1")
        frame = map_frame(page)
        for n, step in enumerate(tour.steps, 1):
            page.wait_for_function(f"() => location.search.includes('step={n}')")
            caption = caption_text(step, step_counts(filter_atlas(atlas, step_view(step)), step_view(step)))
            expect(page.locator(".tour-caption")).to_have_text(caption, timeout=20000)
            expect(page.locator(".tour-title")).to_have_text(step.title)
            expect(page.locator(".tour-kicker")).to_contain_text(f"step {n} of {len(tour.steps)}")
            for kind, expected in expected_features(atlas, step).items():
                assert wait_for_count(page, frame, kind, lambda k, e=expected: k == e) == expected, (step.id, kind)
            if "provinces" in step.layers:
                assert count(frame, "province") > 30
            assert page.locator("[data-testid='stException']").count() == 0, step.id
            if n < len(tour.steps):
                page.get_by_role("button", name="Next ▶").first.click()
        assert page.get_by_role("button", name="Next ▶").first.is_disabled()

        # a bookmarked step opens directly, zoomed in on its place
        n = next(i for i, s in enumerate(tour.steps, 1) if s.sel == "ic:IC048")
        page.goto(f"{url}/Presenter_tour?step={n}")
        frame = map_frame(page)
        expect(page.locator(".tour-title")).to_have_text(tour.steps[n - 1].title, timeout=20000)
        frame.wait_for_function(f"() => window.map.getZoom() >= {tour.steps[n - 1].zoom}", timeout=20000)
        assert page.locator("[data-testid='stException']").count() == 0
        assert offline.blocked == [], f"tried to reach the internet: {offline.blocked[:3]}"
        browser.close()


def test_every_step_address_the_tour_writes_reads_back_as_that_step(tour):
    total = len(tour.steps)
    for n in range(1, total + 1):
        values, ignored = parse(tv.address(n), [step_param(total)])
        assert step_number(values, total) == n and not ignored


def test_the_jump_list_writes_the_step_and_drops_what_the_tour_does_not_read(tour):
    at = run_page(step="2", utm_source="<b>x</b>")
    assert [i.value for i in at.info] == ["Ignored in the page address: unknown parameter `utm_source`."]
    assert tour.steps[1].title in html_text(at)  # the step it named, not step 1
    at.selectbox(key="tour_jump").select(len(tour.steps)).run()
    assert not at.exception
    assert {k: at.query_params[k] for k in at.query_params} in (
        {"step": str(len(tour.steps))},
        {"step": [str(len(tour.steps))]},
    )
    assert tour.steps[-1].title in html_text(at)
    assert not at.info  # the notice was about the address the tour was opened with


def test_tour_sources_are_document_titles_and_events_are_counted_once(atlas):
    """The tour cites documents by title (no seed file names) and counts events as every page does."""
    import re

    from atlas import counts
    from atlas.tour import load_tour

    tour = load_tour()
    seen_cooperation = False
    at = app_test(PAGE)
    for n, step in enumerate(tour.steps, start=1):
        at.query_params["step"] = str(n)
        at.run()
        assert not at.exception, at.exception
        shown = " ".join(m.value for m in at.markdown) + " ".join(c.value for c in at.caption)
        assert not re.search(r"\d{3}_[0-9a-f]{16}\.txt", shown), f"step {n} shows a file name"
        if step.panel == "cooperation":
            seen_cooperation = True
            events = next(m for m in at.metric if m.label.startswith("Events and missions"))
            assert events.value == str(counts.totals(atlas)["events"])
    assert seen_cooperation


def test_tour_source_lines_are_titles_its_event_count_is_atlas_counts_and_its_figures_say_their_year(atlas, tour):
    """Each step's source line names the documents by title (never a file name like 002_... or
    a .md sheet); the cooperation step counts events as atlas/counts.py does (a mission's stops
    said as stops); every metric the tour shows says its year or its document's date."""
    from atlas import counts
    from atlas.paths import SEED_FILES
    from atlas.provenance import SEED_FILE

    at = app_test(PAGE)
    for n, step in enumerate(tour.steps, start=1):
        at.query_params["step"] = str(n)
        at.run()
        assert not at.exception, at.exception
        source = next(m.value for m in at.markdown if 'class="tour-source"' in m.value).split("Source:", 1)[1]
        lines = [source] + [c.value for c in at.caption if "Source:" in c.value]
        for line in lines:
            assert not re.search(r"\b\d{3}_[0-9a-f]{16}|\.md\b|\.txt\b|shared/reference", line), (n, line)
        for seed in dict.fromkeys(SEED_FILE.findall(step.source)):
            assert SEED_FILES[seed] in source, (n, seed)
        for m in at.metric:
            assert re.search(
                r"\((?:[^()]*\b(?:19|20)\d{2}\b[^()]*|[^()]*(?:briefings?|factsheet|Paper|page))\)$", m.label
            ), (
                n,
                m.label,
            )
        if step.panel == "cooperation":
            events = next(m for m in at.metric if m.label.startswith(counts.LABELS["events"]))
            assert events.value == str(counts.event_count(atlas.events)) != str(len(atlas.events))
            assert events.proto.help.startswith(counts.stops_of_events(atlas.events))


@pytest.mark.browser
def test_keys_and_a_clicker_move_between_steps_and_f_presents_full_screen(tour):
    """Right/Left, PageDown/PageUp (a clicker), Space, Home/End move from anywhere on the page, one
    address per step, not while typing in the jump list; F hides Streamlit's chrome and the map
    reaches the bottom of a 1280×720 and a 1920×1080 screen."""
    from browser import launch, map_frame, serve
    from playwright.sync_api import expect, sync_playwright

    total = len(tour.steps)
    with serve() as url, sync_playwright() as p:
        browser = launch(p)
        page = browser.new_context(viewport={"width": 1280, "height": 720}).new_page()
        page.goto(f"{url}/Presenter_tour?step=1")
        map_frame(page)
        kicker = page.locator(".tour-kicker")
        expect(kicker).to_contain_text(f"step 1 of {total}", timeout=30000)
        for key, want in (("ArrowRight", 2), ("PageDown", 3), ("Space", 4), ("ArrowLeft", 3), ("PageUp", 2)):
            page.locator(".tour-title").click()  # focus on the page, not on a button
            page.keyboard.press(key)
            expect(kicker).to_contain_text(f"step {want} of {total}", timeout=20000)
            page.wait_for_function(f"() => new URLSearchParams(location.search).get('step') === '{want}'")
        page.keyboard.press("End")
        expect(kicker).to_contain_text(f"step {total} of {total}", timeout=20000)
        page.keyboard.press("Home")
        expect(kicker).to_contain_text(f"step 1 of {total}", timeout=20000)
        # typing in the jump list moves nothing
        page.locator("[data-testid='stSelectbox'] input").first.focus()
        page.keyboard.press("ArrowRight")
        page.keyboard.press("Escape")
        page.locator(".tour-title").click()
        expect(kicker).to_contain_text(f"step 1 of {total}")
        assert "step=1" in page.url
        # the key help lists the keys
        page.get_by_role("button", name="?").click()
        help_text = page.locator("[data-testid='stPopoverBody']").inner_text()
        assert all(k in help_text for k in ("PageDown", "Space", "Home", "F"))
        page.keyboard.press("Escape")

        page.locator(".tour-title").click()
        page.keyboard.press("f")
        page.wait_for_function("() => new URLSearchParams(location.search).get('present') === '1'")
        expect(page.locator("[data-testid='stHeader']")).to_be_hidden(timeout=20000)
        expect(page.locator("[data-testid='stSidebar']")).to_be_hidden()
        expect(kicker).to_contain_text("Ready to present offline")  # folded into the kicker line
        for width, height in ((1280, 720), (1920, 1080)):
            page.set_viewport_size({"width": width, "height": height})
            frame_box = page.wait_for_function(
                """(h) => { const f = document.querySelector("iframe[title='streamlit_folium.st_folium']");
                     const b = f && f.getBoundingClientRect();
                     return b && b.bottom <= h && b.bottom >= h * 0.97 ? [b.top, b.bottom] : false; }""",
                arg=height,
                timeout=20000,
            ).json_value()
            map_div = page.frame_locator(MAP_SELECTOR).locator("#map_div").bounding_box()
            assert map_div["height"] >= frame_box[1] - frame_box[0] - 2, (width, map_div, frame_box)
            caption = page.locator(".tour-caption").bounding_box()
            assert caption["y"] + caption["height"] <= height, width
        page.keyboard.press("ArrowRight")
        page.wait_for_function("() => location.search.includes('step=2') && location.search.includes('present=1')")
        browser.close()


MAP_SELECTOR = "iframe[title='streamlit_folium.st_folium']"


def test_each_step_is_framed_to_every_place_it_shows(atlas, tour):
    """A framed step's view is worked out from its places (not its typed lat/lon/zoom), and the
    frame at FRAME_PX holds every one of them; the caption's numbers are the map's."""
    from atlas.tour import FRAME_PX, frame_places, framed
    from geo.framing import TILE, mercator_y

    for step in tour.steps:
        view = step_view(step)
        f = filter_atlas(atlas, view)
        places = frame_places(step, atlas, f, view)
        assert bool(places) == bool(step.frame), step.id
        v = framed(step, view, places)
        half_w = FRAME_PX[0] / 2 / (TILE * 2**v.zoom) * 360
        half_h = FRAME_PX[1] / 2 / (TILE * 2**v.zoom) * 2 * 3.141592653589793
        for key, (w, s, e, n) in places:
            assert v.lon - half_w <= w and e <= v.lon + half_w, (step.id, key)
            assert mercator_y(v.lat) - half_h <= mercator_y(s) and mercator_y(n) <= mercator_y(v.lat) + half_h
    cooperation = next(s for s in tour.steps if s.panel == "cooperation")
    f = filter_atlas(atlas, step_view(cooperation))
    text = caption_text(cooperation, step_counts(f, step_view(cooperation)))
    assert (
        text.startswith(f"{len(f.events)} stops of EU-China") and f"{tv.cooperation_metrics(atlas, f)[1][1]} " in text
    )


@pytest.mark.browser
def test_every_framed_place_is_inside_the_map_at_1280x720(atlas, tour):
    """For every step, at 1280×720: the map has moved to the step's frame and every place the
    step is framed to lies inside the map's visible bounds (Leaflet's getBounds)."""
    from browser import launch, map_frame, serve
    from playwright.sync_api import expect, sync_playwright

    from atlas.tour import frame_places, framed

    bounds_js = """([lat, lon, zoom]) => { const m = window.map; if (!m || m.getZoom() !== zoom) return false;
      const c = m.getCenter(); if (Math.abs(c.lat - lat) > 0.25 || Math.abs(c.lng - lon) > 0.25) return false;
      const b = m.getBounds(); return [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()]; }"""
    with serve() as url, sync_playwright() as p:
        browser = launch(p)
        page = browser.new_context(viewport={"width": 1280, "height": 720}).new_page()
        page.goto(f"{url}/Presenter_tour?step=1")
        frame = map_frame(page)
        # The tour is framed for its map with the sidebar folded, as the tour opens (a fresh server
        # opened it unfolded: issue 23 §2, fixed in app.py); fold it as a presenter would if it is open.
        if page.locator("[data-testid='stSidebar']").bounding_box()["width"] > 0:
            page.locator("[data-testid='stSidebarHeader']").hover()
            page.locator("[data-testid='stSidebarCollapseButton'] button").click()
            frame.wait_for_function("() => document.getElementById('map_div').getBoundingClientRect().width >= 620")
        for n, step in enumerate(tour.steps, 1):
            expect(page.locator(".tour-kicker")).to_contain_text(f"step {n} of", timeout=20000)
            view = step_view(step)
            f = filter_atlas(atlas, view)
            places = frame_places(step, atlas, f, view)
            v = framed(step, view, places)
            west, south, east, north = frame.wait_for_function(
                bounds_js, arg=[v.lat, v.lon, v.zoom], timeout=20000
            ).json_value()
            outside = [k for k, (w, s, e, nn) in places if not (west <= w and e <= east and south <= s and nn <= north)]
            assert not outside, (step.id, outside[:5], (west, south, east, north))
            if n < len(tour.steps):
                page.keyboard.press("ArrowRight")
        browser.close()
