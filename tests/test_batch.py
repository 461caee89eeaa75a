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
