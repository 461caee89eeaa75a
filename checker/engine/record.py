"""The flat record asserted for one rule and one filing, and the outcome model.

Each rule reads a handful of fact paths. They are mapped to short keys (v0, v1, ... for values,
p0, p1, ... for presence) so that a record never approaches durable-rules' 255-property limit and
fact paths never have to be escaped. Decimal money becomes float for the engine only; comparisons
against integer-yuan thresholds stay exact below 2**53.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from checker.facts.model import FactSet
from checker.ruleset.spec import RuleSpec


def engine_value(v: Any) -> Any:
    """A fact value as the engine compares it (lists compare by their length)."""
    if isinstance(v, bool) or v is None or isinstance(v, (int, str)):
        return v
    if isinstance(v, Decimal):
        return float(v)
    if isinstance(v, float):
        return v
    if isinstance(v, list):
        return len(v)
    return str(v)


def key_map(spec: RuleSpec) -> dict[str, int]:
    """Fact path -> index used in the record keys."""
    return {p: i for i, p in enumerate(spec.referenced_facts())}


def build_record(spec: RuleSpec, facts: FactSet) -> dict[str, Any]:
    """The record for spec over facts (without sid / id, added by the engine)."""
    rec: dict[str, Any] = {"rule": spec.id}
    for path, i in key_map(spec).items():
        f = facts.get(path)
        rec[f"p{i}"] = f is not None
        if f is None:
            continue
        if f.value is None:
            # An established null (a final prospectus has no stage mark; 无实际控制人): present, equal
            # to nothing but null; ordering comparisons on it stay unknown.
            rec[f"n{i}"] = True
        else:
            rec[f"v{i}"] = engine_value(f.value)
    return rec


@dataclass
class Outcome:
    """Which outcome rules fired for one rule and one filing."""

    fired: set[str] = field(default_factory=set)  # subset of {na, review, pass, fail, sev0, sev1, ...}

    def status(self) -> str:
        """Resolve the fired outcome rules into one status; nothing fired means needs_review."""
        if "na" in self.fired:
            return "not_applicable"
        if "review" in self.fired:
            return "needs_review"
        if "pass" in self.fired and "fail" in self.fired:
            raise RuntimeError("both pass and fail fired: the condition compiler is inconsistent")
        if "pass" in self.fired:
            return "pass"
        if "fail" in self.fired:
            return "fail"
        return "needs_review"

    def severity_index(self) -> int | None:
        """Index of the first severity override that fired, if any."""
        idx = sorted(int(x[3:]) for x in self.fired if x.startswith("sev"))
        return idx[0] if idx else None
