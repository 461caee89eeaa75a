"""JUnit XML output, parsed back with xml.etree."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from test_report_fixtures import DOC_PATH, ERR_PATH, EVIL, sample_report

from checker.report.junit import render_junit


def _root(text: str) -> ET.Element:
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    return ET.fromstring(text.encode("utf-8"))


def test_structure_and_counts() -> None:
    root = _root(render_junit(sample_report(evil_quote=True), lang="en"))
    assert root.tag == "testsuites"
    assert (root.get("tests"), root.get("failures"), root.get("errors"), root.get("skipped")) == ("6", "1", "1", "2")
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == [DOC_PATH, ERR_PATH]
    checked = suites[0]
    assert (checked.get("tests"), checked.get("failures"), checked.get("errors"), checked.get("skipped")) == (
        "5", "1", "0", "2")
    cases = {c.get("name"): c for c in checked.findall("testcase")}
    fail = cases["STAR-LS-002 Disclosed figures do not meet the claimed listing standard"]
    assert fail.get("classname") == "starcheck.LS"
    failure = fail.find("failure")
    assert failure is not None and failure.get("type") == "error"
    assert failure.get("message").startswith("Latest-year revenue is RMB 250 m")
    assert EVIL in failure.text and "p. 12 (1-1-12)" in failure.text  # escaped in XML, intact when parsed
    assert cases["STAR-UNP-001 Unprofitable issuer flags the risk in the key-matters section"].find("skipped") is not None
    waived = cases["STAR-BL-001 No named party is on a supplied blacklist"].find("skipped")
    assert waived.get("message") == "waived: 同名不同人，已核实身份证号"
    review = cases["STAR-CONS-001 Key figures agree across sections"]
    assert review.find("failure") is None and review.find("skipped") is None
    assert review.find("system-out").text.startswith("NEEDS REVIEW")
    passed = cases["STAR-LS-001 The prospectus states the chosen listing standard"]
    assert list(passed) == []


def test_error_document() -> None:
    root = _root(render_junit(sample_report()))
    suite = root.findall("testsuite")[1]
    (case,) = suite.findall("testcase")
    err = case.find("error")
    assert err.get("type") == "pdf_unreadable" and "请重新导出" in err.get("message")
    assert suite.get("errors") == "1" and suite.get("tests") == "1"


def test_control_characters_removed() -> None:
    report = sample_report()
    report.documents[0].findings[0].evidence[0].quote = "营业收入\x00\x0b 25,000.00 万元\x1f"
    root = _root(render_junit(report))
    text = root.find("testsuite/testcase/failure").text
    assert "营业收入 25,000.00 万元" in text


def _cases(report) -> dict:
    root = _root(render_junit(report))
    return {c.get("name").split(" ")[0]: c for c in root.findall("testsuite")[0].findall("testcase")}


def test_gating_needs_review_is_a_failure_and_agrees_with_the_exit_code() -> None:
    from checker.gate import Gate

    report = sample_report()
    report.gate = Gate("warning", True).as_dict()  # the CONS-001 review is a warning: it gates now
    cons = _cases(report)["STAR-CONS-001"].find("failure")
    assert cons is not None and cons.get("type") == "needs_review"
    assert Gate("warning", True).exit_code(report) == 2  # the batch also holds an unreadable file
    report.documents = report.documents[:1]
    assert Gate("warning", True).exit_code(report) == 1
    report.gate = Gate("warning", False).as_dict()  # --no-fail-on-review
    assert _cases(report)["STAR-CONS-001"].find("failure") is None
    assert Gate("warning", False).exit_code(report) == 1  # the LS-002 fail still gates
    report.gate = Gate("never", True).as_dict()
    assert _cases(report)["STAR-LS-002"].find("failure") is None


def test_baselined_failure_is_skipped_with_the_reason() -> None:
    report = sample_report()
    ls = next(f for f in report.documents[0].findings if f.rule_id == "STAR-LS-002")
    ls.baselined = True
    case = _cases(report)["STAR-LS-002"]
    assert case.find("failure") is None
    assert case.find("skipped").get("message").startswith("baseline: known fail")


def test_zh_report_names_testcases_in_chinese() -> None:
    names = [c.get("name") for c in _root(render_junit(sample_report(), lang="zh")).iter("testcase")]
    assert "STAR-LS-002 发行人财务指标不满足其所选上市标准" in names
