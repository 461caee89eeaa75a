"""Formatters: each turns a CheckReport into text. JSON is canonical (design.md section 6)."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

# format name -> (module, function). Imported lazily so a missing optional piece cannot break others.
FORMATTERS: dict[str, tuple[str, str]] = {
    "text": ("checker.report.text", "render_text"),
    "json": ("checker.report.jsonout", "render_json"),
    "html": ("checker.report.html", "render_html"),
    "sarif": ("checker.report.sarif", "render_sarif"),
    "junit": ("checker.report.junit", "render_junit"),
    "markdown": ("checker.report.markdown", "render_markdown"),
    "csv": ("checker.report.csv_out", "render_csv"),
    "github": ("checker.report.ci", "render_github"),
    "gitlab": ("checker.report.ci", "render_gitlab"),
}

EXTENSIONS = {"text": "txt", "json": "json", "html": "html", "sarif": "sarif", "junit": "xml",
              "markdown": "md", "csv": "csv", "github": "github.txt", "gitlab": "codequality.json"}


def get_formatter(name: str) -> Callable[..., str]:
    """The render function of a format."""
    module, func = FORMATTERS[name]
    return getattr(importlib.import_module(module), func)  # type: ignore[no-any-return]


def available() -> list[str]:
    """Format names."""
    return list(FORMATTERS)


def render(name: str, report: Any, **kwargs: Any) -> str:
    """Render report in format name."""
    return get_formatter(name)(report, **kwargs)
