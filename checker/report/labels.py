"""People's labels of fact paths and localised extraction warnings (they live in the facts layer,
checker/facts/labels.py, so that rule messages can use them too)."""

from checker.facts.labels import fact_label, is_labelled, localize_error, localize_warning

__all__ = ["fact_label", "is_labelled", "localize_error", "localize_warning"]
