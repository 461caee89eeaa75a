"""Screening a filing's parties against blacklists: hits, near misses, traps, dates, facts."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from checker.blacklist import (
    BlacklistIndex,
    Entry,
    Subject,
    apply_screening,
    build_index,
    check_char,
    load_blacklist,
    screen,
    screen_files,
    screen_filing,
    screening_facts,
    subjects_from_facts,
)
from checker.facts.model import Evidence, Fact, FactSet

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
AS_OF = date(2025, 6, 30)
CODE_A = "91320594MA20TE8T0" + check_char("91320594MA20TE8T0")
CODE_B = "91500000MA60WQ4P1" + check_char("91500000MA60WQ4P1")


def ev(page: int, quote: str) -> list[Evidence]:
    return [Evidence(page=page, quote=quote)]


def filing_facts() -> FactSet:
    """Facts shaped like the extractor's output for a (fictitious) STAR prospectus."""
    fs = FactSet()

    def add(path, value, page, quote):
        fs.add(Fact(path=path, value=value, evidence=ev(page, quote), source="test"))

    add("issuer.name", "苏州工业园区星辰微电子股份有限公司", 1, "发行人：苏州工业园区星辰微电子股份有限公司")
    add("controlling_shareholder", "苏州星辰控股有限公司", 45, "控股股东为苏州星辰控股有限公司")
    add("actual_controller", "周建国、李明", 46, "实际控制人为周建国、李明")
    add(
        "shareholders_5pct",
        ["苏州星辰控股有限公司", "深圳市前海红杉创业投资合伙企业（有限合伙）"],
        47,
        "持股5%以上股东",
    )
    add(
        "directors",
        ["周建国", "李明", "王芳", "赵磊", "Wang Jianhua"],
        120,
        "董事会成员：周建国、李明、王芳、赵磊、Wang Jianhua",
    )
    add("supervisors", ["孙丽", "陳思遠"], 124, "监事会成员：孙丽、陳思遠")
    add("senior_management", ["周建国", "钱伟"], 126, "高级管理人员：周建国（总经理）、钱伟（财务总监）")
    add("core_technical_staff", ["郑华"], 130, "核心技术人员：郑华")
    add(
        "intermediaries.sponsor",
        "华泰联合证券有限责任公司",
        2,
        "保荐人（主承销商）：华泰联合证券有限责任公司",
    )
    add("intermediaries.sponsor_representatives", ["刘洋", "黄敏"], 2, "保荐代表人：刘洋、黄敏")
    add("intermediaries.law_firm", "北京市金杜律师事务所", 2, "发行人律师：北京市金杜律师事务所")
    add("intermediaries.lawyers", ["唐丽子", "王芳"], 400, "经办律师：唐丽子、王芳")
    add(
        "intermediaries.auditor",
        "容诚会计师事务所（特殊普通合伙）",
        2,
        "审计机构：容诚会计师事务所（特殊普通合伙）",
    )
    add("intermediaries.accountants", ["陈晓红"], 401, "签字注册会计师：陈晓红")
    return fs


def person(name, **kw) -> Entry:
    return Entry(name=name, type="person", list_file="t.yaml", line=1, **kw)


def org(name, **kw) -> Entry:
    return Entry(name=name, type="organization", list_file="t.yaml", line=1, **kw)


def run(entries, fs=None, as_of=AS_OF):
    return screen_filing(fs or filing_facts(), build_index(entries), as_of)


# ---------------------------------------------------------------- subjects


def test_subjects_from_facts_roles_types_evidence():
    subjects = subjects_from_facts(filing_facts())
    by_name = {s.name: s for s in subjects}
    assert by_name["周建国"].roles == ["actual_controller", "director", "senior_management"]
    assert by_name["周建国"].type == "person"
    assert len([s for s in subjects if s.name == "周建国"]) == 1
    # same person listed as director and as a lawyer: one subject, both roles
    assert by_name["王芳"].roles == ["director", "lawyer"]
    assert {e.page for e in by_name["王芳"].evidence} == {120, 400}
    assert by_name["苏州星辰控股有限公司"].roles == ["controlling_shareholder", "shareholder_5pct"]
    for name in (
        "苏州工业园区星辰微电子股份有限公司",
        "容诚会计师事务所（特殊普通合伙）",
        "深圳市前海红杉创业投资合伙企业（有限合伙）",
        "华泰联合证券有限责任公司",
    ):
        assert by_name[name].type == "organization"
    assert by_name["Wang Jianhua"].type == "person"
    # "周建国、李明" in one string is split into two subjects
    assert "actual_controller" in by_name["李明"].roles
    assert len(subjects) == 19


def test_none_values_are_not_subjects():
    fs = FactSet()
    fs.add(Fact(path="actual_controller", value="无实际控制人", evidence=ev(3, "公司无实际控制人")))
    fs.add(Fact(path="controlling_shareholder", value="无", evidence=ev(3, "无控股股东")))
    fs.add(Fact(path="directors", value=["张三", "不适用"], evidence=ev(4, "董事：张三")))
    assert [s.name for s in subjects_from_facts(fs)] == ["张三"]


