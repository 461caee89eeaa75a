"""The one context every extractor works in: the document model, the facts so far, evidence helpers.

An extractor module declares ``NAME``, ``PRODUCES`` (a list of :class:`~checker.facts.registry.FactSpec`)
and ``extract(ctx)``; its wording lives in ``<name>.yaml`` beside it and is read with ``ctx.lex``.
:meth:`Ctx.add` refuses a fact the running extractor did not declare, so each path has one producer.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from checker.extract.fastyaml import safe_load
from checker.extract.structure import DocModel, Line, Section, Span
from checker.facts.model import QUOTE_MAX, Evidence, Fact, FactSet
from checker.facts.registry import FactSpec

_EXTRACTORS_DIR = Path(__file__).with_name("extractors")


@lru_cache(maxsize=None)
def lexicon(name: str) -> dict[str, Any]:
    """The lexicon file ``extractors/<name>.yaml`` (empty when the extractor has none)."""
    path = _EXTRACTORS_DIR / f"{name}.yaml"
    if not path.exists():
        return {}
    return safe_load(path.read_text(encoding="utf-8")) or {}


_UNBOUNDED = [(r"\d+", r"\d{1,24}"), (r"\d*", r"\d{0,24}"), (r"[\d,]*", r"[\d,]{0,32}"),
              (r"[\d,]+", r"[\d,]{1,32}"), (r"[\d,.]+", r"[\d,.]{1,40}"), (r"[\d.,]+", r"[\d.,]{1,40}"),
              (r"\s*", r"\s{0,8}"), (r"\s+", r"\s{1,8}")]


def bounded(pattern: str) -> str:
    r"""The pattern with its digit and whitespace runs bounded (``\d+`` -> ``\d{1,24}``, ``\s*`` ->
    ``\s{0,8}``): a search retried from every position of a long digit or space run then costs a
    constant per position, so matching stays linear in the text (a real figure never has 25 digits,
    and the document model collapses whitespace runs). tests/hostile/ doubles such inputs."""
    for old, new in _UNBOUNDED:
        pattern = pattern.replace(old, new)
    return pattern


@lru_cache(maxsize=4096)
def rx(pattern: str) -> re.Pattern[str]:
    """A compiled, case-insensitive pattern, digit and whitespace runs bounded (cached)."""
    return re.compile(bounded(pattern), re.I)


class Ctx:
    """Shared state of one filing's extraction."""

    def __init__(self, model: DocModel, facts: FactSet | None = None) -> None:
        self.m = model
        self.doc = model.doc
        self.fs = facts if facts is not None else FactSet()
        self.name = ""
        self.module = ""
        self._declared: list[re.Pattern[str]] = []

    # ------------------------------------------------------------ lifecycle

    def enter(self, name: str, module: str, produces: list[FactSpec]) -> None:
        """Start running one extractor."""
        self.name, self.module = name, module
        self._declared = [s.pattern() for s in produces]

    @property
    def lex(self) -> dict[str, Any]:
        """The running extractor's lexicon."""
        return lexicon(self.name)

    # ----------------------------------------------------------------- facts

    def _check(self, path: str) -> None:
        if not any(p.match(path) for p in self._declared):
            raise ValueError(f"extractor {self.module} sets {path!r}, which it does not declare in PRODUCES")

    def add(self, path: str, value: Any, evidence: list[Evidence], *, unit: str | None = None,
            confidence: float = 0.9, details: dict[str, Any] | None = None) -> None:
        """Record a fact (the higher-confidence value wins if set twice)."""
        self._check(path)
        self.fs.add(Fact(path=path, value=value, unit=unit, evidence=evidence[:8], confidence=confidence,
                         source=self.module, details=details))

    def missing(self, path: str, why: str) -> None:
        """Record that a fact was looked for and not established, and why."""
        self._check(path)
        self.fs.mark_missing(path, why)

    def dispute(self, path: str, why: str, evidence: list[Evidence]) -> None:
        """Record that the filing states a fact in ways that disagree (a person must decide)."""
        self._check(path)
        self.fs.mark_disputed(path, why, evidence)

    def has(self, path: str) -> bool:
        """Whether a fact is established."""
        return self.fs.get(path) is not None

    def value(self, path: str, default: Any = None) -> Any:
        """The value of an established fact."""
        return self.fs.value(path, default)

    # -------------------------------------------------------------- evidence

    def ev(self, line: Line | None = None, *, page: int | None = None, quote: str = "",
           section: str | None = None, note: str | None = None) -> Evidence:
        """Evidence on a line (its page, label and section) or on a page."""
        pg = line.page if line is not None else (page or 1)
        if section is None and line is not None:
            section = self.m.section_title_at(line.idx)
        q = quote or (line.raw.strip() if line is not None else "")
        return Evidence(page=pg, quote=q.strip()[:QUOTE_MAX], page_label=self.m.page_label(pg),
                        section=section, note=note)

    def ev_at(self, span: Span, start: int, end: int, *, before: int = 60, width: int = 280) -> Evidence:
        """Evidence for the match [start, end) of a span: the line where it starts, a quote around it."""
        return self.ev(span.line_at(start), quote=span.around(start, end, before, width))

    def ev_sentence(self, span: Span, pos: int) -> Evidence:
        """Evidence quoting the whole sentence that holds ``pos``."""
        a, b = span.sentence_at(pos)
        return self.ev(span.line_at(a), quote=span.text[a:b])

    def searched(self, sections: Sequence[Section | None], what: str) -> list[Evidence]:
        """Evidence of an absence: each searched section's heading, and a note of what and where."""
        out = []
        for s in sections:
            if s is None:
                continue
            ln = self.m.lines[s.start]
            label_a, label_b = self.m.page_label(s.start_page), self.m.page_label(s.end_page)
            where = f"pp. {s.start_page}-{s.end_page}" + (f" ({label_a} – {label_b})" if label_a and label_b else "")
            ev = self.ev(ln, quote=ln.raw.strip(), section=s.title, note=f"{what}: searched {where}")
            ev.searched = [s.start_page, s.end_page]
            out.append(ev)
        return out

    def searched_pages(self, pages: list[int], what: str) -> list[Evidence]:
        """Evidence of an absence in a page range: the first line of the first page, and a note."""
        pages = [p for p in pages if self.m.page_lines(p)]
        if not pages:
            return []
        first = self.m.page_lines(pages[0])[0]
        ev = self.ev(first, note=f"{what}: searched pp. {pages[0]}-{pages[-1]}")
        ev.searched = [pages[0], pages[-1]]
        return [ev]

    # ------------------------------------------------------------------ text

    def first_sentence(self, pattern: re.Pattern[str], pages: list[int],
                       reject: re.Pattern[str] | None = None) -> tuple[Span, int, int] | None:
        """The first sentence on these pages matching ``pattern`` (and not ``reject``)."""
        for p in pages:
            sp = self.m.page_span(p)
            if not sp.holds(pattern):
                continue
            for a, b in sp.sentences():
                s = sp.text[a:b]
                if pattern.search(s) and not (reject and reject.search(s)):
                    return sp, a, b
        return None
