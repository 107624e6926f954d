"""Two replicas behind nginx (scripts/serve.sh), and the room on the main command
(scripts/run.sh --network), reached the way a browser does (protocol level).

What a room relies on: new browsers are spread over the replicas, a browser stays on its replica
(its session lives there), every session keeps its own state across reruns, and when one
replica stops only its own sessions are lost; the others carry on, newcomers are served and the
replica comes back. Once a command says the app is ready, the first visitor finds it loaded.
"""

from __future__ import annotations

import asyncio
import contextlib
import gzip
import http.client
import os
import re
import select
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from scripts import loadtest

ROOT = Path(__file__).resolve().parents[1]

TIMEOUT = 120  # bounds a step that never ends; no figure is asserted


def _free_ports() -> int:
    """A loopback port whose next two ports are free too (nginx, replica 1, replica 2)."""
    for _ in range(200):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            base = s.getsockname()[1]
        if base > 65000:
            continue
        try:
            socks = []
            for p in (base, base + 1, base + 2):
                s = socket.socket()
                socks.append(s)
                s.bind(("127.0.0.1", p))
            return base
        except OSError:
            continue
        finally:
            for s in socks:
                s.close()
    raise RuntimeError("no three free consecutive ports")


def _wait_ready(proc: subprocess.Popen, run_dir: Path | None = None) -> str:
    """Until the command says the app is ready (its output up to then)."""
    deadline, out = time.time() + 300, b""
    while time.time() < deadline:
        if select.select([proc.stdout], [], [], 0.5)[0]:
            line = proc.stdout.readline()
            out += line
            if b" is ready" in line:
                return out.decode(errors="replace")
            if line:
                continue
        if proc.poll() is not None:
            logs = "\n".join(p.read_text(errors="replace")[-2000:] for p in run_dir.glob("*.log")) if run_dir else ""
            raise RuntimeError(f"the server stopped:\n{out.decode(errors='replace')}\n{logs}")
    raise RuntimeError(f"the server did not say it is ready:\n{out.decode(errors='replace')}")


def _stop(proc: subprocess.Popen) -> None:
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(10)


def _replicas(run_dir: Path) -> dict[int, int]:
    """{port: pid} of serve.sh's replicas, from its runtime directory."""
    out = {}
    for line in (run_dir / "replicas").read_text().splitlines():
        pid, name = line.split()
        if name != "nginx":
            out[int(name)] = int(pid)
    return out


