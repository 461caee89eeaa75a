"""Fiscal-year figures of the issuer: revenue, net profit attributable to the parent (before and after
non-recurring items), operating cash flow, R&D ratio and amount; the partial period; 累计未弥补亏损.

Scope, by construction:
- *period*: every column of the key-data table is bound to its period from its header
  (:mod:`checker.extract.periods`); only audited fiscal-year columns give ``financials.<m>.<year>``, a
  partial period gives ``financials.partial.*``, reviewed and forecast columns give nothing;
- *subject*: a prose figure counts only when nothing narrows its subject just before its label (a
  segment, a subsidiary, a peer or customer, a forecast) and it is not quoted from another company's
  report;
- *corroboration*: each figure is taken from the table and from every prose sentence that states it;
  agreeing sightings are all evidence; where the table says nothing, prose sightings that agree give
  the value, and prose sightings that disagree make it disputed (both quoted).
"""

from __future__ import annotations

import calendar
import re
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from checker.extract import texttable
from checker.extract.clean import norm
from checker.extract.numbers import parse_number, unit_factor
from checker.extract.periods import columns
from checker.extract.structure import Line, Section
from checker.facts.context import Ctx, rx
from checker.facts.figures import UNITS as _UNITS
from checker.facts.figures import bind_series, close_enough, figure_mentions, prose_mentions
from checker.facts.model import QUOTE_MAX, Evidence
from checker.facts.registry import FactSpec

NAME = "financials"
MONEY_METRICS = ("revenue", "net_profit_parent", "net_profit_parent_deducted", "operating_cash_flow", "rd_investment")
PERCENT_METRICS = ("rd_ratio_percent",)
ALL_METRICS = MONEY_METRICS + PERCENT_METRICS
_DESC = {
    "revenue": "营业收入 (consolidated), yuan",
    "net_profit_parent": "归属于母公司所有者的净利润, yuan",
    "net_profit_parent_deducted": "扣除非经常性损益后归属于母公司所有者的净利润, yuan",
    "operating_cash_flow": "经营活动产生的现金流量净额, yuan",
    "rd_investment": "研发投入, yuan",
    "rd_ratio_percent": "研发投入占营业收入的比例, percent",
}
PRODUCES = [
    *(FactSpec(f"financials.{m}.{{year}}", "percent" if m in PERCENT_METRICS else "money",
               f"{_DESC[m]}, for an audited fiscal year", "percent" if m in PERCENT_METRICS else "CNY")
      for m in ALL_METRICS),
    *(FactSpec(f"financials.partial.{m}", "percent" if m in PERCENT_METRICS else "money",
               f"{_DESC[m]}, for the partial period of the reporting period", "percent" if m in PERCENT_METRICS else "CNY")
      for m in ALL_METRICS),
    FactSpec("financials.partial_period", "date", "end date of the reporting period's partial period (ISO)"),
    FactSpec("financials.table_years", "codes", "the fiscal years the key-data table's columns are bound to"),
    FactSpec("financials.accumulated_uncovered_losses", "money", "累计未弥补亏损 at a stated date (positive = size of the losses)", "CNY"),
    FactSpec("financials.accumulated_uncovered_losses_date", "date", "date of the 累计未弥补亏损 figure (ISO)"),
]
_METRIC_ORDER = ("net_profit_parent_deducted", "net_profit_parent", "rd_ratio_percent", "operating_cash_flow",
                 "revenue", "rd_investment")
_UNIT_IN_LABEL = re.compile(r"\((?:人民币)?(?:十万|百万|千万|千|万|亿)?元\)|\(%\)|\([^()]*(?:rmb|yuan|%)[^()]*\)|\(元/股\)", re.I)
_HEADER_JUNK = re.compile(r"^(?:.*(?:年度|年|月|日|项目|末|度|/|item|items|\d))?$", re.I)
# Period expressions in a figure's sentence: a fiscal year, or something that is not one.


