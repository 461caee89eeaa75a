"""Build the FactSet of a filing from its pages and structure.

Every fact carries evidence (page, quote <= 300 characters, printed page label, section) and a
confidence. What cannot be established goes to ``FactSet.mark_missing`` with the reason; nothing
is guessed. Wording lives in ``lexicon.yaml`` next to this file; headings in
``checker/extract/headings.yaml``.
"""

from __future__ import annotations

import calendar
import unicodedata
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import yaml

from checker.extract.clean import compact, norm
from checker.extract.document import Document
from checker.extract.numbers import cn_numeral, is_number_token, parse_number, unit_factor
from checker.extract.structure import Line, Section, Structure, analyse
from checker.facts.model import QUOTE_MAX, Evidence, Fact, FactSet

_LEXICON_FILE = Path(__file__).with_name("lexicon.yaml")
SOURCE = "facts.build"

MONEY_METRICS = ("revenue", "net_profit_parent", "net_profit_parent_deducted", "operating_cash_flow", "rd_investment")
PERCENT_METRICS = ("rd_ratio_percent",)
ALL_METRICS = MONEY_METRICS + PERCENT_METRICS
SECTION_KEYS = (
    "definitions", "overview", "offering", "risk_factors", "issuer_basic", "business_technology",
    "financial", "proceeds", "governance", "investor_protection", "other_matters", "declarations",
    "appendices", "major_matters_notice", "listing_standard", "key_financials", "intermediaries",
)
_ITEM = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "1": 1, "2": 2, "3": 3, "4": 4, "5": 5,
         "i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5}
_ORD_EN = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5}
_ORG = r"[\u4e00-\u9fffA-Za-z()&·]{2,40}?(?:有限责任公司|股份有限公司|有限公司|律师事务所(?:\([^)]{2,10}\))?|会计师事务所(?:\([^)]{2,10}\))?)"
_PERSON = r"[\u4e00-\u9fff·]{2,4}"


@lru_cache(maxsize=1)
def lexicon() -> dict:
    """The wording lexicon (lexicon.yaml)."""
    return yaml.safe_load(_LEXICON_FILE.read_text(encoding="utf-8"))


@dataclass
class _Ctx:
    doc: Document
    st: Structure
    fs: FactSet

    def ev(self, line: Line | None = None, *, page: int | None = None, quote: str = "") -> Evidence:
        pg = line.page if line is not None else (page or 1)
        label = self.doc.pages[pg - 1].label if 0 < pg <= len(self.doc.pages) else None
        section = self.st.section_title_at(line.idx) if line is not None else None
        q = quote or (line.raw.strip() if line is not None else "")
        return Evidence(page=pg, quote=q[:QUOTE_MAX], page_label=label, section=section)

    def add(self, path: str, value, evidence: list[Evidence], *, unit: str | None = None, confidence: float = 0.9) -> None:
        self.fs.add(Fact(path=path, value=value, unit=unit, evidence=evidence, confidence=confidence, source=SOURCE))


def build_facts(doc: Document, structure: Structure | None = None) -> FactSet:
    """All facts of ``doc`` (see design.md section 5 for the paths)."""
    st = structure or analyse(doc)
    ctx = _Ctx(doc=doc, st=st, fs=FactSet())
    _identity(ctx)
    _sections(ctx)
    _listing_standard(ctx)
    _financials(ctx)
    _disclosures(ctx)
    _intermediaries(ctx)
    _parties(ctx)
    return ctx.fs


# ------------------------------------------------------------------------------ identity


def _cover_lines(ctx: _Ctx, pages: int = 3) -> list[tuple[int, str]]:
    out = []
    for p in ctx.doc.pages[:pages]:
        for raw in p.raw_lines:
            out.append((p.number, raw))
    return out


def _identity(ctx: _Ctx) -> None:
    lex = lexicon()
    cover = _cover_lines(ctx)
    # Title candidates: cover lines first, then the most common running header.
    headers: dict[str, int] = {}
    for p in ctx.doc.pages:
        for h in p.header[:1]:
            headers[h] = headers.get(h, 0) + 1
    top_header = max(headers, key=headers.get) if headers else None
    probes = [(pg, raw) for pg, raw in cover] + ([(2, top_header)] if top_header else [])
    title = ctx.doc.metadata.get("title") or ctx.doc.metadata.get("Title") or ""
    if title:
        probes.append((1, title))

    kind_found = None
    for kind in ("preliminary_prospectus", "prospectus", "annual_report"):
        for pg, raw in probes:
            n = norm(raw)
            if any(re.search(p, n, re.I) for p in lex["kind"][kind]) and len(compact(raw)) <= 80:
                kind_found = (kind, pg, raw)
                break
        if kind_found:
            break
    if kind_found:
        ctx.add("document.kind", kind_found[0], [ctx.ev(page=kind_found[1], quote=kind_found[2])], confidence=0.95)
    else:
        ctx.add("document.kind", "other", [ctx.ev(page=1, quote=(cover[0][1] if cover else ""))], confidence=0.6)

    stage = None
    for pg, raw in probes:
        n = norm(raw)
        if len(compact(raw)) > 80:
            continue
        for name, pats in lex["stage"].items():
            if any(re.search(p, n, re.I) for p in pats):
                stage = (name, pg, raw)
                break
        if stage:
            break
    if stage:
        ctx.add("document.stage", stage[0], [ctx.ev(page=stage[1], quote=stage[2])], confidence=0.95)
    elif kind_found and kind_found[0] != "annual_report":
        ctx.add("document.stage", None, [ctx.ev(page=kind_found[1], quote=kind_found[2])], confidence=0.8)
    else:
        ctx.fs.mark_missing("document.stage", "no draft-stage mark (申报稿/上会稿/注册稿) on the cover")

    _board(ctx, probes, cover)
    ctx.add("document.language", ctx.st.language, [ctx.ev(page=1, quote=(cover[0][1] if cover else ""))], confidence=0.95)
    _issuer_name(ctx, cover, top_header)


