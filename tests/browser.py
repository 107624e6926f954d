"""Start the real app and drive Debian's chromium with Playwright (no browser download, no network).

Shared by the end-to-end tests and scripts/benchmark.py.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
MAP_FRAME = "iframe[title='streamlit_folium.st_folium']"
COUNT_JS = """(kind) => { const m = window.map; if (!m) return -1; let n = 0;
  m.eachLayer(l => { if (l.feature && l.feature.properties && l.feature.properties.kind === kind
                          && (l.getLatLng || l.getLatLngs)) n++; }); return n; }"""
# The province outline (our own boundaries) is painted on a canvas in its own pane: every province
# is a layer of the map, and the canvas has paint on it.
OUTLINE_JS = """() => { const m = window.map; if (!m) return false; let n = 0;
  m.eachLayer(l => { if (l.feature && l.feature.properties && l.feature.properties.adcode
                          && l.options.pane === 'atlas-outline' && l.getLatLngs) n++; });
  const c = document.querySelector('.leaflet-atlas-outline-pane canvas');
  if (n < 30 || !c || !c.width) return false;
  const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  for (let i = 3; i < px.length; i += 4 * 97) { if (px[i] > 0) return true; }
  return false; }"""
POINT_JS = """(id) => { let out = null; window.map.eachLayer(l => {
  if (l.feature && l.feature.properties && l.feature.properties.id === id && l.getLatLng) {
    const p = window.map.latLngToContainerPoint(l.getLatLng()); out = [p.x, p.y]; } }); return out; }"""


def chromium_path() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        raise RuntimeError("Debian's chromium is not installed: run `bash scripts/setup.sh --test`")
    return path


def free_port() -> int:
    """A free loopback port, or ATLAS_TEST_PORT when set (a machine that gives each runner its ports)."""
    if os.environ.get("ATLAS_TEST_PORT"):
        return int(os.environ["ATLAS_TEST_PORT"])
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serve(script: Path = ROOT / "app.py", timeout: float = 60):
    """Run `streamlit run script` on a free loopback port; yield its base URL."""
    port = free_port()
    env = dict(os.environ, STREAMLIT_BROWSER_GATHER_USAGE_STATS="false")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(script),
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE if not os.environ.get("ATLAS_SERVER_LOG") else None,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + timeout
        while True:
            try:
                with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                if proc.poll() is not None or time.time() > deadline:
                    out = proc.stdout.read().decode(errors="replace") if proc.stdout else ""
                    raise RuntimeError(f"streamlit did not start:\n{out}") from None
                time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


def launch(playwright):
    return playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)


class Offline:
    """Blocks and records every request that leaves the machine (the test machine has no internet)."""

    def __init__(self, page):
        self.blocked: list[str] = []
        page.context.route("**/*", self._route)

    def _route(self, route):
        host = urlparse(route.request.url).hostname or ""
        if host in ("127.0.0.1", "localhost") or route.request.url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            self.blocked.append(route.request.url)
            route.abort("internetdisconnected")


def map_frame(page, timeout: float = 30):
    """The Leaflet frame, once its map object exists."""
    page.wait_for_selector(MAP_FRAME, timeout=timeout * 1000)
    deadline = time.time() + timeout
    while time.time() < deadline:
        for frame in page.frames:
            if "streamlit_folium" in frame.url:
                with contextlib.suppress(Exception):
                    if frame.evaluate(COUNT_JS, "ic") >= 0:
                        return frame
        page.wait_for_timeout(20)
    raise TimeoutError("the map frame did not appear")


def count(frame, kind: str) -> int:
    return frame.evaluate(COUNT_JS, kind)


def wait_for_count(page, frame, kind: str, predicate, timeout: float = 20) -> int:
    deadline = time.time() + timeout
    n = -1
    while time.time() < deadline:
        with contextlib.suppress(Exception):
            n = count(frame, kind)
            if predicate(n):
                return n
        page.wait_for_timeout(20)
    raise AssertionError(f"{kind} count stayed at {n}")


def wait_for_zoom(frame, at_least: int, timeout: float = 20) -> None:
    frame.wait_for_function(f"() => window.map && window.map.getZoom() >= {at_least}", timeout=timeout * 1000)


def wait_for_outline(frame, timeout: float = 20) -> None:
    """The selection's mark (ring or outline) is on the map: the map has taken the new selection."""
    frame.wait_for_function(
        "() => !!document.querySelector('.leaflet-atlas-highlight-pane path')", timeout=timeout * 1000
    )


def click_feature(page, frame, feature_id: str) -> None:
    """Click a marker once, where a person would: at its position on the map, once the map is still
    (the same position in two looks 150 ms apart: a pan or zoom animation has finished)."""
    xy, before = None, object()
    deadline = time.time() + 20
    while (xy is None or xy != before) and time.time() < deadline:
        before = xy
        page.wait_for_timeout(150)
        xy = frame.evaluate(POINT_JS, feature_id)
    assert xy, f"{feature_id} is not on the map"
    page.frame_locator(MAP_FRAME).locator("#map_div").click(position={"x": xy[0], "y": xy[1]})
