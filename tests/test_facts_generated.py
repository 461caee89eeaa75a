"""build_facts against the synthetic prospectus generator (tests/fixtures/prospectus_gen.py)."""

from __future__ import annotations


import pytest

from checker.extract.loader import load_document
from tests.factlib import extracted as build_facts

gen = pytest.importorskip("tests.fixtures.prospectus_gen")


def _run(spec, tmp_path):
    planted = gen.make_prospectus(spec, tmp_path / "p.pdf")
    return planted, build_facts(load_document(tmp_path / "p.pdf"))


@pytest.mark.parametrize("preset", ["profitable_std1", "biotech_std5", "revenue_misses_claimed_std4", "english_std1"])
def test_presets_identity_standard_and_figures(preset, tmp_path):
    planted, fs = _run(getattr(gen, preset)(), tmp_path)
    spec = planted.spec
    assert fs.value("document.board") == "star"
    assert fs.value("document.kind") == "prospectus"
    assert fs.value("document.language") == spec.language
    assert fs.value("listing_standard.claimed") == planted.claimed
    for year, value in spec.revenue.items():
        assert fs.value(f"financials.revenue.{year}") == value
    for year, value in spec.net_profit_parent_deducted.items():
        assert fs.value(f"financials.net_profit_parent_deducted.{year}") == value
    latest = max(spec.years)
    assert fs.get(f"financials.revenue.{latest}").evidence[0].page == planted.table_pages.get(
        "key_financials", fs.get(f"financials.revenue.{latest}").evidence[0].page)
    if spec.expected_market_cap_yuan is not None:
        assert fs.value("listing_standard.expected_market_cap_min") == spec.expected_market_cap_yuan


def test_unprofitable_biotech_disclosures(tmp_path):
    planted, fs = _run(gen.biotech_std5(), tmp_path)
    assert planted.unprofitable
    assert fs.value("disclosure.unprofitability_notice") is True
    assert fs.value("disclosure.unprofitability_risk_factor") is True
    assert fs.value("disclosure.unprofitability_impact_analysis") is True


def test_profitable_has_no_unprofitability_items(tmp_path):
    _, fs = _run(gen.profitable_std1(), tmp_path)
    assert fs.value("disclosure.unprofitability_risk_factor") is False
    assert fs.get("disclosure.unprofitability_risk_factor").evidence  # where it searched


def test_chinext_control(tmp_path):
    planted, fs = _run(gen.chinext_control(), tmp_path)
    assert fs.value("document.board") == "chinext"
    assert fs.value("issuer.name") == planted.spec.issuer


def test_intermediaries_zh(tmp_path):
    planted, fs = _run(gen.profitable_std1(), tmp_path)
    assert fs.value("intermediaries.sponsor") == [planted.spec.sponsor]  # every sponsor, as a list
    assert fs.value("intermediaries.sponsor_representatives") == planted.spec.sponsor_representatives
    assert fs.value("intermediaries.law_firm") == planted.spec.law_firm
    assert fs.value("controlling_shareholder") == planted.spec.controlling_shareholder


@pytest.mark.parametrize("preset", ["profitable_std1", "english_std1"])
def test_two_column_intermediaries_and_people(preset, tmp_path):
    planted, fs = _run(getattr(gen, preset)(), tmp_path)
    spec = planted.spec
    assert fs.value("intermediaries.sponsor") == [spec.sponsor]
    assert fs.value("intermediaries.law_firm") == spec.law_firm
    assert fs.value("intermediaries.auditor").replace("(", "（").replace(")", "）") == spec.auditor.replace("(", "（").replace(")", "）")
    assert fs.value("supervisors") == spec.supervisors
    assert set(fs.value("shareholders_5pct")) == {n.replace("（", "(").replace("）", ")") for n in spec.shareholders_5pct} or \
        set(fs.value("shareholders_5pct")) == set(spec.shareholders_5pct)


def test_accumulated_losses_biotech(tmp_path):
    planted, fs = _run(gen.biotech_std5(), tmp_path)
    assert fs.value("financials.accumulated_uncovered_losses") == planted.spec.accumulated_losses_yuan
    assert fs.value("financials.accumulated_uncovered_losses_date") == f"{planted.spec.latest_year}-12-31"


def test_profitable_has_no_accumulated_losses(tmp_path):
    _, fs = _run(gen.profitable_std1(), tmp_path)
    assert "financials.accumulated_uncovered_losses" in fs.missing
