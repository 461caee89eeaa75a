"""Turn rule outcomes into Findings: status, severity, message with values, evidence, citation."""

from __future__ import annotations

import functools
import string
from datetime import date
from decimal import Decimal
from typing import Any

from checker.engine.durable_engine import DurableEngine
from checker.engine.record import Outcome
from checker.engine.reference import outcome as reference_outcome
from checker.extract.fastyaml import safe_load
from checker.facts.model import Evidence, FactSet
from checker.findings import Citation, Finding, Localized, Severity, Status
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
        return safe_load(fh) or {}


def label(value: Any, lang: str) -> str:
    """The reader's word for a coded value (e.g. annual_report -> 年度报告)."""
    entry = vocabulary().get(str(value))
    return entry[lang] if entry else str(value)


class _MessageFormatter(string.Formatter):
    """str.format with `money` and `pct` specs and a dash for missing values."""

    def __init__(self, lang: str, values: dict[str, Any] | None = None) -> None:
        self.lang = lang
        self.values = values or {}

    def get_value(self, key: Any, args: Any, kwargs: Any) -> Any:
        return kwargs.get(key) if isinstance(key, str) else super().get_value(key, args, kwargs)

    def format_field(self, value: Any, format_spec: str) -> str:
        if value is None:
            return "—"
        if isinstance(value, list):
            if format_spec in ("facts", "facts_values"):  # for people: "2024年营业收入", never the path
                from checker.facts.labels import fact_label

                shown = self.values.get("unmet_values") or {}
                items = []
                for v in value:
                    text = fact_label(str(v), self.lang)
                    if format_spec == "facts_values" and shown.get(v) is not None:
                        text += " " + _people(shown[v], str(v), self.lang)
                    items.append(text)
                return "、".join(items) if self.lang == "zh" else "; ".join(items)
            items = [label(v, self.lang) if format_spec == "label" else str(v) for v in value]
            if not items and format_spec == "label":
                return "无" if self.lang == "zh" else "none"
            return "、".join(items) if self.lang == "zh" else ", ".join(items)
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


def _people(value: Any, path: str, lang: str) -> str:
    """A fact's value in a message: money in 亿元 / RMB, percentages with %, codes by their label."""
    if isinstance(value, bool):
        return ("是" if value else "否") if lang == "zh" else ("yes" if value else "no")
    if isinstance(value, (int, float)) and not path.endswith(("_percent", "count")) and "ratio" not in path \
            and ("revenue" in path or "profit" in path or "market_cap" in path or "cash_flow" in path or "rd_investment" in path
                 or "cumulative" in path):
        return format_money(value, lang)
    if isinstance(value, (int, float)) and ("percent" in path or "ratio" in path):
        return f"{Decimal(str(value)):.2f}%"
    return label(value, lang)


def render_message(template: Localized, values: dict[str, Any]) -> Localized:
    """Fill the zh and en templates with the finding's values."""
    return Localized(
        zh=_MessageFormatter("zh", values).format(template.zh, **values),
        en=_MessageFormatter("en", values).format(template.en, **values),
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
    if status == "needs_review":
        # A fact the filing states in ways that disagree: quote both sides for the reviewer.
        for p in spec.referenced_facts():
            for e in facts.disputed.get(p, []):
                if (e.page, e.quote) not in seen:
                    seen.add((e.page, e.quote))
                    out.insert(0, e)
    return out[:MAX_EVIDENCE]


@functools.cache
def _format_citations() -> dict[str, Citation]:
    with (templates_dir() / "messages.yaml").open(encoding="utf-8") as fh:
        raw = (safe_load(fh) or {}).get("format_citation", {})
    return {k: Citation(**v, format=k, confirmed=True) for k, v in raw.items()}


def citations_for(spec: RuleSpec, facts: FactSet) -> list[Citation]:
    """The rule's citations for this filing: only the prospectus format standard the filing follows
    (Std 41 or Std 57, design.md section 6a), which every finding on a prospectus cites."""
    layout = facts.value("document.layout")
    if layout not in ("std41", "std57"):
        return list(spec.citations)
    out = [c for c in spec.citations if c.format in (None, layout)]
    if facts.value("document.kind") in ("prospectus", "preliminary_prospectus") and not any(c.format == layout for c in out):
        out.append(_format_citations()[layout])
    return out or list(spec.citations)


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
    if status == "fail" and "{unmet" in spec.messages.fail.zh + spec.messages.fail.en:
        from checker.engine.reference import unmet_facts

        values["unmet"] = unmet_facts(spec, facts)
        values["unmet_values"] = {p: _json_value(facts.value(p)) for p in values["unmet"]}
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
        citation=citations_for(spec, facts),
        evidence=_evidence(spec, facts, status),
        values=values,
        family=spec.family,
    )
    finding.fingerprint = finding.compute_fingerprint()
    return finding


