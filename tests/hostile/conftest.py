"""Shared pieces of the hostile-input suite: every input is generated at run time in tmp_path."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

FILING = ("上海示例科技股份有限公司\n首次公开发行股票并在科创板上市招股说明书\n\f"
          "第一节 释义\n本招股说明书中，除非文义另有所指，下列简称具有如下含义。\n\f"
          "第二节 概览\n发行人选择的具体上市标准\n公司选择《上海证券交易所科创板股票上市规则》"
          "第2.1.2条第一款第（四）项上市标准。\n")


def run_cli(args: list[str], cwd: Path, timeout: float = 120, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """starcheck in a fresh process (what a CI job runs), with a hard outer timeout."""
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PYTHONPATH": str(ROOT), "HOME": str(cwd),
           "STARCHECK_CACHE_DIR": str(cwd / ".cache")}
    return subprocess.run([sys.executable, "-m", "checker", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=timeout, env=env, input=stdin)


@pytest.fixture
def filing(tmp_path: Path) -> Path:
    p = tmp_path / "good.txt"
    p.write_text(FILING, encoding="utf-8")
    return p
