"""Tests of the synthetic prospectus generator (tests/fixtures/prospectus_gen.py).

They check that what the generator says it planted is really in the PDF, as read back by the same
libraries the checker uses (pypdfium2 for text, pdfplumber for tables).
"""

from __future__ import annotations

import re
from decimal import Decimal

import pdfplumber
import pypdfium2 as pdfium
import pytest

from tests.fixtures.prospectus_gen import (
    PRESETS,
    biotech_std5,
    format_amount,
    make_prospectus,
    profitable_std1,
    sample_spec,
)

FAST_PRESETS = [name for name in PRESETS if name != "long_filing"]


def squash(s: str) -> str:
    return re.sub(r"\s+", "", s)


def page_texts(path) -> list[str]:
    pdf = pdfium.PdfDocument(str(path))
    try:
        out = []
        for i in range(len(pdf)):
            page = pdf[i]
            tp = page.get_textpage()
            out.append(tp.get_text_range())
            tp.close()
            page.close()
        return out
    finally:
        pdf.close()


@pytest.mark.parametrize("preset", FAST_PRESETS)
def test_planted_quotes_are_on_recorded_pages(prospectus_pdf, preset):
    planted = prospectus_pdf(preset)
    texts = page_texts(planted.path)
    assert len(texts) == planted.page_count
    assert planted.pages, "nothing recorded"
    for name, page in planted.pages.items():
        quote = planted.quotes[name]
        assert quote, name
        assert squash(quote) in squash(texts[page - 1]), f"{name}: {quote!r} not on page {page}"
    # the layout text the generator records agrees with what pypdfium2 reads back
    for i, t in enumerate(planted.page_texts):
        first = next((ln for ln in t.splitlines() if ln.strip() and "......" not in ln), "")
        assert squash(first) in squash(texts[i]), f"page {i + 1}: {first!r}"


@pytest.mark.parametrize("preset", FAST_PRESETS)
def test_header_and_label_on_every_page_but_the_cover(prospectus_pdf, preset):
    planted = prospectus_pdf(preset)
    texts = page_texts(planted.path)
    assert planted.header_text
    assert squash(planted.header_text) not in squash(texts[0])
    for n in range(2, planted.page_count + 1):
        lines = [ln.strip() for ln in texts[n - 1].splitlines() if ln.strip()]
        assert lines[0] == planted.header_text, f"page {n}: {lines[0]!r}"
        assert lines[-1] == f"1-1-{n - 1}" == planted.page_labels[n]
    assert 1 not in planted.page_labels


@pytest.mark.parametrize("preset", FAST_PRESETS)
def test_financial_table_found_by_pdfplumber(prospectus_pdf, preset):
    planted = prospectus_pdf(preset)
    spec = planted.spec
    page_no = planted.table_pages["financial_table"]
    with pdfplumber.open(str(planted.path)) as pdf:
        tables = pdf.pages[page_no - 1].extract_tables()
    latest = spec.latest_year
    want_rev = format_amount(spec.revenue[latest], spec.unit, spec.negative_style)
    want_np = format_amount(spec.net_profit_parent[latest], spec.unit, spec.negative_style)
    hits = [t for t in tables if any(want_rev in (c or "") for row in t for c in row)]
    assert hits, f"no table with {want_rev} on page {page_no}: {tables}"
    table = hits[0]
    assert len(table) == 6  # header + five indicator rows
    header = table[0]
    assert str(latest) in (header[1 + (1 if spec.partial_period else 0)] or "")  # newest year first
    flat = [c or "" for row in table for c in row]
    assert want_np in flat


def test_figures_repeat_in_financial_chapter_and_can_disagree(prospectus_pdf):
    ok = prospectus_pdf("profitable_std1")
    texts = page_texts(ok.path)
    y = ok.spec.latest_year
    rev = format_amount(ok.spec.revenue[y], ok.spec.unit)
    assert rev in texts[ok.pages["financial_table"] - 1]
    assert rev in texts[ok.pages["fin_chapter_table"] - 1]

    bad = prospectus_pdf(profitable_std1(inconsistent_revenue_year=2023))
    btexts = page_texts(bad.path)
    rev23 = format_amount(bad.spec.revenue[2023], bad.spec.unit)
    assert rev23 in btexts[bad.pages["financial_table"] - 1]
    fin_page = squash(btexts[bad.pages["fin_chapter_table"] - 1])
    assert rev23 not in fin_page
    assert format_amount(bad.spec.revenue[2024], bad.spec.unit) in fin_page  # other years unchanged