def match_metric(label: str, lex: dict) -> tuple[str, str] | None:
    """(metric, bare label) for a key-data row label; None for any other row."""
    bare = _UNIT_IN_LABEL.sub("", norm(label)).strip().rstrip(":")
    bare = re.sub(lex.get("row_note", r"(?!)"), "", bare)  # "（净亏损以“－”号填列）"
    bare = re.sub(lex.get("note_ref", r"(?!)"), "", bare)  # a statement row's note column ("七、61")
    bare = re.sub(lex.get("row_prefix", r"^$"), "", bare)
    # a label merged with its group line ("(一)按所有权归属分类1.归属于母公司股东的净利润"): the part
    # after the last numbering is the row's own label
    bare = re.split(r"(?:[一二三四五六七八九十]+、|\([一二三四五六七八九十\d]+\)|\d{1,2}[.、](?!\d))", bare)[-1] or bare
    if len(bare) > 160:
        return None
    for metric in _METRIC_ORDER:
        for pat in lex["metrics"][metric]:
            m = re.search(f"(?:{pat})$", bare, re.I)
            if not m:
                continue
            prefix = bare[: m.start()].strip()
            if prefix and (len(prefix) > 30 or not _HEADER_JUNK.match(prefix)):
                continue
            if rx(lex["row_qualifier"]).search(prefix):
                continue
            if metric == "net_profit_parent" and re.search(r"扣除|non-recurring", prefix, re.I):
                continue
            return metric, bare
    return None


def extract(ctx: Ctx) -> None:
    got = _key_table(ctx)
    if not got:
        _anchored_rows(ctx)
    _from_statements(ctx)
    _from_prose(ctx)
    _accumulated_losses(ctx)


# ----------------------------------------------------------------------- HTML tables

_HTML_CELL = re.compile(r"<t[dh][^>]*>([^<]*)</t[dh]>", re.I)


def html_rows(lines: list[Line]) -> list[Line]:
    """Lines as the table reader takes them: a line holding an HTML table (an OCR Markdown export
    prints "<table><tr><td>营业收入</td><td>4,555,968,287.39</td>…" on one line) becomes one line per
    row, its cells separated by spaces (an empty value cell reads "-", so that no value shifts into
    another column; a 附注 column is dropped); other lines stay as they are."""
    out: list[Line] = []
    note_col = None  # a statement's 附注 column: note references, often empty, never a period's value
    for ln in lines:
        if "<tr" not in ln.raw.lower():
            out.append(ln)
            if ln.norm.strip():
                note_col = None  # the table ended; its continuation tables follow it directly
            continue
        for k, chunk in enumerate(re.split(r"</tr>", ln.raw, flags=re.I)):
            start = chunk.lower().rfind("<tr")
            if start < 0:
                continue
            cells = [re.sub(r"\s+", "", c) for c in _HTML_CELL.findall(chunk[start:])]
            if k == 0 and cells and re.match(r"^项目", cells[0]):  # a new table's header row
                note_col = next((i for i, c in enumerate(cells) if i and c in ("附注", "注释")), None)
            if note_col is not None and note_col < len(cells):
                cells.pop(note_col)
            while cells and not cells[0]:
                cells.pop(0)  # an empty label cell (a sub-header row)
            if not cells:
                continue
            raw = " ".join(c or "-" for c in cells)
            out.append(Line(idx=ln.idx, page=ln.page, raw=raw, norm=norm(raw)))
    return out


# ----------------------------------------------------------------------- audited statements

_STATEMENT_METRICS = {"income": ("revenue", "net_profit_parent"), "cash_flow": ("operating_cash_flow",)}


def statement_figures(ctx: Ctx) -> list[dict]:
    """Fiscal-year figures of the consolidated income and cash-flow statements (computed once):
    {metric, year, value, page, quote, line}. Only audited fiscal-year columns; the first statement of
    each kind (the issuer's consolidated one, before the parent-only statements)."""
    return ctx.m.memo("statement_figures", lambda: _read_statements(ctx))  # type: ignore[no-any-return]


@lru_cache(maxsize=8)
def _any_caption(patterns: tuple[str, ...]) -> re.Pattern[str] | None:
    """One pattern matching where any statement caption does (a line that is none, almost every line,
    is then tried once); None when they cannot be joined (different flags, an inline flag)."""
    compiled = [rx(p) for p in patterns]
    if not compiled or len({p.flags for p in compiled}) != 1:
        return None
    try:
        return re.compile("|".join(f"(?:{p.pattern})" for p in compiled), compiled[0].flags)
    except re.error:
        return None


