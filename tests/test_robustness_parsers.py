"""Property tests for the number, unit and period parsers, beyond tests/test_extract_numbers.py.

Covered here: amounts with inline units round-trip (Chinese and English), negatives in full-width
parentheses and with the Unicode minus, full-width percent, unit captions in their usual places,
Chinese numerals in the 十X form and with 两/〇, no parser raising on arbitrary text, and the
period / date column headers of financial tables.
"""

from __future__ import annotations

import calendar
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checker.extract.numbers import (
    UNIT_FACTORS,
    cn_numeral,
    is_number_token,
    parse_amount,
    parse_number,
    unit_factor,
)
from checker.extract.periods import columns as _columns

AMOUNTS = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("1e11"), places=2,
                      allow_nan=False, allow_infinity=False)
ZH_UNITS = ["元", "千元", "万元", "十万元", "百万元", "千万元", "亿元"]
CN_DIGITS = "零一二三四五六七八九"


@given(AMOUNTS, st.sampled_from(ZH_UNITS), st.sampled_from(["", "人民币", "不低于人民币", "约"]),
       st.booleans(), st.sampled_from(["", " "]))
def test_zh_amount_with_unit_round_trips(value, unit, prefix, commas, space):
    number = f"{value:,.2f}" if commas else f"{value:.2f}"
    text = f"{prefix}{space}{number}{space}{unit}"
    assert parse_amount(text) == value * UNIT_FACTORS[unit]


@given(AMOUNTS, st.sampled_from([("", 1), ("thousand", 1000), ("million", 10**6), ("billion", 10**9),
                                 ("hundred million", 10**8), ("bn", 10**9), ("mn", 10**6)]),
       st.sampled_from(["RMB", "CNY", "RMB ", "¥"]))
def test_en_amount_with_unit_round_trips(value, unit, currency):
    word, factor = unit
    text = f"revenue of {currency}{value:,.2f} {word}".rstrip()
    assert parse_amount(text) == value * factor


@given(AMOUNTS, st.sampled_from(["（{}）", "({})", "−{}", "－{}", "-{}", "( {} )", "（ {} ）"]), st.booleans())
def test_negatives_in_every_written_form(value, form, commas):
    number = f"{value:,.2f}" if commas else f"{value:.2f}"
    assert parse_number(form.format(number)) == -value
    assert is_number_token(form.format(number))


@given(AMOUNTS, st.sampled_from(["%", "％"]))
def test_percent_full_and_half_width(value, sign):
    assert parse_number(f"{value:.2f}{sign}") == value


@given(st.text(max_size=40))
def test_number_parsers_never_raise_and_agree(text):
    v = parse_number(text)
    assert v is None or isinstance(v, Decimal)
    if v is not None:
        assert is_number_token(text)
    a = parse_amount(text)
    assert a is None or isinstance(a, Decimal)
    u = unit_factor(text)
    assert u is None or u in set(UNIT_FACTORS.values()) | {Decimal(1000), Decimal(10**6), Decimal(10**8), Decimal(10**9)}


@given(st.text(max_size=20).filter(lambda t: not any(ch.isdigit() and not ch.isdecimal() for ch in t)))
def test_cn_numeral_never_raises(text):
    c = cn_numeral(text)
    assert c is None or (isinstance(c, int) and c >= 0)


def test_cn_numeral_superscript_digit_is_not_a_number():
    assert cn_numeral("²") is None


@given(st.sampled_from(ZH_UNITS), st.sampled_from(["单位：{}", "单位:{}", "单位： 人民币{}", "（{}）", "({})",
                                                  "营业收入（{}）", "项目 单位：{} 2024年度"]))
def test_unit_captions(unit, caption):
    assert unit_factor(caption.format(unit)) == UNIT_FACTORS[unit]


@given(st.sampled_from(ZH_UNITS))
def test_per_share_is_not_an_amount_unit(unit):
    assert unit_factor(f"基本每股收益（{unit}/股）") is None


