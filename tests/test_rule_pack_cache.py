"""The rule pack cache (checker/engine/pack.py): the same validated rules and compiled engine rules as
a fresh load, never a stale or tampered pack."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from checker.engine import durable_engine, pack, seeds
from checker.errors import RuleFileError
from checker.resources import rules_dir
from checker.ruleset import loader


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("STARCHECK_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache" / "rules"


def _count_loads(monkeypatch) -> list[int]:
    calls: list[int] = []
    real = loader.load_rules

    def counted(*a, **k):  # type: ignore[no-untyped-def]
        calls.append(1)
        return real(*a, **k)

    monkeypatch.setattr(pack, "load_rules", counted)
    return calls


def test_second_load_reads_the_pack_and_it_equals_a_fresh_load(cache, monkeypatch):
    calls = _count_loads(monkeypatch)
    first = pack.load_pack()
    assert len(calls) == 1 and len(_specs_entries(cache)) == 1
    assert len(list(cache.glob("*-compiled.json"))) == 1
    second = pack.load_pack()
    assert len(calls) == 1, "the second load was served by the cache"
    fresh = loader.load_rules()
    assert second == fresh == first
    # the compiled rules the cache seeds are the ones the engine looks up, and what it would compile
    monkeypatch.setattr(durable_engine, "_COMPILED", {})
    monkeypatch.setattr(seeds, "SEEDED", [])
    third = pack.load_pack()
    real_compile = durable_engine.compile_rule
    monkeypatch.setattr(durable_engine, "compile_rule", lambda spec: pytest.fail(f"{spec.id} compiled again"))
    for spec in third:
        if spec.status != "removed":
            key = durable_engine.spec_key(spec)
            assert key == durable_engine.spec_key(next(s for s in fresh if s.id == spec.id))
            assert durable_engine.compiled(spec) == real_compile(spec)


def test_parameters_are_part_of_the_key(cache, monkeypatch):
    calls = _count_loads(monkeypatch)
    pack.load_pack()
    spec = next(s for s in loader.load_rules() if s.params)
    name, default = next(iter(spec.params.items()))
    if isinstance(default, bool):
        value = not default
    elif isinstance(default, (int, float)):
        value = default + 1
    else:
        pytest.skip("no numeric or boolean parameter")
    changed = pack.load_pack({spec.id: {name: value}})
    assert len(calls) == 2
    assert next(s for s in changed if s.id == spec.id).params[name] == value


def _specs_entries(cache: Path) -> list[Path]:
    return [p for p in cache.glob("*.json") if not p.name.endswith("-compiled.json")]


def test_a_tampered_or_truncated_entry_is_rebuilt_not_served(cache, monkeypatch):
    pack.load_pack()
    entry = _specs_entries(cache)[0]
    data = json.loads(entry.read_text(encoding="utf-8"))
    body = json.loads(data["payload"])
    body["specs"][0]["severity"] = "info" if body["specs"][0]["severity"] != "info" else "error"
    data["payload"] = json.dumps(body, ensure_ascii=False)  # payload hash no longer matches
    entry.write_text(json.dumps(data), encoding="utf-8")
    calls = _count_loads(monkeypatch)
    assert pack.load_pack() == loader.load_rules()
    assert len(calls) == 1
    entry.write_text(entry.read_text(encoding="utf-8")[:100], encoding="utf-8")
    assert pack.load_pack() == loader.load_rules()
    assert len(calls) == 2


def test_a_changed_rule_file_is_a_new_key(tmp_path, cache, monkeypatch):
    root = tmp_path / "rules"
    shutil.copytree(rules_dir(), root)
    monkeypatch.setattr(pack, "rule_files", lambda: loader.rule_files(root))
    monkeypatch.setattr(pack, "load_rules", lambda params=None: loader.load_rules(root, params))
    before = pack.pack_key()
    target = next(root.rglob("STAR-LS-001.yaml"))
    text = target.read_text(encoding="utf-8")
    target.write_text(text.replace("severity: error", "severity: warning", 1), encoding="utf-8")
    assert pack.pack_key() != before
    assert next(s for s in pack.load_pack() if s.id == "STAR-LS-001").severity == "warning"


def test_a_bad_rule_file_is_an_error_and_nothing_is_cached(tmp_path, cache, monkeypatch):
    root = tmp_path / "rules"
    shutil.copytree(rules_dir(), root)
    monkeypatch.setattr(pack, "rule_files", lambda: loader.rule_files(root))
    monkeypatch.setattr(pack, "load_rules", lambda params=None: loader.load_rules(root, params))
    target = next(root.rglob("STAR-LS-001.yaml"))
    target.write_text(target.read_text(encoding="utf-8") + "\nno_such_field: 1\n", encoding="utf-8")
    with pytest.raises(RuleFileError):
        pack.load_pack()
    assert not list(cache.glob("*.json"))


def test_an_unwritable_cache_folder_only_costs_time(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("STARCHECK_CACHE_DIR", str(blocker))  # a file: nothing can be made under it
    assert pack.load_pack() == loader.load_rules()


# ------------------------------------------------------------------ the findings cache


def _check(path: Path, specs, **kw):  # type: ignore[no-untyped-def]
    from checker.pipeline import CheckOptions, check_file
    from checker.ruleset.loader import ruleset_hash

    return check_file(path, specs, CheckOptions(ruleset_sha=ruleset_hash(specs), **kw))


@pytest.fixture
def filing(tmp_path) -> Path:
    p = tmp_path / "f.txt"
    p.write_text("上海示例科技股份有限公司\n首次公开发行股票并在科创板上市招股说明书\n\f"
                 "第一节 释义\n本招股说明书中，除非文义另有所指，下列简称具有如下含义。\n\f"
                 "第二节 概览\n发行人选择的具体上市标准\n公司选择《上海证券交易所科创板股票上市规则》"
                 "第2.1.2条第一款第（四）项上市标准。\n", encoding="utf-8")
    return p


def test_findings_are_served_again_without_the_engine(cache, filing, monkeypatch):
    from checker.engine import run as engine_run

    specs = loader.load_rules()
    first = _check(filing, specs)
    assert list((cache.parent / "findings").glob("*.json"))
    calls: list[int] = []
    real = engine_run.evaluate
    monkeypatch.setattr(engine_run, "evaluate", lambda *a, **k: calls.append(1) or real(*a, **k))
    second = _check(filing, specs)
    assert not calls, "the rule engine ran again"
    assert second.findings == first.findings
    # what is served is what the engine gives
    fresh = _check(filing, specs, use_cache=False)
    assert fresh.findings == second.findings


def test_other_rules_date_or_facts_are_other_keys(cache, filing, monkeypatch):
    from datetime import date

    from checker.engine import run as engine_run

    specs = loader.load_rules()
    _check(filing, specs)
    calls: list[int] = []
    real = engine_run.evaluate
    monkeypatch.setattr(engine_run, "evaluate", lambda *a, **k: calls.append(1) or real(*a, **k))
    fewer = [s for s in specs if s.family != "DS"]
    assert {f.rule_id for f in _check(filing, fewer).findings} == {s.id for s in fewer}
    _check(filing, specs, as_of=date(2020, 1, 1))
    filing.write_text(filing.read_text(encoding="utf-8").replace("（四）", "（一）"), encoding="utf-8")
    _check(filing, specs)
    assert len(calls) == 3


def test_a_tampered_findings_entry_is_not_served(cache, filing):
    specs = loader.load_rules()
    first = _check(filing, specs)
    entry = next((cache.parent / "findings").glob("*.json"))
    data = json.loads(entry.read_text(encoding="utf-8"))
    body = json.loads(data["payload"])
    body[0]["status"] = "pass" if body[0]["status"] != "pass" else "fail"
    data["payload"] = json.dumps(body, ensure_ascii=False)
    entry.write_text(json.dumps(data), encoding="utf-8")
    assert _check(filing, specs).findings == first.findings


def test_the_compiled_rules_are_read_only_when_a_rule_runs(cache, monkeypatch):
    """Reading the pack reads the specs alone (a cache-served run runs no rule); a damaged entry of
    compiled rules only means the engine compiles them itself."""
    pack.load_pack()
    compiled_entry = next(cache.glob("*-compiled.json"))
    monkeypatch.setattr(durable_engine, "_COMPILED", {})
    monkeypatch.setattr(seeds, "SEEDED", [])
    reads: list[str] = []
    from checker import cache as cache_module

    real = cache_module.read_keyed
    monkeypatch.setattr(cache_module, "read_keyed",
                        lambda folder, key, fmt: reads.append(key) or real(folder, key, fmt))
    specs = pack.load_pack()
    assert not any(k.endswith("-compiled") for k in reads), "the compiled rules were read with the specs"
    spec = next(s for s in specs if s.status != "removed")
    assert durable_engine.compiled(spec) == durable_engine.compile_rule(spec)
    assert any(k.endswith("-compiled") for k in reads)
    compiled_entry.write_text("{not json", encoding="utf-8")
    monkeypatch.setattr(durable_engine, "_COMPILED", {})
    monkeypatch.setattr(seeds, "SEEDED", [])
    specs = pack.load_pack()
    assert durable_engine.compiled(spec) == durable_engine.compile_rule(spec)
