"""Establish a filing's facts: one function, called by ``starcheck check`` and ``starcheck facts`` alike.

Stages, in the order of :mod:`checker.facts.registry`:
1. extraction: the document model (checker/extract/structure.py) is built once, then every extractor
   under ``checker/facts/extractors`` runs in one shared :class:`~checker.facts.context.Ctx`; quotes
   are mapped back to the page's own characters. This stage is what the cache stores.
2. derivation: Decimal arithmetic over the extracted facts (derive, derive_kc).
3. screening: the parties against the blacklists supplied (checker/blacklist/integrate.py:
   ``add_screening_facts``; the pipeline runs it, since the blacklist layer sits above the facts).
"""

from __future__ import annotations

import importlib
import os
import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from checker import recache
from checker.extract import heap
from checker.extract.document import Document
from checker.extract.forking import as_helper
from checker.extract.structure import analyse
from checker.facts.context import Ctx
from checker.facts.derive import derive_all  # noqa: F401 - stage 2, re-exported beside stage 1
from checker.facts.evidence import restore_raw_quotes
from checker.facts.model import FactSet
from checker.facts.registry import EXTRACTION_MODULES, SIDE_EXTRACTORS, producer_of


def extract_document(doc: Document, *, side_process: bool | None = None) -> FactSet:
    """Stage 1: every extractor over the document model of ``doc``.

    With a side process (``side_process``, default: what :func:`side_processes` allows), the
    SIDE_EXTRACTORS run in a forked process beside the others, once the extractors they read have run;
    the facts are then merged in the order one process gives them, so the result is the same FactSet
    (tests/facts/test_extractor_reads.py). A side process that fails in any way costs only time: its
    extractors run here."""
    ctx = Ctx(analyse(doc))
    heap.settle()  # the document model lives as long as the check (checker/extract/heap.py)
    allowed = _SIDE[0]
    use_side = (allowed() if callable(allowed) else allowed) if side_process is None else side_process
    plan = _split() if use_side and hasattr(os, "fork") else None
    if plan is None:
        for name in EXTRACTION_MODULES:
            _run(ctx, name)
    else:
        _run_split(ctx, *plan)
    restore_raw_quotes(doc, ctx.fs)
    return ctx.fs


_SIDE: list[bool | Callable[[], bool]] = [False]


@contextmanager
def side_processes(allowed: bool | Callable[[], bool]) -> Iterator[None]:
    """Within this block, extract_document may run the side extractors in a second process (a batch
    worker allows it when the run leaves a core idle; a function is asked when the extractors are about
    to run: a core may have become idle since the filing was dispatched)."""
    before = _SIDE[0]
    _SIDE[0] = allowed
    try:
        yield
    finally:
        _SIDE[0] = before


# (facts, missing, disputed) an extractor added, each as (path, value) pairs in the order it added them
Added = tuple[list[tuple[str, Any]], list[tuple[str, Any]], list[tuple[str, Any]]]


def _run(ctx: Ctx, name: str) -> Added:
    mod = importlib.import_module(name)
    fs = ctx.fs
    before = (set(fs.facts), set(fs.missing), set(fs.disputed))
    ctx.enter(mod.NAME, name, mod.PRODUCES)
    mod.extract(ctx)
    return ([(k, v) for k, v in fs.facts.items() if k not in before[0]],
            [(k, v) for k, v in fs.missing.items() if k not in before[1]],
            [(k, v) for k, v in fs.disputed.items() if k not in before[2]])


def reads_of(name: str) -> tuple[str, ...]:
    """The extractors (NAMEs) whose facts the extractor module ``name`` reads."""
    return tuple(getattr(importlib.import_module(name), "READS", ()))


def _split() -> tuple[list[str], list[str], list[str]] | None:
    """(run first, run here, run in the side process), in EXTRACTION_MODULES order; None when the
    declared reads do not allow the split (an extractor here reading a side one)."""
    by_name = {importlib.import_module(m).NAME: m for m in EXTRACTION_MODULES}
    side = [m for m in EXTRACTION_MODULES if importlib.import_module(m).NAME in SIDE_EXTRACTORS]
    needed: set[str] = set()
    todo = [r for m in side for r in reads_of(m)]
    while todo:
        n = todo.pop()
        if n not in needed and by_name.get(n) not in side:
            needed.add(n)
            todo += list(reads_of(by_name[n]))
    first = [m for m in EXTRACTION_MODULES if importlib.import_module(m).NAME in needed]
    rest = [m for m in EXTRACTION_MODULES if m not in first and m not in side]
    side_names = {importlib.import_module(m).NAME for m in side}
    if any(set(reads_of(m)) & side_names for m in rest):
        return None
    return first, rest, side


def _run_split(ctx: Ctx, first: list[str], rest: list[str], side: list[str]) -> None:
    import pickle

    added: dict[str, Added] = {}
    for name in first:
        added[name] = _run(ctx, name)
    read_fd, write_fd = os.pipe()
    try:
        pid = os.fork()
    except OSError:  # no process to be had (a process limit): everything here, in order
        os.close(read_fd)
        os.close(write_fd)
        for name in EXTRACTION_MODULES:
            if name not in added:
                added[name] = _run(ctx, name)
        _merge(ctx, added)
        return
    if pid == 0:  # the side process: its extractors, then what they added, and exit
        code = 1
        try:
            os.close(read_fd)
            as_helper()
            done = {name: _run(ctx, name) for name in side}
            with os.fdopen(write_fd, "wb") as out:  # and the patterns it compiled, for this process to keep
                pickle.dump((done, recache.recorded()), out, protocol=pickle.HIGHEST_PROTOCOL)
            code = 0
        finally:
            os._exit(code)
    os.close(write_fd)
    theirs: dict[str, Added] | None = None
    try:
        for name in rest:
            added[name] = _run(ctx, name)
        with os.fdopen(read_fd, "rb") as inp:
            read_fd = -1
            try:
                theirs, compiled = pickle.load(inp)
                recache.adopt(compiled)
            except (EOFError, pickle.UnpicklingError, OSError, TypeError, ValueError):
                theirs = None  # the side process failed: its extractors run here
    finally:
        if read_fd >= 0:
            os.close(read_fd)
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        os.waitpid(pid, 0)
    if theirs is None or set(theirs) != set(side):
        for name in side:
            added[name] = _run(ctx, name)
    else:
        added.update(theirs)
    _merge(ctx, added)


def _merge(ctx: Ctx, added: dict[str, Added]) -> None:
    """The dictionaries as one process fills them: each extractor's additions, in the registry's order."""
    fs = ctx.fs
    fs.facts = {k: v for name in EXTRACTION_MODULES for k, v in added[name][0]}
    fs.missing = {k: v for name in EXTRACTION_MODULES for k, v in added[name][1]}
    fs.disputed = {k: v for name in EXTRACTION_MODULES for k, v in added[name][2]}


@dataclass
class Established:
    """A filing's facts after every stage, with what the pipeline needs alongside."""

    facts: FactSet
    pages: int
    warnings: list[str]


def check_producers(facts: FactSet) -> list[str]:
    """Facts whose source is not the registered producer of their path (a contract breach; tests)."""
    bad = []
    for path, fact in facts.facts.items():
        owner = producer_of(path)
        if owner is None or (fact.source.split("/")[0] != owner):
            bad.append(f"{path}: set by {fact.source!r}, registered producer {owner!r}")
    return bad
