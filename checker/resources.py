"""Locate the rules/ and templates/ folders, installed (inside the package) or in a source tree."""

from __future__ import annotations

from pathlib import Path

_PKG = Path(__file__).resolve().parent


def _find(name: str) -> Path:
    # Installed wheel: rules/ and templates/ are shipped as checker/_rules and checker/_templates.
    installed = _PKG / f"_{name}"
    if installed.is_dir():
        return installed
    source = _PKG.parent / name  # source tree / editable install
    if source.is_dir():
        return source
    raise FileNotFoundError(f"starcheck data folder {name!r} not found (looked in {installed} and {source})")


def rules_dir() -> Path:
    """Folder holding the YAML rule files."""
    return _find("rules")


def templates_dir() -> Path:
    """Folder holding the jinja2 templates and the message catalogue."""
    return _find("templates")
