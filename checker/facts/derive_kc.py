"""Derived 科创属性 facts (Decimal): the three-year R&D ratio and cumulative R&D, and the revenue CAGR.

Each is computed from the fiscal-year figures where they are all known; otherwise the figure the
filing's 科创属性 block states is used (with its evidence). The thresholds of each guideline version
are rule params (rules/KC/STAR-KC-00N.yaml), never numbers here. Call after
:func:`checker.facts.derive.derive` (it uses ``financials.latest_year``).
"""

from __future__ import annotations

from decimal import Decimal

from checker.facts.derive import evidence_of, num
from checker.facts.model import Fact, FactSet
from checker.facts.registry import FactSpec

SOURCE = "checker.facts.derive_kc"
PRODUCES = [
    FactSpec("kc.rd_ratio_3y_percent", "percent", "three-year R&D investment / three-year revenue (computed, else as stated)", "percent"),
    FactSpec("kc.rd_cumulative_3y", "money", "R&D investment summed over the last three fiscal years (computed, else as stated)", "CNY"),
    FactSpec("kc.revenue_cagr_3y_percent", "percent", "revenue growth rate, compound, from the first to the latest of three years", "percent"),
]


def revenue_cagr(first: Decimal, last: Decimal, periods: int = 2) -> Decimal | None:
    """Compound annual growth rate in percent over `periods` years; None when undefined."""
    if first <= 0 or last < 0:
        return None
    ratio = last / first
    root = ratio.sqrt() if periods == 2 else Decimal(float(ratio) ** (1 / periods))
    return ((root - 1) * 100).quantize(Decimal("0.01"))


def rd_amounts(fs: FactSet, years: list[int]) -> list[Decimal] | None:
    """R&D investment per year: the stated amount, else revenue x the printed ratio."""
    out = []
    for y in years:
        rd = num(fs.get(f"financials.rd_investment.{y}"))
        if rd is None:
            rev, ratio = num(fs.get(f"financials.revenue.{y}")), num(fs.get(f"financials.rd_ratio_percent.{y}"))
            if rev is None or ratio is None:
                return None
            rd = rev * ratio / 100
        out.append(rd)
    return out


def _put(fs: FactSet, path: str, value: Decimal, evidence: list, unit: str) -> None:
    fs.add(Fact(path=path, value=value, unit=unit, evidence=evidence, source=SOURCE))


def derive_kc(fs: FactSet) -> None:
    """Add derived 科创属性 facts to fs in place."""
    latest_f = fs.get("financials.latest_year")
    stated_ratio, stated_amount = fs.get("kc.rd_ratio_3y_stated_percent"), fs.get("kc.rd_cumulative_3y_stated")
    if latest_f is None or not isinstance(latest_f.value, int):
        why = "the latest fiscal year is not known"
        for path, stated, unit in (("kc.rd_ratio_3y_percent", stated_ratio, "percent"), ("kc.rd_cumulative_3y", stated_amount, "CNY")):
            if stated is not None:
                _put(fs, path, Decimal(str(stated.value)), list(stated.evidence), unit)
            else:
                fs.mark_missing(path, why)
        fs.mark_missing("kc.revenue_cagr_3y_percent", why)
        return
    latest = latest_f.value
    years = [latest - 2, latest - 1, latest]
    rev = fs.years("financials.revenue")
    src = [rev.get(y) for y in years] + [fs.get(f"financials.rd_investment.{y}") or fs.get(f"financials.rd_ratio_percent.{y}") for y in years]
    rds = rd_amounts(fs, years)
    revs = [v for v in (num(rev.get(y)) for y in years) if v is not None]
    if rds is not None and len(revs) == len(years) and sum(revs, Decimal(0)) > 0:
        share = sum(rds, Decimal(0)) / sum(revs, Decimal(0)) * 100
        _put(fs, "kc.rd_ratio_3y_percent", share.quantize(Decimal("0.01")), evidence_of(*src), "percent")
    elif stated_ratio is not None:
        _put(fs, "kc.rd_ratio_3y_percent", Decimal(str(stated_ratio.value)), list(stated_ratio.evidence), "percent")
    else:
        fs.mark_missing("kc.rd_ratio_3y_percent", f"revenue and R&D investment for {years[0]}-{latest} not all found, "
                        "and the 科创属性 block states no three-year ratio")
    if rds is not None:
        _put(fs, "kc.rd_cumulative_3y", sum(rds, Decimal(0)).quantize(Decimal("0.01")), evidence_of(*src), "CNY")
    elif stated_amount is not None:
        _put(fs, "kc.rd_cumulative_3y", Decimal(str(stated_amount.value)), list(stated_amount.evidence), "CNY")
    else:
        fs.mark_missing("kc.rd_cumulative_3y", f"R&D investment for {years[0]}-{latest} not all found, "
                        "and the 科创属性 block states no cumulative amount")
    a, b = num(rev.get(years[0])), num(rev.get(latest))
    cagr = None if a is None or b is None else revenue_cagr(a, b)
    if cagr is None:
        fs.mark_missing("kc.revenue_cagr_3y_percent", f"revenue for {years[0]} and {latest} not found (or not positive)")
    else:
        _put(fs, "kc.revenue_cagr_3y_percent", cagr, evidence_of(rev.get(years[0]), rev.get(latest)), "percent")
