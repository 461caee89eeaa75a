"""The rule pack cache: the validated rules and their compiled durable rules, read back instead of rebuilt.

Validating the 47 rule files checks every fact path they name against the fact registry, which imports
every extractor (their patterns compile at import), and compiling them for durable-rules expands each
condition into normal form: together about half a second of every run, the same on every run of an
installed version. So ``starcheck check`` reads the pack once per pack and code and keeps it as JSON
(never pickle: nothing read back can run code) in the cache folder: the specs in
``<cache>/rules/<key>.json``, their compiled durable rules (most of the bytes) in
``<cache>/rules/<key>-compiled.json``, read only when a rule is to run (a cache-served run never reads
them).

Key: SHA-256 over this format, the tool version, the code the pack depends on (checker/ruleset,
checker/engine, checker/findings.py and the fact layer: the registry's paths), each rule file's
name and bytes and the effective parameters. A changed rule file, parameter or release is a new key,
so a stale pack is never served. An entry records the hash of its payload; one that does not match
(edited, truncated) or does not read back is ignored and rebuilt. What is read back is validated
again against the schema (everything but the registry lookup of fact paths, which the same code did
when it wrote the entry), and a pack is written only when every spec reads back equal to itself.
A cache folder that cannot be written is skipped: the pack is then built on every run.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from checker import __version__
from checker.engine import seeds
from checker.errors import RuleFileError
from checker.ruleset.loader import load_rules, rule_files
from checker.ruleset.spec import PATHS_CHECKED, RuleSpec

FORMAT = 3  # 2: the compiled rules kept as one JSON string; 3: in an entry of their own, read when needed


@lru_cache(maxsize=1)
def _code_hash() -> str:
    from checker.cache import code_hash
    from checker.cachefs import contents_digest

    root = Path(__file__).resolve().parents[1]
    files = sorted([*(root / "ruleset").rglob("*.py"), *(root / "engine").rglob("*.py"),
                    root / "findings.py"])
    rule_layer = contents_digest("rule-layer code 2", files, root)
    return hashlib.sha256(f"{code_hash()}\0{rule_layer}".encode()).hexdigest()


def pack_key(params: Mapping[str, Mapping[str, Any]] | None = None) -> str:
    """The cache key of the installed rule pack with these parameters."""
    from checker.cachefs import contents_digest

    h = hashlib.sha256(f"{FORMAT}\0{__version__}\0{_code_hash()}\0".encode())
    h.update(contents_digest("rule files 2", rule_files()).encode())
    h.update(repr(sorted((k, sorted(v.items())) for k, v in (params or {}).items())).encode())
    return h.hexdigest()


def _read(key: str) -> list[RuleSpec] | None:
    from checker.cache import read_keyed

    body = read_keyed("rules", key, FORMAT)
    try:
        specs = [RuleSpec.model_validate(d, context={PATHS_CHECKED: True}) for d in body["specs"]]
    except (ValueError, KeyError, TypeError):  # also None: no entry
        return None
    # a missing or damaged entry of compiled rules: the engine compiles the rules itself
    seeds.seed_compiled(lambda: read_keyed("rules", f"{key}-compiled", FORMAT))
    return specs


def _write(key: str, specs: list[RuleSpec]) -> None:
    from checker.cache import write_keyed
    from checker.engine import durable_engine

    dumped = [s.model_dump(mode="json", by_alias=True) for s in specs]
    # Only a pack that reads back as itself is kept (a value JSON cannot carry, e.g. a date inside a
    # condition, would read back as a string and change the rule).
    back = [RuleSpec.model_validate(d, context={PATHS_CHECKED: True}) for d in dumped]
    if back != specs:
        return
    try:
        compiled = {durable_engine.spec_key(s): durable_engine.compiled(s)
                    for s in specs if s.status != "removed"}
    except RuleFileError:
        return  # the engine reports it when the pack is used
    write_keyed("rules", f"{key}-compiled", FORMAT, json.dumps(compiled, ensure_ascii=False))
    write_keyed("rules", key, FORMAT, json.dumps({"specs": dumped}, ensure_ascii=False))


def load_pack(params: Mapping[str, Mapping[str, Any]] | None = None) -> list[RuleSpec]:
    """load_rules(params=params), from the pack cache when this pack was read before (see above)."""
    try:
        key = pack_key(params)
    except OSError:
        return load_rules(params=params)
    specs = _read(key)
    if specs is None:
        from checker import recache

        with recache.working():  # reading the rule files imports the registry (every extractor)
            specs = load_rules(params=params)  # raises RuleFileError for a bad rule file: nothing is cached
            _write(key, specs)
    return specs
