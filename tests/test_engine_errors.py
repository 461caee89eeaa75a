"""The engine never turns its own failure into a pass (notes/engines.md pitfalls 3, 7, 8)."""

from __future__ import annotations

from pathlib import Path

import pytest

import checker.engine.durable_engine as de
from checker.engine.durable_engine import DurableEngine
from checker.errors import EngineError
from checker.facts.model import Evidence, Fact, FactSet
from checker.outputs import safe_stem, write_outputs
from checker.pipeline import CheckOptions, check_file
from checker.ruleset.loader import load_rules

SPECS = load_rules()


def _facts() -> FactSet:
    fs = FactSet()
    for path, value in {"document.kind": "prospectus", "document.board": "star"}.items():
        fs.add(Fact(path=path, value=value, evidence=[Evidence(page=1, quote=value)]))
    return fs


def test_exception_inside_an_action_is_an_engine_error_not_a_pass(monkeypatch):
    """durable-rules swallows exceptions raised in actions; the adapter must surface them."""

    class Exploding(dict):
        def setdefault(self, *a, **k):  # the action's only call: make it fail inside durable-rules
            raise RuntimeError("boom inside the action")

    # Actions capture the host's sink when a ruleset is registered: patch first, then register a
    # ruleset no other test registers (a pack subset of its own).
    monkeypatch.setattr(de._host(), "_sink", Exploding())
    pair = [s for s in SPECS if s.id in ("STAR-DOC-001", "STAR-LS-001")]  # both fire on _facts()
    engine = DurableEngine(pair)
    with pytest.raises(EngineError, match="action failed"):
        engine.evaluate(_facts())


def test_state_is_deleted_after_each_filing():
    engine = DurableEngine(SPECS)
    for _ in range(3):
        engine.evaluate(_facts())
    assert de._SINK == {}  # nothing left behind per filing


def test_engine_failure_makes_the_filing_an_error_not_a_pass(monkeypatch, tmp_path):
    def broken(self, facts, only=None):
        raise EngineError("rule engine failed on STAR-LS-001: simulated")

    monkeypatch.setattr(DurableEngine, "evaluate", broken)
    f = tmp_path / "f.txt"
    f.write_text("上海示例科技股份有限公司\n首次公开发行股票并在科创板上市招股说明书\n", encoding="utf-8")
    r = check_file(f, SPECS, CheckOptions(use_cache=False))
    assert r.status == "error" and r.error.code == "engine_error" and r.findings == []


def test_output_names_from_filing_names_cannot_escape_the_output_dir(tmp_path):
    from checker.findings import CheckReport, DocumentResult, Ruleset, Tool

    evil = ["../../../etc/passwd.pdf", "/abs/path/x.pdf", "..\\..\\win.pdf", "a/../../b.pdf", "....pdf", "<script>.pdf"]
    report = CheckReport(tool=Tool(version="0"), ruleset=Ruleset(version="0", sha256="0" * 64, as_of="2025-01-01"),
                         generated_at="2025-01-01T00:00:00Z",
                         documents=[DocumentResult(path=p, sha256=f"{i:064x}", status="checked") for i, p in enumerate(evil)])
    out = tmp_path / "out"
    written = write_outputs(report, ["html", "json"], out, lang="en", rules={})
    for w in written:
        assert out.resolve() in w.resolve().parents
    assert len({safe_stem(p, f"{i:064x}") for i, p in enumerate(evil)}) == len(evil)  # no collisions
    assert all("/" not in safe_stem(p, "") and "\\" not in safe_stem(p, "") for p in evil)
    assert sorted(p.name for p in out.iterdir())[0] != ".."


def test_a_filing_whose_records_match_no_rule_does_not_crash_the_process():
    """durable-rules segfaults deleting a session whose facts were all unhandled: the adapter's
    document-complete sentinel guarantees a handled fact (run in a child so a crash fails the test)."""
    import subprocess
    import sys

    code = (
        "from checker.engine.durable_engine import DurableEngine\n"
        "from checker.facts.model import FactSet\n"
        "from checker.ruleset.loader import load_rules\n"
        "spec = [s for s in load_rules() if s.id == 'STAR-LS-002']\n"
        "out = DurableEngine(spec).evaluate(FactSet())\n"
        "assert out['STAR-LS-002'].status() == 'needs_review'\n"
        "print('ok')\n"
    )
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=Path(__file__).resolve().parents[1], timeout=120)
    assert res.returncode == 0 and res.stdout.strip() == "ok", (res.returncode, res.stderr[-500:])
