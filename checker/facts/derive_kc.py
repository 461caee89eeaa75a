"""Derived 科创属性 facts (Decimal): three-year R&D ratio and cumulative R&D, revenue CAGR, the
qualifying-patent lower bound, and whether the regular indicators are met per guideline version.

Call :func:`derive_kc` after :func:`checker.facts.derive.derive` (it uses ``financials.latest_year``).
Unknown stays unknown: a derived fact is only added when its inputs establish it.
"""

from __future__ import annotations

from decimal import Decimal

from checker.facts.derive import YI, WAN, Tri, _d, _ev, _rd_share, tri_and, tri_or
from checker.facts.model import Fact, FactSet

# Regular indicators per guideline version (reference section 7.1). None = indicator not in that version.
THRESHOLDS: dict[str, dict[str, Decimal | int | None]] = {
    "v2020": {"rd_ratio": Decimal(5), "rd_amount": 6000 * WAN, "staff_ratio": None, "patents": 5,
              "cagr": Decimal(20), "revenue": 3 * YI},
    "v2021": {"rd_ratio": Decimal(5), "rd_amount": 6000 * WAN, "staff_ratio": Decimal(10), "patents": 5,
              "cagr": Decimal(20), "revenue": 3 * YI},
    "v2022": {"rd_ratio": Decimal(5), "rd_amount": 6000 * WAN, "staff_ratio": Decimal(10), "patents": 5,
              "cagr": Decimal(20), "revenue": 3 * YI},
    "v2024": {"rd_ratio": Decimal(5), "rd_amount": 8000 * WAN, "staff_ratio": Decimal(10), "patents": 7,
              "cagr": Decimal(25), "revenue": 3 * YI},
}
SOFTWARE_RD_RATIO = Decimal(10)


def _rd_cumulative(fs: FactSet, years: list[int]) -> Decimal | None:
    total = Decimal(0)
    for y in years:
        rd = _d(fs.get(f"financials.rd_investment.{y}"))
        if rd is None:
            rev = _d(fs.get(f"financials.revenue.{y}"))
            ratio = _d(fs.get(f"financials.rd_ratio_percent.{y}"))
            if rev is None or ratio is None:
                return None
            rd = rev * ratio / 100
        total += rd
    return total


def revenue_cagr(first: Decimal, last: Decimal, periods: int = 2) -> Decimal | None:
    """Compound annual growth rate in percent over `periods` years; None when undefined."""
    if first <= 0 or last < 0:
        return None
    ratio = last / first
    root = ratio.sqrt() if periods == 2 else Decimal(float(ratio) ** (1 / periods))
    return ((root - 1) * 100).quantize(Decimal("0.01"))


def derive_kc(fs: FactSet) -> None:
    """Add derived 科创属性 facts to fs in place."""
    latest_f = fs.get("financials.latest_year")
    inputs_missing = "the latest fiscal year is not known"
    if latest_f is None or not isinstance(latest_f.value, int):
        for p in ("kc.rd_ratio_3y_percent", "kc.rd_cumulative_3y", "kc.revenue_cagr_3y_percent"):
            fs.mark_missing(p, inputs_missing)
    else:
        latest = latest_f.value
        years = [latest - 2, latest - 1, latest]
        rev = fs.years("financials.revenue")
        src = [rev.get(y) for y in years] + [fs.get(f"financials.rd_investment.{y}") or fs.get(f"financials.rd_ratio_percent.{y}") for y in years]
        share = _rd_share(fs, years)
        if share is None:
            fs.mark_missing("kc.rd_ratio_3y_percent", f"revenue and R&D investment for {years[0]}-{latest} not all found")
        else:
            fs.add(Fact(path="kc.rd_ratio_3y_percent", value=share.quantize(Decimal("0.01")), unit="percent",
                        source="derive_kc", evidence=_ev(*src)))
        cum = _rd_cumulative(fs, years)
        if cum is None:
            fs.mark_missing("kc.rd_cumulative_3y", f"R&D investment for {years[0]}-{latest} not all found")
        else:
            fs.add(Fact(path="kc.rd_cumulative_3y", value=cum.quantize(Decimal("0.01")), unit="CNY",
                        source="derive_kc", evidence=_ev(*src)))
        a, b = _d(rev.get(years[0])), _d(rev.get(latest))
        cagr = None if a is None or b is None else revenue_cagr(a, b)
        if cagr is None:
            fs.mark_missing("kc.revenue_cagr_3y_percent", f"revenue for {years[0]} and {latest} not found (or not positive)")
        else:
            fs.add(Fact(path="kc.revenue_cagr_3y_percent", value=cagr, unit="percent", source="derive_kc",
                        evidence=_ev(rev.get(years[0]), rev.get(latest))))
    exact = fs.get("kc.invention_patents_main_business")
    if exact is not None and fs.get("kc.invention_patents_main_business_min") is None:
        fs.add(exact.model_copy(update={"path": "kc.invention_patents_main_business_min", "source": "derive_kc"}))
    for ver in THRESHOLDS:
        val = indicators_met(fs, ver)
        path = f"kc.meets.{ver}"
        if val is None:
            fs.mark_missing(path, "a figure needed for the 科创属性 indicators was not found")
        else:
            fs.add(Fact(path=path, value=val, source="derive_kc",
                        evidence=_ev(fs.get("kc.rd_ratio_3y_percent"), fs.get("kc.rd_staff_ratio_percent"),
                                     fs.get("kc.invention_patents_main_business_min"), fs.get("kc.revenue_cagr_3y_percent"))))


def _ge(f: Fact | None, floor: Decimal | int) -> Tri:
    v = _d(f)
    return None if v is None else v >= Decimal(floor)


def _flag(fs: FactSet, path: str) -> Tri:
    f = fs.get(path)
    return None if f is None or not isinstance(f.value, bool) else f.value


def indicators_met(fs: FactSet, version: str) -> Tri:
    """Whether the regular 科创属性 indicators of a guideline version are met (Kleene logic).

    Mirrors the STAR-KC rules (kept in one place so the facts and the rules can be compared in tests):
    software companies are exempt from the patent indicator but need a three-year R&D ratio >= 10%;
    standard-(五) issuers are exempt from the revenue indicator.
    """
    t = THRESHOLDS[version]
    rd = tri_or(_ge(fs.get("kc.rd_ratio_3y_percent"), t["rd_ratio"]), _ge(fs.get("kc.rd_cumulative_3y"), t["rd_amount"]))  # type: ignore[arg-type]
    staff: Tri = True if t["staff_ratio"] is None else _ge(fs.get("kc.rd_staff_ratio_percent"), t["staff_ratio"])  # type: ignore[arg-type]
    pat = tri_or(_ge(fs.get("kc.invention_patents_main_business"), t["patents"]),  # type: ignore[arg-type]
                 _ge(fs.get("kc.invention_patents_main_business_min"), t["patents"]),  # type: ignore[arg-type]
                 tri_and(_flag(fs, "kc.software_company"), _ge(fs.get("kc.rd_ratio_3y_percent"), SOFTWARE_RD_RATIO)))
    claimed = fs.get("listing_standard.claimed")
    std5: Tri = None if claimed is None else claimed.value == "2.1.2(5)"
    revenue = tri_or(_ge(fs.get("kc.revenue_cagr_3y_percent"), t["cagr"]),  # type: ignore[arg-type]
                     _ge(fs.get("financials.latest.revenue"), t["revenue"]), std5)  # type: ignore[arg-type]
    return tri_and(rd, staff, pat, revenue)
