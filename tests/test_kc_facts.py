"""kc_facts / derive_kc on real prospectus texts and generated PDFs, fed through the KC / IND / UNP /
LS / RF rules. Expected values were read off the texts by hand (pages are physical pages)."""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from checker.engine.reference import outcome
from checker.engine.run import make_finding
from checker.facts.derive import derive
from checker.facts.derive_kc import derive_kc, revenue_cagr
from tests.factlib import extracted, fact_map
from checker.facts.model import Evidence, Fact, FactSet
from checker.ruleset.loader import load_rules
from tests.fixtures.prospectus_gen import biotech_std5

from tests.realdata import REALDATA

REAL = REALDATA / "B_text"
SAIFEN = REAL / "pevc_course_prospectus_md" / "688758_苏州赛分科技_完整解析.md"
PYLON = REAL / "bosera_prospectus_txt" / "上海派能能源科技股份有限公司.txt"
real = pytest.mark.skipif(not SAIFEN.exists(), reason="realdata not available")
RULES = {s.id: s for s in load_rules()}


def _load(path: Path):
    from checker.extract.loader import load_document

    return load_document(path)


def _facts(doc) -> dict[str, Fact]:
    return fact_map(doc)


def kc_missing(doc) -> dict[str, str]:
    return dict(extracted(doc).missing)


def _status(rule_id: str, fs: FactSet) -> str:
    spec = RULES[rule_id]
    return make_finding(spec, outcome(spec, fs), fs).status.value


@real
def test_saifen_kc_table_std57():
    doc = _load(SAIFEN)
    f = _facts(doc)
    assert f["kc.rd_staff_count"].value == 107
    assert f["kc.rd_staff_ratio_percent"].value == Decimal("30.06")
    assert f["kc.rd_staff_ratio_percent"].evidence[0].page == 35
    # the criterion row "发明专利5项以上" is not the count; the count is 13
    assert f["kc.invention_patents_main_business"].value == 13
    assert re.search(r"13\s*项", f["kc.invention_patents_main_business"].evidence[0].quote)
    for k in ("rd_investment", "rd_staff", "patents", "revenue"):
        assert f[f"kc.answer_{k}"].value is True  # "是□否": tick glyph lost, empty box on 否
    assert f["kc.transition_old_rules"].value is True
    assert f["kc.version_stated"].value == "2022-12"
    assert f["kc.exception_claimed"].value is False
    assert f["industry.supported_field"].value == "新材料"
    assert f["industry.prohibited_main_business"].value is False
    assert f["lockup.controllers_36m"].value is True
    assert f["lockup.core_tech_12m"].value is True  # 黄学英 (also core staff) commits to 36 months
    assert f["lockup.controllers_unprofitable"].value is False  # profitable issuer: no 2.4.3 wording
    assert f["risk_factors.items"].value >= 25
    assert f["disclosure.growth_tier"].value is False


@real
def test_pylon_kc_prose_std41_lower_bound():
    doc = _load(PYLON)
    f = _facts(doc)
    miss = kc_missing(doc)
    assert f["kc.rd_staff_count"].value == 154
    assert f["kc.rd_staff_ratio_percent"].value == Decimal("21.91")
    # "形成主营业务收入的发明专利超过5项": a lower bound (6), never an exact count
    assert f["kc.invention_patents_main_business_min"].value == 6
    assert "kc.invention_patents_main_business" in miss
    assert f["kc.invention_patents"].value == 15
    assert f["industry.supported_field"].value == "新能源"
    assert f["lockup.core_tech_12m"].value is True


def _saifen_figures() -> FactSet:
    """Key figures as printed on p. 35 of 688758 (万元), R&D as the printed ratio."""
    fs = FactSet()
    rows = {2021: ("15488.71", "15.18"), 2022: ("21277.30", "19.12"), 2023: ("24520.55", "18.03")}
    for y, (rev, ratio) in rows.items():
        ev = [Evidence(page=35, quote=f"营业收入(万元) {rev}")]
        fs.add(Fact(path=f"financials.revenue.{y}", value=Decimal(rev) * 10000, evidence=ev))
        fs.add(Fact(path=f"financials.rd_ratio_percent.{y}", value=Decimal(ratio), evidence=ev))
        fs.add(Fact(path=f"financials.net_profit_parent.{y}", value=Decimal(1_000_000), evidence=ev))
        fs.add(Fact(path=f"financials.net_profit_parent_deducted.{y}", value=Decimal(1_000_000), evidence=ev))
    return fs


