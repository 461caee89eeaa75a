"""Red-chip status, a current contractual-control (VIE) structure, and their disclosures.

Time scope: a VIE structure dismantled before the filing (拆除, 已解除, 已终止) is not current.
Subject scope: only sentences (ending in 。/；) about the issuer count; the standard's item titles
("存在特别表决权股份、协议控制架构或类似特殊安排…") are not statements.
"""

from __future__ import annotations

from typing import Any

from checker.facts.context import Ctx, rx
from checker.facts.registry import FactSpec

NAME = "red_chip"
READS = ("document",)  # extractors whose facts this one reads (checker/facts/run.py)
PRODUCES = [
    FactSpec("issuer.is_red_chip", "bool", "the issuer is a red-chip company (registered abroad, operating in China)"),
    FactSpec("issuer.has_vie", "bool", "the issuer has a current contractual-control (VIE) structure"),
    FactSpec("disclosure.redchip_investor_protection", "bool", "investor protection stated as not below PRC requirements"),
    FactSpec("disclosure.vie_arrangement", "bool", "the VIE arrangement is described in the issuer / governance chapters"),
    FactSpec("disclosure.vie_risk", "bool", "the risk factors include the VIE risk"),
]
MAX_HEADING = 80
MIN_CHAPTERS = 4


def _ev(ctx: Ctx, hit):  # type: ignore[no-untyped-def]
    sp, a, b = hit
    return ctx.ev(sp.line_at(a), quote=sp.text[a:b])


def extract(ctx: Ctx) -> None:
    lex = ctx.lex
    m = ctx.m
    rc = lex["red_chip"]
    trigger, pos_rx, neg_rx = rx(rc["trigger"]), rx(rc["positive"]), rx(rc["negative"])
    hyp = rx(lex["hypothetical"])
    pos, negs = [], []
    for p in m.body_pages:
        sp = m.page_span(p)
        if not sp.holds(trigger):
            continue
        for a, b in sp.sentences():
            s = sp.text[a:b]
            if neg_rx.search(s):
                negs.append((sp, a, b))
            elif pos_rx.search(s) and not hyp.search(s):
                pos.append((sp, a, b))
    domestic: Any = None
    defs = m.chapter("definitions")
    if defs is not None:
        drx = rx(rc["domestic_definition"])
        domestic = next((ln for ln in m.section_lines(defs) if drx.search(ln.norm)), None)
    issuer = ctx.fs.get("issuer.name")
    if domestic is None and issuer is not None and str(issuer.value).endswith("股份有限公司"):
        domestic = issuer  # a 股份有限公司 is incorporated under PRC company law
    if domestic is None:
        name, stop = rx(rc["domestic_cover"]), rx(rc["cover_stop"])
        for ln in m.lines:
            if ln.page > 6 or stop.search(ln.norm):
                break
            if name.match(ln.norm):
                domestic = ln
                break
    if pos:
        ctx.add("issuer.is_red_chip", True, [_ev(ctx, h) for h in pos[:3]], confidence=0.9)
    elif negs:
        ctx.add("issuer.is_red_chip", False, [_ev(ctx, h) for h in negs[:3]], confidence=0.9)
    elif domestic is not None:
        # NOTE: a 股份有限公司 is a company incorporated in the PRC, hence not a red chip.
        ev = list(domestic.evidence) if hasattr(domestic, "evidence") else [ctx.ev(domestic)]
        ctx.add("issuer.is_red_chip", False, ev, confidence=0.8)
    else:
        ctx.missing("issuer.is_red_chip", "no statement on red-chip status and no PRC joint-stock issuer name found")

    ip = ctx.first_sentence(rx(rc["investor_protection"]), m.body_pages)
    ipc = m.chapter("investor_protection")
    if ip is not None:
        ctx.add("disclosure.redchip_investor_protection", True, [_ev(ctx, ip)])
    elif ipc is not None and len(m.chapters) >= MIN_CHAPTERS:
        ctx.add("disclosure.redchip_investor_protection", False,
                ctx.searched([ipc], "no statement that investor protection is not below PRC requirements"))
    else:
        ctx.missing("disclosure.redchip_investor_protection", "the investor-protection chapter was not found")

    _vie(ctx)


def _vie(ctx: Ctx) -> None:
    lex = ctx.lex
    m = ctx.m
    v = lex["vie"]
    term, arr, gone = rx(v["term"]), rx(v["arrangement"]), rx(v["dismantled"])
    neg, hyp, other = rx(lex["negation"]), rx(lex["hypothetical"]), rx(lex["not_a_statement"])
    vpos, vneg = [], []
    for sp, a, b in m.sentences_with(term):
        s = sp.text[a:b]
        if neg.search(s) or gone.search(s):
            vneg.append((sp, a, b))
        elif s.endswith(("。", ";", "；")) and arr.search(s) and not hyp.search(s) and not other.search(s):
            vpos.append((sp, a, b))
    if vpos and not any(gone.search(sp.text[a:b]) for sp, a, b in vneg):
        ctx.add("issuer.has_vie", True, [_ev(ctx, h) for h in vpos[:3]], confidence=0.85)
    elif vneg:
        ctx.add("issuer.has_vie", False, [_ev(ctx, h) for h in vneg[:3]], confidence=0.9)
    elif (gov := ctx.first_sentence(rx(ctx_lex_gov()), m.body_pages)) is not None:
        ctx.add("issuer.has_vie", False, [_ev(ctx, gov)], confidence=0.8)
    elif vpos:
        ctx.add("issuer.has_vie", True, [_ev(ctx, h) for h in vpos[:3]], confidence=0.7)
    else:
        ctx.missing("issuer.has_vie", "no statement on a contractual-control (协议控制 / VIE) structure found")
    apages = set(m.chapter_pages("issuer_basic", "governance"))
    achs = [c for c in (m.chapter("issuer_basic"), m.chapter("governance")) if c is not None]
    ahit = next((h for h in vpos if h[0].line_at(h[1]).page in apages), None)
    if ahit:
        ctx.add("disclosure.vie_arrangement", True, [_ev(ctx, ahit)])
    elif achs:
        ctx.add("disclosure.vie_arrangement", False, ctx.searched(achs, "no description of a VIE arrangement"))
    else:
        ctx.missing("disclosure.vie_arrangement", "the issuer-information and governance chapters were not found")
    rf = m.chapter("risk_factors")
    ln = next((x for x in m.section_lines(rf) if len(x.norm) <= MAX_HEADING and rx(v["risk_heading"]).search(x.norm)
               and not neg.search(x.norm)), None) if rf else None
    if ln is not None:
        ctx.add("disclosure.vie_risk", True, [ctx.ev(ln)])
    elif rf is not None:
        ctx.add("disclosure.vie_risk", False, ctx.searched([rf], "no VIE risk heading"))
    else:
        ctx.missing("disclosure.vie_risk", "the risk-factors chapter was not found")


def ctx_lex_gov() -> str:
    """The 公司治理特殊安排 denial (covers WVR and VIE), shared with the special-voting lexicon."""
    from checker.facts.context import lexicon

    return lexicon("special_voting")["no_special_governance"]
