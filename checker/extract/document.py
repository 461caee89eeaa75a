"""The page model every extractor produces and every fact builder reads."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Page:
    """One physical page of a filing.

    ``lines`` are the body lines in reading order, with running headers, footers and
    table-of-contents lines removed; ``raw_lines`` keeps everything as extracted.
    """

    number: int  # 1-based physical page
    raw_lines: list[str]
    lines: list[str] = field(default_factory=list)
    label: str | None = None  # printed page label, e.g. "1-1-35"
    header: list[str] = field(default_factory=list)
    footer: list[str] = field(default_factory=list)
    is_toc: bool = False

    @property
    def text(self) -> str:
        """Body text of the page (lines joined by newlines)."""
        return "\n".join(self.lines)


@dataclass
class Document:
    """A filing read into pages."""

    path: str
    sha256: str
    source_format: str  # pdf | text | jsonl | markdown
    pages: list[Page]
    metadata: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    @property
    def page_count(self) -> int:
        """Number of physical pages."""
        return len(self.pages)
