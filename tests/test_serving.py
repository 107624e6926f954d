"""Two replicas behind nginx (scripts/serve.sh), reached the way a browser does (protocol level).

What a room relies on: new browsers are spread over the replicas, a browser stays on its replica
(its session lives there), every session keeps its own state across reruns, and when one
replica stops only its own sessions are lost; the others carry on and newcomers are served.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import unquote

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

import loadtest  # noqa: E402

TIMEOUT = 120  # bounds a step that never ends; no figure is asserted


def _free_pair() -> int:
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


def _wait_for(url: str, proc: subprocess.Popen, run_dir: Path) -> None:
    """Until nginx answers its own health check (serve.sh starts it once the replicas answer)."""
    deadline = time.time() + 180
    while time.time() < deadline:
        if proc.poll() is not None:
            logs = "\n".join(p.read_text(errors="replace")[-2000:] for p in run_dir.glob("*.log"))
            raise RuntimeError(f"serve.sh stopped:\n{proc.stdout.read().decode(errors='replace')}\n{logs}")
        pids = run_dir / "replicas"
        if pids.exists() and "nginx" in pids.read_text():
            try:
                with urllib.request.urlopen(url + "/healthz", timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                pass
        time.sleep(0.2)
    raise RuntimeError("serve.sh did not come up")


@pytest.fixture()
def served(tmp_path):
    """scripts/serve.sh --replicas 2 on free loopback ports; yields (url, {port: pid})."""
    if not (shutil.which("nginx") or os.access("/usr/sbin/nginx", os.X_OK)):
        pytest.fail("nginx (Debian's package) is missing: run `bash scripts/setup.sh --test`")
    port = _free_pair()
    run_dir = tmp_path / "serve"
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
        _wait_for(url, proc, run_dir)
        replicas = {}
        for line in (run_dir / "replicas").read_text().splitlines():
            pid, name = line.split()
            if name != "nginx":
                replicas[int(name)] = int(pid)
        yield url, replicas
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(10)


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
    """n fresh browsers (no cookie yet) load the page: their cookies, by the replica that answered."""
    out: dict[int, list[dict]] = {}
    for _ in range(n):
        cookies, replica = loadtest.fetch_page(url + "/")
        assert replica, "nginx names the replica that answered"
        assert "atlas_replica" in cookies, "nginx sets the affinity cookie on a first visit"
        out.setdefault(_port(replica), []).append(cookies)
    return out


def test_new_browsers_are_spread_over_both_replicas_and_each_stays_on_its_own(served):
    url, replicas = served
    by_replica = _browsers_by_replica(url)
    # 32 random keys on a two-server hash ring: all on one side has odds of about 1 in 2e9
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


def test_sessions_keep_their_state_and_survive_the_other_replica_stopping(served):
    url, replicas = served
    by_replica = _browsers_by_replica(url)
    (port_a, jars_a), (port_b, jars_b) = sorted(by_replica.items())[:2]
    targets = loadtest.targets(4)

    async def scenario():
        plan = [(jars_a[0], targets[0]), (jars_a[1], targets[1]), (jars_b[0], targets[2]), (jars_b[1], targets[3])]
        sessions = [await _open_and_select(url, c, t) for c, t in plan]
        try:
            # each session is on its cookie's replica, with its own selection, never another's
            assert [_port(s.replica) for s in sessions] == [port_a, port_a, port_b, port_b]
            for s, (_, t) in zip(sessions, plan):
                assert f"sel=ic:{t.id}" in _selected(s)
                assert sum(f":{o.id}" in _selected(s) for o in targets) == 1
            # a further rerun (the sector filter) keeps the selection
            for s, (_, t) in zip(sessions, plan):
                await s.filter(t)
                assert f"sel=ic:{t.id}" in _selected(s) and "sector=" in s.query

            os.kill(replicas[port_a], signal.SIGTERM)  # replica A stops
            _gone(replicas[port_a])
            for s, (_, t) in zip(sessions[:2], plan[:2]):
                with pytest.raises(loadtest.StepError, match="connection lost"):
                    await s.click(t)
            for i, s in enumerate(sessions[2:]):  # replica B's sessions carry on, their state intact
                other = targets[i]
                await s.click(other)
                assert f"sel=ic:{other.id}" in _selected(s) and "sector=" in s.query
                await s.page_switch(other)
            # a browser of replica A that comes back is served by B, in a new session
            again = await _open_and_select(url, jars_a[0], targets[0])
            try:
                assert _port(again.replica) == port_b
                assert again.session_id and again.session_id != sessions[0].session_id
            finally:
                await again.close()
        finally:
            for s in sessions:
                await s.close()

    asyncio.run(scenario())
