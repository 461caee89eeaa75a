"""Start reading a lone PDF's pages as the command line starts, on a core that would otherwise wait.

``starcheck filing.pdf`` spends its first few tenths of a second importing the checker (the models,
the command line, the rule pack) before the worker that reads the filing exists; on a machine with an
idle core that time can go to the PDF's text pass. So the entry point looks at the arguments first,
with nothing imported yet, and when they are one PDF file to check with more than one process allowed
(``--jobs``, default: the number of CPUs), it starts the page helpers of checker/extract/pdfpages.py
for it, exactly as the batch worker would: same page limit, same memory limit per helper, dying with
this process. The worker, forked from this process later, finds them under the same path and joins
them (pdfpages.prepare); the pages are the same whoever reads them (the helpers send the SHA-256 of
what they read). No helper starts for a filing whose facts the cache holds: the file is hashed first
(the check uses that digest: checker/cachefs.py ``file_digest``); when the filing needs no reading after
all for another reason (wrong options) the helpers are stopped at the end of the run, and they die with
this process in any case.

It is only an optimisation: anything this reading of the arguments is not sure of (several paths, a
folder, ``--help``, dask, an option it does not know) starts nothing, and the command line then parses
the arguments as always. The option names are the check command's (tests/test_prefetch.py keeps the
two in step).
"""

from __future__ import annotations

import os
from pathlib import Path

COMMANDS = frozenset({"check", "facts", "rules", "diff", "accuracy", "benchmark", "schema"})
# the check command's options that take a value; every other option it has is a flag
VALUE_OPTIONS = frozenset({
    "--format", "-f", "--output-dir", "--config", "--select", "--ignore", "--waivers", "--baseline",
    "--output", "-o", "--lang", "--fail-on", "--exclude", "--as-of", "--blacklist", "--jobs", "-j",
    "--executor", "--scheduler", "--timeout", "--max-pages", "--max-bytes", "--max-memory", "--engine",
})
FLAGS = frozenset({"--no-fail-on-review", "--no-cache", "--verbose", "-v", "--quiet", "-q"})
DEFAULTS = {"--jobs": "0", "--max-pages": "3000", "--max-memory": "4096", "--executor": "local"}
SHORT = {"-f": "--format", "-o": "--output", "-j": "--jobs", "-v": "--verbose", "-q": "--quiet"}


def plan(args: list[str]) -> tuple[Path, int, int, int, bool] | None:
    """(the PDF, helpers, page limit, memory limit in bytes, whether the cache is used) when ``args``
    (without the program name) check exactly one PDF with cores to spare, else None."""
    if args and args[0] in COMMANDS:
        if args[0] != "check":
            return None
        args = args[1:]
    values = dict(DEFAULTS)
    paths: list[str] = []
    use_cache = True
    i = 0
    while i < len(args):
        a = args[i]
        i += 1
        if a == "--":
            paths += args[i:]
            break
        if not a.startswith("-") or a == "-":
            paths.append(a)
            continue
        name, eq, value = a.partition("=")
        if not eq and len(a) > 2 and not a.startswith("--") and a[:2] in VALUE_OPTIONS:
            name, value, eq = a[:2], a[2:], "="  # -j2, -fjson
        name = SHORT.get(name, name)
        if name in FLAGS and not eq:
            use_cache = use_cache and name != "--no-cache"
            continue
        if name not in VALUE_OPTIONS:
            return None  # --help, --version, a bundle of short flags, a typo: the command line decides
        if not eq:
            if i >= len(args):
                return None
            value = args[i]
            i += 1
        values[name] = value
    if len(paths) != 1 or values["--executor"] != "local":
        return None
    try:
        jobs, max_pages = int(values["--jobs"]), int(values["--max-pages"])
        memory = int(values["--max-memory"])
    except ValueError:
        return None
    if jobs <= 0:
        try:
            jobs = len(os.sched_getaffinity(0))
        except AttributeError:  # pragma: no cover - not on Linux
            return None
    if jobs < 2 or max_pages <= 0:
        return None
    return Path(paths[0]), jobs - 1, max_pages, max(0, memory) << 20, use_cache


def prefetch(args: list[str]) -> None:
    """Start the page helpers for what :func:`plan` finds (nothing when it finds nothing, or when the
    cache holds the filing's facts: then no page is read)."""
    found = plan(args)
    if found is None or not hasattr(os, "fork"):
        return
    path, helpers, max_pages, memory, use_cache = found
    if use_cache:
        from checker.cachefs import file_digest, holds_facts_of

        sha = file_digest(path)  # the check reads it back (same process or forked): hashed once
        if not sha or holds_facts_of(sha):
            return  # not a readable file, or no page to read
    from checker.extract import pdfpages

    pdfpages.prepare(path, helpers, _page_lines, max_pages, memory=memory)


def _page_lines(pdf: object, i: int) -> list[str]:
    """The loader's page reader, imported in the helper (this process has imported nothing yet)."""
    from checker.extract.loader import _page_lines as read

    return read(pdf, i)


def stop() -> None:
    """Stop helpers no worker joined (the filing was served from the cache or never checked)."""
    import sys

    pdfpages = sys.modules.get("checker.extract.pdfpages")
    if pdfpages is not None:
        pdfpages.discard()
