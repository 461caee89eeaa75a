"""build_facts on real filings (realdata/). Every expected value was read in the text by hand;
the physical page (and printed label) where it was seen is noted next to it."""

from __future__ import annotations

from decimal import Decimal

import pytest

from checker.extract.loader import load_document
from checker.facts.registry import is_known, spec_for
from checker.facts.run import check_producers
from tests.factlib import extracted

from tests.realdata import REALDATA as REAL
BOSERA = REAL / "B_text" / "bosera_prospectus_txt"
pytestmark = pytest.mark.skipif(not REAL.exists(), reason="real data not available")

_cache: dict[str, tuple] = {}


def facts(rel: str):
    if rel not in _cache:
        doc = load_document(REAL / rel)
        _cache[rel] = (doc, extracted(doc))
    return _cache[rel]


PAINENG = "B_text/bosera_prospectus_txt/上海派能能源科技股份有限公司.txt"
XINGTU = "B_text/bosera_prospectus_txt/武汉兴图新科电子股份有限公司.txt"
TIANYI = "B_text/bosera_prospectus_txt/北京天宜上佳高新材料股份有限公司.txt"
CRSC = "B_text/bosera_prospectus_txt/中国铁路通信信号股份有限公司.txt"
GOKE = "B_text/bosera_prospectus_txt/湖南国科微电子股份有限公司.txt"
SEPAX = "B_text/pevc_course_prospectus_md/688758_苏州赛分科技_完整解析.md"
CAMBRICON = "A_pdf/寒武纪2025年年报.pdf"


def test_paineng():
    _, fs = facts(PAINENG)
    assert fs.value("document.kind") == "preliminary_prospectus"  # cover p1 "招股意向书"
    assert fs.value("document.board") == "star"  # p1 "首次公开发行股票并在科创板上市"
    assert fs.value("issuer.name") == "上海派能能源科技股份有限公司"
    assert fs.value("listing_standard.claimed") == "2.1.2(1)"  # p26 (1-1-25): 第2.1.2条 … "（一）预计市值…"
    assert fs.get("listing_standard.claimed").evidence[0].page == 26
    # p22 (1-1-21) key data table, 万元: 营业收入 2019年度 81,984.92; 归母净利润 2017年度 -4,412.50
    rev = fs.get("financials.revenue.2019")
    assert rev.value == Decimal("819849200") and rev.unit == "CNY" and rev.evidence[0].page == 22
    assert rev.evidence[0].page_label == "1-1-21"
    assert fs.value("financials.net_profit_parent.2017") == Decimal("-44125000")
    assert fs.value("financials.net_profit_parent_deducted.2019") == Decimal("160190100")
    assert fs.value("financials.rd_ratio_percent.2019") == Decimal("7.34")
    assert fs.value("financials.partial_period") == "2020-06-30"  # column "2020-06-30 /2020年1-6月"
    assert fs.value("financials.partial.revenue") == Decimal("494606200")
    assert "financials.revenue.2020" not in fs.facts  # a half year is not a fiscal year
    # The table has only 每股经营活动产生的现金流量 (per share): not the net operating cash flow; it is
    # read from the prose instead (p387 "报告期各期…经营活动产生的现金流量净额分别为…"), years bound to
    # the reporting period.
    assert fs.value("financials.operating_cash_flow.2019") == Decimal("124528700")
    assert fs.get("financials.operating_cash_flow.2019").confidence < 0.9
    # p30 (1-1-29) 有关当事人; p20 概览 table
    assert fs.value("intermediaries.sponsor") == ["中信建投证券股份有限公司"]
    assert fs.value("intermediaries.sponsor_representatives") == ["罗贵均", "刘建亮"]
    assert fs.value("intermediaries.auditor") == "天健会计师事务所(特殊普通合伙)"
    # p229 "公司控股股东为中兴新"; p69 "发行人无实际控制人。"
    assert fs.value("controlling_shareholder") == "中兴新"
    assert fs.get("actual_controller").value is None
    assert fs.value("disclosure.major_matters_notice") is True


def test_xingtu():
    _, fs = facts(XINGTU)
    assert fs.value("document.kind") == "preliminary_prospectus"
    assert fs.value("document.board") == "star"
    assert fs.value("issuer.name") == "武汉兴图新科电子股份有限公司"
    # p29: "公司选取的上市标准为：预计市值不低于人民币10亿元，近两年净利润均为正…" (no article cited)
    assert fs.value("listing_standard.claimed") == "2.1.2(1)"
    # That sentence only quotes the rule's threshold: no market-cap figure of the issuer's own.
    assert "listing_standard.expected_market_cap_min" in fs.missing
    # p24: the Bosera export lost the row-label column of the key table. Its rows are read only where
    # the prose confirms them: revenue (p335 "2016、2017和2018年度，公司营业收入分别为…19,813.64万元") and
    # net profit (p7 "报告期内，公司各期净利润分别为…4,221.38万元…") pin the run of rows, and the row after
    # 归母净利润 in the format standard's order is the deducted figure (4,015.90万元).
    rev = fs.get("financials.revenue.2018")
    assert rev.value == Decimal("198136400") and {e.page for e in rev.evidence} >= {24, 335}
    assert rev.confidence < 0.9
    ded = fs.get("financials.net_profit_parent_deducted.2018")
    assert ded.value == Decimal("40159000") and "row labels lost" in ded.evidence[0].note
    # p67-68: 5% holders; p74: the seven directors (numbered bios "1、程家明" …)
    assert fs.value("shareholders_5pct") == ["程家明", "兴图投资", "光谷人才创投", "华汇创投"]
    assert len(fs.value("directors")) == 7
    assert fs.value("intermediaries.sponsor") == ["中泰证券股份有限公司"]  # p32 "名称中泰证券股份有限公司"


