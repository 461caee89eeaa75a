"""Settings that would do nothing are errors; outputs are safe to open; the cache cannot be
poisoned; every message names the file and says what to do (items 6, 7, 8, 9)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from checker.report.html import file_href
from tests.hostile.conftest import ROOT, run_cli


@pytest.mark.parametrize(("files", "args", "words"), [
    ({"starcheck.toml": '[rules.STAR-WVR-004]\nparams = { max_votes = "ten" }\n'}, [], "must be int"),
    ({"w.yaml": "waivers:\n  - rule: STAR-LS-0002\n    match: {page: 3}\n    reason: 已核实\n"}, ["--waivers", "w.yaml"],
     "unknown rule 'STAR-LS-0002' (did you mean STAR-LS-002?)"),
    ({"w.yaml": "waivers:\n  - rule: STAR-LS-002\n    rule: STAR-LS-001\n    match: {page: 3}\n    reason: 已核实身份\n"},
     ["--waivers", "w.yaml"], "duplicate key 'rule'"),
    ({"bl.csv": "name,type\n\"王\x00建华\",person\n"}, ["--blacklist", "bl.csv"], "control character"),
    ({"bl.yaml": "- {name: 王建华, type: person, name: 李四}\n"}, ["--blacklist", "bl.yaml"], "duplicate key"),
    ({"starcheck.toml": "lang = '中文'\n".encode("gbk")}, [], "not UTF-8"),
    ({"starcheck.toml": "a = " + "[" * 5000 + "]" * 5000 + "\n"}, [], "starcheck.toml"),
    ({"old.json": "[" * 100000 + "]" * 100000}, ["--baseline", "old.json"], "old.json"),
])
def test_settings_that_do_nothing_or_cannot_be_read_are_errors(tmp_path, filing, files, args, words):
    for name, content in files.items():
        (tmp_path / name).write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    proc = run_cli([filing.name, "--no-cache", *args], tmp_path)
    assert proc.returncode == 2, proc.stdout[-500:]
    assert words in proc.stderr, proc.stderr[-800:]
    assert "Traceback" not in proc.stderr
    assert "--as-of" not in proc.stderr  # a bad config is not reported as a bad date


def test_bad_as_of_names_the_option(tmp_path, filing):
    proc = run_cli([filing.name, "--as-of", "2025-13-01"], tmp_path)
    assert proc.returncode == 2 and "--as-of '2025-13-01' is not a date" in proc.stderr


def test_file_names_never_become_script_links_or_terminal_escapes(tmp_path):
    assert not file_href("javascript:alert(1).pdf").startswith("javascript:")
    assert file_href("javascript:alert(1).pdf", 3).startswith("javascript%3Aalert")
    name = "evil\x1b[2J\x1b]0;pwned\x07.txt"
    (tmp_path / name).write_text("lorem\fipsum", encoding="utf-8")
    proc = run_cli([name, "--no-cache"], tmp_path)
    assert "\x1b" not in proc.stdout and "\x1b" not in proc.stderr and "\x07" not in proc.stdout


def test_an_edited_or_corrupt_cache_entry_is_never_served(tmp_path, filing):
    first = run_cli([filing.name, "-f", "json"], tmp_path)
    entries = list((tmp_path / ".cache").glob("*.json"))
    assert len(entries) == 1
    entry = json.loads(entries[0].read_text(encoding="utf-8"))
    payload = json.loads(entry["payload"])
    for f in payload["facts"]:
        if f["path"] == "document.board":
            f["value"] = "main"  # poison: a STAR filing made to look like a main-board one
    entry["payload"] = json.dumps(payload, ensure_ascii=False)
    entries[0].write_text(json.dumps(entry, ensure_ascii=False), encoding="utf-8")
    again = run_cli([filing.name, "-f", "json"], tmp_path)
    board = lambda p: {f["path"]: f["value"] for f in json.loads(p.stdout)["documents"][0]["facts"]}["document.board"]  # noqa: E731
    assert board(first) == board(again) == "star"
    entries[0].write_bytes(b"\x00garbage")
    assert board(run_cli([filing.name, "-f", "json"], tmp_path)) == "star"


def test_a_crash_in_a_one_job_run_loses_no_other_result(tmp_path, filing):
    code = (
        "import os, signal, sys\n"
        "from pathlib import Path\n"
        "import checker.pipeline as p\n"
        "real = p.extract_facts\n"
        "def crash(path, *a, **k):\n"
        "    if 'crash' in Path(path).name: os.kill(os.getpid(), signal.SIGSEGV)\n"
        "    return real(path, *a, **k)\n"
        "p.extract_facts = crash\n"
        "from checker.cli import main\n"
        "sys.argv = ['starcheck', 'good.txt', 'crash.txt', 'other.txt', '-j', '1', '-f', 'json', '--no-cache']\n"
        "main()\n")
    for name in ("crash.txt", "other.txt"):
        (tmp_path / name).write_text(filing.read_text(encoding="utf-8"), encoding="utf-8")
    proc = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=180,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    docs = {Path(d["path"]).name: d for d in json.loads(proc.stdout)["documents"]}
    assert docs["crash.txt"]["error"]["code"] == "worker_crashed"
    assert docs["good.txt"]["status"] == docs["other.txt"]["status"] == "checked"
    assert proc.returncode == 2


def test_sigterm_stops_the_run_and_its_workers_promptly(tmp_path, filing):
    code = (
        "import sys, time\n"
        "import checker.pipeline as p\n"
        "def slow(*a, **k): time.sleep(600)\n"
        "p.extract_facts = slow\n"
        "from checker.cli import main\n"
        "sys.argv = ['starcheck', 'good.txt', 'b.txt', '-j', '2', '--no-cache', '-q']\n"
        "main()\n")
    (tmp_path / "b.txt").write_text(filing.read_text(encoding="utf-8"), encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(ROOT)},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    time.sleep(6)  # the workers are busy
    children = _children(proc.pid)
    assert children, "the run should have started workers"
    proc.send_signal(signal.SIGTERM)
    proc.communicate(timeout=20)  # returns: the pipes were closed by everyone
    assert proc.returncode != 0
    time.sleep(1)
    assert not [c for c in children if _alive(c)], "workers outlived the run"


def _children(pid: int) -> list[int]:
    out = []
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                fields = (d / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                out.append(int(d.name))
    return out


def _alive(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"
