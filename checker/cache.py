"""Extraction cache: facts of an unchanged filing are read back instead of re-extracted.

Key: SHA-256 of the file, tool version and ruleset hash (the issue's contract), so a new release or
a changed rule pack never serves stale facts. Entries live in the user's cache directory
(``$XDG_CACHE_HOME/starcheck`` or ``~/.cache/starcheck``), overridable with ``STARCHECK_CACHE_DIR``.
Values keep their exact type (Decimal stays Decimal). A corrupt entry is ignored and rewritten.
"""

from __future__ import annotations

import json
import os
from decimal import Decimal
from pathlib import Path
from typing import Any

from checker import __version__
from checker.facts.model import Fact, FactSet
from checker.io import write_atomic

FORMAT = 1


def cache_dir() -> Path:
    """Where cache entries are kept."""
    env = os.environ.get("STARCHECK_CACHE_DIR")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "starcheck"


def _enc(v: Any) -> Any:
    if isinstance(v, Decimal):
        return {"$decimal": str(v)}
    return v


def _dec(v: Any) -> Any:
    if isinstance(v, dict) and set(v) == {"$decimal"}:
        return Decimal(v["$decimal"])
    return v


def _key(sha256: str, ruleset_sha: str) -> str:
    return f"{sha256}-{__version__}-{ruleset_sha[:16]}"


def load(sha256: str, ruleset_sha: str) -> tuple[FactSet, int, list[str]] | None:
    """Cached (facts, pages, warnings) or None."""
    path = cache_dir() / f"{_key(sha256, ruleset_sha)}.json"
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        if raw.get("format") != FORMAT:
            return None
        fs = FactSet(missing=raw["missing"])
        for f in raw["facts"]:
            f["value"] = _dec(f["value"])
            fs.facts[f["path"]] = Fact.model_validate(f)
        return fs, int(raw["pages"]), list(raw.get("warnings", []))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def store(sha256: str, ruleset_sha: str, facts: FactSet, pages: int, warnings: list[str]) -> None:
    """Write an entry atomically; a cache that cannot be written is silently skipped."""
    facts_raw = []
    for f in facts.facts.values():
        d = f.model_dump(mode="python")
        d["value"] = _enc(f.value)
        d["evidence"] = [e.model_dump(mode="json") for e in f.evidence]
        facts_raw.append(d)
    body = {"format": FORMAT, "pages": pages, "warnings": warnings, "missing": facts.missing,
            "facts": facts_raw}
    try:
        write_atomic(cache_dir() / f"{_key(sha256, ruleset_sha)}.json",
                     json.dumps(body, ensure_ascii=False, default=str))
    except OSError:
        pass
