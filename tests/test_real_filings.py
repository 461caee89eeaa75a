"""The real-filing benchmark's thresholds (issue: findings a compliance team can trust on real filings).

Deterministic: every real document in ../shared/realdata is checked with the full rule pack and
compared with tests/realfilings/expected/*.yaml and tests/groundtruth/*.yaml, written by reading the
documents (tests/realfilings/LABELLING.md). Measured values are in docs/real-filings.md.
"""

from __future__ import annotations

import pytest

from checker import realbench
from tests.realdata import REALDATA, needs_realdata

pytestmark = [needs_realdata, pytest.mark.slow]


@pytest.fixture(scope="module")
def bench() -> realbench.Benchmark:
    b = realbench.run(REALDATA)
    assert not [d.slug for d in b.docs if d.error], [(d.slug, d.error) for d in b.docs if d.error]
    return b


def test_every_real_document_is_labelled(bench):
    assert len(bench.docs) == 26
    assert all(len(d.rules) == 47 for d in bench.docs)  # one expected finding per rule


def test_no_error_level_false_fail_on_star_prospectuses(bench):
    bad = [(d.slug, r.rule, r.expected) for d in bench.of_class("star_prospectus") for r in d.rules if r.false_fail_error]
    assert bad == []


def test_expected_findings_met(bench):
    assert bench.met_share >= 0.95, realbench.format_markdown(bench)


def test_error_level_needs_review_at_most_one_per_filing_on_average(bench):
    star = bench.of_class("star_prospectus")
    assert sum(d.error_reviews for d in star) / len(star) <= 1.0


def test_key_facts_right_and_none_from_the_wrong_period_or_company(bench):
    assert bench.key_fact_share >= 0.95
    assert [(d.slug, w) for d in bench.docs for w in d.key_wrong] == []


def test_non_star_prospectuses_are_out_of_scope_with_nothing_passed(bench):
    for d in bench.of_class("other_board_prospectus"):
        got = {r.rule: r.got for r in d.rules}
        assert got["STAR-DOC-001"] == "fail", d.slug
        assert all(v == "not_applicable" for k, v in got.items() if k != "STAR-DOC-001"), d.slug


def test_report_is_current(bench):
    """docs/real-filings.md is what the benchmark measures now (regenerate: starcheck benchmark)."""
    assert realbench.REPORT.read_text(encoding="utf-8") == realbench.format_markdown(bench)


@pytest.mark.parametrize("args, code", [(["--help"], 0), (["-h"], 0), (["--out", "x.md"], 2), (["a.md", "b.md"], 2)])
def test_an_option_is_never_taken_for_the_report_path(args, code, tmp_path, monkeypatch, capsys):
    """`python -m checker.realbench --help` printed the totals into a file named --help."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(realbench, "run", lambda *a, **k: pytest.fail("the benchmark ran"))
    assert realbench.main(args) == code
    printed = capsys.readouterr()
    assert "usage:" in (printed.out if code == 0 else printed.err)
    assert not list(tmp_path.iterdir())
