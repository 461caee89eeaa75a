"""docs/coverage.md names every requirement ID of the rules reference (a rule, or why not)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from checker.ruleset.loader import load_rules
from tests.realdata import REALDATA

REFERENCE = REALDATA.parent / "reference" / "star-market-rules.md"
COVERAGE = Path(__file__).resolve().parents[1] / "docs" / "coverage.md"


def _expand(cell: str) -> set[str]:
    """IDs a first-column cell names: 'STAR-X-1, -2', 'STAR-X-1…7', 'STAR-WVR-4.5.2, 4.5.3', 'E1…E5'."""
    out: set[str] = set()
    prefix = None
    for tok in (t.strip() for t in cell.split(",")):
        if tok.startswith("STAR-"):
            m = re.match(r"(STAR-[A-Z]+(?:-[\d.]+(?=-))?)-(.+)", tok)
            if not m:
                continue
            prefix, tail = m.group(1), m.group(2)
        elif prefix is not None:
            tail = tok.lstrip("-")
        else:
            continue
        r = re.fullmatch(r"([A-Za-z]*)(\d+)…\1?(\d+)", tail)
        if r:
            out |= {f"{prefix}-{r.group(1)}{n}" for n in range(int(r.group(2)), int(r.group(3)) + 1)}
        else:
            out.add(f"{prefix}-{tail}")
    return out


@pytest.mark.skipif(not REFERENCE.exists(), reason=f"rules reference not found at {REFERENCE}")
def test_every_reference_requirement_is_covered_or_explained():
    ref_ids = set(re.findall(r"^\| (STAR-[A-Z]+(?:-[0-9A-Za-z.]+)+) \|", REFERENCE.read_text(encoding="utf-8"), re.M))
    named: set[str] = set()
    for line in COVERAGE.read_text(encoding="utf-8").splitlines():
        if line.startswith("| STAR-"):
            named |= _expand(line.split("|")[1])
    assert ref_ids, "no requirement IDs parsed from the reference"
    assert not sorted(ref_ids - named), "requirements with neither a rule nor a reason in docs/coverage.md"


def test_coverage_names_only_rules_that_exist():
    ids = {s.id for s in load_rules()}
    text = COVERAGE.read_text(encoding="utf-8")
    for rid in set(re.findall(r"STAR-(?:DOC|LS|KC|IND|UNP|BL|DS|WVR|RC|CONS|RF)-\d{3}\b", text)):
        assert rid in ids, f"docs/coverage.md cites {rid}, which is not a rule"
