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
- Only the checker's own ``str`` patterns are kept (compiled from its code; not the DEBUG flag), at most
  MAX_ENTRIES (those of the last run first: a pattern made from a filing's own words does not pile up).
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
from typing import Any

FORMAT = 2  # 2: code words packed (base64), unpacked when used
MAX_ENTRIES = 6000

# (pattern, flags) -> (final flags, code, groups, groupindex, indexgroup)
Entry = tuple[int, list[int], int, dict[str, int], list[Any]]
# as read: (pattern, flags) -> the row on disk, its code packed (base64 of the code words), unpacked and
# checked only when the pattern is compiled (a run compiles a few of the table's patterns, or all)
_TABLE: dict[tuple[str, int], list[Any]] = {}
_NEW: dict[tuple[str, int], Entry] = {}  # compiled here, not read from the table
_USED: set[tuple[str, int]] = set()  # read from the table by this run
_STATE: dict[str, Any] = {"original": None, "key": None}
_WORD = "I"  # array type of one code word (checked against _sre.CODESIZE)


_HERE = os.path.dirname(__file__) + os.sep  # the checker package
_RE_DIR = os.path.dirname(re.__file__) + os.sep


def _ours() -> bool:
    """Whether the pattern being compiled is the checker's: the first caller outside ``re`` (and this
    module) is checker code. Other libraries' patterns are left out (one, tokenize's, is built from a
    set and so differs from run to run)."""
    frame = sys._getframe(2)
    while frame is not None:
        name = frame.f_code.co_filename
        if not name.startswith(_RE_DIR) and name != __file__:
            return name.startswith(_HERE)
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
        if _ours():
            _NEW[(p, int(flags))] = entry
        return pattern

    def compile_(p: Any, flags: Any = 0) -> Any:
        if not isinstance(p, str) or not isinstance(flags, int) or flags & debug:
            return original(p, flags)
        k = (p, int(flags))
        row = _TABLE.get(k)
        if row is not None:
            try:
                entry = _unpack(row)
                pattern = sre_compile(p, entry[0], entry[1], entry[2], entry[3], tuple(entry[4]))
                _USED.add(k)
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
    _TABLE.update(_read(key))
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
    _TABLE.clear()
    _NEW.clear()
    _USED.clear()


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


def _read(key: str) -> dict[tuple[str, int], list[Any]]:
    from checker.cachefs import read_keyed

    body = read_keyed("regex", key, FORMAT)
    if not isinstance(body, list):
        return {}
    return {(row[0], row[1]): row for row in body
            if isinstance(row, list) and len(row) == 7 and isinstance(row[0], str) and isinstance(row[1], int)}


def recorded() -> dict[tuple[str, int], Entry]:
    """What this process compiled anew (a forked process sends it to the one that saves)."""
    return dict(_NEW)


def adopt(entries: dict[tuple[str, int], Entry]) -> None:
    """Take what another process recorded (the side-extractor process), to be saved with this one's."""
    for k, v in entries.items():
        if k not in _TABLE:
            _NEW[k] = v


def save() -> None:
    """Add what this process compiled anew to the table on disk (atomically; entries of the last run
    first, at most MAX_ENTRIES). Nothing happens when nothing is new or the cache cannot be written."""
    key = _STATE["key"]
    if key is None or not _NEW:
        return
    from checker.cachefs import write_keyed

    rows: dict[tuple[str, int], list[Any]] = {}
    for (p, f), (final, code, groups, groupindex, indexgroup) in _NEW.items():
        rows[(p, f)] = [p, f, final, _pack(code), groups, groupindex, indexgroup]
    for k in _USED:
        if k in _TABLE:
            rows.setdefault(k, _TABLE[k])
    for k, row in _read(key).items():  # what other processes wrote meanwhile, while there is room
        if len(rows) >= MAX_ENTRIES:
            break
        rows.setdefault(k, row)
    write_keyed("regex", key, FORMAT, json.dumps(list(rows.values())[:MAX_ENTRIES], ensure_ascii=False))
    _TABLE.update(rows)
    _NEW.clear()
