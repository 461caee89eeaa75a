"""Run many filings: in-process for one, a pool of worker processes for several, or a dask cluster.

Per-file limits and crash isolation:

- Time: every filing gets ``options.timeout`` seconds. Inside the process that checks it a
  ``SIGALRM`` timer (:func:`time_limit`) interrupts Python code at the limit and the filing is
  reported with error code ``timeout``. Code stuck inside a C extension does not see the signal,
  so the pool's parent also keeps a hard deadline (the limit plus a grace period) and kills a
  worker that passes it, reports the filing as ``timeout`` and starts a fresh worker. A worker that
  was interrupted by its own timer is also replaced (the interrupted state is not trusted).
  One job or one file runs in the same pool with one worker: every file is isolated, so a crash
  or a hang never loses the rest of the run.
- Memory: each worker limits its own address space (``options.max_memory``, RLIMIT_AS); a file
  that needs more (a decompression bomb) fails with ``memory_limit`` in that worker, or kills it
  (pdfium aborts), which the parent reports for that file alone.
- Signals: SIGTERM or SIGINT to the parent (a CI job timeout, Ctrl-C) ends the run promptly: the
  workers are killed, and a worker whose parent dies is killed by the kernel (PR_SET_PDEATHSIG).
- The cache: a filing both caches serve (its facts and its findings: nothing to read, no rule to
  run) is answered by the parent itself, under the same time limit; a worker starts only for a
  filing that needs one, so a re-run of unchanged filings starts none.
- Idle cores: ``jobs`` is the number of processes at work at once. A core no filing needs (one
  filing on two cores, the last filing of a batch) goes to the filing at hand: its worker starts
  page helpers (checker/extract/pdfpages.py) and runs the side extractors in a second process
  (checker/facts/run.py). They are forked from the worker, with its memory limit each, and die with
  it; one that fails costs only time, and the results are those of one process.
- Crashes: the pool is our own (not ``ProcessPoolExecutor``), so the parent always knows which
  filing a dead worker was checking. That filing is retried once in a fresh worker (a worker can be
  killed for reasons of its own, e.g. the OOM killer); if it dies again it is reported as
  ``worker_crashed``. No other filing is affected.
- dask (``executor="dask"``): tasks go to a ``dask.distributed`` scheduler; on the dask worker each
  filing is checked in a child Python process (the rule engine and pdfium are not thread-safe, and a
  child can be killed at the deadline), so a crash or a hang costs only that filing and never the
  dask worker. The filings must be readable by every worker at the same path (a shared filesystem).
  dask is an optional dependency, imported only here and only when asked for.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from checker import prefetch, recache
from checker.errors import StarcheckError
from checker.findings import DocError, DocumentResult
from checker.pipeline import CheckOptions, check_file, file_sha256, served_from_cache
from checker.ruleset.spec import RuleSpec

if TYPE_CHECKING:
    from multiprocessing import connection

OnDone = Callable[[DocumentResult], None]

DASK_REQUIREMENT = "dask[distributed]>=2024.1"
DASK_CONNECT_TIMEOUT = "20s"  # how long to keep trying to reach the scheduler


class BatchError(StarcheckError):
    """A batch that cannot run at all (e.g. dask missing or its scheduler unreachable)."""

    code = "batch_error"


class _Timeout(BaseException):
    """Raised by the SIGALRM handler; a BaseException so that check_file's catch-all lets it through."""


