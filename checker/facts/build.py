"""Build the FactSet of a filing from its pages and structure.

Every fact carries evidence (page, quote <= 300 characters, printed page label, section) and a
confidence. What cannot be established goes to ``FactSet.mark_missing`` with the reason; nothing
is guessed. Wording lives in ``lexicon.yaml`` next to this file; headings in
``checker/extract/headings.yaml``.
"""

from __future__ import annotations

import calendar
from datetime import date
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
    _industry(ctx)
    _main_business(ctx)
    _accumulated_losses(ctx)
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
        for pat in lex["thresholds"].values():
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
                if not 1 <= m2 <= 12:
                    continue  # "2024年1-13月" is a misprint, not a period: never a crash
                periods.append(_Col("partial", y, f"{y}-{m2:02d}-{calendar.monthrange(y, m2)[1]:02d}"))
            elif m.group("date"):
                y, mo, d = int(m.group("dy")), int(m.group("dm")), int(m.group("dd"))
                if not _real_date(y, mo, d):
                    continue  # "2024.13.45" is not a date: never an impossible period end
                dates.append(_Col("date", y, f"{y}-{mo:02d}-{d:02d}"))
            else:
                y = int(m.group("yy"))
                periods.append(_Col("year", y, f"{y}-12-31"))
    else:
        for m in _PERIOD_EN.finditer(norm(header)):
            if m.group("part") and m.group("pm").lower() in _MONTHS:
                y, mo = int(m.group("py")), _MONTHS[m.group("pm").lower()]
                if _real_date(y, mo, int(m.group("pd"))):
                    periods.append(_Col("partial", y, f"{y}-{mo:02d}-{int(m.group('pd')):02d}"))
            elif m.group("date") and m.group("dm").lower() in _MONTHS:
                y, mo = int(m.group("dy")), _MONTHS[m.group("dm").lower()]
                if _real_date(y, mo, int(m.group("dd"))):
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


def _real_date(y: int, mo: int, d: int) -> bool:
    """Whether y-mo-d exists on the calendar."""
    try:
        date(y, mo, d)
    except ValueError:
        return False
    return True


_PP_CHANGE = re.compile(r"^(?:增加|减少|上升|下降)-?[\d.,]+个?百分点$")


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
            num = is_number_token(w) or bool(_PP_CHANGE.match(w))
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


def _change_column(header: str, n_cols: int) -> int | None:
    """Position of a year-on-year change column ("本期比上年同期增减(%)") among the value columns."""
    c = compact(header)
    m = re.search(r"增减|变动(?:幅度|比例)|change", c, re.I)
    if not m:
        return None
    before = len(re.findall(r"\d{4}年(?:度|末)?|(?:19|20)\d{2}(?!\d)", c[: m.start()]))
    return before if 0 < before <= n_cols else None


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
        got = _financials_from_pdf_tables(ctx, sec)
        for m in ALL_METRICS:
            if m not in got:
                ctx.fs.mark_missing(f"financials.{m}", f"no labelled data rows under '{sec.title}' (page {sec.start_page})")
        _financials_from_text(ctx)
        return
    header = " ".join(ln.norm for ln in header_lines[-20:])
    cols = _columns(header, ctx.st.language)
    if not cols:
        got = _financials_from_pdf_tables(ctx, sec)
        for m in ALL_METRICS:
            if m not in got:
                ctx.fs.mark_missing(f"financials.{m}", f"the year columns of the table on page {sec.start_page} could not be read")
        return
    table_unit = unit_factor(" ".join(ln.norm for ln in header_lines)) or unit_factor(
        " ".join(ln.norm for ln in ctx.st.lines[max(0, sec.start - 2) : sec.start + 1])
    )
    skip_col = _change_column(header, len(cols))
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
        if skip_col is not None and len(vals) == len(cols) + 1:
            vals = vals[:skip_col] + vals[skip_col + 1 :]
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
    if any(m not in seen for m in ("revenue", "net_profit_parent", "net_profit_parent_deducted")):
        seen |= _financials_from_pdf_tables(ctx, sec)
    for m in ALL_METRICS:
        if m not in seen:
            ctx.fs.mark_missing(f"financials.{m}", f"no such row in the table under '{sec.title}' (page {sec.start_page})")
    _financials_from_text(ctx)
    years = [c.year for c in cols if c.kind == "year"]
    if years and seen:
        ctx.add("financials.latest_year", max(years), [ctx.ev(header_lines[-1] if header_lines else lines[0], quote=header[:QUOTE_MAX])], confidence=0.9)


