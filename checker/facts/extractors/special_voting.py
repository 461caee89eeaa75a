"""Special voting rights (表决权差异安排): whether the issuer has them now, their holders and votes per
share, the risk factor, and the highlight at the front.

Subject and time scope: only a sentence (ending in 。/；) that states the issuer's own arrangement
counts; an item title quoting the standard ("存在特别表决权股份、协议控制架构或类似特殊安排…"), a table
label ("持有特别表决权股份的股东总数"), a subsidiary's or another company's arrangement, and a
checkbox answered "√不适用" are not evidence of one.
"""

from __future__ import annotations

import re

from checker.extract.numbers import cn_numeral
from checker.extract.structure import Span
from checker.facts.context import Ctx, rx
from checker.facts.registry import FactSpec

NAME = "special_voting"
PRODUCES = [
    FactSpec("issuer.has_wvr", "bool", "the issuer has special voting rights (表决权差异安排) now"),
    FactSpec("issuer.wvr_votes_per_share", "count", "votes per special voting share", "count"),
    FactSpec("disclosure.wvr_arrangement", "bool", "the arrangement's holders and votes per share are disclosed"),
    FactSpec("disclosure.wvr_risk", "bool", "the risk factors include the special-voting-rights risk"),
    FactSpec("disclosure.wvr_notice", "bool", "the arrangement is highlighted in 重大事项提示 / the overview"),
]
MAX_HEADING = 80


def statements(ctx: Ctx, term: re.Pattern[str], pages: list[int], lex: dict) -> tuple[list, list]:
    """(positive, negative) statements about ``term`` on these pages: (span, start, end) triples."""
    neg, hyp, other = rx(lex["negation"]), rx(lex["hypothetical"]), rx(lex["not_a_statement"])
    arr = rx(lex["arrangement"])
    pos_hits: list[tuple[Span, int, int]] = []
    neg_hits: list[tuple[Span, int, int]] = []
    for sp, a, b in ctx.m.sentences_with(term, pages):
        s = sp.text[a:b]
        if neg.search(s):
            neg_hits.append((sp, a, b))
        elif s.endswith(("。", ";", "；")) and not hyp.search(s) and not other.search(s) and arr.search(s):
            pos_hits.append((sp, a, b))
    return pos_hits, neg_hits


def checkbox_answer(ctx: Ctx, term: re.Pattern[str], lex: dict) -> tuple[bool, object] | None:
    """A heading naming the term answered by a checkbox on the next lines (annual-report form)."""
    no, yes = rx(lex["checkbox_no"]), rx(lex["checkbox_yes"])
    lines = ctx.m.lines
    for ln in ctx.m.lines_that_may_match(term, lines):
        if len(ln.norm) > MAX_HEADING or not term.search(ln.norm):
            continue
        i = ln.idx
        window = " ".join(x.norm for x in lines[i : i + 3])
        if no.search(window):
            return False, ctx.ev(ln, quote=window[:200])
        if yes.search(window) and not no.search(window):
            return True, ctx.ev(ln, quote=window[:200])
    return None


def extract(ctx: Ctx) -> None:
    lex = ctx.lex
    m = ctx.m
    term = rx(lex["term"])
    pos, neg = statements(ctx, term, m.body_pages, lex)
    box = checkbox_answer(ctx, term, lex)
    if box is not None and box[0] is False:
        ctx.add("issuer.has_wvr", False, [box[1]], confidence=0.9)  # type: ignore[list-item]
        pos = []
    elif pos:
        ctx.add("issuer.has_wvr", True, [ctx.ev(sp.line_at(a), quote=sp.text[a:b]) for sp, a, b in pos[:3]], confidence=0.9)
    elif neg:
        ctx.add("issuer.has_wvr", False, [ctx.ev(sp.line_at(a), quote=sp.text[a:b]) for sp, a, b in neg[:3]], confidence=0.9)
    elif (gov := ctx.first_sentence(rx(lex["no_special_governance"]), m.body_pages)) is not None:
        sp, a, b = gov
        ctx.add("issuer.has_wvr", False, [ctx.ev(sp.line_at(a), quote=sp.text[a:b])], confidence=0.8)
    else:
        ctx.missing("issuer.has_wvr", "no statement on special voting rights (特别表决权 / 表决权差异安排) found")

    # Arrangement: holders and votes per share, in the issuer / governance / overview chapters.
    pages = m.chapter_pages("issuer_basic", "governance", "overview")
    chs = [m.chapter(k) for k in ("issuer_basic", "governance", "overview") if m.chapter(k) is not None]
    holders, votes = rx(lex["holders"]), rx(lex["votes"])
    neg_rx, hyp = rx(lex["negation"]), rx(lex["hypothetical"])
    cands = []
    if pos:
        for p in pages:
            sp = m.page_span(p)
            if not sp.holds(term):
                continue
            cands += [(sp, a, b) for a, b in sp.sentences()
                      if not neg_rx.search(sp.text[a:b]) and not hyp.search(sp.text[a:b])]
    h = [c for c in cands if holders.search(c[0].text[c[1]:c[2]])]
    v = [c for c in cands if votes.search(c[0].text[c[1]:c[2]])]
    if h and v:
        ctx.add("disclosure.wvr_arrangement", True, [ctx.ev(c[0].line_at(c[1]), quote=c[0].text[c[1]:c[2]]) for c in (h[0], v[0])])
    elif chs:
        ctx.add("disclosure.wvr_arrangement", False, ctx.searched(chs, "no holders / votes-per-share statement"))
    else:
        ctx.missing("disclosure.wvr_arrangement", "neither the issuer-information nor the governance chapter was found")
    num_rx = rx(lex["votes_number"])
    for sp, a, b in v:
        mt = num_rx.search(sp.text[a:b])
        if mt:
            raw = next(g for g in reversed(mt.groups()) if g and (g.isdigit() or cn_numeral(g)))
            ctx.add("issuer.wvr_votes_per_share", int(raw) if raw.isdigit() else cn_numeral(raw),
                    [ctx.ev(sp.line_at(a), quote=sp.text[a:b])], unit="count", confidence=0.8)
            break
    else:
        ctx.missing("issuer.wvr_votes_per_share", "no votes-per-share figure found")

    rf = m.chapter("risk_factors")
    ln = next((x for x in m.section_lines(rf) if len(x.norm) <= MAX_HEADING and rx(lex["risk_heading"]).search(x.norm)
               and not neg_rx.search(x.norm)), None) if rf else None
    if ln is not None:
        ctx.add("disclosure.wvr_risk", True, [ctx.ev(ln)])
    elif rf is not None:
        ctx.add("disclosure.wvr_risk", False, ctx.searched([rf], "no special-voting-rights risk heading"))
    else:
        ctx.missing("disclosure.wvr_risk", "the risk-factors chapter was not found")

    ov = m.chapter("overview")
    if ov is None:
        ctx.missing("disclosure.wvr_notice", "the overview chapter was not found")
        return
    front = set(range(1, ov.end_page + 1))
    notice = [c for c in pos if c[0].lines and c[0].lines[0].page in front]
    if notice:
        sp, a, b = notice[0]
        ctx.add("disclosure.wvr_notice", True, [ctx.ev(sp.line_at(a), quote=sp.text[a:b])])
    else:
        ctx.add("disclosure.wvr_notice", False, ctx.searched([ov], "no special-voting-rights highlight"))
