"""Compiled regular expressions kept between runs, as Python keeps the bytecode it compiled.

A check compiles about 900 regular expressions (the extractors' lexicons, the document model's patterns,
the heading lexicon's alternations): a quarter of a second of every cold run, spent in ``re``'s parser and
code generator, which are written in Python, and the same on every run of an installed version. So the
entry point (checker/__main__.py) lets ``re``'s compiler take a pattern's program from a table that
earlier runs recorded: the opcodes ``re`` generated for it, with its flags, groups and group names, handed
to ``_sre.compile``, the call that ``re``'s own compiler ends with. A pattern the table lacks is compiled
as always and recorded; the process that checked a filing adds what it recorded to the table when it is
done (the side-extractor process sends its own back: checker/facts/run.py).

- The result is the pattern ``re`` builds: the same call with the same arguments (tests compare every
  recorded program with ``re``'s, and the matches of the extractors on a real filing).
- Nothing read back can do harm: the table is JSON (never pickle) in ``<cache>/regex/<key>.json`` with the
  hash of its payload; the key covers the Python build (implementation, version, ``_sre.MAGIC`` and
  ``CODESIZE``), so another Python never reads it; and ``_sre.compile`` validates the program it is given
  (a bad one raises, and the pattern is then compiled as always).
- Kept: the checker's own ``str`` patterns (compiled from its code; not the DEBUG flag) and other
  libraries' module-level ones (compiled as a module is imported: constants of its source; a pattern
  another library builds as it runs may differ from run to run, as tokenize's does, and is left out).
  At most MAX_ENTRIES (those of the last run first: a pattern made from a filing's own words does not
  pile up).
- Two sections, two files: what a run compiles before any filing is read (the command line's imports:
  all a filing the cache serves needs, a few KB) and what reading a filing compiles (the lexicons:
  most of the table). A process reads the second only when it starts reading a filing
  (:func:`begin_work`) or when a pattern is missing from the first.
  A CPython whose internals differ from what is used here (``re._parser.parse``, ``re._compiler._code``)
  is left alone.
- ``--no-cache`` does not turn it off: like the rule pack cache, it depends only on the installed code,
  never on a filing.
"""

from __future__ import annotations

import array
import base64
import json
import os
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

FORMAT = 3  # 2: code words packed (base64), unpacked when used; 3: start and work sections
MAX_ENTRIES = 6000  # per section
START, WORK = "start", "work"  # before a filing is read / while reading one

# (pattern, flags) -> (final flags, code, groups, groupindex, indexgroup)
Entry = tuple[int, list[int], int, dict[str, int], list[Any]]
# as read: (pattern, flags) -> the row on disk, its code packed (base64 of the code words), unpacked and
# checked only when the pattern is compiled (a run compiles a few of the table's patterns, or all)
_TABLE: dict[tuple[str, int], list[Any]] = {}
_NEW: dict[tuple[str, int], Entry] = {}  # compiled here, not read from the table
_USED: set[tuple[str, int]] = set()  # read from the table by this run
_SECTION: dict[tuple[str, int], str] = {}  # section of what this run compiled or read: where it first did
_IN: dict[str, set[tuple[str, int]]] = {"start": set(), "work": set()}  # rows each section's file holds
_STATE: dict[str, Any] = {"original": None, "key": None, "phase": START, "loaded": frozenset(),
                          "start_rows": 0}
_WORD = "I"  # array type of one code word (checked against _sre.CODESIZE)


_HERE = os.path.dirname(__file__) + os.sep  # the checker package
_RE_DIR = os.path.dirname(re.__file__) + os.sep


def _recordable() -> bool:
    """Whether the pattern being compiled is kept: the first caller outside ``re`` (and this module) is
    checker code, or another module's top level (a module being imported: its source's constant)."""
    frame = sys._getframe(2)
    while frame is not None:
        name = frame.f_code.co_filename
        if not name.startswith(_RE_DIR) and name != __file__:
            return name.startswith(_HERE) or frame.f_code.co_name == "<module>"
        frame = frame.f_back  # type: ignore[assignment]
    return False


def _key() -> str | None:
    try:
        import hashlib
        from importlib import import_module

        sre = import_module("_sre")
        ident = f"{FORMAT}\0{sys.implementation.name}\0{sys.version}\0{sre.MAGIC}\0{sre.CODESIZE}"
    except (ImportError, AttributeError):
        return None
    return hashlib.sha256(ident.encode()).hexdigest()


