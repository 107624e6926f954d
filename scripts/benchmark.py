"""Speed of the map explorer in headless Chromium, against a bare Streamlit page (the floor).

    .venv/bin/python scripts/benchmark.py [--runs 5]

Prints medians of several loads (same browser, same machine): navigation → map populated
(every cluster marker, city cluster and zone drawn), navigation → the whole page (the sidebar
filters follow the map), filter → updated map, click → panel, the bytes the map sends, and the
ratios to the bare page and to a naive one-page st_folium app. Targets on the 2-core reference
machine: map ≤ 1.5 × bare page; filter and click each < 0.5 s. Not a test: it prints figures.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from playwright.sync_api import sync_playwright  # noqa: E402

from atlas.load import load_atlas  # noqa: E402
from browser import MAP_FRAME, POINT_JS, count, launch, map_frame, serve, wait_for_zoom  # noqa: E402

HUADU_VIEW = "lat=23.40&lon=113.25&z=9"


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    atlas = load_atlas()
    n_zones = int(atlas.zones["lat"].notna().sum())
    expected = int((atlas.clusters["sector"] == "automotive").sum())
    pages = ROOT / "scripts" / "bench_pages"
    with (
        serve(pages / "bare.py") as bare_url,
        serve(pages / "naive_folium.py") as naive_url,
        serve() as app_url,
        sync_playwright() as p,
    ):
        browser = launch(p)
        time_bare(browser, bare_url)  # warm the servers and the browser cache once
        time_naive(browser, naive_url)
        time_map(browser, app_url, n_zones)
        bare, naive, maps, ready, ws_bytes = [], [], [], [], []
        for _ in range(args.runs):  # interleaved, so load on the machine hits all alike
            bare.append(time_bare(browser, bare_url))
            naive.append(time_naive(browser, naive_url))
            t, t_filters, b = time_map(browser, app_url, n_zones)
            maps.append(t)
            ready.append(t_filters)
            ws_bytes.append(b)
        filters = [time_filter(browser, app_url, expected) for _ in range(args.runs)]
        clicks = [time_click(browser, app_url) for _ in range(args.runs)]
        browser.close()
    med = statistics.median
    print(f"runs per figure: {args.runs} (medians; all figures in seconds unless noted)")
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


if __name__ == "__main__":
    main()
