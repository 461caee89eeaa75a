"""load_document: format dispatch by content, and every input error code on generated bad files."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest
from reportlab.pdfgen import canvas

from checker.errors import InputError
from checker.extract.loader import load_document

from tests.realdata import REALDATA

REAL_PDF = REALDATA / "A_pdf" / "寒武纪2025年年报.pdf"


def _text_pdf(path: Path, pages: int = 4, **kw) -> Path:
    c = canvas.Canvas(str(path), **kw)
    for i in range(pages):
        c.drawString(72, 800, "ACME Co., Ltd. Prospectus")
        for j in range(10):
            c.drawString(72, 700 - 20 * j, f"Body line {j} on page {i + 1} with enough text")
        c.drawString(300, 40, str(i + 1))
        c.showPage()
    c.save()
    return path


def _code(path: Path, **kw) -> str:
    with pytest.raises(InputError) as exc:
        load_document(path, **kw)
    assert exc.value.message and len(exc.value.message) > 20
    return exc.value.code


def test_empty_file(tmp_path):
    p = tmp_path / "empty.pdf"
    p.write_bytes(b"")
    assert _code(p) == "empty_file"


def test_random_bytes_not_a_pdf(tmp_path):
    p = tmp_path / "random.pdf"
    p.write_bytes(os.urandom(4000) + b"\x00" * 10)
    assert _code(p) == "not_a_pdf"


def test_zip_named_pdf_says_what_it_is(tmp_path):
    p = tmp_path / "report.pdf"
    p.write_bytes(b"PK\x03\x04" + os.urandom(500))
    with pytest.raises(InputError) as exc:
        load_document(p)
    assert exc.value.code == "not_a_pdf"
    assert "ZIP" in exc.value.message


def test_truncated_pdf(tmp_path):
    full = _text_pdf(tmp_path / "full.pdf", pages=10)
    data = full.read_bytes()
    p = tmp_path / "half.pdf"
    p.write_bytes(data[: len(data) // 2])
    assert _code(p) == "truncated_or_corrupt"


def test_encrypted_pdf(tmp_path):
    p = _text_pdf(tmp_path / "enc.pdf", pages=2, encrypt="secret")
    with pytest.raises(InputError) as exc:
        load_document(p)
    assert exc.value.code == "encrypted"
    assert "decrypt" in exc.value.message.lower() or "password" in exc.value.message.lower()


def test_image_only_pdf(tmp_path):
    p = tmp_path / "scan.pdf"
    c = canvas.Canvas(str(p))
    for _ in range(3):
        c.rect(100, 100, 300, 400, fill=1)
        c.circle(200, 600, 50)
        c.showPage()
    c.save()
    with pytest.raises(InputError) as exc:
        load_document(p)
    assert exc.value.code == "image_only"
    assert "ocrmypdf" in exc.value.message


def test_image_page_inside_text_pdf_is_a_warning(tmp_path):
    p = tmp_path / "mixed.pdf"
    c = canvas.Canvas(str(p))
    for i in range(5):
        if i == 2:
            c.rect(100, 100, 300, 400, fill=1)
        else:
            c.drawString(72, 700, f"Text page {i + 1} with several words on it")
        c.showPage()
    c.save()
    doc = load_document(p)
    assert doc.page_count == 5
    assert any("3" in w and "text layer" in w for w in doc.warnings)


def test_too_many_pages_and_too_large(tmp_path):
    p = _text_pdf(tmp_path / "ok.pdf", pages=4)
    assert _code(p, max_pages=3) == "too_many_pages"
    assert _code(p, max_bytes=100) == "too_large"


def test_missing_file_is_unreadable(tmp_path):
    assert _code(tmp_path / "nope.pdf") == "unreadable"


def test_pdf_text_and_sha256(tmp_path):
    p = _text_pdf(tmp_path / "ok.pdf", pages=4)
    doc = load_document(p)
    assert doc.source_format == "pdf"
    assert doc.sha256 == hashlib.sha256(p.read_bytes()).hexdigest()
    assert doc.page_count == 4
    # Running header and printed page numbers are separated from the body.
    assert all(pg.lines and "Prospectus" not in " ".join(pg.lines) for pg in doc.pages)
    assert [pg.label for pg in doc.pages] == ["1", "2", "3", "4"]


def test_form_feed_text_with_misleading_extension_is_an_error_saying_what_it_is(tmp_path):
    p = tmp_path / "filing.pdf"  # named .pdf but is pdftotext output: rename it .txt to check it
    pages = [f"ACME招股说明书\n正文第{i}页的内容，包含足够的文字。\n1-1-{i}" for i in range(1, 6)]
    p.write_text("\f".join(pages) + "\f", encoding="utf-8")
    with pytest.raises(InputError) as e:
        load_document(p)
    assert e.value.code == "not_a_pdf" and "plain text" in e.value.message
    txt = p.with_suffix(".txt")
    p.rename(txt)
    doc = load_document(txt)
    assert doc.source_format == "text" and doc.page_count == 5
    assert doc.pages[2].label == "1-1-3"
    assert doc.pages[2].lines == ["正文第3页的内容，包含足够的文字。"]


def test_markdown_page_markers(tmp_path):
    p = tmp_path / "x.md"
    p.write_text("# 某公司\n\n**股票代码**: 688000\n\n## 第1页\n\n封面\n\n## 第3页\n\n正文\n", encoding="utf-8")
    doc = load_document(p)
    assert doc.source_format == "markdown"
    assert [pg.number for pg in doc.pages] == [1, 2, 3]  # the gap keeps physical numbering
    assert doc.metadata["股票代码"] == "688000"


def test_bosera_jsonl(tmp_path):
    p = tmp_path / "x.txt"
    rows = [
        {"page": 1, "allrow": 0, "type": "text", "inside": "封面"},
        {"page": 2, "allrow": 1, "type": "页眉", "inside": "某公司招股意向书"},
        {"page": 2, "allrow": 2, "type": "excel", "inside": "['营业收入（万元）', '1,000.00', '900.00']"},
        {"page": 2, "allrow": 3, "type": "页脚", "inside": "1-1-1"},
    ]
    p.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    doc = load_document(p)
    assert doc.source_format == "jsonl"
    assert doc.pages[1].header == ["某公司招股意向书"]
    assert doc.pages[1].label == "1-1-1"
    assert doc.pages[1].lines == ["营业收入（万元） 1,000.00 900.00"]


@pytest.mark.skipif(not REAL_PDF.exists(), reason="real data not available")
def test_real_annual_report_pdf_loads_cleanly():
    # Speed is measured in benchmarks/bench_extract.py, as ratios, not asserted here.
    doc = load_document(REAL_PDF)
    assert doc.page_count == 219
    assert doc.source_format == "pdf"
    assert not doc.warnings
    # Page 6 (physical) carries the printed "6 / 219" in its running header.
    assert doc.pages[5].label == "6"


def test_html_error_page_named_pdf_is_an_error_saying_what_it_is(tmp_path):
    p = tmp_path / "filing.pdf"
    p.write_text("<!DOCTYPE html><html><body>404 Not Found</body></html>", encoding="utf-8")
    with pytest.raises(InputError) as e:
        load_document(p)
    assert e.value.code == "not_a_pdf" and "HTML page" in e.value.message


def test_whitespace_only_text_is_empty(tmp_path):
    p = tmp_path / "blank.txt"
    p.write_text(" \n\t\u200b\n\f \n", encoding="utf-8")
    with pytest.raises(InputError) as e:
        load_document(p)
    assert e.value.code == "empty_file"
