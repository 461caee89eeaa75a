"""Keep Python's cycle collector off the long-lived objects of the filing being checked.

Checking a long filing builds a few million objects that live until the check ends (the pages, the
lines of the document model, the lexicons) and then allocates many short-lived ones on top. Each full
collection of the cycle collector walks every tracked object, so on a 1,000-page filing the collector
spends a tenth of a second re-walking the same pages and lines. Within :func:`checking`, :func:`settle`
(called once the pages are read and once the document model is built) moves what exists into the
collector's permanent generation (``gc.freeze``): it is no longer walked, while young objects are
collected as always. When the check ends everything is handed back (``gc.unfreeze``, the entry point's
frozen imports included). What a filing leaves must not need the collector: the one cycle a check
builds, a document and its model, is broken when its facts are extracted (pipeline.extract_facts),
so its pages and lines are freed by their reference counts as the check returns and a batch worker
does not grow from one filing to the next (tests/test_heap.py). Outside :func:`checking` (tests,
tools) :func:`settle` does nothing.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

_DEPTH = [0]


@contextmanager
def checking() -> Iterator[None]:
    """The span of one filing's check: what :func:`settle` freezes is unfrozen at its end."""
    _DEPTH[0] += 1
    try:
        yield
    finally:
        _DEPTH[0] -= 1
        if not _DEPTH[0]:
            gc.unfreeze()


def settle() -> None:
    """Within :func:`checking`: the objects that exist now are long-lived; the collector stops walking
    them until the check ends."""
    if _DEPTH[0]:
        gc.freeze()