def test_unprofitability_disclosures_planted_or_absent(prospectus_pdf):
    full = prospectus_pdf("biotech_std5")
    none = prospectus_pdf("biotech_std5_no_disclosures")
    assert full.unprofitable and none.unprofitable
    for key in ("unp_notice", "unp_risk_factor", "unp_impact"):
        assert key in full.pages
        assert key not in none.pages
    all_none = squash("".join(page_texts(none.path)))
    assert "尚未盈利或存在累计未弥补亏损的风险" not in all_none
    assert "尚未盈利或存在累计未弥补亏损对公司的影响" not in all_none
    # std57: notice inside 第二节 概览, risk factor in 风险因素, impact in the financial chapter
    assert full.chapter_pages["overview"] <= full.pages["unp_notice"] < full.chapter_pages["risk"]
    assert full.chapter_pages["risk"] <= full.pages["unp_risk_factor"] < full.chapter_pages["issuer"]
    assert full.chapter_pages["financial"] <= full.pages["unp_impact"] < full.chapter_pages["proceeds"]


def test_sample_has_one_missing_disclosure(prospectus_pdf):
    planted = prospectus_pdf(sample_spec())
    assert planted.claimed == "2.1.2(5)"
    assert "unp_notice" in planted.pages and "unp_risk_factor" in planted.pages
    assert "unp_impact" not in planted.pages
    assert not planted.pages_with("尚未盈利或存在累计未弥补亏损对公司的影响")


def test_profitable_issuer_has_no_unprofitability_text(prospectus_pdf):
    planted = prospectus_pdf("profitable_std1")
    assert not planted.unprofitable
    allt = squash("".join(page_texts(planted.path)))
    assert "尚未盈利的风险" not in allt
    assert "尚未盈利或存在累计未弥补亏损的风险" not in allt
    assert "尚未盈利或存在累计未弥补亏损对公司的影响" not in allt
    # like real Std-57 filings, 投资者保护 still carries the boilerplate item naming 尚未盈利
    assert "公司不存在尚未盈利或累计未弥补亏损的情况" in allt


def test_std41_layout_puts_major_matters_before_chapter_one(prospectus_pdf):
    spec = biotech_std5(layout="std41", kind="招股意向书", stage=None)
    planted = prospectus_pdf(spec)
    texts = page_texts(planted.path)
    assert planted.pages["major_matters"] < planted.chapter_pages["definitions"]
    assert planted.chapter_titles["offering"] == "第三节 本次发行概况"
    assert planted.chapter_titles["financial"] == "第八节 财务会计信息与管理层分析"
    assert planted.chapter_pages["governance"] < planted.chapter_pages["financial"]
    assert planted.chapter_pages["financial"] <= planted.pages["unp_impact"]
    assert "pre_disclosure_legend" not in planted.pages
    assert squash("首次公开发行股票并在科创板上市招股意向书") in squash(texts[0])
    assert "申报稿" not in texts[0]
    # the sponsor representatives are named in 第三节 本次发行概况
    for rep in spec.sponsor_representatives:
        assert planted.chapter_pages["offering"] in planted.pages_with(rep)


def test_toc_page_numbers_point_at_chapters(prospectus_pdf):
    planted = prospectus_pdf("profitable_std1")
    texts = page_texts(planted.path)
    toc = "\n".join(texts[p - 1] for p in planted.toc_pages)
    for key, title in planted.chapter_titles.items():
        m = re.search(re.escape(title) + r"\s*\.{3,}\s*(\d+)", toc)
        assert m, title
        assert int(m.group(1)) + 1 == planted.chapter_pages[key]  # printed label 1-1-N is physical page N+1


def test_names_appear_where_real_prospectuses_put_them(prospectus_pdf):
    planted = prospectus_pdf("profitable_std1")
    s = planted.spec
    decl = set(range(planted.chapter_pages["declarations"], planted.chapter_pages["appendix"]))
    issuer_ch = set(range(planted.chapter_pages["issuer"], planted.chapter_pages["business"]))
    for name in s.directors + s.supervisors + s.senior_management:
        pages = set(planted.pages_with(name))
        assert pages & decl and pages & issuer_ch, name
    for name in s.core_technical_staff:
        assert set(planted.pages_with(name)) & issuer_ch, name
    for name in s.sponsor_representatives + s.lawyers + s.accountants + s.appraisers:
        assert set(planted.pages_with(name)) & decl, name
    assert planted.pages["controllers"] in planted.pages_with(s.actual_controller)
    for org in (s.sponsor, s.law_firm, s.auditor, s.appraiser):
        assert planted.pages["intermediaries_table"] in planted.pages_with(org), org
    # and pypdfium2 reads them back on those pages
    texts = page_texts(planted.path)
    for name in s.directors:
        assert name in texts[planted.pages["declarations_directors"] - 1]


