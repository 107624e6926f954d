"""A replica fails under a room (issue 25 §3), in headless Chromium: two replicas behind nginx
(scripts/serve.sh), a browser on each, one replica killed. The browser whose replica died
reconnects through nginx and comes back at the view its address holds (the atlas keeps its views
in the address); the other browser never notices; serve.sh starts the dead replica again and nginx
sends it its browsers once more."""

from __future__ import annotations

import os
import re
import signal

import pytest
from browser import MAP_FRAME, Offline, launch, map_frame, wait_for_count
from playwright.sync_api import expect, sync_playwright
from test_serving import _back_in_the_pool, _browsers_by_replica, _gone, _serve

pytestmark = pytest.mark.browser
HUADU = "lat=23.40&lon=113.25&z=9&sel=ic:IC048"  # the Huadu automobile cluster, its panel open
HUADU_TITLE = "Automobile industrial cluster"
SELECTED = re.compile(r"[?&]sel=ic(%3A|:)IC048(&|$)")


def _page_on(browser, url: str, cookies: dict):
    """A browser whose affinity cookie sends it to one replica (nginx set that cookie)."""
    context = browser.new_context(viewport={"width": 1500, "height": 1000})
    context.add_cookies([{"name": k, "value": v, "url": url} for k, v in cookies.items()])
    page = context.new_page()
    Offline(page)
    return page


def test_a_browser_whose_replica_dies_comes_back_at_its_view_and_the_other_is_untouched(tmp_path):
    run_dir = tmp_path / "serve"
    with _serve(run_dir) as (url, replicas), sync_playwright() as p:
        by_replica = _browsers_by_replica(url)
        (port_a, jars_a), (port_b, jars_b) = sorted(by_replica.items())[:2]
        browser = launch(p)
        try:
            a = _page_on(browser, url, jars_a[0])
            b = _page_on(browser, url, jars_b[0])
            for page in (a, b):
                page.goto(f"{url}/?{HUADU}")
                expect(page.get_by_role("heading", name=HUADU_TITLE)).to_be_visible(timeout=30_000)
                map_frame(page)
            # b filters by a sector: its session's state, held by replica B only
            b.locator("[data-testid='stSidebar']").get_by_role(
                "button", name="Automotive & transport equipment"
            ).click()
            expect(b).to_have_url(re.compile(r"[?&]sector="), timeout=20_000)

            b_sockets: list[str] = []
            b.on("websocket", lambda ws: b_sockets.append(ws.url))
            with a.expect_websocket(lambda ws: "_stcore/stream" in ws.url, timeout=60_000):
                os.kill(replicas[port_a], signal.SIGKILL)  # replica A fails, no goodbye to its browsers
                _gone(replicas[port_a])
            # (a's page opened a new connection: it did lose its replica)

            # a's page reconnects (to B, or to A restarted) and shows the view its address holds
            expect(a).to_have_url(SELECTED)
            expect(a.get_by_role("heading", name=HUADU_TITLE)).to_be_visible(timeout=60_000)
            frame = map_frame(a, timeout=60)
            assert wait_for_count(a, frame, "ic", lambda n: n == 100, timeout=60) == 100
            expect(a.get_by_text("Connection error")).to_have_count(0)
            expect(a.get_by_text("Traceback")).to_have_count(0)

            # b never noticed: still its filter and its panel, and it still answers
            expect(b).to_have_url(SELECTED)
            expect(b).to_have_url(re.compile(r"[?&]sector="))
            expect(b.get_by_role("heading", name=HUADU_TITLE)).to_be_visible()
            b.locator("[data-testid='stSidebar']").get_by_role("button", name="Clear filters").click()
            expect(b).not_to_have_url(re.compile(r"[?&]sector="), timeout=20_000)
            expect(b.frame_locator(MAP_FRAME).locator(".atlas-legend")).to_contain_text("Textiles")
            assert b_sockets == [], "b kept its connection to replica B"

            # serve.sh starts replica A again and nginx sends A's browsers to it
            _back_in_the_pool(url, run_dir, port_a, replicas[port_a], jars_a[1])
            again = _page_on(browser, url, jars_a[1])
            again.goto(f"{url}/?{HUADU}")
            expect(again.get_by_role("heading", name=HUADU_TITLE)).to_be_visible(timeout=30_000)
        finally:
            browser.close()
