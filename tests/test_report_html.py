"""HTML report and index page: content, escaping, script safety, self-containment, page images."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from test_report_fixtures import DOC_PATH, ERR_PATH, make_pdf, sample_report, sample_rules

from checker.findings import Severity
from checker.report.html import (
    batch_names,
    locate_quote,
    reading_order,
    render_html,
    render_index,
    script_json,
)


class _Collector(HTMLParser):
    """Collects tags, attributes, script bodies and the visible text of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.attrs: list[tuple[str, str, str | None]] = []
        self.scripts: list[str] = []
        self.text: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        for k, v in attrs:
            self.attrs.append((tag, k, v))
        self._in_script = tag in ("script", "style")

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts.append(data)
        else:
            self.text.append(data)


@pytest.fixture(scope="module")
def pdf(tmp_path_factory) -> Path:
    return make_pdf(tmp_path_factory.mktemp("pdf") / "sample.pdf")


@pytest.fixture(scope="module")
def page(pdf) -> str:
    return render_html(sample_report(evil_quote=True), rules=sample_rules(), pdf_paths={DOC_PATH: pdf})


def _parse(html: str) -> _Collector:
    c = _Collector()
    c.feed(html)
    return c


def test_filing_text_is_escaped(page: str) -> None:
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    parsed = _parse(page)
    # The quote's `" onmouseover="x` must not become an attribute of any element.
    assert not [a for a in parsed.attrs if a[1].startswith("on")]
    assert len([s for s in parsed.scripts if "alert(1)" in s]) == 0


def test_embedded_json_cannot_close_the_script() -> None:
    report = sample_report(doc_path="filings/</script><script>alert(2)</script><!--x.pdf")
    html = render_html(report)
    parsed = _parse(html)
    data_blocks = [s for s in parsed.scripts if s.lstrip().startswith("{")]
    assert len(data_blocks) == 1
    assert "</" not in data_blocks[0] and "<!--" not in data_blocks[0]
    data = json.loads(data_blocks[0])
    assert data["documents"][0] == "filings/</script><script>alert(2)</script><!--x.pdf"
    assert "<script>alert(2)" not in html


def test_script_json_escapes_separators() -> None:
    text = str(script_json({"a": "</script>\u2028<!--&"}))
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == {"a": "</script>\u2028<!--&"}


def test_self_contained_no_remote_resources(page: str) -> None:
    parsed = _parse(page)
    links = [(t, k, v) for t, k, v in parsed.attrs if k in ("src", "href") and v]
    for tag, key, value in links:
        assert not value.startswith(("http:", "https:", "//")), (tag, key, value)
    assert not re.search(r"<link[^>]+stylesheet", page)
    assert "@import" not in page and "url(http" not in page
    assert '<script src' not in page


def test_both_languages_and_default(page: str) -> None:
    assert 'data-lang="zh"' in page
    assert "发行人财务指标不满足其所选上市标准" in page
    assert "Disclosed figures do not meet the claimed listing standard" in page
    en = render_html(sample_report(), lang="en")
    assert '<html lang="en" data-lang="en">' in en


def test_summary_matrix_and_facts(page: str) -> None:
    # listing-standard matrix, by STAR-LS-002's requirement sets: (2) met on 30亿 / 2.5亿 / 18.5%; (1) a
    # loss; (3) and (4) revenue below 3亿 whatever the cash flow; (5) 30亿 below its 40亿 floor
    states = dict(re.findall(r'data-ls="(\w+)" data-ls-state="(\w+)"', page))
    assert states == {"1": "not_met", "2": "met", "3": "not_met", "4": "not_met", "5": "not_met"}
    assert re.search(r'class="claimed" data-ls="4"', page)
    assert "250,000,000 元（2.50 亿元）" in page
    assert "3,000,000,000 元（30.00 亿元）" in page
    assert "-12,345,678.9 元（-1,234.57 万元）" in page
    # facts carry people's labels (both languages); the path only as a title attribute
    assert "2023年研发投入占营业收入比例" in page and "R&amp;D as share of revenue 2023" in page
    assert "18.5%" in page
    assert 'title="financials.rd_ratio_percent.2023"' in page
    assert "1-1-12" in page and "第二节 概览" in page
    # summary tiles per status
    assert page.count('class="tile fail"') == 1


