"""Resource bombs: claimed sizes are checked before anything is allocated, page text is capped,
matching stays linear on any text, a crash in one file loses nothing else (items 2, 3, 4)."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from checker.extract.clean import is_toc_line, norm
from checker.extract.loader import MAX_PAGE_CHARS, MAX_UNPAGED_CHARS
from tests.factlib import doc_of, extracted
from tests.hostile.conftest import run_cli


def _docs(proc) -> dict[str, dict]:
    return {Path(d["path"]).name: d for d in json.loads(proc.stdout)["documents"]}


def test_a_tiny_file_claiming_a_huge_page_number_is_refused(tmp_path):
    (tmp_path / "claim.md").write_text("## 第1页\n封面\n## 第100000000页\n正文\n", encoding="utf-8")
    (tmp_path / "claim.txt").write_text(json.dumps({"page": 100000000, "inside": "x"}) + "\n", encoding="utf-8")
    t = time.monotonic()
    proc = run_cli(["claim.md", "claim.txt", "-f", "json", "--no-cache"], tmp_path, timeout=60)
    assert time.monotonic() - t < 60
    docs = _docs(proc)
    for name in ("claim.md", "claim.txt"):
        assert docs[name]["error"]["code"] == "too_many_pages" and "100000000" in docs[name]["error"]["message"]


def test_one_enormous_json_line_is_capped(tmp_path):
    big = "营业收入" * 2_000_000  # 8M characters on one page
    (tmp_path / "big.txt").write_text(json.dumps({"page": 1, "inside": big}, ensure_ascii=False) + "\n", encoding="utf-8")
    proc = run_cli(["big.txt", "-f", "json", "--no-cache", "--timeout", "120"], tmp_path, timeout=300)
    doc = _docs(proc)["big.txt"]
    assert doc["status"] == "checked"
    # an unpaged export holds the whole filing on its one page: its cap is the unpaged one
    assert any(f"{MAX_UNPAGED_CHARS} characters" in w for w in doc["warnings"])


def test_one_enormous_page_of_a_paged_export_is_capped(tmp_path):
    pages = [{"page": 1, "inside": "封面"}, {"page": 2, "inside": "营业收入" * 100_000}]
    (tmp_path / "big.txt").write_text("\n".join(json.dumps(p, ensure_ascii=False) for p in pages) + "\n", encoding="utf-8")
    proc = run_cli(["big.txt", "-f", "json", "--no-cache"], tmp_path)
    doc = _docs(proc)["big.txt"]
    assert doc["status"] == "checked"
    assert any(f"{MAX_PAGE_CHARS} characters" in w and ": 2." in w for w in doc["warnings"])


def test_size_messages_read_for_people(tmp_path, filing):
    proc = run_cli([filing.name, "--max-bytes", "100", "--lang", "en", "--no-cache"], tmp_path)
    assert "above the limit of 100 bytes" in proc.stdout and "0 MB" not in proc.stdout


def _cost(fn, arg) -> float:
    best = float("inf")
    for _ in range(5):
        t = time.process_time()  # this process's CPU time: another process on the machine does not count
        fn(arg)
        best = min(best, time.process_time() - t)
    return best


# Doubling the input must not much more than double the work: quadratic matching would give ~4x.
# A ratio of best-of-five CPU times, generous (3.2x; a floor of 20 ms for the noise of a busy machine),
# not a wall-clock limit.
@pytest.mark.parametrize("make", [
    lambda n: "." * n, lambda n: "…" * n, lambda n: "-" * n, lambda n: " " * n + "x",
    lambda n: "科 " * n, lambda n: "1" * n, lambda n: "1," * n,
], ids=["dots", "ellipsis", "dashes", "spaces", "cjk-spaced", "digits", "digit-commas"])
def test_line_normalisation_and_toc_detection_are_linear(make):
    for fn in (norm, is_toc_line):
        # sizes where one call takes a tenth of a second or more: below that, caches and allocation
        # make a doubling cost anything from 2x to 3.5x on a busy machine
        small, large = _cost(fn, make(120_000)), _cost(fn, make(240_000))
        assert large <= 3.2 * max(small, 0.02), (fn.__name__, small, large)


@pytest.mark.parametrize("make", [
    lambda n: "1" * n, lambda n: "预计市值不低于" + "1" * n, lambda n: " " * n + "1",
    lambda n: "营业收入为" + "1," * (n // 2), lambda n: "…" * n,
], ids=["digits", "market-cap-digits", "spaces", "revenue-commas", "ellipsis"])
def test_extraction_is_linear_on_pathological_lines(make):
    def run(n: int) -> float:
        doc = doc_of([["科创板 招股说明书", "第一节 释义", make(n), "第二节 概览", make(n)]])
        return _cost(lambda d: extracted(d, derive=True), doc)

    # sizes past the bounded windows of the patterns (below them a window's cost still grows with the line)
    small, large = run(6_000), run(12_000)
    assert large <= 3.2 * max(small, 0.05), (small, large)