def _board(ctx: _Ctx, probes: list[tuple[int, str]], cover: list[tuple[int, str]]) -> None:
    lex = lexicon()
    # 1. The title ("首次公开发行股票并在科创板上市") or a board statement on the cover.
    for board in ("star", "chinext", "bse", "main"):
        for pg, raw in probes:
            n = norm(raw)
            if any(re.search(p, n, re.I) for p in lex["board"][board][:2]):
                ctx.add("document.board", board, [ctx.ev(page=pg, quote=raw)], confidence=0.95)
                return
    # 2. A stock code on the cover.
    for pg, raw in cover:
        n = norm(raw)
        m = re.search(r"(?:股票代码|公司代码|证券代码|stock code)[:：\s]*(\d{6})", n, re.I)
        if m:
            for board, pat in lex["board_codes"].items():
                if re.fullmatch(pat, m.group(1)):
                    ctx.add("document.board", board, [ctx.ev(page=pg, quote=raw)], confidence=0.9)
                    return
    # 3. Any board word on the cover.
    for board in ("star", "chinext", "bse", "main"):
        for pg, raw in cover:
            if any(re.search(p, norm(raw), re.I) for p in lex["board"][board]):
                ctx.add("document.board", board, [ctx.ev(page=pg, quote=raw)], confidence=0.8)
                return
    # 4. Where the offering says the shares will trade.
    counts: dict[str, tuple[int, int, str]] = {}
    for p in ctx.doc.pages[:80]:
        text = "".join(norm(x) for x in p.lines)
        for m in re.finditer(r"(科创板|创业板|北京证券交易所)(?:市场)?(?:上市|挂牌)", text):
            b = {"科创板": "star", "创业板": "chinext", "北京证券交易所": "bse"}[m.group(1)]
            n, pg, q = counts.get(b, (0, p.number, text[max(0, m.start() - 60) : m.end() + 20]))
            counts[b] = (n + 1, pg, q)
    if counts:
        b = max(counts, key=lambda k: counts[k][0])
        ctx.add("document.board", b, [ctx.ev(page=counts[b][1], quote=counts[b][2])], confidence=0.75)
        return
    code = ctx.doc.metadata.get("股票代码")
    if code:
        for board, pat in lex["board_codes"].items():
            if re.fullmatch(pat, code.strip()):
                ctx.add("document.board", board, [ctx.ev(page=1, quote=f"股票代码: {code}")], confidence=0.7)
                return
    ctx.add("document.board", "unknown", [ctx.ev(page=1, quote=(cover[0][1] if cover else ""))], confidence=0.5)


_COMPANY = re.compile(r"^([\u4e00-\u9fff()]{4,40}?(?:股份有限公司|有限责任公司|有限公司|集团公司))")
_COMPANY_EN = re.compile(r"^([A-Z][A-Za-z0-9&.,' ()-]{3,80}?(?:Co\.,? ?Ltd\.?|Limited|Inc\.|Corporation|Corp\.))", re.I)


def _issuer_name(ctx: _Ctx, cover: list[tuple[int, str]], top_header: str | None) -> None:
    cands: dict[str, list[tuple[int, str, int]]] = {}
    for pg, raw in cover:
        c = compact(raw)
        m = _COMPANY.match(c)
        if m and (c == m.group(1) or re.match(r"^(招股|首次公开|年度报告|\d{4}年)", c[len(m.group(1)) :])):
            cands.setdefault(m.group(1), []).append((pg, raw, 3 if c == m.group(1) else 2))
        elif ctx.st.language == "en":
            m2 = _COMPANY_EN.match(norm(raw))
            if m2 and len(norm(raw)) <= len(m2.group(1)) + 5:
                cands.setdefault(m2.group(1).strip(), []).append((pg, raw, 3))
    if top_header:
        m = _COMPANY.match(compact(top_header))
        if m:
            cands.setdefault(m.group(1), []).append((2, top_header, 2))
    if not cands:
        ctx.fs.mark_missing("issuer.name", "no company name (…股份有限公司) found on the cover or in the running header")
        return
    best = max(cands, key=lambda k: (sum(w for *_, w in cands[k]), -cands[k][0][0]))
    pg, raw, _ = cands[best][0]
    ctx.add("issuer.name", best, [ctx.ev(page=pg, quote=raw)], confidence=0.95 if len(cands[best]) > 1 else 0.85)


