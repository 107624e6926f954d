"""Ready means the next visitor is served at once: the data loaded and the first runs done.

    .venv/bin/python -m scripts.ready --url http://127.0.0.1:8501 [--wait 300] [--pid PID] [--marker FILE]

A Streamlit process answers its health check (``/_stcore/health``) as soon as it listens, but it
runs the app only when a session asks: the first visitor of a fresh server waited ~10 s behind
"Loading the atlas data…" while the data loaded. So this waits for the health answer, then runs
one session as a browser does (scripts/loadtest.py's protocol client, Streamlit's own websocket
protocol): it opens the explorer, reports the map drawn and opens the Sectors page. Exit 0 once
that went through without an error on the page; 1 (with what it saw) if the server stopped
(``--pid``), did not answer within ``--wait`` seconds, or the session failed.
scripts/run.sh and scripts/serve.sh run it before they say the app is ready.

``--marker FILE`` makes it a readiness probe (deploy/kubernetes): the first success writes FILE;
later calls only ask the health endpoint, so a probe every few seconds costs no session.
Loopback only.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
# The explorer's default frame (the whole country), as a first visitor opens it.
VIEW = {"lat": 35.0, "lon": 105.0}


def healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
            return r.status == 200
    except OSError:
        return False


def alive(pid: int | None) -> bool:
    if pid is None:
        return True
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


async def one_session(url: str, timeout: float) -> None:
    """Open the explorer and the Sectors page, as a first visitor would (raises what went wrong)."""
    from scripts import loadtest  # Streamlit's protocol types: imported only when a session is run

    view = loadtest.Target("", VIEW["lat"], VIEW["lon"], "")
    session = loadtest.ProtocolSession(url, timeout)
    try:
        await session.open(view)
        await session.page_switch(view)
    finally:
        await session.close()


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--url", default="http://127.0.0.1:8501", help="the app process (loopback only)")
    p.add_argument("--wait", type=float, default=300.0, help="seconds to wait for the health answer and the session")
    p.add_argument("--pid", type=int, help="the server's process: stop waiting if it exits")
    p.add_argument("--marker", type=Path, help="written on success; when present, only the health check is made")
    args = p.parse_args(argv)
    url = args.url.rstrip("/")
    if urlparse(url).hostname not in ("127.0.0.1", "localhost", "::1"):
        p.error("loopback only: --url must be on 127.0.0.1 or localhost")
    if args.marker is not None and args.marker.exists():
        return 0 if healthy(url) else 1
    deadline = time.monotonic() + args.wait
    while not healthy(url):
        if not alive(args.pid):
            print(f"ready.py: the server (pid {args.pid}) stopped before it answered", file=sys.stderr)
            return 1
        if time.monotonic() > deadline:
            print(f"ready.py: no health answer from {url} within {args.wait:g} s", file=sys.stderr)
            return 1
        time.sleep(0.2)
    try:
        asyncio.run(one_session(url, max(10.0, deadline - time.monotonic())))
    except Exception as exc:  # noqa: BLE001 - reported as a line, the caller decides
        print(f"ready.py: the first session on {url} failed: {exc}", file=sys.stderr)
        return 1
    if args.marker is not None:
        args.marker.parent.mkdir(parents=True, exist_ok=True)
        args.marker.write_text(f"ready {time.strftime('%Y-%m-%dT%H:%M:%S')} pid {os.getpid()}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
