"""The same real filing laid out by a narrower export gives the same findings.

Another PDF or OCR export of a prospectus wraps its lines at another width: titles, declarations,
table-of-contents entries and cross-references then break where they did not before. Each of the real
2025 STAR final prospectuses in ../shared/realdata is re-wrapped here at 26 characters a line (breaks
between characters, never inside a number, a Latin word or a run of leader dots; page markers and HTML
kept) and checked again: every rule's status must be the one the original layout gets. So must the
same pages exported as form-feed text. Deterministic.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from checker.pipeline import CheckOptions, check_file
from checker.ruleset.loader import load_rules, ruleset_hash
from tests.realdata import REALDATA, needs_realdata

pytestmark = [needs_realdata, pytest.mark.slow]

WIDTH = 26
_TOKEN = re.compile(r"[0-9A-Za-z.,%]+|[.…·．]{2,}\s*\d*|\s+|.")
FILINGS = sorted((REALDATA / "B_text" / "star_prospectus_md_2025").glob("*.md"))


def rewrap(text: str, width: int = WIDTH) -> str:
    """Lines longer than ``width`` broken as a narrower column would break them."""
    out: list[str] = []
    for line in text.split("\n"):
        s = line.rstrip()
        if len(s) <= width or s.startswith(("## 第", "<")):
            out.append(line)
            continue
        cur = ""
        for tok in _TOKEN.findall(s):
            if len(cur) + len(tok) > width and cur.strip():
                out.append(cur)
                cur = tok.lstrip()
            else:
                cur += tok
        if cur:
            out.append(cur)
    return "\n".join(out)


def test_rewrap_breaks_long_lines_only():
    text = "## 第1页\n短行\n" + "公司营业收入为1,234.56万元" * 3
    lines = rewrap(text).split("\n")
    assert lines[:2] == ["## 第1页", "短行"] and all(len(x) <= WIDTH for x in lines)
    assert "1,234.56万元" in "".join(lines) and all("1,234.56" in x or "1,2" not in x for x in lines)


_SPECS = load_rules()
_OPTS = CheckOptions(use_cache=False, ruleset_sha=ruleset_hash(_SPECS))
_ORIGINAL: dict[Path, dict[str, str]] = {}


def _statuses(path: Path) -> dict[str, str]:
    return {f.rule_id: f.status for f in check_file(path, _SPECS, _OPTS).findings}


def _original(path: Path) -> dict[str, str]:
    if path not in _ORIGINAL:
        _ORIGINAL[path] = _statuses(path)
        assert len(_ORIGINAL[path]) == 47
    return _ORIGINAL[path]


def _changed(before: dict[str, str], after: dict[str, str]) -> dict[str, tuple[str, str | None]]:
    return {k: (v, after.get(k)) for k, v in before.items() if after.get(k) != v}


@pytest.mark.parametrize("path", FILINGS, ids=[p.name[:6] for p in FILINGS])
def test_findings_do_not_depend_on_the_line_width(path: Path, tmp_path):
    narrow = tmp_path / path.name
    narrow.write_text(rewrap(path.read_text(encoding="utf-8")), encoding="utf-8")
    assert _changed(_original(path), _statuses(narrow)) == {}


@pytest.mark.parametrize("path", FILINGS, ids=[p.name[:6] for p in FILINGS])
def test_findings_do_not_depend_on_the_export_format(path: Path, tmp_path):
    # the same pages as form-feed text (what pdftotext writes) instead of "## 第N页" Markdown
    pages = re.split(r"(?m)^## 第\d+页\s*$", path.read_text(encoding="utf-8"))[1:]
    text = tmp_path / (path.stem + ".txt")
    text.write_text("\f".join(pages), encoding="utf-8")
    assert _changed(_original(path), _statuses(text)) == {}
