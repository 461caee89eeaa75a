"""The matching index: built once per set of lists, queried per subject in O(1)-ish time.

* ``names``   normalised name / alias key → postings (entry, basis, matched value), both types;
* ``codes``   unified social credit code → entries;
* ``deletes`` deletion neighbourhood of organisation keys (key and every one-character deletion
  → keys), so an organisation name at edit distance 1 is found with len(key)+1 dictionary look-ups;
* ``latin``   letters-only key of romanised person entries (``Zhang Wei`` → ``zhangwei``);
* ``pinyin``  pinyin keys of Chinese person entries (张伟 → ``zhangwei``, ``weizhang``).

No query ever loops over the list.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from .creditcode import normalize_credit_code
from .model import Entry, Match, Subject
from .normalize import (
    deletions,
    has_cjk,
    is_cjk_name_key,
    latin_key,
    name_key,
    pinyin_keys,
    within_one_edit,
)

# organisation keys shorter than this are not fuzzy-matched (too many accidental neighbours)
MIN_FUZZY_LEN = 4


@dataclass(frozen=True, slots=True)
class Posting:
    """An entry reachable under a key, and which of its names produced the key."""

    entry: int  # index into BlacklistIndex.entries
    basis: str  # name | alias
    value: str  # the entry's name or alias as written in the list


class BlacklistIndex:
    """Dictionaries over one or more blacklists; see the module docstring."""

    def __init__(self, entries: Iterable[Entry], *, pinyin: bool = True) -> None:
        self.entries: list[Entry] = list(entries)
        self.names: dict[str, list[Posting]] = defaultdict(list)
        self.codes: dict[str, list[int]] = defaultdict(list)
        self.deletes: dict[str, Any] = defaultdict(set)  # set while building, tuple once frozen
        self.latin: dict[str, list[Posting]] = defaultdict(list)
        self.pinyin: dict[str, list[Posting]] = defaultdict(list)
        self.pinyin_enabled = pinyin
        files: dict[str, None] = {}
        for i, e in enumerate(self.entries):
            if e.list_file:
                files[e.list_file] = None
            self._add(i, e)
        self.list_files: list[str] = list(files)
        # plain dicts from here on: a miss must not insert keys
        self.names = dict(self.names)
        self.codes = dict(self.codes)
        # tuples take a quarter of a set's memory; most neighbourhoods hold one key
        self.deletes = {k: tuple(v) for k, v in self.deletes.items()}
        self.latin = dict(self.latin)
        self.pinyin = dict(self.pinyin)

    def __len__(self) -> int:
        return len(self.entries)

    def _add(self, i: int, e: Entry) -> None:
        if e.credit_code:
            self.codes[e.credit_code].append(i)
        seen: set[str] = set()
        for basis, value in [("name", e.name)] + [("alias", a) for a in e.aliases]:
            key = name_key(value, e.type)
            if not key or key in seen:
                continue
            seen.add(key)
            post = Posting(i, basis, value)
            self.names[key].append(post)
            if e.type == "organization":
                if len(key) >= MIN_FUZZY_LEN:
                    self.deletes[key].add(key)
                    for d in deletions(key):
                        self.deletes[d].add(key)
            elif self.pinyin_enabled:
                if is_cjk_name_key(key):
                    for pk in pinyin_keys(key):
                        self.pinyin[pk].append(post)
                else:
                    lk = latin_key(value)
                    if lk:
                        self.latin[lk].append(post)

    # ------------------------------------------------------------ queries

    def candidates(self, subject: Subject) -> Iterator[tuple[str, str, Posting | int, str, dict]]:
        """Yield (kind, basis, posting-or-entry-index, subject_value, detail) for one subject."""
        if subject.credit_code:
            code = normalize_credit_code(subject.credit_code)
            for i in self.codes.get(code, ()):
                yield "hit", "credit_code", i, code, {}
        key = name_key(subject.name, subject.type)
        if not key:
            return
        for post in self.names.get(key, ()):
            etype = self.entries[post.entry].type
            if etype == subject.type:
                yield "hit", post.basis, post, subject.name, {"key": key}
            else:
                yield (
                    "near_miss",
                    "type_mismatch",
                    post,
                    subject.name,
                    {
                        "key": key,
                        "subject_type": subject.type,
                        "entry_type": etype,
                        "entry_basis": post.basis,
                    },
                )
        if subject.type == "organization" and len(key) >= MIN_FUZZY_LEN:
            near: set[str] = set(self.deletes.get(key, ()))
            for d in deletions(key):
                near.update(self.deletes.get(d, ()))
            near.discard(key)
            for other in sorted(near):
                if not within_one_edit(key, other):
                    continue  # e.g. a transposition: distance 2
                for post in self.names.get(other, ()):
                    if self.entries[post.entry].type == "organization":
                        yield (
                            "near_miss",
                            "edit_distance",
                            post,
                            subject.name,
                            {
                                "distance": 1,
                                "subject_key": key,
                                "entry_key": other,
                                "entry_basis": post.basis,
                            },
                        )
        if subject.type == "person" and self.pinyin_enabled:
            if is_cjk_name_key(key):
                for pk in sorted(pinyin_keys(key)):
                    for post in self.latin.get(pk, ()):
                        yield (
                            "near_miss",
                            "pinyin",
                            post,
                            subject.name,
                            {
                                "pinyin": pk,
                                "entry_basis": post.basis,
                            },
                        )
            elif not has_cjk(key):
                lk = latin_key(subject.name)
                for post in self.pinyin.get(lk, ()) if lk else ():
                    yield (
                        "near_miss",
                        "pinyin",
                        post,
                        subject.name,
                        {
                            "pinyin": lk,
                            "entry_basis": post.basis,
                        },
                    )

    def lookup(self, subject: Subject) -> list[Match]:
        """All matches of one subject, at most one per entry (an exact match beats a near miss)."""
        best: dict[int, Match] = {}
        for kind, basis, ref, subject_value, detail in self.candidates(subject):
            if isinstance(ref, Posting):
                idx, value = ref.entry, ref.value
            else:
                idx = ref
                value = self.entries[idx].credit_code or ""
            old = best.get(idx)
            if old is not None and (old.kind == "hit" or kind == "near_miss"):
                continue
            best[idx] = Match(
                kind=kind,
                basis=basis,
                subject=subject,
                entry=self.entries[idx],
                matched_value=value,
                subject_value=subject_value,
                detail=detail,
            )
        return [best[i] for i in sorted(best)]
