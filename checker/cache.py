"""Extraction cache: facts of an unchanged filing are read back instead of re-extracted.

Key: SHA-256 of the file, tool version and ruleset hash (the issue's contract), so a new release or
a changed rule pack never serves stale facts. Entries live in the user's cache directory
(``$XDG_CACHE_HOME/starcheck`` or ``~/.cache/starcheck``), overridable with ``STARCHECK_CACHE_DIR``.
Values keep their exact type (Decimal stays Decimal).

Integrity: an entry records the hash of its own payload and the fact-layer code it was made by
(every .py and .yaml under checker/extract and checker/facts: a changed extractor or lexicon
never serves old facts, even within one version). An entry whose payload hash does not match (edited,
truncated, corrupt) or that was made by other code is ignored and re-extracted, never served.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from checker.cachefs import _payload_hash, cache_dir, contents_digest, facts_key, read_keyed, write_keyed  # noqa: F401 - re-exported
from checker.errors import StarcheckError
from checker.facts.model import Fact, FactSet
from checker.io import write_atomic

FORMAT = 2  # 2: payload and code hashes (issue 13)


@lru_cache(maxsize=1)
def code_hash() -> str:
    """SHA-256 over the fact layer's code and lexicons (what extraction results depend on), read again
    only when one of the files changed (cachefs.contents_digest)."""
    root = Path(__file__).resolve().parent
    files = [f for sub_dir in ("extract", "facts") for f in sorted((root / sub_dir).rglob("*"))
             if f.suffix in (".py", ".yaml") and f.is_file()]
    return contents_digest("fact-layer code 2", files, root)


def encode_values(v: Any) -> Any:
    """A value with its Decimals and dates tagged ({"$decimal": "1.50"}, {"$date": "2024-06-30"}), at
    any depth, so JSON carries them and :func:`decode_values` gives them back with their type."""
    if isinstance(v, Decimal):
        return {"$decimal": str(v)}
    if isinstance(v, date):
        return {"$date": v.isoformat()}
    if isinstance(v, dict):
        return {k: encode_values(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [encode_values(x) for x in v]
    return v


def decode_values(v: Any) -> Any:
    """The inverse of :func:`encode_values`."""
    if isinstance(v, dict):
        if set(v) == {"$decimal"}:
            return Decimal(v["$decimal"])
        if set(v) == {"$date"}:
            return date.fromisoformat(v["$date"])
        return {k: decode_values(x) for k, x in v.items()}
    if isinstance(v, list):
        return [decode_values(x) for x in v]
    return v


def _key(sha256: str, ruleset_sha: str) -> str:
    return facts_key(sha256, ruleset_sha)


def has(sha256: str, ruleset_sha: str) -> bool:
    """Whether an entry exists (not whether it is valid: :func:`load` decides that)."""
    return (cache_dir() / f"{_key(sha256, ruleset_sha)}.json").is_file()


def load(sha256: str, ruleset_sha: str) -> tuple[FactSet, int, list[str]] | None:
    """Cached (facts, pages, warnings) or None."""
    path = cache_dir() / f"{_key(sha256, ruleset_sha)}.json"
    try:
        entry = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(entry, dict) or entry.get("format") != FORMAT or entry.get("code") != code_hash():
            return None
        payload = entry["payload"]
        if not isinstance(payload, str) or _payload_hash(payload) != entry.get("sha256"):
            return None  # edited or corrupt: re-extract
        raw = json.loads(payload)
        fs = FactSet(missing=raw["missing"])
        for f in raw["facts"]:
            f["value"] = decode_values(f["value"])
            fs.facts[f["path"]] = Fact.model_validate(f)
        return fs, int(raw["pages"]), list(raw.get("warnings", []))
    except (OSError, ValueError, KeyError, TypeError, RecursionError):
        return None


def store(sha256: str, ruleset_sha: str, facts: FactSet, pages: int, warnings: list[str]) -> None:
    """Write an entry atomically; a cache that cannot be written is silently skipped."""
    facts_raw = []
    for f in facts.facts.values():
        d = f.model_dump(mode="python")
        d["value"] = encode_values(f.value)
        d["evidence"] = [e.model_dump(mode="json") for e in f.evidence]
        facts_raw.append(d)
    body = {"pages": pages, "warnings": warnings, "missing": facts.missing, "facts": facts_raw}
    payload = json.dumps(body, ensure_ascii=False, default=str)
    entry = {"format": FORMAT, "code": code_hash(), "sha256": _payload_hash(payload), "payload": payload}
    try:
        write_atomic(cache_dir() / f"{_key(sha256, ruleset_sha)}.json", json.dumps(entry, ensure_ascii=False))
    except (OSError, StarcheckError):
        pass
