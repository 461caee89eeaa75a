"""The profitability outlook of an unprofitable issuer (未来实现盈利情况), its forward-looking caution,
and the 科创成长层 (STAR growth tier) statement.

Evidence of the outlook is the issuer's own statement of when it expects to break even ("公司将于2027
年实现盈利"), before a sub-heading that only names the topic ("1、盈亏平衡时间"), a caution that the
time may slip, or the sponsor's review opinion. The growth tier is read from the issuer's own
sentence, not from the guideline it quotes ("上市时未盈利的科创板公司，自上市之日起纳入科创成长层");
"不纳入科创成长层" says it does not join.
"""

from __future__ import annotations

from checker.extract.structure import Span
from checker.facts.context import Ctx, rx
from checker.facts.registry import FactSpec

NAME = "profit_outlook"
PRODUCES = [
    FactSpec("disclosure.profitability_outlook", "bool", "a forward-looking statement on future profitability"),
    FactSpec("disclosure.profitability_outlook_caution", "bool", "the outlook carries a forward-looking caution"),
    FactSpec("disclosure.growth_tier", "bool", "the filing states the issuer joins the 科创成长层"),
]
MIN_CHAPTERS = 4


def extract(ctx: Ctx) -> None:
    lex = ctx.lex
    m = ctx.m
    outlook = rx(lex["outlook"])
    hits = []  # every outlook statement (the overview summarises, the financial chapter elaborates)
    for p in m.body_pages:
        sp = m.page_span(p)
        if sp.holds(outlook):
            hits += [(sp, a, b) for a, b in sp.sentences() if outlook.search(sp.text[a:b])]
    searched = [m.chapter("overview"), m.chapter("financial")]
    if not hits:
        ev = ctx.searched(searched, "no profitability outlook")
        if ev:
            ctx.add("disclosure.profitability_outlook", False, ev, confidence=0.7)
            ctx.add("disclosure.profitability_outlook_caution", False, ev, confidence=0.7)
        else:
            why = "neither the overview nor the financial chapter was found"
            ctx.missing("disclosure.profitability_outlook", why)
            ctx.missing("disclosure.profitability_outlook_caution", why)
    else:
        sp, a, b = min(hits, key=lambda h: _rank(ctx, *h))
        ln = sp.line_at(a)
        ctx.add("disclosure.profitability_outlook", True, [ctx.ev(ln, quote=sp.text[a:b])], confidence=0.8)
        bad = rx(lex["not_caution"])
        body = set(m.body_pages)
        caution = None
        for hsp, ha, _ in hits[:20]:
            start = hsp.line_at(ha).page
            for p in range(start, start + int(lex["caution_window_pages"])):
                if p not in body:
                    continue
                cs = m.page_span(p)
                for ca, cb in cs.sentences():
                    c = cs.text[ca:cb]
                    if rx(lex["caution"]).search(c) and not bad.search(c):
                        caution = ctx.ev(cs.line_at(ca), quote=c)
                        break
                if caution:
                    break
            if caution:
                break
        if caution:
            ctx.add("disclosure.profitability_outlook_caution", True, [caution], confidence=0.8)
        else:
            pages = sorted({h[0].line_at(h[1]).page for h in hits})
            ctx.add("disclosure.profitability_outlook_caution", False,
                    [ctx.ev(ln, quote=sp.text[a:b], note=f"the pages after each outlook statement (pp. {pages[:8]}) "
                                                           "searched for a forward-looking caution")], confidence=0.7)
    _growth_tier(ctx)


def _rank(ctx: Ctx, sp: Span, a: int, b: int) -> int:
    """How well an outlook sentence shows the issuer's outlook (0 best): a dated statement, then other
    prose, then a heading that names the topic, then a caution that the time may slip or a sentence
    under the sponsor's / accountant's review opinion."""
    lex, s, ln = ctx.lex, sp.text[a:b], sp.line_at(a)
    if rx(lex["not_statement"]).search(s) or any(rx(lex["not_issuer_heading"]).search(h.title)
                                                  for h in ctx.m.headings_at(ln.idx)[:2]):
        return 3
    if ln.is_heading() and len(s.strip()) <= len(ln.norm):
        return 2
    return 0 if rx(lex["statement"]).search(s) else 1


def _growth_tier(ctx: Ctx) -> None:
    lex, m = ctx.lex, ctx.m
    mention, rule, negative = rx(lex["growth_tier"]), rx(lex["growth_tier_rule"]), rx(lex["growth_tier_not"])
    own = no = quoted = None
    for sp, a, b in m.sentences_with(mention):
        s = sp.text[a:b]
        if negative.search(s):
            no = no or (sp, a, b)
        elif rule.search(s) or not mention.search(rx(lex["title"]).sub("", s)):
            quoted = quoted or (sp, a, b)  # the guideline's own rule, or only its title
        else:
            own = (sp, a, b)
            break  # the issuer's own statement settles it
    for hit, value, conf in ((own, True, 0.8), (no, False, 0.8), (quoted, True, 0.6)):
        if hit:
            sp, a, b = hit
            ctx.add("disclosure.growth_tier", value, [ctx.ev(sp.line_at(a), quote=sp.text[a:b])], confidence=conf)
            return
    if len(m.chapters) >= MIN_CHAPTERS and m.body_pages:
        ctx.add("disclosure.growth_tier", False, ctx.searched_pages(m.body_pages, "no 科创成长层 statement"), confidence=0.8)
    else:
        ctx.missing("disclosure.growth_tier", "chapter structure not recognised")