def _read_statements(ctx: Ctx) -> list[dict]:
    lex = ctx.lex if ctx.name == NAME else __import__("checker.facts.context", fromlist=["lexicon"]).lexicon(NAME)
    out: list[dict] = []
    lines = ctx.m.lines
    seen: set[str] = set()
    prefix = rx(lex["row_prefix"])
    any_caption = _any_caption(tuple(lex["statements"].values()))
    for i, ln in enumerate(lines):
        caption = prefix.sub("", ln.norm.lstrip("#").strip()).strip()  # a Markdown heading "## 合并利润表"
        if any_caption is not None and any_caption.match(caption) is None:
            continue
        for kind, pat in lex["statements"].items():
            if kind in seen or not rx(pat).match(caption):
                continue
            body = html_rows(lines[i + 1 : i + 1 + int(lex["statement_lines"])])
            table = texttable.read(body, ctx.m.language, rx(r"营业(?:总)?收入|经营活动"), caption=caption)
            if table is None or not any(p.fiscal_year for p in table.periods):
                continue
            unit = table.unit or unit_factor(" ".join(x.norm for x in body[:4]))
            if unit is None:
                continue
            seen.add(kind)
            wanted = _STATEMENT_METRICS[kind]
            taken: set[str] = set()
            for row in table.rows:
                hit = match_metric(row.label, lex)
                if hit is None or hit[0] not in wanted or hit[0] in taken:
                    continue
                pairs = table.bind(row)
                if pairs is None:
                    continue
                taken.add(hit[0])
                quote = (row.label + " " + " ".join(v.text for v in row.values))[:QUOTE_MAX]
                for period, tok in pairs:
                    v = parse_number(tok.text)
                    if v is not None and period.fiscal_year:
                        out.append({"metric": hit[0], "year": period.year, "value": (v * unit).quantize(Decimal("0.01")),
                                    "page": row.line.page, "quote": quote, "line": row.line})
    return out


def _from_statements(ctx: Ctx) -> None:
    """The audited statements corroborate the key-data table, or give a figure it does not."""
    for x in statement_figures(ctx):
        path = f"financials.{x['metric']}.{x['year']}"
        ev = ctx.ev(x["line"], quote=x["quote"], section="合并财务报表")
        f = ctx.fs.get(path)
        if f is None:
            ctx.add(path, x["value"], [ev], unit="CNY", confidence=0.85)
        elif close_enough(Decimal(str(f.value)), x["value"], "元") or abs(Decimal(str(f.value)) - x["value"]) <= Decimal(100):
            ctx.add(path, f.value, list(f.evidence) + [ev], unit=f.unit, confidence=min(1.0, f.confidence + 0.04),
                    details=f.details)


# ------------------------------------------------------------------------------- key table


def _key_table(ctx: Ctx) -> set[str]:
    lex = ctx.lex
    secs = ctx.m.keyed.get("key_financials", [])
    if not secs:
        ctx.missing("financials.table_years", "the key financial data table (主要财务数据和财务指标) was not found")
        return set()
    hint = rx(lex["row_hint"])
    for sec in secs:
        lines = html_rows(ctx.m.body(sec))
        before = " ".join(ln.norm for ln in ctx.m.lines[max(0, sec.start - 2) : sec.start + 1])
        table = texttable.read(lines, ctx.m.language, hint, caption=sec.title + " " + before)
        if table is None:
            continue
        if table.unit is None:
            table.unit = unit_factor(before)
        seen, problems = _read_rows(ctx, sec, table)
        if seen:
            if any(m not in seen for m in ("revenue", "net_profit_parent", "net_profit_parent_deducted")):
                seen |= _from_pdf_tables(ctx, sec)
            years = sorted({p.year for p in table.periods if p.fiscal_year})
            ctx.add("financials.table_years", [str(y) for y in years],
                    [ctx.ev(table.header_lines[-1] if table.header_lines else ctx.m.lines[sec.start], quote=table.header[:QUOTE_MAX])],
                    confidence=0.9, details={"row_problems": problems} if problems else None)
            return seen
    got = _from_pdf_tables(ctx, secs[0])
    if not got:
        ctx.missing("financials.table_years", f"the table under '{secs[0].title}' (page {secs[0].start_page}) has no "
                    "labelled rows whose columns could be bound to periods")
    return got


