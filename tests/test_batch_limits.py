"""Per-file time limit: a slow filing is stopped and reported as `timeout`, the batch goes on."""

from __future__ import annotations

import multiprocessing
import signal
import time
from datetime import date
from pathlib import Path

import pytest

import checker.pipeline as pipeline
from checker.batch import check_limited, run_batch, time_limit
from checker.pipeline import CheckOptions
from checker.ruleset.loader import load_rules, ruleset_hash

SPECS = load_rules()
IN_FORCE = len([s for s in SPECS if s.status != "removed"])  # every rule is reported, in force or not
TEXT = ("上海示例科技股份有限公司\n首次公开发行股票并在科创板上市招股说明书\n\f"
        "第一节 释义\n本招股说明书中，除非文义另有所指，下列简称具有如下含义。\n\f"
        "第二节 概览\n发行人选择的具体上市标准\n公司选择《上海证券交易所科创板股票上市规则》"
        "第2.1.2条第一款第（四）项上市标准。\n")
needs_fork = pytest.mark.skipif(multiprocessing.get_start_method() != "fork", reason="slowness is injected via fork")


def _files(tmp_path: Path, names: tuple[str, ...]) -> list[Path]:
    out = []
    for name in names:
        p = tmp_path / name
        p.write_text(TEXT, encoding="utf-8")
        out.append(p)
    return out


def _opts(timeout: float) -> CheckOptions:
    return CheckOptions(use_cache=False, ruleset_sha=ruleset_hash(SPECS), timeout=timeout)


@pytest.fixture
def slow_step(monkeypatch):
    """Files named slow-* sleep in Python; files named stuck-* sleep with SIGALRM blocked (as in C code)."""
    real = pipeline.extract_facts

    def slow(path, *args, **kwargs):
        name = Path(path).name
        if name.startswith("slow"):
            time.sleep(60)
        if name.startswith("stuck"):
            signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
            time.sleep(60)
        return real(path, *args, **kwargs)

    monkeypatch.setattr(pipeline, "extract_facts", slow)


def _assert_timeout(r, limit):
    assert r.status == "error" and r.error.code == "timeout"
    assert f"{limit:g} seconds" in r.error.message and "--timeout" in r.error.message
    assert r.findings == [] and r.sha256


def test_in_process_timeout_stops_the_filing_and_the_batch_goes_on(tmp_path, slow_step):
    files = _files(tmp_path, ("a.txt", "slow.txt", "b.txt"))
    before = signal.getsignal(signal.SIGALRM)
    t = time.monotonic()
    # 2 s: room for the first filing's own start (its lexicons are read in the limit) on a busy machine
    results = run_batch(files, SPECS, _opts(2), jobs=1)
    assert time.monotonic() - t < 12
    _assert_timeout(results[1], 2)
    assert [r.status for r in (results[0], results[2])] == ["checked", "checked"]
    assert len(results[0].findings) == IN_FORCE
    # the timer is disarmed and the previous handler restored
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert signal.getsignal(signal.SIGALRM) == before


def test_time_limit_is_a_no_op_off_the_main_thread():
    import threading

    armed = []

    def body():
        with time_limit(1) as on:
            armed.append(on)

    th = threading.Thread(target=body)
    th.start()
    th.join()
    assert armed == [False]


def test_fast_filing_is_unaffected_by_the_limit(tmp_path):
    [f] = _files(tmp_path, ("a.txt",))
    r = check_limited(f, SPECS, _opts(30))
    assert r.status == "checked"
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


@needs_fork
def test_pool_timeout_soft_and_hard(tmp_path, slow_step):
    files = _files(tmp_path, ("a.txt", "slow.txt", "stuck.txt", "b.txt", "c.txt"))
    seen = []
    t = time.monotonic()
    results = run_batch(files, SPECS, _opts(2), jobs=2, on_done=lambda r: seen.append(Path(r.path).name))
    # soft limit (2 s) for slow.txt; stuck.txt ignores SIGALRM and is killed at 2 + 2 s grace, counted
    # from its worker's READY (sent once warmed up)
    assert time.monotonic() - t < 20
    assert [Path(r.path).name for r in results] == [f.name for f in files]
    _assert_timeout(results[1], 2)
    _assert_timeout(results[2], 2)
    for r in (results[0], results[3], results[4]):
        assert r.status == "checked" and len(r.findings) == IN_FORCE
    assert sorted(seen) == sorted(f.name for f in files)


@needs_fork
def test_pool_results_equal_in_process_results(tmp_path):
    files = _files(tmp_path, ("a.txt", "b.txt", "c.txt"))
    (tmp_path / "empty.pdf").write_bytes(b"")
    files.append(tmp_path / "empty.pdf")
    serial = run_batch(files, SPECS, _opts(60), jobs=1)
    pooled = run_batch(files, SPECS, _opts(60), jobs=3)
    assert [r.model_dump() for r in serial] == [r.model_dump() for r in pooled]


@needs_fork
def test_a_slow_worker_start_is_not_charged_to_its_first_filing(tmp_path, monkeypatch):
    # the worker warms up (imports, the engine's ruleset) before it sends READY; the filing's hard
    # deadline (1 s + 2 s grace) runs from READY, so a 4 s start does not time the filing out
    real = pipeline.warm_up

    def slow_warm_up(specs, options):
        time.sleep(4)
        real(specs, options)

    monkeypatch.setattr(pipeline, "warm_up", slow_warm_up)
    [f] = _files(tmp_path, ("a.txt",))
    [r] = run_batch([f], SPECS, _opts(1), jobs=1)
    assert r.status == "checked" and len(r.findings) == IN_FORCE
