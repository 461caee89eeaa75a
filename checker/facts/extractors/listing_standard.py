"""The listing standard the issuer claims (LR 2.1.2 / 2.1.3 / 2.1.4 and item) and its own market-cap
statement.

A claim is read in every form real filings print (reference section 14): "第2.1.2条第（一）项",
"第 2.1.2 条第一项", "第2.1.2条的第一项", "第2.1.2条第一款第（五）项", "第（一）项标准", "第一套上市标准",
the Review Rules' article ("第二十二条"), or only the standard's wording. "第一款" alone names the
article's paragraph, not the item: the wording after it decides. The search runs in the
listing-standard section first, then the overview, then the whole text (there only near the words
上市标准/上市规则), never in the 科创属性 section, and over joined lines (a claim wrapped over a line or
a page break reads whole). An item named without its article ("第（二）项规定的上市标准") belongs to the
article named just before it. The rule's recital of its standards ("…至少符合下列标准中的一项：
（一）…；（二）…") is never a claim, whatever its items' wording.
"""

from __future__ import annotations

import re
from decimal import Decimal

from checker.extract.clean import compact
from checker.extract.numbers import cn_numeral, parse_number
from checker.extract.structure import Line, Span
from checker.facts.context import Ctx, rx
from checker.facts.registry import FactSpec

NAME = "listing_standard"
PRODUCES = [
    FactSpec("listing_standard.claimed", "code", 'the standard the issuer claims: "2.1.2(1)" … "2.1.2(5)", "2.1.3(1|2)", "2.1.4(1|2)"'),
    FactSpec("listing_standard.claim_form", "code", "how the claim is written: article | set | threshold"),
    FactSpec("listing_standard.expected_market_cap_min", "money",
             "the issuer's own market-cap statement (a floor such as 预计市值不低于10亿元, or a value)", "CNY"),
]
_ITEM = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "1": 1, "2": 2, "3": 3, "4": 4, "5": 5,
         "i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5}
_ORD_EN = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5}


def _item(tok: str | None) -> int | None:
    if not tok:
        return None
    return _ITEM.get(tok.lower()) or cn_numeral(tok)


def _std(article: str, item: int) -> str:
    return f"2.1.{article}({item})"


def extract(ctx: Ctx) -> None:
    lex = ctx.lex
    m = ctx.m
    sec = m.find("listing_standard")
    excl = rx(lex["exclude_heading"])
    ranges = [(h.start, h.end) for h in m.headings if excl.search(compact(h.title))]
    scopes: list[tuple[str, list[Line], float]] = []
    if sec is not None:
        scopes.append(("section", m.section_lines(sec), 0.95))
    ov = m.chapter("overview")
    if ov is not None:
        scopes.append(("overview", m.section_lines(ov), 0.85))
    scopes.append(("document", m.lines, 0.75))
    for scope, lines, conf in scopes:
        lines = [ln for ln in lines if not any(a <= ln.idx < b for a, b in ranges)]
        span = m.span(lines)
        found = _find_claim(span.text, lex, whole=scope == "document", context_text=_context(m))
        if found:
            claim, a, b, how = found
            ctx.add("listing_standard.claimed", claim, [ctx.ev_at(span, a, b)],
                    confidence=conf if how == "article" else conf - 0.1)
            ctx.add("listing_standard.claim_form", how, [ctx.ev_at(span, a, b)], confidence=conf)
            _market_cap(ctx, span)
            return
    why = ("no listing-standard statement (article 2.1.x and item, 审核规则 article, 第X套标准 or the "
           "standard's wording) was found")
    if sec is not None:
        why = f"the section '{sec.title}' (pages {sec.start_page}-{sec.end_page}) was read but names no standard"
    ctx.missing("listing_standard.claimed", why)
    ctx.missing("listing_standard.claim_form", why)
    ctx.missing("listing_standard.expected_market_cap_min", "no listing-standard statement found")


