"""A PDF's text pass, in this process alone or shared with helper processes on idle cores.

pdfium is not thread-safe, so the pages of one long PDF are read in parallel by forked processes,
each with its own pdfium document. Pages are claimed in small chunks under a lock: this process takes
them from the front, the helpers from the back, until the two meet, so the split balances itself
whatever a page costs and however late this process joins (a batch worker starts its helpers first,
then warms up, then reads: :func:`prepare`). The result is the same list of pages, in order, as a
single pass gives:

- every page read by this process lies before every page a helper read, so an unreadable page is
  reported as the single pass reports it: the first one;
- a helper that dies (a crash inside pdfium, the memory limit) costs only time: the pages it had
  claimed are read again here;
- a helper reads the file itself and sends the SHA-256 of what it read; a file that changed in
  between is read again here, alone;
- helpers die with this process (PR_SET_PDEATHSIG) and are killed and reaped when the pass ends,
  whatever ends it (an error, the per-file time limit).

Only a batch worker with idle cores asks for helpers (:mod:`checker.batch`: ``--jobs`` is the number
of processes at work, so ``--jobs 1`` never starts one). ``starcheck FILE.pdf`` starts them earlier, as
the command line starts (checker/prefetch.py): the worker, forked later from that process, finds
them under the same path and joins them instead of starting its own.
"""

from __future__ import annotations

import hashlib
import mmap
import os
import signal
import stat
import struct
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing import get_context
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from checker.extract.forking import as_helper, limit_memory

CHUNK = 4  # pages per claim
MAX_HELPERS = 3
MIN_PAGES_PER_READER = 24  # a short filing is read faster than a helper starts

# initialised, front (the next page from the front), back (one past the last unclaimed page)
_STATE = struct.Struct("qqq")

PageText = Callable[[Any, int], list[str]]  # (pdfium document, index) -> the page's lines


class PageError(Exception):
    """A page that cannot be read: ``kind`` "page" when pdfium cannot load it (a damaged file), else
    "other"; raised by a page reader, and re-raised here for a page a helper could not read."""

    def __init__(self, index: int, kind: str, message: str) -> None:
        super().__init__(message)
        self.index, self.kind, self.message = index, kind, message


@dataclass
class _Shared:
    lock: Any
    buf: mmap.mmap

    def init(self, n: int) -> None:
        with self.lock:
            done, _, _ = _STATE.unpack_from(self.buf)
            if not done:
                _STATE.pack_into(self.buf, 0, 1, 0, n)

    def claim(self, from_back: bool) -> range:
        with self.lock:
            done, front, back = _STATE.unpack_from(self.buf)
            if from_back:
                start = max(front, back - CHUNK)
                _STATE.pack_into(self.buf, 0, done, front, start)
                return range(start, back)
            end = min(back, front + CHUNK)
            _STATE.pack_into(self.buf, 0, done, end, back)
            return range(front, end)


@dataclass
class Pass:
    """Helper processes started for one file."""

    path: str
    shared: _Shared
    max_pages: int
    helpers: list[tuple[int, Connection]] = field(default_factory=list)

    def stop(self) -> None:
        """Kill and reap every helper (idempotent)."""
        for pid, conn in self.helpers:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            try:
                os.waitpid(pid, 0)
            except ChildProcessError:  # started by the process this one was forked from: it reaps them
                pass
            conn.close()
        self.helpers = []


_PREPARED: dict[str, Pass] = {}


def _is_pdf(path: Path) -> bool:
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return False  # a FIFO or a device would block the open
        with open(path, "rb") as fh:
            return b"%PDF-" in fh.read(1024)
    except OSError:
        return False


def prepare(path: Path, helpers: int, page_text: PageText, max_pages: int, *, memory: int = 0) -> None:
    """Start ``helpers`` processes reading the text pages of the PDF at ``path`` from the back; the
    next :func:`read` of that path joins them. Nothing happens for a file that is not a PDF; a helper
    reads nothing of a PDF above ``max_pages`` pages (the reader refuses it). Helpers already reading
    that path with the same page limit (no more of them than asked for) are kept: they were started
    before this process was forked. ``memory``: bytes of address space each helper may use (0: what it
    inherits)."""
    helpers = min(helpers, MAX_HELPERS)
    job = _PREPARED.get(str(path))
    if job is not None and 0 < len(job.helpers) <= helpers and job.max_pages == max_pages:
        return
    discard()
    if helpers <= 0 or not _is_pdf(path):
        return
    ctx = get_context("fork")
    shared = _Shared(ctx.Lock(), mmap.mmap(-1, _STATE.size))
    job = Pass(str(path), shared, max_pages)
    for _ in range(helpers):
        recv, send = ctx.Pipe(duplex=False)
        try:
            pid = os.fork()
        except OSError:  # no process to be had (a process limit): read with the helpers there are
            recv.close()
            send.close()
            break
        if pid == 0:  # the helper
            code = 1
            try:
                recv.close()
                _helper(Path(path), shared, send, page_text, max_pages, memory)
                code = 0
            finally:
                os._exit(code)
        send.close()
        job.helpers.append((pid, recv))
    if job.helpers:
        _PREPARED[str(path)] = job


def discard() -> None:
    """Stop helpers that no read took (a filing the cache served, a file that failed before its pages)."""
    while _PREPARED:
        _, job = _PREPARED.popitem()
        job.stop()


def _helper(path: Path, shared: _Shared, conn: Connection, page_text: PageText, max_pages: int,
            memory: int) -> None:
    as_helper()
    if memory > 0:
        limit_memory(memory)
    data = path.read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    out: dict[int, Any] = {}
    try:
        if len(pdf) > max_pages or len(pdf) < 2 * MIN_PAGES_PER_READER:
            return
        shared.init(len(pdf))
        while True:
            chunk = shared.claim(from_back=True)
            if not chunk:
                break
            for i in chunk:
                try:
                    out[i] = page_text(pdf, i)
                except PageError as exc:
                    out[i] = (exc.kind, exc.message)
                except Exception as exc:  # noqa: BLE001 - re-raised by the reading process
                    out[i] = ("other", f"{type(exc).__name__}: {exc}")
    finally:
        pdf.close()
    conn.send((sha, out))
    conn.close()


def read(pdf: Any, n: int, path: Path, sha256: str, page_text: PageText) -> list[list[str]]:
    """The lines of every page of ``pdf`` (n pages), shared with the helpers :func:`prepare` started
    for ``path``, if any. Raises what ``page_text`` raises for the first page that cannot be read
    (PageError for a page a helper could not read)."""
    job = _PREPARED.pop(str(path), None)
    if job is None:
        return [page_text(pdf, i) for i in range(n)]
    try:
        job.shared.init(n)
        texts: dict[int, Any] = {}
        while True:
            chunk = job.shared.claim(from_back=False)
            if not chunk:
                break
            for i in chunk:
                texts[i] = page_text(pdf, i)
        for _, conn in job.helpers:
            try:
                sha, theirs = conn.recv()
            except (EOFError, OSError):
                continue  # the helper died: its pages are read below
            if sha != sha256:
                return [page_text(pdf, i) for i in range(n)]  # the file changed under us: read it alone
            texts.update(theirs)
    finally:
        job.stop()
    pages: list[list[str]] = []
    for i in range(n):
        got = texts.get(i)
        if got is None:
            got = page_text(pdf, i)  # claimed by a helper that died
        elif isinstance(got, tuple):
            raise PageError(i, got[0], got[1])
        pages.append(got)
    return pages
