"""Load and validate rule files; compute the ruleset hash used in reports and the cache key."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from checker.errors import RuleFileError
from checker.resources import rules_dir
from checker.ruleset.spec import Example, RuleSpec

_PARAM = re.compile(r"\{(\w+)\}\Z")


def _substitute(node: Any, params: Mapping[str, Any], where: str) -> Any:
    """Replace "{param}" strings in condition values by the parameter's value."""
    if isinstance(node, dict):
        return {k: _substitute(v, params, where) for k, v in node.items()}
    if isinstance(node, list):
        return [_substitute(v, params, where) for v in node]
    if isinstance(node, str):
        m = _PARAM.match(node)
        if m:
            if m.group(1) not in params:
                raise RuleFileError(f"{where}: parameter {{{m.group(1)}}} is used but not defined in params")
            return params[m.group(1)]
    return node


def _loader_class() -> type:
    """The safe YAML loader for rule files, duplicate keys an error: libyaml's (CSafeLoader, about ten
    times faster than the pure-Python parser on the 47 rule files) when PyYAML was built with it."""
    import yaml

    from checker import yamlsafe

    base = getattr(yaml, "CSafeLoader", None)
    if base is None:  # pragma: no cover - PyYAML without libyaml
        return yamlsafe._UniqueKeyLoader

    class _UniqueKeyCLoader(base):  # type: ignore[misc, valid-type]
        pass

    _UniqueKeyCLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, yamlsafe._mapping)
    return _UniqueKeyCLoader


_LOADER: type | None = None


def _read_yaml(path: Path) -> Any:
    import yaml  # PyYAML only where a rule file is read: a run whose rule pack is cached reads none

    global _LOADER
    if _LOADER is None:
        _LOADER = _loader_class()
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)  # noqa: S506 - a SafeLoader
    except yaml.YAMLError as e:
        raise RuleFileError(f"{path}: not valid YAML: {e}") from e


def _line_of(path: Path, loc: tuple[Any, ...]) -> int | None:
    """1-based line of the deepest YAML node on the path loc (pydantic's error location)."""
    import yaml

    try:
        node = yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    except (OSError, yaml.YAMLError):
        return None
    line = None
    for key in loc:
        if isinstance(node, yaml.MappingNode):
            nxt = next((v for k, v in node.value if k.value == str(key) or (key == "not_" and k.value == "not")
                        or (key == "pass_" and k.value == "pass")), None)
            if nxt is None:
                break
            line = next(k for k, v in node.value if v is nxt).start_mark.line + 1
            node = nxt
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            node = node.value[key]
            line = node.start_mark.line + 1
        else:
            break
    return line


def _format_validation(path: Path, err: ValidationError) -> str:
    parts = []
    first_line = None
    for e in err.errors()[:5]:
        loc = ".".join(str(x) for x in e["loc"]) or "(top level)"
        line = _line_of(path, e["loc"]) if path.exists() else None
        first_line = first_line or line
        parts.append(f"field '{loc}'{f' (line {line})' if line else ''}: {e['msg']}")
    where = f"{path}:{first_line}" if first_line else str(path)
    return f"{where}: invalid rule file: " + "; ".join(parts)


def load_rule_file(path: Path, param_overrides: Mapping[str, Any] | None = None) -> RuleSpec:
    """Load one rule file; raise RuleFileError naming the file and field on any problem."""
    raw = _read_yaml(path)
    if not isinstance(raw, dict):
        raise RuleFileError(f"{path}: a rule file must be a YAML mapping")
    params = dict(raw.get("params") or {})
    if param_overrides:
        unknown = set(param_overrides) - set(params)
        if unknown:
            raise RuleFileError(f"{path}: unknown parameter(s) {sorted(unknown)} for rule {raw.get('id')}")
        for name, value in param_overrides.items():
            default = params[name]
            numeric = (int, float)
            ok = (isinstance(value, bool) if isinstance(default, bool)
                  else isinstance(value, numeric) and not isinstance(value, bool) if isinstance(default, numeric)
                  else isinstance(value, type(default)))
            if not ok:
                raise RuleFileError(f"{raw.get('id')}: parameter {name!r} must be {type(default).__name__} like its "
                                    f"default {default!r}, got {value!r}; a value of the wrong type would do nothing")
        params.update(param_overrides)
    raw["params"] = params
    for key in ("applies_when", "check", "review_when", "severity_when"):
        if key in raw:
            raw[key] = _substitute(raw[key], params, f"{path}: {key}")
    raw["source_file"] = str(path)
    try:
        spec = RuleSpec.model_validate(raw)
    except ValidationError as e:
        raise RuleFileError(_format_validation(path, e)) from e
    if path.stem != spec.id:
        raise RuleFileError(f"{path}: rule id {spec.id} does not match the file name {path.name}")
    return spec


def rule_files(root: Path | None = None) -> list[Path]:
    """All rule files (not cases, not family files) under root."""
    root = root or rules_dir()
    return sorted(
        p for p in root.rglob("STAR-*.yaml") if not p.name.endswith(".cases.yaml")
    )


def load_rules(
    root: Path | None = None, params: Mapping[str, Mapping[str, Any]] | None = None
) -> list[RuleSpec]:
    """Load every rule; IDs must be unique."""
    params = params or {}
    specs: list[RuleSpec] = []
    seen: dict[str, str] = {}
    for path in rule_files(root):
        spec = load_rule_file(path, params.get(path.stem))
        if spec.id in seen:
            raise RuleFileError(f"{path}: duplicate rule id {spec.id} (also in {seen[spec.id]})")
        seen[spec.id] = str(path)
        specs.append(spec)
    return specs


def load_cases(spec: RuleSpec) -> dict[str, Example]:
    """The cases file next to a rule file (empty when there is none)."""
    path = Path(spec.source_file).with_name(f"{spec.id}.cases.yaml")
    if not path.exists():
        return {}
    raw = _read_yaml(path) or {}
    if raw.get("rule") != spec.id:
        raise RuleFileError(f"{path}: 'rule' must be {spec.id}")
    out = {}
    for name, case in (raw.get("cases") or {}).items():
        try:
            out[name] = Example.model_validate(case)
        except ValidationError as e:
            raise RuleFileError(_format_validation(path, e) + f" (case {name})") from e
    return out


def ruleset_hash(specs: list[RuleSpec]) -> str:
    """SHA-256 over the rule files' contents and effective parameters (the files are read again only
    when one of them changed: cachefs.files_digest; a check asks for it several times)."""
    from checker.cachefs import files_digest

    ordered = sorted(specs, key=lambda s: s.id)
    params = [repr(sorted(s.params.items())) for s in ordered]

    def compute() -> str:
        h = hashlib.sha256()
        for s, p in zip(ordered, params, strict=True):
            h.update(Path(s.source_file).read_bytes())
            h.update(p.encode())
        return h.hexdigest()

    kind = "ruleset 1\0" + "\0".join(f"{s.id}\0{p}" for s, p in zip(ordered, params, strict=True))
    return files_digest(kind, [s.source_file for s in ordered], compute)
