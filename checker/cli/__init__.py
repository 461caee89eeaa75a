"""The `starcheck` command line (checker/cli/app.py)."""

import os

# starcheck's models are its own: no third-party pydantic plugin instruments them, and looking for one
# reads every installed distribution's metadata on each run (a user's explicit setting is kept).
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

from checker.cli.app import app, check_app, exit_code, main  # noqa: E402

__all__ = ["app", "check_app", "exit_code", "main"]