def _financials_from_pdf_tables(ctx: _Ctx, sec: Section) -> set[str]:
    """pdfplumber on the key-data table's own pages, for metrics the text pass could not read.

    Only for PDFs, only the section's first pages (tables.MAX_PAGES caps it), and only metrics that
    have no value yet: the fast text pass stays the main path.
    """
    if ctx.doc.source_format != "pdf":
        return set()
    from checker.extract.tables import read_tables

    metrics = lexicon()["metrics"]
    around = " ".join(ln.norm for ln in ctx.st.lines[max(0, sec.start - 2) : min(sec.end, sec.start + 6)])
    unit_hint = unit_factor(around)
    filled: set[str] = set()
    for table in read_tables(Path(ctx.doc.path), list(range(sec.start_page, min(sec.end_page, sec.start_page + 1) + 1))):
        header = " ".join(norm(c) for c in table.header())
        cols = _columns(header, ctx.st.language)
        if not cols:
            continue
        table_unit = unit_factor(header) or unit_hint
        for row in table.rows[1:]:
            if not row or not row[0]:
                continue
            hit = _match_metric(norm(row[0]), metrics)
            if hit is None:
                continue
            metric, _label = hit
            if metric in filled or any(ctx.fs.get(f"financials.{metric}.{c.year}") for c in cols if c.kind == "year"):
                continue
            cells = [c for c in row[1:] if c and parse_number(norm(c)) is not None]
            if len(cells) != len(cols):
                continue
            if metric in PERCENT_METRICS:
                factor, unit = Decimal(1), "percent"
            else:
                factor, unit = unit_factor(norm(row[0])) or table_unit, "CNY"
                if factor is None:
                    continue
            page = ctx.doc.pages[table.page - 1]
            ev = [Evidence(page=table.page, page_label=page.label, section=sec.title,
                           quote=(row[0] + " " + " ".join(cells))[:QUOTE_MAX])]
            for col, cell in zip(cols, cells):
                num = parse_number(norm(cell))
                value = (num * factor).quantize(Decimal("0.01")) if unit == "CNY" else num
                path = f"financials.{metric}.{col.year}" if col.kind == "year" else f"financials.partial.{metric}"
                ctx.fs.add(Fact(path=path, value=value, unit=unit, evidence=ev, confidence=0.85,
                                source=f"{SOURCE}/pdfplumber"))
            filled.add(metric)
    return filled


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
    # Only fiscal years inside the reporting period: a figure for a later year (post-period
    # highlights, forecasts) is not an audited annual figure of this filing.
    table_years = [y for m in ALL_METRICS for y in ctx.fs.years(f"financials.{m}")]
    partial = ctx.fs.value("financials.partial_period")
    limit = max(table_years) if table_years else None
    if isinstance(partial, str) and partial[:4].isdigit():
        limit = min(limit, int(partial[:4]) - 1) if limit is not None else int(partial[:4]) - 1
    by_path: dict[str, list[dict]] = {}
    for m in figure_mentions(ctx.doc, st, pages=pages):
        if limit is not None and m["year"] > limit:
            continue
        by_path.setdefault(f"financials.{m['metric']}.{m['year']}", []).append(m)
    for path, ms in by_path.items():
        if path in ctx.fs.facts:
            continue
        values = {m["value"] for m in ms}
        if len(values) != 1:
            continue
        m = ms[0]
        ev = Evidence(page=m["page"], quote=m["quote"], page_label=ctx.doc.pages[m["page"] - 1].label)
        ctx.add(path, m["value"], [ev], unit="CNY", confidence=0.65)


_MENTION_METRICS = {
    "revenue": r"营业(?:总)?收入",
    "net_profit_parent": r"归属于(?:母公司|发行人)(?:所有者|股东|普通股股东)的净利润",
    "net_profit_parent_deducted": r"扣除非经常性损益后(?:的)?归属于(?:母公司|发行人)(?:所有者|股东|普通股股东)的净利润",
}
_AMOUNT = r"(-?\d{1,3}(?:,\d{3})+(?:\.\d+)?|-?\d+(?:\.\d+)?)(万元|亿元|元)"


def _join_page(lines: list[str]) -> str:
    """Page text for sentence matching: wrapped lines glued, but never two numbers into one."""
    out = ""
    for x in lines:
        n = norm(x)
        if out and n and (out[-1].isdigit() or out[-1] == "%") and n[0].isdigit():
            out += " "
        out += n
    return out


