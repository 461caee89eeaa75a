"""The findings cache: a filing checked again with the same facts, rules and date gets its findings back
without starting the rule engine.

``evaluate(specs, facts, engine, as_of)`` is a pure function of its arguments and of the code, so its
result is kept under a key over all of them: the code (the rule pack cache's code hash and the
templates, whose wording the messages use), the selected rules with their parameters (the ruleset
hash), the engine, the as-of date and a digest of the facts after derivation and screening (so a
changed blacklist or a changed filing is a new key). It lives beside the extraction cache, in
``<cache>/findings/<key>.json``, as JSON (never pickle), with the hash of its payload: an entry that
does not match, or does not read back, is ignored and the rules run. A result is kept only when it
reads back equal to itself. ``--no-cache`` bypasses it with the extraction cache.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from checker.cache import decode_values, encode_values
from checker.facts.model import FactSet
from checker.findings import Finding

FORMAT = 1


@lru_cache(maxsize=1)
def _code() -> str:
    from checker.cachefs import contents_digest
    from checker.engine.pack import _code_hash
    from checker.resources import templates_dir

    root = Path(templates_dir())
    files = [f for f in sorted(root.rglob("*")) if f.is_file()]
    templates = contents_digest("templates 2", files, root)
    return hashlib.sha256(f"{_code_hash()}\0{templates}".encode()).hexdigest()


def _dump(f: Finding) -> dict[str, Any]:
    d = f.model_dump(mode="json")
    d["values"] = encode_values(f.values)
    return d


def _load(d: dict[str, Any]) -> Finding:
    d = dict(d, values=decode_values(d.get("values") or {}))
    return Finding.model_validate(d)


def key(ruleset_sha: str, engine: str, as_of: date, facts: FactSet) -> str:
    """The cache key of evaluate(specs with this ruleset hash, facts, engine, as_of)."""
    digest = json.dumps([f.model_dump(mode="json") for f in facts.as_list()], ensure_ascii=False, default=str)
    h = hashlib.sha256(f"{FORMAT}\0{_code()}\0{ruleset_sha}\0{engine}\0{as_of.isoformat()}\0".encode())
    h.update(digest.encode() + b"\0" + json.dumps(facts.missing, ensure_ascii=False, sort_keys=True).encode())
    return h.hexdigest()


def load(k: str) -> list[Finding] | None:
    """The findings kept under key k, or None."""
    from checker.cache import read_keyed

    body = read_keyed("findings", k, FORMAT)
    try:
        return [_load(d) for d in body]
    except (ValueError, KeyError, TypeError):  # also None: no entry
        return None


def store(k: str, findings: list[Finding]) -> None:
    """Keep findings under key k (atomically); skipped when they would not read back as themselves or
    the cache folder cannot be written."""
    from checker.cache import write_keyed

    try:
        dumped = [_dump(f) for f in findings]
        if [_load(d) for d in dumped] != findings:
            return
        payload = json.dumps(dumped, ensure_ascii=False)
    except (ValueError, TypeError):
        return
    write_keyed("findings", k, FORMAT, payload)