def _read_rows(ctx: Ctx, sec: Section, table: texttable.TextTable) -> tuple[set[str], dict[str, str]]:
    lex = ctx.lex
    loss = rx(lex["loss_label"])
    row_units = {unit_factor(r.label) for r in table.rows
                 if unit_factor(r.label) is not None and not re.search(r"每股|per share", r.label, re.I)}
    inherited = row_units.pop() if len(row_units) == 1 else None
    seen: set[str] = set()
    problems: dict[str, str] = {}
    partial_end = None
    for row in table.rows:
        hit = match_metric(row.label, lex)
        if hit is None or hit[0] in seen:
            continue
        metric, label = hit
        pairs = table.bind(row)
        if pairs is None:
            problems.setdefault(metric, f"row '{label}' on page {row.line.page} has {len(row.values)} values "
                                        f"for {len(table.periods)} columns")
            continue
        factor: Decimal | None
        if metric in PERCENT_METRICS:
            factor, unit = Decimal(1), "percent"
        else:
            factor, unit = unit_factor(row.label) or table.unit or inherited, "CNY"
            if factor is None:
                problems.setdefault(metric, f"no unit stated for row '{label}' (page {row.line.page})")
                continue
        seen.add(metric)
        sign = Decimal(-1) if loss.search(label) and not re.search(r"净利润", label) else Decimal(1)
        quote = (row.label + " " + " ".join(v.text for v in row.values))[:QUOTE_MAX]
        ev = [ctx.ev(row.line, quote=quote, section=sec.title)]
        conf = 0.95 if unit_factor(row.label) or unit == "percent" else (0.9 if table.unit else 0.75)
        for period, tok in pairs:
            num = parse_number(tok.text)
            if num is None:
                continue
            value = (num * factor * sign).quantize(Decimal("0.01")) if unit == "CNY" else num
            if period.fiscal_year:
                ctx.add(f"financials.{metric}.{period.year}", value, ev, unit=unit, confidence=conf)
            elif period.kind == "partial" and period.status == "audited" and partial_end in (None, period.end):
                # Only the first (latest) partial column: a year-earlier comparison column is not the period.
                ctx.add(f"financials.partial.{metric}", value, ev, unit=unit, confidence=conf)
                if partial_end is None:
                    partial_end = period.end
                    ctx.add("financials.partial_period", period.end, ev, confidence=conf)
    return seen, problems


def _from_pdf_tables(ctx: Ctx, sec: Section) -> set[str]:
    """pdfplumber on the key-data table's own pages, for metrics the text pass could not read."""
    if ctx.doc.source_format != "pdf":
        return set()
    from checker.extract.tables import read_tables

    lex = ctx.lex
    around = " ".join(ln.norm for ln in ctx.m.lines[max(0, sec.start - 2) : min(sec.end, sec.start + 6)])
    unit_hint = unit_factor(around)
    filled: set[str] = set()
    pages = list(range(sec.start_page, min(sec.end_page, sec.start_page + 1) + 1))
    for table in read_tables(Path(ctx.doc.path), pages):
        header = " ".join(norm(c) for c in table.header())
        cols = columns(header, ctx.m.language)
        if not cols:
            continue
        table_unit = unit_factor(header) or unit_hint
        for row in table.rows[1:]:
            if not row or not row[0]:
                continue
            hit = match_metric(row[0], lex)
            if hit is None:
                continue
            metric = hit[0]
            if metric in filled or any(ctx.has(f"financials.{metric}.{c.year}") for c in cols if c.fiscal_year):
                continue
            cells = [c for c in row[1:] if c and parse_number(norm(c)) is not None]
            if len(cells) != len(cols):
                continue
            factor: Decimal | None
            if metric in PERCENT_METRICS:
                factor, unit = Decimal(1), "percent"
            else:
                factor, unit = unit_factor(norm(row[0])) or table_unit, "CNY"
                if factor is None:
                    continue
            ev = [Evidence(page=table.page, page_label=ctx.m.page_label(table.page), section=sec.title,
                           quote=(row[0] + " " + " ".join(cells))[:QUOTE_MAX])]
            for col, cell in zip(cols, cells):
                num = parse_number(norm(cell))
                if num is None:
                    continue
                value = (num * factor).quantize(Decimal("0.01")) if unit == "CNY" else num
                reader = {"reader": "pdfplumber"}  # the table read from the PDF's drawn cells, not the text pass
                if col.fiscal_year:
                    ctx.add(f"financials.{metric}.{col.year}", value, ev, unit=unit, confidence=0.85, details=reader)
                elif col.kind == "partial":
                    ctx.add(f"financials.partial.{metric}", value, ev, unit=unit, confidence=0.85, details=reader)
            filled.add(metric)
    return filled


