"""The `starcheck` command line: one Typer app.

    starcheck [check] PATH...     check filings (the default command: `starcheck filing.pdf` works)
    starcheck facts FILE          the facts of one filing, with evidence (--registry: every fact path)
    starcheck rules list|show|docs
    starcheck diff OLD NEW        findings new / fixed / unchanged between two drafts
    starcheck accuracy            extraction accuracy on the labelled real documents
    starcheck benchmark           the real-filing benchmark (docs/real-filings.md)

Exit codes (design.md section 6): 0 nothing at or above --fail-on, 1 failing findings,
2 usage error or a file that could not be checked (the others are still checked and reported).
"""

from __future__ import annotations

import sys

import typer

from checker.cli.check import check, check_app
from checker.cli.common import EXAMPLES, exit_code
from checker.cli.tools import accuracy, benchmark, diff, facts, rules_app, schema

app = typer.Typer(add_completion=True, rich_markup_mode=None, no_args_is_help=True, epilog=EXAMPLES,
                  help="starcheck: compliance and risk-disclosure checks of STAR Market (科创板) filings.")
app.command("check", epilog=EXAMPLES)(check)
app.command("facts")(facts)
app.add_typer(rules_app, name="rules")
app.command("diff")(diff)
app.command("accuracy")(accuracy)
app.command("benchmark")(benchmark)
app.command("schema")(schema)

_GLOBAL = {"--help", "-h", "--install-completion", "--show-completion"}


def _stop(signum: int, frame: object) -> None:
    """SIGTERM (a CI job timeout): unwind like Ctrl-C, so the batch kills its workers and exits."""
    raise SystemExit(128 + signum)


def main(argv: list[str] | None = None) -> None:
    """Entry point. A first argument that is not a subcommand is a filing: `check` is the default."""
    import signal

    signal.signal(signal.SIGTERM, _stop)
    args = list(sys.argv[1:] if argv is None else argv)
    commands = {c.name for c in app.registered_commands} | {g.name for g in app.registered_groups}
    if args and args[0] not in commands and args[0] not in _GLOBAL:
        args = ["check", *args]
    if args and args[0] == "check":  # the command alone: the others' click commands are not built
        check_app(args=args[1:], prog_name="starcheck check")
        return
    app(args=args, prog_name="starcheck")


__all__ = ["app", "check_app", "exit_code", "main"]
