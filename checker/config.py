"""Layered settings: defaults -> [tool.starcheck] in pyproject.toml or starcheck.toml -> CLI flags.

Unknown keys are errors (a typo must not silently disable a rule); every error names the file.
Relative paths in the file are taken relative to the file's folder.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from datetime import date
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from checker.errors import StarcheckError
from checker.findings import Severity
from checker.ruleset.spec import RuleSpec


class ConfigError(StarcheckError):
    """A config file that does not validate."""

    code = "config_error"


class RuleOverride(BaseModel):
    """Per-rule settings."""

    model_config = ConfigDict(extra="forbid")
    severity: Severity | None = None
    params: dict[str, Any] = Field(default_factory=dict)


class Settings(BaseModel):
    """Everything a run can be configured with."""

    model_config = ConfigDict(extra="forbid")
    select: list[str] = Field(default_factory=list)  # ids or families; empty = all
    ignore: list[str] = Field(default_factory=list)
    fail_on: Literal["error", "warning", "never"] | None = None
    fail_on_review: bool | None = None  # needs_review gates the run (default true)
    exclude: list[str] = Field(default_factory=list)  # globs skipped in folder scans
    as_of: date | None = None
    lang: Literal["zh", "en"] | None = None
    blacklists: list[Path] = Field(default_factory=list)
    waivers: Path | None = None
    rules: dict[str, RuleOverride] = Field(default_factory=dict)
    source: str | None = None  # the file these settings came from


def _key_line(path: Path, loc: tuple[Any, ...]) -> int | None:
    """Best-effort 1-based line of the TOML key named by a validation error (tomllib keeps none)."""
    keys = [str(k) for k in loc if not isinstance(k, int)]
    if not keys:
        return None
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return None
    for key in (keys[-1], keys[0]):
        pat = re.compile(rf"^\s*(\[[^\]]*\b{re.escape(key)}\b[^\]]*\]|\"?{re.escape(key)}\"?\s*=)")
        for n, text in enumerate(lines, 1):
            if pat.search(text):
                return n
    return None


def find_config(start: Path) -> Path | None:
    """starcheck.toml, or a pyproject.toml with [tool.starcheck], in start or a parent folder."""
    for folder in [start, *start.parents]:
        cand = folder / "starcheck.toml"
        if cand.is_file():
            return cand
        py = folder / "pyproject.toml"
        if py.is_file():
            try:
                text = py.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                continue
            try:
                if "starcheck" in tomllib.loads(text).get("tool", {}):
                    return py
            except RecursionError as e:
                raise ConfigError(f"{py}: nested too deeply to read; fix it or pass --config") from e
            except tomllib.TOMLDecodeError as e:
                # NOTE: a broken pyproject.toml may hold the project's [tool.starcheck]: never skip it silently
                raise ConfigError(f"{py}: not valid TOML ({e}); fix it or pass --config") from e
    return None


def load_settings(path: Path | None) -> Settings:
    """Settings from a file (None -> defaults)."""
    if path is None:
        return Settings()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"{path}: not valid TOML ({e})") from e
    except UnicodeDecodeError as e:
        raise ConfigError(f"{path}: not UTF-8 text (byte {e.start}); save the file as UTF-8") from e
    except RecursionError as e:
        raise ConfigError(f"{path}: nested too deeply to be a starcheck config") from e
    except OSError as e:
        raise ConfigError(f"{path}: cannot read: {e.strerror}") from e
    section = data.get("tool", {}).get("starcheck", {}) if path.name == "pyproject.toml" else data
    if path.name != "pyproject.toml" and "tool" in data and "starcheck" in data["tool"]:
        section = data["tool"]["starcheck"]
    try:
        s = Settings.model_validate(section)
    except ValidationError as e:
        parts, first = [], None
        for err in e.errors()[:5]:
            line = _key_line(path, err["loc"])
            first = first or line
            hint = ""
            if err["type"] == "extra_forbidden":
                model = RuleOverride if len(err["loc"]) > 2 and err["loc"][0] == "rules" else Settings
                hint = did_you_mean(str(err["loc"][-1]), [k for k in model.model_fields if k != "source"])
            parts.append(f"'{'.'.join(str(x) for x in err['loc'])}'{f' (line {line})' if line else ''}: "
                         f"{err['msg']}{hint}")
        where = f"{path}:{first}" if first else str(path)
        raise ConfigError(f"{where}: invalid starcheck settings: " + "; ".join(parts)) from e
    base = path.parent
    s.blacklists = [p if p.is_absolute() else base / p for p in s.blacklists]
    if s.waivers is not None and not s.waivers.is_absolute():
        s.waivers = base / s.waivers
    s.source = str(path)
    return s


def did_you_mean(word: str, choices: list[str]) -> str:
    """" (did you mean X?)" for the nearest choice, else ""."""
    near = difflib.get_close_matches(word, choices, n=1, cutoff=0.6) or \
        difflib.get_close_matches(word.upper(), [c.upper() for c in choices], n=1, cutoff=0.6)
    if not near:
        return ""
    hit = next((c for c in choices if c.upper() == near[0].upper()), near[0])
    return f" (did you mean {hit}?)"


def _matches(spec: RuleSpec, selector: str) -> bool:
    sel = selector.upper()
    return sel in (spec.id, spec.family) or selector == spec.name


def apply_selection(specs: list[RuleSpec], settings: Settings, *, cli_select: list[str] | None = None,
                    cli_ignore: list[str] | None = None) -> list[RuleSpec]:
    """Rules kept by select/ignore, with severity overrides applied. An unknown rule id or family is an
    error that says where it came from (the command line or the config file) and the nearest id."""
    known = {s.id for s in specs} | {s.family for s in specs} | {s.name for s in specs}
    names = sorted({s.id for s in specs} | {s.family for s in specs})
    from_cli = {("select", x) for x in cli_select or []} | {("ignore", x) for x in cli_ignore or []}
    for kind, sels in (("select", settings.select), ("ignore", settings.ignore), ("rules", list(settings.rules))):
        for sel in sels:
            if sel.upper() in known or sel in known:
                continue
            where = f"--{kind}" if (kind, sel) in from_cli else f"{settings.source or 'settings'}: {kind}"
            raise ConfigError(f"{where}: unknown rule or family {sel!r}{did_you_mean(sel, names)}")
    out = []
    for s in specs:
        if settings.select and not any(_matches(s, x) for x in settings.select):
            continue
        if any(_matches(s, x) for x in settings.ignore):
            continue
        ov = settings.rules.get(s.id)
        if ov and ov.severity:
            s = s.model_copy(update={"severity": ov.severity})
        out.append(s)
    return out


def rule_params(settings: Settings) -> dict[str, dict[str, Any]]:
    """Parameter overrides per rule id, for the loader."""
    return {k: v.params for k, v in settings.rules.items() if v.params}
