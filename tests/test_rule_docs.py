"""Generated rule docs: pages up to date with the rule files, README table rewriting, check mode."""

from __future__ import annotations

from pathlib import Path

import pytest

from checker.docs import (
    BEGIN,
    END,
    expected_docs,
    render_condition,
    rules_table,
    update_readme_table,
    write_rule_docs,
)
from checker.ruleset.loader import load_rules
from checker.ruleset.spec import Condition

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs" / "rules"
SPECS = load_rules()


def test_docs_are_up_to_date():
    stale = write_rule_docs(SPECS, DOCS, check=True)
    assert not stale, (
        f"rule docs are stale: {[p.name for p in stale]}; regenerate with `starcheck rules docs --out docs/rules --readme README.md` "
        "(or checker.docs.write_rule_docs(load_rules(), Path('docs/rules'), check=False))"
    )


def test_every_rule_has_a_page_with_fixed_sections():
    pages = expected_docs(SPECS)
    sections = [
        "## What it checks",
        "## Why",
        "## Applies when",
        "## How it is checked",
        "## Facts it needs",
        "## Examples",
        "## Since / status",
    ]
    for spec in SPECS:
        text = pages[f"{spec.id}.md"]
        positions = [text.index(s) for s in sections]
        assert positions == sorted(positions), spec.id
        assert spec.title.zh in text and spec.title.en in text
        for c in spec.citations:
            assert c.article in text
        assert ("**unconfirmed**" in text) == spec.unconfirmed, spec.id
        for path in spec.referenced_facts():
            assert f"`{path}`" in text


def test_examples_come_from_cases():
    spec = next(s for s in SPECS if s.id == "STAR-WVR-004")
    text = expected_docs([spec])["STAR-WVR-004.md"]
    assert "`fail_twenty_votes`" in text and "`issuer.wvr_votes_per_share` = `20`" in text
    assert "`fail (error)`" in text
    assert "params: `max_votes` = `4`" in text


def test_check_mode_reports_stale_and_orphan_pages_without_writing(tmp_path):
    specs = [s for s in SPECS if s.family == "DS"]
    assert write_rule_docs(specs, tmp_path, check=True)  # nothing written yet: all stale
    assert not list(tmp_path.iterdir())
    written = write_rule_docs(specs, tmp_path)
    assert {p.name for p in written} == {f"{s.id}.md" for s in specs} | {"README.md"}
    assert write_rule_docs(specs, tmp_path, check=True) == []
    (tmp_path / "STAR-DS-001.md").write_text("edited by hand\n", encoding="utf-8")
    (tmp_path / "STAR-DS-999.md").write_text("a retired rule\n", encoding="utf-8")
    stale = write_rule_docs(specs, tmp_path, check=True)
    assert {p.name for p in stale} == {"STAR-DS-001.md", "STAR-DS-999.md"}
    assert (tmp_path / "STAR-DS-001.md").read_text(encoding="utf-8") == "edited by hand\n"
    write_rule_docs(specs, tmp_path)
    assert not (tmp_path / "STAR-DS-999.md").exists()
    assert write_rule_docs(specs, tmp_path, check=True) == []


def test_readme_table_between_markers(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text(f"# x\n\nintro\n\n{BEGIN}\nold table\n{END}\n\nfooter\n", encoding="utf-8")
    assert update_readme_table(readme, SPECS, check=True) is True
    assert "old table" in readme.read_text(encoding="utf-8")  # check mode does not write
    assert update_readme_table(readme, SPECS) is True
    text = readme.read_text(encoding="utf-8")
    assert "old table" not in text and text.startswith("# x\n\nintro\n") and text.endswith("footer\n")
    for spec in SPECS:
        assert f"[{spec.id}](docs/rules/{spec.id}.md)" in text
    assert update_readme_table(readme, SPECS, check=True) is False
    assert update_readme_table(readme, SPECS) is False


def test_readme_without_markers_is_an_error(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text("# no markers\n", encoding="utf-8")
    with pytest.raises(ValueError, match="rules-table"):
        update_readme_table(readme, SPECS)


def test_rules_table_rows_sorted_and_escaped():
    table = rules_table(SPECS)
    ids = [line.split("]")[0][3:] for line in table.splitlines()[2:]]
    assert ids == sorted(s.id for s in SPECS)
    assert len(table.splitlines()) == len(SPECS) + 2


def test_render_condition_reads_naturally():
    cond = Condition.model_validate(
        {
            "any": [
                {"fact": "listing_standard.expected_market_cap_min", "op": "gte", "value": 10000000000},
                {
                    "all": [
                        {"fact": "financials.latest.revenue", "op": "gte", "value": 500000000},
                        {"not": {"fact": "issuer.has_wvr", "op": "eq", "value": False}},
                    ]
                },
                {"fact": "document.stage", "op": "missing"},
            ]
        }
    )
    assert render_condition(cond) == [
        "- any of:",
        "  - `listing_standard.expected_market_cap_min` ≥ `10,000,000,000`",
        "  - all of:",
        "    - `financials.latest.revenue` ≥ `500,000,000`",
        "    - not:",
        "      - `issuer.has_wvr` is `false`",
        "  - `document.stage` is not known",
    ]


def test_top_level_readme_rule_table_is_up_to_date():
    """The README's rule table is generated; regenerate with `starcheck rules docs`."""
    assert not update_readme_table(ROOT / "README.md", SPECS, check=True), (
        "README.md rule table is stale: run `starcheck rules docs --out docs/rules --readme README.md`"
    )