@contextlib.contextmanager
def _serve(run_dir: Path):
    """scripts/serve.sh --replicas 2 on free loopback ports; yields (url, {port: pid})."""
    if not (shutil.which("nginx") or os.access("/usr/sbin/nginx", os.X_OK)):
        pytest.fail("nginx (Debian's package) is missing: run `bash scripts/setup.sh --test`")
    port = _free_ports()
    env = dict(os.environ, ATLAS_PYTHON=sys.executable)
    proc = subprocess.Popen(
        ["bash", "scripts/serve.sh", "--replicas", "2", "--port", str(port), "--no-setup", "--run-dir", str(run_dir)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(proc, run_dir)
        yield url, _replicas(run_dir)
    finally:
        _stop(proc)


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """Two replicas for the tests that leave both running."""
    with _serve(tmp_path_factory.mktemp("serve")) as s:
        yield s


@pytest.fixture()
def served_alone(tmp_path):
    """Two replicas of its own, for the test that stops one: (url, {port: pid}, runtime directory)."""
    with _serve(tmp_path / "serve") as (url, replicas):
        yield url, replicas, tmp_path / "serve"


def _gone(pid: int) -> None:
    """Until the process has exited (and the kernel has closed its connections)."""
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            return
        if state == "Z":
            return
        time.sleep(0.1)
    raise AssertionError(f"replica {pid} did not stop")


def _port(replica_header: str) -> int:
    return int(replica_header.rsplit(":", 1)[1])


def _browsers_by_replica(url: str, n: int = 32) -> dict[int, list[dict]]:
    """n fresh browsers (no cookie yet) load the page and then ask for the server's health, as
    Streamlit's frontend does before its websocket: their cookies, by the replica that answered."""
    out: dict[int, list[dict]] = {}
    for _ in range(n):
        cookies, _ = loadtest.fetch_page(url + "/")
        assert "atlas_replica" in cookies, "nginx sets the affinity cookie on a first visit"
        again, replica = loadtest.fetch_page(url + "/_stcore/health", cookies)
        assert replica, "nginx names the replica that answered"
        assert again["atlas_replica"] == cookies["atlas_replica"], "the cookie is set once"
        out.setdefault(_port(replica), []).append(cookies)
    return out


async def _first_visit(url: str) -> list[str]:
    """The spinners the first session shows while it opens the explorer (and its replica)."""
    s = loadtest.ProtocolSession(url, TIMEOUT)
    try:
        await s.open(loadtest.targets(1)[0])
    finally:
        await s.close()
    assert s.query, "the explorer ran (it writes its view into the address)"
    return s.spinners


def test_once_serve_sh_says_ready_the_first_visitor_finds_the_data_loaded(served):
    """serve.sh says "ready" once every replica has loaded the data and run the explorer: the first
    visitor (this test runs before any other session of the module) sees no "Loading the atlas
    data…" on any replica."""
    url, replicas = served
    for port in replicas:
        spinners = asyncio.run(_first_visit(f"http://127.0.0.1:{port}"))
        assert not [t for t in spinners if "Loading the atlas data" in t], spinners


def test_new_browsers_are_spread_over_both_replicas_and_each_stays_on_its_own(served):
    url, replicas = served
    by_replica = _browsers_by_replica(url)
    # 32 random keys on a two-server hash ring: all on one side has odds far below 1 in 10^8
    assert set(by_replica) == set(replicas)
    for port, jars in by_replica.items():
        for cookies in jars[:3]:
            for _ in range(3):
                again, replica = loadtest.fetch_page(url + "/_stcore/health", cookies)
                assert _port(replica) == port
                assert again["atlas_replica"] == cookies["atlas_replica"]


async def _open_and_select(url: str, cookies: dict, target) -> loadtest.ProtocolSession:
    s = loadtest.ProtocolSession(url, TIMEOUT, cookies)
    await s.open(target)
    await s.click(target)
    return s


def _selected(session) -> str:
    return unquote(session.query)


def _back_in_the_pool(url: str, run_dir: Path, port: int, old_pid: int, cookies: dict) -> None:
    """Until serve.sh has started the replica on ``port`` again and nginx sends it the browsers
    whose cookie hashes to it (bounded; no figure asserted)."""
    deadline = time.time() + TIMEOUT
    while time.time() < deadline:
        pid = _replicas(run_dir).get(port)
        if pid and pid != old_pid:
            with contextlib.suppress(OSError):
                if _port(loadtest.fetch_page(url + "/_stcore/health", cookies)[1]) == port:
                    return
        time.sleep(0.2)
    raise AssertionError(f"the replica on port {port} did not come back: {_replicas(run_dir)}")


def test_sessions_keep_their_state_and_survive_the_other_replica_stopping(served_alone):
    url, replicas, run_dir = served_alone
    by_replica = _browsers_by_replica(url)
    (port_a, jars_a), (port_b, jars_b) = sorted(by_replica.items())[:2]
    assert len(by_replica) == 2 and min(len(j) for j in by_replica.values()) >= 2
    targets = loadtest.targets(4)

    async def scenario():
        plan = [(jars_a[0], targets[0]), (jars_a[1], targets[1]), (jars_b[0], targets[2]), (jars_b[1], targets[3])]
        sessions = [await _open_and_select(url, c, t) for c, t in plan]
        try:
            # each session is on its cookie's replica, with its own selection, never another's
            assert [_port(s.replica) for s in sessions] == [port_a, port_a, port_b, port_b]
            for s, (_, t) in zip(sessions, plan, strict=False):
                assert f"sel=ic:{t.id}" in _selected(s)
                assert sum(f":{o.id}" in _selected(s) for o in targets) == 1
            # a further rerun (the sector filter) keeps the selection
            for s, (_, t) in zip(sessions, plan, strict=False):
                await s.filter(t)
                assert f"sel=ic:{t.id}" in _selected(s) and "sector=" in s.query

            os.kill(replicas[port_a], signal.SIGTERM)  # replica A stops
            _gone(replicas[port_a])
            for s, (_, t) in zip(sessions[:2], plan[:2], strict=False):
                with pytest.raises(loadtest.StepError, match="connection lost"):
                    await s.click(t)
            for i, s in enumerate(sessions[2:]):  # replica B's sessions carry on, their state intact
                other = targets[i]
                await s.click(other)
                assert f"sel=ic:{other.id}" in _selected(s) and "sector=" in s.query
                await s.page_switch(other)
            # a browser of replica A that comes back is served (by B, or by A started again), in a
            # new session
            again = await _open_and_select(url, jars_a[0], targets[0])
            try:
                assert again.session_id and again.session_id != sessions[0].session_id
            finally:
                await again.close()
            # serve.sh starts replica A again: A's browsers are sent to it, and it serves them
            await asyncio.to_thread(_back_in_the_pool, url, run_dir, port_a, replicas[port_a], jars_a[1])
            back = await _open_and_select(url, jars_a[1], targets[1])
            try:
                assert _port(back.replica) == port_a
            finally:
                await back.close()
        finally:
            for s in sessions:
                await s.close()

    asyncio.run(scenario())


def _put(url: str, cookies: dict, body: bytes, send_body: bool = True) -> int:
    """An upload as the browser sends it (multipart PUT with the XSRF token): the status.
    ``send_body=False`` sends the headers only and waits: a refusal made on the declared size,
    before the body is read."""
    boundary = "atlas-test-boundary"
    data = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="places.csv"\r\n'
            "Content-Type: text/csv\r\n\r\n"
        ).encode()
        + body
        + f"\r\n--{boundary}--\r\n".encode()
    )
    parts = urlparse(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    try:
        conn.putrequest("PUT", parts.path)
        conn.putheader("Content-Type", f"multipart/form-data; boundary={boundary}")
        conn.putheader("Content-Length", str(len(data)))
        conn.putheader("Cookie", "; ".join(f"{k}={v}" for k, v in cookies.items()))
        conn.putheader("X-Xsrftoken", cookies.get("_streamlit_xsrf", ""))
        conn.endheaders()
        if send_body:
            conn.send(data)
        return conn.getresponse().status
    finally:
        conn.close()


def test_uploads_over_the_cap_are_refused_by_the_server_and_by_nginx(served):
    """The 1 MB cap holds on the server, not only in the browser: a bigger file is refused on its
    declared size, before it is read, by nginx and by a replica reached directly; a file of the
    app's own limit goes through (the app then checks it with its own message)."""
    url, _ = served

    async def scenario():
        s = loadtest.ProtocolSession(url, TIMEOUT)
        await s.open(loadtest.targets(1)[0])
        try:  # the session stays open: uploads belong to a live session
            cookies, _ = await asyncio.to_thread(loadtest.fetch_page, url + "/_stcore/health", s.cookies)
            assert "_streamlit_xsrf" in cookies  # Streamlit's XSRF cookie, from the session's replica
            base = f"{url}/_stcore/upload_file/{s.session_id}"
            limit = await asyncio.to_thread(_put, f"{base}/limit", cookies, b"x" * 1_000_000)
            # bigger files, headers only: refused on their declared size, before they are read
            over = await asyncio.to_thread(_put, f"{base}/over", cookies, b"x" * 1_500_000, False)
            direct = f"http://127.0.0.1:{_port(s.replica)}/_stcore/upload_file/{s.session_id}/direct"
            unread = await asyncio.to_thread(_put, direct, cookies, b"x" * 1_500_000, False)
        finally:
            await s.close()
        assert limit == 204  # a file of the app's own limit (1 MB) reaches the app
        assert over == 413  # by nginx (client_max_body_size)
        assert unread == 413  # by the replica itself (server.maxUploadSize = 1)

    asyncio.run(scenario())


def _get(url: str, gzip_ok: bool = False) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"} if gzip_ok else {})
    try:
        with urllib.request.urlopen(request, timeout=30) as r:
            return r.status, {k.lower(): v for k, v in r.headers.items()}, r.read()
    except urllib.error.HTTPError as exc:
        return exc.code, {k.lower(): v for k, v in exc.headers.items()}, exc.read()


def _first_visit_files(url: str) -> list[str]:
    """One file of each kind a browser's first visit fetches: the page and its icon, the
    frontend's entry script (named in the page), the map component's page and script, and the
    app's own static files."""
    _, _, page = _get(url + "/")
    entry = re.search(rb'src="\./(static/js/index\.[^"]+\.js)"', page)
    assert entry, "the page names Streamlit's entry script"
    _, _, component = _get(url + "/component/streamlit_folium.st_folium/index.html")
    script = re.search(rb'src="\./(static/js/main\.[^"]+\.js)"', component)
    assert script, f"the map component's page names its script: {component[:300]!r}"
    return [
        "/",  # the page, and its icon (Streamlit's own)
        "/favicon.png",
        "/" + entry.group(1).decode(),
        "/component/streamlit_folium.st_folium/index.html",
        "/component/streamlit_folium.st_folium/" + script.group(1).decode(),
        "/app/static/vendor/leaflet/leaflet.js",
        "/app/static/geo/provinces.json",
    ]


def test_the_files_of_a_first_visit_come_from_nginx_as_the_replicas_would_send_them(served):
    """A room's first visits are ~100 files each; nginx sends them (no replica named), the same
    bytes a replica sends, compressed for browsers that accept it, and a missing one is a 404."""
    url, replicas = served
    _assert_the_front_sends_the_first_visit(url, f"http://127.0.0.1:{next(iter(replicas))}")


def _assert_the_front_sends_the_first_visit(url: str, direct: str) -> None:
    """The first-visit files come from nginx at ``url``, as the replica at ``direct`` sends them."""

    async def one_session() -> None:  # a replica serves the map component once a run has drawn it
        s = loadtest.ProtocolSession(direct, TIMEOUT)
        try:
            await s.open(loadtest.targets(1)[0])
        finally:
            await s.close()

    asyncio.run(one_session())
    for path in _first_visit_files(url):
        status, headers, body = _get(url + path)
        assert status == 200, path
        assert "x-atlas-replica" not in headers, f"{path} was sent by a replica, not nginx"
        _, replica_headers, replica_body = _get(direct + path)
        assert body == replica_body, f"{path} differs from the replica's"
        assert headers["content-type"].split(";")[0] == replica_headers["content-type"].split(";")[0], path
        status, headers, packed = _get(url + path, gzip_ok=True)
        if len(body) > 2048 and not path.endswith(".html"):
            assert headers.get("content-encoding") == "gzip", path
            assert gzip.decompress(packed) == body, path
            assert len(packed) < len(body)
    for path in ("/", "/favicon.png"):  # as Streamlit caches them: the page never, the icon a year
        assert _get(url + path)[1]["cache-control"] == _get(direct + path)[1]["cache-control"], path
    status, headers, _ = _get(url + "/static/js/no-such-file.js")
    assert status == 404
    assert "immutable" not in headers.get("cache-control", ""), "a missing file is not cached for a year"
    assert _get(url + "/app/static/vendor/leaflet/leaflet.js")[1].get("x-content-type-options") == "nosniff"


def _run_sh(*options: str) -> subprocess.Popen:
    env = dict(os.environ, STREAMLIT_BROWSER_GATHER_USAGE_STATS="false")
    return subprocess.Popen(
        ["bash", "scripts/run.sh", *options],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def test_run_sh_network_serves_the_room_through_nginx_once_ready():
    """The README's command for a room: `run.sh --network` runs the nginx front of serve.sh (one
    replica, on the next port): the first-visit files come from nginx, and once it says "ready"
    the first visitor finds the data loaded."""
    if not (shutil.which("nginx") or os.access("/usr/sbin/nginx", os.X_OK)):
        pytest.fail("nginx (Debian's package) is missing: run `bash scripts/setup.sh --test`")
    port = _free_ports()
    proc = _run_sh("--network", "--server.port", str(port))
    try:
        said = _wait_ready(proc)
        assert "behind nginx" in said, said
        url, direct = f"http://127.0.0.1:{port}", f"http://127.0.0.1:{port + 1}"
        spinners = asyncio.run(_first_visit(url))
        assert not [t for t in spinners if "Loading the atlas data" in t], spinners
        _assert_the_front_sends_the_first_visit(url, direct)
    finally:
        _stop(proc)


def test_once_run_sh_says_ready_the_first_visitor_finds_the_data_loaded():
    """`run.sh` (this computer only, the app process alone) says "ready" only once the data are
    loaded and the explorer has run: its first visitor sees no "Loading the atlas data…"."""
    port = _free_ports()
    proc = _run_sh("--server.port", str(port))
    try:
        said = _wait_ready(proc)
        assert f"http://localhost:{port}" in said, said
        spinners = asyncio.run(_first_visit(f"http://127.0.0.1:{port}"))
        assert not [t for t in spinners if "Loading the atlas data" in t], spinners
    finally:
        _stop(proc)
