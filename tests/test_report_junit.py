"""JUnit XML output, parsed back with xml.etree."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from test_report_fixtures import DOC_PATH, ERR_PATH, EVIL, sample_report

from checker.report.junit import render_junit


def _root(text: str) -> ET.Element:
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    return ET.fromstring(text.encode("utf-8"))


def test_structure_and_counts() -> None:
    root = _root(render_junit(sample_report(evil_quote=True)))
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
    assert failure.get("message").startswith("最近一年营业收入为2.50亿元")
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
