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


def test_a_checked_filings_pages_are_freed_when_its_check_returns(text_pdf, monkeypatch):
    """The document and its model refer to each other; extract_facts breaks that cycle, so nothing of a
    checked filing outlives its check, frozen or not (a batch worker would grow from filing to filing)."""
    import checker.extract.loader as loader
    from checker.pipeline import CheckOptions, extract_facts

    seen: list[weakref.ref] = []
    real = loader.load_document

    def recorded(*args, **kwargs):  # type: ignore[no-untyped-def]
        doc = real(*args, **kwargs)
        seen.append(weakref.ref(doc))
        return doc

    monkeypatch.setattr(loader, "load_document", recorded)
    was = gc.isenabled()
    gc.disable()  # no collection may free it: only the reference counts
    try:
        for _ in range(2):
            extract_facts(text_pdf, CheckOptions(use_cache=False))
            assert seen[-1]() is None, "the filing's document outlived its check"
    finally:
        if was:
            gc.enable()
    assert gc.get_freeze_count() == 0
