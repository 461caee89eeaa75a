"""Batches: a crashing worker costs only its filing; bad files are reported and the rest checked."""

from __future__ import annotations

import faulthandler
from datetime import date
import multiprocessing
import os
import signal
from pathlib import Path

import pytest

import checker.pipeline as pipeline
from checker.batch import run_batch
from checker.pipeline import CheckOptions
from checker.ruleset.loader import load_rules, ruleset_hash

SPECS = load_rules()

TEXT = ("上海示例科技股份有限公司\n首次公开发行股票并在科创板上市招股说明书\n\f"
        "第一节 释义\n本招股说明书中，除非文义另有所指，下列简称具有如下含义。\n\f"
        "第二节 概览\n发行人选择的具体上市标准\n公司选择《上海证券交易所科创板股票上市规则》"
        "第2.1.2条第一款第（四）项上市标准。\n")


def _files(tmp_path: Path) -> list[Path]:
    files = []
    for name in ("a.txt", "crash-me.txt", "b.txt"):
        p = tmp_path / name
        p.write_text(TEXT, encoding="utf-8")
        files.append(p)
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    files.append(empty)
    return files


@pytest.mark.skipif(multiprocessing.get_start_method() != "fork", reason="the crash is injected via fork")
def test_segfaulting_worker_costs_only_its_filing(tmp_path, monkeypatch):
    real = pipeline.extract_facts

    def crashing(path, *args, **kwargs):
        if "crash" in Path(path).name:
            faulthandler.disable()  # pytest's handler would print the child's stack
            os.kill(os.getpid(), signal.SIGSEGV)
        return real(path, *args, **kwargs)

    monkeypatch.setattr(pipeline, "extract_facts", crashing)
    files = _files(tmp_path)
    opts = CheckOptions(use_cache=False, ruleset_sha=ruleset_hash(SPECS))
    results = run_batch(files, SPECS, opts, jobs=2)
    by_name = {Path(r.path).name: r for r in results}
    assert [Path(r.path).name for r in results] == [f.name for f in files]  # input order kept
    assert by_name["crash-me.txt"].status == "error"
    assert by_name["crash-me.txt"].error.code == "worker_crashed"
    assert by_name["a.txt"].status == "checked" and by_name["b.txt"].status == "checked"
    assert len(by_name["a.txt"].findings) == len(SPECS)  # every rule, in force or not (then n/a)
    assert by_name["empty.pdf"].status == "error" and by_name["empty.pdf"].error.code == "empty_file"


def test_parallel_and_serial_results_agree(tmp_path):
    files = [f for f in _files(tmp_path) if "crash" not in f.name]
    opts = CheckOptions(use_cache=False, ruleset_sha=ruleset_hash(SPECS))
    serial = run_batch(files, SPECS, opts, jobs=1)
    parallel = run_batch(files, SPECS, opts, jobs=2)
    assert [r.model_dump() for r in serial] == [r.model_dump() for r in parallel]


# ------------------------------------------------------------------ the parent serves what the caches hold


def _spawns(monkeypatch) -> list[int]:
    from checker import batch

    calls: list[int] = []
    real = batch._Pool._spawn
    monkeypatch.setattr(batch._Pool, "_spawn", lambda self: calls.append(1) or real(self))
    return calls


def test_a_rerun_of_unchanged_filings_starts_no_worker(tmp_path, monkeypatch):
    monkeypatch.setenv("STARCHECK_CACHE_DIR", str(tmp_path / "cache"))
    files = [f for f in _files(tmp_path) if f.suffix == ".txt"]  # (a file that cannot be read is not cached)
    opts = CheckOptions(ruleset_sha=ruleset_hash(SPECS))
    first = run_batch(files, SPECS, opts, jobs=2)
    spawns = _spawns(monkeypatch)
    again = run_batch(files, SPECS, opts, jobs=2)
    assert spawns == [], "a worker started for filings both caches hold"
    assert [r.model_dump() for r in again] == [r.model_dump() for r in first]
    # without the cache every filing is read again, in workers
    fresh = run_batch(files, SPECS, CheckOptions(use_cache=False, ruleset_sha=ruleset_hash(SPECS)), jobs=2)
    assert spawns
    assert [r.model_dump(exclude={"warnings"}) for r in fresh] == [r.model_dump(exclude={"warnings"}) for r in first]


