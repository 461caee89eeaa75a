"""The shipped CI integrations work as written: the GitLab example, the GitHub composite action and
the pre-commit hook call options that exist and produce the files they upload."""

from __future__ import annotations

import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "sample-prospectus-zh.pdf"


def _starcheck(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "checker", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=600, env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "HOME": str(cwd)})


def _filings(tmp_path: Path) -> Path:
    (tmp_path / "filings").mkdir()
    shutil.copy(SAMPLE, tmp_path / "filings" / "sample.pdf")
    (tmp_path / "filings" / "README.md").write_text("# notes, not a filing\n", encoding="utf-8")
    return tmp_path


def test_gitlab_example_produces_the_reports_it_uploads(tmp_path):
    ci = yaml.safe_load((ROOT / "examples" / "gitlab-ci.yml").read_text(encoding="utf-8"))["starcheck"]
    (cmd,) = [c for c in ci["script"] if c.startswith("starcheck ")]
    proc = _starcheck(shlex.split(cmd)[1:] + ["--no-cache"], _filings(tmp_path))
    assert proc.returncode == 1, proc.stderr  # the sample has failing findings by design: the job fails
    reports = ci["artifacts"]["reports"]
    for key in ("codequality", "junit"):
        assert (tmp_path / reports[key]).is_file(), key
    assert "README.md" not in (tmp_path / reports["junit"]).read_text(encoding="utf-8")  # not a filing


def test_github_action_command_runs_with_its_options(tmp_path):
    action = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    run = next(s["run"] for s in action["runs"]["steps"] if s.get("id") == "check")
    flags = ["-f", "github", "-f", "sarif", "-f", "junit", "-f", "markdown", "-f", "html", "-f", "json",
             "--output-dir", "out", "--fail-on", "error", "--no-fail-on-review", "--no-cache"]
    assert all(f in run for f in ("-f github", "--output-dir", "--fail-on", "--no-fail-on-review", "--baseline"))
    proc = _starcheck(["filings/", *flags], _filings(tmp_path))
    assert proc.returncode == 1, proc.stderr
    annotations = (tmp_path / "out" / "starcheck.github.txt").read_text(encoding="utf-8")
    assert annotations.startswith("::") and "STAR-UNP-003" in annotations
    assert (tmp_path / "out" / "starcheck.md").is_file() and (tmp_path / "out" / "starcheck.sarif").is_file()


def test_pre_commit_hook_is_valid():
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hook["id"] == "starcheck" and hook["entry"] == "starcheck" and hook["language"] == "python"
    assert "pdf" in hook["files"]
