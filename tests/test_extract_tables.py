"""pdfplumber tables on the pages that matter: the generated key-financial-data table."""

from __future__ import annotations

from decimal import Decimal

from checker.extract.numbers import parse_number
from checker.extract.tables import read_tables
from tests.fixtures import prospectus_gen as gen


def test_key_financial_table_is_read_with_wrapped_labels_joined(tmp_path):
    planted = gen.make_prospectus(gen.profitable_std1(wrap_row_labels=True, unit="万元"), tmp_path / "f.pdf")
    page = planted.table_pages["financial_table"]
    tables = read_tables(planted.path, [page])
    assert tables and all(t.page == page for t in tables)
    rows = {r[0]: r[1:] for t in tables for r in t.rows if r and r[0]}
    label = next(k for k in rows if k.startswith("归属于母公司所有者的净利润"))
    latest = max(planted.spec.years)
    want = planted.spec.net_profit_parent[latest] / Decimal(10_000)
    assert abs(parse_number(rows[label][0]) - want) < Decimal("0.01")  # newest year first


def test_reading_is_limited_to_the_pages_asked_for(tmp_path):
    planted = gen.make_prospectus(gen.profitable_std1(), tmp_path / "f.pdf")
    # The table of contents has no ruled table; the key-data page has one: only pages asked for are read.
    assert read_tables(planted.path, [planted.toc_pages[0]]) == []
    fin = planted.table_pages["financial_table"]
    assert {t.page for t in read_tables(planted.path, [fin, planted.toc_pages[0]])} == {fin}
    assert read_tables(planted.path, [9999]) == []


def test_unreadable_file_yields_nothing(tmp_path):
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.4\n garbage")
    assert read_tables(bad, [1]) == []
