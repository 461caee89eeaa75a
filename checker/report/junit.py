"""JUnit XML output (Jenkins junit, GitLab artifacts:reports:junit, Azure DevOps).

Mapping:
- ``<testsuites>`` holds one ``<testsuite name="<filing path>">`` per filing;
- one ``<testcase classname="starcheck.<family>" name="<rule id> <English title>">`` per finding;
- ``fail`` -> ``<failure message type="<severity>">`` with the details as text;
- ``not_applicable`` and ``waived`` -> ``<skipped message>`` (the reason / waiver justification);
- ``needs_review`` -> a *passing* testcase with ``<system-out>`` saying it needs review. JUnit has no
  "unknown" outcome; counting it as failure would break builds on extraction gaps that
  ``--fail-on`` decides separately, and counting it as skipped hides it in Jenkins. The CLI exit code,
  not the JUnit file, decides whether a job fails (GitLab ignores the report for job status);
- a filing that could not be checked -> one testcase with ``<error message type="<code>">``.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from checker.findings import CheckReport, DocumentResult, Finding, Status

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


def _suite(doc: DocumentResult, lang: str, stamp: dict[str, str] | None = None) -> ET.Element:
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
            "name": xml_text(f"{f.rule_id} {f.title.en}"),
            "time": "0",
        })
        message = xml_text(f.message.get(lang))
        if f.status == Status.FAIL:
            failures += 1
            node = ET.SubElement(case, "failure", {"message": message, "type": f.severity.value})
            node.text = _details(f, lang)
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
                                   "ruleset_sha256": report.ruleset.sha256})
        for key in totals:
            totals[key] += int(suite.get(key, "0"))
        root.append(suite)
    for key, value in totals.items():
        root.set(key, str(value))
    root.set("time", "0")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
