"""A workshop room at once: N sessions do what participants do, against a running app.

    .venv/bin/python -m scripts.loadtest [--url http://127.0.0.1:8501] [--sessions 30] [--browsers 5]
    .venv/bin/python -m scripts.loadtest --profile [--repeat 10]

Each session opens the explorer (at a shared view of one cluster), clicks that cluster, turns on
its sector filter and opens the Sectors page; all sessions do each step at the same moment (the
presenter says "now click"). Most sessions are protocol-level clients speaking Streamlit's own
websocket protocol with Streamlit's own protobuf types (``streamlit.proto``); ``--browsers`` of
them are real pages in Debian's chromium (Playwright). Prints p50/p95/max action → update per
step, errors, and each replica's RSS before, at peak and after. ``--profile`` runs one protocol
session through single interactions and prints the server CPU time (utime + stime from
/proc/<pid>/stat) each costs. Not a test: it prints figures. Loopback only, bounded in sessions
(``--sessions`` ≤ 200) and time (``--deadline``), and it stops by itself.

How a protocol session talks to the server (what the browser's frontend does):

* GET ``/`` first, like a browser loading the page, and keep its cookies (behind
  ``scripts/serve.sh`` that is the replica-affinity cookie), then open ``/_stcore/stream`` with
  subprotocol ``streamlit`` and those cookies;
* every run is a ``BackMsg.rerun_script`` (``ClientState``): the current query string, the
  current page's ``page_script_hash``, every widget value the session has set
  (``WidgetStates``), the hashes of the large messages it keeps (``cached_message_hashes``; the
  server then sends ``ref_hash`` references to them, as to a browser) and, for a widget inside a
  fragment, that fragment's id (from the widget's delta);
* an update is complete at ``script_finished`` (a run that ends early for another run does not
  count); action → update is the time from sending to that message;
* it fetches the files a browser fetches on its first visit: before measuring, one chromium page
  opens the explorer and then the Sectors page and its requests are recorded (``--no-files`` to
  skip); each protocol session then GETs that page's files over six keep-alive connections, with
  ``Accept-Encoding: gzip``, alongside its runs (the explorer's at open, the Sectors page's new
  ones at the page switch): the server's work for a room of browsers, without their drawing. The
  requests are made by ``FETCHERS`` processes of their own, as browsers make them on their own
  machines: made by the clients' process, they held its interpreter lock while it read the
  server's messages (seen as a slower open, with the machine a third idle);
* unlike a browser it runs no timers (``auto_rerun``: the explorer's fallback for a map that
  never reports, which the map's first report makes unnecessary) and draws nothing.

Before measuring, one session goes through every step on each replica (``--no-warmup`` to
skip), so "RSS before" is a server that has loaded its code and data.

How the click is formed: the map is found by its public identity, the component named
``streamlit_folium.st_folium`` in the deltas (never by position); its element id is the widget
id. The map's first report (what the component sends once Leaflet has drawn itself) is
``{"last_active_drawing": null, "last_object_clicked_count": 0, "center": {...}, "zoom": z, ...}``;
a click on a cluster sends the same keys with the click counter up by one, ``last_clicked`` and
``last_object_clicked`` at the cluster and ``last_active_drawing`` set to its marker's feature,
``{"type": "Feature", "properties": {"kind": "ic", "id": <cluster id from the data>},
"geometry": {"type": "Point", "coordinates": [lon, lat]}}`` (the browser's feature also carries
the marker's label, which the server does not read), as a ``json_value`` — only the keys the
component was asked to return (its ``returned_objects`` argument) are sent. The sector filter is
the pills widget labelled "Sector", set to the cluster's sector label (``string_array_value``);
the Sectors page is the page named "Sectors" in the ``navigation`` message. Each step is checked
by what the server mirrors into the address (``page_info_changed``): the cluster's id after the
click, ``sector=`` after the filter. A browser session clicks the marker with the mouse at its
position on the map (as tests/test_e2e_explorer.py does) and waits for the same address change and
for the run to be over on the page (the frontend's script state back to not running).

A second table gives, per step, its wall time, the servers' CPU time and the whole machine's: a
step whose server CPU is about its wall time waited for the server; with browsers on the same
machine, a step that keeps every core busy while the server uses a fraction waited for CPU, most
of it the browsers' own drawing. (The browsers' websocket frames are not read: passing every frame
to Playwright was seen to double the browsers' times.)
"""

from __future__ import annotations

import argparse
import asyncio
import concurrent.futures
import contextlib
import http.client
import json
import math
import multiprocessing
import os
import random
import statistics
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlparse

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.asyncio.client import connect

from atlas.load import load_atlas

ROOT = Path(__file__).resolve().parents[1]

