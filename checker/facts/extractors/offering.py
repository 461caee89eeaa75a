"""The offering: issue price and total shares after the issue (a final prospectus prints both).

The market cap at the issue price (LR 2.1.2's 预计市值 once the price is set) is derived from these
two in :mod:`checker.facts.derive`; a preliminary prospectus before pricing states neither.
"""

from __future__ import annotations

from decimal import Decimal

from checker.extract.numbers import parse_number
from checker.facts.context import Ctx, rx
from checker.facts.registry import FactSpec

NAME = "offering"
PRODUCES = [
    FactSpec("offering.issue_price", "money", "每股发行价格 (yuan per share), once the price is set", "CNY/share"),
    FactSpec("offering.shares_after_issue", "count", "发行后总股本 (shares)", "shares"),
]
FRONT_PAGES = 40
_SHARE_UNIT = {"股": Decimal(1), "万股": Decimal(10_000), "亿股": Decimal(100_000_000)}


def extract(ctx: Ctx) -> None:
    lex = ctx.lex
    pages = [p for p in ctx.m.body_pages if p <= FRONT_PAGES]
    for path, key in (("offering.issue_price", "issue_price"), ("offering.shares_after_issue", "shares_after")):
        pat = rx(lex[key])
        found = None
        for p in pages:
            sp = ctx.m.page_span(p)
            for m in pat.finditer(sp.text):
                if rx(lex["ceiling"]).search(sp.text[m.start() : m.start("v")]):
                    continue  # a ceiling or a range is not the number
                v = parse_number(m.group("v"))
                if v is None or v <= 0:
                    continue
                if key == "shares_after":
                    v = (v * _SHARE_UNIT[m.group("u")]).quantize(Decimal(1))
                found = (v, ctx.ev_at(sp, m.start(), m.end(), before=0, width=80))
                break
            if found:
                break
        if found:
            ctx.add(path, found[0], [found[1]], unit="CNY/share" if key == "issue_price" else "shares", confidence=0.9)
        else:
            ctx.missing(path, f"no {'issue price' if key == 'issue_price' else 'total shares after the issue'} "
                        f"stated in the first {FRONT_PAGES} pages (a preliminary prospectus before pricing states none)")
