"""Lint the rule pack: identity, citations, bilingual text, fact paths, cases, bad files."""

from __future__ import annotations

import re
import string

import pytest

from checker.errors import RuleFileError
from checker.facts.registry import is_known
from checker.ruleset.loader import load_cases, load_rule_file, load_rules

SPECS = load_rules()


def _placeholders(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


def test_ids_and_names_unique():
    assert len({s.id for s in SPECS}) == len(SPECS)
    assert len({s.name for s in SPECS}) == len(SPECS)


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.id)
def test_rule_metadata(spec):
    assert spec.citations and all(c.source and c.article and c.version for c in spec.citations)
    # A rule built on an unconfirmed citation says so in its metadata.
    assert spec.unconfirmed == any(not c.confirmed for c in spec.citations)
    for field in ("pass_", "fail", "needs_review", "not_applicable", "review"):
        msg = getattr(spec.messages, field)
        if msg is None:
            continue
        assert _placeholders(msg.zh) == _placeholders(msg.en), f"{field}: zh/en placeholders differ"
        assert _placeholders(msg.zh) <= set(spec.values) | set(spec.params) | {"missing", "rule", "unmet"}
    for path in spec.referenced_facts():
        assert is_known(path)
    assert re.fullmatch(r"[a-z-]+\.[a-z0-9-]+", spec.name)
    if spec.applies_when is not None:
        assert spec.messages.not_applicable is not None


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.id)
def test_rule_has_cases(spec):
    cases = load_cases(spec)
    assert len(cases) >= 3


def test_bad_rule_file_names_file_and_field(tmp_path):
    bad = tmp_path / "STAR-LS-999.yaml"
    bad.write_text(
        "id: STAR-LS-999\nname: x.y\nseverity: critical\ntitle: {zh: a, en: b}\n"
        "description: {zh: a, en: b}\ncitations: [{source: s, article: a, version: v}]\n"
        "check: {fact: listing_standard.claimed, op: exists}\n"
        "messages: {pass: {zh: a, en: b}, fail: {zh: a, en: b}, needs_review: {zh: a, en: b}}\n",
        encoding="utf-8",
    )
    with pytest.raises(RuleFileError) as e:
        load_rule_file(bad)
    assert f"{bad}:3" in e.value.message and "severity" in e.value.message  # file and line


def test_unknown_fact_path_is_rejected(tmp_path):
    bad = tmp_path / "STAR-LS-998.yaml"
    bad.write_text(
        "id: STAR-LS-998\nname: x.z\nseverity: error\ntitle: {zh: a, en: b}\n"
        "description: {zh: a, en: b}\ncitations: [{source: s, article: a, version: v}]\n"
        "check: {fact: financials.revenu.2024, op: exists}\n"
        "messages: {pass: {zh: a, en: b}, fail: {zh: a, en: b}, needs_review: {zh: a, en: b}}\n",
        encoding="utf-8",
    )
    with pytest.raises(RuleFileError, match="unknown fact path"):
        load_rule_file(bad)


def test_id_must_match_file_name(tmp_path):
    src = next(s for s in SPECS if s.id == "STAR-LS-001")
    bad = tmp_path / "STAR-LS-777.yaml"
    bad.write_text(open(src.source_file, encoding="utf-8").read(), encoding="utf-8")
    with pytest.raises(RuleFileError, match="does not match the file name"):
        load_rule_file(bad)