def test_the_parent_never_reads_pages_or_runs_rules(tmp_path, monkeypatch):
    """A filing the extraction cache holds but whose findings for another date it does not: the parent
    leaves it to a worker (the rule engine never runs in the parent), and a changed file is read again."""
    from checker.engine import run as engine_run

    monkeypatch.setenv("STARCHECK_CACHE_DIR", str(tmp_path / "cache"))
    files = [f for f in _files(tmp_path) if f.name == "a.txt"]
    opts = CheckOptions(ruleset_sha=ruleset_hash(SPECS))
    run_batch(files, SPECS, opts, jobs=1)
    parent = os.getpid()

    def engine_here(*a, **k):  # type: ignore[no-untyped-def]
        assert os.getpid() != parent, "the rule engine ran in the parent"
        return real_evaluate(*a, **k)

    def read_here(*a, **k):  # type: ignore[no-untyped-def]
        assert os.getpid() != parent, "the parent read a filing's pages"
        return real_extract(*a, **k)

    real_evaluate, real_extract = engine_run.evaluate, pipeline.extract_facts
    monkeypatch.setattr(engine_run, "evaluate", engine_here)
    monkeypatch.setattr(pipeline, "extract_facts", read_here)
    spawns = _spawns(monkeypatch)
    other_day = run_batch(files, SPECS, CheckOptions(ruleset_sha=opts.ruleset_sha, as_of=date(2021, 6, 1)), jobs=1)
    assert spawns == [1] and other_day[0].status == "checked" and other_day[0].as_of == "2021-06-01"
    files[0].write_text(TEXT.replace("（四）", "（一）"), encoding="utf-8")
    changed = run_batch(files, SPECS, opts, jobs=1)
    assert spawns == [1, 1] and changed[0].status == "checked"
    assert pipeline.served_from_cache(files[0], SPECS, opts) is not None  # now both caches hold it
    assert pipeline.served_from_cache(files[0], SPECS, CheckOptions(use_cache=False)) is None


@pytest.mark.skipif(multiprocessing.get_start_method() != "fork", reason="the probe is injected via fork")
def test_a_worker_runs_its_side_extractors_beside_it_once_a_core_is_idle(tmp_path, monkeypatch):
    """A filing dispatched with no core to spare (helpers 0) still runs its side extractors in a second
    process if, when they are about to run, fewer filings are at work or waiting than processes are
    allowed (the other workers are done): the count the pool shares with its workers."""
    from checker import batch
    from checker.facts import run as facts_run

    marks = tmp_path / "marks"
    marks.mkdir()
    real = facts_run._run_split

    def marked(*args):  # type: ignore[no-untyped-def]
        (marks / str(os.getpid())).write_text("split", encoding="utf-8")
        return real(*args)

    monkeypatch.setattr(facts_run, "_run_split", marked)
    filing = tmp_path / "a.txt"
    filing.write_text(TEXT, encoding="utf-8")
    opts = CheckOptions(use_cache=False, ruleset_sha=ruleset_hash(SPECS))
    ctx = multiprocessing.get_context("fork")
    seen = {}
    for at_work in (2, 1):  # the budget is 2: both busy, then this one alone
        for old in marks.iterdir():
            old.unlink()
        demand = ctx.RawValue("i", at_work)
        parent, child = ctx.Pipe()
        proc = ctx.Process(target=batch._worker_main, args=(child, SPECS, opts, demand, 2))
        proc.start()
        child.close()
        parent.send((0, filing, 0))
        assert parent.recv() == batch.READY
        _, result = parent.recv()
        parent.send(None)
        proc.join(30)
        assert result.status == "checked"
        seen[at_work] = bool(list(marks.iterdir()))
    assert seen == {2: False, 1: True}
