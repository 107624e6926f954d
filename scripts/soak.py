"""A workshop day in minutes: N participants over M minutes against a running app, and what the
server processes keep.

    .venv/bin/python -m scripts.soak [--url http://127.0.0.1:8501] [--sessions 300] [--minutes 10]
        [--overlap 4] [--idle 120] [--run-dir DIR | --pids PID ...]

Each session does what a participant does, with scripts/loadtest.py's protocol client (Streamlit's
own websocket protocol): open the explorer at a cluster, click the cluster, turn on its sector
filter, open the Sectors page, leave. Sessions start at an even pace (N over M minutes); up to
``--overlap`` are on at once (a session that takes longer than the pace overlaps the next ones),
so the server sees both one-after-another and overlapping sessions. Every ``--sample`` seconds,
and through an ``--idle`` period after the last session, it reads from /proc the RSS, threads and
open file descriptors of every server process: the replicas of scripts/serve.sh (``--run-dir``:
the pids it writes in its runtime directory's ``replicas`` file, read again at each sample, so a
restarted replica is followed), the processes given by ``--pids``, or the one found listening on
the URL's port (as scripts/loadtest.py finds them).

Prints the series, then per process the growth per 100 sessions after warm-up (a least-squares
line through the samples after the first ``--warmup`` sessions) and where RSS and descriptors
stand after the idle period against where they stood once warm. ``--fds`` lists, at the end, what
the open descriptors of each process point to (grouped), to find where descriptors come from.

Not a test: it prints figures. Memory figures hold on a busy machine; its latency figures do not
(it prints the load average). Loopback only, bounded (``--sessions`` ≤ 5000, ``--minutes`` ≤ 180,
``--idle`` ≤ 1800 s) and it stops by itself.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import contextlib
import os
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

from scripts import loadtest

ROOT = Path(__file__).resolve().parents[1]

MAX_SESSIONS, MAX_MINUTES, MAX_IDLE = 5000, 180, 1800


@dataclass
class Sample:
    t: float  # seconds since the start
    done: int  # sessions finished
    procs: dict[int, tuple[float, int, int]] = field(default_factory=dict)  # pid -> (RSS MB, threads, fds)


def threads(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("Threads:"):
                return int(line.split()[1])
    except OSError:
        pass
    return -1


def descriptors(pid: int) -> list[str]:
    """What each open descriptor points to (``socket:[…]``, ``anon_inode:[eventpoll]``, a path)."""
    out = []
    with contextlib.suppress(OSError):
        for fd in os.listdir(f"/proc/{pid}/fd"):
            with contextlib.suppress(OSError):
                out.append(os.readlink(f"/proc/{pid}/fd/{fd}"))
    return out


def described(targets: list[str]) -> collections.Counter:
    """Descriptors grouped by kind: sockets by state and port (from /proc/net/tcp), files by path."""
    sockets = _socket_table()
    kinds: collections.Counter = collections.Counter()
    for t in targets:
        if t.startswith("socket:["):
            kinds[sockets.get(t[8:-1], "socket (not TCP)")] += 1
        elif t.startswith("/"):
            kinds["file " + t] += 1
        else:  # pipe:[…], anon_inode:[eventpoll], …: by kind
            kinds[t.split(":[", 1)[0] if t.startswith("pipe:") else t] += 1
    return kinds


TCP_STATES = {"01": "ESTABLISHED", "06": "TIME_WAIT", "08": "CLOSE_WAIT", "0A": "LISTEN", "04": "FIN_WAIT1"}


def _socket_table() -> dict[str, str]:
    out = {}
    for name in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(OSError):
            for line in Path(name).read_text().splitlines()[1:]:
                parts = line.split()
                local = int(parts[1].rsplit(":", 1)[1], 16)
                remote = int(parts[2].rsplit(":", 1)[1], 16)
                state = TCP_STATES.get(parts[3], parts[3])
                out[parts[9]] = f"tcp {state} local :{local}" + (f" remote :{remote}" if state != "LISTEN" else "")
    for name in ("/proc/net/unix",):
        with contextlib.suppress(OSError):
            for line in Path(name).read_text().splitlines()[1:]:
                parts = line.split()
                out.setdefault(parts[6], "unix socket")
    return out


def servers(args) -> dict[int, str]:
    """pid -> a name for it: serve.sh's replicas (by port), the --pids, or the URL's server."""
    if args.run_dir:
        out = {}
        with contextlib.suppress(OSError):
            for line in (Path(args.run_dir) / "replicas").read_text().splitlines():
                pid, name = line.split()
                if name != "nginx" and Path(f"/proc/{pid}").exists():
                    out[int(pid)] = f":{name}"
        return out
    return {pid: f":{port}" for pid, port in loadtest.discover(args.url, args.pids).items()}


def sample(args, t0: float, done: int, seen: dict[int, str]) -> Sample:
    s = Sample(time.perf_counter() - t0, done)
    for pid, name in servers(args).items():
        seen[pid] = name
        s.procs[pid] = (loadtest.rss_mb(pid), threads(pid), len(descriptors(pid)))
    return s


async def participant(args, target: loadtest.Target) -> str:
    """One session through the four steps; '' or what went wrong."""
    session = loadtest.ProtocolSession(args.url, args.action_timeout)
    try:
        await session.open(target)
        await session.click(target)
        await session.filter(target)
        await session.page_switch(target)
        return ""
    except Exception as exc:  # recorded and reported: the soak carries on
        return f"{type(exc).__name__}: {str(exc).splitlines()[0][:160] if str(exc) else ''}"
    finally:
        with contextlib.suppress(Exception):
            await session.close()


async def soak(args) -> int:
    picked = loadtest.targets(min(args.sessions, 200))
    pace = args.minutes * 60 / args.sessions
    gate = asyncio.Semaphore(args.overlap)
    seen: dict[int, str] = {}
    samples: list[Sample] = []
    errors: list[str] = []
    done = 0
    t0 = time.perf_counter()
    stop = asyncio.Event()

    async def sampler() -> None:
        while not stop.is_set():
            samples.append(sample(args, t0, done, seen))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), args.sample)

    async def one(i: int) -> None:
        nonlocal done
        async with gate:
            error = await participant(args, picked[i % len(picked)])
        if error:
            errors.append(error)
        done += 1

    watcher = asyncio.create_task(sampler())
    tasks = []
    deadline = t0 + args.minutes * 60 * 2 + 120  # bounded: a server that stalls ends the soak
    for i in range(args.sessions):
        start = t0 + i * pace
        await asyncio.sleep(max(0.0, start - time.perf_counter()))
        # no more than overlap sessions waiting for the gate: a slow server slows the pace
        while len(tasks) - done >= 2 * args.overlap and time.perf_counter() < deadline:
            await asyncio.sleep(0.05)
        if time.perf_counter() >= deadline:
            errors.append(f"stopped at {i} sessions: past the soak's deadline")
            break
        tasks.append(asyncio.create_task(one(i)))
    await asyncio.wait(tasks, timeout=max(1.0, deadline - time.perf_counter()))
    busy_end = time.perf_counter() - t0
    load = os.getloadavg()[1]
    await asyncio.sleep(args.idle)
    idle = sample(args, t0, done, seen)
    # A newcomer after the break: Streamlit keeps disconnected sessions for reconnection
    # (server.disconnectedSessionTTL) and drops the expired ones only when a session is stored
    # next, that is when someone connects and leaves again.
    if args.newcomer:
        if error := await participant(args, picked[0]):
            errors.append("newcomer: " + error)
        await asyncio.sleep(args.sample * 2)
    stop.set()
    await watcher
    samples.append(idle)
    if args.newcomer:
        samples.append(sample(args, t0, done + 1, seen))
    samples.sort(key=lambda s: s.t)
    report(args, samples, idle, seen, errors, busy_end, load)
    if args.fds:
        for pid, name in sorted(seen.items(), key=lambda kv: kv[1]):
            print(f"\nopen descriptors of {pid} ({name}), by kind:")
            for kind, n in described(descriptors(pid)).most_common(15):
                print(f"  {n:5}  {kind}")
    return 1 if errors else 0


def slope(points: list[tuple[float, float]]) -> float:
    """Least-squares slope of y over x (0 for fewer than two distinct x)."""
    xs = [x for x, _ in points]
    if len(set(xs)) < 2:
        return 0.0
    mx, my = statistics.fmean(xs), statistics.fmean(y for _, y in points)
    return sum((x - mx) * (y - my) for x, y in points) / sum((x - mx) ** 2 for x in xs)


def report(
    args, samples: list[Sample], idle_sample: Sample, seen: dict[int, str], errors: list[str], busy: float, load: float
) -> None:
    pids = sorted(seen, key=lambda p: seen[p])
    done = idle_sample.done
    print(
        f"soak: {done} sessions (open, click, filter, Sectors) against {args.url} in {busy:.0f} s "
        f"(pace {args.minutes * 60 / args.sessions:.2f} s, up to {args.overlap} at once), then {args.idle:g} s idle; "
        f"load average {load:.1f} on {os.cpu_count()} cores"
    )
    print(f"errors: {len(errors)}")
    for e, n in collections.Counter(errors).most_common(10):
        print(f"  {n} × {e}")
    head = " ".join(f"{'pid ' + str(p) + seen[p]:>24}" for p in pids)
    print(f"\n{'t s':>6} {'sessions':>8} {head}")
    print(f"{'':6} {'':8} " + " ".join(f"{'RSS MB thr  fds':>24}" for _ in pids))
    every = max(1, len(samples) // args.rows)
    for i, s in enumerate(samples):
        if i % every and i != len(samples) - 1:
            continue
        cells = []
        for p in pids:
            rss, thr, fds = s.procs.get(p, (float("nan"), -1, -1))
            cells.append(f"{rss:>14.0f} {thr:>3} {fds:>4}")
        print(f"{s.t:6.0f} {s.done:8} " + " ".join(f"{c:>24}" for c in cells))
    print(f"\nafter the first {args.warmup} sessions (warm-up):")
    print(
        f"{'process':>18} {'RSS warm':>9} {'end of run':>10} {'after idle':>10} {'MB/100 sessions':>15} "
        f"{'fds warm':>8} {'end':>5} {'idle':>5} {'threads warm/idle':>17}"
    )
    last_busy = min((s for s in samples if s.done >= done), key=lambda s: s.t)  # the end of the run
    for p in pids:
        warm = [s for s in samples if s.done >= args.warmup and p in s.procs and s.t <= last_busy.t]
        if not warm:
            print(f"{p:>12}{seen[p]:>6}  (no sample after warm-up)")
            continue
        grow = slope([(s.done, s.procs[p][0]) for s in warm]) * 100
        none = (float("nan"), -1, -1)
        first, end = warm[0].procs[p], last_busy.procs.get(p, warm[-1].procs[p])
        idle, later = idle_sample.procs.get(p, none), samples[-1].procs.get(p, none)
        print(
            f"{p:>12}{seen[p]:>6} {first[0]:8.0f}M {end[0]:9.0f}M {idle[0]:9.0f}M {grow:15.2f} "
            f"{first[2]:8} {end[2]:5} {idle[2]:5} {first[1]:>8}/{idle[1]}"
            + (f"   after a newcomer: {later[0]:.0f}M, {later[2]} fds" if args.newcomer else "")
        )


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--url", default="http://127.0.0.1:8501", help="the running app (loopback only)")
    p.add_argument("--sessions", type=int, default=300, help=f"sessions in all (≤ {MAX_SESSIONS})")
    p.add_argument("--minutes", type=float, default=10.0, help=f"over this many minutes (≤ {MAX_MINUTES})")
    p.add_argument("--overlap", type=int, default=4, help="sessions on at once, at most (1: one after another)")
    p.add_argument("--warmup", type=int, default=50, help="sessions left out of the growth figure")
    p.add_argument("--idle", type=float, default=120.0, help=f"seconds sampled after the last session (≤ {MAX_IDLE})")
    p.add_argument("--no-newcomer", dest="newcomer", action="store_false", help="no session after the idle period")
    p.add_argument("--sample", type=float, default=5.0, help="seconds between samples")
    p.add_argument("--rows", type=int, default=40, help="rows of the series printed, at most")
    p.add_argument("--run-dir", help="serve.sh's runtime directory: its replicas (followed across restarts)")
    p.add_argument("--pids", type=int, nargs="*", help="server pids to watch (default: the URL's server)")
    p.add_argument("--action-timeout", type=float, default=60.0, help="seconds a step may take")
    p.add_argument("--fds", action="store_true", help="at the end, what each process's descriptors point to")
    args = p.parse_args(argv)
    if urlparse(args.url).hostname not in ("127.0.0.1", "localhost", "::1"):
        p.error("loopback only: --url must be on 127.0.0.1 or localhost")
    if not 1 <= args.sessions <= MAX_SESSIONS:
        p.error(f"--sessions must be between 1 and {MAX_SESSIONS}")
    if not 0 < args.minutes <= MAX_MINUTES or not 0 <= args.idle <= MAX_IDLE or not 1 <= args.overlap <= 50:
        p.error(f"--minutes in (0, {MAX_MINUTES}], --idle in [0, {MAX_IDLE}], --overlap in [1, 50]")
    return asyncio.run(soak(args))


if __name__ == "__main__":
    sys.exit(main())
