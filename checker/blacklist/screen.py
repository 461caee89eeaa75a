"""Screen a filing's subjects against blacklists and turn the outcome into facts."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from checker.facts.model import Evidence, Fact, FactSet
from checker.facts.registry import FactSpec

from .index import BlacklistIndex
from .loader import load_blacklists
from .model import Entry, ScreeningResult, Subject
from .subjects import roles_missing, subjects_from_facts

FACT_PREFIX = "screening.blacklist"
SOURCE = "checker.blacklist.screen"
PRODUCES = [
    FactSpec("screening.blacklist.lists_supplied", "bool", "a blacklist was supplied for the run"),
    FactSpec("screening.blacklist.subjects_screened", "count", "parties screened", "count"),
    FactSpec("screening.blacklist.hits", "count", "exact matches on a supplied list", "count"),
    FactSpec("screening.blacklist.near_misses", "count", "near matches needing review", "count"),
    FactSpec("screening.blacklist.hit_subjects", "names", "the parties with an exact match"),
    FactSpec("screening.blacklist.near_miss_subjects", "names", "the parties with a near match"),
    FactSpec("screening.blacklist.roles_unscreened", "codes",
             "roles the filing must name for which no names were found (so they were not screened)"),
]
# Roles every STAR prospectus names; a clean screen must say which of them it could not screen.
CORE_ROLES = ("issuer.name", "controlling_shareholder", "actual_controller", "directors", "supervisors",
              "senior_management", "core_technical_staff", "intermediaries.sponsor", "intermediaries.law_firm",
              "intermediaries.auditor")


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
    src = SOURCE
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


def unscreened_roles(facts: FactSet) -> Fact:
    """The core roles with no names found (a role the filing says does not exist is not missing:
    无实际控制人, or no supervisors after the supervisory board was abolished)."""
    from .subjects import ROLE_PATHS

    missing = roles_missing(facts)
    out = []
    for path in CORE_ROLES:
        if path not in missing:
            continue
        if path == "supervisors" and facts.value("issuer.supervisory_board_abolished") is True:
            continue
        out.append(ROLE_PATHS[path])
    return Fact(path=f"{FACT_PREFIX}.roles_unscreened", value=out, source=SOURCE,
                details={"why": {ROLE_PATHS[p]: missing[p] for p in CORE_ROLES if p in missing}})


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
    from checker.extract.fastyaml import safe_load  # the C loader, imported where the labels are read

    text = resources.files(__package__).joinpath("labels.yaml").read_text(encoding="utf-8")
    return safe_load(text)