MAP_COMPONENT = "streamlit_folium.st_folium"
SECTOR_WIDGET = "Sector"
SECTORS_PAGE = "Sectors"
ZOOM = 9  # the shared view: one cluster, close enough that its marker stands alone
MAX_SESSIONS = 200
DONE = {ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY}
STEPS = ("open", "click", "filter", "page")
REPLICA_HEADER = "X-Atlas-Replica"
IDLE = "notRunning"  # the frontend's script state on its root element once a run is over


class StepError(Exception):
    """A step did not give the update a participant expects."""


@dataclass
class Target:
    """What one participant looks at: a cluster from the data."""

    id: str
    lat: float
    lon: float
    sector_label: str

    def query(self) -> str:
        return urlencode({"lat": f"{self.lat:.4f}", "lon": f"{self.lon:.4f}", "z": ZOOM})


def targets(n: int) -> list[Target]:
    """n clusters spread over the list (ids from the data, sorted), one per session."""
    atlas = load_atlas()
    df = atlas.clusters.dropna(subset=["lat", "lon"]).sort_values("id")
    rows = df.to_dict("records")
    step = max(1, len(rows) // max(n, 1))
    return [
        Target(r["id"], float(r["lat"]), float(r["lon"]), atlas.taxonomy.label(r["sector"]))
        for r in (rows[(i * step) % len(rows)] for i in range(n))
    ]


# ---------------------------------------------------------------------------------------------
# Server processes: pids, ports, RSS, CPU time (all from /proc)


def _listening_inodes() -> dict[str, int]:
    """socket inode -> port, for every listening TCP socket."""
    out = {}
    for name in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(name).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            parts = line.split()
            if parts[3] == "0A":  # LISTEN
                out[parts[9]] = int(parts[1].rsplit(":", 1)[1], 16)
    return out


def listening_ports(pid: int, inodes: dict[str, int] | None = None) -> set[int]:
    inodes = _listening_inodes() if inodes is None else inodes
    ports = set()
    try:
        for fd in os.listdir(f"/proc/{pid}/fd"):
            try:
                target = os.readlink(f"/proc/{pid}/fd/{fd}")
            except OSError:
                continue
            if target.startswith("socket:["):
                port = inodes.get(target[8:-1])
                if port:
                    ports.add(port)
    except OSError:
        pass
    return ports


def streamlit_servers() -> dict[int, int]:
    """pid -> listening port of every `streamlit run` process on this machine."""
    inodes = _listening_inodes()
    out = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            argv = Path(f"/proc/{entry}/cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if any(a.endswith(b"streamlit") for a in argv) and b"run" in argv:
            ports = listening_ports(int(entry), inodes)
            if ports:
                out[int(entry)] = min(ports)
    return out


def parent(pid: int) -> int:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0
    return int(stat.rsplit(")", 1)[1].split()[1])


def discover(url: str, pids: list[int] | None) -> dict[int, int]:
    """The server processes to watch (pid -> port): ``--pids``; else the streamlit process
    listening on the URL's port; else, with a balancer on that port (scripts/serve.sh), the
    streamlit processes started beside it (same parent as nginx's master process)."""
    servers = streamlit_servers()
    if pids:
        return {p: servers.get(p, 0) for p in pids}
    port = urlparse(url).port or 80
    direct = {p: q for p, q in servers.items() if q == port}
    if direct:
        return direct
    inodes = _listening_inodes()
    listeners = [int(e) for e in os.listdir("/proc") if e.isdigit() and port in listening_ports(int(e), inodes)]
    near = {parent(p) for p in listeners} | {parent(parent(p)) for p in listeners}
    return {p: q for p, q in servers.items() if parent(p) in near - {0, 1}}


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


TICK = os.sysconf("SC_CLK_TCK")


def machine_cpu_seconds() -> float:
    """Busy time of every core together since boot (/proc/stat): the server, the browsers, the
    clients, nginx: whatever ran on the machine."""
    fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(v) for v in fields[:8])
    return (user + nice + system + irq + softirq + steal) / TICK


def cpu_seconds(pid: int) -> float:
    """utime + stime of the whole process (every thread), in seconds."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return float("nan")
    fields = stat.rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


# ---------------------------------------------------------------------------------------------
# A protocol-level session


def fetch_page(url: str, cookies: dict[str, str] | None = None) -> tuple[dict[str, str], str]:
    """GET the app's page like a browser (sending the cookies it has): its cookies afterwards and
    the replica that answered."""
    request = urllib.request.Request(url)
    if cookies:
        request.add_header("Cookie", cookie_header(cookies))
    with urllib.request.urlopen(request, timeout=30) as r:
        jar = SimpleCookie()
        for value in r.headers.get_all("Set-Cookie") or []:
            jar.load(value)
        return {**(cookies or {}), **{k: m.value for k, m in jar.items()}}, r.headers.get(REPLICA_HEADER, "")


def cookie_header(cookies: dict[str, str]) -> str:
    return "; ".join(f"{k}={v}" for k, v in cookies.items())


def fetch_files(base: str, paths: list[str], cookies: dict[str, str], connections: int = 6) -> None:
    """GET every path as a browser does on a first visit: six keep-alive connections, gzip
    accepted, each response read whole."""
    parsed = urlparse(base)
    headers = {"Accept-Encoding": "gzip, deflate"}
    if cookies:
        headers["Cookie"] = cookie_header(cookies)
    queue = list(reversed(paths))

    def worker() -> None:
        conn = http.client.HTTPConnection(parsed.hostname, parsed.port or 80, timeout=30)
        try:
            while True:
                try:
                    path = queue.pop()  # atomic: the workers share one list
                except IndexError:
                    return
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                response.read()
                if response.status >= 400:
                    raise StepError(f"GET {path[:60]}: {response.status}")
        finally:
            conn.close()

    with concurrent.futures.ThreadPoolExecutor(connections) as pool:
        for f in [pool.submit(worker) for _ in range(min(connections, len(paths)))]:
            f.result()


async def record_first_visit(base: str, timeout: float) -> dict[str, list[str]]:
    """The paths one chromium page GETs on its first visit: opening the explorer, then the
    Sectors page (only the files that page adds)."""
    from playwright.async_api import async_playwright

    from tests.browser import CHROMIUM_ARGS, chromium_path

    host = urlparse(base).netloc
    files: dict[str, list[str]] = {"open": [], "page": []}
    step = ["open"]

    def seen(request) -> None:
        u = urlparse(request.url)
        if request.method == "GET" and u.netloc == host and u.path not in ("/", "/_stcore/stream"):
            path = u.path + (f"?{u.query}" if u.query else "")
            if all(path not in v for v in files.values()):
                files[step[0]].append(path)

    pw = await async_playwright().start()
    browser = await pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
    try:
        session = BrowserSession(browser, base, timeout)
        target = targets(1)[0]
        await session.open(target, on_request=seen)
        step[0] = "page"
        await session.page_switch(target)
        await session.page.wait_for_timeout(1000)  # the charts' late requests
        await session.close()
    finally:
        await browser.close()
        await pw.stop()
    return files


@dataclass
class Widget:
    id: str
    fragment_id: str
    options: list[str] = field(default_factory=list)
    args: dict = field(default_factory=dict)


class ProtocolSession:
    """One participant, speaking Streamlit's websocket protocol."""

    def __init__(self, base: str, action_timeout: float, cookies: dict[str, str] | None = None):
        self.base = base.rstrip("/")
        self.cookies = dict(cookies or {})
        self.timeout = action_timeout
        self.query = ""
        self.page_hash = ""
        self.pages: dict[str, str] = {}
        self.widgets: dict[str, Widget] = {}  # by component name or widget label
        self.states: dict[str, object] = {}  # widget id -> WidgetState
        self.seen_ids: set[str] = set()
        self.cache: dict[str, ForwardMsg] = {}
        self.exceptions: list[str] = []
        self.spinners: list[str] = []  # the texts of the spinners the page showed ("Loading …")
        self.finished: asyncio.Queue = asyncio.Queue()
        self.replica = ""
        self.files: dict[str, list[str]] = {}  # a first visit's files by step (record_first_visit)
        self.fetcher: concurrent.futures.Executor | None = None  # where the files are fetched (FETCHERS)
        self.session_id = ""
        self.clicks = 0  # the map component's click counter (last_object_clicked_count)
        self.ws = None
        self.reader = None

    async def connect(self) -> None:
        self.cookies, self.replica = await asyncio.to_thread(fetch_page, self.base + "/", self.cookies)
        cookies = self.cookies
        parsed = urlparse(self.base)
        ws_url = ("wss" if parsed.scheme == "https" else "ws") + f"://{parsed.netloc}/_stcore/stream"
        headers = {"Origin": f"{parsed.scheme}://{parsed.netloc}"}
        if cookies:
            headers["Cookie"] = cookie_header(cookies)
        self.ws = await connect(
            ws_url,
            subprotocols=["streamlit"],
            additional_headers=headers,
            max_size=None,
            open_timeout=self.timeout,
            ping_interval=None,  # like a browser: no client pings (a busy server answers late)
        )
        self.replica = self.ws.response.headers.get(REPLICA_HEADER, self.replica)
        self.reader = asyncio.create_task(self._read())

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
        if self.reader is not None:
            self.reader.cancel()

    async def _read(self) -> None:
        try:
            async for data in self.ws:
                msg = ForwardMsg()
                msg.ParseFromString(data)
                self._handle(msg)
        except Exception as exc:  # the connection dropped: a waiting step reports it
            await self.finished.put(exc)
            return
        await self.finished.put(ConnectionError("the server closed the connection"))

    def _handle(self, msg: ForwardMsg) -> None:
        if msg.WhichOneof("type") == "ref_hash":
            cached = self.cache.get(msg.ref_hash)
            if cached is None:
                self.exceptions.append("reference to a message this client never received")
                return
            delta_path = list(msg.metadata.delta_path)
            msg = ForwardMsg.FromString(cached.SerializeToString())
            msg.metadata.ClearField("delta_path")
            msg.metadata.delta_path.extend(delta_path)
        elif msg.metadata.cacheable:
            self.cache[msg.hash] = msg
        kind = msg.WhichOneof("type")
        if kind == "new_session":
            self.page_hash = msg.new_session.page_script_hash
            self.session_id = msg.new_session.initialize.session_id or self.session_id
        elif kind == "navigation":
            self.pages = {p.page_name: p.page_script_hash for p in msg.navigation.app_pages}
            self.page_hash = msg.navigation.page_script_hash or self.page_hash
        elif kind == "page_info_changed":
            self.query = msg.page_info_changed.query_string
        elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
            self._element(msg.delta.new_element, msg.delta.fragment_id)
        elif kind == "delta" and msg.delta.WhichOneof("type") == "new_transient":  # a spinner, say
            for element in msg.delta.new_transient.elements:
                self._element(element, msg.delta.fragment_id)
        elif kind == "script_finished":
            self.finished.put_nowait(msg.script_finished)

    def _element(self, element, fragment_id: str) -> None:
        which = element.WhichOneof("type")
        if which == "exception":
            self.exceptions.append(f"{element.exception.type}: {element.exception.message[:120]}")
        elif which == "spinner":
            self.spinners.append(element.spinner.text)
        elif which == "component_instance":
            ci = element.component_instance
            self.widgets[ci.component_name] = Widget(ci.id, fragment_id, args=json.loads(ci.json_args or "{}"))
            self.seen_ids.add(ci.id)
        elif which == "button_group":
            bg = element.button_group
            self.widgets[bg.label] = Widget(bg.id, fragment_id, [o.content for o in bg.options])
            self.seen_ids.add(bg.id)
        else:
            wid = getattr(getattr(element, which), "id", "")
            if isinstance(wid, str) and wid:
                self.seen_ids.add(wid)

    async def rerun(self, fragment_id: str = "", page_hash: str | None = None) -> float:
        """Send one rerun_script; seconds until the update is complete."""
        while not self.finished.empty():
            if isinstance(self.finished.get_nowait(), Exception):
                raise StepError("connection lost: the server closed it")
        back = BackMsg()
        cs = back.rerun_script
        cs.query_string = self.query
        cs.page_script_hash = self.page_hash if page_hash is None else page_hash
        cs.fragment_id = fragment_id
        cs.widget_states.widgets.extend(self.states.values())
        cs.cached_message_hashes.extend(self.cache)
        self.seen_ids = set() if not fragment_id else self.seen_ids
        t0 = time.perf_counter()
        try:
            await self.ws.send(back.SerializeToString())
        except Exception as exc:  # the connection dropped (its replica stopped, say)
            raise StepError(f"connection lost: {type(exc).__name__}") from None
        deadline = t0 + self.timeout
        while True:
            try:
                status = await asyncio.wait_for(self.finished.get(), max(0.01, deadline - time.perf_counter()))
            except TimeoutError:
                raise StepError(f"no update within {self.timeout:.0f} s") from None
            if isinstance(status, Exception):
                raise StepError(f"connection lost: {status}")
            if status in DONE:
                break
        dt = time.perf_counter() - t0
        if status == ForwardMsg.FINISHED_SUCCESSFULLY:  # as the browser: forget widgets gone from the page
            self.states = {k: v for k, v in self.states.items() if k in self.seen_ids}
        if self.exceptions:
            raise StepError("the page showed an exception: " + self.exceptions[-1])
        return dt

    def _set(self, widget: Widget, **value) -> None:
        state = cs_widget_state(widget.id, **value)
        self.states[widget.id] = state

    def map_widget(self) -> Widget:
        w = self.widgets.get(MAP_COMPONENT)
        if w is None:
            raise StepError(f"no {MAP_COMPONENT} component on the page")
        return w

    def map_value(self, target: Target, drawing: dict | None) -> str:
        """The component's value as its frontend forms it (keys of streamlit-folium's
        frontend state), then cut down to ``returned_objects``, as the frontend does."""
        returned = self.map_widget().args.get("returned_objects") or []
        point = {"lat": target.lat, "lng": target.lon}
        if drawing is not None:
            self.clicks += 1
        value = {
            "last_clicked": point if self.clicks else None,
            "last_object_clicked": point if self.clicks else None,
            "last_object_clicked_count": self.clicks,
            "last_object_clicked_tooltip": None,
            "last_object_clicked_popup": None,
            "all_drawings": None,
            "last_active_drawing": drawing,
            "center": point,
            "zoom": ZOOM,
        }
        return json.dumps({k: v for k, v in value.items() if k in returned})

    async def open(self, target: Target) -> float:
        """Open the explorer at the shared view, and report the map as drawn (the component's
        first value), which brings the filters: the whole page."""
        t0 = time.perf_counter()
        await self.connect()
        files = asyncio.create_task(self._fetch("open"))
        self.query = target.query()
        await self.rerun()
        w = self.map_widget()
        self._set(w, json_value=self.map_value(target, None))
        await self.rerun(w.fragment_id)
        await files
        return time.perf_counter() - t0

    async def _fetch(self, step: str) -> None:
        if self.files.get(step):
            loop = asyncio.get_running_loop()
            await loop.run_in_executor(self.fetcher, fetch_files, self.base, self.files[step], self.cookies)

    async def click(self, target: Target) -> float:
        w = self.map_widget()
        feature = {
            "type": "Feature",
            "properties": {"kind": "ic", "id": target.id},
            "geometry": {"type": "Point", "coordinates": [target.lon, target.lat]},
        }
        self._set(w, json_value=self.map_value(target, feature))
        dt = await self.rerun(w.fragment_id)
        if f":{target.id}" not in _unquote(self.query):
            raise StepError(f"the click on {target.id} did not select it (address: {self.query[:80]})")
        return dt

    async def filter(self, target: Target) -> float:
        w = self.widgets.get(SECTOR_WIDGET)
        if w is None:
            raise StepError(f"no '{SECTOR_WIDGET}' filter on the page")
        choice = target.sector_label if target.sector_label in w.options else w.options[0]
        self._set(w, string_array_value=[choice])
        dt = await self.rerun(w.fragment_id)
        if "sector=" not in self.query:
            raise StepError(f"the sector filter is not in the address ({self.query[:80]})")
        return dt

    async def page_switch(self, target: Target) -> float:
        page_hash = self.pages.get(SECTORS_PAGE)
        if not page_hash:
            raise StepError(f"no '{SECTORS_PAGE}' page in the navigation")
        self.query = ""
        t0 = time.perf_counter()
        files = asyncio.create_task(self._fetch("page"))
        await self.rerun(page_hash=page_hash)
        await files
        if self.page_hash != page_hash:
            raise StepError(f"the {SECTORS_PAGE} page did not open")
        return time.perf_counter() - t0


def cs_widget_state(widget_id: str, **value):
    from streamlit.proto.WidgetStates_pb2 import WidgetState

    state = WidgetState(id=widget_id)
    for name, v in value.items():
        if name == "string_array_value":
            state.string_array_value.data.extend(v)
        else:
            setattr(state, name, v)
    return state


def _unquote(q: str) -> str:
    from urllib.parse import unquote

    return unquote(q)


# ---------------------------------------------------------------------------------------------
# A browser session (Debian's chromium through Playwright)


class BrowserSession:
    """One participant in a real chromium page: mouse clicks, waits for what they see."""

    def __init__(self, browser, base: str, action_timeout: float):
        self.browser, self.base, self.timeout = browser, base.rstrip("/"), action_timeout
        self.page = self.frame = None
        self.replica = ""

    async def _idle(self) -> None:
        """The run is over for the page: the frontend's script state is back to not running."""
        await self.page.locator(f"[data-testid='stApp'][data-test-script-state='{IDLE}']").wait_for()

    async def open(self, target: Target, on_request=None) -> float:
        from tests.browser import COUNT_JS

        context = await self.browser.new_context(viewport={"width": 1500, "height": 1000})
        self.page = await context.new_page()
        if on_request is not None:
            self.page.on("request", on_request)
        self.page.set_default_timeout(self.timeout * 1000)
        t0 = time.perf_counter()
        response = await self.page.goto(f"{self.base}/?{target.query()}", wait_until="commit")
        self.replica = response.headers.get(REPLICA_HEADER.lower(), "") if response else ""
        self.frame = await self._map_frame()
        await self.frame.wait_for_function(f"() => ({COUNT_JS})('ic') > 0")
        await self.page.locator("[data-testid='stSidebar']").get_by_role("textbox", name="Search").wait_for()
        return time.perf_counter() - t0

    async def _map_frame(self):
        from tests.browser import MAP_FRAME

        await self.page.wait_for_selector(MAP_FRAME)
        deadline = time.perf_counter() + self.timeout
        while time.perf_counter() < deadline:
            for frame in self.page.frames:
                if "streamlit_folium" in frame.url:
                    try:
                        if await frame.evaluate("() => !!window.map"):
                            return frame
                    except Exception:  # the frame is still loading
                        pass
            await self.page.wait_for_timeout(50)
        raise StepError("the map frame did not appear")

    async def click(self, target: Target) -> float:
        from tests.browser import MAP_FRAME, POINT_JS

        await self.page.wait_for_timeout(300)  # let the map settle, as a person would
        xy = await self.frame.evaluate(POINT_JS, target.id)
        if not xy:
            raise StepError(f"{target.id} is not on the map")
        t0 = time.perf_counter()
        await self.page.frame_locator(MAP_FRAME).locator("#map_div").click(position={"x": xy[0], "y": xy[1]})
        await self.page.wait_for_function(
            f"() => decodeURIComponent(location.search).includes({json.dumps(':' + target.id)})"
        )
        await self._idle()  # the address is written first in the run; the run is over after it
        dt = time.perf_counter() - t0
        return dt

    async def filter(self, target: Target) -> float:
        pill = self.page.locator("[data-testid='stSidebar']").get_by_role(
            "button", name=target.sector_label, exact=True
        )
        await pill.wait_for()
        t0 = time.perf_counter()
        await pill.click()
        await self.page.wait_for_function("() => location.search.includes('sector=')")
        await self._idle()
        dt = time.perf_counter() - t0
        return dt

    async def page_switch(self, target: Target) -> float:
        link = self.page.locator("[data-testid='stSidebarNav']").get_by_role("link", name=SECTORS_PAGE, exact=True)
        t0 = time.perf_counter()
        await link.click()
        await self.page.get_by_role("heading", name=SECTORS_PAGE, exact=True).wait_for()
        await self._idle()
        dt = time.perf_counter() - t0
        return dt

    async def close(self) -> None:
        if self.page is not None:
            await self.page.context.close()


# ---------------------------------------------------------------------------------------------
# The room


@dataclass
class Result:
    kind: str  # "protocol" or "browser"
    replica: str = ""
    times: dict[str, float] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


async def participant(session, result: Result, target: Target, barriers: dict, spread: float) -> Result:
    steps = {"open": session.open, "click": session.click, "filter": session.filter, "page": session.page_switch}
    alive = True
    for step in STEPS:
        await barriers[step].wait()
        if alive:
            if spread:
                await asyncio.sleep(random.uniform(0, spread))
            try:
                result.times[step] = await steps[step](target)
            except Exception as exc:  # recorded and reported: the run carries on
                result.errors.append(f"{step}: {type(exc).__name__}: {str(exc).splitlines()[0][:160]}")
                alive = False
        result.replica = result.replica or session.replica
        await barriers[step].done()
    return result


class Phase:
    """All sessions start a step together (the presenter's "now click"). Notes, from the start
    of the step to its end, the wall time, the servers' CPU time and the whole machine's."""

    def __init__(self, n: int, servers: dict[int, int] | None = None):
        self.n, self.arrived, self.finished = n, 0, 0
        self.go, self.all_done = asyncio.Event(), asyncio.Event()
        self.servers = servers or {}
        self.start: tuple[float, float, float] | None = None
        self.used: tuple[float, float, float] | None = None  # wall, server CPU, machine CPU (s)

    def _clock(self) -> tuple[float, float, float]:
        return time.perf_counter(), sum(cpu_seconds(p) for p in self.servers), machine_cpu_seconds()

    async def wait(self) -> None:
        self.arrived += 1
        if self.arrived == self.n:
            self.start = self._clock()
            self.go.set()
        await self.go.wait()

    async def done(self) -> None:
        self.finished += 1
        if self.finished == self.n:
            end = self._clock()
            self.used = tuple(b - a for a, b in zip(self.start, end, strict=False))
            self.all_done.set()
        await self.all_done.wait()


async def warm_up(args, servers: dict[int, int]) -> None:
    """One session through every step on each replica first, so that "before" is a server that
    has loaded its code and data (the first session pays for that, not the room)."""
    left = {str(port) for port in servers.values()} or {""}
    target = targets(1)[0]
    for _ in range(4 * len(left)):
        if not left:
            break
        s = ProtocolSession(args.url, args.action_timeout)
        try:
            for step in (s.open, s.click, s.filter, s.page_switch):
                await step(target)
        except StepError as exc:
            print(f"warm-up: {exc}", file=sys.stderr)
        finally:
            await s.close()
        if not s.replica:  # no balancer in front: the one server is warm
            break
        left.discard(s.replica.rsplit(":", 1)[-1])


FETCHERS = 4  # processes that fetch the protocol clients' files


def file_fetchers() -> concurrent.futures.Executor:
    """Processes of their own for the protocol clients' file requests (3,000 and more for a room),
    so that those do not hold the clients' interpreter lock while the clients read the server's
    messages: in a room, each browser fetches its files on its own machine. Started (and their
    imports done) before the run."""
    pool = concurrent.futures.ProcessPoolExecutor(FETCHERS, mp_context=multiprocessing.get_context("spawn"))
    list(pool.map(abs, range(FETCHERS)))
    return pool


def percentile(values: list[float], q: float) -> float:
    s = sorted(values)
    return s[max(0, math.ceil(q * len(s)) - 1)]


async def sample_rss(pids: dict[int, int], peak: dict[int, float], stop: asyncio.Event) -> None:
    while not stop.is_set():
        for pid in pids:
            peak[pid] = max(peak.get(pid, 0.0), rss_mb(pid))
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), 0.2)