# ------------------------------------------------------------------------------------ prose


def _from_prose(ctx: Ctx) -> None:
    """Corroborate the table's figures with the prose, or take them from it where the table is silent.

    Only fiscal years inside the reporting period (a later year is a forecast or a post-period
    highlight).
    """
    m = ctx.m
    table_years = [y for metric in ALL_METRICS for y in ctx.fs.years(f"financials.{metric}")]
    partial = ctx.value("financials.partial_period")
    limit = max(table_years) if table_years else None
    if isinstance(partial, str) and partial[:4].isdigit():
        limit = min(limit, int(partial[:4]) - 1) if limit is not None else int(partial[:4]) - 1
    by_path: dict[str, list[dict]] = {}
    for mention in prose_mentions(ctx):
        if mention["metric"] not in ALL_METRICS:
            continue  # consolidated net profit only anchors an unlabelled table
        if mention["year"] is None or (limit is not None and mention["year"] > limit):
            continue
        by_path.setdefault(f"financials.{mention['metric']}.{mention['year']}", []).append(mention)
    for path, ms in by_path.items():
        evs = [Evidence(page=x["page"], quote=x["quote"], page_label=m.page_label(x["page"])) for x in ms]
        table_fact = ctx.fs.get(path)
        percent = ms[0]["metric"] in PERCENT_METRICS

        def agrees(a: Decimal, b: Decimal, quote: str) -> bool:
            return abs(a - b) <= Decimal("0.01") if percent else close_enough(a, b, quote)

        if table_fact is not None:
            agree = [e for x, e in zip(ms, evs) if agrees(Decimal(str(table_fact.value)), x["value"], x["quote"])]
            if agree:
                ctx.add(path, table_fact.value, list(table_fact.evidence) + agree[:3], unit=table_fact.unit,
                        confidence=min(1.0, table_fact.confidence + 0.04), details=table_fact.details)
            continue
        values = sorted({x["value"] for x in ms})
        if len(values) == 1 or all(agrees(values[0], v, ms[0]["quote"]) for v in values):
            ctx.add(path, ms[0]["value"], evs[:4], unit="percent" if percent else "CNY", confidence=0.65)
        else:
            ctx.dispute(path, f"the filing states {len(values)} different figures for it", evs)


# ----------------------------------------------------------------- rows that lost their labels


