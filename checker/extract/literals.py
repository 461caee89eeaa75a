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
    """``text`` as a case-insensitive pattern's literals are looked for in (see above). The four
    characters are looked for first: str.translate with a table goes character by character through a
    dictionary (about 40 ns a character, a page's worth of time), each ``in`` is a fast scan."""
    if "\u0130" in text or "\u0131" in text or "\u017f" in text or "\u212a" in text:
        text = text.translate(_FOLD)
    return text.lower()


# alternatives, each a conjunction of literal sets: a match holds one literal of every set of one of them
Requirement = tuple[tuple[Literals, ...], ...]
MAX_SETS = 3  # sets kept per conjunction (the best ones): enough to rule out a page, few to test


def could_match(pattern: re.Pattern[str], text: str, folded: str | None = None) -> bool:
    """False only when ``pattern.search(text)`` is certainly None (``text`` lacks a literal that every
    match needs); True otherwise. ``folded``: ``fold(text)``, when the caller keeps it."""
    found = requirement(pattern)
    if found is None:
        return True
    alternatives, icase = found
    if icase:
        text = fold(text) if folded is None else folded
    return any(all(any(lit in text for lit in lits) for lits in conj) for conj in alternatives)


def required_literals(pattern: re.Pattern[str]) -> tuple[Literals, bool] | None:
    """Strings one of which every match of ``pattern`` contains (each alternative's best set), and
    whether they are looked for in the folded text; None when they cannot be established."""
    found = requirement(pattern)
    if found is None:
        return None
    alternatives, icase = found
    return frozenset(lit for conj in alternatives for lit in conj[0]), icase


@lru_cache(maxsize=4096)
def requirement(pattern: re.Pattern[str]) -> tuple[Requirement, bool] | None:
    """What every match of ``pattern`` contains: alternatives (the branches of a top-level ``|``), each
    the conjunction of the literal sets of its mandatory parts, best first ("未来(?:可)?盈利…" needs "未来"
    and "盈利"), and whether the literals are looked for in the folded text (a case-insensitive pattern:
    the literals are folded too); None when they cannot be established for every alternative."""
    if _p is None or not isinstance(pattern.pattern, str):
        return None
    icase = bool(pattern.flags & re.IGNORECASE)
    try:
        tree = _p.parse(pattern.pattern, pattern.flags)
        alternatives = tuple(tuple(_conj(items, icase)) for items in _top(tree))
    except Exception:  # noqa: BLE001 - an unknown parse tree: no prefilter, never a wrong one
        return None
    if not alternatives or not all(alternatives):
        return None
    if icase:
        alternatives = tuple(tuple(frozenset(fold(x) for x in lits) for lits in conj)
                             for conj in alternatives)
    return alternatives, icase


def _top(items: Any) -> list[Any]:
    """The branches of a pattern that is one alternation (inside plain groups), else the pattern."""
    while (len(items) == 1 and items[0][0] is _c.SUBPATTERN
           and not (items[0][1][1] | items[0][1][2]) & re.IGNORECASE):
        items = items[0][1][3]
    if len(items) == 1 and items[0][0] is _c.BRANCH:
        return list(items[0][1][1])
    return [items]


def _score(lits: Literals) -> tuple[int, int]:
    return min(len(x) for x in lits), -len(lits)


def _conj(items: Any, icase: bool) -> list[Literals]:
    """The literal sets of a sequence's mandatory parts (every match holds one literal of each), the
    best MAX_SETS of them, best first (longest shortest literal, then fewest literals); [] when no
    part has any."""
    sets: list[Literals] = []
    run: list[str] = []
    for op, av in items:
        if op is _c.LITERAL and _plain(chr(av), icase):
            run.append(chr(av))
            continue
        if run:
            sets.append(frozenset(["".join(run)]))
            run = []
        sets += _part(op, av, icase)
    if run:
        sets.append(frozenset(["".join(run)]))
    kept: list[Literals] = []
    for lits in sorted((x for x in sets if x and "" not in x), key=_score, reverse=True):
        if lits not in kept:
            kept.append(lits)
    return kept[:MAX_SETS]


def _plain(c: str, icase: bool) -> bool:
    """Whether a literal character may be looked for as itself (in the folded text when ``icase``)."""
    return not icase or c.isascii() or "\u3000" <= c <= "\u9fff"


def _part(op: Any, av: Any, icase: bool) -> list[Literals]:
    """The literal sets a part of a sequence needs (each one: a conjunction)."""
    if op is _c.SUBPATTERN:
        _group, add_flags, del_flags, body = av
        if (add_flags | del_flags) & re.IGNORECASE:
            return []  # a local (?i:…) or (?-i:…): its literals are not worth the care
        return _conj(body, icase)
    if op is _c.ATOMIC_GROUP:
        return _conj(av, icase)
    if op is _c.BRANCH:
        # one branch occurs: a set every branch needs is needed (a label both branches name, as in
        # "实现营业收入X" | "营业收入为X"), and so is the union of one set of each (their best)
        conjs = [_conj(branch, icase) for branch in av[1]]
        if not all(conjs):
            return []  # a branch that needs no literal: the alternation needs none
        shared = [lits for lits in conjs[0] if all(lits in conj for conj in conjs[1:])]
        return [*shared, frozenset(lit for conj in conjs for lit in conj[0])]
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", None)):
        low, _high, body = av
        return _conj(body, icase) if low >= 1 else []
    if op is _c.IN:  # a class of plain characters ("[于在]"): one of them
        if all(o is _c.LITERAL and _plain(chr(v), icase) for o, v in av):
            return [frozenset(chr(v) for _, v in av)]
        return []
    return []
