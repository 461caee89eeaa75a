"""The CI gate (design.md section 6): which findings fail a run, and the exit code.

A finding *gates* when it is unresolved and at or above ``--fail-on``: a ``fail``, and also a
``needs_review`` unless ``--no-fail-on-review`` (config ``fail_on_review = false``): an item a person
must still look at is not a green build. Waivers (status ``waived``) and a baseline (``baselined``)
resolve findings. Exit codes: 0 nothing gates, 1 something gates, 2 usage error, a run that checked
nothing, or a file that could not be checked. Every formatter that marks failures (JUnit, SARIF,
text, Markdown) asks this module, so the report and the exit code agree.
"""

from __future__ import annotations

from dataclasses import dataclass

from checker.findings import SEVERITY_RANK, CheckReport, Finding, Severity, Status


@dataclass(frozen=True)
class Gate:
    """The policy of one run."""

    fail_on: str = "error"  # error | warning | never
    fail_on_review: bool = True

    def gates(self, f: Finding) -> bool:
        """Whether this finding makes the run fail."""
        if self.fail_on == "never" or f.baselined:
            return False
        if f.status == Status.FAIL or (f.status == Status.NEEDS_REVIEW and self.fail_on_review):
            return SEVERITY_RANK[f.severity] >= SEVERITY_RANK[Severity(self.fail_on)]
        return False

    def exit_code(self, report: CheckReport) -> int:
        """0, 1 or 2 for a finished report."""
        if not report.documents or any(d.status == "error" for d in report.documents):
            return 2
        return 1 if any(self.gates(f) for d in report.documents for f in d.findings) else 0

    def as_dict(self) -> dict[str, object]:
        return {"fail_on": self.fail_on, "fail_on_review": self.fail_on_review}


def gate_of(report: CheckReport) -> Gate:
    """The gate a report was produced under (the default policy for reports that carry none)."""
    g = report.gate or {}
    return Gate(fail_on=str(g.get("fail_on", "error")), fail_on_review=bool(g.get("fail_on_review", True)))
