"""disclosure_facts on real prospectus texts (realdata/B_text), fed through the DS / WVR / RC rules.

Expected values were read off the texts by hand (page numbers are physical pages of the export).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from checker.engine.reference import outcome
from checker.engine.run import make_finding
from tests.factlib import disclosure_facts, missing_disclosures
from checker.facts.model import Evidence, Fact, FactSet
from checker.ruleset.loader import load_rules

from tests.realdata import REALDATA

REAL = REALDATA / "B_text"
BOSERA = REAL / "bosera_prospectus_txt"
pytestmark = pytest.mark.skipif(not BOSERA.is_dir(), reason="realdata not available")

DECLARATIONS = (
    "issuer",
    "directors",
    "controlling_shareholder",
    "sponsor",
    "law_firm",
    "auditor",
    "appraiser",
    "capital_verifier",
)


def _load(path: Path):
    from checker.extract.loader import load_document

    return load_document(path)


@pytest.fixture(scope="module")
def pylon():
    return _load(BOSERA / "上海派能能源科技股份有限公司.txt")


def _facts(doc) -> dict[str, Fact]:
    return {f.path: f for f in disclosure_facts(doc)}


def test_pylon_std41_prospectus(pylon):
    f = _facts(pylon)
    assert f["document.layout"].value == "std41"
    assert f["document.date"].value == "2020-12-10"
    for key in (
        "definitions",
        "overview",
        "offering",
        "risk_factors",
        "issuer_basic",
        "business_technology",
        "financial",
        "proceeds",
        "governance",
        "investor_protection",
        "other_matters",
        "declarations",
        "appendices",
    ):
        assert f[f"disclosure.chapter_{key}"].value is True, key
    assert f["disclosure.chapter_declarations"].evidence[0].page == 453
    for kind in DECLARATIONS:
        assert f[f"disclosure.declaration_{kind}"].value is True, kind
    # 派能 has a controlling shareholder and no actual controller: "二、控股股东声明"
    assert f["disclosure.declaration_controlling_shareholder"].evidence[0].quote == "二、控股股东声明"
    assert f["disclosure.declaration_auditor"].evidence[0].quote == "五、承担审计业务的会计师事务所声明"
    assert (
        f["disclosure.declaration_capital_verifier"].evidence[0].quote == "七、承担验资业务的会计师事务所声明"
    )
    assert f["disclosure.cover_star_risk_notice"].value is True
    assert f["disclosure.predisclosure_legend"].value is False  # a 招股意向书, not a 申报稿
    assert f["issuer.has_wvr"].value is False and f["issuer.has_wvr"].evidence[0].page == 225
    assert f["issuer.has_vie"].value is False
    assert f["issuer.is_red_chip"].value is False


def test_garbled_cover_is_not_a_fail():
    doc = _load(BOSERA / "北京天宜上佳高新材料股份有限公司.txt")
    assert "disclosure.cover_star_risk_notice" not in _facts(doc)
    assert "garbled" in missing_disclosures(doc)["disclosure.cover_star_risk_notice"]
    # the overview item on special governance arrangements (WVR and VIE) answers "none"
    f = _facts(doc)
    assert f["issuer.has_wvr"].value is False and f["issuer.has_vie"].value is False
    assert f["issuer.has_vie"].evidence[0].page == 28


def test_crsc_declarations_with_joint_lead_underwriters_and_noise():
    f = _facts(_load(BOSERA / "中国铁路通信信号股份有限公司.txt"))
    for kind in DECLARATIONS:
        assert f[f"disclosure.declaration_{kind}"].value is True, kind
    assert f["disclosure.declaration_law_firm"].evidence[0].quote == "=五、发行人律师声明"
    assert f["disclosure.chapter_appendices"].value is True  # 第十三节 备查文件
    assert f["issuer.has_wvr"].value is False  # 公司治理结构方面不存在特殊安排


def test_std57_markdown_prospectus():
    md = REAL / "pevc_course_prospectus_md" / "688758_苏州赛分科技_完整解析.md"
    f = _facts(_load(md))
    assert f["document.layout"].value == "std57"
    assert f["document.layout"].evidence[0].quote == "致投资者的声明"
    assert f["document.date"].value == "2025-01-06"
    assert f["disclosure.chapter_offering"].value is False
    assert f["disclosure.chapter_definitions"].evidence[0].quote == "第一节 释 义"
    # Std 57: the issuer declares with its directors in the declarations chapter
    assert f["disclosure.declaration_issuer"].evidence[0].quote == "一、本公司全体董事、监事、高级管理人员声明"
    assert all(f[f"disclosure.declaration_{k}"].value is True for k in DECLARATIONS)


def test_chinext_2017_prospectus_lacks_star_chapters():
    doc = _load(BOSERA / "湖南国科微电子股份有限公司.txt")
    f, miss = _facts(doc), missing_disclosures(doc)
    assert f["disclosure.chapter_investor_protection"].value is False
    assert f["disclosure.cover_star_risk_notice"].value is False
    assert "disclosure.declaration_sponsor" in miss  # no declarations chapter to search


def test_rules_over_real_facts(pylon):
    fs = FactSet()
    for fact in disclosure_facts(pylon):
        fs.add(fact)
    # document identity comes from the main fact builder; stated here for the STAR prospectus
    fs.add(
        Fact(
            path="document.kind",
            value="preliminary_prospectus",
            evidence=[Evidence(page=1, quote="招股意向书")],
        )
    )
    fs.add(Fact(path="document.board", value="star", evidence=[Evidence(page=1, quote="在科创板上市")]))
    for path, why in missing_disclosures(pylon).items():
        fs.mark_missing(path, why)
    specs = [s for s in load_rules() if s.family in ("DS", "WVR", "RC")]
    status = {s.id: make_finding(s, outcome(s, fs), fs).status.value for s in specs}
    assert status["STAR-DS-001"] == status["STAR-DS-002"] == status["STAR-DS-003"] == "pass"
    assert status["STAR-DS-005"] == status["STAR-DS-006"] == "pass"
    assert status["STAR-DS-004"] == "not_applicable"  # a final 招股意向书: no draft-stage mark
    assert all(status[s.id] == "not_applicable" for s in specs if s.family in ("WVR", "RC"))
