"""Waivers (a reviewer's decision, with a reason) and baselines (only new failures count).

starcheck-waivers.yaml:

    waivers:
      - rule: STAR-UNP-001
        match: {fingerprint: 3f2a...}      # or {page: 12}, or {fact_path: disclosure.unprofitability_notice}
        file: "*注册稿*.pdf"               # optional: glob on the filing's path, or its sha256
        reason: 重大事项提示第3页已以其他表述披露
        approved_by: 张三
        expires: 2027-06-30                # optional; an expired waiver no longer applies and is reported

A waived finding keeps its place in every report with status `waived` and the waiver's reason.
Waivers that matched nothing and expired waivers are reported.
"""

from __future__ import annotations

import fnmatch
import json
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from checker.errors import StarcheckError
from checker.findings import CheckReport, Finding, Status
from checker.ruleset.spec import RuleSpec


class WaiverError(StarcheckError):
    """A waiver file that does not validate."""

    code = "waiver_error"


class Match(BaseModel):
    """What a waiver matches within its rule (exactly one key)."""

    model_config = ConfigDict(extra="forbid")
    fingerprint: str | None = None
    page: int | None = None
    fact_path: str | None = None

    @model_validator(mode="after")
    def _one(self) -> Match:
        if sum(x is not None for x in (self.fingerprint, self.page, self.fact_path)) != 1:
            raise ValueError("match needs exactly one of fingerprint, page, fact_path")
        return self


class Waiver(BaseModel):
    """One waiver entry."""

    model_config = ConfigDict(extra="forbid")
    rule: str
    match: Match
    reason: str = Field(min_length=3)
    approved_by: str | None = None
    expires: date | None = None
    file: str | None = None
    line: int = 0  # where it stands in the waiver file

    def expired(self, as_of: date) -> bool:
        """Whether the waiver no longer applies."""
        return self.expires is not None and self.expires < as_of


def load_waivers(path: Path) -> list[Waiver]:
    """Waivers of a file; errors name the file and the entry's line."""
    import yaml  # PyYAML only where a ledger is read (a run without waivers reads none)

    from checker import yamlsafe

    try:
        text = path.read_text(encoding="utf-8")
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yamlsafe.load(text)
    except (OSError, yaml.YAMLError, RecursionError) as e:
        raise WaiverError(f"{path}: cannot read waivers: {e}") from e
    if not isinstance(data, dict) or not isinstance(data.get("waivers"), list):
        raise WaiverError(f"{path}: expected a mapping with a 'waivers' list")
    lines = []
    for k, v in node.value:  # type: ignore[union-attr]
        if k.value == "waivers":
            lines = [item.start_mark.line + 1 for item in v.value]
    out = []
    for i, raw in enumerate(data["waivers"]):
        line = lines[i] if i < len(lines) else 0
        try:
            w = Waiver.model_validate({**(raw or {}), "line": line})
        except (ValidationError, TypeError) as e:
            msg = e.errors()[0] if isinstance(e, ValidationError) else {"loc": (), "msg": str(e)}
            loc = ".".join(str(x) for x in msg["loc"]) or "entry"
            raise WaiverError(f"{path}:{line}: waiver {i + 1}: '{loc}': {msg['msg']}") from e
        out.append(w)
    return out


def check_waiver_rules(waivers: list[Waiver], rule_ids: list[str], path: Path | None) -> None:
    """A waiver for a rule that does not exist would do nothing: an error naming its line."""
    from checker.config import did_you_mean

    known = {r.upper() for r in rule_ids}
    for w in waivers:
        if w.rule.upper() not in known:
            raise WaiverError(f"{path or 'waivers'}:{w.line}: waiver for unknown rule {w.rule!r}"
                              f"{did_you_mean(w.rule, sorted(rule_ids))}")


def _applies(w: Waiver, f: Finding, doc_path: str, doc_sha: str, spec: RuleSpec | None) -> bool:
    if w.rule.upper() != f.rule_id:
        return False
    if w.file and not (fnmatch.fnmatch(doc_path, w.file) or fnmatch.fnmatch(Path(doc_path).name, w.file)
                       or w.file == doc_sha):
        return False
    m = w.match
    if m.fingerprint is not None:
        return m.fingerprint == f.fingerprint
    if m.page is not None:
        return any(e.page == m.page for e in f.evidence)
    return spec is not None and m.fact_path in spec.referenced_facts()


def apply_waivers(report: CheckReport, waivers: list[Waiver], specs: dict[str, RuleSpec],
                  as_of: date) -> dict[str, list[dict[str, Any]]]:
    """Mark matching fail / needs_review findings as waived; return unused and expired waivers."""
    used: set[int] = set()
    expired = [w for w in waivers if w.expired(as_of)]
    for doc in report.documents:
        for f in doc.findings:
            if f.status not in (Status.FAIL, Status.NEEDS_REVIEW):
                continue
            for i, w in enumerate(waivers):
                if w.expired(as_of) or not _applies(w, f, doc.path, doc.sha256, specs.get(f.rule_id)):
                    continue
                used.add(i)
                f.waiver = {"reason": w.reason, "approved_by": w.approved_by,
                            "expires": w.expires.isoformat() if w.expires else None,
                            "original_status": f.status.value, "line": w.line}
                f.status = Status.WAIVED
                break
        doc.summarise()
    unused = [w for i, w in enumerate(waivers) if i not in used and not w.expired(as_of)]
    dump = lambda ws: [w.model_dump(mode="json") for w in ws]  # noqa: E731
    return {"unused": dump(unused), "expired": dump(expired)}


UNRESOLVED = ("fail", "needs_review")


def baseline_fingerprints(path: Path) -> dict[tuple[str, str], dict[str, Any]]:
    """The unresolved findings (fail, needs_review) of a previous JSON report, by (rule_id, fingerprint),
    each with what is needed to report it as absent (path, status, severity, message)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return {(f["rule_id"], f["fingerprint"]): {"path": d.get("path", ""), "rule_id": f["rule_id"],
                                                     "fingerprint": f["fingerprint"], "status": f["status"],
                                                     "severity": f.get("severity", "error"),
                                                     "message": f.get("message") or {}}
                for d in data["documents"] for f in d.get("findings", []) if f.get("status") in UNRESOLVED}
    except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError) as e:
        raise StarcheckError(f"{path}: not a starcheck JSON report usable as a baseline ({e})",
                             code="baseline_error") from e


def apply_baseline(report: CheckReport, known: dict[tuple[str, str], dict[str, Any]] | set[tuple[str, str]]) -> int:
    """Flag unresolved findings already in the baseline (they are shown, not counted for the exit code)
    and record the baseline's findings this run no longer has (``report.baseline['absent']``)."""
    n = 0
    matched: set[tuple[str, str]] = set()
    for doc in report.documents:
        for f in doc.findings:
            key = (f.rule_id, f.fingerprint)
            if f.status.value in UNRESOLVED and key in known:
                f.baselined = True
                matched.add(key)
                n += 1
    absent = [v for k, v in known.items() if k not in matched] if isinstance(known, dict) else []
    report.baseline = {**(report.baseline or {}), "known_failures": n, "absent": absent}
    return n
