"""The literal prefilter (checker/extract/literals.py): a page the test rules out must be one the
pattern finds nothing in, for every lexicon pattern, case-insensitive ones included."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from checker.extract.fastyaml import safe_load
from checker.extract.literals import could_match, fold, required_literals

ROOT = Path(__file__).resolve().parents[1]


def _lexicon_patterns() -> list[re.Pattern[str]]:
    found: dict[tuple[str, int], re.Pattern[str]] = {}

    def walk(v: object) -> None:
        if isinstance(v, str):
            for flags in (0, re.I):
                try:
                    found[(v, flags)] = re.compile(v, flags)
                except re.error:
                    pass
        elif isinstance(v, dict):
            for x in v.values():
                walk(x)
        elif isinstance(v, list):
            for x in v:
                walk(x)

    for f in sorted((ROOT / "checker").rglob("*.yaml")):
        walk(safe_load(f.read_text(encoding="utf-8")))
    return list(found.values())


PATTERNS = _lexicon_patterns()


@pytest.mark.parametrize("pattern, flags, literals", [
    (r"(?:达到|实现)盈亏平衡(?:点)?的?时间|将(?:于|在)\d{4}年", 0, {"盈亏平衡", "将"}),
    (r"(?<!的)(?<!后)净利润", 0, {"净利润"}),
    (r"a?b", 0, {"b"}),
    (r"[^a]bc|d", 0, {"bc", "d"}),
    (r"红筹|开曼|red[- ]chip|Cayman", re.I, {"红筹", "开曼", "chip", "cayman"}),
    (r"x*", 0, None),                    # nothing is needed
    (r"abc|\d+", 0, None),               # a branch that needs no literal
    (r"(?i:abc)", 0, None),              # a local flag: not worth the care
    (r"Straße", re.I, {"stra"}),         # ß has case folds of its own: never taken under re.I
])
def test_the_literals_of_a_pattern(pattern, flags, literals):
    got = required_literals(re.compile(pattern, flags))
    assert (got[0] if got else None) == (set(literals) if literals else None)


def test_most_lexicon_patterns_have_literals():
    assert len(PATTERNS) > 300
    assert sum(required_literals(p) is not None for p in PATTERNS) > 0.8 * len(PATTERNS)


def _texts() -> list[str]:
    rnd = random.Random(7)
    words = [w for p in PATTERNS[:400] for w in re.findall(r"[\u4e00-\u9fffA-Za-z]{2,8}", p.pattern)]
    specials = ["İ", "ı", "ſ", "\u212a", "K", "S", "I", "VIE", "Special Voting", "ſpecial voting", "RED CHIP"]
    out = []
    for _ in range(1500):
        parts = [rnd.choice(words) if rnd.random() < 0.6 else rnd.choice(specials + ["。", "，", "2023年", " "])
                 for _ in range(rnd.randint(1, 30))]
        text = "".join(parts)
        out.append(text if rnd.random() < 0.7 else text.upper())
    return out


def test_a_text_ruled_out_is_never_one_the_pattern_matches():
    """Texts made of the lexicon's own words (so that many patterns do match), upper-cased and with
    the characters re.I matches ASCII letters with; a pattern is searched wherever the test rules it
    out, and must find nothing."""
    ruled_out = 0
    for text in _texts():
        folded = fold(text)
        for p in PATTERNS:
            if not could_match(p, text, folded if p.flags & re.I else None):
                ruled_out += 1
                assert p.search(text) is None, (p.pattern, text)
    assert ruled_out > 100_000  # the test does rule texts out


def test_re_i_matches_ascii_letters_only_with_the_characters_fold_maps():
    """The case-insensitive literals rest on this (the re documentation's list of four)."""
    extra = {chr(c) for c in range(0x80, 0x110000) if re.fullmatch("[a-z]", chr(c), re.I)}
    assert extra == {"\u0130", "\u0131", "\u017f", "\u212a"}
    assert all(fold(c).isascii() for c in extra)


def test_every_mandatory_part_is_asked_for():
    """A text with one of a pattern's words but not the other is ruled out: each alternative is the
    conjunction of its mandatory parts' literal sets."""
    p = re.compile(r"未来(?:可)?(?:实现)?盈利(?:情况|前景)|(?:达到|实现)盈亏平衡", re.I)
    assert not could_match(p, "公司未来发展良好，实现收入增长")  # 未来 and 实现, but neither 盈利 nor 盈亏平衡
    assert could_match(p, "未来盈利前景") and could_match(p, "前景：未来……盈利")  # the literals, not a match
    assert not could_match(p, "未来……盈利")  # (?:情况|前景) is mandatory too
    assert not could_match(re.compile(r"开展[^。]{0,20}二期临床"), "开展了一期临床")


def test_a_word_every_branch_names_is_needed():
    """"实现营业收入X" | "营业收入为X": whichever branch matches, 营业收入 is in the text."""
    p = re.compile(r"(?:实现(?:的)?营业收入|营业收入(?:分别)?为)(?P<amts>\d+万元)")
    assert not could_match(p, "公司实现净利润100万元")
    assert could_match(p, "营业收入……实现，共万元")  # its literals, not a match
