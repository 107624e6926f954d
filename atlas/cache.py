"""The atlas's one cache: values computed once and shared by every session of the process.

Two uses, one mechanism (``Memo``: bounded, least recently used dropped, one lock per key):

- ``Shared(size)`` and ``per_atlas``: values computed from one loaded Atlas (search index,
  partner index, filter results, drill-downs, page tables and figures). They are kept in the
  Atlas itself (``Atlas.shared``), so they live and die with it and an Atlas is never kept alive
  by its caches;
- ``memoised(size)``: pure functions of their arguments (boundary files, fonts, the taxonomy).

A value is built by the first caller under its key's own lock: sessions asking for the same
value at once build it once, sessions asking for different values never wait for each other.
Values are shared by every session, so they are treated as read-only. A build that raises
stores nothing (the next caller tries again). No Streamlit here (atlas/ has none): the one
Atlas per process is Streamlit's resource (components/data_access.py), everything derived from
it is cached here.
"""

from __future__ import annotations

import functools
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

T = TypeVar("T")
_MISSING = object()


class Memo:
    """At most ``size`` values by key; the least recently used is dropped beyond that."""

    def __init__(self, size: int):
        if size < 1:
            raise ValueError("a memo holds at least one value")
        self.size = size
        self._values: OrderedDict[Hashable, object] = OrderedDict()
        self._building: dict[Hashable, threading.Lock] = {}
        self._lock = threading.Lock()  # held only to read or change the two dicts, never for a build

    def __len__(self) -> int:
        return len(self._values)

    def _hit(self, key: Hashable) -> object:
        value = self._values.get(key, _MISSING)
        if value is not _MISSING:
            self._values.move_to_end(key)
        return value

    def get(self, key: Hashable, build: Callable[[], T]) -> T:
        with self._lock:
            value = self._hit(key)
            if value is not _MISSING:
                return value
            key_lock = self._building.setdefault(key, threading.Lock())
        with key_lock:  # only callers of this key wait here
            with self._lock:
                value = self._hit(key)
            if value is not _MISSING:
                return value
            try:
                value = build()
                with self._lock:
                    self._values[key] = value
                    while len(self._values) > self.size:
                        self._values.popitem(last=False)
            finally:
                with self._lock:
                    self._building.pop(key, None)
            return value

    def clear(self) -> None:
        with self._lock:
            self._values.clear()


class SharedValues:
    """The memos of one Atlas, one per ``Shared`` family (kept in ``Atlas.shared``)."""

    def __init__(self):
        self._memos: dict[Shared, Memo] = {}
        self._lock = threading.Lock()

    def memo(self, family: Shared) -> Memo:
        with self._lock:
            memo = self._memos.get(family)
            if memo is None:
                memo = self._memos[family] = Memo(family.size)
            return memo


class Shared:
    """A family of values computed from an Atlas, by key, at most ``size`` of them per Atlas
    (filter sets, drill-downs: what a room asks for is a few of many possible keys)."""

    def __init__(self, size: int):
        self.size = size

    def get(self, atlas, key: Hashable, build: Callable[[], T]) -> T:
        return atlas.shared.memo(self).get(key, build)


ONCE = Shared(512)  # per_atlas: one value per name (page tables, figures, indexes)


def per_atlas(atlas, name: str, build: Callable[[object], T]) -> T:
    """``build(atlas)``, once per Atlas and name, for every session."""
    return ONCE.get(atlas, name, lambda: build(atlas))


def memoised(size: int) -> Callable[[Callable[..., T]], Callable[..., T]]:
    """Decorator: a pure function's results by its (hashable) arguments, at most ``size`` kept.
    ``cache_clear()`` forgets them (after the files a function reads were rebuilt)."""

    def wrap(fn: Callable[..., T]) -> Callable[..., T]:
        memo = Memo(size)

        @functools.wraps(fn)
        def cached(*args, **kwargs):
            key = (args, tuple(sorted(kwargs.items()))) if kwargs else args
            return memo.get(key, lambda: fn(*args, **kwargs))

        cached.cache_clear = memo.clear
        cached.memo = memo
        return cached

    return wrap
