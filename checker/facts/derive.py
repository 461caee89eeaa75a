"""Derived financial facts, computed in Python with Decimal: the latest fiscal year and its figures,
the lower of net profit before and after non-recurring items, sums over the last two or three years,
and the market cap at the issue price.

No regulator number lives here: the listing-standard floors are rule params (rules/LS/STAR-LS-002.yaml,
overridable by config) and the rules compare these facts with them. Unknown stays unknown: a derived
fact is added only when its inputs establish it, otherwise its path is marked missing with the reason.
"""

from __future__ import annotations

from decimal import Decimal

from checker.facts.model import Evidence, Fact, FactSet
from checker.facts.registry import FactSpec

SOURCE = "checker.facts.derive"
METRICS = ("revenue", "net_profit_parent", "net_profit_parent_deducted", "rd_ratio_percent",
           "operating_cash_flow", "rd_investment")
PRODUCES = [
    FactSpec("financials.latest_year", "year", "the latest audited fiscal year of the reporting period", "year"),
    *(FactSpec(f"financials.latest.{m}", "percent" if m == "rd_ratio_percent" else "money",
               f"{m.replace('_', ' ')} of the latest fiscal year", "percent" if m == "rd_ratio_percent" else "CNY")
      for m in METRICS),
    FactSpec("financials.latest.net_profit_lower", "money", "latest year: the lower of net profit before / after non-recurring items", "CNY"),
    FactSpec("financials.previous.net_profit_lower", "money", "the year before: the lower of net profit before / after non-recurring items", "CNY"),
    FactSpec("financials.net_profit_lower_2y_sum", "money", "sum of the lower-of net profit over the last two fiscal years", "CNY"),
    FactSpec("financials.operating_cash_flow_3y_sum", "money", "operating cash flow summed over the last three fiscal years", "CNY"),
    FactSpec("issuer.unprofitable_latest_year", "bool", "the lower-of net profit of the latest fiscal year is below zero"),
    FactSpec("offering.market_cap_at_issue_price", "money", "issue price x shares after the issue", "CNY"),
    FactSpec("listing_standard.market_cap", "money",
             "the market cap the standard is tested with: at the issue price when set, else the issuer's own statement", "CNY"),
    FactSpec("listing_standard.market_cap_basis", "code", "issue_price | issuer_statement"),
]

Tri = bool | None


def tri_and(*vals: Tri) -> Tri:
    """Kleene AND."""
    if False in vals:
        return False
    return None if None in vals else True


def tri_or(*vals: Tri) -> Tri:
    """Kleene OR."""
    if True in vals:
        return True
    return None if None in vals else False


def evidence_of(*facts: Fact | None, limit: int = 6) -> list[Evidence]:
    """The evidence of several facts, without repeats."""
    out: list[Evidence] = []
    for f in facts:
        for e in f.evidence if f else []:
            if all((e.page, e.quote) != (o.page, o.quote) for o in out):
                out.append(e)
    return out[:limit]


def num(f: Fact | None) -> Decimal | None:
    """A fact's numeric value as Decimal (None for missing or non-numeric)."""
    if f is None or f.value is None or isinstance(f.value, (bool, list, str)):
        return None
    return Decimal(str(f.value))


def _put(fs: FactSet, path: str, value: object, evidence: list[Evidence], unit: str | None = None) -> None:
    fs.add(Fact(path=path, value=value, unit=unit, evidence=evidence, source=SOURCE))  # type: ignore[arg-type]


def lower_np(fs: FactSet, year: int) -> tuple[Decimal | None, list[Fact | None]]:
    """(lower-of net profit if both figures are known, the input facts) for a year."""
    a = fs.get(f"financials.net_profit_parent.{year}")
    b = fs.get(f"financials.net_profit_parent_deducted.{year}")
    va, vb = num(a), num(b)
    return (min(va, vb) if va is not None and vb is not None else None), [a, b]


def _why_missing(fs: FactSet, metric: str, year: int) -> str:
    table = fs.get("financials.table_years")
    problems = (table.details or {}).get("row_problems", {}) if table is not None else {}
    if metric in problems:
        return problems[metric]
    if table is None:
        return fs.missing.get("financials.table_years", "the key financial data table was not read")
    disputed = f"financials.{metric}.{year}"
    if disputed in fs.disputed:
        return fs.missing.get(disputed, "the filing states different figures for it")
    return f"no {metric.replace('_', ' ')} figure for {year} in the key financial data table or the prose"