def _unlabelled(ctx: Ctx, lines) -> tuple[list, list[list[Decimal | None]], list]:  # type: ignore[no-untyped-def]
    """(periods, rows of values, the line of each row) of a key-data table whose label column is lost:
    one line per row of bare numbers, or one cell per column with its numbers glued together."""
    glued = rx(ctx.lex["glued_number"])
    periods: list = []
    rows: list[list[Decimal | None]] = []
    where: list = []
    for ln in lines:
        if not periods:
            cols = columns(ln.norm, ctx.m.language)
            if not cols:
                continue
            # Column-glued form: "项目 2018年12月31日/2018年度135,806.54123,008.97… 2017年…"
            cells = re.split(r"\s+(?=\d{4}年)", norm(ln.raw).replace("项目", "", 1).strip())
            per_col = []
            for cell in cells:
                head = re.match(r"^[\d年月日/度末-]*?(?:年度|年末|年度/末|月)(?=-?\d)", cell)
                nums = glued.findall(cell[head.end():]) if head else []
                per_col.append(nums)
            if len(per_col) == len(cols) and any(len(c) >= 4 for c in per_col):
                n = max(len(c) for c in per_col)
                keep = [i for i, c in enumerate(per_col) if len(c) == n]
                periods = [cols[i] for i in keep]
                for r in range(n):
                    rows.append([parse_number(per_col[i][r].rstrip("%")) for i in keep])
                    where.append(ln)
                return periods, rows, where
            periods = cols
            continue
        toks = norm(ln.raw).split()
        if toks and all(parse_number(t) is not None or t in ("-", "—") for t in toks):
            if len(toks) == len(periods):
                rows.append([parse_number(t) for t in toks])
                where.append(ln)
        elif rows:
            break
    return periods, rows, where


def _anchored_rows(ctx: Ctx) -> None:
    """Read a key-data table whose row labels were lost, where prose anchors it.

    The rows stand in the order the format standard prescribes (prescribed_rows). A run of rows is
    identified only when prose figures confirm it: the revenue row (its values equal the revenue the
    prose states for those years), and the two rows after it equal the prose net profit and net
    profit attributable. The row right after that confirmed run is the deducted figure; nothing
    beyond the run is read.
    """
    secs = ctx.m.keyed.get("key_financials", [])
    if not secs:
        return
    sec = secs[0]
    periods, rows, where = _unlabelled(ctx, ctx.m.body(sec))
    if len(rows) < 7 or not periods:
        return
    stated_unit = unit_factor(" ".join(ln.norm for ln in ctx.m.lines[max(0, sec.start - 2) : sec.start + 4])) or unit_factor(sec.title)
    # Anchors may come from anywhere in the filing (the 重大事项提示 often restates the figures), but only
    # prose about the issuer itself, and a row counts only when two of its years equal the prose.
    mentions = [x for x in figure_mentions(ctx, ctx.m.body_pages) if x["issuer"]]
    bind_series(ctx, mentions, partial=any(p.kind == "partial" for p in periods))
    stated: dict[tuple[str, int], Decimal] = {}
    for x in mentions:
        if x["year"] is not None:
            stated.setdefault((x["metric"], x["year"]), x["value"])
    stated_np = {y: v for (mt, y), v in stated.items() if mt in ("net_profit", "net_profit_parent")}

    def agrees(row: list[Decimal | None], metric: str, unit: Decimal) -> bool:
        hits = 0
        for period, v in zip(periods, row):
            want = stated.get((metric, period.year)) if metric != "net_profit" else stated_np.get(period.year)
            if want is None or not period.fiscal_year:
                continue
            if v is None or abs(v * unit - want) > unit / 100:
                return False
            hits += 1
        return hits >= 2

    order = ctx.lex["prescribed_rows"]
    r_rev = order.index("revenue")
    # The unit is the stated one, else the one under which the prose confirms the rows.
    units = [stated_unit] if stated_unit else [Decimal(10_000), Decimal(1), Decimal(100_000_000)]
    for i, unit in ((i, u) for u in units for i in range(len(rows) - 3)):
        if not agrees(rows[i], "revenue", unit):
            continue
        if not (agrees(rows[i + 1], "net_profit", unit) and agrees(rows[i + 2], "net_profit", unit)):
            continue
        run = {"revenue": i, "net_profit_parent": i + 2, "net_profit_parent_deducted": i + 3}
        anchors = [Evidence(page=x["page"], quote=x["quote"], page_label=ctx.m.page_label(x["page"]))
                   for x in mentions if x["metric"] in ("revenue", "net_profit_parent")][:2]
        for metric, j in run.items():
            line = where[j]
            note = (f"row labels lost in this export: row {j + 1} is '{metric}' by the format standard's row "
                    f"order ({order[r_rev:]}), confirmed by the prose figures quoted alongside")
            ev = [ctx.ev(line, quote=line.raw.strip()[:280], section=sec.title, note=note)] + anchors
            for period, v in zip(periods, rows[j]):
                if v is None:
                    continue
                value = (v * unit).quantize(Decimal("0.01"))
                if period.fiscal_year:
                    ctx.add(f"financials.{metric}.{period.year}", value, ev, unit="CNY", confidence=0.6)
        years = sorted({p.year for p in periods if p.fiscal_year})
        ctx.add("financials.table_years", [str(y) for y in years], [ctx.ev(where[i], section=sec.title)], confidence=0.6,
                details={"anchored": True})
        ctx.fs.missing.pop("financials.table_years", None)
        partial = next((p for p in periods if p.kind == "partial"), None)
        if partial is not None and not ctx.has("financials.partial_period"):
            # the header's partial column (2019年1-6月): a reporting-period series one longer than the
            # fiscal years ends with it
            ctx.add("financials.partial_period", partial.end, [ctx.ev(where[i], section=sec.title)], confidence=0.6)
        return


