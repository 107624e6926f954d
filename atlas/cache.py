"""Things computed once per loaded Atlas (search indexes, page tables, figures): kept beside the
Atlas object itself, for every session of the process."""

from __future__ import annotations

import gc
import threading
from collections import OrderedDict
from typing import Callable, Hashable, TypeVar

T = TypeVar("T")
_CACHE: dict[tuple[int, str], tuple[object, object]] = {}


def per_atlas(atlas, name: str, build: Callable[[object], T]) -> T:
    """build(atlas), once per Atlas (the atlas is kept with the value, so its id cannot be reused)."""
    hit = _CACHE.get((id(atlas), name))
    if hit is None or hit[0] is not atlas:
        hit = _CACHE[(id(atlas), name)] = (atlas, build(atlas))
        keep_for_good()
    return hit[1]


def keep_for_good() -> None:
    """Take what exists now (the libraries, the data, the shared caches) out of the garbage
    collector's view (``gc.freeze``). Streamlit runs a full collection after every script run, and
    a full collection walks every live object: about 340,000 of them once the data are loaded,
    200 ms a run on the 2-core reference machine. Frozen objects are never walked again, so a run
    pays only for what it made itself. Called when something is built for the whole process (rare:
    once per cache entry); what is garbage at that moment is collected first, so it does not stay."""
    gc.collect()
    gc.freeze()


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
