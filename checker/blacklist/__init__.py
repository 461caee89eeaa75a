"""Blacklist screening of every party a filing names (STAR-BL-001).

Typical use::

    entries = load_blacklists(["sanctions.csv", "banned.yaml"])
    index = build_index(entries)                 # once
    result = screen(subjects_from_facts(facts), index, as_of)
    facts_out = screening_facts(result)          # screening.blacklist.* facts
    values = result.as_values()                  # details for the finding
"""

from .creditcode import check_char, credit_code_problem, is_valid_credit_code
from .errors import BlacklistError
from .index import BlacklistIndex
from .integrate import index_for, screen_for, screening_facts_for
from .loader import load_blacklist, load_blacklists
from .model import Entry, Match, ScreeningResult, Subject
from .normalize import T2S_BACKEND, guess_type, org_key, person_key
from .screen import (
    apply_screening,
    build_index,
    labels,
    screen,
    screen_files,
    screen_filing,
    screening_facts,
    screening_missing,
)
from .subjects import ROLE_PATHS, roles_missing, subjects_from_facts

__all__ = [
    "ROLE_PATHS",
    "T2S_BACKEND",
    "BlacklistError",
    "BlacklistIndex",
    "Entry",
    "Match",
    "ScreeningResult",
    "Subject",
    "apply_screening",
    "build_index",
    "check_char",
    "credit_code_problem",
    "guess_type",
    "index_for",
    "is_valid_credit_code",
    "labels",
    "load_blacklist",
    "load_blacklists",
    "org_key",
    "person_key",
    "roles_missing",
    "screen",
    "screen_files",
    "screen_for",
    "screen_filing",
    "screening_facts",
    "screening_facts_for",
    "screening_missing",
    "subjects_from_facts",
]
