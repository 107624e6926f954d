"""Things computed once per loaded Atlas (search indexes, page tables, figures): kept beside the
Atlas object itself, for every session of the process."""

from __future__ import annotations

import gc
import threading
import time
from collections import OrderedDict
from typing import Callable, Hashable, TypeVar

T = TypeVar("T")
_CACHE: dict[tuple[int, str], tuple[object, object]] = {}


def per_atlas(atlas, name: str, build: Callable[[object], T]) -> T:
    """build(atlas), once per Atlas (the atlas is kept with the value, so its id cannot be reused)."""
    hit = _CACHE.get((id(atlas), name))
    if hit is None or hit[0] is not atlas:
        hit = _CACHE[(id(atlas), name)] = (atlas, build(atlas))
    return hit[1]


class Sweeper:
    """Call ``after_run`` at the end of every page run. Streamlit runs a full garbage collection
    after each run, and a full collection walks every live object: the data, the caches shared by
    all sessions, every session's state (about 400,000 objects with a room connected; on the
    2-core reference machine most of a busy server's time, scripts/loadtest.py). So what is alive
    at the end of a run leaves the collector's view (``gc.freeze``) and the collection after the
    run walks almost nothing. Garbage that only the collector can free (reference cycles) waits for
    a sweep: at most every ``every`` seconds, one run puts everything back (``gc.unfreeze``) and
    collects it once."""

    def __init__(self, every: float = 30.0):
        self.every = every
        self.last = time.monotonic()
        self._lock = threading.Lock()

    def after_run(self, now: float | None = None) -> bool:
        """Freeze what is alive, sweeping first when one is due; returns whether it swept."""
        now = time.monotonic() if now is None else now
        with self._lock:
            swept = now - self.last >= self.every
            if swept:
                gc.unfreeze()
                gc.collect()
                self.last = now
            gc.freeze()
        return swept


SWEEPER = Sweeper()


def after_run() -> bool:
    """The process's sweeper, at the end of a page run (app.py)."""
    return SWEEPER.after_run()


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