def _context(m) -> str:  # type: ignore[no-untyped-def]
    """Text that tells a red chip from a WVR issuer for the 100亿 / 50亿 thresholds (first 60 pages)."""
    return m.memo("ls_context", lambda: m.pages_span([p for p in m.body_pages if p <= 60]).text)


def _find_claim(text: str, lex: dict, *, whole: bool, context_text: str) -> tuple[str, int, int, str] | None:
    cands: list[tuple[int, int, str, str]] = []
    item_after, quoted = rx(lex["item_after"]), rx(lex["quoted_item"])
    win = int(lex["item_window"])
    recital = rx(lex["recital"])
    for m in rx(lex["article"]).finditer(text):
        art = m.group(1)
        im = item_after.match(text, m.end(), m.end() + win)
        item = _item(im.group(1) or im.group(2)) if im else None
        if item:
            cands.append((m.start(), im.end(), _std(art, item), "article"))  # type: ignore[union-attr]
            continue
        if recital.search(text[m.end() : m.end() + 60]):
            continue  # the article's own list of standards, quoted before the issuer's choice
        q = quoted.search(text, m.end(), m.end() + 80)
        if q and _item(q.group(1)):
            cands.append((m.start(), q.end(), _std(art, _item(q.group(1))), "article_wording"))  # type: ignore[arg-type]
            continue
        t = _threshold(text[m.end() : m.end() + 240], lex, context_text)
        if t:
            cands.append((m.start(), m.end(), t, "article_wording"))
    for m in rx(lex["review_article"]).finditer(text):
        art = {"二": "2", "三": "3", "四": "4"}[m.group(1)]
        item = _item(m.group(2))
        if item is None:
            q = quoted.search(text, m.end(), m.end() + 80)
            item = _item(q.group(1)) if q else None
        if item is None:
            t = _threshold(text[m.end() : m.end() + 240], lex, context_text)
            if t:
                cands.append((m.start(), m.end(), t, "article_wording"))
            continue
        cands.append((m.start(), m.end(), _std(art, item), "article"))
    for m in rx(lex["item_only"]).finditer(text):
        item = _item(m.group(1) or m.group(2))
        if item:
            # The article is the one named just before the item ("第2.1.3条…第（二）项标准"), else 2.1.2.
            arts = list(rx(lex["article"]).finditer(text, max(0, m.start() - win), m.start()))
            cands.append((m.start(), m.end(), _std(arts[-1].group(1) if arts else "2", item), "set"))
    for m in rx(lex["article_item_en"]).finditer(text):
        cands.append((m.start(), m.end(), _std(m.group(1), _item(m.group(2)) or 0), "article"))
    for m in rx(lex["article_item_en_rev"]).finditer(text):
        cands.append((m.start(), m.end(), _std(m.group(2), _item(m.group(1)) or 0), "article"))
    for m in rx(lex["set_number"]).finditer(text):
        cands.append((m.start(), m.end(), f"2.1.2({_item(m.group(1))})", "set"))
    for m in rx(lex["set_number_en"]).finditer(text):
        cands.append((m.start(), m.end(), f"2.1.2({_ORD_EN[m.group(1).lower()]})", "set"))
    ctx_pat = rx(lex["context"])
    if whole:
        # Over the whole document, only statements that mention the listing standard count.
        cands = [c for c in cands if ctx_pat.search(text[max(0, c[0] - 60) : c[1] + 20])]
    if not cands:
        cands = _wording_claims(text, lex, whole=whole, context_text=context_text)
    cands = [c for c in cands if not c[2].endswith("(0)")]
    if not cands:
        return None
    # The most explicit form wins (article and item, then 第X套 / 第（X）项标准, then an article followed
    # by the standard's wording, then the wording alone); among equals, the first.
    strength = {"article": 3, "set": 2, "article_wording": 1, "threshold": 0}
    best = sorted(cands, key=lambda c: (-strength[c[3]], c[0]))[0]
    how = "article" if best[3] == "article_wording" else best[3]
    return best[2], best[0], best[1], how