async def room(args) -> int:
    n = args.sessions
    n_browsers = min(args.browsers, n)
    servers = discover(args.url, args.pids)
    if args.warmup:
        await warm_up(args, servers)
    before = {pid: rss_mb(pid) for pid in servers}
    cpu_before = {pid: cpu_seconds(pid) for pid in servers}
    files: dict[str, list[str]] = {}
    fetcher = None
    if args.files and n > n_browsers:
        files = await record_first_visit(args.url, args.action_timeout)
        fetcher = file_fetchers()
    picked = targets(n)
    phases = {step: Phase(n, servers) for step in STEPS}
    peak: dict[int, float] = dict(before)  # a peak is never below the start (RSS can fall meanwhile)
    stop = asyncio.Event()
    sampler = asyncio.create_task(sample_rss(servers, peak, stop))
    sessions: list = []
    pw = browser = None
    t_start = time.perf_counter()
    try:
        if n_browsers:
            from playwright.async_api import async_playwright

            from tests.browser import CHROMIUM_ARGS, chromium_path

            pw = await async_playwright().start()
            browser = await pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        kinds = ["browser"] * n_browsers + ["protocol"] * (n - n_browsers)
        for kind in kinds:
            sessions.append(
                BrowserSession(browser, args.url, args.action_timeout)
                if kind == "browser"
                else ProtocolSession(args.url, args.action_timeout)
            )
            if kind == "protocol":
                sessions[-1].files, sessions[-1].fetcher = files, fetcher
        results = [Result(kind) for kind in kinds]
        tasks = [
            asyncio.create_task(participant(s, r, t, phases, args.spread))
            for s, r, t in zip(sessions, results, picked, strict=False)
        ]
        _, late = await asyncio.wait(tasks, timeout=args.deadline)
        for task in late:  # bounded in time: report what was done
            task.cancel()
        await asyncio.gather(*late, return_exceptions=True)
        for r in results:
            if len(r.times) + len(r.errors) < len(STEPS) and not r.errors:
                r.errors.append(f"{STEPS[len(r.times)]}: not done within --deadline {args.deadline:g} s")
    finally:
        for s in sessions:
            with contextlib.suppress(Exception):  # closing a session that never opened
                await s.close()
        if browser is not None:
            await browser.close()
        if pw is not None:
            await pw.stop()
        stop.set()
        await sampler
        if fetcher is not None:
            fetcher.shutdown()
    wall = time.perf_counter() - t_start
    load = os.getloadavg()[1]  # the machine's load over the run (other work bends wall times)
    await asyncio.sleep(args.settle)
    after = {pid: rss_mb(pid) for pid in servers}
    cpu_used = {pid: cpu_seconds(pid) - cpu_before[pid] for pid in servers}
    report(args, results, servers, before, peak, after, cpu_used, wall, load)
    print_steps(phases)
    if files:
        print(
            f"protocol clients fetched a first visit's files: {len(files['open'])} at open, "
            f"{len(files['page'])} more at the Sectors page"
        )
    return 1 if any(r.errors for r in results) else 0


