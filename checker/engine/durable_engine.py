"""Compile RuleSpecs into one durable-rules ruleset and evaluate filings with it.

Pitfalls handled (shared notes/engines.md):
- facts are asserted, never posted (events are consumed by the first matching rule);
- every rule's record is built after extraction is complete, with explicit presence flags, so an
  absence is a fact of its own and nothing fires eagerly on partial data (no `none()` needed);
- actions only record which outcome rule fired; anything raised inside durable-rules' action wrapper
  is swallowed by the engine, so the session state's `exception` is checked after every filing and
  turned into an EngineError (a tool error, never a pass);
- one Host per process with its background dispatch threads disabled (the Python layer has no locks),
  rulesets registered once per (ruleset hash) and each filing isolated by its own sid, whose state is
  deleted afterwards (sessions otherwise accumulate until the engine fails);
- numbers are compared as doubles only; money arithmetic happens in Python Decimal beforehand.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from typing import Any

from durable import engine as durable_engine

from checker.engine import seeds
from checker.engine.record import Outcome, build_record, key_map
from checker.engine.seeds import seed_compiled
from checker.errors import EngineError, RuleFileError
from checker.facts.model import FactSet
from checker.ruleset.spec import Condition, RuleSpec

_INVERSE = {"lt": "gte", "gte": "lt", "gt": "lte", "lte": "gt", "eq": "ne", "ne": "eq",
            "in": "not_in", "not_in": "in", "exists": "missing", "missing": "exists"}
_DURABLE_OP = {"lt": "$lt", "lte": "$lte", "gt": "$gt", "gte": "$gte", "ne": "$neq"}


# durable-rules expands nested $and/$or internally and fails with ERR_EXPRESSION_LIMIT_EXCEEDED
# (113) once a node's expression sequence reaches MAX_SEQUENCE_EXPRESSIONS (32). So conditions are
# put in disjunctive normal form here and every conjunct becomes its own flat durable rule with the
# same action: the engine only ever sees short $and lists of simple comparisons.
MAX_CONJUNCT = 24

Conj = list[dict[str, Any]]
DNF = list[Conj]


def _simplify(conj: Conj) -> Conj | None:
    """A conjunct without repeats and without comparisons its equalities already decide; None when
    it can never match (v == a and v == b, v == a and v != a, p true and p false)."""
    eq: dict[str, Any] = {}
    flags: dict[str, Any] = {}
    for c in conj:
        (k, v), = c.items()
        if k.startswith("$"):
            continue
        if k[0] in "pn":
            if flags.get(k, v) != v:
                return None
            flags[k] = v
        else:
            if k in eq and eq[k] != v:
                return None
            eq[k] = v
    out: Conj = []
    seen: set[str] = set()
    for c in conj:
        (k, v), = c.items()
        if k == "$neq":
            (key, val), = v.items()
            if key in eq:
                if eq[key] == val:
                    return None
                continue  # implied by the equality
        sig = repr(c)
        if sig not in seen:
            seen.add(sig)
            out.append(c)
    return out


def _minimal(dnf: DNF) -> DNF:
    """Drop conjuncts that another conjunct subsumes (a superset of constraints matches less)."""
    sets = [frozenset(repr(c) for c in conj) for conj in dnf]
    keep: DNF = []
    kept: list[frozenset[str]] = []
    for i in sorted(range(len(dnf)), key=lambda i: len(sets[i])):
        if any(k <= sets[i] for k in kept):
            continue
        kept.append(sets[i])
        keep.append(dnf[i])
    return keep


def _product(parts: list[DNF]) -> DNF:
    out: DNF = [[]]
    for dnf in parts:
        nxt = []
        for a in out:
            for b in dnf:
                c = _simplify(a + b)
                if c is not None:
                    nxt.append(c)
        out = _minimal(nxt)
    return out


def _leaf(key: int, op: str, value: Any) -> DNF:
    p, v, n = f"p{key}", f"v{key}", f"n{key}"
    if op == "exists":
        return [[{p: True}]]
    if op == "missing":
        return [[{p: False}]]
    if op == "eq":
        return [[{p: True}, {v: value}]]
    if op == "in":
        return [[{p: True}, {v: x}] for x in value]
    # An absent field never matches $neq, so an established null (n=True, no v) needs its own conjunct.
    if op == "ne":
        return [[{p: True}, {"$neq": {v: value}}], [{p: True}, {n: True}]]
    if op == "not_in":
        return [[{p: True}] + [{"$neq": {v: x}} for x in value], [{p: True}, {n: True}]]
    return [[{p: True}, {_DURABLE_OP[op]: {v: value}}]]


def truth(cond: Condition, keys: dict[str, int], want: bool) -> DNF:
    """Conjuncts (DNF) whose any match means cond is definitely `want` (True or False)."""
    if cond.all is not None or cond.any is not None:
        subs = [truth(c, keys, want) for c in (cond.all if cond.all is not None else cond.any)]  # type: ignore[union-attr]
        conjunctive = (cond.all is not None) == want
        return _product(subs) if conjunctive else [c for d in subs for c in d]
    if cond.not_ is not None:
        return truth(cond.not_, keys, not want)
    op = cond.op if want else _INVERSE[cond.op]  # type: ignore[index]
    return _leaf(keys[cond.fact], op, cond.value)  # type: ignore[index, arg-type]


def compile_rule(spec: RuleSpec) -> dict[str, dict[str, Any]]:
    """The durable-rules JSON rules (name -> definition) of one RuleSpec."""
    keys = key_map(spec)
    applies: DNF = [[]] if spec.applies_when is None else truth(spec.applies_when, keys, True)
    out: dict[str, dict[str, Any]] = {}

    def add(suffix: str, dnf: DNF) -> None:
        seen: set[str] = set()
        for n, conj in enumerate(dnf):
            sig = repr(conj)
            if sig in seen:
                continue
            seen.add(sig)
            if len(conj) > MAX_CONJUNCT:
                raise RuleFileError(
                    f"{spec.source_file}: rule {spec.id} ({suffix}) needs {len(conj)} comparisons in one "
                    f"conjunct; the engine allows {MAX_CONJUNCT}: split the condition into smaller rules"
                )
            name = f"{spec.id}|{suffix}#{n}"
            out[name] = {"all": [{"m": {"$and": [{"rule": spec.id}, *conj]}}], "run": f"{spec.id}|{suffix}"}

    if spec.applies_when is not None:
        add("na", truth(spec.applies_when, keys, False))
    if spec.review_when is not None:
        add("review", _product([applies, truth(spec.review_when, keys, True)]))
    add("pass", _product([applies, truth(spec.check, keys, True)]))
    add("fail", _product([applies, truth(spec.check, keys, False)]))
    for n, sw in enumerate(spec.severity_when):
        add(f"sev{n}", truth(sw.when, keys, True))
    return out


class _Host(durable_engine.Host):
    """A Host that runs actions synchronously and starts no background threads."""

    def __init__(self, sink: dict[str, set[str]]) -> None:
        self._sink = sink
        super().__init__()

    def _run(self) -> None:  # NOTE: no dispatch/timer threads; we never use timers or queues.
        return

    def get_action(self, action_name: str) -> Any:
        sink = self._sink

        if action_name == COMPLETE:
            return lambda c: None

        def action(c: Any) -> None:
            sink.setdefault(c.m.sid, set()).add(action_name)

        return action


COMPLETE = "__document_complete__"
_HOST: _Host | None = None
_SINK: dict[str, set[str]] = {}
_REGISTERED: set[str] = set()


def _host() -> _Host:
    global _HOST
    if _HOST is None:
        _HOST = _Host(_SINK)
    return _HOST


# The registered ruleset of a list of specs, by a key over the specs' content: a process (a batch
# worker, a benchmark loop) compiles and registers a pack once, not once per filing. _NAMES maps the
# key to the registered ruleset's name. _COMPILED holds each spec's durable rules by the spec's own
# content key; the rule pack cache (checker/engine/pack.py) stores and seeds it, so a run whose pack
# is cached does not compile the rules again.
_NAMES: dict[str, str] = {}
_COMPILED: dict[str, dict[str, dict[str, Any]]] = {}


def spec_key(spec: RuleSpec) -> str:
    """A key over everything in a spec that its compiled durable rules depend on."""
    return hashlib.sha256(spec.model_dump_json().encode()).hexdigest()


def compiled(spec: RuleSpec, key: str | None = None) -> dict[str, dict[str, Any]]:
    """compile_rule(spec), once per spec content."""
    key = key or spec_key(spec)
    rules = _COMPILED.get(key)
    if rules is None and seeds.SEEDED:
        _parse_seeded()
        rules = _COMPILED.get(key)
    if rules is None:
        rules = _COMPILED[key] = compile_rule(spec)
    return rules


def _parse_seeded() -> None:
    while seeds.SEEDED:  # compiled rules from the pack cache (checker/engine/seeds.py)
        seeded = seeds.SEEDED.pop()
        try:
            entries = json.loads(seeded) if isinstance(seeded, str) else seeded()
        except (ValueError, RecursionError):
            continue  # then compiled here
        if isinstance(entries, dict):
            _COMPILED.update((k, v) for k, v in entries.items() if isinstance(v, dict))


def _registered_name(specs: list[RuleSpec]) -> str:
    """The name of the durable ruleset of specs, compiled and registered with the host once."""
    keys = [spec_key(s) for s in specs]
    key = hashlib.sha256("\0".join(keys).encode()).hexdigest()
    name = _NAMES.get(key)
    if name is None:
        definition: dict[str, dict[str, Any]] = {COMPLETE: {"all": [{"m": {"rule": COMPLETE}}], "run": COMPLETE}}
        for s, k in zip(specs, keys, strict=True):
            # a copy of each rule: durable's Ruleset deletes the "run" entry of what it is given
            definition.update({n: dict(r) for n, r in compiled(s, k).items()})
        digest = hashlib.sha256(repr(sorted(definition.items())).encode()).hexdigest()[:16]
        name = f"starcheck_{digest}"
        if name not in _REGISTERED:
            _host().set_rulesets({name: definition})
            _REGISTERED.add(name)
        _NAMES[key] = name
    return name


class DurableEngine:
    """Evaluates a fixed list of RuleSpecs with durable-rules."""

    def __init__(self, specs: list[RuleSpec]) -> None:
        self.specs = specs
        self.name = _registered_name(specs)

    def evaluate(self, facts: FactSet, only: list[RuleSpec] | None = None) -> dict[str, Outcome]:
        """Outcomes per rule id for one filing."""
        host = _host()
        sid = uuid.uuid4().hex
        results: dict[str, Outcome] = {}
        try:
            for spec in only or self.specs:
                rec = build_record(spec, facts)
                rec.update({"sid": sid, "id": f"{spec.id}"})
                try:
                    host.assert_fact(self.name, rec)
                except durable_engine.MessageNotHandledException:
                    pass  # no outcome rule matched: resolved as needs_review below
                except Exception as e:  # noqa: BLE001 - the C extension raises bare Exceptions
                    raise EngineError(f"rule engine failed on {spec.id}: {e}") from e
            # The "document complete" fact: every rule record is in, and a rule always handles this
            # one, so the filing's session state exists. (durable-rules segfaults in delete_state for
            # a sid whose asserted facts all went unhandled, e.g. one selected rule with no facts.)
            host.assert_fact(self.name, {"rule": COMPLETE, "sid": sid, "id": COMPLETE})
            state = host.get_state(self.name, sid)
            if state.get("exception"):
                raise EngineError(f"rule engine action failed: {state['exception']}")
            fired = _SINK.pop(sid, set())
        finally:
            _SINK.pop(sid, None)
            try:
                host.delete_state(self.name, sid)
            except Exception:  # noqa: BLE001 - nothing was asserted for this sid
                pass
        for spec in only or self.specs:
            prefix = f"{spec.id}|"
            results[spec.id] = Outcome({f[len(prefix):] for f in fired if f.startswith(prefix)})
        return results


__all__ = ["DurableEngine", "compile_rule", "compiled", "key_map", "seed_compiled", "spec_key", "truth"]
