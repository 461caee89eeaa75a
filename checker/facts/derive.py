"""Derived facts computed in Python with Decimal: latest year, lower-of net profit, and which LR 2.1.2
standards the disclosed figures meet. Unknown stays unknown: a derived fact is only added when its
inputs establish it, otherwise its path is marked missing with the reason.
"""

from __future__ import annotations

from decimal import Decimal

from checker.facts.model import Evidence, Fact, FactSet

YI = Decimal(100_000_000)  # 亿元
WAN = Decimal(10_000)  # 万元

# LR 2.1.2 (2019-04 text, unchanged in 2024-04-30 per the reference): expected market cap floors.
MCAP_FLOOR = {
    "2.1.2(1)": 10 * YI, "2.1.2(2)": 15 * YI, "2.1.2(3)": 20 * YI, "2.1.2(4)": 30 * YI,
    "2.1.2(5)": 40 * YI, "2.1.3(1)": 100 * YI, "2.1.3(2)": 50 * YI, "2.1.4(1)": 100 * YI,
    "2.1.4(2)": 50 * YI,
}
NON_NUMERIC = {"2.1.2(5)", "2.1.3(1)", "2.1.4(1)"}

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


def _ev(*facts: Fact | None) -> list[Evidence]:
    out: list[Evidence] = []
    for f in facts:
        for e in f.evidence if f else []:
            if all((e.page, e.quote) != (o.page, o.quote) for o in out):
                out.append(e)
    return out[:6]


def _d(f: Fact | None) -> Decimal | None:
    if f is None or f.value is None or isinstance(f.value, (bool, list, str)):
        return None
    return Decimal(str(f.value))


def _ge(value: Decimal | None, floor: Decimal) -> Tri:
    return None if value is None else value >= floor


def _lower_np(fs: FactSet, year: int) -> tuple[Decimal | None, Tri, list[Fact | None]]:
    """(lower-of NP if both known, 'is positive' tri-state, input facts) for a year."""
    a = fs.get(f"financials.net_profit_parent.{year}")
    b = fs.get(f"financials.net_profit_parent_deducted.{year}")
    va, vb = _d(a), _d(b)
    if va is not None and vb is not None:
        low = min(va, vb)
        return low, low > 0, [a, b]
    known = [v for v in (va, vb) if v is not None]
    # The lower of two figures is at most either one: one figure <= 0 settles "not positive".
    if any(v <= 0 for v in known):
        return None, False, [a, b]
    return None, None, [a, b]


def derive(fs: FactSet) -> None:
    """Add derived facts to fs in place."""
    revenue = fs.years("financials.revenue")
    years = sorted(set(revenue) | set(fs.years("financials.net_profit_parent")))
    if not years:
        for p in ("financials.latest_year", "issuer.unprofitable_latest_year"):
            fs.mark_missing(p, "no annual figures found in the key financial data")
        _mark_standards_missing(fs, "no annual figures found")
        return
    latest = years[-1]
    last3 = [y for y in (latest - 2, latest - 1, latest)]
    fs.add(Fact(path="financials.latest_year", value=latest, unit="year", source="derive",
                evidence=_ev(revenue.get(latest))))
    for metric in ("revenue", "net_profit_parent", "net_profit_parent_deducted", "rd_ratio_percent",
                   "operating_cash_flow", "rd_investment"):
        f = fs.get(f"financials.{metric}.{latest}")
        if f is not None:
            fs.add(f.model_copy(update={"path": f"financials.latest.{metric}", "source": "derive"}))

    low, positive, np_facts = _lower_np(fs, latest)
    if low is not None:
        fs.add(Fact(path="financials.latest.net_profit_lower", value=low, unit="CNY", source="derive",
                    evidence=_ev(*np_facts)))
    else:
        fs.mark_missing("financials.latest.net_profit_lower",
                        f"net profit before or after non-recurring items for {latest} not found")
    if low is not None:
        unprofitable: Tri = low < 0
    else:
        # The lower of the two figures is at most either one: one loss settles it.
        known = [v for v in (_d(f) for f in np_facts) if v is not None]
        unprofitable = True if any(v < 0 for v in known) else None
    if unprofitable is None:
        fs.mark_missing("issuer.unprofitable_latest_year",
                        f"net profit before/after non-recurring items for {latest} not established")
    else:
        fs.add(Fact(path="issuer.unprofitable_latest_year", value=unprofitable, source="derive",
                    evidence=_ev(*np_facts)))

    rev = _d(revenue.get(latest))
    # (一) A: NP > 0 in each of the last two FYs and cumulative >= 5000万.
    low_prev, pos_prev, prev_facts = _lower_np(fs, latest - 1)
    sum_ok: Tri = None
    if low is not None and low_prev is not None:
        sum_ok = low + low_prev >= 5000 * WAN
    m1a = tri_and(positive, pos_prev, sum_ok)
    # (一) B: NP > 0 in the last FY and revenue >= 1亿.
    m1b = tri_and(positive, _ge(rev, YI))
    # (二): revenue >= 2亿 and 3-year R&D / 3-year revenue >= 15%.
    rd_share = _rd_share(fs, last3)
    m2 = tri_and(_ge(rev, 2 * YI), None if rd_share is None else rd_share >= Decimal(15))
    # (三): revenue >= 3亿 and 3-year cumulative operating cash flow >= 1亿.
    ocf = fs.years("financials.operating_cash_flow")
    ocf_vals = [_d(ocf.get(y)) for y in last3]
    ocf_ok: Tri = None if None in ocf_vals else sum(ocf_vals, Decimal(0)) >= YI  # type: ignore[arg-type]
    m3 = tri_and(_ge(rev, 3 * YI), ocf_ok)
    m4 = _ge(rev, 3 * YI)
    m1 = tri_or(m1a, m1b)
    inputs = [revenue.get(latest), *np_facts, *prev_facts]
    for key, val, extra in (("1a", m1a, []), ("1b", m1b, []), ("1", m1, []),
                            ("2", m2, [fs.get(f"financials.rd_ratio_percent.{latest}")]),
                            ("3", m3, [ocf.get(y) for y in last3]), ("4", m4, [])):
        path = f"listing_standard.meets.{key}"
        if val is None:
            fs.mark_missing(path, "a figure needed for this standard was not found")
        else:
            fs.add(Fact(path=path, value=val, source="derive", evidence=_ev(*inputs, *extra)))
    fs.mark_missing("listing_standard.meets.5", "standard (五) is not a numeric test")
    _claimed(fs, {"2.1.2(1)": m1, "2.1.2(2)": m2, "2.1.2(3)": m3, "2.1.2(4)": m4,
                  "2.1.3(2)": tri_and(_ge(rev, 5 * YI)), "2.1.4(2)": tri_and(_ge(rev, 5 * YI))})