@pytest.mark.parametrize(
    ("wording", "pattern"),
    [
        ("article", r"第\s*2\.1\.2\s*条(第[一二]款)?\s*第\s*[（(]\s*([一二三四五])\s*[)）]\s*[项款]"),
        ("review_rules_2019", r"第二十[二三四]条(第二款)?(第[（(]([一二三四五])[)）]项)?"),
        ("informal", r"第\s*([一二三四五])\s*套\s*上市标准"),
        ("quote_only", r"^[（(]四[)）]预计市值不低于人民币30亿元，且最近一年营业收入不低于人民币3亿元"),
    ],
)
def test_listing_standard_wordings(prospectus_pdf, wording, pattern):
    revenue = {2022: Decimal("3.1e8"), 2023: Decimal("3.3e8"), 2024: Decimal("3.6e8")}
    planted = prospectus_pdf(profitable_std1(standard=4, standard_wording=wording, revenue=revenue))
    text = page_texts(planted.path)[planted.pages["listing_standard"] - 1]
    body = squash(text[text.index(planted.quotes["listing_standard"][:4]):])
    assert re.search(pattern, body), body[:120]
    if wording != "review_rules_2019":
        assert "四" in re.search(pattern, body).group(0)


def test_english_filing_structure(prospectus_pdf):
    planted = prospectus_pdf("english_std1")
    texts = page_texts(planted.path)
    assert planted.chapter_titles["overview"] == "Section II Overview"
    assert "Risk Factors" in planted.chapter_titles["risk"]
    ls = texts[planted.pages["listing_standard_heading"] - 1]
    assert "Listing standard selected by the issuer" in ls
    assert "Item (1) of Paragraph 1 of Article 2.1.2" in " ".join(
        texts[planted.pages["listing_standard"] - 1].split())
    assert "Unit: RMB 10 thousand" in texts[planted.table_pages["financial_table"] - 1]


def test_chinext_control_is_not_star(prospectus_pdf):
    planted = prospectus_pdf("chinext_control")
    allt = squash("".join(page_texts(planted.path)))
    assert "首次公开发行股票并在创业板上市招股说明书" in allt
    assert "科创板" not in allt
    assert "《深圳证券交易所创业板股票上市规则》" in allt


def test_wrapped_labels_negative_parens_and_partial_period(prospectus_pdf):
    partial = {"revenue": Decimal("5123400.00"), "net_profit_parent": Decimal("-181234500.00")}
    spec = biotech_std5(wrap_row_labels=True, negative_style="parens", unit="元",
                        partial_period="2025年1-6月", partial=partial)
    planted = prospectus_pdf(spec)
    with pdfplumber.open(str(planted.path)) as pdf:
        tables = pdf.pages[planted.table_pages["financial_table"] - 1].extract_tables()
    table = next(t for t in tables if t[0][0] == "项目")
    assert table[0][1] == "2025年1-6月" and table[0][2] == "2024年度"
    assert table[2][0] == "归属于母公司所有者\n的净利润"
    assert table[2][1] == "(181,234,500.00)"
    assert table[2][2] == "(398,654,200.00)"


def test_letter_spacing_and_toc_options(prospectus_pdf):
    planted = prospectus_pdf(profitable_std1(letter_spaced_titles=False, toc=False, running_header=False,
                                             page_labels=False, stage=None))
    assert planted.chapter_titles["definitions"] == "第一节 释义"
    assert planted.toc_pages == [] and "toc" not in planted.pages
    assert planted.header_text is None and planted.page_labels == {}
    texts = page_texts(planted.path)
    assert not any(re.search(r"1-1-\d+", t) for t in texts)
    assert "申报稿" not in "".join(texts)


def test_extra_text_is_planted(prospectus_pdf):
    extra = {"other": "公司实际控制人曾于2021年受到证券市场禁入处罚。"}
    planted = prospectus_pdf(profitable_std1(extra_text=extra))
    page = planted.pages["extra:other"]
    assert planted.chapter_pages["other"] <= page < planted.chapter_pages["declarations"]
    assert "证券市场禁入处罚" in squash(page_texts(planted.path)[page - 1])


def test_generation_is_deterministic(tmp_path):
    a = make_prospectus(biotech_std5(), tmp_path / "a.pdf")
    b = make_prospectus(biotech_std5(), tmp_path / "b.pdf")
    assert a.path.read_bytes() == b.path.read_bytes()


def test_format_amount():
    assert format_amount(Decimal("-12345678.9"), "万元") == "-1,234.57"
    assert format_amount(Decimal("-12345678.9"), "万元", "parens") == "(1,234.57)"
    assert format_amount(Decimal("250000000"), "亿元") == "2.50"
    assert format_amount(Decimal("1234.5"), "元") == "1,234.50"


def test_long_filing_is_exact(tmp_path):
    planted = make_prospectus(PRESETS["long_filing"](), tmp_path / "long.pdf")
    assert planted.page_count == 600
    pdf = pdfium.PdfDocument(str(planted.path))
    assert len(pdf) == 600
    last = pdf[599].get_textpage().get_text_range()
    assert last.strip().splitlines()[-1] == "1-1-599"
    fin = pdf[planted.table_pages["financial_table"] - 1].get_textpage().get_text_range()
    assert "2025年1-6月" in fin and "16,233.45" in fin
    pdf.close()
