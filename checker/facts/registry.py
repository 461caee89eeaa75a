"""The fact registry: every fact path, with its type, unit, producer and a one-line description.

Each producer (an extractor module under ``checker/facts/extractors``, a derivation module, the
blacklist screen) declares the facts it sets in a module-level ``PRODUCES`` list; the registry is the
union of those lists. A path is a dotted name where ``{year}`` stands for a four-digit fiscal year.
Exactly one producer may own a path: :func:`registry` raises when two declarations overlap, and the
extraction context refuses a fact its producer did not declare. ``starcheck facts --registry``
prints this table (design.md section 6, contract).
"""

from __future__ import annotations

import importlib
import re
from dataclasses import asdict, dataclass
from functools import lru_cache

TYPES = ("money", "percent", "count", "number", "bool", "text", "names", "date", "year", "code", "codes")


@dataclass(frozen=True)
class FactSpec:
    """One registered fact path."""

    path: str  # e.g. "financials.revenue.{year}"
    type: str  # one of TYPES
    description: str
    unit: str | None = None  # CNY | percent | count | year | CNY/share | None
    producer: str = ""  # the module that sets it (filled in by the registry)

    def pattern(self) -> re.Pattern[str]:
        """The compiled full-match pattern of the path."""
        return _compile(self.path)

    def as_dict(self) -> dict[str, str | None]:
        """JSON form (design.md section 6: path, type, unit, producer, description)."""
        d = asdict(self)
        return {k: d[k] for k in ("path", "type", "unit", "producer", "description")}


@lru_cache(maxsize=None)
def _compile(path: str) -> re.Pattern[str]:
    return re.compile(re.escape(path).replace(r"\{year\}", r"\d{4}") + r"\Z")


def example(path: str) -> str:
    """A concrete instance of a path pattern (for overlap checks)."""
    return path.replace("{year}", "2024")


# The producers, in pipeline order. Extraction (cached per file) first, then derivation, then screening.
EXTRACTION_MODULES = (
    "checker.facts.extractors.document",
    "checker.facts.extractors.chapters",
    "checker.facts.extractors.financials",
    "checker.facts.extractors.listing_standard",
    "checker.facts.extractors.offering",
    "checker.facts.extractors.intermediaries",
    "checker.facts.extractors.parties",
    "checker.facts.extractors.disclosures",
    "checker.facts.extractors.special_voting",
    "checker.facts.extractors.red_chip",
    "checker.facts.extractors.sci_tech",
    "checker.facts.extractors.industry",
    "checker.facts.extractors.lockups",
    "checker.facts.extractors.profit_outlook",
    "checker.facts.extractors.risk_factors",
    "checker.facts.extractors.std5",
    "checker.facts.extractors.consistency",
)
# Extractors that may run in a second process beside the others when a core is idle (checker/facts/run.py):
# none of the others reads their facts (each module's READS names the extractors whose facts it reads;
# tests/facts/test_extractor_reads.py checks READS against what each one reads, and the split).
SIDE_EXTRACTORS = ("listing_standard", "disclosures", "special_voting", "red_chip", "sci_tech", "profit_outlook",
                   "risk_factors")
DERIVATION_MODULES = ("checker.facts.derive", "checker.facts.derive_kc")
SCREENING_MODULES = ("checker.blacklist.screen",)
PRODUCER_MODULES = EXTRACTION_MODULES + DERIVATION_MODULES + SCREENING_MODULES


@lru_cache(maxsize=1)
def registry() -> tuple[FactSpec, ...]:
    """Every registered fact, producer filled in; raises ValueError when two producers overlap."""
    out: list[FactSpec] = []
    for mod_name in PRODUCER_MODULES:
        mod = importlib.import_module(mod_name)
        for spec in getattr(mod, "PRODUCES"):
            if spec.type not in TYPES:
                raise ValueError(f"{mod_name}: fact {spec.path} has unknown type {spec.type!r}")
            out.append(FactSpec(spec.path, spec.type, spec.description, spec.unit, producer=mod_name))
    for i, a in enumerate(out):
        for b in out[i + 1 :]:
            if a.pattern().match(example(b.path)) or b.pattern().match(example(a.path)):
                raise ValueError(f"fact {a.path} is declared by {a.producer} and {b.path} by {b.producer}")
    return tuple(out)


@lru_cache(maxsize=8192)
def spec_for(path: str) -> FactSpec | None:
    """The registered fact a concrete path belongs to (cached: rule validation asks about the same
    paths for every rule file)."""
    for spec in registry():
        if spec.pattern().match(path):
            return spec
    return None


def is_known(path: str) -> bool:
    """True when path is a registered fact (a rule may only read registered facts)."""
    return spec_for(path) is not None


def producer_of(path: str) -> str | None:
    """The module that sets a fact path."""
    spec = spec_for(path)
    return spec.producer if spec else None