def default_jobs() -> int:
    """Number of CPUs this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


def _error(path: Path | str, code: str, message: str) -> DocumentResult:
    r = DocumentResult(path=str(path), sha256=file_sha256(Path(path)), status="error",
                       error=DocError(code=code, message=message))
    r.summarise()
    return r


def _crashed(path: Path | str, cause: str) -> DocumentResult:
    return _error(path, "worker_crashed",
                  f"The checker process crashed on this file twice ({cause}). Other files were not affected. "
                  "A damaged or hostile PDF (e.g. a decompression bomb above the memory limit, --max-memory) "
                  "does this: check that the file is the real filing, re-export it, or report it.")


def timed_out(path: Path | str, seconds: float) -> DocumentResult:
    """The result for a filing stopped at the per-file time limit."""
    return _error(path, "timeout",
                  f"Checking this file was stopped after {seconds:g} seconds, the per-file time limit. "
                  "Check that the file opens and is not damaged; if it is simply very long, split it "
                  "or raise the limit (--timeout).")


# Seconds a new worker may take to start and warm up before its first filing's clock runs (imports,
# lexicons, the rule engine's compiled ruleset; about a second on an idle machine).
WORKER_START_ALLOWANCE = 30.0
READY = "ready"  # what a worker sends once warmed up


def _grace(timeout: float) -> float:
    """Extra time the parent allows before killing a worker whose own timer did not fire."""
    return max(2.0, 0.1 * timeout)


@contextmanager
def time_limit(seconds: float) -> Iterator[bool]:
    """Raise _Timeout in this thread after ``seconds`` (SIGALRM; main thread on POSIX only).

    Yields whether the limit is armed. Python code is interrupted at the next bytecode; a call
    stuck in C is interrupted when it returns (hence the pool's hard deadline).
    """
    if (not seconds or seconds <= 0 or not hasattr(signal, "setitimer")
            or threading.current_thread() is not threading.main_thread()):
        yield False
        return

    def _fire(signum: int, frame: Any) -> None:
        raise _Timeout()

    previous = signal.signal(signal.SIGALRM, _fire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield True
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def check_limited(path: Path, specs: list[RuleSpec], options: CheckOptions) -> DocumentResult:
    """check_file under the per-file time limit; never raises for a bad or slow filing."""
    start = time.monotonic()
    try:
        with time_limit(options.timeout):
            result = check_file(path, specs, options)
    except _Timeout:
        return timed_out(path, options.timeout)
    # The timer can fire inside a C extension's callback (the rule engine), which reports it as its own
    # failure: past the limit, such an error is the timeout.
    if (result.error is not None and result.error.code in ("internal_error", "engine_error") and options.timeout
            and time.monotonic() - start >= options.timeout * 0.98):
        return timed_out(path, options.timeout)
    return result


def run_batch(
    files: list[Path], specs: list[RuleSpec], options: CheckOptions, jobs: int,
    on_done: OnDone | None = None,
    *, executor: str = "local", scheduler: str | None = None,
) -> list[DocumentResult]:
    """Results in the order of files; ``on_done`` is called as each filing finishes.

    Raises BatchError only when the batch cannot run at all (dask not installed, scheduler
    unreachable); a bad, slow or crashing filing becomes an error result.
    """
    files = [Path(f) for f in files]
    if executor == "dask":
        return _run_dask(files, specs, options, scheduler, on_done)
    if executor != "local":
        raise BatchError(f"unknown executor {executor!r}: use local or dask", code="bad_executor")
    if not files:
        return []
    return _Pool(files, specs, options, max(1, min(jobs, len(files))), on_done, budget=max(1, jobs)).run()


# ------------------------------------------------------------------------------- local pool


def _limit_worker(options: CheckOptions) -> None:
    """A worker's own limits: memory (RLIMIT_AS) and death with its parent (Linux)."""
    from checker.extract.forking import die_with_parent, limit_memory

    if options.max_memory and options.max_memory > 0:
        limit_memory(options.max_memory)
    die_with_parent()


def _worker_main(conn: connection.Connection, specs: list[RuleSpec], options: CheckOptions,
                 demand: Any = None, budget: int = 1) -> None:
    """Worker loop: receive (index, path, page helpers), send (index, result); exit after a timeout.

    Before its first filing whose pages it reads, a worker warms up (outside the per-file timer: the
    filing is not charged for it; a filing the cache serves needs no warm-up), and it sends READY
    before its first filing's check. The page helpers of a filing, when the run has idle cores, start
    before the warm-up, so they read the PDF's pages while the worker warms up."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _limit_worker(options)
    recache.begin_work()  # a worker reads filings (the parent serves those the cache holds)
    from checker.extract import pdfpages
    from checker.extract.loader import start_page_helpers
    from checker.facts.run import side_processes
    from checker.pipeline import warm_up

    warm = ready = False
    while True:
        try:
            msg = conn.recv()
        except (EOFError, OSError):
            return
        if msg is None:
            return
        i, path, helpers = msg
        extract = _needs_extraction(path, options) if helpers or not warm else True
        if helpers and extract:
            start_page_helpers(path, helpers, options.max_pages)
        if extract and not warm:  # a filing the cache serves needs neither the extractors nor the engine
            warm_up(specs, options)
            warm = True
        if not ready:
            ready = True
            try:
                conn.send(READY)  # the parent starts the first filing's hard deadline now
            except (OSError, ValueError):
                return
        def core_idle() -> bool:  # filings being checked or waiting fewer than the processes allowed
            return demand is not None and demand.value < budget

        try:
            # the side extractors in a second process (facts/run.py): with a helper to spare, or a core
            # idle by the time they run
            with side_processes(True if helpers > 0 else core_idle):
                result = check_limited(path, specs, options)
        finally:
            pdfpages.discard()
        conn.send((i, result))
        recache.save()  # the regular expressions this filing compiled anew (checker/recache.py)
        if result.error is not None and result.error.code == "timeout":
            return


def _needs_extraction(path: Path, options: CheckOptions) -> bool:
    """Whether checking this file reads its pages: a readable regular file (never a FIFO or a device: it
    is not opened here) whose facts the extraction cache does not hold. Page helpers start only for
    such a file, and the worker warms up for it."""
    sha = file_sha256(path)  # "" for anything but a readable regular file
    if not sha:
        return False
    if not options.use_cache:
        return True
    from checker import cache

    return not cache.has(sha, options.ruleset_sha)


@dataclass
class _Slot:
    proc: Any
    conn: connection.Connection
    task: int | None = None
    deadline: float = 0.0
    ready: bool = False  # warmed up (pipeline.warm_up runs before the worker takes a filing)


class _Pool:
    def __init__(self, files: list[Path], specs: list[RuleSpec], options: CheckOptions, jobs: int,
                 on_done: OnDone | None, budget: int = 1) -> None:
        self.files, self.specs, self.options, self.jobs, self.on_done = files, specs, options, jobs, on_done
        # processes that may work at once (--jobs): cores no filing needs go to page helpers
        self.budget = max(budget, jobs)
        # multiprocessing is imported with the first worker: a batch the caches serve needs none (a
        # cached check of one filing is mostly imports, and this is one of the larger)
        self.ctx: Any = None
        # Largest files first: a long filing started last would leave the other workers idle.
        self.pending: deque[int] = deque(sorted(range(len(files)), key=lambda i: -_size(files[i])))
        self.results: dict[int, DocumentResult] = {}
        self.crashes: dict[int, int] = {}
        self.slots: list[_Slot] = []
        # filings being checked or waiting, shared with the workers: a worker whose filing was dispatched
        # with no core to spare may still run its side extractors beside it once a core is idle (the
        # last filings of a batch, the other workers done)
        self.demand: Any = None  # made with the first worker
        limit = options.timeout if options.timeout and options.timeout > 0 else None
        self.hard = limit + _grace(limit) if limit else None

    def _spawn(self) -> _Slot:
        if self.ctx is None:
            from multiprocessing import get_context

            self.ctx = get_context()
            self.demand = self.ctx.RawValue("i", 0)
        parent, child = self.ctx.Pipe()
        proc = self.ctx.Process(target=_worker_main,
                                args=(child, self.specs, self.options, self.demand, self.budget),
                                daemon=True, name="starcheck-worker")
        proc.start()
        child.close()
        slot = _Slot(proc, parent)
        self.slots.append(slot)
        return slot

    def _retire(self, slot: _Slot, kill: bool) -> None:
        if kill and slot.proc.is_alive():
            slot.proc.kill()
        slot.proc.join(5)
        slot.conn.close()
        self.slots.remove(slot)

    def _finish(self, i: int, result: DocumentResult) -> None:
        self.results[i] = result
        if self.on_done:
            self.on_done(result)

    def run(self) -> list[DocumentResult]:
        try:
            while len(self.results) < len(self.files):
                self._dispatch()
                self._wait()
        finally:
            for slot in list(self.slots):
                try:
                    slot.conn.send(None)
                except (OSError, ValueError):
                    pass
            for slot in list(self.slots):
                slot.proc.join(2)
                self._retire(slot, kill=True)
            prefetch.stop()  # page helpers the command line started (checker/prefetch.py), if any
        return [self.results[i] for i in range(len(self.files))]

    def _dispatch(self) -> None:
        while self.pending:
            idle = next((s for s in self.slots if s.task is None), None)
            if idle is None and len(self.slots) >= self.jobs:
                return
            i = self.pending.popleft()
            if self._serve(i):
                continue
            if idle is None:
                idle = self._spawn()
            idle.task = i
            # a worker still warming up gets WORKER_START_ALLOWANCE more; its READY restarts the clock
            start_up = 0.0 if idle.ready else WORKER_START_ALLOWANCE
            idle.deadline = time.monotonic() + self.hard + start_up if self.hard else float("inf")
            idle.conn.send((i, self.files[i], self._spare()))
        self._note_demand()

    def _note_demand(self) -> None:
        if self.demand is None:  # no worker yet
            return
        self.demand.value = sum(1 for s in self.slots if s.task is not None) + len(self.pending)

    def _serve(self, i: int) -> bool:
        """Finish filing i here when the caches serve it (pipeline.served_from_cache), under its time
        limit; False when it needs a worker (or the lookup fails: the worker then checks it)."""
        if not self.options.use_cache:
            return False
        try:
            with time_limit(self.options.timeout):
                result = served_from_cache(self.files[i], self.specs, self.options)
        except _Timeout:
            result = None
        if result is None or (result.error is not None
                              and result.error.code in ("internal_error", "engine_error")):
            return False
        self._finish(i, result)
        return True

    def _spare(self) -> int:
        """Processes of the budget that no other filing (being checked or waiting) will need: the
        page helpers the filing just dispatched may start."""
        others = sum(1 for s in self.slots if s.task is not None) - 1 + len(self.pending)
        return max(0, self.budget - 1 - max(0, others))

    def _wait(self) -> None:
        busy = [s for s in self.slots if s.task is not None]
        if not busy:
            return
        wait_for = max(0.0, min(s.deadline for s in busy) - time.monotonic())
        from multiprocessing import connection

        ready = connection.wait([s.conn for s in busy] + [s.proc.sentinel for s in busy],
                                timeout=None if wait_for == float("inf") else wait_for)
        for slot in busy:
            if slot.conn in ready or slot.proc.sentinel in ready:
                self._collect(slot)
        now = time.monotonic()
        for slot in [s for s in self.slots if s.task is not None and s.deadline <= now]:
            i = slot.task
            assert i is not None
            self._retire(slot, kill=True)  # stuck where its own timer cannot reach it
            self._finish(i, timed_out(self.files[i], self.options.timeout))

    def _collect(self, slot: _Slot) -> None:
        i = slot.task
        assert i is not None
        try:
            if slot.conn.poll():
                msg = slot.conn.recv()
                if msg == READY:
                    slot.ready = True
                    if self.hard:  # the filing's hard deadline runs from now
                        slot.deadline = time.monotonic() + self.hard
                    return
                _, result = msg
                slot.task = None
                self._note_demand()
                self._finish(i, result)
                if result.error is not None and result.error.code == "timeout":
                    self._retire(slot, kill=False)  # it exits by itself
                return
        except (EOFError, OSError):
            pass
        # The worker died while checking filing i.
        slot.proc.join(5)
        code = slot.proc.exitcode
        self._retire(slot, kill=True)
        prefetch.stop()  # the dead worker took them: the retry reads its pages without them
        if self.crashes.get(i, 0) == 0:
            self.crashes[i] = 1
            self.pending.appendleft(i)
            return
        self._finish(i, _crashed(self.files[i], _exit_cause(code)))


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _exit_cause(code: int | None) -> str:
    if code is None:
        return "the worker stopped responding"
    if code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        hint = " (often the out-of-memory killer)" if name == "SIGKILL" else ""
        return f"the worker was killed by {name}{hint}"
    return f"the worker exited with status {code}"


# ------------------------------------------------------------------------------------- dask


def _import_distributed() -> Any:
    try:
        import distributed
    except ImportError as e:
        raise BatchError(
            "--executor dask needs dask.distributed, which is not installed. "
            f"Install it with: pip install '{DASK_REQUIREMENT}' (or the starcheck[dask] extra).",
            code="dask_missing",
        ) from e
    return distributed


def _run_dask(files: list[Path], specs: list[RuleSpec], options: CheckOptions, scheduler: Any,
              on_done: OnDone | None) -> list[DocumentResult]:
    """Check files on a dask.distributed cluster; ``scheduler`` is an address or a Client/cluster."""
    distributed = _import_distributed()
    if not scheduler:
        raise BatchError("--executor dask needs --scheduler ADDRESS (e.g. tcp://10.0.0.5:8786)", code="no_scheduler")
    own = not isinstance(scheduler, distributed.Client)
    try:
        client = distributed.Client(scheduler, timeout=DASK_CONNECT_TIMEOUT) if own else scheduler
    except (OSError, TimeoutError) as e:
        raise BatchError(f"cannot reach the dask scheduler at {scheduler}: {e}. Check the address and that "
                         "the scheduler is running.", code="scheduler_unreachable") from e
    try:
        [payload] = client.scatter([(specs, options)], broadcast=True)
        futures = {
            client.submit(_dask_task, str(f), os.path.abspath(f), payload, pure=False, retries=0,
                          key=f"starcheck-{i}-{os.urandom(4).hex()}"): i
            for i, f in enumerate(files)
        }
        results: dict[int, DocumentResult] = {}
        for fut in distributed.as_completed(futures):
            i = futures[fut]
            try:
                results[i] = fut.result()
            except Exception as e:  # noqa: BLE001 - the dask worker itself died or the task was lost
                results[i] = _error(files[i], "worker_crashed",
                                    f"The dask worker running this file failed ({type(e).__name__}: {e}). "
                                    "Other files were not affected; please report this file.")
            if on_done:
                on_done(results[i])
        return [results[i] for i in range(len(files))]
    finally:
        if own:
            client.close()


def _dask_task(shown: str, path: str, payload: tuple[list[RuleSpec], CheckOptions]) -> DocumentResult:
    """Runs on a dask worker: check one filing in a child process, retried once if it crashes."""
    specs, options = payload
    result = check_in_subprocess(Path(path), specs, options)
    if result.error is not None and result.error.code == "worker_crashed":
        result = check_in_subprocess(Path(path), specs, options)
    if result.error is not None and result.error.code == "unreadable" and not os.path.exists(path):
        import socket

        result.error.message += (f" (checked on dask worker {socket.gethostname()}: every worker must see the "
                                 "filings at the same path, e.g. on a shared filesystem)")
    result.path = shown
    return result


def check_in_subprocess(path: Path, specs: list[RuleSpec], options: CheckOptions) -> DocumentResult:
    """Check one filing in a fresh Python process, killed at the hard deadline.

    Uses subprocess rather than multiprocessing, so it also works inside daemonic processes
    (dask workers). The child gets this process's PYTHONPATH followed by its sys.path.
    """
    import pickle
    import subprocess
    import tempfile

    limit = options.timeout if options.timeout and options.timeout > 0 else None
    paths = [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) + sys.path if p]
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(dict.fromkeys(paths)))
    with tempfile.TemporaryDirectory(prefix="starcheck-") as tmp:
        out = Path(tmp) / "result.pickle"
        proc = subprocess.Popen(
            [sys.executable, "-c", "from checker.batch import _child_main; _child_main()", str(out)],
            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env,
        )
        try:
            _, err = proc.communicate(pickle.dumps((path, specs, options)),
                                      timeout=limit + _grace(limit) if limit else None)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()
            return timed_out(path, options.timeout)
        if proc.returncode == 0 and out.exists():
            return pickle.loads(out.read_bytes())
        tail = err.decode("utf-8", "replace").strip().splitlines()[-1:] if err else []
        cause = _exit_cause(proc.returncode) + (f": {tail[0]}" if tail else "")
        return _error(path, "worker_crashed",
                      f"The checker process crashed on this file ({cause}). "
                      "Other files were not affected; please report this file.")


def _child_main() -> None:
    """Entry point of check_in_subprocess's child: pickled args on stdin, pickled result to argv[1]."""
    import pickle

    path, specs, options = pickle.loads(sys.stdin.buffer.read())
    result = check_limited(path, specs, options)
    tmp = sys.argv[1] + ".part"
    with open(tmp, "wb") as fh:
        pickle.dump(result, fh)
    os.replace(tmp, sys.argv[1])


def iter_results(results: list[DocumentResult]) -> Iterator[DocumentResult]:
    """Convenience for callers that stream."""
    yield from results
