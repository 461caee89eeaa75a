"""JUnit XML output (Jenkins junit, GitLab artifacts:reports:junit, Azure DevOps).

Mapping:
- ``<testsuites>`` holds one ``<testsuite name="<filing path>">`` per filing;
- one ``<testcase classname="starcheck.<family>" name="<rule id> <English title>">`` per finding;
- a finding that gates the run (checker/gate.py: ``fail``, and ``needs_review`` unless
  ``--no-fail-on-review``, at or above ``--fail-on``) -> ``<failure type="<severity>">`` for a fail,
  ``<failure type="needs_review">`` for a needs_review, with the details as text: the JUnit file and
  the exit code agree;
- a fail or needs_review below the gate -> a passing testcase whose ``<system-out>`` says what it is;
- a finding already in the ``--baseline`` -> ``<skipped message="baseline: …">`` (known, not counted);
- ``not_applicable`` and ``waived`` -> ``<skipped message>`` (the reason / waiver justification);
- a filing that could not be checked -> one testcase with ``<error message type="<code>">``.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from checker.findings import CheckReport, DocumentResult, Finding, Status
from checker.gate import Gate, gate_of

if TYPE_CHECKING:
    from checker.ruleset.spec import RuleSpec

# XML 1.0 forbids most control characters; PDF text extraction can produce them.
_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(text: object) -> str:
    """Text with the characters XML 1.0 cannot carry removed."""
    return _XML_BAD.sub("", str(text))


def _family(f: Finding) -> str:
    if f.family:
        return f.family
    parts = f.rule_id.split("-")
    return parts[1] if len(parts) >= 3 else "other"


def _details(f: Finding, lang: str) -> str:
    other = "en" if lang == "zh" else "zh"
    lines = [f"{f.rule_id} [{f.status.value}/{f.severity.value}]", f.message.get(lang), f.message.get(other)]
    for ev in f.evidence:
        label = f" ({ev.page_label})" if ev.page_label else ""
        section = f" §{ev.section}" if ev.section else ""
        lines.append(f"p. {ev.page}{label}{section}: {ev.quote}")
    for key, value in sorted(f.values.items()):
        lines.append(f"{key} = {value}")
    for c in f.citation:
        flag = "" if c.confirmed else " [unconfirmed]"
        lines.append(f"{c.source} {c.article} ({c.version}){flag}")
    if f.fingerprint:
        lines.append(f"fingerprint {f.fingerprint}")
    return xml_text("\n".join(lines))


def _suite(doc: DocumentResult, lang: str, stamp: dict[str, str] | None = None, gate: Gate | None = None) -> ET.Element:
    gate = gate or Gate()
    suite = ET.Element("testsuite", {"name": xml_text(doc.path), "time": "0"})
    props = ET.SubElement(suite, "properties")
    for key, value in (stamp or {}).items():  # reproducibility stamp
        ET.SubElement(props, "property", {"name": key, "value": value})
    ET.SubElement(props, "property", {"name": "sha256", "value": doc.sha256})
    ET.SubElement(props, "property", {"name": "as_of", "value": doc.as_of or ""})
    ET.SubElement(props, "property", {"name": "pages", "value": str(doc.pages)})
    tests = failures = errors = skipped = 0
    if doc.status != "checked":
        code = doc.error.code if doc.error else "error"
        message = doc.error.message if doc.error else "document could not be checked"
        case = ET.SubElement(suite, "testcase", {
            "classname": "starcheck.document",
            "name": xml_text(f"{doc.path} could not be checked"),
            "time": "0",
        })
        err = ET.SubElement(case, "error", {"message": xml_text(message), "type": xml_text(code)})
        err.text = xml_text(message)
        tests, errors = 1, 1
    for f in doc.findings:
        tests += 1
        case = ET.SubElement(suite, "testcase", {
            "classname": f"starcheck.{_family(f)}",
            "name": xml_text(f"{f.rule_id} {f.title.get(lang)}"),
            "time": "0",
        })
        message = xml_text(f.message.get(lang))
        if gate.gates(f):
            failures += 1
            kind = f.severity.value if f.status == Status.FAIL else "needs_review"
            node = ET.SubElement(case, "failure", {"message": message, "type": kind})
            node.text = _details(f, lang)
        elif f.baselined:
            skipped += 1
            ET.SubElement(case, "skipped", {"message": xml_text(f"baseline: known {f.status.value} ({f.fingerprint})")})
        elif f.status == Status.FAIL:
            out = ET.SubElement(case, "system-out")
            out.text = "FAIL below the gate (--fail-on): " + _details(f, lang)
        elif f.status in (Status.NOT_APPLICABLE, Status.WAIVED):
            skipped += 1
            if f.status == Status.WAIVED:
                reason = (f.waiver or {}).get("reason") or ""
                message = xml_text(f"waived: {reason}" if reason else "waived")
            ET.SubElement(case, "skipped", {"message": message})
        elif f.status == Status.NEEDS_REVIEW:
            out = ET.SubElement(case, "system-out")
            out.text = "NEEDS REVIEW: " + _details(f, lang)
    suite.set("tests", str(tests))
    suite.set("failures", str(failures))
    suite.set("errors", str(errors))
    suite.set("skipped", str(skipped))
    # Element order: attributes first in output for readability.
    return suite


def render_junit(
    report: CheckReport,
    *,
    lang: str = "zh",
    rules: Mapping[str, RuleSpec] | None = None,
    pdf_paths: Mapping[str, Path] | None = None,
) -> str:
    """The report as JUnit XML text (UTF-8 declaration included)."""
    del rules, pdf_paths
    root = ET.Element("testsuites", {"name": f"{report.tool.name} {report.tool.version}"})
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for doc in report.documents:
        suite = _suite(doc, lang, {"tool_version": report.tool.version,
                                   "ruleset_sha256": report.ruleset.sha256}, gate_of(report))
        for key in totals:
            totals[key] += int(suite.get(key, "0"))
        root.append(suite)
    for key, value in totals.items():
        root.set(key, str(value))
    root.set("time", "0")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
