"""A PDF's pages read by this process and forked helpers (checker/extract/pdfpages.py): the same pages
as one pass, whatever a helper does; and the batch gives helpers only the cores no filing needs."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from checker.batch import _Pool
from checker.extract import pdfpages
from checker.extract.loader import _page_lines, load_document, start_page_helpers
from checker.pipeline import CheckOptions
from tests.realdata import REALDATA

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="page helpers are forked")

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def pdf(text_pdf: Path) -> Path:
    return text_pdf


def _open(path: Path):  # type: ignore[no-untyped-def]
    import pypdfium2 as pdfium

    data = path.read_bytes()
    return pdfium.PdfDocument(data), hashlib.sha256(data).hexdigest()


def _single(path: Path) -> list[list[str]]:
    doc, _ = _open(path)
    try:
        return [_page_lines(doc, i) for i in range(len(doc))]
    finally:
        doc.close()


def _shared(path: Path, helpers: int, page_text=_page_lines, sha: str | None = None) -> list[list[str]]:  # type: ignore[no-untyped-def]
    pdfpages.prepare(path, helpers, page_text, max_pages=3000)
    assert str(path) in pdfpages._PREPARED, "helpers were started"
    doc, own = _open(path)
    try:
        return pdfpages.read(doc, len(doc), path, sha or own, page_text)
    finally:
        doc.close()
        pdfpages.discard()


@pytest.mark.parametrize("helpers", [1, 2])
def test_shared_pass_gives_the_single_pass_pages(pdf, helpers):
    assert _shared(pdf, helpers) == _single(pdf)
    assert not pdfpages._PREPARED


def test_a_helper_really_reads_pages(pdf):
    parent = os.getpid()
    seen = Path(pdf.parent / "helper-pages.txt")

    def page_text(doc, i):  # type: ignore[no-untyped-def]
        if os.getpid() != parent:
            with open(seen, "a") as fh:
                fh.write(f"{i}\n")
        return _page_lines(doc, i)

    seen.unlink(missing_ok=True)
    assert _shared(pdf, 1, page_text) == _single(pdf)
    theirs = [int(x) for x in seen.read_text().split()]
    assert theirs, "the helper read no page"
    assert min(theirs) > 0 and max(theirs) == 119  # from the back


def test_a_helper_that_dies_costs_only_time(pdf):
    parent = os.getpid()

    def page_text(doc, i):  # type: ignore[no-untyped-def]
        if os.getpid() != parent and i < 100:
            os._exit(9)  # a crash inside pdfium, the OOM killer
        return _page_lines(doc, i)

    assert _shared(pdf, 1, page_text) == _single(pdf)


def test_a_page_a_helper_cannot_read_is_reported_as_the_single_pass_reports_it(pdf):
    def page_text(doc, i):  # type: ignore[no-untyped-def]
        if i in (110, 115):
            raise pdfpages.PageError(i, "page", f"cannot load page {i}")
        return _page_lines(doc, i)

    with pytest.raises(pdfpages.PageError) as err:
        _shared(pdf, 1, page_text)
    assert err.value.index == 110 and err.value.kind == "page"


def test_a_file_that_changed_under_the_helpers_is_read_again_alone(pdf):
    assert _shared(pdf, 1, sha="0" * 64) == _single(pdf)


def test_helpers_are_never_started_for_what_is_not_a_regular_pdf(tmp_path):
    text = tmp_path / "a.txt"
    text.write_text("第一节 释义\n", encoding="utf-8")
    fifo = tmp_path / "pipe.pdf"
    os.mkfifo(fifo)
    for path in (text, fifo, tmp_path / "missing.pdf"):
        start_page_helpers(path, 1, 3000)
        assert not pdfpages._PREPARED


def test_helpers_nobody_read_are_stopped_and_reaped(pdf):
    start_page_helpers(pdf, 2, 3000)
    pids = [pid for pid, _ in pdfpages._PREPARED[str(pdf)].helpers]
    pdfpages.discard()
    for pid in pids:
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)  # reaped: no zombie left


def test_load_document_with_helpers_is_the_same_document(pdf):
    alone = load_document(pdf)
    start_page_helpers(pdf, 1, 3000)
    shared = load_document(pdf)
    assert not pdfpages._PREPARED
    assert [p.lines for p in shared.pages] == [p.lines for p in alone.pages]
    assert shared.warnings == alone.warnings


REAL_PDF = REALDATA / "A_pdf" / "寒武纪2025年年报.pdf"


@pytest.mark.skipif(not REAL_PDF.exists(), reason="real data not available")
def test_real_pdf_shared_pass_is_the_single_pass():
    real = REAL_PDF
    assert _shared(real, 1) == _single(real)


@pytest.mark.parametrize(("budget", "files", "expected"), [
    (2, 1, [1]),  # one filing on two cores: a helper
    (1, 1, [0]),  # --jobs 1: never a helper
    (2, 4, [0, 0, 0, 1]),  # a batch: a helper only once the last filing runs beside no other
    (4, 1, [3]),
])
def test_the_pool_gives_helpers_only_the_cores_no_filing_needs(tmp_path, budget, files, expected):
    paths = [tmp_path / f"{i}.pdf" for i in range(files)]
    pool = _Pool(paths, [], CheckOptions(), min(budget, files), None, budget=budget)
    got = []
    for _ in range(files):
        i = pool.pending.popleft()
        slot = type("S", (), {"task": i})()
        pool.slots.append(slot)  # type: ignore[arg-type]
        got.append(pool._spare())
        slot.task = None  # it finishes before the next is dispatched (a worst case for the count)
    assert got == expected


def test_cli_one_filing_two_jobs_same_report_as_one_job(pdf, tmp_path):
    outs = []
    for jobs in ("1", "2"):
        out = tmp_path / f"r{jobs}.json"
        env = dict(os.environ, STARCHECK_CACHE_DIR=str(tmp_path / f"cache{jobs}"), PYTHONPATH=str(ROOT))
        cmd = [sys.executable, "-m", "checker", "check", str(pdf), "-f", "json", "-o", str(out), "-q", "-j", jobs]
        subprocess.run(cmd, env=env, cwd=tmp_path, check=False, timeout=120)
        report = json.loads(out.read_text(encoding="utf-8"))
        report.pop("generated_at")
        outs.append(report)
    assert outs[0] == outs[1]


def test_no_process_to_be_had_means_reading_alone(pdf, monkeypatch):
    def no_fork():  # type: ignore[no-untyped-def]
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", no_fork)
    start_page_helpers(pdf, 2, 3000)
    assert not pdfpages._PREPARED
    assert load_document(pdf).page_count == 120  # and the load goes on, alone
