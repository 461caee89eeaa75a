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


@pytest.mark.parametrize(
    ("np_prev", "np_latest", "rev", "want_1a", "want_1b"),
    [
        (3000, 2000, D(5000), True, False),  # cumulative exactly 5000万: inclusive (不低于)
        (3000, 1999, D(5000), False, False),  # 4999万 cumulative
        (-1, 6000, D(10000), False, True),  # branch B: 1亿 revenue inclusive
        (-1, 6000, D("9999.99"), False, False),
    ],
)
def test_standard_1_both_branches(np_prev, np_latest, rev, want_1a, want_1b):
    fs = fs_with(revenue__2023=rev * WAN, revenue__2024=rev * WAN,
                 net_profit_parent__2023=np_prev * WAN, net_profit_parent_deducted__2023=np_prev * WAN,
                 net_profit_parent__2024=np_latest * WAN, net_profit_parent_deducted__2024=np_latest * WAN)
    derive(fs)
    assert fs.value("listing_standard.meets.1a") is want_1a
    assert fs.value("listing_standard.meets.1b") is want_1b
    assert fs.value("listing_standard.meets.1") is (want_1a or want_1b)


def test_standard_2_uses_three_year_sums_not_average_of_ratios():
    # ratios 30%, 10%, 10% on revenue 1, 1, 4 (亿): sum R&D 0.3+0.1+0.4 = 0.8 of 6 = 13.3% < 15%
    fs = fs_with(revenue__2022=YI, revenue__2023=YI, revenue__2024=4 * YI,
                 rd_ratio_percent__2022=D(30), rd_ratio_percent__2023=D(10), rd_ratio_percent__2024=D(10),
                 net_profit_parent__2024=-YI)
    derive(fs)
    assert fs.value("listing_standard.meets.2") is False


def test_standard_3_and_4():
    fs = fs_with(revenue__2022=3 * YI, revenue__2023=3 * YI, revenue__2024=3 * YI,
                 operating_cash_flow__2022=D(4000) * WAN, operating_cash_flow__2023=D(3000) * WAN,
                 operating_cash_flow__2024=D(3000) * WAN, net_profit_parent__2024=-YI)
    derive(fs)
    assert fs.value("listing_standard.meets.3") is True
    assert fs.value("listing_standard.meets.4") is True


def test_claimed_standard_needs_market_cap_statement():
    fs = fs_with(revenue__2024=D("2.5") * YI, net_profit_parent__2024=-YI,
                 listing_standard_dot_claimed="2.1.2(4)")
    derive(fs)
    # Revenue misses 3亿: false whatever the market cap.
    assert fs.value("listing_standard.claimed_met") is False
    fs2 = fs_with(revenue__2024=4 * YI, net_profit_parent__2024=-YI, listing_standard_dot_claimed="2.1.2(4)")
    derive(fs2)
    assert fs2.get("listing_standard.claimed_met") is None  # market cap not stated: unknown
    fs3 = fs_with(revenue__2024=4 * YI, net_profit_parent__2024=-YI, listing_standard_dot_claimed="2.1.2(4)",
                  listing_standard_dot_expected_market_cap_min=30 * YI)
    derive(fs3)
    assert fs3.value("listing_standard.claimed_met") is True


def test_standard_5_is_not_numeric():
    fs = fs_with(revenue__2024=D(0), net_profit_parent__2024=-YI, listing_standard_dot_claimed="2.1.2(5)")
    derive(fs)
    assert fs.value("listing_standard.claimed_numeric") is False
    assert fs.get("listing_standard.claimed_met") is None


def test_no_figures_marks_everything_missing():
    fs = FactSet()
    derive(fs)
    assert "listing_standard.meets.4" in fs.missing
    assert fs.get("issuer.unprofitable_latest_year") is None
