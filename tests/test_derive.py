"""Derived facts: lower-of net profit, unprofitability, and the LR 2.1.2 standards, in Decimal."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from checker.facts.derive import derive
from checker.facts.model import Evidence, Fact, FactSet

WAN = D(10_000)
YI = D(100_000_000)


def fs_with(**values) -> FactSet:
    """Facts from keyword args: metric_YEAR=Decimal, or dotted names via a dict."""
    fs = FactSet()
    for key, v in values.items():
        if "__" in key:
            metric, year = key.split("__")
            path = f"financials.{metric}.{year}"
        else:
            path = key.replace("_dot_", ".")
        fs.add(Fact(path=path, value=v, evidence=[Evidence(page=3, quote=f"{path} {v}")]))
    return fs


def test_lower_of_before_and_after_non_recurring_decides_profitability():
    fs = fs_with(revenue__2024=2 * YI, net_profit_parent__2024=1000 * WAN,
                 net_profit_parent_deducted__2024=-10 * WAN)
    derive(fs)
    assert fs.value("financials.latest.net_profit_lower") == -10 * WAN
    assert fs.value("issuer.unprofitable_latest_year") is True


def test_one_loss_figure_settles_unprofitable_even_if_other_missing():
    fs = fs_with(revenue__2024=YI, net_profit_parent__2024=-5 * WAN)
    derive(fs)
    assert fs.value("issuer.unprofitable_latest_year") is True
    assert fs.get("financials.latest.net_profit_lower") is None


def test_one_profit_figure_alone_is_not_enough():
    fs = fs_with(revenue__2024=YI, net_profit_parent__2024=5 * WAN)
    derive(fs)
    assert fs.get("issuer.unprofitable_latest_year") is None
    assert "issuer.unprofitable_latest_year" in fs.missing


def _ls002(fs: FactSet) -> str:
    """STAR-LS-002 over derived facts (the floors are the rule's params, not numbers in derive.py)."""
    from checker.engine.reference import outcome
    from checker.facts.derive_kc import derive_kc
    from checker.ruleset.loader import load_rules

    for p, v in (("document.kind", "prospectus"), ("document.board", "star")):
        fs.add(Fact(path=p, value=v, evidence=[Evidence(page=1, quote=v)]))
    derive(fs)
    derive_kc(fs)
    spec = next(s for s in load_rules() if s.id == "STAR-LS-002")
    return outcome(spec, fs).status()


@pytest.mark.parametrize(
    ("np_prev", "np_latest", "rev", "want"),
    [
        (3000, 2000, D(5000), "pass"),  # branch A: cumulative exactly 5000万 is inclusive (不低于)
        (3000, 1999, D(5000), "fail"),  # 4999万 cumulative, revenue below 1亿
        (-1, 6000, D(10000), "pass"),  # branch B: 1亿 revenue inclusive
        (-1, 6000, D("9999.99"), "fail"),
    ],
)
def test_standard_1_both_branches(np_prev, np_latest, rev, want):
    fs = fs_with(revenue__2023=rev * WAN, revenue__2024=rev * WAN,
                 net_profit_parent__2023=np_prev * WAN, net_profit_parent_deducted__2023=np_prev * WAN,
                 net_profit_parent__2024=np_latest * WAN, net_profit_parent_deducted__2024=np_latest * WAN,
                 listing_standard_dot_claimed="2.1.2(1)", listing_standard_dot_expected_market_cap_min=10 * YI)
    assert _ls002(fs) == want
    assert fs.value("financials.net_profit_lower_2y_sum") == (np_prev + np_latest) * WAN


def test_standard_2_uses_three_year_sums_not_average_of_ratios():
    # ratios 30%, 10%, 10% on revenue 1, 1, 4 (亿): sum R&D 0.3+0.1+0.4 = 0.8 of 6 = 13.3% < 15%
    fs = fs_with(revenue__2022=YI, revenue__2023=YI, revenue__2024=4 * YI,
                 rd_ratio_percent__2022=D(30), rd_ratio_percent__2023=D(10), rd_ratio_percent__2024=D(10),
                 net_profit_parent__2024=-YI, listing_standard_dot_claimed="2.1.2(2)",
                 listing_standard_dot_expected_market_cap_min=20 * YI)
    assert _ls002(fs) == "fail"
    assert fs.value("kc.rd_ratio_3y_percent") == D("13.33")


def test_standard_3_and_4():
    for claimed in ("2.1.2(3)", "2.1.2(4)"):
        fs = fs_with(revenue__2022=3 * YI, revenue__2023=3 * YI, revenue__2024=3 * YI,
                     operating_cash_flow__2022=D(4000) * WAN, operating_cash_flow__2023=D(3000) * WAN,
                     operating_cash_flow__2024=D(3000) * WAN, net_profit_parent__2024=-YI,
                     listing_standard_dot_claimed=claimed, listing_standard_dot_expected_market_cap_min=30 * YI)
        assert _ls002(fs) == "pass", claimed
    assert fs.value("financials.operating_cash_flow_3y_sum") == YI


def test_claimed_standard_needs_a_market_cap():
    fs = fs_with(revenue__2024=D("2.5") * YI, net_profit_parent__2024=-YI, listing_standard_dot_claimed="2.1.2(4)")
    assert _ls002(fs) == "fail"  # revenue misses 3亿: false whatever the market cap
    fs2 = fs_with(revenue__2024=4 * YI, net_profit_parent__2024=-YI, listing_standard_dot_claimed="2.1.2(4)")
    assert _ls002(fs2) == "needs_review"  # no market cap stated or computable: unknown
    fs3 = fs_with(revenue__2024=4 * YI, net_profit_parent__2024=-YI, listing_standard_dot_claimed="2.1.2(4)",
                  listing_standard_dot_expected_market_cap_min=30 * YI)
    assert _ls002(fs3) == "pass"


def test_market_cap_at_the_issue_price_is_price_times_shares_after_issue():
    fs = fs_with(revenue__2024=4 * YI, net_profit_parent__2024=-YI, listing_standard_dot_claimed="2.1.2(4)",
                 offering_dot_issue_price=D("19.38"), offering_dot_shares_after_issue=D(177730148))
    assert _ls002(fs) == "pass"
    assert fs.value("offering.market_cap_at_issue_price") == D("3444410268.24")
    assert fs.value("listing_standard.market_cap_basis") == "issue_price"


def test_standard_5_needs_review_once_its_market_cap_is_met():
    fs = fs_with(revenue__2024=D(0), net_profit_parent__2024=-YI, listing_standard_dot_claimed="2.1.2(5)",
                 listing_standard_dot_expected_market_cap_min=50 * YI)
    assert _ls002(fs) == "needs_review"
    fs2 = fs_with(revenue__2024=D(0), net_profit_parent__2024=-YI, listing_standard_dot_claimed="2.1.2(5)",
                  offering_dot_issue_price=D(10), offering_dot_shares_after_issue=D(100_000_000))
    assert _ls002(fs2) == "fail"  # 10亿 at the issue price, below the 40亿 floor


def test_no_figures_marks_everything_missing():
    fs = FactSet()
    derive(fs)
    assert "financials.latest_year" in fs.missing
    assert fs.get("issuer.unprofitable_latest_year") is None