# ---------------------------------------------------------------- exact hits


def test_person_hit_carries_both_sides():
    r = run([person("周建国", reason="市场禁入", source="证监会", listed_on=date(2024, 1, 1))])
    assert [(m.subject.name, m.basis) for m in r.hits] == [("周建国", "name")]
    d = r.hits[0].as_dict()
    assert d["entry"]["reason"] == "市场禁入" and d["entry"]["list_file"] == "t.yaml"
    assert d["subject"]["roles"] == ["actual_controller", "director", "senior_management"]
    assert {e["page"] for e in d["subject"]["evidence"]} == {46, 120, 126}


def test_org_hit_through_suffix_fullwidth_and_traditional_variants():
    r = run(
        [
            org("蘇州工業園區星辰微電子有限公司"),  # traditional script, other legal form
            org("容诚会计师事务所(特殊普通合伙)"),  # half-width brackets
            org("華泰聯合證券"),  # traditional, suffix omitted
        ]
    )
    assert sorted(m.subject.name for m in r.hits) == [
        "华泰联合证券有限责任公司",
        "容诚会计师事务所（特殊普通合伙）",
        "苏州工业园区星辰微电子股份有限公司",
    ]
    assert not r.near_misses


def test_traditional_script_person_in_filing():
    r = run([person("陈思远")])  # the filing writes 陳思遠
    assert [m.subject.name for m in r.hits] == ["陳思遠"]


def test_hit_by_alias():
    r = run([org("XC Holdings Ltd.", aliases=("苏州星辰控股",))])
    assert len(r.hits) == 1
    m = r.hits[0]
    assert m.basis == "alias" and m.matched_value == "苏州星辰控股"
    assert m.subject.name == "苏州星辰控股有限公司"


def test_hit_by_credit_code_even_with_another_name():
    fs = filing_facts()
    fs.add(Fact(path="issuer.credit_code", value=CODE_A.lower(), evidence=ev(30, "统一社会信用代码")))
    r = run([org("某某曾用名科技有限公司", credit_code=CODE_A), org("无关公司", credit_code=CODE_B)], fs)
    assert [(m.basis, m.matched_value, m.subject.roles) for m in r.hits] == [
        ("credit_code", CODE_A, ["issuer"])
    ]


# ---------------------------------------------------------------- traps


def test_person_name_never_matches_inside_a_longer_name():
    r = run([person("李明华"), person("周建"), person("芳")])
    assert not r.hits and not r.near_misses and not r.expired
    fs = FactSet()
    fs.add(Fact(path="directors", value=["李明华"], evidence=ev(5, "董事：李明华")))
    r = run([person("李明")], fs)
    assert not r.hits and not r.near_misses


def test_org_name_inside_a_longer_org_name_is_not_a_hit():
    r = run([org("星辰微电子股份有限公司"), org("金杜律师事务所"), org("华泰证券股份有限公司")])
    assert not r.hits
    assert not r.near_misses


# ---------------------------------------------------------------- near misses


def test_one_character_org_difference_is_review():
    r = run([org("北京市金社律师事务所")])  # 杜 → 社
    assert not r.hits
    [m] = r.near_misses
    assert m.basis == "edit_distance" and m.detail["distance"] == 1
    assert m.subject.name == "北京市金杜律师事务所"
    r = run([org("容诚会计事务所（特殊普通合伙）")])  # one character dropped
    assert [m.basis for m in r.near_misses] == ["edit_distance"]


def test_pinyin_near_miss_both_directions():
    r = run([person("ZHAO Lei"), person("Qian Wei")])  # filing: 赵磊, 钱伟
    assert not r.hits
    assert sorted(m.subject.name for m in r.near_misses) == ["赵磊", "钱伟"]
    assert {m.basis for m in r.near_misses} == {"pinyin"}
    r = run([person("王建华")])  # filing: director "Wang Jianhua"
    assert [(m.subject.name, m.basis) for m in r.near_misses] == [("Wang Jianhua", "pinyin")]
    r = run([person("Lei Zhao")])  # given name first
    assert [m.subject.name for m in r.near_misses] == ["赵磊"]


def test_same_name_other_type_is_review():
    r = run([org("郑华")])  # a firm that happens to have a person's name
    assert not r.hits
    [m] = r.near_misses
    assert m.basis == "type_mismatch" and m.detail["entry_type"] == "organization"


def test_exact_hit_wins_over_near_miss_for_the_same_entry():
    r = run([person("周建国", aliases=("Zhou Jianguo",))])
    assert len(r.hits) == 1 and not r.near_misses


# ---------------------------------------------------------------- dates


def test_expired_and_future_entries_are_info_not_hits():
    r = run(
        [
            person("钱伟", listed_on=date(2020, 1, 1), expires_on=date(2023, 1, 1)),
            person("孙丽", listed_on=date(2025, 7, 1)),
            person("郑华", listed_on=date(2025, 1, 1), expires_on=AS_OF),  # last day in force
        ]
    )
    assert [m.subject.name for m in r.hits] == ["郑华"]
    assert sorted((m.subject.name, m.entry_status) for m in r.expired) == [
        ("孙丽", "not_yet_listed"),
        ("钱伟", "expired"),
    ]


