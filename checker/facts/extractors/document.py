"""Document identity: kind, draft stage, board, language, date, format version (layout), issuer name.

The board is decided from every signal the filing gives, strongest first: the cover title and risk
notice ("首次公开发行股票并在科创板上市", "创业板投资风险提示"), a stock code, the exchange and board named
in the offering summary ("拟上市的证券交易所：上海证券交易所"), where the body says the shares will
trade, and the date (no STAR filing predates the board). A filing that names only an exchange is that
exchange's main board.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date, datetime

from checker.extract.clean import compact, norm
from checker.facts.context import Ctx, rx
from checker.facts.registry import FactSpec

NAME = "document"
PRODUCES = [
    FactSpec("document.kind", "code", "prospectus | preliminary_prospectus | annual_report | other"),
    FactSpec("document.stage", "code", "draft stage 申报稿 | 上会稿 | 注册稿; null for a final prospectus"),
    FactSpec("document.board", "code", "star | main | chinext | bse | unknown, from every board signal"),
    FactSpec("document.board_signals", "codes", "the board signals found, strongest first (for review)"),
    FactSpec("document.language", "code", "zh | en"),
    FactSpec("document.date", "date", "the prospectus signing date (招股说明书签署日期), ISO"),
    FactSpec("document.layout", "code", "format version the filing follows: std57 (2023-02-17 on) | std41"),
    FactSpec("issuer.name", "text", "the issuer's registered name, from the cover or the running header"),
]

_COMPANY = re.compile(r"^([\u4e00-\u9fff()]{4,40}?(?:股份有限公司|有限责任公司|有限公司|集团公司))")
_COMPANY_EN = re.compile(r"^([A-Z][A-Za-z0-9&.,' ()-]{3,80}?(?:Co\.,? ?Ltd\.?|Limited|Inc\.|Corporation|Corp\.))", re.I)


def _cover(ctx: Ctx, pages: int = 3) -> list[tuple[int, str]]:
    return [(p.number, raw) for p in ctx.doc.pages[:pages] for raw in p.raw_lines]


def extract(ctx: Ctx) -> None:
    lex = ctx.lex
    cover = _cover(ctx)
    headers: Counter[str] = Counter(h for p in ctx.doc.pages for h in p.header[:1])
    top_header = headers.most_common(1)[0][0] if headers else None
    probes = list(cover) + ([(2, top_header)] if top_header else [])
    title = ctx.doc.metadata.get("title") or ctx.doc.metadata.get("Title") or ""
    if title:
        probes.append((1, title))
    first_quote = cover[0][1] if cover else ""

    kind_found = None
    for kind in ("preliminary_prospectus", "prospectus", "annual_report"):
        kind_found = next(((kind, pg, raw) for pg, raw in probes if len(compact(raw)) <= 80
                           and any(rx(p).search(norm(raw)) for p in lex["kind"][kind])), None)
        if kind_found:
            break
    if kind_found:
        ctx.add("document.kind", kind_found[0], [ctx.ev(page=kind_found[1], quote=kind_found[2])], confidence=0.95)
    else:
        # No title on the cover: the kind the body names most often (a filing exported without its
        # cover still says 招股说明书 throughout); "other" only when no page names any filing kind.
        counts: Counter[str] = Counter()
        first: dict[str, tuple[int, str]] = {}
        for ln in ctx.m.lines:
            for kind in ("preliminary_prospectus", "prospectus", "annual_report"):
                if any(rx(p).search(ln.norm) for p in lex["kind"][kind]):
                    counts[kind] += 1
                    first.setdefault(kind, (ln.page, ln.raw.strip()))
        if counts:
            kind, _ = counts.most_common(1)[0]
            ctx.add("document.kind", kind, [ctx.ev(page=first[kind][0], quote=first[kind][1])], confidence=0.7)
        else:
            ev = ctx.searched_pages(ctx.m.body_pages, "no page names a filing kind (招股说明书 / 招股意向书 / 年度报告)")
            ctx.add("document.kind", "other", ev or [ctx.ev(page=1, quote=first_quote)], confidence=0.8)

    stage = None
    for pg, raw in probes:
        if len(compact(raw)) > 80:
            continue
        stage = next(((name, pg, raw) for name, pats in lex["stage"].items()
                      if any(rx(p).search(norm(raw)) for p in pats)), None)
        if stage:
            break
    if stage:
        ctx.add("document.stage", stage[0], [ctx.ev(page=stage[1], quote=stage[2])], confidence=0.95)
    elif kind_found and kind_found[0] != "annual_report":
        ctx.add("document.stage", None, [ctx.ev(page=kind_found[1], quote=kind_found[2])], confidence=0.8)
    else:
        ctx.missing("document.stage", "no draft-stage mark (申报稿/上会稿/注册稿) on the cover")

    ctx.add("document.language", ctx.m.language, [ctx.ev(page=1, quote=first_quote)], confidence=0.95)
    filed = _date(ctx)
    _board(ctx, probes, cover, filed)
    _layout(ctx, filed)
    _issuer_name(ctx, cover, top_header)


# ------------------------------------------------------------------------------------ board


def _board_of(text: str, lex: dict) -> str | None:
    n = norm(text)
    for board in ("star", "chinext", "bse", "sme", "main"):
        if any(rx(p).search(n) for p in lex["board"][board]):
            return "main" if board == "sme" else board
    return None


def _board(ctx: Ctx, probes: list[tuple[int, str]], cover: list[tuple[int, str]], filed: date | None) -> None:
    lex = ctx.lex
    signals: list[tuple[str, str, int, str]] = []  # (board, signal, page, quote)
    # 1. The cover: title, risk notice, running header.
    for pg, raw in probes:
        b = _board_of(raw, lex)
        if b:
            signals.append((b, "cover", pg, raw))
            break
    # 2. A stock code on the cover.
    for pg, raw in cover:
        m = rx(lex["stock_code"]).search(norm(raw))
        if m:
            b = next((k for k, pat in lex["board_codes"].items() if re.fullmatch(pat, m.group(1))), None)
            if b:
                signals.append((b, "stock_code", pg, raw))
                break
    # 3. The exchange (and board) the offering summary names.
    for p in ctx.m.body_pages[:40]:
        sp = ctx.m.page_span(p)
        m = rx(lex["exchange_line"]).search(sp.text)
        if m:
            ex, brd = m.group("ex"), m.group("board") or ""
            b = {"科创板": "star", "创业板": "chinext", "主板": "main", "中小企业板": "main"}.get(brd)
            if b is None:
                b = "bse" if ex.startswith("北京") else "main"
            signals.append((b, "exchange", p, sp.around(m.start(), m.end(), 10, 80)))
            break
    # 4. Where the body says the shares will trade.
    counts: Counter[str] = Counter()
    first: dict[str, tuple[int, str]] = {}
    for p in ctx.m.body_pages[:80]:
        sp = ctx.m.page_span(p)
        for m in re.finditer(r"(科创板|创业板|北京证券交易所|中小企业板)(?:市场)?(?:上市|挂牌)", sp.text):
            b = {"科创板": "star", "创业板": "chinext", "北京证券交易所": "bse", "中小企业板": "main"}[m.group(1)]
            counts[b] += 1
            first.setdefault(b, (p, sp.around(m.start(), m.end(), 60, 120)))
    if counts:
        b = counts.most_common(1)[0][0]
        signals.append((b, "body", first[b][0], first[b][1]))
    code = ctx.doc.metadata.get("股票代码")
    if code:
        b = next((k for k, pat in lex["board_codes"].items() if re.fullmatch(pat, code.strip())), None)
        if b:
            signals.append((b, "metadata", 1, f"股票代码: {code}"))

    ruled_out = None
    if filed is not None and filed < lex["star_opened"]:
        # A filing dated before the STAR board opened cannot be a STAR filing: a mention of 科创板 is about
        # something else (a regional equity exchange's 科技创新板); it overrules no other signal.
        ruled_out = next((s for s in signals if s[0] == "star"), None)
        signals = [s for s in signals if s[0] != "star"]
        if not signals and ruled_out is not None:
            signals = [("main", "date", 1, ruled_out[3])]
    if not signals:
        ctx.add("document.board", "unknown", [ctx.ev(page=1, quote=cover[0][1] if cover else "")], confidence=0.5)
        return
    # An exchange named without its board ("深圳证券交易所") is the main board only when nothing in the
    # body says otherwise (a ChiNext filing may name just the exchange on its cover table).
    signals = [s for s in signals if not (s[1] == "exchange" and s[0] == "main" and any(o[1] == "body" and o[0] != "main" for o in signals)
               and not re.search(r"主板|中小企业板", s[3]))]
    board, _, pg, quote = signals[0]
    strong = [s for s in signals if s[1] in ("cover", "stock_code", "exchange")]
    if strong:
        board, _, pg, quote = strong[0]
        conf = 0.95 if strong[0][1] in ("cover", "stock_code") else 0.85
    else:
        conf = 0.75
    if ruled_out is not None:
        conf = min(conf, 0.7)
    ctx.add("document.board", board, [ctx.ev(page=pg, quote=quote)], confidence=conf)
    ctx.add("document.board_signals", [f"{b}:{s}" for b, s, _, _ in signals],
            [ctx.ev(page=p, quote=q) for _, _, p, q in signals[:4]], confidence=conf)


# ------------------------------------------------------------------------------- date, layout


def _date(ctx: Ctx) -> date | None:
    lex = ctx.lex["date"]
    d: date | None
    for p in [p for p in ctx.m.body_pages if p <= 12] or list(range(1, min(ctx.m.page_count, 12) + 1)):
        sp = ctx.m.page_span(p)
        m = rx(lex["zh"]).search(sp.text)
        if m:
            try:
                d = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                continue
            ctx.add("document.date", d.isoformat(), [ctx.ev_at(sp, m.start(), m.end(), before=0, width=60)], confidence=1.0)
            return d
        m = rx(lex["zh_numerals"]).search(sp.text)
        if m:
            from checker.extract.numbers import cn_numeral

            digits = {"〇": "0", "○": "0", "零": "0", "一": "1", "二": "2", "三": "3", "四": "4", "五": "5",
                      "六": "6", "七": "7", "八": "8", "九": "9"}
            try:
                d = date(int("".join(digits[c] for c in m.group(1))), cn_numeral(m.group(2)) or 0, cn_numeral(m.group(3)) or 0)
            except (ValueError, KeyError):
                d = None
            if d is not None:
                ctx.add("document.date", d.isoformat(), [ctx.ev_at(sp, m.start(), m.end(), before=0, width=60)], confidence=0.95)
                return d
        m = rx(lex["en"]).search(sp.text)
        if m:
            for fmt in ("%B %d, %Y", "%B %d %Y", "%Y-%m-%d"):
                try:
                    d = datetime.strptime(m.group(1), fmt).date()
                except ValueError:
                    continue
                ctx.add("document.date", d.isoformat(), [ctx.ev_at(sp, m.start(), m.end(), before=0)], confidence=1.0)
                return d
    ctx.missing("document.date", "no 招股说明书签署日期 / prospectus date found in the first 12 pages")
    return None


_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6}


def _chapter_number(title: str) -> int | None:
    from checker.extract.numbers import cn_numeral

    t = norm(title)
    m = re.match(r"^第\s*([一二三四五六七八九十]+|\d{1,2})\s*[节章]", t)
    if m:
        return cn_numeral(m.group(1))
    m = re.match(r"^(?:section|chapter|part)\s+([ivx]+|\d{1,2})\b", t, re.I)
    if m:
        return int(m.group(1)) if m.group(1).isdigit() else _ROMAN.get(m.group(1).lower())
    return None


def _layout(ctx: Ctx, filed: date | None) -> None:
    lex = ctx.lex
    marker = [rx(lex["std57_marker"]["zh"] + r"\Z"), rx(lex["std57_marker"]["en"] + r"\Z")]
    limit = ctx.m.front_end_page() or 15
    for ln in ctx.m.lines:
        if ln.page > limit:
            break
        if any(p.match(ln.norm) for p in marker):
            ctx.add("document.layout", "std57", [ctx.ev(ln)], confidence=0.95)
            return
    off = ctx.m.chapter("offering")
    if off is not None and _chapter_number(ctx.m.lines[off.start].norm) is not None:
        # a numbered 本次发行概况 chapter (第三节); Std 57 prints it unnumbered in the front matter
        ctx.add("document.layout", "std41", [ctx.ev(ctx.m.lines[off.start])], confidence=0.9)
        return
    rf = ctx.m.chapter("risk_factors")
    num = _chapter_number(ctx.m.lines[rf.start].norm) if rf else None
    if rf is not None and num in (3, 4):
        ctx.add("document.layout", "std57" if num == 3 else "std41", [ctx.ev(ctx.m.lines[rf.start])], confidence=0.8)
        return
    if filed is not None:
        layout = "std57" if filed >= lex["std57_from"] else "std41"
        ev = ctx.fs.get("document.date")
        ctx.add("document.layout", layout, list(ev.evidence) if ev else [], confidence=0.6)
        return
    ctx.missing("document.layout", "neither 致投资者的声明 nor the chapter set nor a date tells the format version")


# ------------------------------------------------------------------------------- issuer name


def _issuer_name(ctx: Ctx, cover: list[tuple[int, str]], top_header: str | None) -> None:
    cands: dict[str, list[tuple[int, str, int]]] = {}
    for pg, raw in cover:
        c = compact(raw).lstrip("#")  # a markdown title line ("# …股份有限公司 2023 年年度报告")
        m = _COMPANY.match(c)
        if m and (c == m.group(1) or re.match(r"^(招股|首次公开|年度报告|\d{4}年)", c[len(m.group(1)):])):
            cands.setdefault(m.group(1), []).append((pg, raw, 3 if c == m.group(1) else 2))
        elif ctx.m.language == "en":
            m2 = _COMPANY_EN.match(norm(raw))
            if m2 and len(norm(raw)) <= len(m2.group(1)) + 5:
                cands.setdefault(m2.group(1).strip(), []).append((pg, raw, 3))
    if top_header:
        m = _COMPANY.match(compact(top_header))
        if m:
            cands.setdefault(m.group(1), []).append((2, top_header, 2))
    if not cands:
        ctx.missing("issuer.name", "no company name (…股份有限公司) found on the cover or in the running header")
        return
    best = max(cands, key=lambda k: (sum(w for *_, w in cands[k]), -cands[k][0][0]))
    pg, raw, _ = cands[best][0]
    ctx.add("issuer.name", best, [ctx.ev(page=pg, quote=raw)], confidence=0.95 if len(cands[best]) > 1 else 0.85)
