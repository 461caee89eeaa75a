"""Standard (五) conditions: evidence sentences for state approval, phased results, Phase II trials,
pharma status and market space (LR 2.1.2(五)), quoted for a person to judge."""

from __future__ import annotations

from checker.facts.context import Ctx, rx
from checker.facts.registry import FactSpec

NAME = "std5"
_WHAT = {"state_approval": "main business or products need state approval", "phased_results": "phased results achieved",
         "phase2": "a core product approved for Phase II trials", "pharma": "the issuer is a pharma company",
         "market_space": "the market is large"}
PRODUCES = [FactSpec(f"std5.{k}", "bool", f"standard (五): {v}") for k, v in _WHAT.items()]


def extract(ctx: Ctx) -> None:
    m = ctx.m
    pages = m.chapter_pages("overview", "business_technology")
    if not pages:
        for k in _WHAT:
            ctx.missing(f"std5.{k}", "neither the overview nor the business chapter was found")
        return
    for k, pat in ctx.lex.items():
        r = rx(pat)
        if k == "pharma":
            mb = ctx.fs.get("industry.main_business")
            if mb is None:
                ctx.missing("std5.pharma", "no main-business statement found")
            else:
                ctx.add("std5.pharma", bool(r.search(str(mb.value))), list(mb.evidence), confidence=0.7)
            continue
        hit = ctx.first_sentence(r, pages)
        if hit:
            sp, a, b = hit
            ctx.add(f"std5.{k}", True, [ctx.ev(sp.line_at(a), quote=sp.text[a:b])], confidence=0.7)
        else:
            ctx.add(f"std5.{k}", False, ctx.searched([m.chapter("overview"), m.chapter("business_technology")],
                                                     f"no sentence showing that {_WHAT[k]}"), confidence=0.7)