def report(args, results, servers, before, peak, after, cpu_used, wall, load) -> None:
    n_b = sum(r.kind == "browser" for r in results)
    print(
        f"{len(results)} sessions ({len(results) - n_b} protocol, {n_b} browser) against {args.url}; "
        f"steps started together{f', spread {args.spread:g} s' if args.spread else ''}; {wall:.1f} s in all; "
        f"load average {load:.1f} on {os.cpu_count()} cores"
    )
    print(f"\n{'step':8} {'who':9} {'n':>3} {'p50 s':>7} {'p95 s':>7} {'max s':>7}")
    for step in STEPS:
        for who in ("protocol", "browser", "all"):
            ts = [r.times[step] for r in results if step in r.times and (who == "all" or r.kind == who)]
            if ts and not (who == "all" and n_b in (0, len(results))):
                print(
                    f"{step:8} {who:9} {len(ts):3} {statistics.median(ts):7.2f} "
                    f"{percentile(ts, 0.95):7.2f} {max(ts):7.2f}"
                )
    errors = [(r.kind, e) for r in results for e in r.errors]
    print(f"\nerrors: {len(errors)}")
    for kind, e in errors[:20]:
        print(f"  {kind}: {e}")
    by_port: dict[str, int] = {}
    for r in results:
        by_port[r.replica.rsplit(":", 1)[-1] if r.replica else ""] = (
            by_port.get(r.replica.rsplit(":", 1)[-1] if r.replica else "", 0) + 1
        )
    print(
        f"\n{'server pid':>10} {'port':>5} {'sessions':>8} {'RSS before':>10} {'peak':>7} {'after':>7} "
        f"{'MB/session':>10} {'CPU s':>6}"
    )
    for pid, port in sorted(servers.items(), key=lambda kv: kv[1]):
        k = by_port.get(str(port), 0) if len(servers) > 1 or "" not in by_port else len(results)
        per = (peak.get(pid, 0) - before[pid]) / k if k else float("nan")
        print(
            f"{pid:10} {port:5} {k:8} {before[pid]:9.0f}M {peak.get(pid, 0):6.0f}M {after[pid]:6.0f}M "
            f"{per:10.2f} {cpu_used[pid]:6.1f}"
        )
    if not servers:
        print("  (no server process found: pass --pids to see memory)")


