"""The CI gate from the command line (design.md section 6): needs_review gates unless
--no-fail-on-review; a run that checks nothing exits 2; folder scans take filings only; config
errors say where they come from."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from checker.cli import app

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "sample-prospectus-zh.pdf"
runner = CliRunner()


def _run(args, cwd: Path):
    import os

    old = os.getcwd()
    os.chdir(cwd)
    try:
        return runner.invoke(app, args)
    finally:
        os.chdir(old)


def test_needs_review_gates_unless_told_otherwise(tmp_path):
    shutil.copy(SAMPLE, tmp_path / "s.pdf")
    # On the sample STAR-KC-004 is needs_review (the filing does not settle it), error severity.
    r = _run(["check", "s.pdf", "--select", "STAR-KC-004", "--no-cache", "-f", "json"], tmp_path)
    assert r.exit_code == 1, r.output
    assert json.loads(r.stdout)["documents"][0]["findings"][0]["status"] == "needs_review"
    r = _run(["check", "s.pdf", "--select", "STAR-KC-004", "--no-cache", "--no-fail-on-review"], tmp_path)
    assert r.exit_code == 0, r.output
    (tmp_path / "starcheck.toml").write_text("fail_on_review = false\n", encoding="utf-8")
    r = _run(["check", "s.pdf", "--select", "STAR-KC-004", "--no-cache"], tmp_path)
    assert r.exit_code == 0, r.output


def test_a_run_that_checks_nothing_exits_2(tmp_path):
    shutil.copy(SAMPLE, tmp_path / "s.pdf")
    r = _run(["check", "s.pdf", "--select", "DS", "--ignore", "DS", "--no-cache"], tmp_path)
    assert r.exit_code == 2 and "no rule selected" in r.output
    (tmp_path / "empty").mkdir()
    r = _run(["check", "empty"], tmp_path)
    assert r.exit_code == 2 and "nothing to check" in r.output


def test_folder_scan_takes_filings_not_project_files(tmp_path):
    (tmp_path / "filings").mkdir()
    shutil.copy(SAMPLE, tmp_path / "filings" / "a.pdf")
    (tmp_path / "filings" / "README.md").write_text("# starcheck\n\nnot a filing\n", encoding="utf-8")
    (tmp_path / "filings" / "notes.txt").write_text("reviewer notes\n", encoding="utf-8")
    (tmp_path / "filings" / "export.txt").write_text("第一页 科创板\f第二页\f第三页", encoding="utf-8")
    (tmp_path / "filings" / "drafts").mkdir()
    shutil.copy(SAMPLE, tmp_path / "filings" / "drafts" / "old.pdf")
    (tmp_path / "filings" / "ignored.pdf").write_bytes(SAMPLE.read_bytes())
    (tmp_path / ".gitignore").write_text("filings/ignored.pdf\n", encoding="utf-8")
    (tmp_path / ".git").mkdir()
    r = _run(["check", "filings", "--exclude", "drafts/*", "--no-cache", "-f", "json"], tmp_path)
    paths = sorted(Path(d["path"]).name for d in json.loads(r.stdout)["documents"])
    assert paths == ["a.pdf", "export.txt"], r.output


def test_broken_pyproject_is_an_error_naming_the_file_and_line(tmp_path):
    shutil.copy(SAMPLE, tmp_path / "s.pdf")
    (tmp_path / "pyproject.toml").write_text('[tool.starcheck]\nfail_on = "error\n', encoding="utf-8")
    r = _run(["check", "s.pdf", "--no-cache"], tmp_path)
    assert r.exit_code == 2
    assert "pyproject.toml" in r.output and "line 2" in r.output


def test_unknown_settings_say_where_and_suggest(tmp_path):
    shutil.copy(SAMPLE, tmp_path / "s.pdf")
    r = _run(["check", "s.pdf", "--select", "STAR-LS-02"], tmp_path)
    assert r.exit_code == 2 and "--select" in r.output and "did you mean STAR-LS-002?" in r.output
    (tmp_path / "starcheck.toml").write_text('ignore = ["STAR-DS-1"]\nfail_onn = "error"\n', encoding="utf-8")
    r = _run(["check", "s.pdf"], tmp_path)
    assert r.exit_code == 2 and "starcheck.toml" in r.output and "line 2" in r.output
    assert "did you mean fail_on?" in r.output
