"""Normalisation keys, type guessing and the GB 32100-2015 credit-code check."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checker.blacklist import check_char, credit_code_problem, guess_type, is_valid_credit_code
from checker.blacklist.creditcode import CHARSET
from checker.blacklist.normalize import (
    T2S_BACKEND,
    deletions,
    latin_key,
    org_key,
    person_key,
    pinyin_keys,
    within_one_edit,
)


def test_t2s_backend_is_available():
    assert T2S_BACKEND in ("zhconv", "opencc-python-reimplemented")


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("華為技術有限公司", "华为技术有限公司"),
        ("华为技术有限公司", "华为技术股份有限公司"),
        ("容诚会计师事务所（特殊普通合伙）", "容诚会计师事务所(特殊普通合伙)"),
        ("容诚会计师事务所（特殊普通合伙）", "容诚会计师事务所"),
        ("海尔集团公司", "海尔集团"),
        ("ＡＢＣ　科技有限公司", "ABC科技有限公司"),
        ("Huawei Technologies Co., Ltd.", "HUAWEI TECHNOLOGIES CO LTD"),
        ("Goldman Sachs (Asia) L.L.C.", "goldman sachs [asia] llc"),
        ("宁波某某投资管理合伙企业（有限合伙）", "宁波某某投资管理"),
        ("北京某某科技有限责任公司", "北京某某科技【集团】"),
    ],
)
def test_org_variants_share_a_key(a, b):
    assert org_key(a) == org_key(b)


def test_org_key_keeps_distinctive_words():
    assert org_key("中信证券股份有限公司") == "中信证券"
    assert org_key("招商银行股份有限公司") == "招商银行"
    # an English suffix is only stripped as a whole word: TESCO keeps its "co"
    assert org_key("TESCO PLC") == "tesco"
    # a name that is only a legal form is kept whole rather than emptied
    assert org_key("有限公司") != ""


def test_person_key_whole_name():
    assert person_key("李 明") == "李明"
    assert person_key("李明") != person_key("李明华")
    assert person_key("阿卜杜勒·艾尼") == person_key("阿卜杜勒•艾尼") == "阿卜杜勒艾尼"
    assert person_key("鄭麗君") == person_key("郑丽君")
    assert person_key("ZHANG, Wei") == person_key("Zhang Wei") == "zhangwei"
    assert latin_key("Zoë MÜLLER") == "zoemuller"


@pytest.mark.parametrize(
    ("name", "type_"),
    [
        ("深圳市某某科技股份有限公司", "organization"),
        ("天健会计师事务所（特殊普通合伙）", "organization"),
        ("某某创业投资合伙企业（有限合伙）", "organization"),
        ("中国工商银行", "organization"),
        ("中信建投证券", "organization"),
        ("Example Holdings Co., Ltd.", "organization"),
        ("Baker & Partners LLP", "organization"),
        ("张伟", "person"),
        ("欧阳修远", "person"),
        ("Zhang Wei", "person"),
    ],
)
def test_guess_type(name, type_):
    assert guess_type(name) == type_


def test_pinyin_keys_both_orders_and_surname_readings():
    keys = pinyin_keys("张伟")
    assert {"zhangwei", "weizhang"} <= keys
    assert "shanxiongxin" in pinyin_keys("单雄信")  # 单 as a surname is Shan
    assert "ouyangxiuyuan" in pinyin_keys("欧阳修远")
    assert "xiuyuanouyang" in pinyin_keys("欧阳修远")  # compound surname kept together
    assert {"lvbu", "lubu", "lyubu"} <= pinyin_keys("吕布")
    assert pinyin_keys("zhangwei") == frozenset()


def test_edit_distance_helpers():
    assert within_one_edit("北京明正会计", "北京明证会计")
    assert within_one_edit("北京明正会计", "北京明会计")
    assert within_one_edit("北京明会计", "北京明正会计")
    assert not within_one_edit("ab12", "ba12")  # a transposition is distance 2
    assert not within_one_edit("abcd", "abxy")
    assert deletions("abc") == ["bc", "ac", "ab"]


# ---------------------------------------------------------------- credit codes


def test_known_valid_code():
    assert is_valid_credit_code("91350100M000100Y43")
    assert check_char("91350100M000100Y4") == "3"
    assert credit_code_problem("91350100M000100Y43") is None


def test_bad_codes_explain_themselves():
    assert "expected '3'" in credit_code_problem("91350100M000100Y44")
    assert "18" in credit_code_problem("91350100M000100Y4")
    assert "'I'" in credit_code_problem("91350100I000100Y43")
    assert is_valid_credit_code(" 91350100m000100y43 ")  # case and spaces folded


codes17 = st.text(alphabet=CHARSET, min_size=17, max_size=17)


@settings(max_examples=200, deadline=None)
@given(base=codes17, pos=st.integers(0, 16), repl=st.sampled_from(CHARSET))
def test_check_char_detects_any_single_substitution(base, pos, repl):
    code = base + check_char(base)
    assert is_valid_credit_code(code)
    if repl != base[pos]:
        changed = code[:pos] + repl + code[pos + 1 :]
        assert not is_valid_credit_code(changed)
