"""A run of body lines joined as one text (a page, a section), each position mapped back to its line:
what the extractors search, sentence by sentence (checker/extract/structure.py builds them)."""

from __future__ import annotations

import bisect
import re
from typing import TYPE_CHECKING

from checker.extract.literals import could_match, fold

if TYPE_CHECKING:
    from checker.extract.structure import Line

_IGNORECASE = int(re.IGNORECASE)  # an int: `flags & re.IGNORECASE` is an enum operation, slow in a loop
_SENTENCE = re.compile(r"[^。;!?！？]+[。;!?！？]?")
_ALNUM_EDGE = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz%)")


def _glue(left: str, right: str, language: str) -> str:
    """What goes between two wrapped lines: nothing inside Chinese text, a space between two words
    or two numbers (so "2,024" and "2023" never become one number)."""
    if not left or not right:
        return ""
    if language == "en":
        return " "
    return " " if left[-1] in _ALNUM_EDGE and right[0] in _ALNUM_EDGE else ""


class Span:
    """Normalised text of consecutive lines joined as one string, each position mapped to its line."""

    __slots__ = ("_folded", "_sentences", "breaks", "lines", "starts", "text")

    def __init__(self, lines: list[Line], language: str = "zh") -> None:
        parts: list[str] = []
        starts: list[int] = []
        breaks: list[int] = []  # sentence boundaries besides punctuation: before and after a heading line
        pos = 0
        prev = ""
        en = language == "en"
        for ln in lines:
            t = ln.norm
            if parts and prev and t and (en or (prev[-1] in _ALNUM_EDGE and t[0] in _ALNUM_EDGE)):  # _glue
                parts.append(" ")
                pos += 1
            starts.append(pos)
            if ln.is_heading():
                breaks += [pos, pos + len(t)]
            parts.append(t)
            pos += len(t)
            prev = t or prev
        self.text = "".join(parts)
        self.lines = lines
        self.starts = starts
        self.breaks = breaks
        self._sentences: list[tuple[int, int]] | None = None
        self._folded: str | None = None

    def holds(self, pattern: re.Pattern[str]) -> bool:
        """Whether ``pattern`` matches somewhere in the text; a text without any literal every match
        needs is not scanned (checker/extract/literals.py: most pages, for most patterns)."""
        return self.may_hold(pattern) and pattern.search(self.text) is not None

    def may_hold(self, pattern: re.Pattern[str]) -> bool:
        """False only when no part of the text (no line of the span, no sentence) can match ``pattern``:
        the text holds none of the literals every match needs."""
        if pattern.flags & _IGNORECASE and self._folded is None:
            self._folded = fold(self.text)  # once per span: most patterns are case-insensitive
        return could_match(pattern, self.text, self._folded)

    def line_at(self, pos: int) -> Line:
        """The line holding position ``pos`` of the text."""
        i = max(0, bisect.bisect_right(self.starts, pos) - 1)
        return self.lines[i]

    def around(self, start: int, end: int, before: int = 60, width: int = 280) -> str:
        """A quote of at most ``width`` characters around [start, end)."""
        a = max(0, start - before)
        return self.text[a : max(end, a + min(width, end - a + 60))][:width]

    def sentences(self) -> list[tuple[int, int]]:
        """(start, end) of each sentence: split at 。；!? and where a heading line starts or ends (a
        heading has no full stop, and is never part of the sentence after it). Computed once per span
        (the page spans are shared by every extractor): callers must not change the list."""
        if self._sentences is not None:
            return self._sentences
        out: list[tuple[int, int]] = []
        bi = 0
        for m in _SENTENCE.finditer(self.text):
            a, b = m.start(), m.end()
            while bi < len(self.breaks) and self.breaks[bi] <= a:
                bi += 1
            j = bi
            while j < len(self.breaks) and self.breaks[j] < b:
                if self.text[a : self.breaks[j]].strip():
                    out.append((a, self.breaks[j]))
                a = self.breaks[j]
                j += 1
            if self.text[a:b].strip():
                out.append((a, b))
        self._sentences = out
        return out

    def sentence_at(self, pos: int) -> tuple[int, int]:
        """(start, end) of the sentence holding ``pos``."""
        a = max(self.text.rfind(c, 0, pos) for c in "。;!?！？") + 1
        ends = [i for i in (self.text.find(c, pos) for c in "。;!?！？") if i >= 0]
        b = min(ends) + 1 if ends else len(self.text)
        i = bisect.bisect_right(self.breaks, pos)
        if i > 0:
            a = max(a, self.breaks[i - 1])
        if i < len(self.breaks):
            b = min(b, self.breaks[i])
        return a, b
