"""Accuracy harness (checker/accuracy.py) against hand-labelled ground truth in tests/groundtruth/."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from checker.accuracy import DEFAULT_LABELS, REALDATA, compare, evaluate, format_report

_real: dict = {}


def _real_report():
    if "r" not in _real:
        _real["r"] = evaluate(DEFAULT_LABELS, generated=False)
    return _real["r"]


@pytest.mark.skipif(not REALDATA.exists(), reason="real data not available")
def test_real_documents_accuracy_and_nothing_invented():
    rep = _real_report()
    assert not rep.errors, rep.errors
    # 26 real documents: 13 STAR prospectuses, 11 non-STAR prospectuses, 2 annual reports
    assert len(rep.real_documents) == 26 and len(rep.real) >= 500
    # Every labelled fact (the key facts and the rosters of directors, officers, holders of 5%);
    # the key facts alone are held to 95% by tests/test_real_filings.py.
    assert rep.real_accuracy >= 0.92, format_report(rep)
    assert rep.invented == [], [(r.document, r.path, r.found) for r in rep.invented]
    absent = [r for r in rep.real if r.absent]
    assert len(absent) >= 10  # absent labels are actually exercised


def test_generated_fixtures_accuracy(tmp_path):
    pytest.importorskip("tests.fixtures.prospectus_gen")
    (tmp_path / "g.yaml").write_text("generated: [profitable_std1, english_std1]\n", encoding="utf-8")
    rep = evaluate(tmp_path)
    assert not rep.errors
    assert rep.generated_accuracy >= 0.9, format_report(rep)
    assert rep.invented == []


def test_compare_rules():
    assert compare("absent", None, False)[0] == 1.0
    assert compare("absent", "x", True)[0] == 0.0
    assert compare({"value": None}, None, True)[0] == 1.0
    assert compare({"value": None}, None, False)[0] == 0.0
    assert compare({"value": 819849200, "precision": 100}, Decimal("819849240"), True)[0] == 1.0
    assert compare({"value": 819849200, "precision": 100}, Decimal("819849300"), True)[0] == 0.0
    assert compare({"value": "天健会计师事务所(特殊普通合伙)"}, "天健会计师事务所（特殊普通合伙）", True)[0] == 1.0
    assert compare({"value": "中国铁路通信信号集团有限公司|通号集团"}, "通号集团", True)[0] == 1.0
    score, note = compare({"value": ["甲", "乙", "丙"]}, ["甲", "乙", "丁"], True)
    assert score == pytest.approx(2 / 4) and "1 extra" in note
    assert compare({"contains": "C38"}, "C制造业/C38电气机械和器材制造业", True)[0] == 1.0


def test_labels_cite_pages():
    import yaml

    for f in Path(DEFAULT_LABELS).glob("*.yaml"):
        data = yaml.safe_load(f.read_text(encoding="utf-8"))
        for path, label in data.get("facts", {}).items():
            assert label == "absent" or isinstance(label.get("page"), int), (f.name, path)
