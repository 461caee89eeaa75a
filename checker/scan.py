"""Folder scans: which files of a folder are filings.

Every .pdf is taken (a broken or misnamed one is reported as that file's error); a .txt, .md or
.jsonl file only when its content shows a filing export (checker.extract.loader.sniff_format): so a
project's README.md or notes.txt in the folder are not checked as filings. Files matched by an ``exclude`` glob (against the path relative to
the scanned folder, or the file name) or by a ``.gitignore`` in the folder or above it (up to the
repository root) are skipped; so are ``.git`` folders. Entries that cannot be read (a dangling link, a
loop, a FIFO, no permission) are kept: each becomes that file's error in the report, never dropped
silently and never opened.
"""

from __future__ import annotations

import fnmatch
import os
from pathlib import Path

SUPPORTED_SUFFIXES = {".pdf", ".txt", ".jsonl", ".md"}


def _gitignores(folder: Path) -> list[tuple[Path, object]]:
    """(base, spec) of every .gitignore from the repository root (or filesystem root) down to folder."""
    try:
        import pathspec
    except ImportError:  # pragma: no cover - a declared dependency
        return []
    chain: list[Path] = []
    for d in [folder, *folder.parents]:
        chain.append(d)
        if (d / ".git").exists():
            break
    out: list[tuple[Path, object]] = []
    for d in reversed(chain):
        gi = d / ".gitignore"
        if gi.is_file():
            try:
                out.append((d, pathspec.GitIgnoreSpec.from_lines(gi.read_text(encoding="utf-8").splitlines())))
            except (OSError, ValueError):
                continue
    return out


def _ignored(path: Path, specs: list[tuple[Path, object]]) -> bool:
    for base, spec in specs:
        try:
            rel = path.relative_to(base).as_posix()
        except ValueError:
            continue
        if spec.match_file(rel):  # type: ignore[attr-defined]
            return True
    return False


def scan_folder(folder: Path, exclude: list[str]) -> tuple[list[Path], list[str]]:
    """(filings found, problems) under folder, in path order."""
    from checker.extract.loader import sniff_format

    folder = Path(folder)
    specs = _gitignores(folder.resolve())
    found: list[Path] = []
    problems: list[str] = []

    def onerror(err: OSError) -> None:
        problems.append(f"{err.filename}: cannot read the folder ({err.strerror})")

    for root, dirs, names in os.walk(folder, onerror=onerror, followlinks=False):
        rootp = Path(root)
        dirs[:] = sorted(d for d in dirs if d != ".git" and not _ignored(_resolved(rootp / d), specs)
                         and not _excluded(rootp / d, folder, exclude))
        for name in sorted(names):
            path = rootp / name
            if path.suffix.lower() not in SUPPORTED_SUFFIXES or _excluded(path, folder, exclude):
                continue
            # An entry that cannot be read (a dangling link, a loop, a FIFO or device, no permission)
            # is checked all the same: the pipeline reports it as that file's error, without opening it.
            try:
                if _ignored(_resolved(path), specs):
                    continue
                readable = path.is_file() and os.access(path, os.R_OK)
            except (OSError, RuntimeError):  # RuntimeError: a symbolic-link loop (pathlib)
                readable = False
            if not readable:
                found.append(path)
                continue
            if path.suffix.lower() != ".pdf" and sniff_format(path) is None:
                continue  # not a filing export: a README, notes, a log (a .pdf is always taken: the
                # loader says what a misnamed or broken one is)
            found.append(path)
    return found, problems


def _resolved(path: Path) -> Path:
    """The real path, or the path itself when it cannot be resolved (a loop, a vanished parent)."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return path.absolute()


def _excluded(path: Path, folder: Path, exclude: list[str]) -> bool:
    if not exclude:
        return False
    rel = path.relative_to(folder).as_posix()
    return any(fnmatch.fnmatch(rel, g) or fnmatch.fnmatch(path.name, g) or fnmatch.fnmatch(rel, g.rstrip("/") + "/*")
               for g in exclude)
