"""Run many filings: in-process for one, a process pool for several.

The rule engine is a C extension; a segfault in one filing must not take down the batch. When a
worker dies the pool breaks and every pending filing fails with BrokenProcessPool; those filings are
then re-run one at a time, each in a fresh single-worker pool, so only the filing that crashes again
is reported as an error (with the cause) and every other filing gets its real result.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from checker.findings import DocError, DocumentResult
from checker.pipeline import CheckOptions, check_file, file_sha256
from checker.ruleset.spec import RuleSpec


def default_jobs() -> int:
    """Number of CPUs this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


def _crashed(path: Path, cause: str) -> DocumentResult:
    r = DocumentResult(path=str(path), sha256=file_sha256(path), status="error",
                       error=DocError(code="worker_crashed",
                                      message=f"The checker process crashed on this file ({cause}). "
                                              "Other files were not affected; please report this file."))
    r.summarise()
    return r


def run_batch(
    files: list[Path], specs: list[RuleSpec], options: CheckOptions, jobs: int,
    on_done: Callable[[DocumentResult], None] | None = None,
    *, executor: str = "local", scheduler: str | None = None,
) -> list[DocumentResult]:
    """Results in the order of files."""
    if executor == "dask":
        raise NotImplementedError("the dask executor is not built yet")
    if jobs <= 1 or len(files) <= 1:
        out = []
        for f in files:
            out.append(check_file(f, specs, options))
            if on_done:
                on_done(out[-1])
        return out
    results: dict[int, DocumentResult] = {}
    retry: list[int] = []
    with ProcessPoolExecutor(max_workers=min(jobs, len(files))) as pool:
        futures: dict[Future[DocumentResult], int] = {
            pool.submit(check_file, f, specs, options): i for i, f in enumerate(files)
        }
        for fut, i in futures.items():
            try:
                results[i] = fut.result()
                if on_done:
                    on_done(results[i])
            except BrokenProcessPool:
                retry.append(i)
    for i in retry:
        results[i] = _isolated(files[i], specs, options)
        if on_done:
            on_done(results[i])
    return [results[i] for i in range(len(files))]


def _isolated(path: Path, specs: list[RuleSpec], options: CheckOptions) -> DocumentResult:
    with ProcessPoolExecutor(max_workers=1) as pool:
        try:
            return pool.submit(check_file, path, specs, options).result()
        except BrokenProcessPool as e:
            return _crashed(path, f"worker terminated abruptly: {e}")


def iter_results(results: list[DocumentResult]) -> Iterator[DocumentResult]:
    """Convenience for callers that stream."""
    yield from results
