"""Measure whether the My places download stays readable without the session, after the tab closes.

Starts the My places page on a loopback port, uploads a list in headless Chromium, clicks the
download, then fetches the download's media URL with urllib (another client: no cookies, no
session) while the tab is open, after it is closed, after the server's disconnected-session TTL,
and after other sessions have run the page. Prints what each fetch returned.

    .venv/bin/python -m scripts.measure_download_privacy [--ttl SECONDS]
"""

from __future__ import annotations

import argparse
import os
import time
import urllib.error
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

from tests.browser import launch, serve

ROOT = Path(__file__).resolve().parents[1]

SECRET = "Secret partner Zhang"


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            body = r.read().decode("utf-8-sig", errors="replace")
            return f"HTTP {r.status}, {'the list' if SECRET in body else 'no list'} ({len(body)} bytes)"
    except urllib.error.HTTPError as exc:
        return f"HTTP {exc.code}"


def open_page(browser, url: str):
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    page.goto(url)
    page.wait_for_selector("text=My places on the map", timeout=60_000)
    return context, page


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--ttl",
        type=int,
        default=None,
        help="server.disconnectedSessionTTL (default: Streamlit's)",
    )
    args = parser.parse_args()
    if args.ttl is not None:
        os.environ["STREAMLIT_SERVER_DISCONNECTED_SESSION_TTL"] = str(args.ttl)
    ttl = args.ttl if args.ttl is not None else 120
    start = time.time()

    def log(what: str, result: str) -> None:
        print(f"{time.time() - start:7.1f} s  {what:<62} {result}", flush=True)

    with (
        serve(ROOT / "pages" / "9_My_places.py", timeout=120) as base,
        sync_playwright() as p,
    ):
        browser = launch(p)
        context, page = open_page(browser, base)
        page.set_input_files(
            "input[type=file]",
            files=[
                {
                    "name": "mine.csv",
                    "mimeType": "text/csv",
                    "buffer": f"name,place\n{SECRET},Huadu\n".encode(),
                }
            ],
        )
        page.wait_for_selector("text=Your places", timeout=60_000)
        with page.expect_download(timeout=60_000) as info:
            page.get_by_role("button", name="Download these 1 rows (CSV)").click()
        url = info.value.url
        log("download clicked; media URL", url.replace(base, ""))
        log("fetched by another client, tab still open", fetch(url))
        context.close()
        closed = time.time()
        log("tab closed", "")
        for wait in (2, 30, ttl + 15):
            time.sleep(max(0.0, closed + wait - time.time()))
            log(f"fetched {wait} s after the tab closed, server idle", fetch(url))
        for n in (1, 2, 3):
            other, other_page = open_page(browser, base)
            other_page.wait_for_selector("text=Map: 0 of your places", timeout=60_000)
            other.close()
            log(f"fetched after {n} other visit(s) ran the page", fetch(url))
        browser.close()


if __name__ == "__main__":
    main()
