"""One filing end to end: load -> facts -> derived facts -> rules -> findings.

Every failure a user can act on becomes a DocumentResult with status "error" and a message; nothing
here raises for a bad filing, so a batch goes on with the rest.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path

from checker import __version__, recache
from checker.cachefs import file_digest
from checker.errors import EngineError, StarcheckError
from checker.facts.model import FactSet
from checker.findings import CheckReport, DocError, DocumentResult, Finding, Ruleset, Tool
from checker.ruleset.loader import ruleset_hash
from checker.ruleset.spec import RuleSpec
from checker.scan import SUPPORTED_SUFFIXES  # noqa: E402,F401  (re-exported)


@dataclass
class CheckOptions:
    """What a run was asked to do."""

    # None: each filing is judged by the rules in force on its own date (document.date, e.g. the
    # prospectus signing date), falling back to today when the filing states no date.
    as_of: date | None = None
    engine: str = "durable"  # durable | reference
    blacklists: list[Path] = field(default_factory=list)
    use_cache: bool = True
    ruleset_sha: str = ""
    max_pages: int = 3000  # per-file limits: a clear error instead of an endless run
    max_bytes: int = 500_000_000
    timeout: float = 300.0  # seconds per filing (enforced by the batch runner's workers)
    max_memory: int = 4 << 30  # bytes of address space per worker process (0: no limit)


def regular_file_problem(path: Path) -> DocError | None:
    """Why ``path`` cannot be read as a filing before anything opens it (a FIFO, device or socket
    would block a reader forever; a dangling link or a loop has nothing to read), else None."""
    import stat

    try:
        st = path.stat()  # follows links
    except FileNotFoundError:
        if path.is_symlink():
            return DocError(code="unreadable", message=f"{path} is a link to a file that does not exist ({os.readlink(path)}). Fix or remove the link.")
        return DocError(code="unreadable", message=f"{path} does not exist (it may have been moved or deleted during the run).")
    except OSError as e:
        return DocError(code="unreadable", message=f"Cannot open {path}: {e.strerror or e} (a symbolic-link loop or a permission problem). Check the path.")
    if not stat.S_ISREG(st.st_mode):
        kind = ("a named pipe (FIFO)" if stat.S_ISFIFO(st.st_mode) else "a device" if stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode)
                else "a socket" if stat.S_ISSOCK(st.st_mode) else "a folder" if stat.S_ISDIR(st.st_mode) else "not a regular file")
        return DocError(code="not_a_file", message=f"{path} is {kind}, not a regular file: it was not opened. Check a saved copy of the filing instead.")
    if not os.access(path, os.R_OK):
        return DocError(code="unreadable", message=f"Cannot read {path}: permission denied. Check the file's permissions.")
    return None


def file_sha256(path: Path) -> str:
    """SHA-256 of a regular file's bytes ('' when unreadable or not a regular file: never blocks)."""
    if regular_file_problem(path) is not None:
        return ""
    return file_digest(path)


def extract_facts(path: Path, options: CheckOptions | None = None) -> tuple[FactSet, int, list[str]]:
    """Facts as extracted (before derivation), page count and warnings. Raises InputError."""
    from checker.extract import heap
    from checker.extract.loader import load_document
    from checker.facts.run import extract_document

    opts = options or CheckOptions()
    with heap.checking():  # the pages and the model are not walked by each collection (extract/heap.py)
        doc = load_document(path, max_pages=opts.max_pages, max_bytes=opts.max_bytes)
        try:
            return extract_document(doc), doc.page_count, list(doc.warnings)
        finally:
            # the document and its model refer to each other: without that cycle the check's pages and
            # lines are freed as soon as it returns, with no collection (a frozen cycle would outlive it)
            doc.__dict__.pop("_model", None)


class NotCached(Exception):
    """Raised in a cache-only check (:func:`served_from_cache`) where a page or a rule would be read."""


