"""Glue for the pipeline: screen one filing's facts against blacklist files.

The index over a set of list files is built once and cached for the process (keyed by each file's
resolved path, size and modification time), so a batch of filings pays the build cost once.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

from checker.facts.model import Evidence, Fact, FactSet

from .index import BlacklistIndex
from .loader import load_blacklists
from .model import ScreeningResult
from .screen import screen_filing, screening_facts

_CACHE: dict[tuple, BlacklistIndex] = {}
_CACHE_MAX = 4


def _cache_key(paths: Sequence[str | Path]) -> tuple:
    key: list[tuple[str, int | None, int | None]] = []
    for p in paths:
        path = Path(p).resolve()
        try:
            st = path.stat()
            key.append((str(path), st.st_size, st.st_mtime_ns))
        except OSError:
            key.append((str(path), None, None))  # the loader reports the error
    return tuple(key)


def index_for(paths: Sequence[str | Path]) -> BlacklistIndex:
    """The index over these list files (loaded and built on first use, then cached)."""
    key = _cache_key(paths)
    index = _CACHE.get(key)
    if index is None:
        index = BlacklistIndex(load_blacklists(paths))
        if len(_CACHE) >= _CACHE_MAX:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[key] = index
    return index


def screen_for(facts: FactSet, paths: Sequence[str | Path], as_of: date) -> ScreeningResult:
    """Screen the parties named in ``facts``; no paths means no list supplied (lists_supplied False)."""
    return screen_filing(facts, index_for(paths) if paths else None, as_of)


def screening_facts_for(facts: FactSet, paths: Sequence[str | Path], as_of: date) -> list[Fact]:
    """The ``screening.blacklist.*`` facts for one filing (raises BlacklistError for a bad list)."""
    result = screen_for(facts, paths, as_of)
    out = screening_facts(result)
    if result.lists_supplied:
        out.extend(subject_name_facts(result))
    return out


def subject_name_facts(result: ScreeningResult) -> list[Fact]:
    """Names of the subjects with hits / near misses, for rule messages (list[str] facts)."""
    out: list[Fact] = []
    for path, matches in (("hit_subjects", result.hits), ("near_miss_subjects", result.near_misses)):
        names: list[str] = []
        evidence: list[Evidence] = []
        for m in matches:
            if m.subject.name not in names:
                names.append(m.subject.name)
                evidence.extend(e for e in m.subject.evidence if e not in evidence)
        out.append(
            Fact(path=f"screening.blacklist.{path}", value=names, evidence=evidence, source="checker.blacklist.screen")
        )
    return out


def add_screening_facts(facts: FactSet, blacklists: list[Path], as_of: date) -> None:
    """Stage 3: blacklist screening facts (``lists_supplied`` is false without a list)."""
    from checker.blacklist.screen import unscreened_roles

    result = screen_for(facts, blacklists, as_of)
    for fact in screening_facts(result) + (subject_name_facts(result) if result.lists_supplied else []):
        facts.add(fact)
    facts.add(unscreened_roles(facts))
    hits = facts.get("screening.blacklist.hits")
    if hits is not None:
        hits.details = result.as_values()
