"""HTML report and index page: content, escaping, script safety, self-containment, page images."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from test_report_fixtures import DOC_PATH, ERR_PATH, make_pdf, sample_report, sample_rules

from checker.report.html import locate_quote, render_html, render_index, script_json


class _Collector(HTMLParser):
    """Collects tags, attributes and script bodies of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.attrs: list[tuple[str, str, str | None]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        for k, v in attrs:
            self.attrs.append((tag, k, v))
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts.append(data)


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
    assert "financials.rd_ratio_percent.2023" in page and "18.5%" in page
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
    assert 1 <= len(images) <= 40
    import base64
    assert all(base64.b64decode(i)[:8] == b"\x89PNG\r\n\x1a\n" for i in images)


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
