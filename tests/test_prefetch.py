"""A lone PDF's pages read while the command line starts (checker/prefetch.py): only for one PDF with a
core to spare, joined by the worker forked later, and the same report as without."""

from __future__ import annotations

import json
import multiprocessing
import os
import subprocess
import sys
from pathlib import Path

import pytest

from checker import prefetch
from checker.extract import pdfpages
from checker.extract.loader import _page_lines

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="page helpers are forked")

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def pdf(text_pdf: Path) -> Path:
    return text_pdf


def _cpus() -> int:
    return len(os.sched_getaffinity(0))


def test_the_plan_reads_the_arguments_as_the_check_command_does(pdf, tmp_path):
    text = tmp_path / "a.txt"
    text.write_text("x", encoding="utf-8")
    p = str(pdf)
    assert prefetch.plan([p, "-j", "2"]) == (pdf, 1, 3000, 4096 << 20, True)
    assert (prefetch.plan(["check", p, "--jobs=3", "--max-pages", "200", "--max-memory=512", "-q"])
            == (pdf, 2, 200, 512 << 20, True))
    no_cache = prefetch.plan(["-fjson", "-o", "out.json", "-j4", p, "--no-cache"])
    assert no_cache == (pdf, 3, 3000, 4096 << 20, False)
    assert prefetch.plan(["--", p, "-j", "2"]) is None  # after --, "-j" and "2" are paths: three of them
    assert prefetch.plan([p]) == ((pdf, _cpus() - 1, 3000, 4096 << 20, True) if _cpus() > 1 else None)
    # nothing it is not sure of
    for args in ([p, "-j", "1"], [p, p, "-j", "2"], ["facts", p], [p, "--help", "-j2"], [p, "--version"],
                 [p, "-j", "two"], [p, "-qv", "-j2"], [p, "--executor", "dask", "-j2"], [p, "--bogus", "-j2"],
                 [p, "-o"], ["-j", "2"], [p, "--max-pages", "0", "-j2"]):
        assert prefetch.plan(args) is None, args


def test_its_option_names_are_the_check_commands():
    """The plan must know which options take a value (else it reads a value as a path): the check
    command's own parameters, read from its click command."""
    import typer.main

    from checker.cli import app

    command = typer.main.get_command(app).commands["check"]  # type: ignore[attr-defined]
    valued, flags = set(), set()
    for param in command.params:
        if param.param_type_name != "option" or param.name in ("help", "version"):
            continue
        (flags if param.is_flag else valued).update(param.opts)
    assert valued == set(prefetch.VALUE_OPTIONS)
    assert flags == set(prefetch.FLAGS)
    assert set(prefetch.SHORT) <= valued | flags
    names = {c.name for c in app.registered_commands} | {g.name for g in app.registered_groups}
    assert names == prefetch.COMMANDS


def _read_in_forked_worker(path: Path, queue) -> None:  # type: ignore[no-untyped-def]
    """What the batch worker does: ask for a helper, then read (in a process forked after the prefetch)."""
    import hashlib

    import pypdfium2 as pdfium

    forks: list[int] = []
    real_fork = os.fork
    os.fork = lambda: forks.append(1) or real_fork()  # type: ignore[assignment]
    pdfpages.prepare(path, 1, _page_lines, 3000)
    os.fork = real_fork  # type: ignore[assignment]
    data = path.read_bytes()
    doc = pdfium.PdfDocument(data)
    pages = pdfpages.read(doc, len(doc), path, hashlib.sha256(data).hexdigest(), _page_lines)
    queue.put((len(forks), pages))


def _single(path: Path) -> list[list[str]]:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(path.read_bytes())
    try:
        return [_page_lines(doc, i) for i in range(len(doc))]
    finally:
        doc.close()


