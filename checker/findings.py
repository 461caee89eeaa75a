"""Findings and the per-filing report: the model every formatter sees (design.md sections 3 and 6)."""

from __future__ import annotations

import hashlib
from enum import Enum
from typing import Any, Literal

from pydantic import BaseModel, Field

from checker.facts.model import Evidence, Fact


class Status(str, Enum):
    """Outcome of one rule for one filing (design.md section 3, a contract)."""

    FAIL = "fail"
    NEEDS_REVIEW = "needs_review"
    PASS = "pass"
    NOT_APPLICABLE = "not_applicable"
    WAIVED = "waived"


class Severity(str, Enum):
    """How serious a failing finding is."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


SEVERITY_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.ERROR: 2}


class Localized(BaseModel):
    """User-facing text in Chinese and English."""

    zh: str
    en: str

    def get(self, lang: str) -> str:
        """Text in lang (zh or en)."""
        return self.zh if lang == "zh" else self.en


class Citation(BaseModel):
    """Where a requirement comes from."""

    source: str
    article: str
    version: str
    quote: str | None = None
    confirmed: bool = True  # False for items marked [U] in the reference
    # The prospectus format standard the citation belongs to: std41 (格式准则第41号, STAR 2019-03 to
    # 2023-02) or std57 (第57号, 2023-02-17 on). A finding cites only the format its filing follows.
    format: Literal["std41", "std57"] | None = None


class Finding(BaseModel):
    """One rule's outcome for one filing."""

    rule_id: str
    status: Status
    severity: Severity
    title: Localized
    message: Localized
    citation: list[Citation]
    evidence: list[Evidence] = Field(default_factory=list)
    values: dict[str, Any] = Field(default_factory=dict)
    fingerprint: str = ""
    family: str = ""
    waiver: dict[str, Any] | None = None
    baselined: bool = False  # unresolved already in the --baseline report: shown, not counted

    def compute_fingerprint(self) -> str:
        """A stable hash of rule id, status and normalised evidence (not page numbers)."""
        basis = [self.rule_id, self.status.value]
        basis += sorted("".join(e.quote.split()) for e in self.evidence)
        return hashlib.sha256("\x1f".join(basis).encode("utf-8")).hexdigest()[:16]


class DocError(BaseModel):
    """Why a filing could not be checked."""

    code: str
    message: str


class DocumentResult(BaseModel):
    """One filing's result (an entry of ``documents`` in the JSON output)."""

    path: str
    sha256: str
    status: str  # checked | error
    error: DocError | None = None
    pages: int = 0
    facts: list[Fact] = Field(default_factory=list)
    findings: list[Finding] = Field(default_factory=list)
    summary: dict[str, int] = Field(
        default_factory=lambda: {s.value: 0 for s in Status}
    )
    warnings: list[str] = Field(default_factory=list)
    as_of: str | None = None  # the date whose rules were applied to this filing
    as_of_basis: str | None = None  # option (--as-of / config) | filing (its stated date) | today

    def summarise(self) -> None:
        """Recount the summary from the findings."""
        counts = {s.value: 0 for s in Status}
        for f in self.findings:
            counts[f.status.value] += 1
        self.summary = counts


class Ruleset(BaseModel):
    """Version stamp of the rules used."""

    version: str
    sha256: str
    as_of: str


class Tool(BaseModel):
    """Tool identity."""

    name: str = "starcheck"
    version: str


class CheckReport(BaseModel):
    """The whole JSON document of design.md section 6."""

    schema_version: str = "1"
    tool: Tool
    ruleset: Ruleset
    generated_at: str
    documents: list[DocumentResult] = Field(default_factory=list)
    waivers: dict[str, list[dict[str, Any]]] | None = None  # unused / expired waivers
    baseline: dict[str, Any] | None = None  # {path, known_failures, absent: [...]}
    gate: dict[str, Any] | None = None  # {fail_on, fail_on_review}: the policy the exit code followed
