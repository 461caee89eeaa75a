"""Name normalisation for blacklist matching.

Every name is folded the same way on both sides (list entry and filing subject):

1. Unicode NFKC (full-width letters, digits and brackets become half-width);
2. traditional → simplified Chinese (``opencc-python-reimplemented``; ``zhconv`` as a fallback);
3. case folding; every bracket form （）【】〔〕［］ unified to ``()``;
4. for organisations, legal-form suffixes stripped
   (股份有限公司, 有限公司, 集团, （特殊普通合伙）, Co., Ltd., LLP …);
5. whitespace and punctuation removed (``·`` in transliterated names, ``.``/``,``/``&`` in English names).

The result is a *key*: two names match exactly when their keys are equal. Keys are never compared as
substrings, so 李明 never matches 李明华.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from itertools import product
from typing import Any

# ---------------------------------------------------------------- traditional -> simplified


def _load_t2s():
    # opencc-python-reimplemented (Apache-2.0, pure Python) first; zhconv (GPLv2+) only as a fallback
    try:
        from opencc import OpenCC

        cc = OpenCC("t2s")
        return "opencc-python-reimplemented", cc.convert
    except ImportError:  # pragma: no cover - exercised only when opencc is absent
        pass
    try:  # pragma: no cover
        import zhconv

        return "zhconv", lambda s: zhconv.convert(s, "zh-hans")
    except ImportError:  # pragma: no cover
        return None, None


def _backend() -> str | None:
    """The converter _load_t2s will use, found without loading its dictionaries."""
    from importlib.util import find_spec

    for module, name in (("opencc", "opencc-python-reimplemented"), ("zhconv", "zhconv")):
        if find_spec(module) is not None:
            return name
    return None  # pragma: no cover


T2S_BACKEND = _backend()
_T2S: list[Any] = []  # the converter, loaded on first use (a run without a blacklist converts nothing)


def to_simplified(s: str) -> str:
    """Traditional → simplified script (character conversion only, no regional vocabulary)."""
    if not _T2S:
        _T2S.append(_load_t2s()[1])
    if _T2S[0] is None:  # pragma: no cover
        raise RuntimeError(
            "traditional-to-simplified conversion needs 'opencc-python-reimplemented' (pip install it)"
        )
    return _T2S[0](s)  # type: ignore[no-any-return]


# ---------------------------------------------------------------- folding

_CJK_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_BRACKETS = str.maketrans(
    {
        "【": "(",
        "】": ")",
        "〔": "(",
        "〕": ")",
        "[": "(",
        "]": ")",
        "{": "(",
        "}": ")",
        "〈": "(",
        "〉": ")",
        "《": "(",
        "》": ")",
    }
)
_PUNCT_RE = re.compile(r"[\W_]+")
_DOTTED_ABBR_RE = re.compile(r"(?<![a-z])(?:[a-z]\.){2,}")
_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"), None)


def has_cjk(s: str) -> bool:
    """True when the string contains a Chinese character."""
    return _CJK_RE.search(s) is not None


@functools.lru_cache(maxsize=65536)
def fold(s: str) -> str:
    """NFKC, traditional→simplified, case-folded, brackets unified; whitespace kept (collapsed)."""
    s = unicodedata.normalize("NFKC", s).translate(_ZERO_WIDTH)
    if has_cjk(s):
        s = to_simplified(s)
    s = s.casefold().translate(_BRACKETS)
    s = _DOTTED_ABBR_RE.sub(lambda m: m.group(0).replace(".", ""), s)  # l.l.c. -> llc
    return " ".join(s.split())


def squash(s: str) -> str:
    """Remove whitespace and punctuation (brackets included) from an already folded string."""
    return _PUNCT_RE.sub("", s)


def person_key(name: str) -> str:
    """Matching key of a person's name: folded, no whitespace or punctuation, diacritics removed."""
    s = fold(name)
    if not has_cjk(s):
        s = strip_diacritics(s)
    return squash(s)


def strip_diacritics(s: str) -> str:
    """Remove combining marks (ü → u, é → e)."""
    return "".join(c for c in unicodedata.normalize("NFD", s) if not unicodedata.combining(c))


# ---------------------------------------------------------------- organisations

# Folded forms (brackets already "()"), longest first within each family.
CN_ORG_SUFFIXES: tuple[str, ...] = (
    "合伙企业(有限合伙)",
    "(特殊普通合伙)",
    "特殊普通合伙",
    "(普通合伙)",
    "(有限合伙)",
    "有限合伙企业",
    "有限合伙",
    "普通合伙",
    "合伙企业",
    "股份有限公司",
    "有限责任公司",
    "股份公司",
    "有限公司",
    "集团公司",
    "(集团)",
    "集团",
    "公司",
)
EN_ORG_SUFFIXES: frozenset[str] = frozenset(
    "co company ltd limited inc incorporated corp corporation llp llc lp plc gmbh ag sa nv bv "
    "pte pty group kk".split()
)
_EN_TAIL_RE = re.compile(r"(?:^|[^a-z0-9])([a-z]+)[^a-z0-9\u3400-\u9fff]*$")


