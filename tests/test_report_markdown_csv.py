"""Markdown (CI step summary) and CSV outputs."""

from __future__ import annotations

import csv
import io

from test_report_fixtures import DOC_PATH, ERR_PATH, EVIL, sample_report

from checker.findings import Localized
from checker.report.csv_out import COLUMNS, csv_safe, render_csv
from checker.report.markdown import md_escape, render_markdown


def _evil_report():
    report = sample_report(evil_quote=True, doc_path="filings/a|b_<i>.pdf")
    f = report.documents[0].findings[0]
    f.message = Localized(zh=f"营业收入不足 {EVIL} | **粗体** [链接](http://x)\n第二行", en="x")
    return report


def test_markdown_table_per_filing() -> None:
    md = render_markdown(sample_report())
    assert md.count("|---|---|---|---|---|") == 1  # the error filing has no table
    rows = [line for line in md.splitlines() if line.startswith("| `STAR-")]
    assert len(rows) == 5
    assert rows[0].startswith("| `STAR-LS-002` | ❌ 不符合 | 错误 | 12 |")
    assert all(r.count(" | ") == 4 for r in rows)
    assert "pdf\\_unreadable" in md and ERR_PATH.replace("_", "\\_") in md
    en = render_markdown(sample_report(), lang="en")
    assert "| `STAR-LS-002` | ❌ Fail | Error | 12 |" in en


def test_markdown_escapes_filing_text() -> None:
    md = render_markdown(_evil_report())
    assert "<script>" not in md and "<i>" not in md
    row = next(line for line in md.splitlines() if line.startswith("| `STAR-LS-002`"))
    # exactly 6 unescaped pipes: the cell separators
    assert row.replace("\\|", "").count("|") == 6
    assert "\\*\\*粗体\\*\\*" in row and "\\[链接\\]\\(http://x\\)" in row
    assert "第二行" in row  # newline folded into the cell
    assert md_escape("a_b|c<d>") == "a\\_b\\|c&lt;d&gt;"


def test_csv_rows() -> None:
    text = render_csv(_evil_report())
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == COLUMNS
    assert len(rows) == 6
    first = rows[0]
    assert first["rule_id"] == "STAR-LS-002" and first["status"] == "fail" and first["page"] == "12"
    assert EVIL in first["quote"]
    assert "\n第二行" in first["message_zh"]
    assert len(first["fingerprint"]) == 16
    err = rows[-1]
    assert err["path"] == ERR_PATH and err["status"] == "error" and "pdf_unreadable" in err["message_en"]
    assert render_csv(sample_report(), bom=True).startswith("\ufeffpath,")


def test_csv_formula_injection() -> None:
    assert csv_safe("=HYPERLINK(\"x\")") == "'=HYPERLINK(\"x\")"
    assert csv_safe("@SUM(A1)") == "'@SUM(A1)"
    assert csv_safe("-1,234.57") == "-1,234.57"
    assert csv_safe("-cmd|x") == "'-cmd|x"
    report = sample_report()
    report.documents[0].findings[0].evidence[0].quote = "=1+1"
    rows = list(csv.DictReader(io.StringIO(render_csv(report))))
    assert rows[0]["quote"] == "'=1+1"
    assert rows[0]["path"] == DOC_PATH


def test_every_format_carries_the_reproducibility_stamp():
    """Tool version, ruleset hash, file hash and as-of date appear in every machine format."""
    from checker.report import render
    from tests.test_report_fixtures import sample_report

    report = sample_report()
    doc = report.documents[0]
    doc.as_of = "2023-03-31"  # the filing's own date, distinct from the run's as-of
    assert report.ruleset.as_of != doc.as_of
    for fmt in ("json", "sarif", "junit", "markdown", "csv", "html"):
        text = render(fmt, report, lang="en")
        assert report.tool.version in text, fmt
        assert report.ruleset.sha256[:12] in text, fmt
        assert doc.sha256[:12] in text, fmt
        # SARIF has one run-level stamp; the others name the date applied to each filing.
        assert (report.ruleset.as_of if fmt == "sarif" else doc.as_of) in text, fmt
