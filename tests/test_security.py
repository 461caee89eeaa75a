"""No network at run time, safe YAML, deterministic output, atomic writes."""

from __future__ import annotations

import json
import os
import socket

import pytest
from typer.testing import CliRunner

from checker.cli import check_app
from checker.errors import RuleFileError
from checker.io import OutputError, write_atomic
from checker.ruleset.loader import load_rule_file
from checker.waivers import WaiverError, load_waivers

from tests.realdata import REALDATA

REAL_PDF = REALDATA / "A_pdf" / "寒武纪2025年年报.pdf"
needs_real = pytest.mark.skipif(not REAL_PDF.exists(), reason="../shared/realdata not present")


@pytest.fixture
def no_network(monkeypatch):
    def refuse(*a, **k):
        raise AssertionError("starcheck tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


@needs_real
@pytest.mark.parametrize("fmt", ["json", "text", "html"])
def test_no_network_use(no_network, tmp_path, monkeypatch, fmt):
    monkeypatch.setenv("STARCHECK_CACHE_DIR", str(tmp_path / "cache"))
    out = tmp_path / f"r.{fmt}"
    res = CliRunner().invoke(check_app, [str(REAL_PDF), "-f", fmt, "-o", str(out), "--jobs", "1"])
    assert res.exit_code in (0, 1), res.output
    assert out.stat().st_size > 0


@needs_real
def test_output_is_deterministic_but_for_the_timestamp(tmp_path, monkeypatch):
    outs = []
    for i in range(2):
        monkeypatch.setenv("STARCHECK_CACHE_DIR", str(tmp_path / f"cache{i}"))  # cold both times
        out = tmp_path / f"r{i}.json"
        CliRunner().invoke(check_app, [str(REAL_PDF), "-f", "json", "-o", str(out)])
        data = json.loads(out.read_text(encoding="utf-8"))
        data.pop("generated_at")
        outs.append(data)
    assert outs[0] == outs[1]


def test_rule_yaml_is_loaded_safely(tmp_path):
    evil = tmp_path / "STAR-LS-900.yaml"
    marker = tmp_path / "pwned"
    evil.write_text(f"id: !!python/object/apply:os.system ['touch {marker}']\n", encoding="utf-8")
    with pytest.raises(RuleFileError):
        load_rule_file(evil)
    assert not marker.exists()


def test_waiver_yaml_is_loaded_safely(tmp_path):
    evil = tmp_path / "w.yaml"
    marker = tmp_path / "pwned"
    evil.write_text(f"waivers: !!python/object/apply:os.system ['touch {marker}']\n", encoding="utf-8")
    with pytest.raises(WaiverError):
        load_waivers(evil)
    assert not marker.exists()


def test_atomic_write_leaves_old_file_intact_on_failure(tmp_path, monkeypatch):
    target = tmp_path / "report.json"
    target.write_text("old complete report", encoding="utf-8")

    def boom(*a, **k):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OutputError, match="cannot write"):  # a message for the CLI's exit 2, not a traceback
        write_atomic(target, "new report")
    assert target.read_text(encoding="utf-8") == "old complete report"
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]  # no temp file left behind


def test_atomic_write_honours_umask(tmp_path):
    target = tmp_path / "r.html"
    old = os.umask(0o022)
    try:
        write_atomic(target, "x")
    finally:
        os.umask(old)
    assert target.stat().st_mode & 0o777 == 0o644