SCOPE_RULE = "STAR-DOC-001"  # the rule that says what a document is; every other rule is STAR-only


@functools.cache
def _ui() -> dict[str, Any]:
    with (templates_dir() / "messages.yaml").open(encoding="utf-8") as fh:
        return (safe_load(fh) or {}).get("engine", {})


def _ui_text(key: str, **values: Any) -> Localized:
    entry = _ui()[key]
    return Localized(zh=entry["zh"].format(**values.get("zh", values)), en=entry["en"].format(**values.get("en", values)))


def _gated(spec: RuleSpec, message: Localized, facts: FactSet, paths: list[str]) -> Finding:
    """A not_applicable finding decided before the rule's own conditions, with the facts that decide it."""
    evidence: list[Evidence] = []
    for p in paths:
        f = facts.get(p)
        for e in f.evidence if f else []:
            if all((e.page, e.quote) != (o.page, o.quote) for o in evidence):
                evidence.append(e)
    finding = Finding(rule_id=spec.id, status=Status.NOT_APPLICABLE, severity=Severity(spec.severity), title=spec.title,
                      message=message, citation=citations_for(spec, facts), evidence=evidence[:MAX_EVIDENCE], values={}, family=spec.family)
    finding.fingerprint = finding.compute_fingerprint()
    return finding


def _window(spec: RuleSpec, lang: str) -> str:
    a = spec.effective_from.isoformat() if spec.effective_from else "—"
    b = spec.effective_to.isoformat() if spec.effective_to else ""
    return f"{a} – {b}" if b else f"{a} {_ui()['window_open'][lang]}"


def scope_of(facts: FactSet) -> str:
    """star (STAR rules apply), other (not a STAR filing) or unknown (could not be established)."""
    board, kind = facts.value("document.board"), facts.value("document.kind")
    if facts.get("document.board") is None or board == "unknown":
        return "unknown"
    if board != "star" or kind == "other":
        return "other"
    return "star"


def evaluate(specs: list[RuleSpec], facts: FactSet, *, engine: str = "durable", as_of: date | None = None) -> list[Finding]:
    """Findings of every rule for one filing, in rule-id order.

    Decided before a rule's own conditions, never dropped: a rule not in force on the filing's date is
    not_applicable saying so; on a document that is not a STAR filing (or whose board could not be
    established) every rule but STAR-DOC-001 is not_applicable, so no STAR requirement is ever
    reported as met on it (design.md section 3).
    """
    scope = scope_of(facts)
    run: list[RuleSpec] = []
    gated: dict[str, Finding] = {}
    for s in specs:
        if s.id != SCOPE_RULE and scope != "star":
            if scope == "other":
                msg = _ui_text("out_of_scope", zh={"board": label(facts.value("document.board"), "zh"),
                                                   "kind": label(facts.value("document.kind"), "zh")},
                               en={"board": label(facts.value("document.board"), "en"),
                                   "kind": label(facts.value("document.kind"), "en")})
            else:
                msg = _ui_text("scope_unknown")
            gated[s.id] = _gated(s, msg, facts, ["document.board", "document.kind"])
        elif as_of is not None and not s.in_force(as_of):
            gated[s.id] = _gated(s, _ui_text("not_in_force", zh={"as_of": as_of.isoformat(), "window": _window(s, "zh")},
                                             en={"as_of": as_of.isoformat(), "window": _window(s, "en")}),
                                 facts, ["document.date"])
        else:
            run.append(s)
    if engine == "durable":
        # One registered ruleset for the whole pack (compiled once per process and cached), the
        # rules that run selected per filing: a rule whose record is not asserted never fires.
        outcomes = DurableEngine(specs).evaluate(facts, only=run) if run else {}
    else:
        outcomes = {s.id: reference_outcome(s, facts) for s in run}
    out = [make_finding(s, outcomes[s.id], facts) for s in run]
    return sorted(out + list(gated.values()), key=lambda f: f.rule_id)