def figure_mentions(doc: Document, structure: Structure | None = None, *, pages: set[int] | None = None) -> list[dict]:
    """Every sentence that states a key figure for a year (for the consistency rule).

    Returns dicts ``{metric, year, value (Decimal yuan), page, quote}``. Both "2023年…营业收入为X万元"
    and "2021年、2022年和2023年…营业收入分别为X万元、Y万元和Z万元" are recognised.
    """
    del structure  # accepted for API compatibility; the scan reads page text only
    out: list[dict] = []
    units = {"元": Decimal(1), "万元": Decimal(10_000), "亿元": Decimal(100_000_000)}
    for p in doc.pages:
        if pages is not None and p.number not in pages:
            continue
        text = _join_page(p.lines)
        for metric, label in _MENTION_METRICS.items():
            prefix = r"(?<!扣除非经常性损益后)(?<!扣除非经常性损益后的)" if metric == "net_profit_parent" else ""
            for m in re.finditer(prefix + label + r"(?:分别)?(?:为|达到|达|实现)" + r"((?:" + _AMOUNT + r"[、,和及与]{0,2}){1,5})", text):
                if metric == "revenue" and text[max(0, m.start() - 1) : m.start()] == "占":
                    continue
                amounts = re.findall(_AMOUNT, m.group(1))
                before = text[max(0, m.start() - 80) : m.start()]
                years = [int(y) for y in re.findall(r"(?<!\d)(\d{4})(?:年(?:度)?(?![\d-]|1-)|(?=[、,和及与]\d{4}))", before)]
                if re.search(r"\d{4}年1-\d{1,2}月", before[-40:]):
                    continue  # partial periods are not fiscal years
                if re.search(r"预计|预测|预期|估计|forecast|expect", before[-30:], re.I):
                    continue  # "预计2024年度净利润为…" is a forecast, not a reported figure
                if re.search(r"(?:季度|半年度?|1-\d{1,2}月)(?:的|末)?(?:公司|发行人)?(?:的)?$", before):
                    continue  # "2017年一季度的营业收入为…" is a quarter, not the year
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
    """Evidence of an absence: the searched section's title (verbatim) and a note of its pages."""
    out = []
    for s in secs:
        ev = ctx.ev(ctx.st.lines[s.start], quote=s.title)
        ev.note = f"searched pages {s.start_page}-{s.end_page}"
        out.append(ev)
    return out


def _disclosures(ctx: _Ctx) -> None:
    lex = lexicon()["unprofitability"]
    st = ctx.st
    mm = st.find("major_matters_notice")
    if mm is not None:
        ctx.add("disclosure.major_matters_notice", True, [ctx.ev(st.lines[mm.start])], confidence=0.95)
    elif st.chapters:
        ctx.add("disclosure.major_matters_notice", False,
                [Evidence(page=1, quote="", page_label=ctx.doc.pages[0].label if ctx.doc.pages else None,
                          note=f"no heading 重大事项提示 in pages 1-{ctx.doc.page_count} (searched)")],
                confidence=0.8)
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


_ORG_SUFFIX = {
    "sponsor": r"(?:有限责任公司|股份有限公司|有限公司)",
    "law_firm": r"律师事务所(?:\([^)]{2,10}\))?",
    "auditor": r"会计师事务所(?:\([^)]{2,10}\)|有限公司)?",
    "appraiser": r"(?:有限责任公司|股份有限公司|有限公司|事务所(?:\([^)]{2,10}\))?)",
}
_ORG_SUFFIX_EN = (
    r"(?:Co\.,? ?Ltd\.?|Company Limited|Limited|LLP|Law Firm|Law Offices?|Attorneys at Law|"
    r"\(Special General Partnership\)|Certified Public Accountants(?: LLP)?|Partners)"
)
_PEOPLE_KEYS = {"sponsor_representatives", "lawyers", "accountants"}
# Cells that end a value in a two-column table row ("发行人律师 X 审计机构 Y").
_CELL_LABEL = re.compile(
    r"^(?:保荐人|保荐机构|主承销商|联席主承销商|其他承销机构|发行人律师|律师事务所|审计机构|会计师事务所|评估机构|"
    r"资产评估机构|保荐代表人|经办律师|经办注册会计师|验资机构|验资复核机构|股票登记机构|收款银行|申请上市交易所|"
    r"保荐人\(主承销商\)(?:律师|会计师)?)$"
)


def _org_at(key: str, cells: list[str], language: str) -> str | None:
    """An organisation name of kind ``key`` at the start of ``cells`` (joined while it is incomplete)."""
    if language == "en":
        text = " ".join(cells)
        m = re.match(rf"^(?:Name:\s*)?([A-Z][A-Za-z&.,'() -]{{2,100}}?{_ORG_SUFFIX_EN})", text)
        return m.group(1).strip() if m else None
    acc = ""
    for c in cells[:4]:
        if acc and _CELL_LABEL.match(c):
            break
        acc += c
        m = re.match(rf"^(?:名称:?)?([\u4e00-\u9fffA-Za-z()&·]{{2,40}}?{_ORG_SUFFIX[key]})", acc)
        if m and not re.match(r"^\([^)]*$", acc[m.end():]):
            name = m.group(1)
            # "容诚会计师事务所(特殊" + "普通合伙)": keep joining while a bracket is open.
            if name.count("(") == name.count(")"):
                return name
    return None


