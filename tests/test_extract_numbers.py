"""Amount, percentage and Chinese-numeral parsing (Decimal only)."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from checker.extract.numbers import cn_numeral, is_number_token, parse_amount, parse_number, unit_factor


def test_parse_number_forms():
    assert parse_number("1,234.56") == Decimal("1234.56")
    assert parse_number("(1,234.56)") == Decimal("-1234.56")
    assert parse_number("（1,234.56）") == Decimal("-1234.56")
    assert parse_number("-4,412.50") == Decimal("-4412.50")
    assert parse_number("−70.20") == Decimal("-70.20")
    assert parse_number("6.04%") == Decimal("6.04")
    assert parse_number("-") is None
    assert parse_number("—") is None
    assert parse_number("abc") is None
    assert parse_number("(12") is None
    assert is_number_token("-") and is_number_token("20.43%") and not is_number_token("万元")


def test_units():
    assert unit_factor("单位：万元") == Decimal(10000)
    assert unit_factor("单位: 元") == Decimal(1)
    assert unit_factor("营业收入（万元）") == Decimal(10000)
    assert unit_factor("营业收入(亿元)") == Decimal(100_000_000)
    assert unit_factor("基本每股收益（元/股）") is None
    assert unit_factor("In RMB'000") == Decimal(1000)
    assert unit_factor("Unit: RMB 10 thousand") == Decimal(10000)
    assert unit_factor("RMB million") == Decimal(1_000_000)
    assert unit_factor("资产负债率（%）") is None


def test_parse_amount_inline():
    assert parse_amount("预计市值不低于人民币 10 亿元") == Decimal("1000000000")
    assert parse_amount("累计净利润不低于人民币5,000万元") == Decimal("50000000")
    assert parse_amount("revenue of RMB 1.2 billion") == Decimal("1200000000")
    assert parse_amount("no figure") is None


def test_cn_numerals():
    assert [cn_numeral(x) for x in ("一", "五", "十", "十二", "二十三", "一百零五")] == [1, 5, 10, 12, 23, 105]
    assert cn_numeral("甲") is None


@given(st.decimals(min_value=Decimal("-1e12"), max_value=Decimal("1e12"), places=2, allow_nan=False, allow_infinity=False))
def test_roundtrip_thousands_and_parentheses(value):
    s = f"{abs(value):,.2f}"
    assert parse_number(s) == abs(value)
    assert parse_number(f"({s})") == -abs(value)
    assert parse_number(f"-{s}") == -abs(value)
    assert parse_number(f"{s}%") == abs(value)


@given(st.integers(min_value=1, max_value=9999))
def test_cn_numeral_roundtrip(n):
    digits = "零一二三四五六七八九"
    units = [(1000, "千"), (100, "百"), (10, "十")]
    out, rest, zero = "", n, False
    for size, u in units:
        d, rest = divmod(rest, size)
        if d:
            if zero:
                out += "零"
                zero = False
            out += digits[d] + u
        elif out:
            zero = True
    if rest:
        if zero:
            out += "零"
        out += digits[rest]
    assert cn_numeral(out) == n
