"""STAR-CONS-001 facts: key figures compared at their printed precision (generated and real filings)."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from checker.facts.extractors.consistency import printed_precision
from tests.factlib import fact_map
from tests.fixtures.prospectus_gen import profitable_std1

from tests.realdata import REALDATA

REAL = REALDATA / "B_text"


def _load(path: Path):
    from checker.extract.loader import load_document

    return load_document(path)


def _cons(path: Path) -> dict:
    return fact_map(_load(path))


def test_printed_precision():
    assert printed_precision(Decimal("245205500"), "营业收入(万元) 24,520.55") == Decimal("100")
    assert printed_precision(Decimal("245000000"), "营业收入2.45亿元") == Decimal("1000000")
    assert printed_precision(Decimal("-44125000"), "净利润 (4,412.50)") == Decimal("100")
    assert printed_precision(Decimal("1"), "no number here") is None


def test_planted_revenue_mismatch_fails(prospectus_pdf):
    planted = prospectus_pdf(replace(profitable_std1(unit="万元"), inconsistent_revenue_year=2023))
    f = _cons(planted.path)
    assert f["consistency.key_figures_agree"].value is False
    assert f["consistency.key_figure_mismatch"].value == "revenue 2023"
    pages = {e.page for e in f["consistency.key_figures_agree"].evidence}
    assert len(pages) >= 2  # the table and the contradicting statement


def test_consistent_filing_agrees(prospectus_pdf):
    f = _cons(prospectus_pdf(profitable_std1(unit="万元")).path)
    assert f["consistency.key_figures_agree"].value is True
    assert f["consistency.key_figure_mismatches"].value == 0


@pytest.mark.skipif(not REAL.is_dir(), reason="realdata not available")
@pytest.mark.parametrize("name", [
    "bosera_prospectus_txt/上海派能能源科技股份有限公司.txt",
    "bosera_prospectus_txt/中国铁路通信信号股份有限公司.txt",
    "bosera_prospectus_txt/武汉兴图新科电子股份有限公司.txt",
    "pevc_course_prospectus_md/688758_苏州赛分科技_完整解析.md",
])
def test_real_filings_have_no_false_mismatch(name):
    # Segment revenue, lower-of profit, forecasts and comparable companies' figures are not the
    # issuer's consolidated figures and must not be reported as contradictions.
    f = _cons(REAL / name)
    assert f["consistency.key_figures_agree"].value is True
    assert f["consistency.key_figure_sightings"].value >= 6
