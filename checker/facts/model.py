"""The fact model (design.md section 5 is the contract for paths and JSON shape).

A fact is a value found in (or derived from) a filing, with the evidence that supports it:
the physical page (1-based), the printed page label where known, and a short quote.
Money is held as Decimal yuan internally and serialised as a JSON number.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pydantic import BaseModel, Field, field_serializer

FactValue = str | bool | int | Decimal | float | list[str] | None

QUOTE_MAX = 300


class Evidence(BaseModel):
    """Where a fact was seen."""

    page: int = Field(description="1-based physical page number")
    quote: str = Field(description="exact extracted text, at most ~300 characters")
    page_label: str | None = Field(default=None, description="printed page label, e.g. 1-1-35")
    section: str | None = Field(default=None, description="chapter or heading the quote sits in")
    searched: list[int] | None = Field(
        default=None, description="[first, last] page searched, when the evidence shows an absence"
    )
    note: str | None = Field(
        default=None, description="what the evidence shows when it is not a finding in itself, e.g. "
        "the pages searched for a disclosure that is absent (the quote stays verbatim page text)"
    )

    def model_post_init(self, __context: Any) -> None:  # noqa: D105
        if len(self.quote) > QUOTE_MAX:
            self.quote = self.quote[: QUOTE_MAX - 1] + "…"


class Fact(BaseModel):
    """One extracted or derived fact."""

    path: str
    value: FactValue
    unit: str | None = Field(default=None, description="CNY | percent | count | None")
    evidence: list[Evidence] = Field(default_factory=list)
    confidence: float = Field(default=1.0, ge=0.0, le=1.0)
    source: str = Field(default="", description="extractor that produced the fact")
    details: dict[str, Any] | None = Field(
        default=None, description="structured detail for reports (never seen by the rule engine)"
    )

    @field_serializer("value")
    def _ser_value(self, v: FactValue) -> Any:
        if isinstance(v, Decimal):
            return int(v) if v == v.to_integral_value() else float(v)
        return v


class FactSet(BaseModel):
    """All facts of one filing, keyed by path, plus the paths looked for and not found."""

    facts: dict[str, Fact] = Field(default_factory=dict)
    missing: dict[str, str] = Field(
        default_factory=dict, description="path -> why it could not be established"
    )
    disputed: dict[str, list[Evidence]] = Field(
        default_factory=dict,
        description="path -> the sightings that disagree (the path is missing: a person must decide)",
    )

    def add(self, fact: Fact) -> None:
        """Add a fact; a fact already present keeps the higher-confidence value."""
        old = self.facts.get(fact.path)
        if old is None or fact.confidence > old.confidence:
            self.facts[fact.path] = fact
            self.missing.pop(fact.path, None)
            self.disputed.pop(fact.path, None)

    def mark_missing(self, path: str, why: str) -> None:
        """Record that a fact was looked for and not established."""
        if path not in self.facts:
            self.missing[path] = why

    def mark_disputed(self, path: str, why: str, evidence: list[Evidence]) -> None:
        """Record that the filing states a fact in ways that disagree: missing, with both sides quoted."""
        if path not in self.facts:
            self.missing[path] = why
            self.disputed[path] = evidence[:6]

    def get(self, path: str) -> Fact | None:
        """The fact at path, or None."""
        return self.facts.get(path)

    def value(self, path: str, default: Any = None) -> Any:
        """The value at path, or default."""
        f = self.facts.get(path)
        return default if f is None else f.value

    def years(self, prefix: str) -> dict[int, Fact]:
        """Facts under a year-indexed prefix such as ``financials.revenue``."""
        out: dict[int, Fact] = {}
        for path, f in self.facts.items():
            head, _, tail = path.rpartition(".")
            if head == prefix and tail.isdigit():
                out[int(tail)] = f
        return out

    def as_list(self) -> list[Fact]:
        """Facts in a stable order, for output."""
        return [self.facts[k] for k in sorted(self.facts)]