# ------------------------------------------------------------------------ accumulated losses


def _losses_amount(m: re.Match[str]) -> tuple[Decimal, str] | None:
    """(amount, unit) of a losses statement: the consolidated one where "合并报表、母公司报表…分别为A、B"
    names two subjects; None when two amounts cannot be told apart."""
    subjects = m.group(4) or ""
    unit = m.group(6) or m.group(8)
    if unit is None:
        return None
    if m.group(7) is None:
        idx = 0
    elif "合并" in subjects and "母公司" in subjects:
        idx = 0 if subjects.startswith("合并") else 1
    else:
        return None  # two amounts, not one per named subject
    v = parse_number(m.group(5) if idx == 0 else m.group(7))
    return None if v is None else (v, unit)


def _accumulated_losses(ctx: Ctx) -> None:
    """累计未弥补亏损 stated as an amount at a date (yuan, positive = the size of the losses)."""
    lex = ctx.lex
    pat, pat_en = rx(lex["losses"]), rx(lex["losses_en"])
    for p in ctx.m.body_pages:
        sp = ctx.m.page_span(p)
        if "未弥补亏损" not in sp.text and "accumulated" not in sp.text.lower():
            continue
        for m in pat.finditer(sp.text):
            hit = _losses_amount(m)
            if hit is None:
                continue
            v, unit = hit
            if "未分配利润" in m.group(0) and v >= 0:
                continue  # retained earnings are not losses
            year, month = int(m.group(1)), int(m.group(2))
            if not 1 <= month <= 12:
                continue
            day = int(m.group(3)) if m.group(3) else calendar.monthrange(year, month)[1]  # "6月末"
            iso = f"{year:04d}-{month:02d}-{day:02d}"
            ev = [ctx.ev_at(sp, m.start(), m.end(), before=40)]
            ctx.add("financials.accumulated_uncovered_losses", abs(v) * _UNITS[unit], ev, unit="CNY", confidence=0.8)
            ctx.add("financials.accumulated_uncovered_losses_date", iso, ev, confidence=0.8)
            return
        for m in pat_en.finditer(sp.text):
            from checker.extract.periods import _MONTHS

            mon = _MONTHS.get(m.group(2).lower())
            amount = parse_number(m.group(4))
            if mon is None or amount is None:
                continue
            mult = {"million": Decimal(10) ** 6, "billion": Decimal(10) ** 9, "thousand": Decimal(1000), "": Decimal(1)}[(m.group(5) or "").lower()]
            ev = [ctx.ev_at(sp, m.start(), m.end(), before=40)]
            ctx.add("financials.accumulated_uncovered_losses", amount * mult, ev, unit="CNY", confidence=0.75)
            ctx.add("financials.accumulated_uncovered_losses_date", f"{int(m.group(3)):04d}-{mon:02d}-{int(m.group(1)):02d}", ev, confidence=0.75)
            return
    why = "no amount of 累计未弥补亏损 at a stated date was found"
    ctx.missing("financials.accumulated_uncovered_losses", why)
    ctx.missing("financials.accumulated_uncovered_losses_date", why)