def _rd_share(fs: FactSet, years: list[int]) -> Decimal | None:
    """Sum of R&D investment over sum of revenue, in percent, over the given years."""
    rd_total = Decimal(0)
    rev_total = Decimal(0)
    for y in years:
        rev = _d(fs.get(f"financials.revenue.{y}"))
        if rev is None:
            return None
        rd = _d(fs.get(f"financials.rd_investment.{y}"))
        if rd is None:
            ratio = _d(fs.get(f"financials.rd_ratio_percent.{y}"))
            if ratio is None:
                return None
            rd = rev * ratio / 100  # the printed ratio is R&D / revenue of that year
        rd_total += rd
        rev_total += rev
    if rev_total <= 0:
        return None
    return rd_total / rev_total * 100


def _mark_standards_missing(fs: FactSet, why: str) -> None:
    for key in ("1a", "1b", "1", "2", "3", "4", "5"):
        fs.mark_missing(f"listing_standard.meets.{key}", why)
    fs.mark_missing("listing_standard.claimed_met", why)


def _claimed(fs: FactSet, financial_tests: dict[str, Tri]) -> None:
    claimed_f = fs.get("listing_standard.claimed")
    if claimed_f is None:
        fs.mark_missing("listing_standard.claimed_met", "the claimed listing standard was not found")
        return
    claimed = str(claimed_f.value)
    numeric = claimed not in NON_NUMERIC
    fs.add(Fact(path="listing_standard.claimed_numeric", value=numeric, source="derive",
                evidence=claimed_f.evidence))
    if not numeric:
        fs.mark_missing("listing_standard.claimed_met", f"{claimed} is not a numeric test")
        return
    mcap_f = fs.get("listing_standard.expected_market_cap_min")
    mcap = _ge(_d(mcap_f), MCAP_FLOOR[claimed]) if claimed in MCAP_FLOOR else None
    fin = financial_tests.get(claimed)
    if fin is None:
        fs.mark_missing("listing_standard.claimed_financial_met",
                        "a figure needed for the claimed standard's financial test was not found")
    else:  # the financial limb alone, so a reviewer sees what is established when the market cap is not
        fs.add(Fact(path="listing_standard.claimed_financial_met", value=fin, source="derive",
                    evidence=_ev(claimed_f, fs.get("financials.latest.revenue"),
                                 fs.get("financials.latest.net_profit_lower"))))
    met = tri_and(fin, mcap)
    if met is None:
        fs.mark_missing("listing_standard.claimed_met",
                        "a figure needed for the claimed standard (or the expected market cap) was not found")
    else:
        fs.add(Fact(path="listing_standard.claimed_met", value=met, source="derive",
                    evidence=_ev(claimed_f, mcap_f, fs.get("financials.latest.revenue"),
                                 fs.get("financials.latest.net_profit_lower"))))
