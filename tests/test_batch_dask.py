"""--executor dask: same results as a local run; a crash or a hang costs only its filing."""

from __future__ import annotations

import os
import sys
import textwrap
import time
from datetime import date
from pathlib import Path

import pytest

from checker import batch
from checker.batch import BatchError, run_batch
from checker.pipeline import CheckOptions
from checker.ruleset.loader import load_rules, ruleset_hash

distributed = pytest.importorskip("distributed", reason="dask.distributed not installed (optional extra)")

SPECS = load_rules()
IN_FORCE = len([s for s in SPECS if s.status != "removed"])  # every rule is reported, in force or not
ROOT = Path(__file__).resolve().parents[1]
TEXT = ("上海示例科技股份有限公司\n首次公开发行股票并在科创板上市招股说明书\n\f"
        "第一节 释义\n本招股说明书中，除非文义另有所指，下列简称具有如下含义。\n\f"
        "第二节 概览\n发行人选择的具体上市标准\n公司选择《上海证券交易所科创板股票上市规则》"
        "第2.1.2条第一款第（四）项上市标准。\n")

# Loaded by every Python process started with this folder on PYTHONPATH (the dask workers and the
# per-filing child processes they start): files named crash-* segfault, slow-* hang.
SITECUSTOMIZE = textwrap.dedent("""
    import os, signal, time
    from pathlib import Path
    import checker.pipeline as _p
    _real = _p.extract_facts
    def _fault(path, *a, **k):
        name = Path(path).name
        if name.startswith("crash"):
            import faulthandler; faulthandler.disable()
            os.kill(os.getpid(), signal.SIGSEGV)
        if name.startswith("slow"):
            time.sleep(60)
        return _real(path, *a, **k)
    _p.extract_facts = _fault
""")


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    hooks = tmp_path_factory.mktemp("hooks")
    (hooks / "sitecustomize.py").write_text(SITECUSTOMIZE, encoding="utf-8")
    old = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = os.pathsep.join([str(hooks), str(ROOT)] + ([old] if old else []))
    sys_path = list(sys.path)
    try:
        with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                      dashboard_address=None, silence_logs=50) as lc:
            with distributed.Client(lc) as client:
                yield client
    finally:
        sys.path[:] = sys_path
        if old is None:
            os.environ.pop("PYTHONPATH", None)
        else:
            os.environ["PYTHONPATH"] = old


def _files(tmp_path: Path, names: tuple[str, ...]) -> list[Path]:
    out = []
    for n in names:
        p = tmp_path / n
        if n.endswith(".pdf"):
            p.write_bytes(b"")
        else:
            p.write_text(TEXT.replace("上海示例", n[:1].upper() + "示例"), encoding="utf-8")
        out.append(p)
    return out


def test_dask_results_identical_to_local(cluster, tmp_path):
    files = _files(tmp_path, ("a.txt", "b.txt", "c.txt", "empty.pdf"))
    opts = CheckOptions(use_cache=False, ruleset_sha=ruleset_hash(SPECS), timeout=60)
    local = run_batch(files, SPECS, opts, jobs=1)
    seen = []
    on_dask = run_batch(files, SPECS, opts, jobs=2, executor="dask", scheduler=cluster.scheduler.address,
                        on_done=seen.append)
    assert [r.model_dump() for r in on_dask] == [r.model_dump() for r in local]
    assert len(seen) == len(files)
    assert on_dask[0].status == "checked" and on_dask[3].error.code == "empty_file"


def test_dask_crash_and_hang_cost_only_their_filing(cluster, tmp_path):
    files = _files(tmp_path, ("a.txt", "crash-me.txt", "slow.txt", "b.txt"))
    # NOTE: the timeout must leave an ordinary small filing room on a loaded machine; slow.txt sleeps 60 s.
    opts = CheckOptions(use_cache=False, ruleset_sha=ruleset_hash(SPECS), timeout=8)
    t = time.monotonic()
    res = run_batch(files, SPECS, opts, jobs=2, executor="dask", scheduler=cluster)
    assert time.monotonic() - t < 45
    by = {Path(r.path).name: r for r in res}
    assert by["crash-me.txt"].error.code == "worker_crashed"
    assert "SIGSEGV" in by["crash-me.txt"].error.message
    assert by["slow.txt"].error.code == "timeout"
    assert by["a.txt"].status == "checked" and by["b.txt"].status == "checked"
    assert len(by["a.txt"].findings) == IN_FORCE
    # the dask workers themselves survived
    assert len(cluster.scheduler_info()["workers"]) == 2


def test_unreachable_scheduler_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setattr(batch, "DASK_CONNECT_TIMEOUT", "1s")
    files = _files(tmp_path, ("a.txt",))
    with pytest.raises(BatchError, match="cannot reach the dask scheduler"):
        run_batch(files, SPECS, CheckOptions(use_cache=False), jobs=1, executor="dask",
                  scheduler="tcp://127.0.0.1:9")


def test_missing_distributed_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)  # import fails as if not installed
    with pytest.raises(BatchError, match=r"pip install 'dask\[distributed\]"):
        run_batch(_files(tmp_path, ("a.txt",)), SPECS, CheckOptions(use_cache=False), jobs=1,
                  executor="dask", scheduler="tcp://127.0.0.1:8786")
