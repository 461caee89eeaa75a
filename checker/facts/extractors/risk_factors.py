"""Risk-factor quality: the leaf risk items of the risk-factors chapter, those stating countermeasures
or competitive advantages, and those stating no amount or percentage at all."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from checker.extract.structure import Line
from checker.facts.context import Ctx, rx
from checker.facts.registry import FactSpec

NAME = "risk_factors"
PRODUCES = [
    FactSpec("risk_factors.items", "count", "leaf risk items (a heading naming a risk, with body text)", "count"),
    FactSpec("risk_factors.with_mitigation", "count", "items stating countermeasures or competitive advantages", "count"),
    FactSpec("risk_factors.unquantified", "count", "items stating no amount or percentage", "count"),
    FactSpec("risk_factors.unquantified_percent", "percent", "share of items stating no amount or percentage", "percent"),
]


@dataclass
class RiskItem:
    """One leaf risk item."""

    title: str
    line: Line
    parts: list[str] = field(default_factory=list)

    @property
    def body(self) -> str:
        return "".join(self.parts)  # joined once (never concatenated in a loop)


def risk_items(ctx: Ctx) -> list[RiskItem]:
    """Leaf risk items of the risk-factors chapter."""
    lex = ctx.lex
    rf = ctx.m.chapter("risk_factors")
    if rf is None:
        return []
    head = rx(lex["heading"])
    maxlen = int(lex["heading_max"])
    items: list[RiskItem] = []
    cur: RiskItem | None = None
    for ln in ctx.m.body(rf):
        t = ln.norm
        if len(t) <= maxlen and "。" not in t and "%" not in t and head.search(t):
            if cur is not None and cur.parts:
                items.append(cur)
            cur = RiskItem(title=t, line=ln)
        elif cur is not None:
            cur.parts.append(t)
    if cur is not None and cur.parts:
        items.append(cur)
    return items


def _sentence(body: str, start: int, end: int) -> tuple[int, int]:
    """The bounds of the sentence of body[start:end] (。 or ; ends one)."""
    a = max(body.rfind("。", 0, start), body.rfind(";", 0, start)) + 1
    ends = [i for i in (body.find("。", end), body.find(";", end)) if i >= 0]
    return a, (min(ends) if ends else len(body))


def _third_party(head: str, issuer, third) -> bool:  # type: ignore[no-untyped-def]
    """Whether the subject of a phrase (the sentence up to its end) is a third party: a third-party word
    ("两家企业", "国有检测机构") after which the issuer is not named again."""
    last = None
    for last in third.finditer(head):
        pass
    if last is None:
        return False
    return not any(im.start() >= last.end() for im in issuer.finditer(head))


def _mitigation(body: str, lex: dict):  # type: ignore[no-untyped-def]
    """The first countermeasure / advantage statement of the issuer that is stated, not hypothesised
    ("如果公司不能及时制定有效的应对措施…" names the risk, it does not state a countermeasure), not made
    of a competitor ("两家企业在…优势明显") and not the cause of the risk ("公司将继续进行较大金额的研发投入
    …，因此存在…的可能性")."""
    mit, hypo = rx(lex["mitigation"]), rx(lex["hypothetical"])
    issuer, third, conseq = rx(lex["issuer_subject"]), rx(lex["third_party"]), rx(lex["consequence"])
    for mm in mit.finditer(body):
        if hypo.search(body[max(0, mm.start() - 16) : mm.start()]):
            continue
        a, b = _sentence(body, mm.start(), mm.end())
        if _third_party(body[a : mm.end()], issuer, third) or conseq.search(body[mm.end() : b]):
            continue
        return mm
    return None


def extract(ctx: Ctx) -> None:
    lex = ctx.lex
    rf = ctx.m.chapter("risk_factors")
    if rf is None:
        for s in PRODUCES:
            ctx.missing(s.path, "the risk-factors chapter was not found")
        return
    items = risk_items(ctx)
    if not items:
        for s in PRODUCES:
            ctx.missing(s.path, f"no risk items (headings naming a risk) recognised in '{rf.title}'")
        return
    qty = rx(lex["quantified"])
    searched = ctx.searched([rf], f"{len(items)} risk items read")
    with_mit = [(it, mm) for it in items if (mm := _mitigation(it.body, lex))]
    unq = [it for it in items if not qty.search(it.body)]
    ctx.add("risk_factors.items", len(items), searched, unit="count", details={"titles": [it.title for it in items]})
    ctx.add("risk_factors.with_mitigation", len(with_mit),
            [ctx.ev(it.line, quote=it.body[max(0, mm.start() - 60) : mm.end() + 60], section=it.title) for it, mm in with_mit[:5]]
            or searched, unit="count", details={"titles": [it.title for it, _ in with_mit]})
    ctx.add("risk_factors.unquantified", len(unq),
            [ctx.ev(it.line, quote=it.body[:120], section=it.title) for it in unq[:5]] or searched, unit="count",
            details={"titles": [it.title for it in unq]})
    pct = (Decimal(len(unq)) * 100 / Decimal(len(items))).quantize(Decimal("0.01"))
    ctx.add("risk_factors.unquantified_percent", pct, searched, unit="percent")
