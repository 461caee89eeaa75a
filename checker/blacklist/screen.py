"""Screen a filing's subjects against blacklists and turn the outcome into facts."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from checker.facts.model import Evidence, Fact, FactSet

from .index import BlacklistIndex
from .loader import load_blacklists
from .model import Entry, ScreeningResult, Subject
from .subjects import roles_missing, subjects_from_facts

FACT_PREFIX = "screening.blacklist"
SOURCE = "blacklist"


def build_index(entries: Iterable[Entry], *, pinyin: bool = True) -> BlacklistIndex:
    """Build the matching index once; reuse it for every filing."""
    return BlacklistIndex(entries, pinyin=pinyin)


def screen(
    subjects: Sequence[Subject],
    entries_or_index: BlacklistIndex | Sequence[Entry] | None,
    as_of: date,
    *,
    missing: dict[str, str] | None = None,
) -> ScreeningResult:
    """Match every subject against the lists.

    Exact matches (normalised name, alias or credit code, same type) to entries in force on ``as_of``
    are hits; near misses (organisation name one edit away, pinyin ↔ Chinese person name, same name
    with the other type) go to review; any match to an entry not in force on ``as_of`` (expired, or
    listed later) is reported as info in ``expired``. ``entries_or_index=None`` means no list was
    supplied: nothing is matched and ``lists_supplied`` is False.
    """
    if entries_or_index is None:
        return ScreeningResult(
            as_of=as_of,
            subjects=list(subjects),
            lists_supplied=False,
            roles_missing=dict(missing or {}),
        )
    index = (
        entries_or_index if isinstance(entries_or_index, BlacklistIndex) else BlacklistIndex(entries_or_index)
    )
    result = ScreeningResult(
        as_of=as_of,
        subjects=list(subjects),
        list_files=list(index.list_files),
        entries_total=len(index),
        roles_missing=dict(missing or {}),
    )
    for subject in subjects:
        for m in index.lookup(subject):
            m.entry_status = m.entry.status_on(as_of)
            if m.entry_status != "in_force":
                result.expired.append(m)
            elif m.kind == "hit":
                result.hits.append(m)
            else:
                result.near_misses.append(m)
    return result


def screen_filing(
    facts: FactSet,
    index: BlacklistIndex | Sequence[Entry] | None,
    as_of: date,
) -> ScreeningResult:
    """Subjects from the filing's facts, screened; role paths without facts are recorded."""
    return screen(subjects_from_facts(facts), index, as_of, missing=roles_missing(facts))


def screen_files(facts: FactSet, list_paths: Sequence[str | Path], as_of: date) -> ScreeningResult:
    """Convenience for one filing: load the lists (or none), build the index, screen."""
    if not list_paths:
        return screen_filing(facts, None, as_of)
    return screen_filing(facts, BlacklistIndex(load_blacklists(list_paths)), as_of)


# ---------------------------------------------------------------- facts


def _evidence(subjects: Iterable[Subject], *, first_only: bool = False) -> list[Evidence]:
    out: list[Evidence] = []
    for s in subjects:
        for ev in s.evidence[:1] if first_only else s.evidence:
            if ev not in out:
                out.append(ev)
    return out


def _unique_subjects(matches) -> list[Subject]:
    seen: dict[int, Subject] = {}
    for m in matches:
        seen.setdefault(id(m.subject), m.subject)
    return list(seen.values())


def screening_facts(result: ScreeningResult) -> list[Fact]:
    """Facts for the rule engine (paths under ``screening.blacklist``).

    ``hits`` and ``near_misses`` are emitted only when a list was supplied (otherwise they are
    unknown, see :func:`screening_missing`). Evidence: the matched subjects' pages and quotes; for a
    count of zero, the first evidence item of each subject screened.
    """
    screened_ev = _evidence(result.subjects, first_only=True)
    src = SOURCE + (":" + ",".join(result.list_files) if result.list_files else "")
    facts = [
        Fact(path=f"{FACT_PREFIX}.lists_supplied", value=result.lists_supplied, source=src),
        Fact(
            path=f"{FACT_PREFIX}.subjects_screened",
            value=result.subjects_screened,
            unit="count",
            evidence=screened_ev,
            source=src,
        ),
    ]
    if result.lists_supplied:
        hit_subjects = _unique_subjects(result.hits)
        near_subjects = _unique_subjects(result.near_misses)
        facts.append(
            Fact(
                path=f"{FACT_PREFIX}.hits",
                value=len(result.hits),
                unit="count",
                evidence=_evidence(hit_subjects) if hit_subjects else screened_ev,
                source=src,
            )
        )
        facts.append(
            Fact(
                path=f"{FACT_PREFIX}.near_misses",
                value=len(result.near_misses),
                unit="count",
                evidence=_evidence(near_subjects) if near_subjects else screened_ev,
                source=src,
            )
        )
    return facts


def screening_missing(result: ScreeningResult) -> dict[str, str]:
    """Fact paths that could not be established (path → why)."""
    if result.lists_supplied:
        return {}
    why = "no blacklist file was supplied, so the parties named in the filing were not screened"
    return {f"{FACT_PREFIX}.hits": why, f"{FACT_PREFIX}.near_misses": why}


def apply_screening(facts: FactSet, result: ScreeningResult) -> None:
    """Add the screening facts to a filing's FactSet and mark the unknown ones missing."""
    for f in screening_facts(result):
        facts.add(f)
    for path, why in screening_missing(result).items():
        facts.mark_missing(path, why)


# ---------------------------------------------------------------- labels


@lru_cache(maxsize=1)
def labels() -> dict[str, Any]:
    """Bilingual labels for roles, match bases and entry statuses (labels.yaml)."""
    text = resources.files(__package__).joinpath("labels.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)
