"""The HTML report shows blacklist hits with both sides of the match (issue 5)."""

from __future__ import annotations

import re
from pathlib import Path

from typer.testing import CliRunner

from checker.cli import check_app
from tests.fixtures import prospectus_gen as gen

ROOT = Path(__file__).resolve().parents[1]


def test_hits_table_shows_subject_and_list_entry(tmp_path):
    planted = gen.make_prospectus(gen.profitable_std1(), tmp_path / "f.pdf")
    lst = tmp_path / "list.csv"
    lst.write_text(
        "name,type,aliases,credit_code,reason,source,listed_on,expires_on\n"
        f"{planted.spec.controlling_shareholder},person,,,证券市场禁入（终身）<b>x</b>,证监会决定,2021-03-15,\n",
        encoding="utf-8")
    out = tmp_path / "r.html"
    res = CliRunner().invoke(check_app, [str(planted.path), "--blacklist", str(lst), "-f", "html", "-o", str(out),
                                         "--no-cache"])
    assert res.exit_code == 1, res.output
    html = out.read_text(encoding="utf-8")
    table = re.search(r'<table class="matches">.*?</table>', html, re.S).group(0)
    assert planted.spec.controlling_shareholder in table  # the party in the filing
    assert "控股股东" in table and "controlling shareholder" in table  # its role, both languages
    assert f"第{planted.pages['controllers']}页" in table  # where the filing names it
    assert "证券市场禁入（终身）&lt;b&gt;x&lt;/b&gt;" in table  # the entry's reason, escaped
    assert f"{lst}:2" in table  # the list file and line
