"""checker/extract/heap.py: the collector stops walking a check's long-lived objects, and gets them all
back when the check ends (a batch worker does not grow from filing to filing)."""

from __future__ import annotations

import gc
import weakref

from checker.extract import heap


class _Node:
    def __init__(self) -> None:
        self.me = self  # a cycle: only the collector frees it


def test_settle_freezes_only_within_a_check_and_the_check_hands_everything_back():
    gc.unfreeze()
    heap.settle()
    assert gc.get_freeze_count() == 0, "settle() outside a check froze the heap"
    with heap.checking():
        node = _Node()
        alive = weakref.ref(node)
        heap.settle()
        assert gc.get_freeze_count() > 0
        with heap.checking():  # nested (a check inside a check): the outer one ends it
            heap.settle()
        assert gc.get_freeze_count() > 0
        del node
        gc.collect()
        assert alive() is not None, "a frozen object was walked by the collector"
    assert gc.get_freeze_count() == 0
    gc.collect()
    assert alive() is None, "the check's cycle was not collected after it ended"


def test_a_failing_check_hands_everything_back_too():
    gc.unfreeze()
    try:
        with heap.checking():
            heap.settle()
            raise ValueError("a filing that fails")
    except ValueError:
        pass
    assert gc.get_freeze_count() == 0
