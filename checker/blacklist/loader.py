"""Load blacklist files (CSV, YAML, JSON; chosen by extension).

Every problem raises :class:`BlacklistError` naming the file and the line (CSV: the physical line
where the record starts; YAML: the line of the entry's mapping; JSON: the entry's index and line).
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from .creditcode import credit_code_problem, normalize_credit_code
from .errors import BlacklistError
from .model import Entry

FIELDS = ("name", "type", "aliases", "credit_code", "reason", "source", "listed_on", "expires_on")
REQUIRED = ("name", "type")
TYPE_SYNONYMS = {
    "person": "person",
    "individual": "person",
    "natural_person": "person",
    "个人": "person",
    "自然人": "person",
    "organization": "organization",
    "organisation": "organization",
    "company": "organization",
    "entity": "organization",
    "机构": "organization",
    "单位": "organization",
    "法人": "organization",
    "组织": "organization",
}
# aliases inside one CSV cell
ALIAS_SPLIT_RE = re.compile(r"\s*[|;；]\s*")
# list-level keys allowed next to ``entries`` in YAML / JSON
LIST_KEYS = ("list", "description", "source", "entries")


def load_blacklist(path: str | Path) -> list[Entry]:
    """Read one blacklist file; the format follows the extension (.csv, .yaml/.yml, .json)."""
    p = Path(path)
    ext = p.suffix.lower()
    if ext not in (".csv", ".yaml", ".yml", ".json"):
        raise BlacklistError(
            f"unsupported extension {p.suffix!r}; use .csv, .yaml, .yml or .json", file=str(p)
        )
    text = _read_text(p)
    if ext == ".csv":
        return _load_csv(text, str(p))
    if ext == ".json":
        return _load_json(text, str(p))
    return _load_yaml(text, str(p))


def load_blacklists(paths: Iterable[str | Path]) -> list[Entry]:
    """Read several blacklist files into one list (each entry remembers its file and line)."""
    out: list[Entry] = []
    for p in paths:
        out.extend(load_blacklist(p))
    return out


def _read_text(p: Path) -> str:
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise BlacklistError(f"cannot read the file ({exc.strerror})", file=str(p)) from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:  # lists exported from Excel on Chinese Windows are often GB18030
        return data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise BlacklistError(
            "the file is neither UTF-8 nor GB18030 text; save it as UTF-8", file=str(p)
        ) from exc


# ---------------------------------------------------------------- entry validation


def _parse_date(value: Any, field_name: str, file: str, line: int | None) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    s = str(value).strip()
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", s):
            raise ValueError
        return date.fromisoformat(s)
    except ValueError:
        raise BlacklistError(
            f"{field_name} {s!r} is not an ISO date (YYYY-MM-DD)", file=file, line=line
        ) from None


def _text(value: Any, field_name: str, file: str, line: int | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool) or isinstance(value, (list, dict)):
        raise BlacklistError(f"{field_name} must be text, got {value!r}", file=file, line=line)
    s = str(value).strip()
    if any(ch in s for ch in "\x00\x0b\x0c") or any(0x01 <= ord(ch) < 0x20 and ch not in "\t\n\r" for ch in s):
        raise BlacklistError(f"{field_name} holds a control character (e.g. a NUL byte): {s!r}; such an entry "
                             "could never match a filing. Fix the list", file=file, line=line)
    return s or None


def make_entry(
    raw: Mapping[str, Any], *, file: str, line: int | None, position: int, defaults: Mapping[str, Any]
) -> Entry:
    """Validate one raw record and build an :class:`Entry`."""
    unknown = [k for k in raw if k not in FIELDS]
    if unknown:
        raise BlacklistError(
            f"unknown field {unknown[0]!r}; allowed fields are {', '.join(FIELDS)}",
            file=file,
            line=line,
        )
    name = _text(raw.get("name"), "name", file, line)
    if not name:
        raise BlacklistError("required field 'name' is missing or empty", file=file, line=line)
    type_raw = _text(raw.get("type"), "type", file, line)
    if not type_raw:
        raise BlacklistError(
            f"required field 'type' is missing for {name!r} (person or organization)",
            file=file,
            line=line,
        )
    type_ = TYPE_SYNONYMS.get(type_raw.casefold())
    if type_ is None:
        raise BlacklistError(
            f"type {type_raw!r} of {name!r} is unknown; use person or organization",
            file=file,
            line=line,
        )
    aliases_raw = raw.get("aliases")
    if aliases_raw is None or aliases_raw == "":
        aliases: tuple[str, ...] = ()
    elif isinstance(aliases_raw, str):
        aliases = tuple(a for a in ALIAS_SPLIT_RE.split(aliases_raw.strip()) if a)
    elif isinstance(aliases_raw, list):
        aliases = tuple(a for a in (_text(x, "aliases", file, line) for x in aliases_raw) if a)
    else:
        raise BlacklistError(f"aliases of {name!r} must be a list of names", file=file, line=line)
    code_raw = raw.get("credit_code")
    code: str | None = None
    if code_raw is not None and str(code_raw).strip():
        code = normalize_credit_code(str(code_raw))
        problem = credit_code_problem(code)
        if problem:
            raise BlacklistError(f"{problem} (entry {name!r})", file=file, line=line)
    listed_on = _parse_date(raw.get("listed_on"), "listed_on", file, line)
    expires_on = _parse_date(raw.get("expires_on"), "expires_on", file, line)
    if listed_on and expires_on and expires_on < listed_on:
        raise BlacklistError(
            f"expires_on {expires_on} is before listed_on {listed_on} for {name!r}",
            file=file,
            line=line,
        )
    return Entry(
        name=name,
        type=type_,
        aliases=aliases,
        credit_code=code,
        reason=_text(raw.get("reason"), "reason", file, line),
        source=_text(raw.get("source"), "source", file, line) or defaults.get("source"),
        listed_on=listed_on,
        expires_on=expires_on,
        list_file=file,
        line=line,
        position=position,
    )


# ---------------------------------------------------------------- CSV


def _load_csv(text: str, file: str) -> list[Entry]:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise BlacklistError(f"malformed CSV header ({exc})", file=file, line=1) from None
    if header is None:
        raise BlacklistError("the file is empty; expected a header row name,type,...", file=file, line=1)
    cols = [h.strip().lstrip("\ufeff").casefold() for h in header]
    for c in cols:
        if c not in FIELDS:
            raise BlacklistError(
                f"unknown column {c!r} in the header; allowed are {', '.join(FIELDS)}",
                file=file,
                line=1,
            )
    for c in REQUIRED:
        if c not in cols:
            raise BlacklistError(f"the header has no {c!r} column", file=file, line=1)
    if len(set(cols)) != len(cols):
        raise BlacklistError("the header repeats a column", file=file, line=1)
    out: list[Entry] = []
    next_line = reader.line_num + 1
    while True:
        start = next_line
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise BlacklistError(f"malformed CSV ({exc})", file=file, line=start) from None
        next_line = reader.line_num + 1
        if not row or all(not c.strip() for c in row):
            continue
        if row[0].lstrip().startswith("#"):
            continue  # comment line
        if len(row) > len(cols):
            raise BlacklistError(
                f"the row has {len(row)} fields but the header has {len(cols)} (an unquoted comma?)",
                file=file,
                line=start,
            )
        raw = {c: (row[i] if i < len(row) else "") for i, c in enumerate(cols)}
        out.append(make_entry(raw, file=file, line=start, position=len(out), defaults={}))
    return out


# ---------------------------------------------------------------- YAML


@lru_cache(maxsize=1)
def _safe_loader() -> type:
    """A safe loader (no Python objects; libyaml when available) that keeps dates as text, so a bad
    date is reported by the entry validation with its line instead of crashing the YAML layer; a
    duplicate key is an error. Built on first use (PyYAML is imported only where a list is YAML)."""
    import yaml

    class _SafeLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
        pass

    def unique_mapping(loader: Any, node: Any, deep: bool = False) -> Any:
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            key = loader.construct_object(key_node, deep=deep)
            if isinstance(key, (str, int, float, bool)) and key in seen:
                raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r} (first on line {seen[key]})",
                                                        key_node.start_mark)
            if isinstance(key, (str, int, float, bool)):
                seen[key] = key_node.start_mark.line + 1
        return loader.construct_mapping(node, deep=deep)

    _SafeLoader.add_constructor("tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node))
    _SafeLoader.add_constructor("tag:yaml.org,2002:map", unique_mapping)
    return _SafeLoader


def _load_yaml(text: str, file: str) -> list[Entry]:
    import yaml

    loader = _safe_loader()(text)
    try:
        # one parse: compose the node tree (which keeps line marks), then build plain data from it
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except (ValueError, TypeError) as exc:  # a scalar a safe constructor rejects
        raise BlacklistError(f"malformed YAML ({exc})", file=file, line=None) from None
    except RecursionError:
        raise BlacklistError("YAML nested too deeply to be a blacklist", file=file, line=None) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise BlacklistError(f"malformed YAML ({problem})", file=file, line=line) from None
    finally:
        loader.dispose()
    if data is None:
        raise BlacklistError("the file is empty; expected a list of entries", file=file, line=1)
    defaults: dict[str, Any] = {}
    if isinstance(data, dict):
        bad = [k for k in data if k not in LIST_KEYS]
        if bad:
            raise BlacklistError(
                f"unknown top-level key {bad[0]!r}; allowed are {', '.join(LIST_KEYS)}",
                file=file,
                line=node.start_mark.line + 1,
            )
        if "entries" not in data:
            raise BlacklistError("no 'entries' list at the top level", file=file, line=1)
        defaults = {"source": data.get("source")}
        entries_node = next(v for k, v in node.value if k.value == "entries")
        data = data["entries"]
    else:
        entries_node = node
    if not isinstance(data, list) or not isinstance(entries_node, yaml.SequenceNode):
        raise BlacklistError(
            "'entries' must be a list of mappings", file=file, line=entries_node.start_mark.line + 1
        )
    out: list[Entry] = []
    for i, (raw, item_node) in enumerate(zip(data, entries_node.value, strict=True)):
        line = item_node.start_mark.line + 1
        if not isinstance(raw, dict):
            raise BlacklistError(
                f"entry {i + 1} is not a mapping of fields (name, type, ...)", file=file, line=line
            )
        out.append(make_entry(raw, file=file, line=line, position=i, defaults=defaults))
    return out


# ---------------------------------------------------------------- JSON


def _load_json(text: str, file: str) -> list[Entry]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BlacklistError(f"malformed JSON ({exc.msg})", file=file, line=exc.lineno) from None
    except RecursionError:
        raise BlacklistError("JSON nested too deeply to be a blacklist", file=file, line=None) from None
    defaults: dict[str, Any] = {}
    wrapped = isinstance(data, dict)
    if wrapped:
        bad = [k for k in data if k not in LIST_KEYS]
        if bad:
            raise BlacklistError(
                f"unknown top-level key {bad[0]!r}; allowed are {', '.join(LIST_KEYS)}", file=file, line=1
            )
        if "entries" not in data:
            raise BlacklistError("no 'entries' list at the top level", file=file, line=1)
        defaults = {"source": data.get("source")}
        data = data["entries"]
    if not isinstance(data, list):
        raise BlacklistError("expected a list of entries", file=file, line=1)
    lines = _json_array_lines(text, len(data), wrapped=wrapped)
    out: list[Entry] = []
    for i, raw in enumerate(data):
        line = lines[i] if i < len(lines) else None
        if not isinstance(raw, dict):
            raise BlacklistError(f"entry [{i}] is not an object", file=file, line=line)
        try:
            out.append(make_entry(raw, file=file, line=line, position=i, defaults=defaults))
        except BlacklistError as exc:
            # add the JSON index to the message
            raise BlacklistError(f"entry [{i}]: {exc.detail}", file=file, line=line) from None
    return out


def _json_array_lines(text: str, n: int, *, wrapped: bool) -> list[int]:
    """Start line of each element of the entries array (best effort; [] if not found)."""
    dec = json.JSONDecoder()
    m = re.search(r'"entries"\s*:\s*\[', text) if wrapped else None
    if m:
        idx = m.end()
    else:
        idx = text.find("[")
        if idx < 0:
            return []
        idx += 1
    lines: list[int] = []
    ws = re.compile(r"[\s,]*")
    line, counted = 1, 0
    for _ in range(n):
        idx = ws.match(text, idx).end()  # type: ignore[union-attr]  # [\s,]* always matches
        line += text.count("\n", counted, idx)
        counted = idx
        lines.append(line)
        try:
            _, idx = dec.raw_decode(text, idx)
        except json.JSONDecodeError:
            break
    return lines