def test_tianyi():
    _, fs = facts(TIANYI)
    assert fs.value("issuer.name") == "北京天宜上佳高新材料股份有限公司"  # p1 (cover text is garbled, name line is not)
    # p28: 审核规则第二十二条 … 具体上市标准为"（一）预计市值不低于人民币10亿元…"
    assert fs.value("listing_standard.claimed") == "2.1.2(1)"
    # p24 prose "2016年度、2017年度、2018年度公司的营业收入分别为46,842.18万元、50,713.40万元和55,789.62万元"
    # (the p23 table is flattened into one run of digits in this export, so the prose is used).
    # (the p23 table's columns are flattened into runs of digits in this export; the prose anchors them).
    rev = fs.get("financials.revenue.2018")
    assert rev.value == Decimal("557896200") and 24 in {e.page for e in rev.evidence}
    assert rev.confidence < 0.9
    assert fs.value("financials.net_profit_parent_deducted.2018") == Decimal("258828900")


def test_crsc():
    _, fs = facts(CRSC)
    assert fs.value("issuer.name") == "中国铁路通信信号股份有限公司"
    # p27: "本次上市选择的标准为：预计市值不低于人民币30亿元，且最近一年营业收入不低于人民币3亿元。"
    assert fs.value("listing_standard.claimed") == "2.1.2(4)"
    # p23 table (万元): 营业收入 2018年度 4,001,260.13; 经营活动产生的现金流量净额 2018年度 -158,678.99
    assert fs.value("financials.revenue.2018") == Decimal("40012601300")
    assert fs.value("financials.operating_cash_flow.2018") == Decimal("-1586789900")
    assert fs.value("financials.rd_ratio_percent.2016") == Decimal("3.53")
    assert fs.value("actual_controller") == "国务院国资委"  # p84


def test_goke_is_chinext_control():
    _, fs = facts(GOKE)
    assert fs.value("document.board") == "chinext"  # p47 "…申请在深圳证券交易所创业板挂牌交易"
    assert fs.value("issuer.name") == "湖南国科微电子股份有限公司"
    assert "listing_standard.claimed" in fs.missing  # a ChiNext filing names no STAR standard
    assert fs.value("controlling_shareholder") == "向平"  # p61


def test_sepax_markdown():
    _, fs = facts(SEPAX)
    assert fs.value("document.kind") == "prospectus"  # p1 "招股说明书"
    assert fs.value("document.board") == "star"
    assert fs.value("issuer.name") == "苏州赛分科技股份有限公司"
    # p35 (1-1-34): "第 2.1.2 条第（一）款的上市标准"
    assert fs.value("listing_standard.claimed") == "2.1.2(1)"
    # p35: table with wrapped labels; 营业收入（万元） 2023 年度 24,520.55; 扣非归母 2021 年度 2,001.72
    assert fs.value("financials.revenue.2023") == Decimal("245205500")
    assert fs.value("financials.net_profit_parent_deducted.2021") == Decimal("20017200")
    assert fs.value("financials.operating_cash_flow.2021") == Decimal("-702000")
    assert fs.value("financials.rd_ratio_percent.2022") == Decimal("19.12")
    assert fs.value("financials.partial_period") == "2024-06-30"
    assert fs.value("controlling_shareholder") == "黄学英"
    assert fs.value("disclosure.unprofitability_risk_factor") is True  # p43 "整体变更存在累计未弥补亏损风险"


def test_cambricon_annual_report_pdf():
    doc, fs = facts(CAMBRICON)
    assert doc.page_count == 219
    assert fs.value("document.kind") == "annual_report"
    assert fs.value("document.board") == "star"  # p1 "公司代码：688256"
    assert fs.value("issuer.name") == "中科寒武纪科技股份有限公司"
    # p9 主要会计数据 (元), columns 2025 | 2024 | 本期比上年同期增减(%) | 2023: the change column is skipped.
    assert fs.value("financials.revenue.2025") == Decimal("6497196198.68")
    assert fs.value("financials.revenue.2024") == Decimal("1174464377.35")
    assert fs.value("financials.net_profit_parent_deducted.2025") == Decimal("1769934157.68")
    assert fs.value("financials.rd_ratio_percent.2023") == Decimal("157.53")
    assert fs.value("intermediaries.auditor") == "天健会计师事务所(特殊普通合伙)"  # p8 其他相关资料
    assert fs.value("controlling_shareholder") == "陈天石"  # p91 (一) 控股股东情况 … 姓名 陈天石
    assert "intermediaries.law_firm" in fs.missing


@pytest.mark.parametrize("rel", [PAINENG, SEPAX, CRSC])
def test_every_fact_has_evidence_and_a_known_path(rel):
    _, fs = facts(rel)
    for f in fs.as_list():
        assert is_known(f.path), f.path
        if spec_for(f.path).type == "count" and not f.evidence:
            continue  # a tally of what was read (sightings, chapters found) has no page of its own
        assert f.evidence and f.evidence[0].quote, f.path
        assert 1 <= f.evidence[0].page
    for path in fs.missing:
        assert path not in fs.facts
    assert check_producers(fs) == []  # every fact set by its one registered producer


def test_figure_mentions_finds_prose_figures():
    from checker.extract.structure import analyse
    from checker.facts.context import Ctx
    from checker.facts.figures import figure_mentions

    doc, _ = facts(TIANYI)
    ms = [m for m in figure_mentions(Ctx(analyse(doc))) if m["metric"] == "revenue" and m["year"] == 2018]
    assert any(m["value"] == Decimal("557896200") and m["page"] == 24 for m in ms)
