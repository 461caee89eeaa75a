"""Evidence quotes as the filing prints them.

Fact builders match on normalised text (NFKC, whitespace dropped), so a quote they cut can read
"第(五)项:" where the page prints "第（五）项：". A reviewer searches the PDF for the quote, so every
quote is mapped back to the raw characters of its page: the page's body text is normalised one
character at a time, keeping for each normalised character the raw position it came from, and the
normalised quote is located in it. A quote that cannot be located is left as it was.
"""

from __future__ import annotations

import unicodedata

from checker.extract.document import Document
from checker.facts.model import QUOTE_MAX, FactSet


def _key(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKC", text) if not ch.isspace())


def _is_wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F")


class _PageIndex:
    """Normalised text of a page with a map back to raw positions."""

    def __init__(self, lines: list[str]) -> None:
        self.raw = "\n".join(lines)
        norm: list[str] = []
        where: list[int] = []
        for i, ch in enumerate(self.raw):
            if ch.isspace():
                continue
            for n in unicodedata.normalize("NFKC", ch):
                if not n.isspace():
                    norm.append(n)
                    where.append(i)
        self.norm = "".join(norm)
        self.where = where

    def locate(self, quote: str) -> str | None:
        key = _key(quote)
        if not key:
            return None
        at = self.norm.find(key)
        if at < 0:
            return None
        start, end = self.where[at], self.where[at + len(key) - 1] + 1
        raw = self.raw[start:end]
        # A line break inside the quote: nothing between two CJK characters, a space otherwise.
        parts = raw.split("\n")
        out = parts[0]
        for nxt in parts[1:]:
            glue = "" if (out and nxt and _is_wide(out[-1]) and _is_wide(nxt[0])) else " "
            out += glue + nxt.strip()
        return out


def restore_raw_quotes(doc: Document, facts: FactSet) -> int:
    """Replace each evidence quote by the page's own text where it can be located; count changed."""
    pages: dict[int, _PageIndex] = {}
    changed = 0
    for fact in facts.facts.values():
        for ev in fact.evidence:
            if not 1 <= ev.page <= len(doc.pages):
                continue
            idx = pages.get(ev.page)
            if idx is None:
                p = doc.pages[ev.page - 1]
                idx = pages[ev.page] = _PageIndex(p.lines or p.raw_lines)
            raw = idx.locate(ev.quote)
            if raw is not None and raw != ev.quote:
                ev.quote = raw if len(raw) <= QUOTE_MAX else raw[: QUOTE_MAX - 1] + "…"
                changed += 1
    return changed