def _wording_claims(text: str, lex: dict, *, whole: bool,
                    context_text: str) -> list[tuple[int, int, str, str]]:
    """Claims by the standard's wording alone. A wording inside an enumerated item after a recital
    ("…至少符合下列标准中的一项：（一）…；（二）…") is the rule's list when that list holds two
    items or more: a recital of the standards is never a claim (one quoted item is the issuer's)."""
    ctx_pat, enum, recital = rx(lex["context"]), rx(lex["enumerator_before"]), rx(lex["recital"])
    reach = int(lex["recital_reach"])
    cands: list[tuple[int, int, str, str]] = []
    lists: dict[int, set[str]] = {}  # recital position -> the enumerators of the items after it
    in_list: dict[int, int] = {}  # candidate index -> the recital it is listed under
    for pat in lex["thresholds"].values():
        for m in rx(pat).finditer(text):
            e = enum.search(text, max(0, m.start() - 206), m.start())
            r = list(recital.finditer(text, max(0, m.start() - reach), m.start())) if e else []
            if e and r:  # counted whether or not it is a candidate: the list is the rule's all the same
                lists.setdefault(r[-1].start(), set()).add(e.group(0)[:3])
            if whole and not ctx_pat.search(text[max(0, m.start() - 80) : m.start()]):
                continue
            std = _threshold(text[m.start() : m.end() + 40], lex, context_text)
            if not std:
                continue
            if e and r:
                in_list[len(cands)] = r[-1].start()
            cands.append((m.start(), m.end(), std, "threshold"))
    return [c for i, c in enumerate(cands) if i not in in_list or len(lists[in_list[i]]) < 2]


def _threshold(snippet: str, lex: dict, context_text: str) -> str | None:
    for key, pat in lex["thresholds"].items():
        if rx(pat).search(snippet):
            if key.startswith("2.1.2"):
                return key
            item = 1 if key == "100yi" else 2
            red, wvr = rx(lex["redchip"]).search(context_text), rx(lex["wvr"]).search(context_text)
            if red and not wvr:
                return f"2.1.3({item})"
            if wvr and not red:
                return f"2.1.4({item})"
            return None
    return None


def _market_cap(ctx: Ctx, span: Span) -> None:
    lex = ctx.lex
    text = span.text
    quoted = [(m.start(), m.end()) for m in re.finditer(r"[“\"][^”\"]{0,400}[”\"]", text)]
    recital = rx(lex["recital"])
    for m in rx(lex["market_cap_statement"]).finditer(text):
        if any(a <= m.start() < b for a, b in quoted):
            continue
        a, b = span.sentence_at(m.start())
        if recital.search(text[a:b]) or re.search(r"\([一二三四五]\)$", text[max(0, m.start() - 4) : m.start()]):
            continue  # the rule's list of standards, not the issuer's figure
        issuer_says = bool(re.search(r"(?:发行人|公司|本公司)$", text[max(0, m.start() - 4) : m.start()]))
        if not issuer_says and re.match(r"[,，]?(且|最?近|主要业务)", text[m.end() : m.end() + 6]):
            continue  # the rule's own clause, not the issuer's figure ("发行人预计市值不低于…" is the issuer's)
        v = parse_number(m.group(1))
        if v is None:
            continue
        mult = {"亿": Decimal(100_000_000), "万": Decimal(10_000), None: Decimal(1)}[m.group(2)]
        ctx.add("listing_standard.expected_market_cap_min", v * mult, [ctx.ev_at(span, m.start(), m.end())],
                unit="CNY", confidence=0.85)
        return
    for m in rx(lex["market_cap_statement_en"]).finditer(text):
        v = parse_number(m.group(1))
        if v is None:
            continue
        mult = {"billion": Decimal(10) ** 9, "million": Decimal(10) ** 6, "": Decimal(1)}[(m.group(2) or "").lower()]
        ctx.add("listing_standard.expected_market_cap_min", v * mult, [ctx.ev_at(span, m.start(), m.end())],
                unit="CNY", confidence=0.8)
        return
    ctx.missing("listing_standard.expected_market_cap_min",
                "the statement quotes only the rule's threshold; the issuer states no market-cap figure of its own there")
