"""Data classes of the blacklist screen: list entries, filing subjects, matches and the result."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from checker.facts.model import Evidence

SubjectType = Literal["person", "organization"]
TYPES: tuple[str, ...] = ("person", "organization")


@dataclass(frozen=True, slots=True)
class Entry:
    """One row of a blacklist (a sanctioned person or organisation)."""

    name: str
    type: str  # person | organization
    aliases: tuple[str, ...] = ()
    credit_code: str | None = None
    reason: str | None = None
    source: str | None = None
    listed_on: date | None = None
    expires_on: date | None = None
    list_file: str | None = None
    line: int | None = None  # physical line in list_file where the entry starts
    position: int | None = None  # 0-based index of the entry in its list

    def in_force(self, as_of: date) -> bool:
        """Listed on or before ``as_of`` and not expired before it (expires_on is the last day in force)."""
        return self.status_on(as_of) == "in_force"

    def status_on(self, as_of: date) -> str:
        """``in_force``, ``expired`` (expires_on < as_of) or ``not_yet_listed`` (listed_on > as_of)."""
        if self.listed_on is not None and self.listed_on > as_of:
            return "not_yet_listed"
        if self.expires_on is not None and self.expires_on < as_of:
            return "expired"
        return "in_force"

    def as_dict(self) -> dict[str, Any]:
        """JSON-able form."""
        return {
            "name": self.name,
            "type": self.type,
            "aliases": list(self.aliases),
            "credit_code": self.credit_code,
            "reason": self.reason,
            "source": self.source,
            "listed_on": self.listed_on.isoformat() if self.listed_on else None,
            "expires_on": self.expires_on.isoformat() if self.expires_on else None,
            "list_file": self.list_file,
            "line": self.line,
        }


@dataclass(slots=True)
class Subject:
    """A party named in the filing (person or organisation), with every role it appears in."""

    name: str
    type: str  # person | organization
    roles: list[str] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    credit_code: str | None = None

    @property
    def role(self) -> str:
        """The first role (kept for callers that expect one)."""
        return self.roles[0] if self.roles else ""

    def as_dict(self) -> dict[str, Any]:
        """JSON-able form."""
        return {
            "name": self.name,
            "type": self.type,
            "roles": list(self.roles),
            "credit_code": self.credit_code,
            "evidence": [e.model_dump(exclude_none=True) for e in self.evidence],
        }


MatchKind = Literal["hit", "near_miss"]
# basis: name | alias | credit_code (exact) ; edit_distance | pinyin | type_mismatch (near misses)
EXACT_BASES = ("name", "alias", "credit_code")


@dataclass(slots=True)
class Match:
    """One subject matched to one list entry."""

    kind: str  # hit | near_miss
    basis: str  # name | alias | credit_code | edit_distance | pinyin | type_mismatch
    subject: Subject
    entry: Entry
    matched_value: str  # the entry's name, alias or credit code that matched
    subject_value: str  # the subject's name (or credit code) that matched
    entry_status: str = "in_force"  # in_force | expired | not_yet_listed
    detail: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """JSON-able form with both sides of the match."""
        return {
            "kind": self.kind,
            "basis": self.basis,
            "entry_status": self.entry_status,
            "matched_value": self.matched_value,
            "subject_value": self.subject_value,
            "detail": dict(self.detail),
            "entry": self.entry.as_dict(),
            "subject": self.subject.as_dict(),
        }


@dataclass(slots=True)
class ScreeningResult:
    """Outcome of screening one filing's subjects against the supplied lists."""

    as_of: date
    subjects: list[Subject]
    hits: list[Match] = field(default_factory=list)
    near_misses: list[Match] = field(default_factory=list)
    expired: list[Match] = field(default_factory=list)  # matches to entries not in force (info)
    list_files: list[str] = field(default_factory=list)
    entries_total: int = 0
    lists_supplied: bool = True
    roles_missing: dict[str, str] = field(default_factory=dict)  # fact path -> why

    @property
    def subjects_screened(self) -> int:
        """How many distinct subjects were screened."""
        return len(self.subjects)

    def as_values(self) -> dict[str, Any]:
        """JSON-able details for a finding's ``values``."""
        return {
            "as_of": self.as_of.isoformat(),
            "lists_supplied": self.lists_supplied,
            "list_files": list(self.list_files),
            "entries_total": self.entries_total,
            "subjects_screened": self.subjects_screened,
            "subjects": [{"name": s.name, "type": s.type, "roles": list(s.roles)} for s in self.subjects],
            "roles_missing": dict(self.roles_missing),
            "hits": [m.as_dict() for m in self.hits],
            "near_misses": [m.as_dict() for m in self.near_misses],
            "expired": [m.as_dict() for m in self.expired],
        }
