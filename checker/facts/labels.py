"""People's labels of fact paths (templates/fact_labels.yaml) and localised extraction warnings."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import yaml

from checker import resources

_YEAR = re.compile(r"\.(\d{4})$")


@lru_cache(maxsize=1)
def _catalogue() -> dict[str, Any]:
    path = resources.templates_dir() / "fact_labels.yaml"
    with path.open(encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    if not isinstance(data, dict) or not isinstance(data.get("labels"), dict):
        raise ValueError(f"{path}: expected a mapping with 'labels'")
    return data


def fact_label(path: str, lang: str = "zh") -> str:
    """The label of a fact path in `lang` ("2024年营业收入" for financials.revenue.2024); the path itself
    when the catalogue has none (tests/test_fact_labels.py keeps that from happening for registered paths)."""
    found = _lookup(path, lang)
    return path if found is None else found


def is_labelled(path: str) -> bool:
    """The catalogue has a label for this path (in both languages)."""
    return _lookup(path, "zh") is not None and _lookup(path, "en") is not None


def _lookup(path: str, lang: str) -> str | None:
    cat = _catalogue()
    i = 0 if lang == "zh" else 1
    labels: dict[str, list[str]] = cat["labels"]
    if path in labels:
        return str(labels[path][i])
    m = _YEAR.search(path)
    if m:
        pattern = path[: m.start()] + ".{year}"
        if pattern in labels:
            return str(labels[pattern][i]).replace("{year}", m.group(1))
    for prefix, forms in (cat.get("families") or {}).items():
        if path.startswith(prefix):
            name = (cat.get("names") or {}).get(path[len(prefix):])
            if name:
                return str(forms[lang if lang in forms else "en"]).replace("{name}", str(name[i]))
    return None


@lru_cache(maxsize=1)
def _warning_forms() -> list[tuple[re.Pattern[str], str]]:
    path = resources.templates_dir() / "messages.yaml"
    with path.open(encoding="utf-8") as fh:
        data = yaml.safe_load(fh) or {}
    return [(re.compile(w["match"]), w["zh"]) for w in data.get("warnings") or []]


def localize_warning(text: str, lang: str) -> str:
    """An extraction warning in the report's language (the loader writes English)."""
    if lang != "zh":
        return text
    for pat, zh in _warning_forms():
        m = pat.search(text)
        if m:
            return zh.format(**m.groupdict())
    return text


@lru_cache(maxsize=1)
def _error_forms() -> dict[str, str]:
    path = resources.templates_dir() / "messages.yaml"
    with path.open(encoding="utf-8") as fh:
        data = yaml.safe_load(fh) or {}
    return {str(k): str(v) for k, v in (data.get("errors") or {}).items()}


def localize_error(code: str, text: str, path: str, lang: str) -> str:
    """A file error's sentence in the report's language: the English sentence the JSON carries, or the
    catalogue's zh sentence for its code (templates/messages.yaml ``errors``)."""
    if lang != "zh":
        return text
    form = _error_forms().get(code)
    if form is None:
        return text
    from pathlib import Path as _Path

    return form.format(name=_Path(path).name)
