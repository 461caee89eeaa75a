"""The profitability outlook of an unprofitable issuer (未来实现盈利情况), its forward-looking caution,
and the 科创成长层 (STAR growth tier) statement."""

from __future__ import annotations

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
        if outlook.search(sp.text):
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
        sp, a, b = hits[0]
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
    g = ctx.first_sentence(rx(lex["growth_tier"]), m.body_pages)
    if g:
        sp, a, b = g
        ctx.add("disclosure.growth_tier", True, [ctx.ev(sp.line_at(a), quote=sp.text[a:b])], confidence=0.8)
    elif len(m.chapters) >= MIN_CHAPTERS and m.body_pages:
        ctx.add("disclosure.growth_tier", False, ctx.searched_pages(m.body_pages, "no 科创成长层 statement"), confidence=0.8)
    else:
        ctx.missing("disclosure.growth_tier", "chapter structure not recognised")