# ------------------------------------------------------------------------------ sections


def _sections(ctx: _Ctx) -> None:
    for key in SECTION_KEYS:
        sec = ctx.st.find(key)
        if sec is None:
            ctx.fs.mark_missing(f"sections.{key}", "no heading with this title was found")
            continue
        ctx.add(f"sections.{key}", True, [ctx.ev(ctx.st.lines[sec.start])], confidence=0.9)


def _section_text(ctx: _Ctx, lines: list[Line]) -> tuple[str, list[int]]:
    """Join lines (normalised) into one string and return the offset where each line starts."""
    parts, offsets, pos = [], [], 0
    for ln in lines:
        offsets.append(pos)
        sep = "" if ctx.st.language == "zh" else " "
        parts.append(ln.norm + sep)
        pos += len(ln.norm) + len(sep)
    return "".join(parts), offsets


def _line_at(lines: list[Line], offsets: list[int], pos: int) -> Line:
    import bisect

    i = max(0, bisect.bisect_right(offsets, pos) - 1)
    return lines[i]


def _quote_around(text: str, start: int, end: int, width: int = 280) -> str:
    pad = max(0, (width - (end - start)) // 2)
    a = max(0, start - min(pad, 60))
    return text[a : a + width]


# ------------------------------------------------------------------------ listing standard


def _excluded_ranges(ctx: _Ctx, pat: re.Pattern) -> list[tuple[int, int]]:
    """Line ranges of the headings whose title matches pat (computed once, not per line)."""
    return [(h.start, h.end) for h in ctx.st.headings if pat.search(compact(h.title))]


def _listing_standard(ctx: _Ctx) -> None:
    lex = lexicon()["listing_standard"]
    sec = ctx.st.find("listing_standard")
    excl = re.compile(lex["exclude_heading"], re.I)
    scopes: list[tuple[str, list[Line], float]] = []
    if sec is not None:
        scopes.append(("section", ctx.st.lines[sec.start : sec.end], 0.95))
    ov = ctx.st.find("overview")
    if ov is not None:
        scopes.append(("overview", ctx.st.lines[ov.start : ov.end], 0.85))
    scopes.append(("document", ctx.st.lines, 0.75))

    ranges = _excluded_ranges(ctx, excl)
    for scope, lines, conf in scopes:
        lines = [ln for ln in lines if not any(a <= ln.idx < b for a, b in ranges)]
        text, offs = _section_text(ctx, lines)
        found = _find_claim(text, lex, ctx.st.language, whole=scope == "document")
        if found:
            claim, a, b, how = found
            ln = _line_at(lines, offs, a)
            ev = ctx.ev(ln, quote=_quote_around(text, a, b))
            ctx.add("listing_standard.claimed", claim, [ev], confidence=conf if how != "threshold" else conf - 0.1)
            _market_cap(ctx, lines, text, offs, lex)
            return
    why = "no listing-standard statement (article 2.1.x item, 审核规则 article, 第X套标准 or the rule's threshold wording) was found"
    if sec is not None:
        why = f"the section '{sec.title}' (pages {sec.start_page}-{sec.end_page}) was read but names no standard"
    ctx.fs.mark_missing("listing_standard.claimed", why)
    ctx.fs.mark_missing("listing_standard.expected_market_cap_min", "no listing-standard statement found")


def _item(tok: str | None) -> int | None:
    if not tok:
        return None
    return _ITEM.get(tok.lower()) or cn_numeral(tok)


def _find_claim(text: str, lex: dict, language: str, *, whole: bool) -> tuple[str, int, int, str] | None:
    ctx_pat = re.compile(lex["context"], re.I)
    cands: list[tuple[int, int, str, str]] = []
    for pat in lex["article_item"]:
        for m in re.finditer(pat, text):
            item = _item(m.group(2))
            if item:
                cands.append((m.start(), m.end(), _std(m.group(1), item, text), "article"))
    for m in re.finditer(lex["review_article"], text):
        art = {"二": "2", "三": "3", "四": "4"}[m.group(1)]
        item = _item(m.group(2))
        if item is None:
            q = re.compile(lex["quoted_item"]).search(text, m.end(), m.end() + 80)
            item = _item(q.group(1)) if q else None
        if item is None:
            t = _threshold(text[m.end() : m.end() + 200], lex, text)
            if t:
                cands.append((m.start(), m.end(), t, "article"))
            continue
        cands.append((m.start(), m.end(), _std(art, item, text), "article"))
    for m in re.finditer(lex["article_item_en_rev"], text, re.I):
        cands.append((m.start(), m.end(), _std(m.group(2), _item(m.group(1)) or 0, text), "article"))
    for m in re.finditer(lex["set_number"], text):
        cands.append((m.start(), m.end(), f"2.1.2({_item(m.group(1))})", "set"))
    for m in re.finditer(lex["set_number_en"], text):
        cands.append((m.start(), m.end(), f"2.1.2({_ORD_EN[m.group(1).lower()]})", "set"))
    if whole:
        # Over the whole document, only statements that mention the listing standard count.
        cands = [c for c in cands if ctx_pat.search(text[max(0, c[0] - 60) : c[1] + 20])]
    if not cands:
        for key, pat in lex["thresholds"].items():
            for m in re.finditer(pat, text, re.I):
                if whole and not ctx_pat.search(text[max(0, m.start() - 80) : m.start()]):
                    continue
                std = _threshold(text[m.start() : m.end() + 40], lex, text)
                if std:
                    cands.append((m.start(), m.end(), std, "threshold"))
    if not cands:
        return None
    cands.sort()
    a, b, claim, how = cands[0]
    return claim, a, b, how


def _std(article: str, item: int, text: str) -> str:
    if article == "2" and item in range(1, 6):
        return f"2.1.2({item})"
    return f"2.1.{article}({item})"


def _threshold(snippet: str, lex: dict, whole_text: str) -> str | None:
    for key, pat in lex["thresholds"].items():
        if re.search(pat, snippet, re.I):
            if key.startswith("2.1.2"):
                return key
            item = 1 if key == "100yi" else 2
            if re.search(lex["redchip"], whole_text, re.I) and not re.search(lex["wvr"], whole_text, re.I):
                return f"2.1.3({item})"
            if re.search(lex["wvr"], whole_text, re.I) and not re.search(lex["redchip"], whole_text, re.I):
                return f"2.1.4({item})"
            return None
    return None


def _market_cap(ctx: _Ctx, lines: list[Line], text: str, offs: list[int], lex: dict) -> None:
    pat = re.compile(lex["market_cap_statement"])
    quoted = [(m.start(), m.end()) for m in re.finditer(r"[“\"][^”\"]{0,400}[”\"]", text)]
    for m in pat.finditer(text):
        if any(a <= m.start() < b for a, b in quoted):
            continue
        tail = text[m.end() : m.end() + 6]
        if re.match(r"[,，]?(且|最?近)", tail):
            continue  # this is the rule's own clause, not the issuer's figure
        v = parse_number(m.group(1))
        if v is None:
            continue
        mult = {"亿": Decimal(100_000_000), "万": Decimal(10_000), None: Decimal(1)}[m.group(2)]
        ln = _line_at(lines, offs, m.start())
        ctx.add(
            "listing_standard.expected_market_cap_min",
            v * mult,
            [ctx.ev(ln, quote=_quote_around(text, m.start(), m.end()))],
            unit="CNY",
            confidence=0.85,
        )
        return
    for m in re.finditer(lex["market_cap_statement_en"], text, re.I):
        v = parse_number(m.group(1))
        if v is None:
            continue
        mult = {"billion": Decimal(10) ** 9, "million": Decimal(10) ** 6, "": Decimal(1)}[(m.group(2) or "").lower()]
        ln = _line_at(lines, offs, m.start())
        ctx.add("listing_standard.expected_market_cap_min", v * mult,
                [ctx.ev(ln, quote=_quote_around(text, m.start(), m.end()))], unit="CNY", confidence=0.8)
        return
    ctx.fs.mark_missing(
        "listing_standard.expected_market_cap_min",
        "the statement quotes only the rule's threshold; the issuer states no expected market cap of its own there",
    )


# ----------------------------------------------------------------------------- financials

_PERIOD_ZH = re.compile(
    r"(?P<part>(?P<py>\d{4})年(?:度)?(?P<m1>\d{1,2})(?:月)?[-–~至](?P<m2>\d{1,2})月)"
    r"|(?P<date>(?P<dy>\d{4})[-./年](?P<dm>\d{1,2})[-./月](?P<dd>\d{1,2})日?)"
    r"|(?P<year>(?P<yy>\d{4})年(?:度|末)?)"
)
_MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
_PERIOD_EN = re.compile(
    r"(?P<part>(?:six|nine|three|6|9|3)[- ]months? ended (?P<pm>[a-z]+) (?P<pd>\d{1,2}),? (?P<py>\d{4}))"
    r"|(?P<date>(?:as (?:of|at) )?(?P<dm>[a-z]+) (?P<dd>\d{1,2}),? (?P<dy>\d{4}))"
    r"|(?P<year>(?:fy|year )?(?P<yy>(?:19|20)\d{2}))",
    re.I,
)


@dataclass
class _Col:
    kind: str  # year | partial | date
    year: int
    end: str  # ISO end date


def _columns(header: str, language: str) -> list[_Col]:
    periods: list[_Col] = []
    dates: list[_Col] = []
    if language == "zh":
        for m in _PERIOD_ZH.finditer(compact(header)):
            if m.group("part"):
                y, m2 = int(m.group("py")), int(m.group("m2"))
                periods.append(_Col("partial", y, f"{y}-{m2:02d}-{calendar.monthrange(y, m2)[1]:02d}"))
            elif m.group("date"):
                y, mo, d = int(m.group("dy")), int(m.group("dm")), int(m.group("dd"))
                dates.append(_Col("date", y, f"{y}-{mo:02d}-{d:02d}"))
            else:
                y = int(m.group("yy"))
                periods.append(_Col("year", y, f"{y}-12-31"))
    else:
        for m in _PERIOD_EN.finditer(norm(header)):
            if m.group("part") and m.group("pm").lower() in _MONTHS:
                y, mo = int(m.group("py")), _MONTHS[m.group("pm").lower()]
                periods.append(_Col("partial", y, f"{y}-{mo:02d}-{int(m.group('pd')):02d}"))
            elif m.group("date") and m.group("dm").lower() in _MONTHS:
                y, mo = int(m.group("dy")), _MONTHS[m.group("dm").lower()]
                dates.append(_Col("date", y, f"{y}-{mo:02d}-{int(m.group('dd')):02d}"))
            elif m.group("year"):
                y = int(m.group("yy"))
                periods.append(_Col("year", y, f"{y}-12-31"))
    if periods:
        return periods
    out = []
    for c in dates:
        out.append(_Col("year" if c.end.endswith("-12-31") else "partial", c.year, c.end))
    return out


@dataclass
class _Tok:
    text: str
    line: Line
    numeric: bool


def _tokens(lines: list[Line], language: str) -> list[_Tok]:
    """Table tokens: numbers stay single, runs of words merge into one label cell."""
    out: list[_Tok] = []
    for ln in lines:
        for w in unicodedata.normalize("NFKC", ln.raw).split():
            if not w:
                continue
            num = is_number_token(w)
            if not num and out and not out[-1].numeric:
                sep = "" if language == "zh" else " "
                out[-1] = _Tok(out[-1].text + sep + w, out[-1].line, False)
            else:
                out.append(_Tok(w, ln, num))
    return out


_UNIT_IN_LABEL = re.compile(r"\((?:人民币)?(?:十万|百万|千万|千|万|亿)?元\)|\(%\)|\([^()]*(?:rmb|yuan|%)[^()]*\)|\(元/股\)", re.I)
_HEADER_JUNK = re.compile(r"^(?:.*(?:年度|年|月|日|项目|末|度|/|item|items|\d))?$", re.I)
_ROW_HINT = re.compile(r"资产总额|资产合计|总资产|营业收入|营业总收入|total assets|revenue", re.I)


def _match_metric(label: str, metrics: dict[str, list[str]]) -> tuple[str, str] | None:
    bare = _UNIT_IN_LABEL.sub("", label).strip().rstrip(":")
    if len(bare) > 160:
        return None
    for metric in ("net_profit_parent_deducted", "net_profit_parent", "rd_ratio_percent", "operating_cash_flow", "revenue", "rd_investment"):
        for pat in metrics[metric]:
            m = re.search(f"(?:{pat})$", bare, re.I)
            if m:
                prefix = bare[: m.start()].strip()
                if prefix and (len(prefix) > 30 or not _HEADER_JUNK.match(prefix)):
                    continue
                if metric == "net_profit_parent" and re.search(r"扣除|non-recurring", prefix, re.I):
                    continue
                return metric, bare
    return None


def _financials(ctx: _Ctx) -> None:
    metrics = lexicon()["metrics"]
    secs = [s for s in ctx.st.keyed.get("key_financials", [])]
    if not secs:
        for m in ALL_METRICS:
            ctx.fs.mark_missing(f"financials.{m}", "the key financial data table (主要财务数据和财务指标) was not found")
        _financials_from_text(ctx)
        return
    sec = secs[0]
    lines = ctx.st.lines[sec.start + 1 : sec.end]
    # Header: the lines before the first data row.
    header_lines: list[Line] = []
    first_row = None
    for i, ln in enumerate(lines):
        if _ROW_HINT.search(ln.norm) and not re.search(r"如下|as follows", ln.norm):
            first_row = i
            break
        if not re.search(r"如下|[:：]$|as follows", ln.norm):
            header_lines.append(ln)
    if first_row is None:
        for m in ALL_METRICS:
            ctx.fs.mark_missing(f"financials.{m}", f"no labelled data rows under '{sec.title}' (page {sec.start_page})")
        _financials_from_text(ctx)
        return
    header = " ".join(ln.norm for ln in header_lines[-20:])
    cols = _columns(header, ctx.st.language)
    if not cols:
        for m in ALL_METRICS:
            ctx.fs.mark_missing(f"financials.{m}", f"the year columns of the table on page {sec.start_page} could not be read")
        return
    table_unit = unit_factor(" ".join(ln.norm for ln in header_lines)) or unit_factor(
        " ".join(ln.norm for ln in ctx.st.lines[max(0, sec.start - 2) : sec.start + 1])
    )
    toks = _tokens(lines[first_row:], ctx.st.language)
    row_units = {
        unit_factor(t.text) for t in toks
        if not t.numeric and unit_factor(t.text) is not None and not re.search(r"每股|per share", t.text, re.I)
    }
    inherited = row_units.pop() if len(row_units) == 1 else None
    seen: set[str] = set()
    partial_set = False
    for i, t in enumerate(toks):
        if t.numeric:
            continue
        hit = _match_metric(t.text, metrics)
        if hit is None:
            continue
        metric, label = hit
        if metric in seen:
            continue
        vals = []
        j = i + 1
        while j < len(toks) and toks[j].numeric:
            vals.append(toks[j])
            j += 1
        if len(vals) != len(cols):
            ctx.fs.mark_missing(
                f"financials.{metric}",
                f"row '{label}' on page {t.line.page} has {len(vals)} values for {len(cols)} columns",
            )
            continue
        seen.add(metric)
        if metric in PERCENT_METRICS:
            factor, unit = Decimal(1), "percent"
        else:
            factor = unit_factor(t.text) or table_unit
            unit = "CNY"
            if factor is None and inherited is not None:
                factor = inherited  # every other row of this table states the same unit
            if factor is None:
                ctx.fs.mark_missing(f"financials.{metric}", f"no unit stated for row '{label}' (page {t.line.page})")
                continue
        quote = (t.text + " " + " ".join(v.text for v in vals))[:QUOTE_MAX]
        ev = [ctx.ev(t.line, quote=quote)]
        conf = 0.95 if unit_factor(t.text) or unit == "percent" else (0.9 if table_unit else 0.75)
        for col, v in zip(cols, vals):
            num = parse_number(v.text)
            if num is None:
                continue
            value = (num * factor).quantize(Decimal("0.01")) if unit == "CNY" else num
            if col.kind == "year":
                ctx.add(f"financials.{metric}.{col.year}", value, ev, unit=unit, confidence=conf)
            elif not partial_set or ctx.fs.value("financials.partial_period") == col.end:
                ctx.add(f"financials.partial.{metric}", value, ev, unit=unit, confidence=conf)
                if not partial_set:
                    ctx.add("financials.partial_period", col.end, ev, confidence=conf)
                    partial_set = True
    for m in ALL_METRICS:
        if m not in seen:
            ctx.fs.mark_missing(f"financials.{m}", f"no such row in the table under '{sec.title}' (page {sec.start_page})")
    _financials_from_text(ctx)
    years = [c.year for c in cols if c.kind == "year"]
    if years and seen:
        ctx.add("financials.latest_year", max(years), [ctx.ev(header_lines[-1] if header_lines else lines[0], quote=header[:QUOTE_MAX])], confidence=0.9)


def _financials_from_text(ctx: _Ctx) -> None:
    """Fallback when the table cannot be read: full-year figures stated in the overview's prose.

    Only sentences inside the overview / key-financials section count ("2018年，公司营业收入为…",
    "…营业收入分别为X万元、Y万元和Z万元"); a figure stated twice with different values is not used.
    """
    st = ctx.st
    scope = [s for s in (st.chapters.get("overview"), st.find("key_financials"), st.chapters.get("financial")) if s is not None]
    if not scope:
        return
    pages = set()
    for s in scope:
        pages.update(range(s.start_page, s.end_page + 1))
    by_path: dict[str, list[dict]] = {}
    for m in figure_mentions(ctx.doc, st, pages=pages):
        by_path.setdefault(f"financials.{m['metric']}.{m['year']}", []).append(m)
    for path, ms in by_path.items():
        if path in ctx.fs.facts:
            continue
        values = {m["value"] for m in ms}
        if len(values) != 1:
            continue
        m = ms[0]
        ev = Evidence(page=m["page"], quote=m["quote"], page_label=ctx.doc.pages[m["page"] - 1].label, section="overview")
        ctx.add(path, m["value"], [ev], unit="CNY", confidence=0.65)


_MENTION_METRICS = {
    "revenue": r"营业(?:总)?收入",
    "net_profit_parent": r"归属于(?:母公司|发行人)(?:所有者|股东|普通股股东)的净利润",
    "net_profit_parent_deducted": r"扣除非经常性损益后(?:的)?归属于(?:母公司|发行人)(?:所有者|股东|普通股股东)的净利润",
}
_AMOUNT = r"(-?\d{1,3}(?:,\d{3})+(?:\.\d+)?|-?\d+(?:\.\d+)?)(万元|亿元|元)"


def figure_mentions(doc: Document, structure: Structure | None = None, *, pages: set[int] | None = None) -> list[dict]:
    """Every sentence that states a key figure for a year (for the consistency rule).

    Returns dicts ``{metric, year, value (Decimal yuan), page, quote}``. Both "2023年…营业收入为X万元"
    and "2021年、2022年和2023年…营业收入分别为X万元、Y万元和Z万元" are recognised.
    """
    st = structure or analyse(doc)
    out: list[dict] = []
    units = {"元": Decimal(1), "万元": Decimal(10_000), "亿元": Decimal(100_000_000)}
    for p in doc.pages:
        if pages is not None and p.number not in pages:
            continue
        text = "".join(norm(x) for x in p.lines)
        for metric, label in _MENTION_METRICS.items():
            prefix = r"(?<!扣除非经常性损益后)(?<!扣除非经常性损益后的)" if metric == "net_profit_parent" else ""
            for m in re.finditer(prefix + label + r"(?:分别)?(?:为|达到|达|实现)" + r"((?:" + _AMOUNT + r"[、,和及与]{0,2}){1,5})", text):
                if metric == "revenue" and text[max(0, m.start() - 1) : m.start()] == "占":
                    continue
                amounts = re.findall(_AMOUNT, m.group(1))
                before = text[max(0, m.start() - 80) : m.start()]
                years = [int(y) for y in re.findall(r"(\d{4})年(?:度)?(?![\d-]|1-)", before)]
                if re.search(r"\d{4}年1-\d{1,2}月", before[-40:]):
                    continue  # partial periods are not fiscal years
                if not years or len(years) < len(amounts):
                    continue
                years = years[-len(amounts) :]
                for y, (num, unit) in zip(years, amounts):
                    v = parse_number(num)
                    if v is None:
                        continue
                    out.append({
                        "metric": metric, "year": y, "value": v * units[unit], "page": p.number,
                        "quote": text[max(0, m.start() - 60) : m.end()][:QUOTE_MAX],
                    })
    return out


# ---------------------------------------------------------------------------- disclosures


def _find_lines(lines: list[Line], pat: re.Pattern, neg: re.Pattern | None = None, max_len: int | None = None) -> Line | None:
    for ln in lines:
        if max_len is not None and len(compact(ln.norm)) > max_len:
            continue
        m = pat.search(ln.norm)
        if m and not (neg and neg.search(ln.norm[: m.start()])):
            return ln
    return None


def _searched(ctx: _Ctx, secs: list[Section]) -> list[Evidence]:
    return [
        ctx.ev(ctx.st.lines[s.start], quote=f"{s.title} (pages {s.start_page}-{s.end_page}, searched)")
        for s in secs
    ]


def _disclosures(ctx: _Ctx) -> None:
    lex = lexicon()["unprofitability"]
    st = ctx.st
    mm = st.find("major_matters_notice")
    if mm is not None:
        ctx.add("disclosure.major_matters_notice", True, [ctx.ev(st.lines[mm.start])], confidence=0.95)
    elif st.chapters:
        ctx.add("disclosure.major_matters_notice", False,
                [ctx.ev(page=1, quote=f"no heading 重大事项提示 in pages 1-{ctx.doc.page_count} (searched)")], confidence=0.8)
    else:
        ctx.fs.mark_missing("disclosure.major_matters_notice", "the document structure could not be read")

    notice_secs = [s for s in (st.keyed.get("major_matters_notice", []) + st.keyed.get("special_risk_notice", []))]
    notice = re.compile(lex["notice"], re.I)
    neg = re.compile(lex["negation"], re.I)
    if notice_secs:
        hit = None
        for s in notice_secs:
            hit = _find_lines(st.lines[s.start : s.end], notice, neg)
            if hit:
                break
        if hit:
            ctx.add("disclosure.unprofitability_notice", True, [ctx.ev(hit)], confidence=0.85)
        else:
            ctx.add("disclosure.unprofitability_notice", False, _searched(ctx, notice_secs), confidence=0.85)
    else:
        ctx.fs.mark_missing("disclosure.unprofitability_notice", "neither 重大事项提示 nor 特别风险提示 was found")

    rf = st.chapters.get("risk_factors")
    if rf is not None:
        heading = re.compile(lex["risk_heading"], re.I)
        hit = _find_lines(st.lines[rf.start : rf.end], heading, neg, max_len=60)
        if hit:
            ctx.add("disclosure.unprofitability_risk_factor", True, [ctx.ev(hit)], confidence=0.85)
        else:
            ctx.add("disclosure.unprofitability_risk_factor", False, _searched(ctx, [rf]), confidence=0.8)
    else:
        ctx.fs.mark_missing("disclosure.unprofitability_risk_factor", "the 风险因素 chapter was not found")

    scope = [s for s in (st.chapters.get("financial"), st.chapters.get("investor_protection"),
                         st.chapters.get("overview"), mm) if s is not None]
    if st.chapters.get("financial") is not None:
        impact = re.compile(lex["impact"], re.I)
        hit = None
        for s in scope:
            hit = _find_lines(st.lines[s.start : s.end], impact, neg)
            if hit:
                break
        if hit:
            ctx.add("disclosure.unprofitability_impact_analysis", True, [ctx.ev(hit)], confidence=0.8)
        else:
            ctx.add("disclosure.unprofitability_impact_analysis", False, _searched(ctx, scope), confidence=0.75)
    else:
        ctx.fs.mark_missing("disclosure.unprofitability_impact_analysis", "the financial chapter was not found")


# -------------------------------------------------------------------------- intermediaries


def _names(s: str) -> list[str]:
    s = re.sub(r"(先生|女士|\(签名\)|签名|:)", "", s)
    parts = [p for p in re.split(r"[、,，和及与;；\s]+", s) if p]
    return [p for p in parts if re.fullmatch(_PERSON, p)]


def _intermediaries(ctx: _Ctx) -> None:
    lex = lexicon()["intermediaries"]
    secs = ctx.st.keyed.get("intermediaries", [])
    lines = [ln for s in secs for ln in ctx.st.lines[s.start : s.end]]
    if not lines:
        for k in lex:
            ctx.fs.mark_missing(f"intermediaries.{k}", "the intermediaries section (中介机构基本情况/有关当事人) was not found")
        return
    suffix = {"sponsor": r"(?:有限责任公司|股份有限公司|有限公司)", "law_firm": r"律师事务所(?:\([^)]{2,10}\))?",
              "auditor": r"会计师事务所(?:\([^)]{2,10}\))?", "appraiser": r"(?:有限责任公司|股份有限公司|有限公司|事务所(?:\([^)]{2,10}\))?)"}
    people = {"sponsor_representatives", "lawyers", "accountants"}
    for key, label in lex.items():
        lab = re.compile(rf"^(?:\([一二三四五六七八九十]+\)|[一二三四五六七八九十]+、|\d+[、.])?\s*(?:{label})\s*[:]?\s*(?P<rest>.*)$", re.I)
        found = None
        for i, ln in enumerate(lines):
            m = lab.match(re.sub(r"\s+", " ", unicodedata.normalize("NFKC", ln.raw)).strip())
            if not m:
                continue
            rest = m.group("rest")
            if key in people:
                names = _names(rest)
                if names:
                    found = (names, ln)
                    break
            else:
                cand = compact(rest) or (compact(lines[i + 1].norm) if i + 1 < len(lines) else "")
                mm = re.match(rf"^((?:名称:)?[\u4e00-\u9fffA-Za-z()&·]{{2,40}}?{suffix[key]})", cand)
                if mm:
                    found = (mm.group(1).removeprefix("名称:"), ln)
                    break
        if found:
            ctx.add(f"intermediaries.{key}", found[0], [ctx.ev(found[1])], confidence=0.85)
        else:
            ctx.fs.mark_missing(f"intermediaries.{key}", f"not stated in '{secs[0].title}' (pages {secs[0].start_page}-{secs[-1].end_page})")


# -------------------------------------------------------------------------------- parties


def _parties(ctx: _Ctx) -> None:
    st = ctx.st
    pref = [st.chapters.get("issuer_basic"), st.chapters.get("overview"), st.chapters.get("governance")]
    scope_lines: list[Line] = []
    for s in pref:
        if s is not None:
            scope_lines.extend(st.lines[s.start : s.end])
    if not scope_lines:
        scope_lines = st.lines
    for key, word in (("controlling_shareholder", "控股股东"), ("actual_controller", "实际控制人")):
        none_pat = re.compile(rf"(?:公司|发行人)(?:目前)?(?:无|不存在|没有)(?:控股股东(?:和|及|、)?)?{word}(?=[,，。;；]|$)")
        is_pat = re.compile(rf"(?:公司|发行人|本公司)的?(?:控股股东(?:和|及|、)实际控制人|{word})(?:均|同为|仍)?为([^,，。;；(]{{2,60}})")
        found = None
        for ln in scope_lines:
            if none_pat.search(ln.norm):
                found = (None, ln)
                break
            m = is_pat.search(ln.norm)
            if m:
                val = m.group(1).strip()
                names = [x for x in re.split(r"[、和及]", val) if x]
                names = [re.sub(r"(先生|女士)$", "", x) for x in names]
                if all(re.fullmatch(_PERSON, x) or re.search(r"公司|企业|合伙|集团|委员会|中心|政府|国资委", x) for x in names):
                    found = (names[0] if len(names) == 1 else names, ln)
                    break
        if found:
            ctx.add(key, found[0], [ctx.ev(found[1])], confidence=0.8)
        else:
            ctx.fs.mark_missing(key, f"no sentence naming the {word} was found")

    do = st.keyed.get("directors_officers", [])
    do = [s for s in do if st.chapters.get("issuer_basic") is None or s.start >= st.chapters["issuer_basic"].start] or do
    groups = {
        "directors": r"董事(会成员|简介|$)|^董事",
        "supervisors": r"监事",
        "senior_management": r"高级管理人员",
        "core_technical_staff": r"核心技术人员",
    }
    if not do:
        for k in groups:
            ctx.fs.mark_missing(k, "the directors/officers section was not found")
    else:
        top = do[0]
        subs = [h for h in st.headings if top.start < h.start < top.end and h.level > top.level]
        for key, pat in groups.items():
            names: list[str] = []
            ev = None
            for h in subs:
                t = compact(h.title)
                if not re.search(pat, t) or (key == "directors" and re.search(r"监事|高级管理|核心技术", t)):
                    continue
                if key == "senior_management" and re.search(r"核心技术", t) and not t.startswith("高级"):
                    continue
                for ln in st.lines[h.start + 1 : h.end]:
                    for m in re.finditer(rf"(?:^|[。;；\s])({_PERSON})(?:先生|女士)", ln.norm):
                        if m.group(1) not in names:
                            names.append(m.group(1))
                            ev = ev or ln
                if names:
                    break
            if names:
                ctx.add(key, names, [ctx.ev(ev)], confidence=0.7)
            else:
                ctx.fs.mark_missing(key, f"no names found under '{top.title}' (pages {top.start_page}-{top.end_page})")
    ctx.fs.mark_missing("shareholders_5pct", "not extracted yet (the 5% shareholder table is not parsed)")