def enable() -> bool:
    """Serve ``re``'s compiles from the recorded table in this process and the ones forked from it, and
    record what is compiled anew; False (and nothing changed) where this Python's ``re`` is not the one
    this was written for."""
    if _STATE["original"] is not None:
        return True
    try:
        from importlib import import_module

        compiler: Any = import_module("re._compiler")
        parser: Any = import_module("re._parser")
        original, code_of, parse = compiler.compile, compiler._code, parser.parse
        sre_compile = import_module("_sre").compile
    except (ImportError, AttributeError):
        return False
    if sys.implementation.name != "cpython":
        return False
    key = _key()
    if key is None or array.array(_WORD).itemsize != getattr(import_module("_sre"), "CODESIZE", 0):
        return False
    debug = getattr(compiler, "SRE_FLAG_DEBUG", 128)

    def build(p: str, flags: int) -> Any:
        parsed = parse(p, flags)
        code = code_of(parsed, flags)
        groupindex = dict(parsed.state.groupdict)
        indexgroup: list[Any] = [None] * parsed.state.groups
        for name, i in groupindex.items():
            indexgroup[i] = name
        final = int(flags | parsed.state.flags)
        entry: Entry = (final, list(code), parsed.state.groups - 1, groupindex, indexgroup)
        pattern = sre_compile(p, entry[0], entry[1], entry[2], entry[3], tuple(entry[4]))
        if _recordable():
            _NEW[(p, int(flags))] = entry
            _SECTION.setdefault((p, int(flags)), _STATE["phase"])
        return pattern

    def compile_(p: Any, flags: Any = 0) -> Any:
        if not isinstance(p, str) or not isinstance(flags, int) or flags & debug:
            return original(p, flags)
        k = (p, int(flags))
        row = _TABLE.get(k)
        if row is None and WORK not in _STATE["loaded"] and _recordable():
            _load(WORK)  # not among what runs compile before reading a filing: perhaps read later
            row = _TABLE.get(k)
        if row is not None:
            try:
                entry = _unpack(row)
                pattern = sre_compile(p, entry[0], entry[1], entry[2], entry[3], tuple(entry[4]))
                _USED.add(k)
                _SECTION.setdefault(k, _STATE["phase"])
                return pattern
            except Exception:  # noqa: BLE001 - a row or program _sre refuses: compiled as always below
                _TABLE.pop(k, None)
        try:
            return build(p, flags)
        except Exception:  # noqa: BLE001 - re's own error (a bad pattern) is raised by re itself
            return original(p, flags)

    if not _probe(build, original):
        return False
    _STATE["key"] = key
    _STATE["phase"], _STATE["loaded"] = START, frozenset()
    _load(START)
    _NEW.clear()
    compiler.compile = compile_
    _STATE["original"] = original
    return True


_PROBE = r"(?i)(?P<year>\d{4})年(?:度)?\s*([一二三])、(?=x)|\bend\Z"
_PROBE_TEXTS = ("2023年度 二、x", "THE END", "nothing")


def _probe(build: Any, original: Any) -> bool:
    """Whether a program built here gives the pattern ``re`` gives (groups, flags, matches)."""
    try:
        mine, theirs = build(_PROBE, 0), original(_PROBE, 0)
    except Exception:  # noqa: BLE001 - internals not as expected
        return False
    finally:
        _NEW.clear()
        _SECTION.clear()

    def shape(p: Any) -> tuple[Any, ...]:
        found = [p.search(t) for t in _PROBE_TEXTS]
        return p.flags, p.groups, p.groupindex, [m and (m.span(), m.groups()) for m in found]

    return shape(mine) == shape(theirs)


def disable() -> None:
    """Give ``re`` its own compiler back (tests)."""
    original = _STATE["original"]
    if original is not None:
        from importlib import import_module

        compiler: Any = import_module("re._compiler")
        compiler.compile = original
        _STATE["original"] = None
    _STATE["phase"], _STATE["loaded"] = START, frozenset()
    _TABLE.clear()
    _NEW.clear()
    _USED.clear()
    _SECTION.clear()
    for rows in _IN.values():
        rows.clear()


def _pack(code: list[int]) -> str:
    return base64.b64encode(array.array(_WORD, code).tobytes()).decode("ascii")


def _unpack(row: list[Any]) -> Entry:
    """The entry of a row read from disk (ValueError / TypeError for one that is not well formed)."""
    final, code, groups, groupindex, indexgroup = row[2:]
    if not (isinstance(final, int) and isinstance(code, str) and isinstance(groups, int)
            and isinstance(groupindex, dict) and isinstance(indexgroup, list)):
        raise TypeError("not a table row")
    words = array.array(_WORD)
    words.frombytes(base64.b64decode(code, validate=True))
    return final, words.tolist(), groups, groupindex, indexgroup


