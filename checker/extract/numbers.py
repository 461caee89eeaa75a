"""Parse amounts, percentages and Chinese numerals as Decimal.

Handles thousands separators (``1,234.56``), negatives written ``(1,234.56)``, ``（1,234.56）``,
``-1,234.56`` or ``−1,234.56``, dashes standing for "nothing" (``-``, ``—``, ``/``), a trailing
``%``, and units stated inline or above a table (元, 万元, 亿元, 千元, RMB, RMB'000, RMB 10
thousand, RMB million ...). Floats are never used.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

# Multipliers to yuan.
UNIT_FACTORS: dict[str, Decimal] = {
    "元": Decimal(1),
    "人民币元": Decimal(1),
    "千元": Decimal(1000),
    "万元": Decimal(10_000),
    "十万元": Decimal(100_000),
    "百万元": Decimal(1_000_000),
    "千万元": Decimal(10_000_000),
    "亿元": Decimal(100_000_000),
    "万": Decimal(10_000),
    "亿": Decimal(100_000_000),
}

_EN_UNITS = [
    (re.compile(r"rmb\s*(?:in\s*)?(?:'000|’000|thousands?)\b|thousands? of (?:rmb|yuan)|rmb\s*1,?000\b", re.I), Decimal(1000)),
    (re.compile(r"rmb\s*10\s*thousands?|ten thousands? of (?:rmb|yuan)|rmb\s*10,?000\b|10 thousand (?:rmb|yuan)", re.I), Decimal(10_000)),
    (re.compile(r"rmb\s*(?:in\s*)?millions?|millions? of (?:rmb|yuan)|rmb\s*mn\b|rmb\s*m\b", re.I), Decimal(1_000_000)),
    (re.compile(r"rmb\s*(?:in\s*)?(?:100 millions?|hundred millions?)|100 million (?:rmb|yuan)", re.I), Decimal(100_000_000)),
    (re.compile(r"rmb\s*(?:in\s*)?billions?|billions? of (?:rmb|yuan)|rmb\s*bn\b", re.I), Decimal(1_000_000_000)),
    (re.compile(r"\b(?:in\s*)?(?:rmb|cny|yuan)\b", re.I), Decimal(1)),
]

_ZH_UNIT = re.compile(r"(人民币)?(十万|百万|千万|千|万|亿)?元")

EMPTY_TOKENS = frozenset({"-", "—", "–", "－", "/", "--", "——", "不适用", "n/a", "N/A", "—-", ""})

_NUM = re.compile(
    r"^(?P<neg1>[-−–－])?\s*(?P<open>[(（])?\s*(?P<neg2>[-−–－])?\s*"
    r"(?P<int>\d{1,3}(?:[,，]\d{3})+|\d+)(?P<frac>\.\d+)?\s*(?P<close>[)）])?\s*(?P<pct>[%％])?$"
)

NUMBER_IN_TEXT = re.compile(r"[-−－]?\d{1,3}(?:,\d{3})+(?:\.\d+)?|[-−－]?\d+(?:\.\d+)?")


def parse_number(token: str) -> Decimal | None:
    """A number token as Decimal; None for empty markers ("-", "—") and non-numbers.

    ``(1,234.5)`` and ``-1,234.5`` are negative; a trailing ``%`` is dropped (the value stays in
    percent points: ``12.5%`` -> 12.5).
    """
    s = token.strip()
    if s in EMPTY_TOKENS:
        return None
    m = _NUM.match(s)
    if not m:
        return None
    if bool(m.group("open")) != bool(m.group("close")):
        return None
    try:
        value = Decimal(m.group("int").replace(",", "").replace("，", "") + (m.group("frac") or ""))
    except InvalidOperation:
        return None
    if m.group("neg1") or m.group("neg2") or m.group("open"):
        value = -value
    return value


def is_percent(token: str) -> bool:
    """True when the token carries a percent sign."""
    return token.strip().endswith(("%", "％"))


def is_number_token(token: str) -> bool:
    """A numeric cell (including empty markers such as "-")."""
    s = token.strip()
    return s in EMPTY_TOKENS or _NUM.match(s) is not None


def unit_factor(text: str) -> Decimal | None:
    """Multiplier to yuan for a unit stated in ``text`` ("单位：万元", "(万元)", "RMB'000"), else None."""
    t = unicodedata.normalize("NFKC", text)
    t_compact = re.sub(r"\s+", "", t)
    m = re.search(r"单位[:：]?\s*(人民币)?(十万|百万|千万|千|万|亿)?元", t_compact)
    if m:
        return UNIT_FACTORS[(m.group(2) or "") + "元"]
    m = re.search(r"[(（](人民币)?(十万|百万|千万|千|万|亿)?元(?:/股)?[)）]", t_compact)
    if m and "/股" not in m.group(0):
        return UNIT_FACTORS[(m.group(2) or "") + "元"]
    for pat, factor in _EN_UNITS[:-1]:
        if pat.search(t):
            return factor
    if re.search(r"in\s+(rmb|yuan|cny)\b|unit\s*:\s*(rmb|yuan|cny)\b", t, re.I):
        return Decimal(1)
    return None


def parse_amount(text: str) -> Decimal | None:
    """An amount with an inline unit as yuan: "1.5亿元", "5,000万元", "人民币10亿元", "RMB 1.2 billion"."""
    t = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
    m = re.search(r"([-−]?\d{1,3}(?:,\d{3})+(?:\.\d+)?|[-−]?\d+(?:\.\d+)?)(十万|百万|千万|千|万|亿)?元", t)
    if m:
        v = parse_number(m.group(1))
        if v is not None:
            return v * UNIT_FACTORS[(m.group(2) or "") + "元"]
    m = re.search(
        r"(?:RMB|CNY|¥)\s*([\d,]+(?:\.\d+)?)\s*(billion|bn|million|mn|thousand|hundred million)?",
        unicodedata.normalize("NFKC", text),
        re.I,
    )
    if m:
        v = parse_number(m.group(1))
        if v is None:
            return None
        mult = {
            None: Decimal(1),
            "billion": Decimal(10) ** 9,
            "bn": Decimal(10) ** 9,
            "million": Decimal(10) ** 6,
            "mn": Decimal(10) ** 6,
            "thousand": Decimal(1000),
            "hundred million": Decimal(10) ** 8,
        }[m.group(2).lower() if m.group(2) else None]
        return v * mult
    return None


_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}


def cn_numeral(text: str) -> int | None:
    """Value of a Chinese numeral up to 9999 ("五" 5, "十二" 12, "二十三" 23, "一百零五" 105)."""
    s = text.strip()
    if not s:
        return None
    if s.isdecimal() and s.isascii():  # isdigit() also accepts '²', which int() rejects
        return int(s)
    total = 0
    digit = None
    for ch in s:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch]
        elif ch in _CN_UNITS:
            total += (1 if digit is None else digit) * _CN_UNITS[ch]
            digit = None
        else:
            return None
    if digit is not None:
        total += digit
    return total
