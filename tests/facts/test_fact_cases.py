"""Fact cases: a few page lines in, the facts every extractor establishes out (with page and quote).

Cases are data, one folder per extractor: ``tests/facts/cases/<extractor>/*.yaml`` (the format is in
tests/facts/cases/README.md). Each case's pages become a document of the one document model
(checker/extract/structure.py) and go through the whole extraction stage, exactly as ``starcheck
check`` runs it; the case then asserts the facts it names. Wordings come from real filings where
one printed them (``source`` says which page), so a lexicon change that loses a real variant fails
here, not on a user's filing.
"""

from __future__ import annotations

import importlib
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from checker.facts.registry import EXTRACTION_MODULES, spec_for
from checker.facts.run import check_producers
from checker.ruleset.loader import load_rules
from tests.factlib import doc_of, extracted

CASES_DIR = Path(__file__).parent / "cases"
EXTRACTORS = {importlib.import_module(m).NAME: m for m in EXTRACTION_MODULES}
CASE_KEYS = {"name", "source", "pages", "toc", "derive", "expect", "missing", "not_values", "path"}


def _load() -> list[tuple[str, str, dict[str, Any]]]:
    out = []
    for f in sorted(CASES_DIR.glob("*/*.yaml")):
        data = yaml.safe_load(f.read_text(encoding="utf-8")) or {}
        for case in data.get("cases") or []:
            out.append((f.parent.name, f"{f.parent.name}/{f.stem}::{case.get('name', '?')}", case))
    return out


CASES = _load()


def _same(got: Any, want: Any) -> bool:
    if isinstance(want, bool) or isinstance(got, bool) or want is None or got is None:
        return got is want or got == want and type(got) is type(want)
    if isinstance(want, (int, float)) and isinstance(got, (int, float, Decimal)):
        return Decimal(str(got)) == Decimal(str(want))
    return bool(got == want)


def _pages(case: dict[str, Any]) -> list[list[str]]:
    return [str(p).rstrip("\n").split("\n") for p in case["pages"]]


@pytest.mark.parametrize(("extractor", "case_id", "case"), CASES, ids=[c for _, c, _ in CASES])
def test_fact_case(extractor, case_id, case):
    assert set(case) <= CASE_KEYS, f"unknown keys {set(case) - CASE_KEYS}"
    assert case.get("source"), "say where the wording comes from (a real filing's page, or 'constructed: why')"
    fs = extracted(doc_of(_pages(case), toc=tuple(case.get("toc") or ()), path=case.get("path", "synthetic.txt")),
                   derive=bool(case.get("derive")))
    assert check_producers(fs) == []
    for path, want in (case.get("expect") or {}).items():
        fact = fs.get(path)
        assert fact is not None, f"{path} not established: {fs.missing.get(path, 'not looked for')}"
        want = want if isinstance(want, dict) else {"value": want}
        if "value" in want:
            assert _same(fact.value, want["value"]), f"{path}: got {fact.value!r}, want {want['value']!r}"
        if "page" in want:
            pages = [e.page for e in fact.evidence]
            assert want["page"] in pages, f"{path}: evidence on pages {pages}, want {want['page']}"
        if "quote" in want:
            quotes = [e.quote for e in fact.evidence if "page" not in want or e.page == want["page"]]
            assert any(want["quote"] in q for q in quotes), f"{path}: quotes {quotes!r} lack {want['quote']!r}"
    for path in case.get("missing") or []:
        assert fs.get(path) is None, f"{path} should not be established, got {fs.get(path).value!r}"
    for path, bad in (case.get("not_values") or {}).items():
        fact = fs.get(path)
        assert fact is None or not _same(fact.value, bad), f"{path} must not be {bad!r}"


def test_case_folders_are_extractors_and_every_extractor_has_cases():
    folders = {p.name for p in CASES_DIR.iterdir() if p.is_dir()}
    assert folders <= set(EXTRACTORS), f"not an extractor: {folders - set(EXTRACTORS)}"
    counts = {name: sum(1 for e, _, _ in CASES if e == name) for name in EXTRACTORS}
    assert [n for n, c in counts.items() if c < 2] == []


def test_every_extracted_fact_a_rule_reads_has_a_case():
    """A rule's input from an extractor is pinned by at least one case that establishes it or
    shows when it must not be established."""
    covered: set[str] = set()
    for _, _, case in CASES:
        covered |= set(case.get("expect") or {}) | set(case.get("missing") or []) | set(case.get("not_values") or {})
    read = {p for s in load_rules() for p in s.referenced_facts()}
    uncovered = []
    for path in sorted(read):
        spec = spec_for(path)
        assert spec is not None, f"{path} is read by a rule but not registered"
        if spec.producer not in EXTRACTION_MODULES:
            continue  # derived and screening facts have their own unit tests
        if not any(spec_for(c) is spec for c in covered):
            uncovered.append(path)
    assert uncovered == []


def test_each_rule_read_fact_has_exactly_one_producer():
    from checker.facts.registry import registry

    specs = registry()  # raises when two declarations overlap
    for s in load_rules():
        for path in s.referenced_facts():
            owners = {r.producer for r in specs if r.pattern().match(path)}
            assert len(owners) == 1, (s.id, path, owners)
