"""Compiled durable rules waiting to be read: what the rule pack cache (checker/engine/pack.py) hands
the engine (checker/engine/durable_engine.py) without importing it. A run whose findings are cached
never imports the engine, and the engine takes these when it first looks a rule up."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

# JSON text (spec key -> durable rules), or a function that reads it (None when it cannot)
SEEDED: list[str | Callable[[], Any]] = []


def seed_compiled(entries: str | Callable[[], Any]) -> None:
    """Take compiled rules from the pack cache, to be read when a rule is first looked up."""
    SEEDED.append(entries)