def test_a_worker_forked_later_joins_the_helpers_the_command_line_started(pdf):
    import time

    def marked(doc, i):  # type: ignore[no-untyped-def]
        return [*_page_lines(doc, i), "READ BY THE PREFETCH"]

    pdfpages.prepare(pdf, 1, marked, 3000)  # as prefetch() does, before anything else is imported
    job = pdfpages._PREPARED[str(pdf)]
    pids = [pid for pid, _ in job.helpers]
    deadline = time.monotonic() + 30
    while pdfpages._STATE.unpack_from(job.shared.buf)[2] in (0, 120) and time.monotonic() < deadline:
        time.sleep(0.005)  # until the helper has claimed its first pages (the worker comes later)
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    worker = ctx.Process(target=_read_in_forked_worker, args=(pdf, queue))
    worker.start()
    forks, pages = queue.get(timeout=60)
    worker.join(30)
    assert forks == 0, "the worker started helpers of its own"
    marks = [i for i, lines in enumerate(pages) if lines[-1:] == ["READ BY THE PREFETCH"]]
    assert marks and max(marks) == 119, "no page came from the command line's helper"
    assert [lines[:-1] if i in marks else lines for i, lines in enumerate(pages)] == _single(pdf)
    prefetch.stop()  # what the batch does at its end: the helper is reaped here, where it was started
    assert not pdfpages._PREPARED
    for pid in pids:
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)


def test_the_command_gives_the_same_report_with_and_without_it(pdf, tmp_path):
    """`starcheck FILE.pdf -j 2` (a helper started as the command starts) against `-j 1` (none), each with
    a cold cache, and again with the cache warm (the helper is then stopped unused)."""
    outs = []
    for jobs in ("1", "2", "2"):
        out = tmp_path / f"r{len(outs)}.json"
        env = dict(os.environ, STARCHECK_CACHE_DIR=str(tmp_path / f"cache{jobs}"), PYTHONPATH=str(ROOT))
        cmd = [sys.executable, "-m", "checker", str(pdf), "-f", "json", "-o", str(out), "-q", "-j", jobs]
        done = subprocess.run(cmd, env=env, cwd=tmp_path, check=False, timeout=120, capture_output=True,
                              text=True)
        assert done.returncode in (0, 1), done.stderr
        report = json.loads(out.read_text(encoding="utf-8"))
        report.pop("generated_at")
        outs.append(report)
    assert outs[0] == outs[1] == outs[2]


def test_no_helper_starts_for_a_filing_the_cache_holds(pdf, tmp_path, monkeypatch):
    """The entry point hashes the lone filing first: facts in the cache, no page is read (no helper);
    not in the cache, the helpers start."""
    import hashlib

    from checker import __version__

    monkeypatch.setenv("STARCHECK_CACHE_DIR", str(tmp_path))
    sha = hashlib.sha256(pdf.read_bytes()).hexdigest()
    prefetch.prefetch([str(pdf), "-j", "2"])
    assert list(pdfpages._PREPARED) == [str(pdf)], "no helper for a filing the cache does not hold"
    prefetch.stop()
    (tmp_path / f"{sha}-{__version__}-0123456789abcdef.json").write_text("{}", encoding="utf-8")
    prefetch.prefetch([str(pdf), "-j", "2"])
    assert not pdfpages._PREPARED, "a helper started for a filing whose facts the cache holds"
    prefetch.prefetch([str(pdf), "-j", "2", "--no-cache"])  # the cache is not asked
    assert list(pdfpages._PREPARED) == [str(pdf)]
    prefetch.stop()


def test_a_file_is_hashed_once_while_it_is_unchanged(tmp_path, monkeypatch):
    import hashlib

    from checker import cachefs

    f = tmp_path / "a.pdf"
    f.write_bytes(b"%PDF-1.4 one")
    reads = []
    real_open = open
    monkeypatch.setattr("builtins.open", lambda *a, **k: reads.append(a[0]) or real_open(*a, **k))
    # just written: hashed every time (a same-size rewrite in the same clock tick keeps the ctime)
    assert cachefs.file_digest(f) == cachefs.file_digest(f) == hashlib.sha256(b"%PDF-1.4 one").hexdigest()
    assert len(reads) == 2
    monkeypatch.setattr(cachefs, "RACY_NS", -10**18)  # as if it had changed long ago
    reads.clear()
    assert cachefs.file_digest(f) == cachefs.file_digest(f) == hashlib.sha256(b"%PDF-1.4 one").hexdigest()
    assert len(reads) == 1, "an unchanged file was read again"
    f.write_bytes(b"%PDF-1.4 two, longer")
    assert cachefs.file_digest(f) == hashlib.sha256(b"%PDF-1.4 two, longer").hexdigest()
    assert cachefs.file_digest(tmp_path) == "" and cachefs.file_digest(tmp_path / "none.pdf") == ""
