"""pyproject.toml ships every rule family folder and every Python subpackage."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_rule_family_and_subpackage_is_packaged():
    cfg = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    packages = set(cfg["packages"])
    families = {p.name for p in (ROOT / "rules").iterdir() if p.is_dir() and not p.name.startswith((".", "_"))}
    assert {f"checker._rules.{f}" for f in families} <= packages
    assert all(f"checker._rules.{f}" in cfg["package-data"] for f in families)
    subpackages = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "checker").rglob("__init__.py")}
    assert subpackages <= packages
