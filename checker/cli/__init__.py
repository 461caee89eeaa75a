"""The `starcheck` command line (checker/cli/app.py)."""

from checker.cli.app import app, check_app, exit_code, main

__all__ = ["app", "check_app", "exit_code", "main"]
