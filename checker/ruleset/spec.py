"""RuleSpec: the schema of a rule file in rules/<family>/<ID>.yaml (validated at load)."""

from __future__ import annotations

import re
from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from checker.facts.registry import is_known
from checker.findings import Citation, Localized, Severity

RULE_ID = re.compile(r"STAR-(DOC|LS|KC|IND|UNP|BL|DS|WVR|RC|CONS|RF)-\d{3}\Z")

Op = Literal["eq", "ne", "lt", "lte", "gt", "gte", "in", "not_in", "exists", "missing"]
VALUELESS_OPS = {"exists", "missing"}

# Validation context of a rule pack read back from the pack cache (checker/engine/pack.py): its fact
# paths were checked against the registry when it was written, by the same code (the cache key holds
# the code's hash), so the registry (which imports every extractor) is not needed to read it.
PATHS_CHECKED = "fact_paths_checked"


def _paths_checked(info: ValidationInfo) -> bool:
    return bool(info.context and info.context.get(PATHS_CHECKED))


class Condition(BaseModel):
    """A condition tree: all / any / not, or a leaf {fact, op, value}."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    all: list[Condition] | None = None
    any: list[Condition] | None = None
    not_: Condition | None = Field(default=None, alias="not")
    fact: str | None = None
    op: Op | None = None
    value: Any = None

    @model_validator(mode="after")
    def _one_kind(self, info: ValidationInfo) -> Condition:
        kinds = [k for k in ("all", "any", "not_", "fact") if getattr(self, k) is not None]
        if len(kinds) != 1:
            raise ValueError("a condition has exactly one of: all, any, not, fact")
        if self.fact is not None:
            if self.op is None:
                raise ValueError(f"condition on {self.fact!r} needs an op")
            if not _paths_checked(info) and not is_known(self.fact):
                raise ValueError(f"unknown fact path {self.fact!r} (see checker/facts/paths.py)")
            if self.op not in VALUELESS_OPS and self.value is None:
                raise ValueError(f"op {self.op!r} on {self.fact!r} needs a value")
            if self.op in ("in", "not_in") and not isinstance(self.value, list):
                raise ValueError(f"op {self.op!r} needs a list value")
        if self.all is not None and not self.all or self.any is not None and not self.any:
            raise ValueError("all/any need at least one condition")
        return self

    def facts(self) -> list[str]:
        """Every fact path the tree references, in order, without duplicates."""
        out: list[str] = []
        for sub in (self.all or []) + (self.any or []) + ([self.not_] if self.not_ else []):
            out += [p for p in sub.facts() if p not in out]
        if self.fact and self.fact not in out:
            out.append(self.fact)
        return out


class SeverityWhen(BaseModel):
    """Severity override that applies when a condition holds."""

    model_config = ConfigDict(extra="forbid")
    when: Condition
    severity: Severity


class Messages(BaseModel):
    """Outcome messages; placeholders {name} refer to the rule's values."""

    model_config = ConfigDict(extra="forbid")
    fail: Localized
    needs_review: Localized
    not_applicable: Localized | None = None
    review: Localized | None = None  # needs_review because review_when held (not missing facts)
    # NOTE: field named pass_ because `pass` is a keyword.
    pass_: Localized = Field(alias="pass")


class Example(BaseModel):
    """A case: facts in, expected outcome out (rules/<family>/<ID>.cases.yaml)."""

    model_config = ConfigDict(extra="forbid")
    facts: dict[str, Any]
    expect: dict[str, Any]
    params: dict[str, Any] = Field(default_factory=dict)
    note: str | None = None


class RuleSpec(BaseModel):
    """One rule."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    id: str
    name: str
    status: Literal["preview", "stable", "deprecated", "removed"] = "stable"
    since: str = "0.1.0"
    severity: Severity
    confidence: Literal["high", "medium", "low"] = "high"
    tags: list[str] = Field(default_factory=list)
    title: Localized
    description: Localized
    rationale: Localized | None = None
    citations: list[Citation] = Field(min_length=1)
    unconfirmed: bool = False
    effective_from: date | None = None
    effective_to: date | None = None
    applies_when: Condition | None = None
    check: Condition
    review_when: Condition | None = None
    severity_when: list[SeverityWhen] = Field(default_factory=list)
    params: dict[str, Any] = Field(default_factory=dict)
    values: dict[str, str] = Field(default_factory=dict)
    evidence_from: list[str] | None = None
    messages: Messages
    source_file: str = ""

    @field_validator("id")
    @classmethod
    def _id_shape(cls, v: str) -> str:
        if not RULE_ID.match(v):
            raise ValueError(f"rule id {v!r} is not of the form STAR-<FAMILY>-<NNN>")
        return v

    @field_validator("values")
    @classmethod
    def _value_paths(cls, v: dict[str, str], info: ValidationInfo) -> dict[str, str]:
        for name, path in v.items():
            if not _paths_checked(info) and not is_known(path):
                raise ValueError(f"value {name!r}: unknown fact path {path!r}")
        return v

    @property
    def family(self) -> str:
        """Family code, e.g. LS."""
        return self.id.split("-")[1]

    def referenced_facts(self) -> list[str]:
        """Every fact path the rule reads (conditions, then values)."""
        out: list[str] = []
        conds = [self.applies_when, self.check, self.review_when] + [s.when for s in self.severity_when]
        for c in conds:
            if c is not None:
                out += [p for p in c.facts() if p not in out]
        out += [p for p in self.values.values() if p not in out]
        return out

    def in_force(self, as_of: date) -> bool:
        """Whether the rule is in force at the as-of date."""
        if self.effective_from and as_of < self.effective_from:
            return False
        return not (self.effective_to and as_of > self.effective_to)
