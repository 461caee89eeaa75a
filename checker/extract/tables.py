"""Ruled tables read with pdfplumber, on the few pages where a table matters.

pdfplumber is 20-50x slower per page than pypdfium2's text pass, so it never runs over a whole
filing: the fact builder calls it only for the pages of a section it already located (the key
financial data table) and only when the text pass could not read that table.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

MAX_PAGES = 6  # a key-data table spans one or two pages; refuse to turn this into a full scan


@dataclass
class Table:
    """One table: its 1-based page and its rows of cell texts (wrapped lines joined)."""

    page: int
    rows: list[list[str]] = field(default_factory=list)

    def header(self) -> list[str]:
        """The first row (usually the column headings)."""
        return self.rows[0] if self.rows else []


def _cell(text: str | None) -> str:
    # A label wrapped inside its cell ("归属于母公司所有者" / "的净利润") is one label.
    return "".join((text or "").split("\n")).strip()


def read_tables(pdf_path: Path, pages: list[int]) -> list[Table]:
    """Tables on the given pages (1-based); an unreadable page yields nothing, never an exception."""
    import pdfplumber

    out: list[Table] = []
    try:
        with pdfplumber.open(str(pdf_path)) as pdf:
            for number in sorted(set(pages))[:MAX_PAGES]:
                if not 1 <= number <= len(pdf.pages):
                    continue
                page = pdf.pages[number - 1]
                try:
                    page = page.dedupe_chars(tolerance=1)  # fake-bold text is drawn twice
                    for raw in page.extract_tables():
                        rows = [[_cell(c) for c in row] for row in raw if row and any(row)]
                        if rows:
                            out.append(Table(page=number, rows=rows))
                except Exception:  # noqa: BLE001 - a malformed page must not stop the filing
                    continue
                finally:
                    page.close()
    except Exception:  # noqa: BLE001 - the text pass already reported what it could
        return out
    return out
