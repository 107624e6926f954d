"""Things computed once per loaded Atlas (search indexes, page tables, figures): kept beside the
Atlas object itself, for every session of the process."""

from __future__ import annotations

import gc
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from typing import TypeVar

T = TypeVar("T")
_CACHE: dict[tuple[int, str], tuple[object, object]] = {}


def per_atlas(atlas, name: str, build: Callable[[object], T]) -> T:
    """build(atlas), once per Atlas (the atlas is kept with the value, so its id cannot be reused)."""
    hit = _CACHE.get((id(atlas), name))
    if hit is None or hit[0] is not atlas:
        hit = _CACHE[(id(atlas), name)] = (atlas, build(atlas))
    return hit[1]


class Sweeper:
    """Call ``begin_run`` and ``after_run`` around every page run (app.py). Streamlit runs a full
    garbage collection after each run, and a full collection walks every live object: the data,
    the caches shared by all sessions, every session's state (about 400,000 objects with a room
    connected, half of them the pinyin dictionary the search reads; on the 2-core reference
    machine most of a busy server's time, scripts/loadtest.py). So what is alive at the end of a
    run leaves the collector's view (``gc.freeze``) and the collection after the run walks almost
    nothing. Garbage that only the collector can free (reference cycles) waits for a sweep, which
    puts everything back (``gc.unfreeze``) and collects it once: a pause of a few hundred
    milliseconds, so it is made when the server is quiet (no run for ``quiet`` seconds, checked by a
    background thread), at most every ``every`` seconds and only after runs; a run makes it only
    when none was made for ``longest`` seconds (a server that is never idle still frees its garbage)."""

    def __init__(self, every: float = 30.0, quiet: float = 1.0, longest: float = 300.0):
        self.every, self.quiet, self.longest = every, quiet, longest
        self.last = self.last_end = time.monotonic()
        self.running = 0
        self._lock = threading.Lock()
        self._watcher: threading.Thread | None = None

    def begin_run(self) -> None:
        with self._lock:
            self.running += 1

    def after_run(self, now: float | None = None) -> bool:
        """Freeze what is alive, sweeping first if none was made for ``longest``; returns whether
        it swept."""
        now = time.monotonic() if now is None else now
        with self._lock:
            self.running = max(0, self.running - 1)
            self.last_end = now
            swept = now - self.last >= self.longest
            if swept:
                self._sweep(now)
            gc.freeze()
        return swept

    def sweep_if_quiet(self, now: float | None = None) -> bool:
        """Sweep if one is due and no run is on or has ended within ``quiet``; returns whether it swept."""
        now = time.monotonic() if now is None else now
        with self._lock:
            due = (
                now - self.last >= self.every
                and not self.running
                and now - self.last_end >= self.quiet
                and self.last_end > self.last  # runs since the last sweep left garbage to free
            )
            if due:
                self._sweep(now)
                gc.freeze()
        return due

    def _sweep(self, now: float) -> None:
        gc.unfreeze()
        gc.collect()
        self.last = now

    def watch(self) -> None:
        """Start the background thread that sweeps when the server is quiet (once per process)."""
        with self._lock:
            if self._watcher is not None:
                return
            self._watcher = threading.Thread(target=self._watch, name="atlas-gc-sweeper", daemon=True)
        self._watcher.start()

    def _watch(self) -> None:
        while True:
            time.sleep(self.quiet)
            self.sweep_if_quiet()


SWEEPER = Sweeper()


@contextmanager
def page_run() -> Iterator[None]:
    """Around a page run (app.py): what the run leaves alive goes out of the collector's walk, and
    cyclic garbage is swept when the server is quiet (Sweeper)."""
    SWEEPER.watch()
    SWEEPER.begin_run()
    try:
        yield
    finally:  # also when the run stops early for a rerun
        SWEEPER.after_run()


class SharedMemo:
    """Values computed once per Atlas and key for every session (drill-downs, filter results),
    the least recently used dropped beyond ``size``. A value is computed under the lock, so a room
    asking for the same thing at once computes it once; values must be treated as read-only."""

    def __init__(self, size: int):
        self.size = size
        self._values: OrderedDict[tuple[int, Hashable], tuple[object, object]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, atlas, key: Hashable, build: Callable[[], T]) -> T:
        with self._lock:
            hit = self._values.get((id(atlas), key))
            if hit is not None and hit[0] is atlas:  # the atlas is kept, so its id cannot be reused
                self._values.move_to_end((id(atlas), key))
                return hit[1]
            value = build()
            self._values[(id(atlas), key)] = (atlas, value)
            while len(self._values) > self.size:
                self._values.popitem(last=False)
            return value
