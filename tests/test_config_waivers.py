"""Config layering, waivers (reason required, expiry, unused), baseline and diff."""

from __future__ import annotations

import json
from datetime import date

import pytest

from checker.config import ConfigError, apply_selection, find_config, load_settings, rule_params
from checker.diff import diff_findings
from checker.facts.model import Evidence
from checker.findings import (CheckReport, Citation, DocumentResult, Finding, Localized, Ruleset,
                              Severity, Status, Tool)
from checker.ruleset.loader import load_rules
from checker.waivers import (WaiverError, apply_baseline, apply_waivers, baseline_fingerprints,
                             load_waivers)

SPECS = load_rules()


def _finding(rule_id: str, status: Status, page: int = 5) -> Finding:
    f = Finding(rule_id=rule_id, status=status, severity=Severity.ERROR, title=Localized(zh="t", en="t"),
                message=Localized(zh="消息", en="msg"),
                citation=[Citation(source="上市规则", article="2.1.2", version="2019")],
                evidence=[Evidence(page=page, quote=f"第{page}页的引文")])
    f.fingerprint = f.compute_fingerprint()
    return f


def _report(*findings: Finding) -> CheckReport:
    doc = DocumentResult(path="filings/示例科技-注册稿.pdf", sha256="ab" * 32, status="checked",
                         findings=list(findings))
    doc.summarise()
    return CheckReport(tool=Tool(version="0"), ruleset=Ruleset(version="0", sha256="0", as_of="2025-01-01"),
                       generated_at="2025-01-01T00:00:00Z", documents=[doc])


def test_config_from_pyproject_select_ignore_severity_params(tmp_path):
    (tmp_path / "pyproject.toml").write_text(
        '[tool.starcheck]\nselect = ["LS", "UNP"]\nignore = ["STAR-UNP-003"]\nfail_on = "warning"\n'
        'blacklists = ["lists/banned.csv"]\n[tool.starcheck.rules.STAR-LS-002]\nseverity = "warning"\n',
        encoding="utf-8")
    sub = tmp_path / "a" / "b"
    sub.mkdir(parents=True)
    path = find_config(sub)
    assert path == tmp_path / "pyproject.toml"
    s = load_settings(path)
    assert s.fail_on == "warning"
    assert s.blacklists == [tmp_path / "lists" / "banned.csv"]
    kept = apply_selection(SPECS, s)
    ids = {x.id for x in kept}
    want = {s.id for s in SPECS if s.family in ("LS", "UNP")} - {"STAR-UNP-003"}
    assert ids == want and "STAR-UNP-003" not in ids and "STAR-LS-001" in ids
    assert next(x for x in kept if x.id == "STAR-LS-002").severity == Severity.WARNING
    assert rule_params(s) == {}


