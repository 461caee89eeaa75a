"""Special files, vanished paths and files that are not what they claim: each is that file's error,
the rest of the run is checked, nothing blocks (issue 13, items 1, 5 and 6)."""

from __future__ import annotations

import json
import os
import socket
from pathlib import Path

import pytest

from tests.hostile.conftest import run_cli


def _docs(proc) -> dict[str, dict]:
    return {Path(d["path"]).name: d for d in json.loads(proc.stdout)["documents"]}


def test_fifo_socket_and_broken_links_never_block(tmp_path, filing):
    os.mkfifo(tmp_path / "fifo.pdf")
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(tmp_path / "sock.pdf"))
    (tmp_path / "dangling.pdf").symlink_to(tmp_path / "nowhere.pdf")
    (tmp_path / "loop.pdf").symlink_to(tmp_path / "loop.pdf")
    try:
        proc = run_cli([".", "-f", "json", "--no-cache", "--timeout", "30"], tmp_path, timeout=90)
    finally:
        sock.close()
    docs = _docs(proc)
    assert proc.returncode == 2  # files that could not be checked
    assert docs["good.txt"]["status"] == "checked"
    assert docs["fifo.pdf"]["error"]["code"] == "not_a_file" and "FIFO" in docs["fifo.pdf"]["error"]["message"]
    assert docs["sock.pdf"]["error"]["code"] == "not_a_file"
    assert docs["dangling.pdf"]["error"]["code"] == "unreadable"
    assert docs["loop.pdf"]["error"]["code"] == "unreadable"


def test_a_fifo_named_explicitly_is_refused_at_once(tmp_path):
    os.mkfifo(tmp_path / "x.pdf")
    proc = run_cli(["x.pdf", "--no-cache", "--lang", "en"], tmp_path, timeout=60)
    assert proc.returncode == 2 and "not a regular file" in proc.stdout


@pytest.mark.parametrize(("name", "content", "code", "words"), [
    ("page.pdf", "<!DOCTYPE html><html><body>502 Bad Gateway</body></html>", "not_a_pdf", "HTML page"),
    ("blank.txt", " \n\t\u200b \f \n", "empty_file", "whitespace"),
    ("empty.md", "", "empty_file", "empty"),
])
def test_files_that_are_not_filings_are_errors(tmp_path, name, content, code, words):
    (tmp_path / name).write_text(content, encoding="utf-8")
    proc = run_cli([name, "-f", "json", "--no-cache"], tmp_path)
    doc = _docs(proc)[name]
    assert proc.returncode == 2
    assert doc["status"] == "error" and doc["error"]["code"] == code and words in doc["error"]["message"]


def test_garbage_text_is_out_of_scope_never_clean(tmp_path):
    (tmp_path / "notes.txt").write_text("lorem ipsum dolor\fsit amet 12345\f", encoding="utf-8")
    proc = run_cli(["notes.txt", "-f", "json", "--no-cache"], tmp_path)
    doc = _docs(proc)["notes.txt"]
    by_rule = {f["rule_id"]: f for f in doc["findings"]}
    assert by_rule["STAR-DOC-001"]["status"] == "fail" and by_rule["STAR-DOC-001"]["severity"] == "error"
    assert not [f for f in doc["findings"] if f["status"] == "pass"]
    assert proc.returncode == 1


def test_invisible_characters_do_not_hide_the_board(tmp_path):
    text = ("上海示例科技股份有限公司\n首次公开发行股票并在科\u200b创\u2060板上市招股说明书\n\f"
            "第二节 概览\n本次发行拟在科\ufeff创\u00ad板上市。\n")
    (tmp_path / "zw.txt").write_text(text, encoding="utf-8")
    proc = run_cli(["zw.txt", "-f", "json", "--no-cache"], tmp_path)
    doc = _docs(proc)["zw.txt"]
    facts = {f["path"]: f["value"] for f in doc["facts"]}
    assert facts["document.board"] == "star"


def test_writes_that_cannot_happen_exit_2_without_traceback(tmp_path, filing):
    (tmp_path / "out").mkdir()
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    for target in ("out", "afile/report.json"):
        proc = run_cli([filing.name, "-f", "json", "-o", target, "--no-cache"], tmp_path)
        assert proc.returncode == 2, target
        assert "Traceback" not in proc.stderr and "cannot write" in proc.stderr
    proc = run_cli([filing.name, "--output-dir", "afile", "-f", "json", "--no-cache"], tmp_path)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr


def test_output_through_a_symlink_lands_where_it_points(tmp_path, filing):
    (tmp_path / "shared").mkdir()
    (tmp_path / "report.json").symlink_to(tmp_path / "shared" / "report.json")
    run_cli([filing.name, "-f", "json", "-o", "report.json", "--no-cache"], tmp_path)
    assert (tmp_path / "report.json").is_symlink()
    assert json.loads((tmp_path / "shared" / "report.json").read_text(encoding="utf-8"))["documents"]
