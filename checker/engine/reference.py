"""A pure-Python three-valued evaluator of rule conditions.

It is the specification the durable-rules compilation must agree with (tests compare the two on
every rule case), and a fallback should the C extension ever be unavailable.
Truth values: True, False, None (unknown: a fact the condition needs is missing).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from checker.engine.record import Outcome, build_record, key_map
from checker.facts.model import FactSet
from checker.ruleset.spec import Condition, RuleSpec


def _num(x: Any) -> Any:
    if isinstance(x, bool):
        return x
    if isinstance(x, (int, float)):
        return Decimal(str(x))
    return x


def _compare(op: str, a: Any, b: Any) -> bool:
    a, b = _num(a), _num(b)
    if op == "eq":
        return bool(a == b)
    if op == "ne":
        return bool(a != b)
    if op == "in":
        return any(a == _num(x) for x in b)
    if op == "not_in":
        return all(a != _num(x) for x in b)
    try:
        if op == "lt":
            return bool(a < b)
        if op == "lte":
            return bool(a <= b)
        if op == "gt":
            return bool(a > b)
        if op == "gte":
            return bool(a >= b)
    except TypeError:
        return False
    raise ValueError(op)


def evaluate(cond: Condition, rec: dict[str, Any], keys: dict[str, int]) -> bool | None:
    """Kleene three-valued evaluation of cond over a rule record."""
    if cond.all is not None:
        vals = [evaluate(c, rec, keys) for c in cond.all]
        if False in vals:
            return False
        return None if None in vals else True
    if cond.any is not None:
        vals = [evaluate(c, rec, keys) for c in cond.any]
        if True in vals:
            return True
        return None if None in vals else False
    if cond.not_ is not None:
        v = evaluate(cond.not_, rec, keys)
        return None if v is None else not v
    i = keys[cond.fact]  # type: ignore[index]
    present = rec[f"p{i}"]
    if cond.op == "exists":
        return bool(present)
    if cond.op == "missing":
        return not present
    if not present:
        return None
    if rec.get(f"n{i}"):  # an established null equals nothing; ordering on it is unknown
        if cond.op in ("eq", "in"):
            return False
        if cond.op in ("ne", "not_in"):
            return True
        return None
    # Engine values are floats for money; compare as the engine sees them, but exactly.
    return _compare(cond.op, rec[f"v{i}"], cond.value)  # type: ignore[arg-type]


def outcome(spec: RuleSpec, facts: FactSet) -> Outcome:
    """Which outcome rules would fire for spec over facts."""
    rec = build_record(spec, facts)
    keys = key_map(spec)
    fired: set[str] = set()
    applies = True if spec.applies_when is None else evaluate(spec.applies_when, rec, keys)
    if applies is False:
        fired.add("na")
    if applies is True:
        if spec.review_when is not None and evaluate(spec.review_when, rec, keys) is True:
            fired.add("review")
        chk = evaluate(spec.check, rec, keys)
        if chk is True:
            fired.add("pass")
        elif chk is False:
            fired.add("fail")
    for n, sw in enumerate(spec.severity_when):
        if evaluate(sw.when, rec, keys) is True:
            fired.add(f"sev{n}")
    return Outcome(fired)


def unmet_facts(spec: RuleSpec, facts: FactSet) -> list[str]:
    """The fact paths of the check's leaf conditions that are established and false: what a fail
    message names ("the sponsor's declaration"), instead of every condition with yes / no."""
    rec = build_record(spec, facts)
    keys = key_map(spec)
    out: list[str] = []

    def walk(cond: Condition, in_any: bool) -> None:
        if evaluate(cond, rec, keys) is not False:
            return  # only what makes the check false
        for sub_cond in cond.all or []:
            walk(sub_cond, False)
        for sub_cond in cond.any or []:
            walk(sub_cond, True)
        # "claimed ne X or (conditions of X)": the guard of an implication is not a condition
        guard = in_any and cond.op in ("ne", "not_in")
        if cond.fact is not None and cond.not_ is None and not guard and cond.fact not in out:
            out.append(cond.fact)

    walk(spec.check, False)
    return out