def test_example_files_against_filing():
    fs = filing_facts()
    r = screen_files(fs, [EXAMPLES / "blacklist-example.yaml"], AS_OF)
    # 陳思遠 (traditional) hits 陈思远; 王建华's alias "Wang Jianhua" hits the director of that name
    assert sorted((m.subject.name, m.basis) for m in r.hits) == [
        ("Wang Jianhua", "alias"),
        ("陳思遠", "name"),
    ]


# ---------------------------------------------------------------- facts and values


def test_screening_facts_and_values():
    fs = filing_facts()
    r = run([person("周建国"), org("北京市金社律师事务所"), person("赵磊", expires_on=date(2024, 1, 1))], fs)
    facts = {f.path: f for f in screening_facts(r)}
    assert facts["screening.blacklist.lists_supplied"].value is True
    assert facts["screening.blacklist.subjects_screened"].value == 19
    assert facts["screening.blacklist.hits"].value == 1
    assert {e.page for e in facts["screening.blacklist.hits"].evidence} == {46, 120, 126}
    assert facts["screening.blacklist.near_misses"].value == 1
    assert [e.page for e in facts["screening.blacklist.near_misses"].evidence] == [2]
    values = json.loads(json.dumps(r.as_values(), ensure_ascii=False))
    assert values["hits"][0]["entry"]["name"] == "周建国"
    assert values["near_misses"][0]["basis"] == "edit_distance"
    assert values["expired"][0]["entry_status"] == "expired"
    assert values["subjects_screened"] == 19
    apply_screening(fs, r)
    assert fs.value("screening.blacklist.hits") == 1


def test_zero_hits_evidence_lists_subjects_screened():
    r = run([person("不相干")])
    facts = {f.path: f for f in screening_facts(r)}
    assert facts["screening.blacklist.hits"].value == 0
    assert len(facts["screening.blacklist.hits"].evidence) >= 10


def test_no_list_supplied_is_unknown_not_zero():
    fs = filing_facts()
    r = screen_files(fs, [], AS_OF)
    assert r.lists_supplied is False
    apply_screening(fs, r)
    assert fs.value("screening.blacklist.lists_supplied") is False
    assert fs.get("screening.blacklist.hits") is None
    assert "screening.blacklist.hits" in fs.missing


def test_roles_missing_are_recorded():
    fs = FactSet()
    fs.add(Fact(path="issuer.name", value="某某科技股份有限公司", evidence=ev(1, "某某科技股份有限公司")))
    fs.mark_missing("directors", "董事会成员 table not found")
    r = screen_filing(fs, build_index([]), AS_OF)
    assert r.roles_missing["directors"] == "董事会成员 table not found"
    assert "supervisors" in r.roles_missing


# ---------------------------------------------------------------- the index


class _NoIteration(list):
    def __iter__(self):
        raise AssertionError("screening must not loop over the list")


def test_lookup_uses_the_index_not_a_loop():
    entries = [person(f"测试{i:05d}") for i in range(2000)] + [person("周建国"), org("北京市金社律师事务所")]
    index = BlacklistIndex(entries)
    index.entries = _NoIteration(index.entries)
    r = screen(subjects_from_facts(filing_facts()), index, AS_OF)
    assert len(r.hits) == 1 and len(r.near_misses) == 1


def test_screen_accepts_entries_or_index():
    subjects = [Subject(name="周建国", type="person", roles=["director"])]
    a = screen(subjects, [person("周建国")], AS_OF)
    b = screen(subjects, build_index([person("周建国")]), AS_OF)
    assert len(a.hits) == len(b.hits) == 1


@pytest.mark.parametrize("fname", ["blacklist-example.csv", "blacklist-example.yaml"])
def test_entry_line_reported_in_values(fname):
    entries = load_blacklist(EXAMPLES / fname)
    subjects = [Subject(name="陈思远", type="person", roles=["director"], evidence=ev(9, "董事：陈思远"))]
    r = screen(subjects, entries, AS_OF)
    [hit] = r.as_values()["hits"]
    assert hit["entry"]["list_file"].endswith(fname)
    lines = (EXAMPLES / fname).read_text(encoding="utf-8").splitlines()
    assert "陈思远" in lines[hit["entry"]["line"] - 1]
    assert hit["subject"]["evidence"] == [{"page": 9, "quote": "董事：陈思远"}]


def test_pipeline_entry_point_builds_index_once(tmp_path):
    from checker.blacklist import integrate

    p = tmp_path / "l.csv"
    p.write_text("name,type,reason\n周建国,person,市场禁入\n", encoding="utf-8")
    facts = integrate.screening_facts_for(filing_facts(), [p], AS_OF)
    by_path = {f.path: f.value for f in facts}
    assert by_path["screening.blacklist.hits"] == 1
    assert by_path["screening.blacklist.hit_subjects"] == ["周建国"]
    assert by_path["screening.blacklist.near_miss_subjects"] == []
    assert integrate.index_for([p]) is integrate.index_for([p])