def test_findings_have_citation_rule_doc_and_unconfirmed_flag(page: str) -> None:
    assert "上海证券交易所科创板股票上市规则" in page and "上证发〔2019〕53号" in page
    assert "[<span class=\"i18n\" lang=\"zh-CN\" data-l=\"zh\">未核实</span>" in page
    assert "（说明）" in page and "Required by the Listing Rules." in page
    assert "同名不同人，已核实身份证号" in page
    for status in ("fail", "needs_review", "pass", "not_applicable", "waived"):
        assert f'data-status="{status}"' in page


def test_page_link_and_image(page: str, pdf: Path) -> None:
    assert f'href="{pdf.as_uri()}#page=12"' in page
    images = re.findall(r'src="data:image/png;base64,([A-Za-z0-9+/=]+)"', page)
    # only evidence of fail / needs_review gets a page image: STAR-LS-002's page 12, not the pass on page 3
    # nor the waived finding on page 5 (the PDF has both pages)
    assert len(images) == 1
    import base64
    assert all(base64.b64decode(i)[:8] == b"\x89PNG\r\n\x1a\n" for i in images)
    for card in _cards(page):
        if 'data-status="fail"' not in card.split(">", 1)[0]:
            assert "data:image/png" not in card


def _cards(page: str) -> list[str]:
    """The HTML of each finding card (up to the next card or the end of its section)."""
    parts = re.split(r'(?=<div class="finding" )', page)[1:]
    return [p.split("</section>", 1)[0] for p in parts]


def _ids(page: str) -> list[str]:
    return re.findall(r'<section [^>]*\bid="([^"]+)"', page)


def test_sections_in_reading_order(page: str) -> None:
    ids = _ids(page)
    # the first filing carries exactly the contract ids (design.md section 6), in reading order
    assert ids[:4] == ["summary", "findings", "listing-standard", "facts"]
    # the second (a filing that could not be checked: no matrix) gets suffixed ids; all ids unique
    assert ids[4:] == ["summary-2", "findings-2", "facts-2"]
    every = re.findall(r'\bid="([^"]+)"', page)
    assert len(every) == len(set(every))
    single = render_html(sample_report().model_copy(update={"documents": sample_report().documents[:1]}))
    assert _ids(single) == ["summary", "findings", "listing-standard", "facts"]


def test_findings_open_first_and_default_filter(page: str) -> None:
    cards = _cards(page)
    heads = [c.split(">", 1)[0] for c in cards]
    statuses = [re.search(r'data-status="(\w+)"', h).group(1) for h in heads]
    assert statuses == ["fail", "needs_review", "waived", "pass", "not_applicable"]
    # default filter: fail and needs_review; the rest start hidden (the script applies the same filter)
    assert ["hidden" in h for h in heads] == [False, False, True, True, True]
    assert '<option value="open" selected' in page
    # a severity badge only where severity matters (fail, needs_review, waived)
    for status, card in zip(statuses, cards, strict=True):
        assert ("badge severity-" in card) == (status in ("fail", "needs_review", "waived")), status
    # passes and not_applicable keep their evidence folded
    folded = [c for s, c in zip(statuses, cards, strict=True) if s in ("pass", "not_applicable")]
    assert folded and all('<details class="more">' in c for c in folded)


def test_reading_order_by_severity() -> None:
    findings = sample_report().documents[0].findings
    warn_fail = findings[0].model_copy(update={"rule_id": "STAR-RF-009", "severity": Severity.WARNING})
    err_review = findings[3].model_copy(update={"rule_id": "STAR-DS-009", "severity": Severity.ERROR})
    order = [(f.rule_id, f.status.value) for f in reading_order([*findings, warn_fail, err_review])]
    assert order[:4] == [("STAR-LS-002", "fail"), ("STAR-DS-009", "needs_review"),
                         ("STAR-RF-009", "fail"), ("STAR-CONS-001", "needs_review")]
    assert [s for _, s in order[4:]] == ["waived", "pass", "not_applicable"]


