"""The heading lexicon (headings.yaml) and the lookup of the chapter or key heading a title names.

Titles are matched in two forms (zh without whitespace, en normalised), each group's patterns as one
alternation per language whose first matching branch names the key (lexicon order decides)."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from checker.extract.clean import compact, compact_norm, norm
from checker.extract.fastyaml import safe_load

_LEXICON_FILE = Path(__file__).with_name("headings.yaml")


@lru_cache(maxsize=1)
def lexicon() -> dict[str, Any]:
    """The heading lexicon (headings.yaml), with patterns compiled."""
    data = safe_load(_LEXICON_FILE.read_text(encoding="utf-8"))
    out: dict[str, Any] = {}
    for group in ("chapters", "headings"):
        out[group] = {}
        for key, langs in data[group].items():
            zh = [re.compile(p + r"\Z") for p in langs.get("zh", [])]
            en = [re.compile(p + r"\Z", re.I) for p in langs.get("en", [])]
            out[group][key] = {"zh": zh, "en": en}
    return out


@lru_cache(maxsize=2)
def _title_matchers(group: str) -> tuple[list[str], re.Pattern[str] | None, re.Pattern[str] | None]:
    """The group's keys, and one alternation per language whose first matching branch names the
    first key (in lexicon order) with a matching pattern: one match instead of one per pattern."""
    keys = list(lexicon()[group])

    def combined(lang: str, flags: int) -> re.Pattern[str] | None:
        branches = [f"(?P<k{i}>(?:{p.pattern}))" for i, k in enumerate(keys)
                    for p in [re.compile("|".join(f"(?:{q.pattern})" for q in lexicon()[group][k][lang]))]
                    if lexicon()[group][k][lang]]
        return re.compile("|".join(branches), flags) if branches else None

    return keys, combined("zh", 0), combined("en", re.I)


def _first_key(pat: re.Pattern[str] | None, text: str) -> int | None:
    if pat is None:
        return None
    m = pat.match(text)
    return int(m.lastgroup[1:]) if m and m.lastgroup else None


@lru_cache(maxsize=8192)
def match_title(group: str, title: str) -> str | None:
    """The key of the chapter (group "chapters") or key heading ("headings") a title names."""
    return match_forms(group, *title_forms(title))


def title_forms(title: str) -> tuple[str, str]:
    """The forms of a title the lexicon's patterns match: zh without whitespace, en normalised."""
    return compact(title).rstrip(".:"), norm(title).strip().rstrip(".:")


def match_forms(group: str, c: str, e: str) -> str | None:
    keys, zh, en = _title_matchers(group)
    found = [i for i in (_first_key(zh, c), _first_key(en, e)) if i is not None]
    return keys[min(found)] if found else None


@lru_cache(maxsize=1 << 16)
def title_keys_norm(text: str) -> tuple[str | None, str | None]:
    """(key heading, chapter) a whole line names as a title, for a text that is ``norm`` output (its
    forms are taken without normalising again: norm is idempotent, tests/test_extract_clean.py); the
    chapter is looked up only when no key heading matches. Once per distinct text and process."""
    forms = (compact_norm(text).rstrip(".:"), text.strip().rstrip(".:"))
    kh = match_forms("headings", *forms)
    return kh, (match_forms("chapters", *forms) if kh is None else None)
