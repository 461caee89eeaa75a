"""The terminal summary: one language at a time, the gate's marks, baseline marks, escaping."""

from __future__ import annotations

import re
from pathlib import Path

from test_report_fixtures import sample_report

from checker.gate import Gate
from checker.report.labels import localize_warning
from checker.report.text import pad, render_text, width

ROOT = Path(__file__).resolve().parent.parent
LOADER = ROOT / "checker" / "extract" / "loader.py"


def test_zh_output_uses_the_catalogue_terms_and_no_english_words():
    report = sample_report()
    report.gate = Gate("error", True).as_dict()
    text = render_text(report, lang="zh")
    assert "不符合" in text and "判定标准" in text and "合计：" in text
    assert "不合规" not in text and "需人工审核" not in text  # the old terminal-only words
    body = "\n".join(ln for ln in text.splitlines() if not ln.startswith("starcheck "))
    # English words other than ids, codes and quoted filing text: none of the UI's own
    assert not re.search(r"\b(searched|rules as of|pages|REVIEW|FAIL|Total|Gate)\b", body)


def test_gating_and_baselined_findings_are_marked_and_sorted_first():
    report = sample_report()
    ls = next(f for f in report.documents[0].findings if f.rule_id == "STAR-LS-002")
    ls.baselined = True
    report.gate = Gate("warning", True).as_dict()
    text = render_text(report, lang="en")
    lines = [ln for ln in text.splitlines() if "STAR-" in ln and ln.startswith("  ")]
    assert "fails the run" in lines[0]
    assert any("STAR-LS-002" in ln and "in baseline" in ln and "fails the run" not in ln for ln in lines)
    assert "1 in baseline" in text


def test_filing_text_cannot_inject_terminal_control_or_markup():
    report = sample_report()
    f = report.documents[0].findings[0]
    f.evidence[0].quote = "营业收入\x1b[2J[bold red]X[/bold red]"
    text = render_text(report, lang="zh", color=True)
    assert "\x1b" not in text
    assert r"\[bold red]" in text  # escaped for rich: printed literally


def test_cjk_padding_by_display_width():
    assert width("需人工复核") == 10 and width("Fail") == 4
    assert width(pad("符合", 8)) == 8


def test_every_loader_warning_has_a_zh_form():
    src = LOADER.read_text(encoding="utf-8")
    samples = {
        "The text has no form-feed page breaks, so the whole file is one page; page numbers": "换页符",
        "3 line(s) of the JSON-lines file could not be read and were skipped.": "3 行",
        "Page(s) without text: 1-2.": "没有文字：1-2",
        "The PDF has no end-of-file marker: it may be truncated; check that the file is complete.": "结束标记",
        "Page(s) with more than 100000 characters, only the first 100000 read: 3. Check the export": "超过 100000 个字符",
        "Page(s) without a text layer (image-only or blank), not checked: 3. Run OCR (e.g. ocrmypdf) if": "没有文字层",
    }
    assert src.count("doc.warnings.append(") == len(samples)
    for english, zh in samples.items():
        assert zh in localize_warning(english, "zh"), english
        assert localize_warning(english, "en") == english


def test_every_file_error_code_has_a_zh_sentence():
    import re as _re

    from checker.report.labels import localize_error

    codes = set()
    for src in (ROOT / "checker").rglob("*.py"):
        text = src.read_text(encoding="utf-8")
        codes |= set(_re.findall(r'_err\(\s*"([a-z_]+)"', text))
        codes |= set(_re.findall(r'DocError\(code="([a-z_]+)"', text))
        codes |= set(_re.findall(r'_error\(path, "([a-z_]+)"', text))
    codes |= {"internal_error", "engine_error"}
    assert {"empty_file", "not_a_pdf", "timeout", "worker_crashed"} <= codes
    for code in codes:
        zh = localize_error(code, "English sentence", "/x/报告.pdf", "zh")
        assert zh != "English sentence" and "报告.pdf" in zh, code
