"""CI-native outputs: GitHub Actions workflow commands and GitLab Code Quality JSON.

Both carry the findings a reviewer must act on: ``fail`` and ``needs_review`` (waived, baselined,
passed and not-applicable findings are left out), plus one entry per filing that could not be
checked. A PDF has no lines: the location is line 1 of the file, the page goes into the text.

- ``github``: ``::error file=…,line=1,title=…::message`` lines (``error`` when the finding gates the
  run, ``warning`` otherwise; ``notice`` for info). Values are escaped as the runner requires (%, CR,
  LF, and in properties also ':' and ','), so a filing's text cannot end the command early.
- ``gitlab``: the Code Quality report (a JSON list of issues with description, check_name,
  fingerprint, severity blocker|critical|major|minor|info and location.path / lines.begin).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from checker.findings import CheckReport, Finding, Status
from checker.gate import gate_of

if TYPE_CHECKING:
    from checker.ruleset.spec import RuleSpec

_REPORTED = (Status.FAIL, Status.NEEDS_REVIEW)


def _escape_data(s: str) -> str:
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_prop(s: str) -> str:
    return _escape_data(s).replace(":", "%3A").replace(",", "%2C")


def _where(f: Finding, lang: str) -> str:
    if not f.evidence:
        return ""
    e = f.evidence[0]
    return f" (第{e.page}页)" if lang == "zh" else f" (p. {e.page})"


def _reported(report: CheckReport) -> list[tuple[str, Finding]]:
    return [(d.path, f) for d in report.documents for f in d.findings if f.status in _REPORTED and not f.baselined]


def render_github(report: CheckReport, *, lang: str = "zh", rules: Mapping[str, RuleSpec] | None = None,
                  pdf_paths: Mapping[str, Path] | None = None, **_: Any) -> str:
    """GitHub Actions workflow commands, one line per finding to act on."""
    del rules, pdf_paths
    gate = gate_of(report)
    out = []
    for d in report.documents:
        if d.status != "checked" and d.error:
            out.append(f"::error file={_escape_prop(d.path)},line=1,title={_escape_prop('starcheck ' + d.error.code)}::"
                       f"{_escape_data(d.error.message)}")
    for path, f in _reported(report):
        level = "error" if gate.gates(f) else ("notice" if f.severity.value == "info" else "warning")
        title = f"{f.rule_id} {f.title.get(lang)}"
        text = f.message.get(lang) + _where(f, lang)
        out.append(f"::{level} file={_escape_prop(path)},line=1,title={_escape_prop(title)}::{_escape_data(text)}")
    return "\n".join(out) + ("\n" if out else "")


_GITLAB_SEVERITY = {"error": "critical", "warning": "major", "info": "info"}


def render_gitlab(report: CheckReport, *, lang: str = "zh", rules: Mapping[str, RuleSpec] | None = None,
                  pdf_paths: Mapping[str, Path] | None = None, **_: Any) -> str:
    """GitLab Code Quality JSON (artifacts:reports:codequality)."""
    del rules, pdf_paths
    gate = gate_of(report)
    issues: list[dict[str, Any]] = []
    for d in report.documents:
        if d.status != "checked" and d.error:
            fp = hashlib.sha256(f"{d.path}\x1f{d.error.code}".encode()).hexdigest()
            issues.append({"description": f"{d.path}: {d.error.message}", "check_name": f"starcheck/{d.error.code}",
                           "fingerprint": fp, "severity": "blocker",
                           "location": {"path": d.path, "lines": {"begin": 1}}})
    for path, f in _reported(report):
        sev = _GITLAB_SEVERITY[f.severity.value]
        if gate.gates(f) and f.severity.value == "error":
            sev = "blocker" if f.status == Status.FAIL else "critical"
        fp = hashlib.sha256(f"{path}\x1f{f.rule_id}\x1f{f.fingerprint}".encode()).hexdigest()
        issues.append({
            "description": f"{f.rule_id} {f.title.get(lang)}: {f.message.get(lang)}{_where(f, lang)}",
            "check_name": f.rule_id,
            "fingerprint": fp,
            "severity": sev,
            "categories": ["Compliance"],
            "location": {"path": path, "lines": {"begin": 1}},
        })
    return json.dumps(issues, ensure_ascii=False, indent=2) + "\n"
