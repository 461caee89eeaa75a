"""Read a table that the text layer flattened into lines (labels and figures one after another).

Real exports print a table's cells line by line: the header's period cells, then each row's label
(wrapped over lines: "归属于母公司所有者的" / "净利润（万元）") followed by its figures. The reader
binds the columns to their periods from the header (:mod:`checker.extract.periods`) and gives each
row its label and its values per column. A row whose number of values differs from the number of
columns (plus an optional change column) is reported as such, never shifted into place.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal

from checker.extract.clean import compact
from checker.extract.numbers import is_number_token, unit_factor
from checker.extract.periods import Period, caption_status, columns
from checker.extract.structure import Line

_PP_CHANGE = re.compile(r"^(?:增加|减少|上升|下降)-?[\d.,]+个?百分点$")
_INTRO = re.compile(r"如下|as follows", re.I)


@dataclass
class Token:
    """One cell: a label (adjacent words merged) or a number."""

    text: str
    line: Line
    numeric: bool


@dataclass
class Row:
    """A labelled row and its value tokens."""

    label: str
    line: Line
    values: list[Token]


@dataclass
class TextTable:
    """A flattened table: its header's periods, unit, rows."""

    periods: list[Period]
    header: str
    header_lines: list[Line]
    rows: list[Row] = field(default_factory=list)
    unit: Decimal | None = None  # Decimal multiplier to yuan stated for the whole table, or None
    change_column: int | None = None

    def bind(self, row: Row) -> list[tuple[Period, Token]] | None:
        """(period, value) pairs of a row; None when its values do not fit the columns."""
        vals = row.values
        if self.change_column is not None and len(vals) == len(self.periods) + 1:
            vals = vals[: self.change_column] + vals[self.change_column + 1 :]
        if len(vals) != len(self.periods):
            return None
        return list(zip(self.periods, vals))


def tokens(lines: list[Line], language: str) -> list[Token]:
    """Table tokens: numbers stay single, runs of words merge into one label cell."""
    out: list[Token] = []
    for ln in lines:
        for w in unicodedata.normalize("NFKC", ln.raw).split():
            num = is_number_token(w) or bool(_PP_CHANGE.match(w))
            if not num and out and not out[-1].numeric:
                sep = "" if language == "zh" else " "
                out[-1] = Token(out[-1].text + sep + w, out[-1].line, False)
            else:
                out.append(Token(w, ln, num))
    return out


def change_column(header: str, n_cols: int) -> int | None:
    """Position of a year-on-year change column ("变动幅度", "增减") among the value columns."""
    c = compact(header)
    m = re.search(r"增减|变动(?:幅度|比例|率)?|同比|change", c, re.I)
    if not m:
        return None
    before = len(re.findall(r"\d{4}年(?:度|末)?|(?:19|20)\d{2}(?!\d)", c[: m.start()]))
    return before if 0 < before <= n_cols else None


def read(lines: list[Line], language: str, row_hint: re.Pattern[str], *, caption: str = "") -> TextTable | None:
    """The table starting in ``lines``: header = the lines before the first line matching
    ``row_hint`` (a typical first row label); None when no such row or no period is readable."""
    header_lines: list[Line] = []
    first = None
    for i, ln in enumerate(lines):
        if row_hint.search(ln.norm) and not _INTRO.search(ln.norm):
            first = i
            break
        if not re.search(r"如下|[:：]$|as follows", ln.norm):
            header_lines.append(ln)
    if first is None:
        return None
    # The column header starts at its 项目 cell: lines above it are the caption ("2025年1—12月",
    # "单位：元"), never columns.
    heads = [i for i, ln in enumerate(header_lines) if re.match(r"^项\s*目", ln.norm)]
    if heads:
        caption = caption + " " + " ".join(ln.norm for ln in header_lines[: heads[-1]])
        header_lines = header_lines[heads[-1]:]
    header = " ".join(ln.norm for ln in header_lines[-20:])
    status = caption_status(caption + " " + " ".join(ln.norm for ln in header_lines[:-20]))
    header = re.sub(r"附\s*注", " ", header)
    periods = columns(header, language, status=status)
    if not periods:
        return None
    table = TextTable(periods=periods, header=header, header_lines=header_lines,
                      unit=unit_factor(" ".join(ln.norm for ln in header_lines)) or unit_factor(caption),
                      change_column=change_column(header, len(periods)))
    toks = tokens(lines[first:], language)
    for i, t in enumerate(toks):
        if t.numeric:
            continue
        vals = []
        j = i + 1
        while j < len(toks) and toks[j].numeric:
            vals.append(toks[j])
            j += 1
        table.rows.append(Row(label=t.text, line=t.line, values=vals))
    return table
