"""Findings fixed, new and unchanged between two versions of a filing (e.g. 申报稿 -> 注册稿).

Each rule yields one finding per filing, so the rule id is the identity across versions: the quote
and page of a finding change between drafts, the requirement does not. A finding is open when it
fails or needs review.
"""

from __future__ import annotations

from typing import Any

OPEN = {"fail", "needs_review"}


def diff_findings(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Compare two documents' findings (JSON dicts as in the report)."""
    o = {f["rule_id"]: f for f in old}
    n = {f["rule_id"]: f for f in new}
    out: dict[str, list[dict[str, Any]]] = {"fixed": [], "new": [], "unchanged": [], "changed": []}
    for rid in sorted(set(o) | set(n)):
        a, b = o.get(rid), n.get(rid)
        a_open = a is not None and a["status"] in OPEN
        b_open = b is not None and b["status"] in OPEN
        row = {"rule_id": rid, "old": a["status"] if a else None, "new": b["status"] if b else None,
               "message": (b or a)["message"]}  # type: ignore[index]
        if a_open and not b_open:
            out["fixed"].append(row)
        elif b_open and not a_open:
            out["new"].append(row)
        elif a_open and b_open:
            out["unchanged" if a["status"] == b["status"] else "changed"].append(row)  # type: ignore[index]
    return out
