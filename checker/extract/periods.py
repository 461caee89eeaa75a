"""Bind table columns to their periods, read from the column headers.

A column is a fiscal year ("2024年度", "2024年12月31日/2024年度", "2024"), a partial period
("2025年1-6月", "six months ended June 30, 2025"), or a balance-sheet date ("2025年6月30日"). Its
status says whether its figures are reporting-period data: ``audited`` (the default for a key-data
table), ``reviewed`` (审阅, 未经审计: interim figures after the audit cut-off), or ``forecast``
(预计, 预测, 业绩预告). Only audited fiscal-year columns are fiscal-year figures; a header whose
periods cannot be read binds no column, so its values yield nothing.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from checker.extract.clean import compact, norm

_PERIOD_ZH = re.compile(
    r"(?P<part>(?P<py>\d{4})年(?:度)?(?P<m1>\d{1,2})(?:月)?[-–~至](?P<m2>\d{1,2})月)"
    r"|(?P<quarter>(?P<qy>\d{4})年(?:第)?(?P<q>[一二三1-3])季度)"
    r"|(?P<half>(?P<hy>\d{4})年(?:上)?半年度?)"
    r"|(?P<date>(?P<dy>\d{4})[-./年](?P<dm>\d{1,2})[-./月](?P<dd>\d{1,2})日?)"
    r"|(?P<mend>(?P<my>\d{4})年(?P<mm>\d{1,2})月(?:末|底))"
    r"|(?P<year>(?P<yy>\d{4})年(?:度|末)?)"
)
_MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
_PERIOD_EN = re.compile(
    r"(?P<part>(?:six|nine|three|6|9|3)[- ]months? ended (?P<pm>[a-z]+) (?P<pd>\d{1,2}),? (?P<py>\d{4}))"
    r"|(?P<date>(?:as (?:of|at) )?(?P<dm>[a-z]+) (?P<dd>\d{1,2}),? (?P<dy>\d{4}))"
    r"|(?P<year>(?:fy|year )?(?P<yy>(?:19|20)\d{2}))",
    re.I,
)
REVIEWED = re.compile(r"审阅|未经审计|未审计|unaudited|reviewed", re.I)
FORECAST = re.compile(r"预计|预测|业绩预告|盈利预测|forecast|estimated|expected", re.I)


@dataclass(frozen=True)
class Period:
    """The period a column's figures are for."""

    kind: str  # year | partial | date
    year: int
    end: str  # ISO end date
    status: str = "audited"  # audited | reviewed | forecast

    @property
    def fiscal_year(self) -> bool:
        """A complete, audited fiscal year."""
        return self.kind == "year" and self.status == "audited"


def _real_date(y: int, mo: int, d: int) -> bool:
    try:
        date(y, mo, d)
    except ValueError:
        return False
    return True


def _status(tail: str, default: str) -> str:
    if FORECAST.search(tail):
        return "forecast"
    if REVIEWED.search(tail):
        return "reviewed"
    return default


def columns(header: str, language: str = "zh", *, status: str = "audited") -> list[Period]:
    """The periods of a header's columns, in order; [] when none can be read.

    ``status`` is the status of the table as a whole (from its caption); a column's own note
    ("2024年度（未经审计）") overrides it.
    """
    periods: list[tuple[int, Period]] = []
    dates: list[tuple[int, Period]] = []
    if language == "zh":
        text = compact(header)
        ms = list(_PERIOD_ZH.finditer(text))
        for i, m in enumerate(ms):
            tail = text[m.end() : ms[i + 1].start() if i + 1 < len(ms) else len(text)]
            st = _status(tail, status)
            if m.group("part"):
                y, m2 = int(m.group("py")), int(m.group("m2"))
                if not 1 <= m2 <= 12:
                    continue  # "2024年1-13月" is a misprint, not a period
                kind = "year" if int(m.group("m1")) == 1 and m2 == 12 else "partial"
                periods.append((m.start(), Period(kind, y, f"{y}-{m2:02d}-{calendar.monthrange(y, m2)[1]:02d}", st)))
            elif m.group("quarter"):
                y = int(m.group("qy"))
                q = {"一": 1, "二": 2, "三": 3}.get(m.group("q"), int(m.group("q")) if m.group("q").isdigit() else 1)
                mo = 3 * q
                periods.append((m.start(), Period("partial", y, f"{y}-{mo:02d}-{calendar.monthrange(y, mo)[1]:02d}", st)))
            elif m.group("half"):
                y = int(m.group("hy"))
                periods.append((m.start(), Period("partial", y, f"{y}-06-30", st)))
            elif m.group("mend"):
                y, mo = int(m.group("my")), int(m.group("mm"))
                if 1 <= mo <= 12:
                    dates.append((m.start(), Period("date", y, f"{y}-{mo:02d}-{calendar.monthrange(y, mo)[1]:02d}", st)))
            elif m.group("date"):
                y, mo, d = int(m.group("dy")), int(m.group("dm")), int(m.group("dd"))
                if _real_date(y, mo, d):
                    dates.append((m.start(), Period("date", y, f"{y}-{mo:02d}-{d:02d}", st)))
            else:
                y = int(m.group("yy"))
                periods.append((m.start(), Period("year", y, f"{y}-12-31", st)))
    else:
        text = norm(header)
        for m in _PERIOD_EN.finditer(text):
            tail = text[m.end() : m.end() + 30]
            st = _status(tail, status)
            if m.group("part") and m.group("pm").lower() in _MONTHS:
                y, mo = int(m.group("py")), _MONTHS[m.group("pm").lower()]
                if _real_date(y, mo, int(m.group("pd"))):
                    periods.append((m.start(), Period("partial", y, f"{y}-{mo:02d}-{int(m.group('pd')):02d}", st)))
            elif m.group("date") and m.group("dm").lower() in _MONTHS:
                y, mo = int(m.group("dy")), _MONTHS[m.group("dm").lower()]
                if _real_date(y, mo, int(m.group("dd"))):
                    dates.append((m.start(), Period("date", y, f"{y}-{mo:02d}-{int(m.group('dd')):02d}", st)))
            elif m.group("year"):
                y = int(m.group("yy"))
                periods.append((m.start(), Period("year", y, f"{y}-12-31", st)))
    if periods:
        return [p for _, p in periods]
    # Only dates ("2024年12月31日"): a year-end date stands for that year's column.
    return [Period("year" if p.end.endswith("-12-31") else "partial", p.year, p.end, p.status) for _, p in dates]


def caption_status(caption: str) -> str:
    """The status a table's caption gives all its columns."""
    return _status(caption, "audited")
