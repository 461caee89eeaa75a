"""The canonical JSON document of design.md section 6."""

from __future__ import annotations

import json
from typing import Any

from checker.findings import CheckReport


def render_json(report: CheckReport, **_: Any) -> str:
    """JSON text of the report (stable key order as in the model)."""
    return json.dumps(report.model_dump(mode="json"),
                      ensure_ascii=False, indent=2) + "\n"
