"""Speed of the atlas in headless Chromium, against a bare Streamlit page (the floor).

    .venv/bin/python -m scripts.benchmark [--runs 5] [--pages | --explorer]
    .venv/bin/python -m scripts.benchmark --brief [--runs 1]
    .venv/bin/python -m scripts.benchmark --cold | --tour | --slides [--runs 5]

The explorer: medians of several loads (same browser, same machine) of navigation → map
populated (every cluster marker, city cluster and zone drawn), navigation → the whole page (the
sidebar filters follow the map), filter → updated map, click → panel, the bytes the map sends,
and the ratios to the bare page and to a naive one-page st_folium app. Targets on the 2-core
reference machine: map ≤ 1.5 × bare page; filter and click each < 0.5 s.

The other pages (``PAGES``): navigation → main content (the page's first chart, or what stands
for it) and → complete (the script run finished, every chart in view drawn), each against the
bare page loaded in the same rounds; plus the main thread's blocked time (long tasks beyond
50 ms, as Lighthouse counts it), the bytes the page receives, and the server's time for one run
of the page script (``--server``, warm caches, streamlit.testing). Targets: main content ≤ 1.5 ×
and complete ≤ 2 × the bare page. Only public DOM is read: data-testid attributes, the app's
data-test-script-state, chart SVGs. Not a test: it prints figures. ``--pages`` or
``--explorer`` runs only that part.

``--brief`` (no browser): the meeting brief's preparation (content, map, PDF, Markdown and zip, as
the page's button does) for every scope of each kind, ``--runs`` times each, with and without the
annex: median and slowest wall time, median CPU time, and the PDF's page count (read back with
pypdf). Target on the 2-core reference machine: under 2 s; the body two pages at most.

``--cold``: a fresh server per run, made ready as scripts/run.sh makes it (health, then
scripts/ready.py's first session), then the explorer opened in a fresh browser context twice:
the first visit after "ready" against the second (warm) one; and, on another fresh server that
only answered its health check, the first visit without the warm-up. ``--tour``: each tour
step's time from a click on "Next" to its map ready (the step's kicker shown, the map at the
step's frame with every feature the step shows drawn), at 1280×720 and 1920×1080, after one walk
that warms the server. ``--slides`` (no browser): "Download this view" (the PNG of one explorer
view and of one tour step) and the tour's PDF deck, made as the buttons make them.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import sync_playwright

from atlas.load import load_atlas
from tests.browser import MAP_FRAME, POINT_JS, count, launch, map_frame, serve, wait_for_zoom

SIZES = ((1280, 720), (1920, 1080))

ROOT = Path(__file__).resolve().parents[1]

HUADU_VIEW = "lat=23.40&lon=113.25&z=9"

CHART = "[data-testid='stPlotlyChart'] svg.main-svg"
DOWNLOAD = "[data-testid='stDownloadButton']"


@dataclass(frozen=True)
class PageSpec:
    """One page to time: its address (after the app's base URL) and what stands for its main content."""

    name: str
    path: str
    main: str  # CSS selector of the main content (the first chart, or what the page shows first)


PAGES = (
    PageSpec("Sectors", "/Sectors", CHART),
    PageSpec("Policies", "/Policies", CHART),
    PageSpec("Cooperation", "/Cooperation", CHART),
    PageSpec(
        "Compare (Guangdong, Zhejiang, Yangtze River Delta)",
        "/Compare?compare=province:440000,province:330000,cc:cc_yrd",
        CHART,
    ),
    PageSpec("Data", "/Data", DOWNLOAD),
)
BARE = PageSpec("bare page", "", "[data-testid='stMarkdownContainer']")

# The run finished and everything in view is drawn: no chart without its SVG, no skeleton, no
# map frame without its map. Hidden content (other tabs, closed expanders) is not waited for.
COMPLETE_JS = """() => {
  const app = document.querySelector("[data-testid='stApp']");
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  const shown = el => el.offsetParent !== null;
  for (const c of document.querySelectorAll("[data-testid='stPlotlyChart']"))
    if (shown(c) && !c.querySelector('svg.main-svg')) return false;
  if ([...document.querySelectorAll("[data-testid='stSkeleton']")].some(shown)) return false;
  for (const f of document.querySelectorAll('iframe'))
    if (shown(f) && f.contentWindow && f.title.startsWith('streamlit_folium') && !f.contentWindow.map) return false;
  return true; }"""
# Long tasks (> 50 ms) on the main thread, recorded from the first byte of the page.
LONG_TASKS_JS = """window.__blocked = 0; window.__longest = 0;
new PerformanceObserver(list => { for (const e of list.getEntries()) {
  window.__blocked += Math.max(0, e.duration - 50); window.__longest = Math.max(window.__longest, e.duration); } })
  .observe({type: 'longtask', buffered: true});"""


def poll(page, predicate, timeout=30.0, step_ms=5):
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        try:
            if predicate():
                return time.perf_counter()
        except Exception:  # the frame may be replaced while we look
            pass
        page.wait_for_timeout(step_ms)
    raise TimeoutError("condition not reached")


def time_bare(browser, url: str) -> float:
    page = browser.new_page()
    t0 = time.perf_counter()
    page.goto(url)
    page.get_by_text("Hello").wait_for()
    dt = time.perf_counter() - t0
    page.close()
    return dt


def populated(page, n_zones: int):
    frames = [f for f in page.frames if "streamlit_folium" in f.url]
    return (
        bool(frames)
        and count(frames[0], "ic") == 100
        and count(frames[0], "cc") == 19
        and count(frames[0], "z") == n_zones
    )


def time_naive(browser, url: str) -> float:
    """The naive st_folium page: navigation → its 100 circle markers drawn."""
    page = browser.new_page(viewport={"width": 1500, "height": 1000})
    t0 = time.perf_counter()
    page.goto(url)
    js = "() => { let n = 0; window.map.eachLayer(l => { if (l instanceof L.CircleMarker) n++; }); return n; }"

    def drawn():
        frames = [f for f in page.frames if "streamlit_folium" in f.url]
        return bool(frames) and frames[0].evaluate(js) >= 100

    t1 = poll(page, drawn)
    page.close()
    return t1 - t0


def time_map(browser, url: str, n_zones: int) -> tuple[float, float, int]:
    """Navigation → map populated, and → sidebar filters shown (they follow the map)."""
    page = browser.new_page(viewport={"width": 1500, "height": 1000})
    received = []
    page.on("websocket", lambda ws: ws.on("framereceived", lambda payload: received.append(len(payload))))
    t0 = time.perf_counter()
    page.goto(url)
    t1 = poll(page, lambda: populated(page, n_zones))
    sidebar = page.locator("[data-testid='stSidebar']")
    search, places = sidebar.get_by_role("textbox", name="Search"), sidebar.locator("[data-testid='stMultiSelect']")
    t2 = poll(page, lambda: search.count() > 0 and places.count() == 2 and places.last.is_visible())
    page.wait_for_timeout(300)  # let the last rerun's messages arrive too
    page.close()
    return t1 - t0, t2 - t0, sum(received)


def time_filter(browser, url: str, expected: int) -> float:
    page = browser.new_page(viewport={"width": 1500, "height": 1000})
    page.goto(url)
    frame = map_frame(page)
    poll(page, lambda: count(frame, "ic") == 100)
    page.wait_for_timeout(500)
    option = page.locator("[data-testid='stSidebar']").get_by_role("button", name="Automotive & transport equipment")
    option.wait_for()
    page.wait_for_timeout(300)
    box = option.bounding_box()
    t0 = time.perf_counter()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    t1 = poll(page, lambda: count(frame, "ic") == expected)
    page.close()
    return t1 - t0


def time_click(browser, url: str) -> float:
    page = browser.new_page(viewport={"width": 1500, "height": 1000})
    page.goto(f"{url}/?{HUADU_VIEW}")
    frame = map_frame(page)
    poll(page, lambda: count(frame, "ic") == 100)
    wait_for_zoom(frame, 9)
    page.locator("[data-testid='stSidebar']").get_by_role("textbox", name="Search").wait_for()  # page complete
    page.wait_for_timeout(500)
    xy = frame.evaluate(POINT_JS, "IC048")
    box = page.locator(MAP_FRAME).bounding_box()
    div = frame.evaluate(
        "() => { const r = document.getElementById('map_div').getBoundingClientRect(); return [r.x, r.y]; }"
    )
    heading = page.get_by_role("heading", name="Automobile industrial cluster")
    # the mouse itself, not a locator click: that first waits for the target to be "stable"
    # (two animation frames), which is the test driver's time, not the app's
    t0 = time.perf_counter()
    page.mouse.click(box["x"] + div[0] + xy[0], box["y"] + div[1] + xy[1])
    t1 = poll(page, lambda: heading.count() > 0 and heading.first.is_visible())
    page.close()
    return t1 - t0


def time_page(browser, url: str, spec: PageSpec) -> dict[str, float]:
    """Navigation → main content, → complete; main-thread time blocked; bytes received."""
    page = browser.new_page(viewport={"width": 1500, "height": 1000})
    page.add_init_script(LONG_TASKS_JS)
    received = []
    page.on("websocket", lambda ws: ws.on("framereceived", lambda payload: received.append(len(payload))))
    main = page.locator(spec.main).first
    t0 = time.perf_counter()
    page.goto(url + spec.path)
    t1 = poll(page, lambda: main.count() > 0 and main.is_visible(), timeout=120)
    t2 = poll(page, lambda: page.evaluate(COMPLETE_JS), timeout=120)
    page.wait_for_timeout(300)  # long tasks that end the load are reported after it
    blocked, longest = page.evaluate("() => [window.__blocked, window.__longest]")
    page.close()
    return {
        "main": t1 - t0,
        "complete": t2 - t0,
        "blocked": blocked / 1e3,
        "longest": longest / 1e3,
        "bytes": float(sum(received)),
    }


def server_times(runs: int) -> dict[str, tuple[float, float]]:
    """(wall, CPU) seconds of one run of each page script in this process (streamlit.testing),
    caches warm; the bare page first, as the framework's own cost. CPU time is the process's, so
    it holds on a busy machine where wall time does not."""
    import logging

    from streamlit.testing.v1 import AppTest

    from tests.app_pages import app_test

    logging.getLogger("streamlit").setLevel(logging.ERROR)  # "missing ScriptRunContext" on every run
    scripts = [(BARE.name, ROOT / "scripts" / "bench_pages" / "bare.py", "")]
    for spec in PAGES:
        script, _, query = spec.path.lstrip("/").partition("?")
        (path,) = (ROOT / "pages").glob(f"*_{script}.py")
        scripts.append((spec.name, path, query))
    out = {}
    for name, path, query in scripts:
        wall, cpu = [], []
        for i in range(runs + 1):
            at = (
                AppTest.from_file(str(path), default_timeout=120)
                if path.parent.name == "bench_pages"
                else app_test(path, 120)
            )
            for k, v in (q.split("=", 1) for q in query.split("&") if q):
                at.query_params[k] = v
            t0, c0 = time.perf_counter(), time.process_time()
            at.run()
            if i:  # the first run fills the caches
                wall.append(time.perf_counter() - t0)
                cpu.append(time.process_time() - c0)
        out[name] = (statistics.median(wall), statistics.median(cpu))
    return out


def bench_pages(browser, bare_url: str, app_url: str, runs: int) -> None:
    specs = (BARE, *PAGES)

    def load(spec):
        try:
            return time_page(browser, bare_url if spec is BARE else app_url, spec)
        except TimeoutError:  # said in the table, not hidden: a busy machine can stall one load
            return None

    for spec in specs:  # warm the servers and the browser cache once
        load(spec)
    figures: dict[str, list[dict]] = {spec.name: [] for spec in specs}
    for _ in range(runs):  # interleaved rounds, so load on the machine hits all alike
        for spec in specs:
            figures[spec.name].append(load(spec))
    med = statistics.median

    def m(name, field):
        done = [r[field] for r in figures[name] if r]
        return med(done) if done else float("nan")

    bare_main, bare_done = m(BARE.name, "main"), m(BARE.name, "complete")
    print(
        f"pages, runs per figure: {runs} (medians; seconds unless noted; ratios to the bare page of the "
        "same rounds; targets main ≤ 1.50, complete ≤ 2.00)"
    )
    print(
        f"{'page':<52} {'main':>6} {'×bare':>6} {'complete':>8} {'×bare':>6} {'blocked':>7} "
        f"{'longest':>7} {'kB':>6} {'timeouts':>8}"
    )
    for spec in specs:
        n = spec.name
        print(
            f"{n:<52} {m(n, 'main'):6.2f} {m(n, 'main') / bare_main:6.2f} {m(n, 'complete'):8.2f} "
            f"{m(n, 'complete') / bare_done:6.2f} {m(n, 'blocked'):7.2f} {m(n, 'longest'):7.2f} "
            f"{m(n, 'bytes') / 1e3:6.0f} {sum(r is None for r in figures[n]):8d}"
        )
    print(
        "  main = navigation → first chart (Data: first download button); complete = run finished and "
        "every chart in view drawn; blocked = main-thread time in long tasks beyond 50 ms; longest = "
        "longest task; kB = websocket bytes received; timeouts = loads not done within 120 s (left out)"
    )


def bench_explorer(browser, bare_url: str, naive_url: str, app_url: str, runs: int, atlas) -> None:
    n_zones = int(atlas.zones["lat"].notna().sum())
    expected = int((atlas.clusters["sector"] == "automotive").sum())
    time_bare(browser, bare_url)  # warm the servers and the browser cache once
    time_naive(browser, naive_url)
    time_map(browser, app_url, n_zones)
    bare, naive, maps, ready, ws_bytes = [], [], [], [], []
    for _ in range(runs):  # interleaved, so load on the machine hits all alike
        bare.append(time_bare(browser, bare_url))
        naive.append(time_naive(browser, naive_url))
        t, t_filters, b = time_map(browser, app_url, n_zones)
        maps.append(t)
        ready.append(t_filters)
        ws_bytes.append(b)
    filters = [time_filter(browser, app_url, expected) for _ in range(runs)]
    clicks = [time_click(browser, app_url) for _ in range(runs)]
    med = statistics.median
    print(f"explorer, runs per figure: {runs} (medians; all figures in seconds unless noted)")
    print(f"bare one-line Streamlit page, navigation → text shown: {med(bare):.3f}")
    print(
        f"naive st_folium page, navigation → 100 plain markers drawn: {med(naive):.3f}"
        f"  (ratio to bare {med(naive) / med(bare):.2f})"
    )
    print(f"atlas map, navigation → all 100 clusters, 19 city clusters, {n_zones} zones drawn: {med(maps):.3f}")
    print(
        f"  ratio to the bare page: {med(maps) / med(bare):.2f}  (target ≤ 1.50); "
        f"to the naive st_folium page: {med(maps) / med(naive):.2f}"
    )
    print(
        f"atlas page complete (sidebar filters shown, they follow the map): {med(ready):.3f}"
        f"  (ratio to bare {med(ready) / med(bare):.2f})"
    )
    print(f"filter (sector = automotive) → map shows {expected} clusters: {med(filters):.3f}  (target < 0.5)")
    print(f"click on Huadu → panel shown: {med(clicks):.3f}  (target < 0.5)")
    print(
        f"bytes received over the app's websocket during a load (incl. first map event): {med(ws_bytes) / 1e3:.0f} kB"
    )


def bench_brief(runs: int) -> None:
    """The meeting brief's preparation time and page count per scope kind (every scope of each)."""
    import io
    from datetime import date

    import pypdf

    from atlas.provinces import PROVINCE_NAMES_EN
    from atlas.reports.content import SCOPE_KINDS, scope_options
    from atlas.reports.meeting_brief import prepare

    atlas = load_atlas()
    options = scope_options(atlas, PROVINCE_NAMES_EN)
    day = date.today()
    prepare(atlas, options["province"][0], day)  # fonts, outlines and imports loaded once, as in a warm app
    med = statistics.median
    print(f"meeting brief, every scope of each kind, {runs} run(s) each: seconds (wall; CPU) and PDF pages")
    for with_annex in (False, True):
        print("with the annex (full lists)" if with_annex else "the brief as offered by default (no annex)")
        for kind, scopes in options.items():
            wall, cpu, pages = [], [], []
            for scope in scopes:
                for _ in range(runs):
                    c0 = time.process_time()
                    p = prepare(atlas, scope, day, with_annex=with_annex)
                    cpu.append(time.process_time() - c0)
                    wall.append(p.seconds)
                pages.append((len(pypdf.PdfReader(io.BytesIO(p.pdf)).pages), scope.key))
            most = max(pages)
            print(
                f"  {SCOPE_KINDS[kind]:<20} {len(scopes):>3} scopes  wall median {med(wall):.2f} max {max(wall):.2f}"
                f"  CPU median {med(cpu):.2f}  pages median {med(n for n, _ in pages):.0f} max {most[0]} ({most[1]})"
            )


def bench_cold(runs: int, atlas) -> None:
    """First visit after a fresh server says ready (run.sh's way) against a warm visit."""
    import subprocess

    n_zones = int(atlas.zones["lat"].notna().sum())
    ready_s, first, warm, bare_first = [], [], [], []
    with sync_playwright() as p:
        browser = launch(p)
        for _ in range(runs):
            with serve() as url:  # health answered; then what scripts/run.sh waits for
                t0 = time.perf_counter()
                subprocess.run([sys.executable, "-m", "scripts.ready", "--url", url], cwd=ROOT, check=True)
                ready_s.append(time.perf_counter() - t0)
                first.append(time_map(browser, url, n_zones))
                warm.append(time_map(browser, url, n_zones))
            with serve() as url:  # health only: the first visitor does the warm-up
                bare_first.append(time_map(browser, url, n_zones))
        browser.close()
    med = statistics.median
    print(f"first visit after start, {runs} fresh server(s) (medians, seconds; a fresh browser context per visit)")
    print(f"  health answer → ready (scripts/ready.py's first session): {med(ready_s):.2f}")
    print(f"  {'explorer visit':<44} {'map drawn':>9} {'complete':>9}")
    for name, loads in (
        ("first after ready (run.sh)", first),
        ("second, warm", warm),
        ("first after health only (no warm-up)", bare_first),
    ):
        print(f"  {name:<44} {med(t[0] for t in loads):9.2f} {med(t[1] for t in loads):9.2f}")
    print("  map drawn = every cluster, city cluster and zone on the map; complete = sidebar filters shown")


# Every feature kind the tour's map draws, counted in one call (tests/browser.py's COUNT_JS per kind).
KIND_COUNTS_JS = """() => { const m = window.map; if (!m) return null; const n = {};
  m.eachLayer(l => { const p = l.feature && l.feature.properties;
    if (p && p.kind && (l.getLatLng || l.getLatLngs)) n[p.kind] = (n[p.kind] || 0) + 1; });
  const c = m.getCenter(); return {counts: n, zoom: m.getZoom(), lat: c.lat, lon: c.lng}; }"""


def tour_step_ready(page, frame, n: int, total: int, view, expected: dict[str, int]) -> bool:
    """Step n is shown: its kicker, the map at its frame, every feature it shows drawn."""
    kicker = page.locator(".tour-kicker")
    if kicker.count() == 0 or f"step {n} of {total}" not in kicker.first.inner_text():
        return False
    state = frame.evaluate(KIND_COUNTS_JS)
    return (
        state is not None
        and state["zoom"] == view.zoom
        and abs(state["lat"] - view.lat) < 0.25
        and abs(state["lon"] - view.lon) < 0.25
        and all(state["counts"].get(kind, 0) == want for kind, want in expected.items())
    )


def walk_tour(browser, url: str, size: tuple[int, int], steps) -> list[float]:
    """One walk through the tour at one window size: seconds from each click on "Next" to the
    next step's map ready (steps 2 … n)."""
    page = browser.new_page(viewport={"width": size[0], "height": size[1]})
    page.goto(f"{url}/Presenter_tour?step=1")
    frame = map_frame(page)
    idle = "() => document.querySelector(\"[data-testid='stApp']\")?.getAttribute('data-test-script-state') === 'notRunning'"
    times = []
    for n, (view, expected) in enumerate(steps, 1):
        if n > 1:
            button = page.get_by_role("button", name="Next ▶").first
            box = button.bounding_box()
            t0 = time.perf_counter()  # the mouse itself, as in time_click
            page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        t1 = poll(page, lambda n=n, v=view, e=expected: tour_step_ready(page, frame, n, len(steps), v, e), timeout=60)
        if n > 1:
            times.append(t1 - t0)
        poll(page, lambda: page.evaluate(idle), timeout=60)  # the step's run over before the next click
    page.close()
    return times


def bench_tour(runs: int, atlas) -> None:
    from collections import Counter

    from atlas.filters import filter_atlas
    from atlas.kinds import clickable
    from atlas.tour import frame_places, framed, load_tour, shown_places, step_view

    def expected_features(view, filtered) -> dict[str, int]:
        """Per feature kind, what the step's map draws: its markers and the city clusters' outlines."""
        points = Counter(key.split(":")[0] for key, (w, s, e, n) in shown_places(filtered, view) if (w, s) == (e, n))
        drawn = {**points, "cc": len(filtered.city_clusters) if "city_clusters" in view.layers else 0}
        return {kind: drawn.get(kind, 0) for kind in clickable()}  # a kind the step hides: none left

    tour = load_tour()
    steps = []
    for step in tour.steps:
        view = step_view(step)
        filtered = filter_atlas(atlas, view)
        steps.append((framed(step, view, frame_places(step, atlas, filtered, view)), expected_features(view, filtered)))
    with serve() as url, sync_playwright() as p:
        browser = launch(p)
        walk_tour(browser, url, SIZES[0], steps)  # warms the server's caches for every step
        figures = {size: [walk_tour(browser, url, size, steps) for _ in range(runs)] for size in SIZES}
        browser.close()
    med = statistics.median
    print(f"tour, click on Next → the step's map ready, {runs} walk(s) per size after one warm-up walk (medians, s)")
    print(f"  {'step':<60} " + " ".join(f"{w}×{h}".rjust(10) for w, h in SIZES))
    for i, step in enumerate(tour.steps[1:]):
        cells = " ".join(f"{med(walk[i] for walk in figures[size]):10.2f}" for size in SIZES)
        print(f"  {i + 2}. {step.title[:56]:<57} {cells}")
    every = {size: [t for walk in figures[size] for t in walk] for size in SIZES}
    print(f"  {'every step: median':<60} " + " ".join(f"{med(every[s]):10.2f}" for s in SIZES))
    print(f"  {'every step: slowest':<60} " + " ".join(f"{max(every[s]):10.2f}" for s in SIZES))


def bench_slides(runs: int) -> None:
    """'Download this view' and the tour's deck, made as the buttons make them (wall and CPU)."""
    import io

    import pypdf
    from PIL import Image

    from atlas.drilldown import detail
    from atlas.filters import filter_atlas
    from atlas.provenance import source_line
    from atlas.reports.slides import deck_pdf, slide_png
    from atlas.state import ViewState
    from atlas.tour import frame_places, framed, load_tour, step_view
    from components.slide_views import tour_slides, view_source, view_title

    atlas = load_atlas()
    tour = load_tour()
    explorer = ViewState(sectors=("automotive",), sel="ic:IC048", lat=23.4, lon=113.25, zoom=7)
    step = tour.steps[1]
    step_v = step_view(step)
    step_f = filter_atlas(atlas, step_v)
    step_v = framed(step, step_v, frame_places(step, atlas, step_f, step_v))

    def explorer_png() -> bytes:
        f = filter_atlas(atlas, explorer)
        sel = detail(atlas, explorer.sel)
        return slide_png(atlas, f, explorer, sel, view_title(explorer, sel), view_source(f, explorer))

    def step_png() -> bytes:
        return slide_png(atlas, step_f, step_v, None, step.title, source_line(step.source))

    jobs = (
        ("PNG, explorer view (automotive, Huadu selected)", explorer_png),
        (f"PNG, tour step 2 ({step.title[:30]})", step_png),
        (f"PDF deck, {len(tour.steps)} steps", lambda: deck_pdf(tour_slides(atlas, tour))),
    )
    med = statistics.median
    print(f"slides, {runs} run(s) each after one warm-up (medians; seconds wall and CPU)")
    for name, make in jobs:
        out = make()  # fonts, outlines and imports loaded once, as in a warm app
        wall, cpu = [], []
        for _ in range(runs):
            t0, c0 = time.perf_counter(), time.process_time()
            out = make()
            wall.append(time.perf_counter() - t0)
            cpu.append(time.process_time() - c0)
        if out[:4] == b"%PDF":
            what = f"{len(pypdf.PdfReader(io.BytesIO(out)).pages)} pages"
        else:
            what = "×".join(map(str, Image.open(io.BytesIO(out)).size))
        print(f"  {name:<52} wall {med(wall):6.2f}  CPU {med(cpu):6.2f}  {what}, {len(out) / 1e3:.0f} kB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    part = parser.add_mutually_exclusive_group()
    part.add_argument("--pages", action="store_true", help="time only the pages other than the explorer")
    part.add_argument("--explorer", action="store_true", help="time only the map explorer")
    parser.add_argument("--server", action="store_true", help="also time each page script's run on the server")
    parser.add_argument("--server-only", action="store_true", help="only the server times (implies --server)")
    parser.add_argument("--brief", action="store_true", help="only the meeting brief's preparation time and pages")
    parser.add_argument(
        "--cold", action="store_true", help="only the first visit after a fresh start against a warm one"
    )
    parser.add_argument("--tour", action="store_true", help="only the tour's step times at 1280×720 and 1920×1080")
    parser.add_argument("--slides", action="store_true", help="only the PNG of a view and the tour's PDF deck")
    args = parser.parse_args()
    if args.brief:
        bench_brief(args.runs if "--runs" in sys.argv else 1)
        return
    if args.cold or args.tour:
        atlas = load_atlas()
        if args.cold:
            bench_cold(args.runs, atlas)
        else:
            bench_tour(args.runs, atlas)
        return
    if args.slides:
        bench_slides(args.runs)
        return
    args.server = args.server or args.server_only
    if args.server:
        print(
            f"server time of one page run (streamlit.testing in this process, caches warm; "
            f"median of {args.runs}): wall s, CPU s"
        )
        for name, (wall, cpu) in server_times(args.runs).items():
            print(f"  {name:<50} {wall:6.3f} {cpu:6.3f}")
        if args.server_only:
            return
    atlas = load_atlas()
    pages = ROOT / "scripts" / "bench_pages"
    with (
        serve(pages / "bare.py") as bare_url,
        serve(pages / "naive_folium.py") as naive_url,
        serve() as app_url,
        sync_playwright() as p,
    ):
        browser = launch(p)
        if not args.pages:
            bench_explorer(browser, bare_url, naive_url, app_url, args.runs, atlas)
        if not args.explorer:
            bench_pages(browser, bare_url, app_url, args.runs)
        browser.close()


if __name__ == "__main__":
    main()
