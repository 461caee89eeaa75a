"""Standard (五) conditions: evidence sentences for state approval, phased results, Phase II trials,
pharma status and market space (LR 2.1.2(五)), quoted for a person to judge.

Not evidence: a sentence quoting the standard's own conditions (the listing-standard item restates
them), and the peers' rows of a pipeline table (同类药物临床情况: other companies' trials)."""

from __future__ import annotations

from checker.extract.structure import Span
from checker.facts.context import Ctx, rx
from checker.facts.registry import FactSpec

NAME = "std5"
READS = ("industry",)  # extractors whose facts this one reads (checker/facts/run.py)
_WHAT = {"state_approval": "main business or products need state approval", "phased_results": "phased results achieved",
         "phase2": "a core product approved for Phase II trials", "pharma": "the issuer is a pharma company",
         "market_space": "the market is large"}
PRODUCES = [FactSpec(f"std5.{k}", "bool", f"standard (五): {v}") for k, v in _WHAT.items()]


def _own_spans(ctx: Ctx, pages: list[int]) -> list[Span]:
    """One span per page of the lines that are the issuer's own text (peers' table rows left out)."""
    lex = ctx.lex
    peer, own, cap = rx(lex["peer_row"]), rx(lex["own_row"]), int(lex["peer_row_max"])
    out, left = [], 0
    for p in pages:
        keep = []
        # no line of a page without a literal of the peer-row pattern is a peer row (extract/literals.py)
        peers_here = ctx.m.page_span(p).may_hold(peer)
        for ln in ctx.m.page_lines(p):
            text = ln.norm.strip()
            if peers_here and peer.search(text):
                left = cap
            elif left and (ln.is_heading() or own.search(text)):
                left = 0
            if left:
                left -= 1
            else:
                keep.append(ln)
        if keep:
            out.append(ctx.m.span(keep))
    return out


def extract(ctx: Ctx) -> None:
    m = ctx.m
    pages = m.chapter_pages("overview", "business_technology")
    if not pages:
        for k in _WHAT:
            ctx.missing(f"std5.{k}", "neither the overview nor the business chapter was found")
        return
    spans = _own_spans(ctx, pages)
    reject = rx(ctx.lex["standard_text"])
    for k in _WHAT:
        r = rx(ctx.lex["facts"][k])
        if k == "pharma":
            mb = ctx.fs.get("industry.main_business")
            if mb is None:
                ctx.missing("std5.pharma", "no main-business statement found")
            else:
                ctx.add("std5.pharma", bool(r.search(str(mb.value))), list(mb.evidence), confidence=0.7)
            continue
        hit = next(((sp, a, b) for sp in spans if sp.holds(r) for a, b in sp.sentences()
                    if r.search(sp.text, a, b) and not reject.search(sp.text, a, b)), None)
        if hit:
            sp, a, b = hit
            ctx.add(f"std5.{k}", True, [ctx.ev(sp.line_at(a), quote=sp.text[a:b])], confidence=0.7)
        else:
            ctx.add(f"std5.{k}", False, ctx.searched([m.chapter("overview"), m.chapter("business_technology")],
                                                     f"no sentence showing that {_WHAT[k]}"), confidence=0.7)