def test_config_typo_is_an_error_naming_the_file(tmp_path):
    p = tmp_path / "starcheck.toml"
    p.write_text('select = ["LS"]\nfail_onn = "warning"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as e:
        load_settings(p)
    assert f"{p}:2" in e.value.message and "fail_onn" in e.value.message


def test_config_unknown_rule_is_an_error(tmp_path):
    p = tmp_path / "starcheck.toml"
    p.write_text('ignore = ["STAR-XX-001"]\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="unknown rule"):
        apply_selection(SPECS, load_settings(p))


def test_waivers_mark_waived_keep_reason_and_report_unused_and_expired(tmp_path):
    fail = _finding("STAR-UNP-001", Status.FAIL, page=7)
    review = _finding("STAR-LS-002", Status.NEEDS_REVIEW)
    ok = _finding("STAR-DOC-001", Status.PASS)
    report = _report(fail, review, ok)
    wf = tmp_path / "starcheck-waivers.yaml"
    wf.write_text(
        "waivers:\n"
        f"  - rule: STAR-UNP-001\n    match: {{fingerprint: {fail.fingerprint}}}\n"
        "    reason: 已在第3页以其他表述披露\n    approved_by: 张三\n    expires: 2030-01-01\n"
        "  - rule: STAR-LS-002\n    match: {page: 99}\n    reason: never matches\n"
        "  - rule: STAR-LS-002\n    match: {page: 5}\n    reason: expired one\n    expires: 2020-01-01\n",
        encoding="utf-8")
    waivers = load_waivers(wf)
    specs = {s.id: s for s in SPECS}
    result = apply_waivers(report, waivers, specs, date(2025, 1, 1))
    assert fail.status == Status.WAIVED and fail.waiver["reason"] == "已在第3页以其他表述披露"
    assert fail.waiver["original_status"] == "fail"
    assert review.status == Status.NEEDS_REVIEW  # only an expired waiver matched it
    assert ok.status == Status.PASS
    assert [w["line"] for w in result["unused"]] == [7]
    assert [w["reason"] for w in result["expired"]] == ["expired one"]
    assert report.documents[0].summary["waived"] == 1


def test_waiver_by_fact_path(tmp_path):
    f = _finding("STAR-UNP-002", Status.FAIL)
    report = _report(f)
    wf = tmp_path / "w.yaml"
    wf.write_text("waivers:\n  - rule: STAR-UNP-002\n    match: {fact_path: disclosure.unprofitability_risk_factor}\n"
                  "    reason: 风险因素第一项已覆盖\n", encoding="utf-8")
    apply_waivers(report, load_waivers(wf), {s.id: s for s in SPECS}, date(2025, 1, 1))
    assert f.status == Status.WAIVED


@pytest.mark.parametrize("body,needle", [
    ("waivers:\n  - rule: STAR-LS-001\n    match: {page: 3}\n", "reason"),
    ("waivers:\n  - rule: STAR-LS-001\n    match: {page: 3, fingerprint: x}\n    reason: two keys\n", "exactly one"),
    ("waivers: [\n", "cannot read"),
    ("- just a list\n", "'waivers' list"),
])
def test_bad_waiver_files_name_file_and_line(tmp_path, body, needle):
    wf = tmp_path / "bad.yaml"
    wf.write_text(body, encoding="utf-8")
    with pytest.raises(WaiverError) as e:
        load_waivers(wf)
    assert str(wf) in e.value.message and needle in e.value.message


def test_baseline_flags_known_failures_only(tmp_path):
    old_fail = _finding("STAR-LS-001", Status.FAIL)
    prev = tmp_path / "prev.json"
    prev.write_text(_report(old_fail).model_dump_json(), encoding="utf-8")
    same = _finding("STAR-LS-001", Status.FAIL)
    new = _finding("STAR-UNP-001", Status.FAIL)
    report = _report(same, new)
    assert apply_baseline(report, baseline_fingerprints(prev)) == 1
    assert same.baselined and not new.baselined


def test_diff_fixed_new_unchanged():
    old = [f.model_dump(mode="json") for f in (_finding("STAR-LS-001", Status.FAIL),
                                              _finding("STAR-UNP-001", Status.FAIL),
                                              _finding("STAR-DOC-001", Status.PASS))]
    new = [f.model_dump(mode="json") for f in (_finding("STAR-LS-001", Status.PASS, page=9),
                                              _finding("STAR-UNP-001", Status.FAIL, page=8),
                                              _finding("STAR-DOC-001", Status.NEEDS_REVIEW))]
    d = diff_findings(old, new)
    assert [r["rule_id"] for r in d["fixed"]] == ["STAR-LS-001"]
    assert [r["rule_id"] for r in d["unchanged"]] == ["STAR-UNP-001"]
    assert [r["rule_id"] for r in d["new"]] == ["STAR-DOC-001"]
    json.dumps(d)


def test_documented_configuration_example_is_valid(tmp_path):
    """The starcheck.toml example in docs/configuration.md loads and selects real rules."""
    import re
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[1] / "docs" / "configuration.md").read_text(encoding="utf-8")
    toml = re.search(r"```toml\n(.*?)```", doc, re.S).group(1)
    p = tmp_path / "starcheck.toml"
    p.write_text(toml, encoding="utf-8")
    s = load_settings(p)
    kept = apply_selection(load_rules(params=rule_params(s)), s)
    assert kept and all(x.family in ("LS", "UNP", "DS") or x.id == "STAR-DOC-001" for x in kept)
    assert s.as_of == date(2025, 6, 30)
