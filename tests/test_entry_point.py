"""The `starcheck` entry point (checker/__main__.py) leaves without tearing the interpreter down: the
status and everything written to stdout must be what the command line gives with a normal exit."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NORMAL = "import sys; from checker.cli import main; sys.argv[0] = 'starcheck'; main()"


def _run(args: list[str], cwd: Path, normal: bool) -> subprocess.CompletedProcess[str]:
    head = [sys.executable, "-c", NORMAL] if normal else [sys.executable, "-m", "checker"]
    env = dict(os.environ, STARCHECK_CACHE_DIR=str(cwd / "cache"), PYTHONPATH=str(ROOT))
    return subprocess.run(head + args, cwd=cwd, env=env, capture_output=True, text=True, timeout=180)


@pytest.mark.parametrize("args", [["--help"], ["missing.pdf", "-f", "json"], ["--no-such-option"],
                                  ["check", "in.txt", "-f", "json", "-q"]])
def test_status_and_output_are_those_of_a_normal_exit(args, tmp_path):
    (tmp_path / "in.txt").write_text("not a filing at all\n", encoding="utf-8")
    fast, normal = _run(args, tmp_path, normal=False), _run(args, tmp_path, normal=True)
    assert fast.returncode == normal.returncode
    assert fast.stderr == normal.stderr
    if args[-1] == "-q":  # a JSON report: the same but for the time it was made
        fast_out, normal_out = json.loads(fast.stdout), json.loads(normal.stdout)
        for report in (fast_out, normal_out):
            report.pop("generated_at", None)
        assert fast_out == normal_out
    else:
        assert fast.stdout == normal.stdout


def test_a_long_report_on_stdout_is_written_whole(text_pdf, tmp_path):
    """JSON of a real check to a pipe: every byte arrives though the process skips the interpreter's
    teardown (the stream is flushed first)."""
    done = _run([str(text_pdf), "-f", "json", "-q", "-j", "1"], tmp_path, normal=False)
    assert done.returncode in (0, 1), done.stderr[-2000:]
    report = json.loads(done.stdout)
    assert report["documents"] and len(done.stdout) > 10_000


def test_leave_maps_codes_as_sys_exit_does(monkeypatch, capsys):
    from checker import __main__ as entry

    seen: list[int] = []
    monkeypatch.setattr(entry.os, "_exit", seen.append)
    # not this process's exit handlers: they end pypdfium2's library for the tests that follow
    ran: list[int] = []
    monkeypatch.setattr("atexit._run_exitfuncs", lambda: ran.append(1))
    for code in (None, 0, 1, 2, "went wrong", 256):
        entry.leave(code)
    assert seen == [0, 0, 1, 2, 1, 0] and len(ran) == 6
    assert "went wrong" in capsys.readouterr().err


SERVED = """import sys
from checker.cli import main
sys.argv = ["starcheck", "check", sys.argv[1], "-f", "json", "-q"]
try:
    main()
except SystemExit as done:
    print(done.code, file=sys.stderr)
print(" ".join(m for m in ("multiprocessing", "checker.engine.durable_engine", "durable", "checker.extract.loader")
               if m in sys.modules), file=sys.stderr)
"""


def test_a_check_the_caches_serve_imports_neither_the_pool_nor_the_engine_nor_the_reader(text_pdf, tmp_path):
    """A cache-served check is mostly imports: the worker pool, the rule engine and the page reader are
    imported only by a check that needs them (the first run below needs all three)."""
    env = dict(os.environ, STARCHECK_CACHE_DIR=str(tmp_path / "cache"), PYTHONPATH=str(ROOT))
    runs = [subprocess.run([sys.executable, "-c", SERVED, str(text_pdf)], cwd=tmp_path, env=env,
                           capture_output=True, text=True, timeout=180) for _ in range(2)]
    first, second = (r.stderr.split("\n")[-3:-1] for r in runs)  # the status, the modules imported
    assert first[0] == second[0] and json.loads(runs[0].stdout)["documents"][0]["status"] == "checked"
    assert set(first[1].split()) >= {"multiprocessing", "checker.engine.durable_engine"}
    assert second[1] == "", f"a cache-served check imported {second[1]}"
