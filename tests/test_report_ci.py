"""GitHub workflow commands and GitLab Code Quality JSON."""

from __future__ import annotations

import json

from test_report_fixtures import sample_report

from checker.gate import Gate
from checker.report import render


def test_github_annotations_escape_filing_text_and_follow_the_gate():
    report = sample_report(evil_quote=True)
    f = report.documents[0].findings[0]
    f.message.zh = "第一行\n::error::forged%"
    report.gate = Gate("error", True).as_dict()
    text = render("github", report, lang="zh")
    lines = text.splitlines()
    assert all(ln.startswith(("::error ", "::warning ", "::notice ")) for ln in lines)
    assert not any(ln.startswith("::error::forged") for ln in lines)
    assert "%0A::error::forged%25" in text  # newline and % escaped: one command per line
    ls = next(ln for ln in lines if "STAR-LS-002" in ln)
    assert ls.startswith("::error file=") and "line=1" in ls
    assert any("pdf_unreadable" in ln for ln in lines)  # the unreadable filing is an error too


def test_gitlab_code_quality_shape():
    report = sample_report()
    issues = json.loads(render("gitlab", report, lang="en"))
    assert issues and all({"description", "check_name", "fingerprint", "severity", "location"} <= set(i) for i in issues)
    assert all(i["severity"] in ("blocker", "critical", "major", "minor", "info") for i in issues)
    assert len({i["fingerprint"] for i in issues}) == len(issues)
    assert all(i["location"]["lines"]["begin"] == 1 for i in issues)
    rules = {i["check_name"] for i in issues}
    assert "STAR-LS-002" in rules and "STAR-LS-001" not in rules  # passes are not issues
