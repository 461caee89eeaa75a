"""Facts extracted from a filing, each with evidence."""

from checker.facts.model import Evidence, Fact, FactSet

__all__ = ["Evidence", "Fact", "FactSet"]