def _intermediaries(ctx: _Ctx) -> None:
    lex = lexicon()["intermediaries"]
    st = ctx.st
    secs = st.keyed.get("intermediaries", [])
    lines = [ln for s in secs for ln in st.lines[s.start : s.end]]
    defs = st.chapters.get("definitions")
    def_lines = st.lines[defs.start : defs.end] if defs is not None else []
    if ctx.fs.value("document.kind") == "annual_report" and _annual_report_intermediaries(ctx):
        return
    if not lines and not def_lines:
        for k in lex:
            ctx.fs.mark_missing(f"intermediaries.{k}", "the intermediaries section (中介机构基本情况/有关当事人) was not found")
        return
    lang = st.language
    for key, label in lex.items():
        if lang == "en":
            lab = re.compile(rf"(?:^|\s)(?:{label})(?:\s*\([^)]*\))?\s*(?:means\s+|:\s*)?(?P<rest>[A-Z].*)$", re.I)
        else:
            lab = re.compile(rf"^(?:\([一二三四五六七八九十]+\)|[一二三四五六七八九十]+、|\d+[、.])?\s*(?:{label})\s*[:]?\s*(?P<rest>.*)$", re.I)
        found = _find_intermediary(ctx, key, lab, lines) if lines else None
        conf = 0.85
        if found is None and def_lines and key not in _PEOPLE_KEYS:
            found = _find_intermediary(ctx, key, lab, def_lines, definitions=True)
            conf = 0.75
        if found:
            ctx.add(f"intermediaries.{key}", found[0], [ctx.ev(found[1])], confidence=conf)
        elif secs:
            ctx.fs.mark_missing(f"intermediaries.{key}", f"not stated in '{secs[0].title}' (pages {secs[0].start_page}-{secs[-1].end_page})")
        else:
            ctx.fs.mark_missing(f"intermediaries.{key}", "the intermediaries section was not found and the definitions do not name it")


def _find_intermediary(ctx: _Ctx, key: str, lab: re.Pattern, lines: list[Line], definitions: bool = False):
    lang = ctx.st.language
    for i, ln in enumerate(lines):
        raw = re.sub(r"\s+", " ", unicodedata.normalize("NFKC", ln.raw)).strip()
        nxt = re.sub(r"\s+", " ", unicodedata.normalize("NFKC", lines[i + 1].raw)).strip() if i + 1 < len(lines) else ""
        if lang == "en":
            for m in lab.finditer(raw):
                rest = m.group("rest")
                if key in _PEOPLE_KEYS:
                    names = [n.strip() for n in re.split(r",|;| and ", rest) if re.fullmatch(r"[A-Z][a-z]+(?: [A-Z][a-z]+){1,2}", n.strip())]
                    if names:
                        return names, ln
                    continue
                if key == "sponsor" and re.match(r"representative", rest, re.I):
                    continue
                org = _org_at(key, [rest + " " + nxt], lang)
                if org:
                    return org, ln
            continue
        cells = raw.split(" ")
        if definitions:
            # "发行人律师、海润天睿 指 北京海润天睿律师事务所"
            if "指" not in cells:
                continue
            k = cells.index("指")
            head = "".join(cells[:k])
            if not _def_label_matches(key, head):
                continue
            org = _org_at(key, cells[k + 1 :] + nxt.split(" "), lang)
            if org:
                return org, ln
            continue
        # Whole-line label ("（二）律师事务所" then "名称：X" below) or a label cell within a row.
        m = lab.match(raw)
        if m and key in _PEOPLE_KEYS:
            names = _names(m.group("rest"))
            if names:
                return names, ln
            continue
        for j, c in enumerate(cells):
            cm = lab.match(c)
            if not cm or (cm.group("rest") and j + 1 < len(cells)):
                continue
            if key in _PEOPLE_KEYS:
                continue
            tail = ([cm.group("rest")] if cm.group("rest") else []) + cells[j + 1 :]
            org = _org_at(key, tail + nxt.split(" "), lang)
            if org:
                return org, ln
    return None


_DEF_LABELS = {
    "sponsor": r"保荐(?:人|机构)|主承销商",
    "law_firm": r"(?:发行人)?律师(?:事务所)?|发行人律师",
    "auditor": r"审计机构|申报会计师|(?:发行人)?会计师(?:事务所)?",
    "appraiser": r"(?:资产)?评估机构|评估师",
}


def _def_label_matches(key: str, head: str) -> bool:
    pat = _DEF_LABELS.get(key)
    if not pat:
        return False
    parts = [p for p in re.split(r"[、,/]", head) if p]
    return any(re.fullmatch(pat, p) for p in parts)


