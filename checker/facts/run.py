"""Establish a filing's facts: one function, called by ``starcheck check`` and ``starcheck facts`` alike.

Stages, in the order of :mod:`checker.facts.registry`:
1. extraction: the document model (checker/extract/structure.py) is built once, then every extractor
   under ``checker/facts/extractors`` runs in one shared :class:`~checker.facts.context.Ctx`; quotes
   are mapped back to the page's own characters. This stage is what the cache stores.
2. derivation: Decimal arithmetic over the extracted facts (derive, derive_kc).
3. screening: the parties against the blacklists supplied (checker/blacklist/integrate.py:
   ``add_screening_facts``; the pipeline runs it, since the blacklist layer sits above the facts).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from checker.extract.document import Document
from checker.extract.structure import analyse
from checker.facts.context import Ctx
from checker.facts.evidence import restore_raw_quotes
from checker.facts.model import FactSet
from checker.facts.registry import EXTRACTION_MODULES, producer_of


def extract_document(doc: Document) -> FactSet:
    """Stage 1: every extractor over the document model of ``doc``."""
    ctx = Ctx(analyse(doc))
    for name in EXTRACTION_MODULES:
        mod = importlib.import_module(name)
        ctx.enter(mod.NAME, name, mod.PRODUCES)
        mod.extract(ctx)
    restore_raw_quotes(doc, ctx.fs)
    return ctx.fs


def derive_all(facts: FactSet) -> None:
    """Stage 2: derived facts (Decimal), in place."""
    from checker.facts.derive import derive
    from checker.facts.derive_kc import derive_kc

    derive(facts)
    derive_kc(facts)


@dataclass
class Established:
    """A filing's facts after every stage, with what the pipeline needs alongside."""

    facts: FactSet
    pages: int
    warnings: list[str]


def check_producers(facts: FactSet) -> list[str]:
    """Facts whose source is not the registered producer of their path (a contract breach; tests)."""
    bad = []
    for path, fact in facts.facts.items():
        owner = producer_of(path)
        if owner is None or (fact.source.split("/")[0] != owner):
            bad.append(f"{path}: set by {fact.source!r}, registered producer {owner!r}")
    return bad
