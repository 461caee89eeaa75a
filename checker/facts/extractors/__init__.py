"""Extractors by fact namespace: one module (and one lexicon YAML) per namespace; see checker/facts/registry.py for their order."""