def strip_org_suffixes(folded: str) -> str:
    """Strip trailing legal-form suffixes, repeatedly (``X集团股份有限公司`` → ``X``)."""
    s = folded.strip(" .,;")
    while True:
        compact = s.rstrip(" .,;")
        for suf in CN_ORG_SUFFIXES:
            if compact.endswith(suf) and len(compact) > len(suf):
                s = compact[: -len(suf)]
                break
        else:
            m = _EN_TAIL_RE.search(compact)
            if m and m.group(1) in EN_ORG_SUFFIXES and squash(compact[: m.start(1)]):
                s = compact[: m.start(1)]
            else:
                return compact
        s = s.rstrip(" .,;&(")


def org_key(name: str) -> str:
    """Matching key of an organisation: folded, legal-form suffixes stripped, no punctuation."""
    f = fold(name)
    if not has_cjk(f):
        f = strip_diacritics(f)
    key = squash(strip_org_suffixes(f))
    if len(key) < 2:  # a name that is nothing but a legal form: keep it whole
        key = squash(f)
    return key


def name_key(name: str, type_: str) -> str:
    """The key for a name of the given type (``person`` or ``organization``)."""
    return org_key(name) if type_ == "organization" else person_key(name)


# ---------------------------------------------------------------- type guess

ORG_MARKERS_CN: tuple[str, ...] = (
    "公司",
    "事务所",
    "合伙",
    "银行",
    "证券",
    "集团",
    "企业",
    "有限",
    "控股",
    "投资",
    "基金",
    "信托",
    "保险",
    "中心",
    "研究院",
    "研究所",
    "大学",
    "学院",
    "学校",
    "医院",
    "委员会",
    "协会",
    "商会",
    "政府",
    "国资委",
    "管理局",
    "合作社",
    "工作室",
    "厂",
    "财政部",
    "办公室",
    "股份",
)
ORG_MARKERS_EN: frozenset[str] = EN_ORG_SUFFIXES | frozenset(
    "holdings bank partners fund trust capital securities investment investments university "
    "institute association llc foundation".split()
)


def guess_type(name: str) -> str:
    """``organization`` when the name carries a company/firm form or an institution word, else ``person``."""
    f = fold(name)
    if any(m in f for m in ORG_MARKERS_CN):
        return "organization"
    tokens = re.findall(r"[a-z]+", strip_diacritics(f))
    if any(t in ORG_MARKERS_EN for t in tokens):
        return "organization"
    return "person"


# ---------------------------------------------------------------- near-miss keys


def deletions(key: str) -> list[str]:
    """All strings obtained by deleting one character (the deletion neighbourhood, distance 1)."""
    return [key[:i] + key[i + 1 :] for i in range(len(key))]


def within_one_edit(a: str, b: str) -> bool:
    """True when the Levenshtein distance between a and b is at most 1."""
    if a == b:
        return True
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    if la > lb:
        a, b, la, lb = b, a, lb, la
    i = 0
    while i < la and a[i] == b[i]:
        i += 1
    if la == lb:
        return a[i + 1 :] == b[i + 1 :]
    return a[i:] == b[i + 1 :]


COMPOUND_SURNAMES: frozenset[str] = frozenset(
    "欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 夏侯 轩辕 令狐 端木 西门 南宫 独孤 "
    "呼延 闻人 万俟 申屠 钟离 澹台 太史 公冶 赫连 濮阳 百里 东郭 第五 左丘 拓跋".split()
)
_ONLY_CJK_RE = re.compile(r"^[\u3400-\u4dbf\u4e00-\u9fff]{2,6}$")


def is_cjk_name_key(key: str) -> bool:
    """A person key made only of 2–6 Chinese characters."""
    return _ONLY_CJK_RE.match(key) is not None


def latin_key(name: str) -> str | None:
    """Letters-only key of a romanised name (``ZHANG, Wei`` → ``zhangwei``); None if not Latin."""
    f = strip_diacritics(fold(name))
    if has_cjk(f):
        return None
    key = re.sub(r"[^a-z]", "", f)
    return key or None


@functools.cache
def _char_readings(ch: str) -> tuple[str, ...]:
    """Toneless readings of one character, most common first (pypinyin's single-character data)."""
    from pypinyin import Style, pinyin

    readings = pinyin(ch, style=Style.NORMAL, heteronym=True, errors="ignore")
    return tuple(readings[0]) if readings and readings[0] else ()


@functools.lru_cache(maxsize=65536)
def pinyin_keys(key: str) -> frozenset[str]:
    """Romanised forms of a Chinese person's name key: surname first and given name first,
    every reading of the surname characters (单 → dan/shan), ü as v, u and yu.

    Given-name characters take their most common reading (names are read character by character)."""
    if not is_cjk_name_key(key):
        return frozenset()
    readings = [_char_readings(ch) for ch in key]
    if not all(readings):
        return frozenset()
    split = 2 if key[:2] in COMPOUND_SURNAMES and len(key) > 2 else 1
    surname_opts = [r[:3] for r in readings[:split]]
    given = "".join(r[0] for r in readings[split:])
    out: set[str] = set()
    for combo in product(*surname_opts):
        sur = "".join(combo)
        for k in (sur + given, given + sur):
            out.add(k)
            if "v" in k:
                out.add(k.replace("v", "u"))
                out.add(k.replace("v", "yu"))
    return frozenset(out)
