"""What the process keeps for every session, and the collector's walk after every run
(atlas/cache.py): shared values are built once, and garbage still goes."""

from __future__ import annotations

import gc
import threading
import time
import weakref

import pytest

from atlas import cache


@pytest.fixture
def sweeper(monkeypatch):
    """A sweeper that has just swept; nothing frozen in the test process afterwards. The process's
    own sweeper (started by app runs under AppTest) makes no sweep meanwhile."""
    monkeypatch.setattr(cache.SWEEPER, "every", float("inf"))
    yield cache.Sweeper(every=30.0)
    gc.unfreeze()


class Node:
    """An object in a reference cycle: only the collector can free it."""

    def __init__(self):
        self.me = self


def test_what_a_run_leaves_alive_is_out_of_the_collectors_walk(sweeper):
    kept = [Node() for _ in range(100)]
    before = gc.get_freeze_count()
    assert sweeper.after_run(now=sweeper.last + 1) is False
    assert gc.get_freeze_count() >= before + 100
    walked = {id(o) for o in gc.get_objects()}
    assert not any(id(k) in walked for k in kept)


def test_cyclic_garbage_waits_for_a_quiet_moment_and_is_freed_by_its_sweep(sweeper):
    cycle = Node()
    ref = weakref.ref(cycle)
    t = sweeper.last
    sweeper.begin_run()
    assert sweeper.after_run(now=t + 1) is False
    del cycle
    gc.collect()  # what Streamlit does after the run: the frozen cycle is not walked
    assert ref() is not None
    sweeper.begin_run()  # a run is on: no sweep, however long since the last
    assert sweeper.sweep_if_quiet(now=t + sweeper.every + 5) is False
    assert sweeper.after_run(now=t + sweeper.every + 5) is False
    assert sweeper.sweep_if_quiet(now=t + sweeper.every + 5 + sweeper.quiet / 2) is False  # not quiet yet
    assert ref() is not None
    assert sweeper.sweep_if_quiet(now=t + sweeper.every + 5 + sweeper.quiet) is True
    assert ref() is None
    assert sweeper.sweep_if_quiet(now=t + sweeper.every + 10) is False  # the next one is due later
    assert sweeper.sweep_if_quiet(now=t + 5 * sweeper.every) is False  # no run since: nothing to free


def test_a_server_that_is_never_quiet_still_sweeps_after_the_longest_wait(sweeper):
    cycle = Node()
    ref = weakref.ref(cycle)
    t = sweeper.last
    sweeper.begin_run()
    sweeper.begin_run()
    del cycle
    assert sweeper.after_run(now=t + sweeper.every + 1) is False
    assert ref() is not None
    assert sweeper.after_run(now=t + sweeper.longest) is True  # another run was still on
    assert ref() is None


def test_a_run_that_stops_early_still_counts_as_ended():
    class Stopped(Exception):  # as a run stopped for a rerun: an exception through the page
        pass

    running = cache.SWEEPER.running
    with pytest.raises(Stopped), cache.page_run():
        assert cache.SWEEPER.running == running + 1
        raise Stopped
    assert cache.SWEEPER.running == running
    gc.unfreeze()


def test_a_shared_value_is_built_once_for_sessions_asking_at_once():
    memo, built, atlas = cache.SharedMemo(4), [], object()

    def build():
        built.append(1)
        time.sleep(0.05)  # the others ask meanwhile
        return ("value",)

    threads = [threading.Thread(target=lambda: memo.get(atlas, "key", build)) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert built == [1]
    assert memo.get(atlas, "key", build) == ("value",)


def test_a_tables_rows_are_read_once_and_found_by_id(atlas):
    """Drill-downs walk whole tables for every item they open: the rows are made once per Atlas."""
    rows = atlas.records("clusters")
    assert rows is atlas.records("clusters") and len(rows) == len(atlas.clusters)
    assert [r["id"] for r in rows] == list(atlas.clusters["id"])
    huadu = atlas.record("clusters", "IC048")
    assert huadu is not None and huadu["name_en"] == atlas.clusters.set_index("id").loc["IC048", "name_en"]
    assert atlas.record("clusters", "no such id") is None
