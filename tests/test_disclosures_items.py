"""disclosure.item_<key>: required sub-section headings, searched inside the parent chapter only."""

from __future__ import annotations

import pytest

from checker.extract.document import Document, Page
from tests.factlib import extracted
from tests.realdata import REALDATA

CHAPTERS = ["释义", "概览", "风险因素", "发行人基本情况", "业务与技术", "财务会计信息与管理层分析",
            "募集资金运用与未来发展规划", "公司治理与独立性", "投资者保护", "其他重要事项", "声明", "附件"]


def _doc(body: dict[str, list[str]]) -> Document:
    pages = []
    for n, title in enumerate(CHAPTERS, start=1):
        lines = [f"第{'一二三四五六七八九十'[n - 1] if n <= 10 else '十' + '一二'[n - 11]}节 {title}"]
        lines += body.get(title, ["本节正文。"])
        pages.append(Page(number=n, raw_lines=lines, lines=lines))
    return Document(path="synthetic.txt", sha256="0" * 64, source_format="txt", pages=pages)


def _items(doc: Document):
    fs = extracted(doc)
    facts, missing = list(fs.facts.values()), dict(fs.missing)
    items = {f.path[len("disclosure.item_") :]: f for f in facts if f.path.startswith("disclosure.item_")}
    return items, missing


def test_heading_found_only_inside_parent_chapter():
    doc = _doc({"其他重要事项": ["一、重大合同", "二、对外担保情况", "三、重大诉讼或仲裁事项"],
                "业务与技术": ["七、同业竞争"]})
    items, _ = _items(doc)
    assert items["material_contracts"].value is True
    assert items["material_contracts"].evidence[0].quote == "一、重大合同"
    assert items["litigation"].value is True
    # 同业竞争 under 业务与技术 is not the governance item
    gov = items["horizontal_competition"]
    assert gov.value is False
    assert gov.evidence[0].quote.startswith("第八节")
    assert "no heading" in gov.evidence[0].note


def test_commitment_clause_is_not_a_heading():
    doc = _doc({"公司治理与独立性": ["二、本人保证不利用在发行人的地位和影响,通过关联交易损害发行人利益。"]})
    items, _ = _items(doc)
    assert items["related_party"].value is False


def test_missing_parent_chapter_gives_missing():
    doc = _doc({})
    doc.pages = [p for p in doc.pages if "其他重要事项" not in p.lines[0]]
    items, missing = _items(doc)
    assert "material_contracts" not in items
    assert "其他重要事项" in missing["disclosure.item_material_contracts"]


def test_higher_level_heading_wins():
    doc = _doc({"发行人基本情况": ["5、子公司的管理人员及员工情况", "十五、发行人员工及社会保障情况"]})
    items, _ = _items(doc)
    assert items["employees"].evidence[0].quote == "十五、发行人员工及社会保障情况"


BOSERA = REALDATA / "B_text" / "bosera_prospectus_txt"


@pytest.mark.skipif(not BOSERA.is_dir(), reason="realdata not available")
def test_real_std41_prospectus_items():
    from checker.extract.loader import load_document

    items, _ = _items(load_document(BOSERA / "上海派能能源科技股份有限公司.txt"))
    assert items["audit_opinion"].evidence[0].quote == "（四）审计意见"
    assert items["cash_flow"].evidence[0].quote == "（五）现金流量情况分析"
    assert items["material_contracts"].evidence[0].quote == "一、重要合同"
    # the appendix list has no 备查文件 heading: the list itself is the evidence (p. 466)
    assert items["documents_for_inspection"].evidence[0].page == 466
    assert sum(1 for f in items.values() if f.value is not True) == 0


REAL_STAR = [
    "bosera_prospectus_txt/上海派能能源科技股份有限公司.txt",
    "bosera_prospectus_txt/中国铁路通信信号股份有限公司.txt",
    "bosera_prospectus_txt/北京天宜上佳高新材料股份有限公司.txt",
    "bosera_prospectus_txt/武汉兴图新科电子股份有限公司.txt",
    "pevc_course_prospectus_md/688758_苏州赛分科技_完整解析.md",
]
NEW_RULES = [f"STAR-DS-{n:03d}" for n in range(7, 16)]


@pytest.mark.parametrize("rel", REAL_STAR)
def test_item_rules_on_real_star_prospectuses(rel):
    """Every real STAR prospectus has every required sub-section (headings checked by hand)."""
    path = REALDATA / "B_text" / rel
    if not path.exists():
        pytest.skip("realdata not available")
    from checker.engine.reference import outcome
    from checker.engine.run import make_finding
    from checker.extract.loader import load_document
    from checker.facts.model import Evidence, Fact, FactSet
    from checker.ruleset.loader import load_rules

    doc = load_document(path)
    fs = extracted(doc)
    facts, missing = list(fs.facts.values()), dict(fs.missing)
    fs = FactSet()
    for f in facts:
        fs.add(f)
    fs.add(Fact(path="document.kind", value="prospectus", evidence=[Evidence(page=1, quote="招股说明书")]))
    fs.add(Fact(path="document.board", value="star", evidence=[Evidence(page=1, quote="科创板")]))
    for p, why in missing.items():
        fs.mark_missing(p, why)
    specs = {s.id: s for s in load_rules() if s.id in NEW_RULES}
    assert set(specs) == set(NEW_RULES)
    status = {rid: make_finding(s, outcome(s, fs), fs).status.value for rid, s in specs.items()}
    layout = fs.facts["document.layout"].value
    for rid in NEW_RULES[:-1]:
        assert status[rid] == "pass", (rid, status[rid])
    assert status["STAR-DS-015"] == ("pass" if layout == "std57" else "not_applicable")
    if layout == "std41":
        # Std 41-era filings still carry key audit matters in the audit-opinion section,
        # except 中国通号 (2019): no 关键审计 anywhere in its text
        kam = fs.facts["disclosure.item_key_audit_matters"].value
        assert kam is ("中国铁路" not in rel)


@pytest.mark.parametrize("preset", ["profitable_std1", "english_std1"])
def test_generated_prospectus_has_every_item(prospectus_pdf, preset):
    """The generator writes each required sub-section heading (zh and en); each is found in its chapter."""
    from checker.extract.loader import load_document

    planted = prospectus_pdf(preset)
    items, missing = _items(load_document(planted.path))
    assert not [p for p in missing if p.startswith("disclosure.item_")]
    absent = sorted(k for k, f in items.items() if f.value is not True)
    assert absent == []
    assert len(items) == 31
    for f in items.values():
        assert f.evidence[0].quote and f.evidence[0].section