def establish_facts(path: Path, sha256: str, options: CheckOptions, as_of: date | None = None,
                    *, cache_only: bool = False) -> tuple[FactSet, int, list[str], date, str]:
    """Every stage of the fact layer for one filing (extraction from the cache when unchanged,
    derivation, screening): what ``check`` evaluates and ``facts`` prints. Raises InputError (and
    NotCached, with ``cache_only``, when the extraction cache does not hold the filing)."""
    from checker.blacklist.integrate import add_screening_facts
    from checker.facts.derive import derive_all

    facts, pages, warnings = facts_for(path, sha256, options, cache_only=cache_only)
    derive_all(facts)
    day, basis = filing_as_of(facts, options)
    add_screening_facts(facts, options.blacklists, day)
    return facts, pages, warnings, day, basis


def facts_for(path: Path, sha256: str, options: CheckOptions,
              *, cache_only: bool = False) -> tuple[FactSet, int, list[str]]:
    """Extracted facts from the cache when the file, tool and rules are unchanged, else extracted
    (with ``cache_only``: else NotCached)."""
    from checker import cache

    if options.use_cache and sha256:
        hit = cache.load(sha256, options.ruleset_sha)
        if hit is not None:
            return hit
    if cache_only:
        raise NotCached(str(path))
    recache.begin_work()  # the patterns compiled from here on are a filing's reading (checker/recache.py)
    facts, pages, warnings = extract_facts(path, options)
    if options.use_cache and sha256:
        cache.store(sha256, options.ruleset_sha, facts, pages, warnings)
    return facts, pages, warnings


def warm_up(specs: list[RuleSpec], options: CheckOptions) -> None:
    """Do once per worker process, before its first filing, what every filing needs: import the
    extractors and register the rule engine's ruleset. (Reading the lexicons is left to the first
    extraction: a filing the cache serves never needs them.) Changes no result; a failure here is
    left for the first real filing to report."""
    import importlib

    from checker.facts.registry import EXTRACTION_MODULES

    recache.begin_work()
    try:
        for name in EXTRACTION_MODULES:
            importlib.import_module(name)
        active = [s for s in specs if s.status != "removed"]
        if options.engine == "durable" and active:
            from checker.engine.durable_engine import DurableEngine

            DurableEngine(active)
    except Exception:  # noqa: BLE001 - warming is an optimisation only
        pass


def check_file(path: Path, specs: list[RuleSpec], options: CheckOptions) -> DocumentResult:
    """Check one filing; never raises for a problem with the filing itself."""
    result = _check(path, specs, options, cache_only=False)
    assert result is not None
    return result


def served_from_cache(path: Path, specs: list[RuleSpec], options: CheckOptions) -> DocumentResult | None:
    """check_file's result when both caches serve it (the filing's facts from the extraction cache, its
    findings from the findings cache: no page is read and no rule runs), else None. What the batch's
    parent process does before it starts a worker for a filing."""
    if not options.use_cache or regular_file_problem(path) is not None:
        return None
    return _check(path, specs, options, cache_only=True)


