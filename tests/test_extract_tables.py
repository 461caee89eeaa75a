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


def test_fact_builder_falls_back_to_pdfplumber_only_for_the_key_table(tmp_path, monkeypatch):
    """When the text pass cannot read the key-data rows, pdfplumber reads that table's pages only."""
    import checker.extract.tables as tables
    import checker.extract.texttable as texttable
    from checker.extract.loader import load_document
    from tests.factlib import extracted

    planted = gen.make_prospectus(gen.profitable_std1(unit="万元"), tmp_path / "f.pdf")
    asked: list[list[int]] = []
    real_read = tables.read_tables

    def spy(path, pages):
        asked.append(list(pages))
        return real_read(path, pages)

    monkeypatch.setattr(tables, "read_tables", spy)
    monkeypatch.setattr(texttable, "tokens", lambda lines, language: [])  # the text pass reads no row
    fs = extracted(load_document(planted.path))
    latest = max(planted.spec.years)
    fact = fs.get(f"financials.revenue.{latest}")
    assert fact is not None and fact.details == {"reader": "pdfplumber"}
    assert abs(fact.value - planted.spec.revenue[latest]) <= 50  # printed in 万元 at 2 decimals
    assert fact.evidence[0].page == planted.table_pages["financial_table"]
    assert asked and all(len(p) <= 2 for p in asked)  # the section's own pages, never the filing
    assert planted.table_pages["financial_table"] in asked[0]


def test_pdfplumber_is_not_used_when_the_text_pass_reads_the_table(tmp_path, monkeypatch):
    import checker.extract.tables as tables
    from checker.extract.loader import load_document
    from tests.factlib import extracted

    planted = gen.make_prospectus(gen.profitable_std1(), tmp_path / "f.pdf")

    def refuse(*a, **k):
        raise AssertionError("pdfplumber ran although the text pass had read the table")

    monkeypatch.setattr(tables, "read_tables", refuse)
    fs = extracted(load_document(planted.path))
    assert fs.get(f"financials.revenue.{max(planted.spec.years)}") is not None