def _annual_report_intermediaries(ctx: _Ctx) -> bool:
    """Annual reports: "公司聘请的会计师事务所（境内） 名称 X" and "持续督导职责的保荐机构 名称 Y" (其他相关资料)."""
    if ctx.fs.value("document.kind") != "annual_report":
        return False
    lines = [ln for ln in ctx.st.lines if ln.page <= 15]
    got = set()
    for i, ln in enumerate(lines):
        m = re.match(r"^名称\s*(?::)?\s*(\S+)", ln.norm)
        if not m:
            continue
        before = "".join(x.norm for x in lines[max(0, i - 5) : i])
        for key, word in (("auditor", "会计师事务"), ("sponsor", "保荐机构")):
            if key in got or word not in before[-40:]:
                continue
            org = _org_at(key, [m.group(1)], "zh")
            if org:
                ctx.add(f"intermediaries.{key}", org, [ctx.ev(ln)], confidence=0.85)
                got.add(key)
    for k in lexicon()["intermediaries"]:
        if k not in got:
            ctx.fs.mark_missing(f"intermediaries.{k}", "an annual report names only the auditor and the continuing-supervision sponsor")
    return True


# -------------------------------------------------------------------------------- parties


_NOT_A_NAME = re.compile(r"^(?:有关|关于|公司|本公司|发行人|董事|监事|独立|上述|其中|姓名|序号|职务|合计|简历|现任|男|女|中国|根据)")
_PERSON_PATTERNS_ZH = (
    re.compile(rf"(?:^|[。;；])({_PERSON})(?:先生|女士|博士)(?=[,，:：]|$)"),  # 黄学英博士，… / 聂迎庆先生，…
    re.compile(rf"^({_PERSON})[,，:：]\s*(?:男|女)"),  # 向平：男，1971年7月出生
    re.compile(rf"^({_PERSON})[,，]\s*(?:\d{{4}}年|中国国籍|赛分科技|公司|现任)"),  # 彭淑贞，赛分科技独立董事
    re.compile(rf"^\d{{1,2}}[、.]\s*({_PERSON})$"),  # "2、陈爱民" numbered bio heading
    re.compile(rf"^\d{{1,2}}\s+({_PERSON})\s+\S*(?:董事|监事|经理|总监|秘书|负责人|总裁|主席|工程师|技术)"),  # table row
    re.compile(rf"^(?:\d{{1,2}}\s+)?({_PERSON}|[A-Z][A-Z-]+(?: [A-Z][A-Z-]+){{0,3}})\s+\S*(?:董事长|董事|监事|总经理|副总经理|财务总监|董事会秘书)(?:[、,]\S+)?\s+(?:\d{{4}}|[\u4e00-\u9fff])"),  # "黄学英 董事长、总经理 2021.8.25-…"
)
_PERSON_EN = r"[A-Z][a-z]+(?: [A-Z][a-z]+){1,2}|[A-Z]{2,}(?: [A-Z]{2,}){1,2}"


