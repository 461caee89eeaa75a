"""Literals a regular expression cannot match without: a page is scanned only when it holds one.

Python's regex engine has no fast path for a pattern that opens with an alternation, an optional
group or a lookbehind (most lexicon patterns do: "(?:达到|实现)盈亏平衡…|未来(?:可)?盈利…"): a search tries
every branch at every position of the text, about 40 ns a character, so a pattern searched over every
page of a 500-page filing costs tens of milliseconds, most of them on pages without any match. Every
match of such a pattern holds one of a few literal strings ("盈亏平衡", "盈利", …), and a substring test
is about fifty times faster than the scan. :func:`could_match` is that test; it is exact (a pattern
whose literals cannot be established is always scanned).

Case-insensitive patterns (most lexicon patterns have English alternatives and are compiled with
``re.I``) keep literals of ASCII and CJK characters only, and are tested against the text :func:`fold`
gives: ASCII letters match their other case and the four other characters ``re.I`` matches them with
(İ, ı, ſ and the Kelvin sign, by the ``re`` documentation); a CJK character has no case and matches
itself alone.

The literals come from the parsed pattern (the stdlib's ``re._parser``): a sequence needs each of its
mandatory parts, so one of them is chosen (the one whose shortest literal is longest); an alternation
needs one of its branches, so the union of the branches' literals; a repeat needs its body when it
occurs at least once; anything else (a character class, a lookaround, ``.``) gives nothing. A parser
the code does not know (another Python) gives no literals: the pattern is then always scanned.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

try:  # Python 3.11+: the parser behind re.compile
    from re import _constants as _c  # type: ignore[attr-defined]
    from re import _parser as _p  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - an older or another Python: no prefilter
    _p = _c = None

Literals = frozenset[str]

# what re.I matches an ASCII letter with besides its other case (the re documentation)
_FOLD = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"})


def fold(text: str) -> str:
    """``text`` as a case-insensitive pattern's literals are looked for in (see above)."""
    return text.translate(_FOLD).lower()


def could_match(pattern: re.Pattern[str], text: str, folded: str | None = None) -> bool:
    """False only when ``pattern.search(text)`` is certainly None (``text`` holds none of the literals
    every match needs); True otherwise. ``folded``: ``fold(text)``, when the caller keeps it."""
    found = required_literals(pattern)
    if found is None:
        return True
    lits, icase = found
    if icase:
        text = fold(text) if folded is None else folded
    return any(lit in text for lit in lits)


@lru_cache(maxsize=4096)
def required_literals(pattern: re.Pattern[str]) -> tuple[Literals, bool] | None:
    """Strings one of which every match of ``pattern`` contains, and whether they are to be looked for
    in the folded text (a case-insensitive pattern: the literals are folded too); None when they
    cannot be established (or are not worth a test: the empty string)."""
    if _p is None or not isinstance(pattern.pattern, str):
        return None
    icase = bool(pattern.flags & re.IGNORECASE)
    try:
        found = _sequence(_p.parse(pattern.pattern, pattern.flags), icase)
    except Exception:  # noqa: BLE001 - an unknown parse tree: no prefilter, never a wrong one
        return None
    if not found or "" in found:
        return None
    return (frozenset(fold(x) for x in found), True) if icase else (found, False)


def _plain(c: str, icase: bool) -> bool:
    """Whether a literal character may be looked for as itself (in the folded text when ``icase``)."""
    return not icase or c.isascii() or "\u3000" <= c <= "\u9fff"


def _score(lits: Literals) -> tuple[int, int]:
    return min(len(x) for x in lits), -len(lits)


def _sequence(items: Any, icase: bool) -> Literals | None:
    """The best literal set among the mandatory parts of a sequence (None when none has any)."""
    best: Literals | None = None
    run: list[str] = []

    def consider(cand: Literals | None) -> None:
        nonlocal best
        if cand and "" not in cand and (best is None or _score(cand) > _score(best)):
            best = cand

    for op, av in items:
        if op is _c.LITERAL and _plain(chr(av), icase):
            run.append(chr(av))
            continue
        if run:
            consider(frozenset(["".join(run)]))
            run = []
        consider(_part(op, av, icase))
    if run:
        consider(frozenset(["".join(run)]))
    return best


def _part(op: Any, av: Any, icase: bool) -> Literals | None:
    if op is _c.SUBPATTERN:
        _group, add_flags, del_flags, body = av
        if (add_flags | del_flags) & re.IGNORECASE:
            return None  # a local (?i:…) or (?-i:…): its literals are not worth the care
        return _sequence(body, icase)
    if op is _c.ATOMIC_GROUP:
        return _sequence(av, icase)
    if op is _c.BRANCH:
        union: set[str] = set()
        for branch in av[1]:
            lits = _sequence(branch, icase)
            if not lits:
                return None  # a branch that needs no literal: the alternation needs none
            union |= lits
        return frozenset(union)
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", None)):
        low, _high, body = av
        return _sequence(body, icase) if low >= 1 else None
    if op is _c.IN:  # a class of plain characters ("[于在]"): one of them
        if all(o is _c.LITERAL and _plain(chr(v), icase) for o, v in av):
            return frozenset(chr(v) for _, v in av)
        return None
    return None
