"""What the process keeps for every session (atlas/cache.py) and what it leaves to Python's
collector (components/data_access.py): shared values are built once, bounded, kept with their
Atlas, and the garbage of a run is collected after it."""

from __future__ import annotations

import gc
import threading
import time
import weakref

import pytest
from conftest import ROOT
from streamlit.testing.v1 import AppTest

from atlas import cache
from atlas.search import search_index
from components.data_access import prepare


class FakeAtlas:
    """Stands for an Atlas where only its shared values matter (a real one takes seconds to load)."""

    def __init__(self):
        self.shared = cache.SharedValues()


class Node:
    """An object in a reference cycle: only the collector can free it."""

    def __init__(self):
        self.me = self


def build_at_once(get, key, n=8):
    """``n`` threads asking ``get(key, build)`` at once; returns how often build ran and the values."""
    built, values = [], []

    def build():
        built.append(key)
        time.sleep(0.05)  # the others ask meanwhile
        return (key,)

    threads = [threading.Thread(target=lambda: values.append(get(key, build))) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return built, values


def test_a_shared_value_is_built_once_for_sessions_asking_at_once():
    family, atlas = cache.Shared(4), FakeAtlas()
    built, values = build_at_once(lambda key, build: family.get(atlas, key, build), "index")
    assert built == ["index"]
    assert values == [("index",)] * 8
    assert family.get(atlas, "index", lambda: ("rebuilt",)) == ("index",)


def test_a_session_never_waits_for_anothers_unrelated_build():
    memo, release, started = cache.Memo(4), threading.Event(), threading.Event()

    def slow():
        started.set()
        release.wait(30)
        return "slow"

    slow_caller = threading.Thread(target=lambda: memo.get("a", slow))
    slow_caller.start()
    started.wait(30)
    other = threading.Thread(target=lambda: memo.get("b", lambda: "quick"))
    other.start()
    other.join(10)
    waited = other.is_alive()
    release.set()
    slow_caller.join()
    other.join()
    assert not waited, "a build of another key held every caller"
    assert memo.get("b", lambda: "again") == "quick"


def test_caches_are_bounded_least_recently_used_first():
    memo = cache.Memo(2)
    memo.get("a", lambda: 1)
    memo.get("b", lambda: 2)
    memo.get("a", lambda: 0)  # used again: b is now the oldest
    memo.get("c", lambda: 3)
    assert len(memo) == 2
    assert memo.get("a", lambda: "rebuilt") == 1
    assert memo.get("b", lambda: "rebuilt") == "rebuilt"

    family, atlas = cache.Shared(3), FakeAtlas()
    for i in range(10):
        family.get(atlas, i, lambda i=i: i)
    assert len(atlas.shared.memo(family)) == 3


def test_a_failed_build_stores_nothing_and_the_next_caller_builds_again():
    memo = cache.Memo(2)

    def broken():
        raise OSError("file missing")

    with pytest.raises(OSError):
        memo.get("a", broken)
    assert len(memo) == 0
    assert memo.get("a", lambda: "built") == "built"


def test_values_live_and_die_with_their_atlas():
    """The values are kept in the Atlas, so a cache never keeps an Atlas alive (per_atlas did)."""
    atlas = FakeAtlas()
    gone = weakref.ref(atlas)
    value = cache.per_atlas(atlas, "table", lambda a: {"atlas": a})  # a value that refers back to it
    assert cache.per_atlas(atlas, "table", lambda a: {}) is value
    other = FakeAtlas()
    assert cache.per_atlas(other, "table", lambda a: {"other": a}) is not value  # one set per Atlas
    del atlas, value
    gc.collect()
    assert gone() is None


def test_a_pure_function_is_computed_once_per_arguments_and_bounded():
    calls = []

    @cache.memoised(2)
    def square(x, power=2):
        calls.append(x)
        return x**power

    assert [square(3), square(3), square(3, power=3), square(3)] == [9, 9, 27, 9]
    assert calls == [3, 3]
    one = {}  # one memoised function, called by every thread

    def get(key, build):
        return one.setdefault("fn", cache.memoised(4)(lambda k: build()))(key)

    built, _ = build_at_once(get, "k")
    assert built == ["k"]
    square(4)
    assert len(square.memo) == 2
    square.cache_clear()
    square(3)
    assert calls == [3, 3, 4, 3]


def test_the_loaded_data_is_out_of_the_collectors_walk_and_run_garbage_is_collected(atlas):
    prepare(atlas)
    walked = {id(o) for o in gc.get_objects()}
    index = search_index(atlas)
    assert gc.get_freeze_count() > 100_000
    assert id(atlas.clusters) not in walked and id(index) not in walked
    cycle = Node()
    ref = weakref.ref(cycle)
    del cycle
    gc.collect(2)  # what Streamlit does after every run
    assert ref() is None


def test_what_a_session_drops_is_collected_after_the_next_run():
    """A session's objects in reference cycles go once the session drops them: runs freeze nothing
    (the per-run freeze of before kept what a run left alive until a quiet second came)."""
    app = str(ROOT / "app.py")
    assert not AppTest.from_file(app, default_timeout=60).run().exception  # the data loaded (and frozen)
    at = AppTest.from_file(app, default_timeout=60)
    probe = Node()
    ref = weakref.ref(probe)
    at.session_state["probe"] = probe  # alive through a run: held by the session
    at.run()
    assert not at.exception, at.exception
    del probe, at.session_state["probe"]
    at.run()
    gc.collect(2)  # what Streamlit does after every run
    assert ref() is None


def test_a_run_freezes_nothing():
    """The freeze happens once, when the Atlas is loaded (components/data_access.py), never per run:
    what a run leaves alive stays in the collector's walk."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception, at.exception
    frozen = gc.get_freeze_count()
    for _ in range(3):
        at.run()
        assert not at.exception, at.exception
    assert gc.get_freeze_count() <= frozen  # frozen objects may be freed, none are added


def test_a_tables_rows_are_read_once_and_found_by_id(atlas):
    """Drill-downs walk whole tables for every item they open: the rows are made once per Atlas."""
    rows = atlas.records("clusters")
    assert rows is atlas.records("clusters") and len(rows) == len(atlas.clusters)
    assert [r["id"] for r in rows] == list(atlas.clusters["id"])
    huadu = atlas.record("clusters", "IC048")
    assert huadu is not None and huadu["name_en"] == atlas.clusters.set_index("id").loc["IC048", "name_en"]
    assert atlas.record("clusters", "no such id") is None