def _person_names(ln: Line, language: str) -> list[str]:
    """Person names a line of a directors/officers section introduces (bio openings, table rows)."""
    out: list[str] = []
    if language == "en":
        for pat in (rf"^\d{{1,2}}\s+({_PERSON_EN})\s+(?:Chairman|Director|Independent|Supervisor|Officer|Core|General|Deputy|Chief|CFO|CEO|Secretary|Board)",
                    rf"^(?:Mr\.|Ms\.|Mrs\.|Dr\.)\s*({_PERSON_EN})\b", rf"^({_PERSON_EN}), (?:born|male|female|aged|\d)"):
            for m in re.finditer(pat, ln.norm):
                out.append(m.group(1))
        return out
    flat = re.sub(r"\s+", " ", unicodedata.normalize("NFKC", ln.raw)).strip()
    for pat, text in [(p, ln.norm) for p in _PERSON_PATTERNS_ZH] + [(p, flat) for p in _PERSON_PATTERNS_ZH[3:]]:
        for m in pat.finditer(text):
            nm = re.sub(r"(?:先生|女士|博士)$", "", m.group(1))
            if len(nm) >= 2 and not _NOT_A_NAME.match(nm) and not re.search(r"工作|投资|研究|管理|技术|员$", nm) and nm not in out:
                out.append(nm)
    return out


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
        is_pat = re.compile(rf"(?:(?:公司|发行人|本公司)的?|(?<=[,，]))(?:控股股东(?:和|及|、)实际控制人|{word})(?:均|同为|仍)?为([^,，。;；(]{{2,60}})")
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
        if found is None and st.language == "en":
            en = {"controlling_shareholder": "controlling shareholder", "actual_controller": "actual controller"}[key]
            pat = re.compile(rf"the {en} (?:of the Company )?is ({_PERSON_EN}|[A-Z][A-Za-z&.,' ()-]{{2,80}}?(?:Co\.,? ?Ltd\.?|Limited|LP))\b")
            for ln in scope_lines:
                m = pat.search(ln.norm)
                if m:
                    found = (m.group(1), ln)
                    break
        if found:
            ctx.add(key, found[0], [ctx.ev(found[1])], confidence=0.8)
        else:
            ctx.fs.mark_missing(key, f"no sentence naming the {word} was found")

    do = st.keyed.get("directors_officers", [])
    do = [s for s in do if st.chapters.get("issuer_basic") is None or s.start >= st.chapters["issuer_basic"].start] or do
    groups = {
        "directors": r"董事(会成员|简介|情况|$)|^董事|(?i:^directors?$|^boardofdirectors)",
        "supervisors": r"监事|(?i:supervisor)",
        "senior_management": r"高级管理人员|(?i:seniormanagement|officers)",
        "core_technical_staff": r"核心技术人员|(?i:coretechnical)",
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
                if not re.search(pat, t) or (key == "directors" and re.search(r"监事|高级管理|核心技术|(?i:supervisor|senior|core)", t)):
                    continue
                if key == "senior_management" and re.search(r"核心技术", t) and not t.startswith("高级"):
                    continue
                for ln in st.lines[h.start + 1 : h.end]:
                    for nm in _person_names(ln, st.language):
                        if nm not in names:
                            names.append(nm)
                            ev = ev or ln
                if names:
                    break
            if names:
                ctx.add(key, names, [ctx.ev(ev)], confidence=0.7)
            else:
                ctx.fs.mark_missing(key, f"no names found under '{top.title}' (pages {top.start_page}-{top.end_page})")
    _shareholders_5pct(ctx)
    _annual_report_controllers(ctx)


# ------------------------------------------------------------------------ 5% shareholders

_FIVE_PCT_HEAD = re.compile(r"(?:持有|持股)(?:公司|发行人|本公司)?(?:股份)?5%(?:\(含5%\))?以上(?:股份|表决权)?(?:或表决权)?的(?:其他)?(?:主要)?股东|shareholders? holding 5% or more|5% shareholders", re.I)
_HOLDER_NAME = r"[\u4e00-\u9fffA-Za-z()·]{2,40}"
_NAME_STOP = re.compile(r"^(?:持有|直接|间接|合计|其中|分别|除|截至|截止|本次|上述|公司|发行人|序号|股东)")


def _holder_names(text: str) -> list[str]:
    """Names listed in "…股东为A、B和C" (stops at the first full stop or clause)."""
    text = re.split(r"[。;；]|,分别|，分别|,其|，其|,持有|，持有|,合计|，合计|等", text, maxsplit=1)[0]
    out = []
    for part in re.split(r"[、,，]|和|及|与", text):
        part = re.sub(r"^(?:为|包括|有|如下)?[:：]?", "", part.strip())
        part = re.sub(r"(?:先生|女士)$", "", part)
        if re.fullmatch(_HOLDER_NAME, part) and not _NAME_STOP.match(part) and len(part) >= 2:
            out.append(part)
    return out


def _flat(ln: Line) -> str:
    """The raw line, NFKC, whitespace runs collapsed (table cells stay apart)."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", ln.raw)).strip()


def _shareholders_5pct(ctx: _Ctx) -> None:
    """Holders of 5% or more: the section 持有发行人5%以上股份的(其他)主要股东 (sentence, numbered items or table)."""
    st = ctx.st
    lo = st.chapters["issuer_basic"].start if "issuer_basic" in st.chapters else 0
    hi = st.chapters["issuer_basic"].end if "issuer_basic" in st.chapters else len(st.lines)
    heads = [h for h in st.headings if lo <= h.start < hi and _FIVE_PCT_HEAD.search(compact(h.title) if st.language == "zh" else norm(h.title))]
    # The most specific heading first: "（二）其他持有发行人5%以上股份的主要股东" before its parent.
    heads.sort(key=lambda h: (-h.level, h.start))
    if not heads and "issuer_basic" in st.chapters:
        for ln in st.lines[lo:hi]:
            m = re.search(r"持有(?:公司|发行人|本公司)?5%(?:\(含5%\))?以上股份的(?:其他)?(?:主要)?股东(?:为|包括)[:：]?(.*)", ln.norm)
            if m and _holder_names(m.group(1)):
                names = _holder_names(m.group(1))
                ctrl = ctx.fs.get("controlling_shareholder")
                if re.search(r"除.{0,12}外|其他", ln.norm[: m.end(0) - len(m.group(1))]) and ctrl is not None and isinstance(ctrl.value, str) and ctrl.value not in names:
                    names.insert(0, ctrl.value)
                ctx.add("shareholders_5pct", names, [ctx.ev(ln)], confidence=0.7)
                return
    ctrl = ctx.fs.get("controlling_shareholder")
    for h in heads:
        names: list[str] = []
        ev = None
        others = bool(re.search(r"其他|other", h.title, re.I))
        body = st.lines[h.start + 1 : h.end]
        # 1. A sentence naming them.
        for ln in body[:8]:
            m = re.search(r"5%(?:\(含5%\))?以上(?:股份|表决权)?(?:或表决权)?的(?:其他)?(?:主要)?股东(?:为|包括|有)[:：]?(.*)", ln.norm)
            if m:
                got = _holder_names(m.group(1))
                if got:
                    names, ev = got, ln
                    others = others or bool(re.search(r"除.{0,12}外|其他", ln.norm))
                    break
            if re.search(r"不存在(?:其他)?持有.{0,6}5%以上股份", ln.norm):
                names, ev = [], ln
                others = True
                break
        # 2. Numbered sub-items ("1、兴图投资", "（1）睿泽产业基金，持有发行人6.57%的股份").
        if ev is None:
            style = None
            for ln in body:
                sm = re.match(r"^(\d{1,2}[、.]|\(\d{1,2}\))", ln.norm)
                if sm and style is not None and (sm.group(1)[0] == "(") != style:
                    continue  # "（1）…" items under "5、…" describe affiliates, not holders
                m = re.match(rf"^(?:\d{{1,2}}[、.]|\(\d{{1,2}}\))\s*({_HOLDER_NAME}(?:、{_HOLDER_NAME})*)(?:[,，](?:持有|直接持有).{{0,12}}%|$)", ln.norm)
                if m and not _NAME_STOP.match(m.group(1)) and len(m.group(1)) <= 30:
                    style = m.group(0).startswith("(") if style is None else style
                    for nm in re.split(r"、", m.group(1)):
                        if nm and nm not in names:
                            names.append(nm)
                            ev = ev or ln
                elif ctx.st.language == "zh" and re.match(r"^\d{1,2}\s+\S+\s+[\d.]+%$", _flat(ln)):
                    nm = _flat(ln).split()[1]
                    if nm not in names and re.fullmatch(_HOLDER_NAME, nm):
                        names.append(nm)
                        ev = ev or ln
                elif ctx.st.language == "en":
                    m2 = re.match(r"^\d{1,2}\s+(.+?)\s+[\d.]+%$", ln.norm)
                    if m2 and m2.group(1) not in names:
                        names.append(m2.group(1))
                        ev = ev or ln
        if ev is None:
            continue
        if others and ctrl is not None and isinstance(ctrl.value, str) and ctrl.value not in names:
            names.insert(0, ctrl.value)
        if names:
            ctx.add("shareholders_5pct", names, [ctx.ev(ev)], confidence=0.75)
            return
    if heads:
        ctx.fs.mark_missing("shareholders_5pct", f"the section '{heads[0].title}' (page {heads[0].start_page}) lists no names that could be read")
    else:
        ctx.fs.mark_missing("shareholders_5pct", "no section on shareholders holding 5% or more (持有发行人5%以上股份的主要股东) was found")


def _annual_report_controllers(ctx: _Ctx) -> None:
    """Annual reports: "(一) 控股股东情况 … 2、自然人 √适用 … 姓名 陈天石" (same for 实际控制人情况)."""
    if ctx.fs.value("document.kind") != "annual_report":
        return
    lines = ctx.st.lines
    for key, word in (("controlling_shareholder", "控股股东情况"), ("actual_controller", "实际控制人情况")):
        if key in ctx.fs.facts:
            continue
        for i, ln in enumerate(lines):
            if not re.match(rf"^(?:\([一二三四五]\)|[一二三四五]、)?\s*{word}$", ln.norm):
                continue
            for ln2 in lines[i + 1 : i + 14]:
                m = re.match(rf"^(?:姓名|名称)\s*({_HOLDER_NAME})$", ln2.norm)
                if m:
                    ctx.add(key, m.group(1), [ctx.ev(ln2)], confidence=0.8)
                    break
            if key in ctx.fs.facts:
                break


# --------------------------------------------------------------- industry, business, losses

_INDUSTRY = [
    re.compile(r"(?:所属(?:的)?行业为|所处(?:细分)?行业(?:属于|为)|属于|归属于|行业分类为)[“\"]([^”\"]{2,40})[”\"](?:(?:之|中的|下的|下属的)[“\"]([^”\"]{2,40})[”\"])?"),
]


def _industry(ctx: _Ctx) -> None:
    """The industry classification the filing states (CSRC guideline or GB/T 4754), as printed."""
    for p in ctx.doc.pages:
        if p.is_toc:
            continue
        n = _join_page(p.lines)
        for k in re.finditer(r"行业分类|所属行业|所处行业", n):
            m = _INDUSTRY[0].search(n, k.start(), k.end() + 200)
            if m is None or not re.search(r"业$|^[A-S]\d{0,2}", m.group(1)) or re.search(r"[()]|挂牌|情况", m.group(1)):
                continue
            val = m.group(1) + (("/" + m.group(2)) if m.group(2) else "")
            ev = Evidence(page=p.number, quote=n[max(0, m.start() - 80) : m.end() + 10][:QUOTE_MAX], page_label=p.label)
            ctx.add("issuer.industry", val, [ev], confidence=0.8)
            return
    ctx.fs.mark_missing("issuer.industry", "no statement of the industry classification (所属行业/行业分类) was found")


def _main_business(ctx: _Ctx) -> None:
    """One sentence stating the main business ("公司主营业务为…" / "公司是一家…" / "主要从事…")."""
    pats = [
        re.compile(r"(?:公司|发行人|本公司)(?:的)?主营业务(?:是|为)[^。]{4,200}。"),
        re.compile(r"(?:公司|发行人)(?:报告期内)?主要从事[^。]{4,200}。"),
        re.compile(r"(?:公司|发行人)是一家[^。]{4,200}。"),
        re.compile(r"(?:公司|发行人)(?:一直|自成立以来)?专注于[^。]{4,200}。"),
        re.compile(r"The Company is (?:a |an )?[^.]{0,40}engaged in [^.]{4,200}\.", re.I),
    ]
    scopes = [ctx.st.chapters.get(k) for k in ("overview", "business_technology", "issuer_basic")]
    scopes = [s for s in scopes if s is not None] or [None]
    for pat in pats:
        for sc in scopes:
            lines = ctx.st.lines[sc.start : sc.end] if sc is not None else ctx.st.lines[:3000]
            text, offs = _section_text(ctx, lines)
            m = pat.search(text)
            if m:
                ln = _line_at(lines, offs, m.start())
                ctx.add("issuer.main_business", m.group(0)[:QUOTE_MAX], [ctx.ev(ln, quote=m.group(0)[:QUOTE_MAX])], confidence=0.7)
                return
    ctx.fs.mark_missing("issuer.main_business", "no sentence stating the main business was found")


_LOSSES = re.compile(
    r"(?:截至|截止|于)(\d{4})年(\d{1,2})月(\d{1,2})日,?(?:公司|发行人|本公司)?(?:合并(?:报表)?|母公司)?(?:的)?"
    r"(?:累计未弥补亏损|未分配利润)(?:金额)?(?:为|达|约为)(-?[\d,]+(?:\.\d+)?)(万元|亿元|元)"
)
_LOSSES_EN = re.compile(
    r"as (?:at|of) (\d{1,2}) ([A-Z][a-z]+),? (\d{4}),? (?:its|the Company's) accumulated (?:uncovered losses|deficit|losses) (?:were|was|amounted to) RMB ?([\d,.]+) ?(million|billion|thousand)?",
    re.I,
)


def _accumulated_losses(ctx: _Ctx) -> None:
    """累计未弥补亏损 stated as an amount at a date (yuan, positive = the size of the losses)."""
    units = {"元": Decimal(1), "万元": Decimal(10_000), "亿元": Decimal(100_000_000)}
    for p in ctx.doc.pages:
        if p.is_toc:
            continue
        text = _join_page(p.lines)
        if "累计未弥补亏损" not in text and "accumulated" not in text.lower():
            continue
        for m in _LOSSES.finditer(text):
            if "未分配利润" in m.group(0) and not m.group(4).startswith("-"):
                continue  # retained earnings are not losses
            v = parse_number(m.group(4))
            if v is None:
                continue
            val = abs(v) * units[m.group(5)]
            iso = f"{int(m.group(1)):04d}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"
            ev = Evidence(page=p.number, quote=text[max(0, m.start() - 40) : m.end() + 10][:QUOTE_MAX], page_label=p.label)
            ctx.add("financials.accumulated_uncovered_losses", val, [ev], unit="CNY", confidence=0.8)
            ctx.add("financials.accumulated_uncovered_losses_date", iso, [ev], confidence=0.8)
            return
        for m in _LOSSES_EN.finditer(text):
            mon = _MONTHS.get(m.group(2).lower())
            v = parse_number(m.group(4))
            if mon is None or v is None:
                continue
            mult = {"million": Decimal(10) ** 6, "billion": Decimal(10) ** 9, "thousand": Decimal(1000), None: Decimal(1)}[(m.group(5) or "").lower() or None]
            iso = f"{int(m.group(3)):04d}-{mon:02d}-{int(m.group(1)):02d}"
            ev = Evidence(page=p.number, quote=text[max(0, m.start() - 40) : m.end() + 10][:QUOTE_MAX], page_label=p.label)
            ctx.add("financials.accumulated_uncovered_losses", v * mult, [ev], unit="CNY", confidence=0.75)
            ctx.add("financials.accumulated_uncovered_losses_date", iso, [ev], confidence=0.75)
            return
    why = "no amount of 累计未弥补亏损 at a stated date was found"
    ctx.fs.mark_missing("financials.accumulated_uncovered_losses", why)
    ctx.fs.mark_missing("financials.accumulated_uncovered_losses_date", why)