def _file_key(key: str, section: str) -> str:
    return key if section == START else f"{key}-{section}"


def _read(key: str, section: str = START) -> dict[tuple[str, int], list[Any]]:
    from checker.cachefs import read_keyed

    body = read_keyed("regex", _file_key(key, section), FORMAT)
    if not isinstance(body, list):
        return {}
    return {(row[0], row[1]): row for row in body
            if isinstance(row, list) and len(row) == 7 and isinstance(row[0], str)
            and isinstance(row[1], int)}


def _load(section: str) -> None:
    """Read a section of the table into this process's (once); what is held already stays."""
    key = _STATE["key"]
    if key is None or section in _STATE["loaded"]:
        return
    _STATE["loaded"] = _STATE["loaded"] | {section}
    rows = _read(key, section)
    if section == START:
        _STATE["start_rows"] = len(rows)
    for k, row in rows.items():
        _TABLE.setdefault(k, row)
    _IN[section].update(rows)


@contextmanager
def working() -> Iterator[None]:
    """Within this block the phase is the work section's (building the rule pack, which imports every
    extractor, is not what every run does before reading a filing); then back to what it was."""
    before = _STATE["phase"]
    begin_work()
    try:
        yield
    finally:
        _STATE["phase"] = before


def begin_work() -> None:
    """This process starts reading a filing: what it compiles from now on belongs to the work section,
    which is read now (the entry point's imports did not need it)."""
    if _STATE["original"] is None:
        return
    _STATE["phase"] = WORK
    _load(WORK)


def recorded() -> dict[tuple[str, int], Entry]:
    """What this process compiled anew (a forked process sends it to the one that saves)."""
    return dict(_NEW)


def adopt(entries: dict[tuple[str, int], Entry]) -> None:
    """Take what another process recorded (the side-extractor process), to be saved with this one's."""
    for k, v in entries.items():
        if k not in _TABLE:
            _NEW[k] = v
            _SECTION.setdefault(k, _STATE["phase"])


def save() -> None:
    """Add what this process compiled anew to the table on disk (atomically; entries of the last run
    first, at most MAX_ENTRIES a section), each in the section of the phase that first compiled or read
    it. A section is written when it gains an entry: one compiled anew, or one read from the other
    section's file (a pattern a later phase compiled before, or the other way round). The start section
    is also rewritten by a process that has read no filing and used less than half of it (what the
    first run, building the rule pack, compiled before reading is not every run's start). Nothing
    happens when nothing changed or the cache cannot be written."""
    key = _STATE["key"]
    if key is None:
        return
    for section in (START, WORK):
        new = [k for k in _NEW if _SECTION.get(k, WORK) == section]
        mine = [k for k in _USED if _SECTION.get(k) == section]
        moved = any(k not in _IN[section] for k in mine)
        compact = (section == START and _STATE["phase"] == START and START in _STATE["loaded"]
                   and 2 * len(mine) < _STATE["start_rows"])
        if new or moved or compact:
            _write(key, section, new, keep_others=not compact)
    _NEW.clear()


def _write(key: str, section: str, new: list[tuple[str, int]], keep_others: bool) -> None:
    from checker.cachefs import write_keyed

    rows: dict[tuple[str, int], list[Any]] = {}
    for k in new:
        final, code, groups, groupindex, indexgroup = _NEW[k]
        rows[k] = [k[0], k[1], final, _pack(code), groups, groupindex, indexgroup]
    for k in _USED:
        if k in _TABLE and _SECTION.get(k) == section:
            rows.setdefault(k, _TABLE[k])
    # what earlier runs and other processes wrote, while there is room (not what this run has put in the
    # other section)
    for k, row in (_read(key, section).items() if keep_others else ()):
        if len(rows) >= MAX_ENTRIES:
            break
        if _SECTION.get(k, section) == section:
            rows.setdefault(k, row)
    kept = list(rows.values())[:MAX_ENTRIES]
    write_keyed("regex", _file_key(key, section), FORMAT, json.dumps(kept, ensure_ascii=False))
    _TABLE.update(rows)
    _IN[section].clear()
    _IN[section].update((row[0], row[1]) for row in kept)
    if section == START:
        _STATE["start_rows"] = len(kept)
