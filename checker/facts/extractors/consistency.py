"""Key-figure consistency (STAR-CONS-001): revenue and net profit attributable to the parent (before
and after non-recurring items) for the same fiscal year, wherever the filing states them for the issuer.

Sightings: the key-data table's figures, and every prose statement of them in the overview, the
key-data and listing-standard sections and the financial chapter whose subject is the issuer and whose
period is a fiscal year (:func:`checker.facts.figures.figure_mentions`), including
"报告期各期…分别为A、B、C" bound to the reporting period's years. Two sightings agree when their printed ranges overlap. Nothing compared
(every figure stated once) establishes nothing: the agreement fact is then missing, never True.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from checker.facts.context import Ctx, lexicon
from checker.facts.figures import figure_mentions, prose_pages
from checker.facts.model import Evidence
from checker.facts.registry import FactSpec

NAME = "consistency"
READS = ("financials",)  # extractors whose facts this one reads (checker/facts/run.py)
METRICS = ("revenue", "net_profit_parent", "net_profit_parent_deducted", "operating_cash_flow")
PRODUCES = [
    FactSpec("consistency.key_figures_agree", "bool", "every key figure agrees wherever the filing states it"),
    FactSpec("consistency.key_figure_mismatch", "text", "the first metric and year that disagree"),
    FactSpec("consistency.key_figure_sightings", "count", "sightings of key figures read", "count"),
    FactSpec("consistency.key_figure_comparisons", "count", "pairs of sightings compared", "count"),
    FactSpec("consistency.key_figure_mismatches", "count", "pairs of sightings that disagree", "count"),
]
_NUM_TOKEN = re.compile(r"\(?-?\d{1,3}(?:,\d{3})+(?:\.\d+)?\)?|\(?-?\d+(?:\.\d+)?\)?")
_FACTORS = (Decimal(1), Decimal(1_000), Decimal(10_000), Decimal(1_000_000), Decimal(100_000_000))
_AMT = re.compile(r"(-?\d[\d,]*(?:\.\d+)?)(万元|亿元|元)")
_UNITS = {"元": Decimal(1), "万元": Decimal(10_000), "亿元": Decimal(100_000_000)}


def printed_precision(value: Decimal, quote: str) -> Decimal | None:
    """The precision (in yuan) of the printed number in quote that denotes value, if one does."""
    best: Decimal | None = None
    for tok in _NUM_TOKEN.findall(quote):
        neg = tok.startswith("(") and tok.endswith(")")
        try:
            num = Decimal(tok.strip("()").replace(",", ""))
        except InvalidOperation:
            continue
        if neg:
            num = -num
        exp = num.as_tuple().exponent
        decimals = -exp if isinstance(exp, int) else 0
        for f in _FACTORS:
            if abs(num * f - value) <= Decimal("0.01"):
                prec = Decimal(1).scaleb(-max(decimals, 0)) * f
                if best is None or prec < best:
                    best = prec
    return best


def extract(ctx: Ctx) -> None:
    pages = prose_pages(ctx)
    from checker.facts.figures import bind_series

    # only the key figures themselves: a consolidated 净利润 is not the parent's (it only anchors tables)
    mentions = [x for x in figure_mentions(ctx, pages, lexicon("financials")) if x["issuer"] and x["metric"] in METRICS]
    bind_series(ctx, mentions)
    mentions = [x for x in mentions if x["year"] is not None]
    fiscal = {int(y) for y in (ctx.value("financials.table_years") or [])}
    sightings: dict[tuple[str, int], list[dict]] = {}
    for metric in METRICS:
        for year, f in ctx.fs.years(f"financials.{metric}").items():
            if not isinstance(f.value, (int, Decimal)) or isinstance(f.value, bool) or not f.evidence:
                continue
            v = Decimal(str(f.value))
            e = f.evidence[0]
            sightings.setdefault((metric, year), []).append(
                {"value": v, "page": e.page, "quote": e.quote, "precision": printed_precision(v, e.quote)})
    from checker.facts.extractors.financials import statement_figures

    for x in statement_figures(ctx):  # the audited consolidated statements
        if x["metric"] in METRICS:
            v = x["value"]
            sightings.setdefault((x["metric"], int(x["year"])), []).append(
                {"value": v, "page": x["page"], "quote": x["quote"], "precision": printed_precision(v, x["quote"])})
    for x in mentions:
        if fiscal and int(x["year"]) not in fiscal:
            continue  # a year outside the reporting period (a peer's, a forecast's, a history's)
        v = Decimal(str(x["value"]))
        sightings.setdefault((x["metric"], int(x["year"])), []).append(
            {"value": v, "page": x["page"], "quote": x["quote"], "precision": printed_precision(v, x["quote"])})
    n = sum(len(v) for v in sightings.values())
    mismatches: list[dict] = []
    compared = 0
    for (metric, year), ss in sorted(sightings.items()):
        for i in range(len(ss)):
            for j in range(i + 1, len(ss)):
                a, b = ss[i], ss[j]
                if a["page"] == b["page"] and a["quote"] == b["quote"] and a["value"] == b["value"]:
                    continue  # one statement read twice is not two sightings
                pa = a["precision"] if a["precision"] is not None else Decimal("0.01")
                pb = b["precision"] if b["precision"] is not None else Decimal("0.01")
                compared += 1
                if abs(a["value"] - b["value"]) > (pa + pb) / 2:
                    mismatches.append({"metric": metric, "year": year, "a": a, "b": b})

    def ev(s: dict) -> Evidence:
        return Evidence(page=s["page"], quote=s["quote"], page_label=ctx.m.page_label(s["page"]))

    ctx.add("consistency.key_figure_sightings", n, [], unit="count")
    ctx.add("consistency.key_figure_comparisons", compared, [], unit="count")
    ctx.add("consistency.key_figure_mismatches", len(mismatches), [], unit="count")
    if mismatches:
        evs: list[Evidence] = []
        for mm in mismatches:
            for s in (mm["a"], mm["b"]):
                e = ev(s)
                if all((e.page, e.quote) != (o.page, o.quote) for o in evs):
                    evs.append(e)
        first = mismatches[0]
        details = {"mismatches": [{"metric": mm["metric"], "year": mm["year"],
                                   "values": [str(mm["a"]["value"]), str(mm["b"]["value"])],
                                   "pages": [mm["a"]["page"], mm["b"]["page"]]} for mm in mismatches[:20]]}
        ctx.add("consistency.key_figures_agree", False, evs[:6], confidence=0.8, details=details)
        ctx.add("consistency.key_figure_mismatch", f"{first['metric']} {first['year']}", evs[:2], confidence=0.8)
    elif compared:
        evs = []
        for ss in sightings.values():
            if len(ss) > 1:
                evs += [ev(s) for s in ss[:2]]
        ctx.add("consistency.key_figures_agree", True, evs[:6], confidence=0.8,
                details={"compared": compared, "sightings": n})
        ctx.missing("consistency.key_figure_mismatch", "no figures disagree")
    else:
        why = (f"{n} key figure(s) read, each stated once: nothing could be compared" if n
               else "no key figures were read")
        ctx.missing("consistency.key_figures_agree", why)
        ctx.missing("consistency.key_figure_mismatch", why)
