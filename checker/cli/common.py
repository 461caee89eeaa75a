"""Shared pieces of the `starcheck` command line: option enums, exit codes, errors.

    starcheck PATH...            check filings (files, or folders searched for filings)
    starcheck rules list|show    the rules
    starcheck facts FILE         the facts extracted from one filing, with evidence

Exit codes (design.md section 6): 0 nothing at or above --fail-on, 1 failing findings,
2 usage error or a file that could not be checked (the others are still checked and reported).
"""

from __future__ import annotations

from enum import Enum
from typing import NoReturn

import typer

from checker import __version__
from checker.findings import CheckReport

EXAMPLES = """Examples:

\b
  starcheck filing.pdf                          terminal summary of one filing
  starcheck filings/ -f json -o report.json     JSON report of a folder
  starcheck filing.pdf -f html -o report.html --lang en
  starcheck filings/ -f html -f sarif -f junit --output-dir out/
  starcheck filings/ --fail-on warning          fail CI on warnings too
  starcheck filing.pdf --blacklist banned.csv   screen every named party
  starcheck facts filing.pdf                    extracted facts with evidence
  starcheck rules list | show ID | docs
  starcheck diff 申报稿.pdf 注册稿.pdf            what changed between drafts
"""


class Fmt(str, Enum):
    text = "text"
    json = "json"
    html = "html"
    sarif = "sarif"
    junit = "junit"
    markdown = "markdown"
    csv = "csv"
    github = "github"
    gitlab = "gitlab"


class Lang(str, Enum):
    zh = "zh"
    en = "en"


class FailOn(str, Enum):
    error = "error"
    warning = "warning"
    never = "never"


def _version(value: bool) -> None:
    if value:
        typer.echo(f"starcheck {__version__}")
        raise typer.Exit(0)


def _die(msg: str) -> NoReturn:
    import re

    msg = re.sub(r"[\x00-\x1f\x7f-\x9f]", "", msg)  # a file name must not drive the terminal
    typer.secho(f"starcheck: {msg}", err=True, fg=typer.colors.RED)
    raise typer.Exit(2)


def exit_code(report: CheckReport, fail_on: str, fail_on_review: bool = True) -> int:
    """0, 1 or 2 from a finished report (design.md section 6; checker/gate.py)."""
    from checker.gate import Gate

    return Gate(fail_on, fail_on_review).exit_code(report)