def _check(path: Path, specs: list[RuleSpec], options: CheckOptions,
           *, cache_only: bool) -> DocumentResult | None:
    problem = regular_file_problem(path)
    if problem is not None:
        result = DocumentResult(path=str(path), sha256="", status="error", error=problem)
        result.summarise()
        return result
    result = DocumentResult(path=str(path), sha256=file_sha256(path), status="checked")
    try:
        facts, pages, warnings, as_of, basis = establish_facts(path, result.sha256, options,
                                                               cache_only=cache_only)
        result.pages = pages
        result.warnings = warnings
        result.as_of = as_of.isoformat()
        result.as_of_basis = basis
        result.findings = findings_for(specs, facts, options, as_of, cache_only=cache_only)
        result.facts = facts.as_list()
    except NotCached:
        return None
    except StarcheckError as e:
        result.status = "error"
        result.error = DocError(code=e.code, message=e.message)
    except MemoryError:
        result.status = "error"
        result.error = DocError(code="memory_limit", message=(
            "Checking this file needed more memory than the per-file limit (--max-memory): it may be a "
            "decompression bomb or an extremely large page. Check that the file is the real filing; if it "
            "is, split it or raise --max-memory."))
    except RecursionError:
        result.status = "error"
        result.error = DocError(code="resource_limit", message=(
            "The file's structure is nested too deeply to read (a damaged or hostile file). Re-export the "
            "filing and check the new file."))
    except Exception as e:  # noqa: BLE001 - a bug must cost one filing, not the batch
        result.status = "error"
        code = "engine_error" if isinstance(e, EngineError) else "internal_error"
        result.error = DocError(
            code=code,
            message=f"starcheck failed on this file ({type(e).__name__}: {e}). Please report it with the file if you can share it.",
        )
    result.summarise()
    return result


def findings_for(specs: list[RuleSpec], facts: FactSet, options: CheckOptions, as_of: date,
                 *, cache_only: bool = False) -> list[Finding]:
    """The findings of the active specs on these facts: from the findings cache when the same facts,
    rules, engine and date were evaluated before (checker/engine/resultcache.py), else evaluated (with
    ``cache_only``: else NotCached)."""
    active = [s for s in specs if s.status != "removed"]
    if not options.use_cache:
        return _evaluate(active, facts, options, as_of)
    from checker.engine import resultcache

    # the hash of exactly these specs (not options.ruleset_sha, which a caller may have set for others)
    key = resultcache.key(ruleset_hash(active), options.engine, as_of, facts)
    findings = resultcache.load(key)
    if findings is None:
        if cache_only:
            raise NotCached(key)
        findings = _evaluate(active, facts, options, as_of)
        resultcache.store(key, findings)
    return findings


def _evaluate(active: list[RuleSpec], facts: FactSet, options: CheckOptions, as_of: date) -> list[Finding]:
    from checker.engine.run import evaluate  # the rule engine: imported only where rules run

    return evaluate(active, facts, engine=options.engine, as_of=as_of)


def filing_as_of(facts: FactSet, options: CheckOptions) -> tuple[date, str]:
    """The date whose rules apply to this filing, and where it came from."""
    if options.as_of is not None:
        return options.as_of, "option"
    stated = facts.value("document.date")
    if isinstance(stated, str):
        try:
            return date.fromisoformat(stated), "filing"
        except ValueError:
            pass
    return date.today(), "today"


def new_report(specs: list[RuleSpec], options: CheckOptions) -> CheckReport:
    """An empty report stamped with tool version, ruleset hash and as-of date."""
    return CheckReport(
        tool=Tool(version=__version__),
        ruleset=Ruleset(version=__version__, sha256=ruleset_hash(specs), as_of=(options.as_of or date.today()).isoformat()),
        generated_at=datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z"),
    )


def collect_inputs(paths: list[Path], exclude: list[str] | None = None) -> tuple[list[Path], list[str]]:
    """Files to check: files named explicitly, as given (a named file that is not a filing is checked and
    reported out of scope, never passed); folders searched recursively for filings recognised by
    their content (PDFs, form-feed text, JSON-lines pages, ``## 第N页`` Markdown), skipping what
    ``exclude`` globs or a ``.gitignore`` names. Problems (a missing path, a folder with no filing, an
    entry that cannot be read) are returned as sentences, one per path."""
    from checker.scan import scan_folder

    files: list[Path] = []
    problems: list[str] = []
    for p in paths:
        if p.is_dir():
            found, issues = scan_folder(p, exclude or [])
            problems += issues
            if not found:
                problems.append(f"{p}: folder contains no PDF or text filings")
            files += found
        elif p.exists() or p.is_symlink():
            files.append(p)
        else:
            problems.append(f"{p}: no such file or folder")
    return files, problems