def derive(fs: FactSet) -> None:
    """Add derived facts to fs in place."""
    _market_cap(fs)
    revenue = fs.years("financials.revenue")
    years = sorted(set(revenue) | set(fs.years("financials.net_profit_parent")) | set(fs.years("financials.net_profit_parent_deducted")))
    if not years:
        why = fs.missing.get("financials.table_years", "no annual figures found in the key financial data")
        for p in ("financials.latest_year", "issuer.unprofitable_latest_year", "financials.latest.net_profit_lower",
                  "financials.previous.net_profit_lower", "financials.net_profit_lower_2y_sum",
                  "financials.operating_cash_flow_3y_sum") + tuple(f"financials.latest.{m}" for m in METRICS):
            fs.mark_missing(p, why)
        return
    latest = years[-1]
    _put(fs, "financials.latest_year", latest, evidence_of(revenue.get(latest), fs.get(f"financials.net_profit_parent.{latest}")), "year")
    for metric in METRICS:
        f = fs.get(f"financials.{metric}.{latest}")
        if f is not None:
            fs.add(f.model_copy(update={"path": f"financials.latest.{metric}", "source": SOURCE}))
        else:
            fs.mark_missing(f"financials.latest.{metric}", _why_missing(fs, metric, latest))

    low, np_facts = lower_np(fs, latest)
    if low is not None:
        _put(fs, "financials.latest.net_profit_lower", low, evidence_of(*np_facts), "CNY")
    else:
        fs.mark_missing("financials.latest.net_profit_lower",
                        f"net profit before or after non-recurring items for {latest} not found "
                        f"({_why_missing(fs, 'net_profit_parent_deducted' if np_facts[0] else 'net_profit_parent', latest)})")
    known = [v for v in (num(f) for f in np_facts) if v is not None]
    unprofitable: Tri = (low < 0) if low is not None else (True if any(v < 0 for v in known) else None)
    if unprofitable is None:
        fs.mark_missing("issuer.unprofitable_latest_year",
                        f"net profit before/after non-recurring items for {latest} not established")
    else:
        _put(fs, "issuer.unprofitable_latest_year", unprofitable, evidence_of(*np_facts))

    low_prev, prev_facts = lower_np(fs, latest - 1)
    if low_prev is not None:
        _put(fs, "financials.previous.net_profit_lower", low_prev, evidence_of(*prev_facts), "CNY")
    else:
        fs.mark_missing("financials.previous.net_profit_lower", f"net profit before/after non-recurring items for {latest - 1} not found")
    if low is not None and low_prev is not None:
        _put(fs, "financials.net_profit_lower_2y_sum", low + low_prev, evidence_of(*np_facts, *prev_facts), "CNY")
    else:
        fs.mark_missing("financials.net_profit_lower_2y_sum", f"the lower-of net profit for {latest - 1} and {latest} not both found")
    ocf = [fs.get(f"financials.operating_cash_flow.{y}") for y in (latest - 2, latest - 1, latest)]
    vals = [num(f) for f in ocf]
    known = [v for v in vals if v is not None]
    if len(known) != len(vals):
        fs.mark_missing("financials.operating_cash_flow_3y_sum", f"operating cash flow for {latest - 2}-{latest} not all found")
    else:
        _put(fs, "financials.operating_cash_flow_3y_sum", sum(known, Decimal(0)), evidence_of(*ocf), "CNY")


def _market_cap(fs: FactSet) -> None:
    price, shares = fs.get("offering.issue_price"), fs.get("offering.shares_after_issue")
    stated = fs.get("listing_standard.expected_market_cap_min")
    if num(price) is not None and num(shares) is not None:
        mcap = (num(price) * num(shares)).quantize(Decimal("0.01"))  # type: ignore[operator]
        ev = evidence_of(price, shares)
        _put(fs, "offering.market_cap_at_issue_price", mcap, ev, "CNY")
        _put(fs, "listing_standard.market_cap", mcap, ev, "CNY")
        _put(fs, "listing_standard.market_cap_basis", "issue_price", ev)
        return
    fs.mark_missing("offering.market_cap_at_issue_price", "the issue price or the shares after the issue are not stated "
                    "(a preliminary prospectus before pricing states neither)")
    if stated is not None and num(stated) is not None:
        _put(fs, "listing_standard.market_cap", num(stated), list(stated.evidence), "CNY")
        _put(fs, "listing_standard.market_cap_basis", "issuer_statement", list(stated.evidence))
    else:
        why = ("no issue price and shares after the issue, and no market-cap figure of the issuer's own in the "
               "listing-standard statement: check the sponsor's market-cap analysis report (关于发行人预计市值的分析报告)")
        fs.mark_missing("listing_standard.market_cap", why)
        fs.mark_missing("listing_standard.market_cap_basis", why)


def derive_all(facts: FactSet) -> None:
    """Stage 2: derived facts (Decimal), in place: these and the 科创属性 ones (facts/derive_kc.py)."""
    from checker.facts.derive_kc import derive_kc

    derive(facts)
    derive_kc(facts)