def test_derive_kc_reproduces_the_filings_own_ratios():
    fs = _saifen_figures()
    derive(fs)
    derive_kc(fs)
    # the filing states 17.69% (3-year R&D share) and 25.82% (revenue CAGR)
    assert fs.value("kc.rd_ratio_3y_percent") == Decimal("17.69")
    assert fs.value("kc.revenue_cagr_3y_percent") == Decimal("25.82")
    assert fs.value("kc.rd_cumulative_3y") > 60_000_000


def test_versions_differ_on_patents_and_cagr():
    fs = _saifen_figures()
    for p, v in (("kc.rd_staff_ratio_percent", Decimal("30.06")), ("kc.invention_patents_main_business", 6),
                 ("kc.invention_patents_main_business_min", 6),
                 ("kc.software_company", False)):
        fs.add(Fact(path=p, value=v, evidence=[Evidence(page=35, quote=str(v))]))
    for p, v in (("document.kind", "prospectus"), ("document.board", "star")):
        fs.add(Fact(path=p, value=v, evidence=[Evidence(page=1, quote=v)]))
    derive(fs)
    derive_kc(fs)
    # The thresholds are the rules' params: the 2022 text passes, the 2024 text does not (6 < 7 patents)
    assert _status("STAR-KC-003", fs) == "pass"
    assert _status("STAR-KC-004", fs) == "fail"
    # without the software flag and the exact count the patent limb cannot be settled
    fs.facts.pop("kc.software_company")
    fs.facts.pop("kc.invention_patents_main_business")
    assert _status("STAR-KC-004", fs) == "needs_review"


def test_revenue_cagr_undefined_for_non_positive_start():
    assert revenue_cagr(Decimal(0), Decimal(100)) is None
    assert revenue_cagr(Decimal(100), Decimal(121)) == Decimal("10.00")


def test_generated_unprofitable_biotech(prospectus_pdf):
    doc = _load(prospectus_pdf("biotech_std5").path)
    f = _facts(doc)
    for p in ("lockup.controllers_unprofitable", "lockup.dso_unprofitable", "lockup.core_tech_unprofitable",
              "std5.state_approval", "std5.phase2", "std5.pharma"):
        assert f[p].value is True, p
    assert f["kc.rd_staff_count"].value == 126
    assert f["kc.invention_patents_main_business"].value == 21


def test_generated_profitable_has_no_unprofitable_lockup(prospectus_pdf):
    doc = _load(prospectus_pdf("profitable_std1").path)
    f = _facts(doc)
    assert f["lockup.controllers_unprofitable"].value is False
    assert f["lockup.controllers_unprofitable"].evidence  # names the chapters searched


def test_planted_paragraphs_drive_ind_unp_rf_facts(prospectus_pdf):
    spec = replace(
        biotech_std5(),
        extra_text={
            "business": "公司主要从事房地产开发业务，并为客户提供金融科技服务。",
            "risk": "（九）市场开拓的风险\n公司产品市场开拓存在不确定性。针对上述风险，公司将积极拓展销售渠道并已采取多项应对措施。",
            "overview": "公司上市后将进入科创成长层，股票简称带“U”标识。",
        },
    )
    doc = _load(prospectus_pdf(spec).path)
    f = _facts(doc)
    assert f["industry.prohibited_main_business"].value is True
    assert f["industry.restricted_signal"].value is True
    assert f["disclosure.growth_tier"].value is True
    assert f["risk_factors.with_mitigation"].value >= 1
    fs = FactSet()
    for fact in f.values():
        fs.add(fact)
    fs.add(Fact(path="document.kind", value="prospectus", evidence=[Evidence(page=1, quote="招股说明书")]))
    fs.add(Fact(path="document.board", value="star", evidence=[Evidence(page=1, quote="科创板")]))
    assert _status("STAR-IND-002", fs) == "fail"
    assert _status("STAR-IND-001", fs) == "needs_review"
    assert _status("STAR-RF-001", fs) == "fail"


@real
def test_pylon_end_to_end_kc_2020_passes():
    fs = extracted(_load(PYLON), derive=True)
    # 2019 revenue above 3亿, 3-year R&D ratio above 5%, more than 5 qualifying patents
    assert fs.value("kc.rd_ratio_3y_percent") > 5
    assert _status("STAR-KC-001", fs) == "pass"