def test_facts_folded_with_labels(page: str, pdf: Path) -> None:
    facts = page.split('id="facts"', 1)[1].split("</section>", 1)[0]
    assert '<details class="fold">' in facts  # folded: no `open`
    text = "".join(_parse(page).text)
    for path in ("financials.rd_ratio_percent.2023", "listing_standard.market_cap",
                 "financials.latest.revenue"):
        assert path not in text  # no internal path as visible text
        assert f'title="{path}"' in page
    assert "用于上市标准的市值" in facts and "Market value tested" in facts
    assert f'<a href="{pdf.as_uri()}#page=12"' in facts  # page links to the user's own file
    assert "-12,345,678.9 元（-1,234.57 万元）" in facts and "RMB -12,345,678.9 (-1,234.57 万元)" in facts


def test_relative_pdf_link_is_relative(pdf: Path) -> None:
    html = render_html(sample_report(), pdf_paths={DOC_PATH: Path("../filings/sample.pdf")})
    assert 'href="../filings/sample.pdf#page=12"' in html


def test_quote_located_on_page(pdf: Path) -> None:
    import pypdfium2

    doc = pypdfium2.PdfDocument(str(pdf))
    try:
        box = locate_quote(doc[11], "营业收入25,000.00万元")
        assert box is not None
        left, bottom, right, top = box
        assert 60 < left < 90 and 390 < bottom < 410 and right > left and top > bottom
        assert locate_quote(doc[11], "这句话不在页面上出现过") is None
    finally:
        doc.close()


def test_non_pdf_and_missing_files_degrade(tmp_path: Path) -> None:
    txt = tmp_path / "x.txt"
    txt.write_text("营业收入 25,000.00 万元", encoding="utf-8")
    html = render_html(sample_report(), pdf_paths={DOC_PATH: txt})
    assert "data:image/png" not in html
    assert 'href="' + txt.as_uri() + '"' in html  # no #page for a text file
    html = render_html(sample_report(), pdf_paths={DOC_PATH: tmp_path / "gone.pdf"})
    assert "data:image/png" not in html


def test_error_document_shown(page: str) -> None:
    assert ERR_PATH in page
    assert "pdf_unreadable" in page and "请重新导出后再检查" in page


def test_stamp_and_print_css(page: str) -> None:
    assert "c" * 64 in page and "a" * 64 in page and "2024-06-30" in page and "0.1.0" in page
    assert "@media print" in page and ".controls" in page


def test_index_page() -> None:
    report = sample_report(evil_quote=True, doc_path='a/<b>"x".pdf')
    html = render_index(report, {'a/<b>"x".pdf': "reports/x.html"})
    assert 'href="reports/x.html"' in html
    assert "&lt;b&gt;" in html and "<b>" not in html
    assert "损坏文件.pdf" in html and "请重新导出后再检查" in html
    # status counts: one fail in the checked filing, totals row
    assert re.search(r'<td class="n fail nz">1</td>', html)
    assert "<tfoot>" in html
    # open findings by severity: the fail is an error, the needs_review a warning
    assert re.search(r'<td class="n sev-error nz first" data-severity="error">1</td>', html)
    assert re.search(r'<td class="n sev-warning nz" data-severity="warning">1</td>', html)
    assert re.search(r'<td class="n sev-info" data-severity="info">0</td>', html)


def test_index_paths_relative_to_the_batch_folder(tmp_path: Path) -> None:
    base = tmp_path / "batch"
    a, b = str(base / "a.pdf"), str(base / "sub" / "b.pdf")
    assert batch_names([a, b]) == ({a: "a.pdf", b: "sub/b.pdf"}, str(base))
    assert batch_names(["x/a.pdf", "x/y/b.pdf"]) == ({"x/a.pdf": "a.pdf", "x/y/b.pdf": "y/b.pdf"}, "x")
    assert batch_names(["a.pdf"]) == ({"a.pdf": "a.pdf"}, None)
    report = sample_report(doc_path=a)
    report.documents[1].path = b
    html = render_index(report, {a: "a-1.html", b: "b-2.html"})
    assert '<a href="a-1.html">a.pdf</a>' in html and '<a href="b-2.html">sub/b.pdf</a>' in html
    text = "".join(_parse(html).text)
    assert str(base) + "/" not in text  # no absolute path of a filing as visible text


def test_baselined_findings_are_marked() -> None:
    from test_report_fixtures import sample_report, sample_rules

    from checker.report.html import render_html

    report = sample_report()
    ls = next(f for f in report.documents[0].findings if f.rule_id == "STAR-LS-002")
    ls.baselined = True
    html = render_html(report, rules=sample_rules())
    assert html.count(">已在基线中<") == 1
