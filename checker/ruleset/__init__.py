"""Rule specifications (YAML data validated with pydantic) and their loader."""
