"""Turn rule outcomes into Findings: status, severity, message with values, evidence, citation."""

from __future__ import annotations

import functools
import string
from decimal import Decimal
from typing import Any

import yaml

from checker.engine.durable_engine import DurableEngine
from checker.engine.record import Outcome
from checker.engine.reference import outcome as reference_outcome
from checker.facts.model import Evidence, FactSet
from checker.findings import Finding, Localized, Severity, Status
from checker.resources import templates_dir
from checker.ruleset.spec import RuleSpec

MAX_EVIDENCE = 6


def format_money(v: Any, lang: str) -> str:
    """Yuan amount as a reader expects it (亿元/万元 in zh, RMB million/billion in en)."""
    d = Decimal(str(v))
    if lang == "zh":
        if abs(d) >= Decimal("1e8"):
            return f"{d / Decimal('1e8'):,.2f}亿元"
        if abs(d) >= Decimal("1e4"):
            return f"{d / Decimal('1e4'):,.2f}万元"
        return f"{d:,.2f}元"
    if abs(d) >= Decimal("1e9"):
        return f"RMB {d / Decimal('1e9'):,.2f} billion"
    return f"RMB {d / Decimal('1e6'):,.2f} million"


@functools.cache
def vocabulary() -> dict[str, dict[str, str]]:
    """Labels of fact values (templates/vocabulary.yaml)."""
    with (templates_dir() / "vocabulary.yaml").open(encoding="utf-8") as fh:
        return yaml.safe_load(fh) or {}


def label(value: Any, lang: str) -> str:
    """The reader's word for a coded value (e.g. annual_report -> 年度报告)."""
    entry = vocabulary().get(str(value))
    return entry[lang] if entry else str(value)


class _MessageFormatter(string.Formatter):
    """str.format with `money` and `pct` specs and a dash for missing values."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def get_value(self, key: Any, args: Any, kwargs: Any) -> Any:
        return kwargs.get(key) if isinstance(key, str) else super().get_value(key, args, kwargs)

    def format_field(self, value: Any, format_spec: str) -> str:
        if value is None:
            return "—"
        if isinstance(value, list):
            return "、".join(map(str, value)) if self.lang == "zh" else ", ".join(map(str, value))
        if isinstance(value, bool):
            return ("是" if value else "否") if self.lang == "zh" else ("yes" if value else "no")
        try:
            if format_spec == "money":
                return format_money(value, self.lang)
            if format_spec == "label":
                return label(value, self.lang)
            if format_spec == "pct":
                return f"{Decimal(str(value)):.2f}%"
        except (ArithmeticError, ValueError):
            return str(value)
        return super().format_field(value, format_spec)


def render_message(template: Localized, values: dict[str, Any]) -> Localized:
    """Fill the zh and en templates with the finding's values."""
    return Localized(
        zh=_MessageFormatter("zh").format(template.zh, **values),
        en=_MessageFormatter("en").format(template.en, **values),
    )


def _json_value(v: Any) -> Any:
    if isinstance(v, Decimal):
        return int(v) if v == v.to_integral_value() else float(v)
    return v


def _evidence(spec: RuleSpec, facts: FactSet, status: str) -> list[Evidence]:
    if status == "not_applicable" and spec.applies_when is not None:
        paths = spec.applies_when.facts()
    elif spec.evidence_from is not None:
        paths = spec.evidence_from
    else:
        paths = spec.check.facts() + [p for p in spec.values.values()]
    out: list[Evidence] = []
    seen: set[tuple[int, str]] = set()
    for p in paths:
        f = facts.get(p)
        for e in f.evidence if f else []:
            if (e.page, e.quote) not in seen:
                seen.add((e.page, e.quote))
                out.append(e)
    return out[:MAX_EVIDENCE]


def make_finding(spec: RuleSpec, oc: Outcome, facts: FactSet) -> Finding:
    """A Finding for spec from its fired outcome rules."""
    status = oc.status()
    sev = spec.severity
    idx = oc.severity_index()
    if idx is not None:
        sev = spec.severity_when[idx].severity
    values: dict[str, Any] = {k: _json_value(facts.value(p)) for k, p in spec.values.items()}
    values.update({k: v for k, v in spec.params.items() if k not in values})
    for name, path in spec.values.items():
        fact = facts.get(path)
        if fact is not None and fact.details:
            values[f"{name}_details"] = fact.details
    missing = {p: facts.missing.get(p, "not found") for p in spec.referenced_facts() if facts.get(p) is None}
    if status == "needs_review" and missing:
        values["missing"] = sorted(missing)
    key = "pass_" if status == "pass" else status
    if status == "needs_review" and "review" in oc.fired and spec.messages.review is not None:
        key = "review"
    template = getattr(spec.messages, key) or Localized(
        zh="不适用：{rule}", en="Not applicable: {rule}"
    )
    finding = Finding(
        rule_id=spec.id,
        status=Status(status),
        severity=Severity(sev),
        title=spec.title,
        message=render_message(template, {"rule": spec.id, **values}),
        citation=spec.citations,
        evidence=_evidence(spec, facts, status),
        values=values,
        family=spec.family,
    )
    finding.fingerprint = finding.compute_fingerprint()
    return finding


def evaluate(specs: list[RuleSpec], facts: FactSet, *, engine: str = "durable") -> list[Finding]:
    """Findings of every rule for one filing, in rule-id order."""
    if engine == "durable":
        outcomes = DurableEngine(specs).evaluate(facts)
    else:
        outcomes = {s.id: reference_outcome(s, facts) for s in specs}
    return [make_finding(s, outcomes[s.id], facts) for s in sorted(specs, key=lambda s: s.id)]
