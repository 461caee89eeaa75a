"""Compiled regular expressions read back from earlier runs (checker/recache.py): the same patterns as
``re`` builds, nothing harmful served, and the same facts on a real filing."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from checker import recache
from checker.cachefs import cache_dir, write_keyed
from tests.realdata import REALDATA

ROOT = Path(__file__).resolve().parents[1]
PATTERNS = [  # what the checker's patterns use: named groups, lookarounds, classes, flags, CJK
    (r"(?P<year>\d{4})年(?:度)?", 0), (r"(?<![\d.])\d{1,3}(?:,\d{3})+(?:\.\d+)?(?!\d)", 0),
    (r"^第\s*([一二三四五六七八九十]+)\s*[节章]\s*(.*)$", re.M), (r"risk\s+factors", re.I),
    (r"[□√■☑☐✓✔]", 0), (r"(?:发行人|公司)?(?:律师事务所|律师)(?!事务所)", 0), (r"\bend\Z", re.I | re.S),
]
TEXTS = ["2023年度营业收入1,234,567.89万元", "第 三 节 风险因素", "Risk  Factors", "☑ 是 □ 否",
         "发行人律师事务所：北京", "the END", "无"]


@pytest.fixture
def table(tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("STARCHECK_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(recache, "_HERE", str(ROOT) + os.sep)  # this file's patterns count as the checker's
    recache.disable()
    yield tmp_path / "cache" / "regex"
    recache.disable()


def _compile_ours(patterns):  # type: ignore[no-untyped-def]
    """Compile them afresh (not from re's own cache of compiled patterns)."""
    re.purge()
    return [re.compile(p, f) for p, f in patterns]


def _same(a: re.Pattern[str], b: re.Pattern[str]) -> None:
    assert (a.pattern, a.flags, a.groups, a.groupindex) == (b.pattern, b.flags, b.groups, b.groupindex)
    for t in TEXTS:
        assert [m.span() for m in a.finditer(t)] == [m.span() for m in b.finditer(t)]
        assert [m.groups() for m in a.finditer(t)] == [m.groups() for m in b.finditer(t)]


def test_patterns_read_back_are_the_ones_re_builds(table):
    plain = _compile_ours(PATTERNS)  # re's own compiler
    assert recache.enable()
    first = _compile_ours(PATTERNS)
    assert set(recache.recorded()) >= {(p, int(f)) for p, f in PATTERNS}
    recache.save()
    assert list(table.glob("*.json"))
    recache.disable()
    assert recache.enable()
    served = _compile_ours(PATTERNS)
    assert not recache.recorded(), "a pattern in the table was compiled again"
    assert {(p, int(f)) for p, f in PATTERNS} <= recache._USED
    for a, b, c in zip(plain, first, served, strict=True):
        _same(a, b)
        _same(a, c)
    # each recorded program is the one re's code generator gives
    import re._compiler as compiler
    import re._parser as parser

    assert recache._TABLE
    for (p, f), row in recache._TABLE.items():
        final, code, groups, groupindex, _ = recache._unpack(row)
        parsed = parser.parse(p, f)
        assert list(compiler._code(parsed, f)) == code and final == f | parsed.state.flags
        assert groups == parsed.state.groups - 1 and groupindex == dict(parsed.state.groupdict)


def test_a_bad_table_is_never_served(table):
    assert recache.enable()
    _compile_ours(PATTERNS)
    recache.save()
    entry = next(table.glob("*.json"))
    key = entry.stem
    # an edited entry: its payload hash no longer matches, so the table is not read
    data = json.loads(entry.read_text(encoding="utf-8"))
    data["payload"] = data["payload"].replace('"(?P<year>', '"(?P<yr>')
    entry.write_text(json.dumps(data), encoding="utf-8")
    recache.disable()
    assert recache.enable() and not recache._TABLE
    # a program _sre refuses, under a valid hash: the pattern is compiled by re as always
    recache.disable()
    p, f = PATTERNS[0]
    bad = [[p, f, 32, recache._pack([1, 2, 3, 999999]), 1, {"year": 1}, [None, "year"]],
           [r"\d+年", 0, 32, "not base64!", 0, {}, [None]], "not a row"]
    write_keyed("regex", key, recache.FORMAT, json.dumps(bad))
    assert recache.enable() and (p, f) in recache._TABLE
    got = _compile_ours([(p, f), (r"\d+年", 0)])
    assert got[0].search("2024年度").group("year") == "2024" and got[1].search("x12年").group() == "12年"
    assert (p, f) not in recache._TABLE and (p, f) in recache.recorded()
    assert (r"\d+年", 0) in recache.recorded()


def test_other_libraries_runtime_patterns_are_not_recorded(table, monkeypatch):
    import fnmatch

    assert recache.enable()
    judged: list[bool] = []
    real_ours = recache._recordable
    monkeypatch.setattr(recache, "_recordable", lambda: judged.append(real_ours()) or judged[-1])
    re.purge()
    glob = "starcheck-recache-*.[0-9]"
    assert fnmatch.fnmatch("starcheck-recache-x.7", glob)  # fnmatch compiles its translation (stdlib code)
    assert judged and not any(judged), "a stdlib pattern went through the compiler and counted as ours"
    assert all(p != fnmatch.translate(glob) for p, _ in recache.recorded())
    _compile_ours(PATTERNS[:1])
    assert judged[-1] is True and (PATTERNS[0][0], 0) in recache.recorded()
    assert cache_dir() == table.parent


REAL_PDF = REALDATA / "A_pdf" / "寒武纪2025年年报.pdf"


@pytest.mark.skipif(not REAL_PDF.exists(), reason="real data not available")
def test_a_real_filing_gives_the_same_report_with_the_table(tmp_path):
    """The first run records the table, the second reads it back (its facts extracted again: --no-cache
    leaves the table on); both reports equal a run in which re compiles everything itself."""
    reports = []
    for run, table_dir in (("plain", "none"), ("records", "t"), ("reads", "t")):
        out = tmp_path / f"{run}.json"
        env = dict(os.environ, STARCHECK_CACHE_DIR=str(tmp_path / table_dir), PYTHONPATH=str(ROOT))
        code = ("import sys; from checker import recache; recache.enable = lambda: False; "
                "from checker.__main__ import main; main()") if run == "plain" else None
        cmd = ([sys.executable, "-c", code] if code else [sys.executable, "-m", "checker"]) + [
            str(REAL_PDF), "-f", "json", "-o", str(out), "-q", "--no-cache"]
        done = subprocess.run(cmd, env=env, cwd=tmp_path, capture_output=True, text=True, timeout=300)
        assert done.returncode in (0, 1), done.stderr[-2000:]
        report = json.loads(out.read_text(encoding="utf-8"))
        report.pop("generated_at")
        reports.append(report)
        if run == "records":
            assert list((tmp_path / "t" / "regex").glob("*.json")), "no table was written"
    assert not (tmp_path / "none" / "regex").exists()
    assert reports[0] == reports[1] == reports[2]


def test_another_modules_top_level_patterns_are_recorded_its_runtime_ones_not(table, tmp_path, monkeypatch):
    """A module's top level compiles constants of its source (kept); what it compiles as it runs may be
    built from a set, so differ from run to run (tokenize's), and is left out."""
    import importlib

    (tmp_path / "libsite").mkdir()
    (tmp_path / "libsite" / "someone_elses.py").write_text(
        "import re\nAT_IMPORT = re.compile(r'someone(?:else)+s')\n"
        "def later(words):\n    return re.compile('|'.join(sorted(words)))\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path / "libsite"))
    assert recache.enable()
    re.purge()
    mod = importlib.import_module("someone_elses")
    mod.later({"abc", "abd"})
    keys = set(recache.recorded())
    assert (r"someone(?:else)+s", 0) in keys and ("abc|abd", 0) not in keys


def test_a_run_before_any_filing_reads_only_the_start_section(table):
    """What is compiled before begin_work() goes to the start file, what after to the work file; the
    next process reads the start file alone until it begins reading a filing (or misses a pattern)."""
    early, late = PATTERNS[:3], PATTERNS[3:]
    assert recache.enable()
    _compile_ours(early)
    recache.begin_work()
    _compile_ours(late)
    recache.save()
    assert sorted(f.name.endswith("-work.json") for f in table.glob("*.json")) == [False, True]
    recache.disable()
    assert recache.enable()
    assert set(recache._TABLE) == {(p, int(f)) for p, f in early}, "the work section was read at start"
    _compile_ours(early)
    assert recache.START in recache._STATE["loaded"] and recache.WORK not in recache._STATE["loaded"]
    assert not recache.recorded()
    recache.begin_work()
    assert {(p, int(f)) for p, f in late} <= set(recache._TABLE)
    _compile_ours(late)
    assert not recache.recorded()


def test_a_pattern_now_compiled_before_any_filing_moves_to_the_start_section(table):
    moving = PATTERNS[4:5]
    assert recache.enable()
    recache.begin_work()
    _compile_ours(moving)
    recache.save()
    recache.disable()
    assert recache.enable()
    _compile_ours(moving)  # a miss in the start section: the work section is read, the row served
    assert not recache.recorded() and recache.WORK in recache._STATE["loaded"]
    recache.save()
    recache.disable()
    assert recache.enable()
    assert (moving[0][0], int(moving[0][1])) in recache._TABLE
    assert recache.WORK not in recache._STATE["loaded"]


def test_a_start_section_mostly_unused_is_cut_to_what_a_run_uses(table):
    """A first run compiles more before reading a filing than later ones do: a run that has read no
    filing and used less than half of the start section rewrites it with what it used."""
    assert recache.enable()
    _compile_ours(PATTERNS)
    recache.save()
    recache.disable()
    assert recache.enable()
    _compile_ours(PATTERNS[:2])
    recache.save()
    recache.disable()
    assert recache.enable()
    assert set(recache._TABLE) == {(p, int(f)) for p, f in PATTERNS[:2]}


def test_building_the_rule_pack_is_work_not_start(table):
    assert recache.enable()
    with recache.working():
        _compile_ours(PATTERNS[:1])
        assert recache._STATE["phase"] == recache.WORK
    assert recache._STATE["phase"] == recache.START
    _compile_ours(PATTERNS[1:2])
    assert recache._SECTION[(PATTERNS[0][0], 0)] == recache.WORK
    assert recache._SECTION[(PATTERNS[1][0], int(PATTERNS[1][1]))] == recache.START