def print_steps(phases: dict[str, Phase]) -> None:
    """Where each step's time went: a step that used the machine's cores for most of its wall time
    was waiting for CPU, whoever used it (with browsers on the same machine: their drawing)."""
    cores = os.cpu_count() or 1
    print(f"\n{'step':8} {'wall s':>7} {'server CPU s':>12} {'machine CPU s':>13} {'of cores':>8}")
    for step, phase in phases.items():
        if phase.used:
            wall, server, machine = phase.used
            print(f"{step:8} {wall:7.2f} {server:12.2f} {machine:13.2f} {machine / (wall * cores):8.0%}")


# ---------------------------------------------------------------------------------------------
# Profile: server CPU time per single interaction


async def profile(args) -> int:
    servers = discover(args.url, args.pids)
    if not servers:
        print("no server process found: pass --pids", file=sys.stderr)
        return 2
    if args.warmup:
        await warm_up(args, servers)
    picked = targets(args.repeat)
    cpu: dict[str, list[float]] = {}
    wall: dict[str, list[float]] = {}

    async def measure(name: str, action) -> None:
        c0 = sum(cpu_seconds(p) for p in servers)
        dt = await action
        await asyncio.sleep(args.settle_step)  # what the server does after the last message
        cpu.setdefault(name, []).append(sum(cpu_seconds(p) for p in servers) - c0)
        wall.setdefault(name, []).append(dt)

    for target in picked:
        s = ProtocolSession(args.url, args.action_timeout)
        try:
            await measure("open explorer (2 runs)", s.open(target))
            await asyncio.sleep(args.settle_step)
            await measure("explorer click", s.click(target))
            await measure("sector filter", s.filter(target))
            await measure("page switch to Sectors", s.page_switch(target))
        finally:
            await s.close()
        await asyncio.sleep(args.settle_step)
    print(
        f"server CPU time per interaction (utime+stime of pids {sorted(servers)}, "
        f"{args.repeat} sessions one after another, clock tick {1000 / TICK:.0f} ms; "
        f"load average {os.getloadavg()[1]:.1f} on {os.cpu_count()} cores)"
    )
    print(f"\n{'interaction':26} {'n':>3} {'CPU ms median':>13} {'mean':>7} {'wall ms median':>14}")
    for name in cpu:
        print(
            f"{name:26} {len(cpu[name]):3} {statistics.median(cpu[name]) * 1000:13.0f} "
            f"{statistics.mean(cpu[name]) * 1000:7.0f} {statistics.median(wall[name]) * 1000:14.0f}"
        )
    return 0


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--url", default="http://127.0.0.1:8501", help="the running app (loopback only)")
    p.add_argument("--sessions", type=int, default=30, help=f"sessions in all (≤ {MAX_SESSIONS})")
    p.add_argument("--browsers", type=int, default=5, help="of which real chromium pages")
    p.add_argument("--spread", type=float, default=0.0, help="each step starts within this many seconds")
    p.add_argument("--pids", type=int, nargs="*", help="server pids to watch (default: discovered)")
    p.add_argument("--action-timeout", type=float, default=60.0, help="seconds a step may take")
    p.add_argument("--deadline", type=float, default=600.0, help="seconds the whole run may take")
    p.add_argument("--settle", type=float, default=5.0, help="seconds after the run before 'after' RSS")
    p.add_argument(
        "--no-warmup", dest="warmup", action="store_false", help="skip the warm-up session per replica before measuring"
    )
    p.add_argument(
        "--no-files", dest="files", action="store_false", help="protocol clients fetch no files (only their runs)"
    )
    p.add_argument("--profile", action="store_true", help="server CPU time per single interaction")
    p.add_argument("--repeat", type=int, default=10, help="--profile: sessions one after another")
    p.add_argument("--settle-step", type=float, default=0.3, help="--profile: idle time after each step")
    args = p.parse_args(argv)
    host = urlparse(args.url).hostname
    if host not in ("127.0.0.1", "localhost", "::1"):
        p.error("loopback only: --url must be on 127.0.0.1 or localhost")
    if not 1 <= args.sessions <= MAX_SESSIONS:
        p.error(f"--sessions must be between 1 and {MAX_SESSIONS}")
    return asyncio.run(profile(args) if args.profile else room(args))


if __name__ == "__main__":
    sys.exit(main())