@given(st.integers(min_value=0, max_value=9))
def test_cn_numeral_ten_forms(d):
    assert cn_numeral("十" + (CN_DIGITS[d] if d else "")) == 10 + d
    assert cn_numeral("一十" + (CN_DIGITS[d] if d else "")) == 10 + d


@given(st.integers(min_value=1, max_value=9999))
def test_cn_numeral_variants(n):
    # Arabic digits pass through; 两 stands for 二 before a unit; 〇 for 零.
    assert cn_numeral(str(n)) == n
    if 200 <= n < 300:
        rest = n - 200
        tail = "" if rest == 0 else ("〇" + CN_DIGITS[rest] if rest < 10 else
                                      CN_DIGITS[rest // 10] + "十" + (CN_DIGITS[rest % 10] if rest % 10 else ""))
        assert cn_numeral("两百" + tail) == n


DATES = st.dates(min_value=date(1990, 1, 1), max_value=date(2099, 12, 31))


@given(st.lists(st.integers(min_value=1990, max_value=2099), min_size=1, max_size=4, unique=True),
       st.sampled_from(["{}年度", "{}年", "{}年末", "{} 年度"]))
def test_zh_year_columns(years, form):
    header = "项目 " + " ".join(form.format(y) for y in years)
    cols = _columns(header, "zh")
    assert [(c.kind, c.year, c.end) for c in cols] == [("year", y, f"{y}-12-31") for y in years]


@given(DATES, st.sampled_from(["{y}年{m}月{d}日", "{y}-{m:02d}-{d:02d}", "{y}.{m}.{d}", "{y}/{m}/{d}"]))
def test_zh_date_columns(d, form):
    cols = _columns("项目 " + form.format(y=d.year, m=d.month, d=d.day), "zh")
    assert len(cols) == 1 and cols[0].end == d.isoformat() and cols[0].year == d.year
    assert cols[0].kind == ("year" if (d.month, d.day) == (12, 31) else "partial")


@given(st.integers(min_value=1990, max_value=2099), st.integers(min_value=1, max_value=12))
def test_zh_partial_period_ends_on_the_last_day_of_the_month(year, month):
    cols = _columns(f"{year}年1-{month}月 {year - 1}年度", "zh")
    last = calendar.monthrange(year, month)[1]
    # "1-12月" is the whole year (annual reports print "2025年1—12月"); any shorter run is partial
    assert (cols[0].kind, cols[0].end) == ("year" if month == 12 else "partial", f"{year}-{month:02d}-{last:02d}")
    assert (cols[1].kind, cols[1].year) == ("year", year - 1)


@given(DATES, st.sampled_from(["{M} {d}, {y}", "As of {M} {d}, {y}", "{M} {d} {y}"]))
def test_en_date_columns(d, form):
    cols = _columns("Item " + form.format(M=calendar.month_name[d.month], d=d.day, y=d.year), "en")
    assert len(cols) == 1 and cols[0].end == d.isoformat()


@settings(max_examples=30)
@given(st.integers(min_value=13, max_value=99))
def test_zh_impossible_month_in_a_header_does_not_raise(month):
    _columns(f"2024年1-{month}月 2023年度", "zh")


@settings(max_examples=200)
@given(st.text(alphabet="0123456789年月日度末-./至~ 项目", max_size=30))
def test_zh_period_headers_never_raise_on_valid_months(header):
    # Headers whose partial periods name real months must never raise, whatever else is in them.
    import re

    if any(not 1 <= int(m) <= 12 for m in re.findall(r"[-–~至](\d{1,2})月", header)):
        return
    for c in _columns(header, "zh"):
        assert c.kind in ("year", "partial", "date") and c.end.startswith(str(c.year))


@pytest.mark.parametrize("header", ["2024.13.45 2023.12.31", "June 45, 2024 December 31, 2023"])
def test_impossible_dates_never_become_period_ends(header):
    from datetime import date

    lang = "en" if header[0].isalpha() else "zh"
    for c in _columns(header, lang):
        date.fromisoformat(c.end)  # every column end is a real date
