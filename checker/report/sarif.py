"""SARIF 2.1.0 output for code-scanning consumers (GitHub code scanning, Azure DevOps, sarif-tools).

Mapping (see docs in the module functions):
- only ``fail``, ``needs_review`` and ``waived`` findings become results; ``pass`` and
  ``not_applicable`` are not results (SARIF has no notion of a passed check worth showing);
- level: severity error/warning/info -> error/warning/note for ``fail`` and ``waived``;
  ``needs_review`` -> note, or warning when the rule's severity is error;
- ``waived`` results carry ``suppressions: [{kind: external, justification}]``;
- PDFs have no lines: region.startLine is 1, the page sits in region.properties, in the message
  and (with the quote) in region.snippet; the section goes into logicalLocations;
- ``partialFingerprints["starcheck/v1"]`` is the finding's fingerprint (no page numbers in it).
A filing that could not be checked becomes a toolExecutionNotification of level error.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any
from urllib.parse import quote as url_quote

from checker.findings import CheckReport, Finding, Severity, Status

if TYPE_CHECKING:
    from checker.ruleset.spec import RuleSpec

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
FINGERPRINT_KEY = "starcheck/v1"
_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
MAX_LOCATIONS = 1000  # GitHub limit per result


def result_level(finding: Finding) -> str | None:
    """SARIF level of a finding, or None when it is not reported as a result."""
    if finding.status in (Status.PASS, Status.NOT_APPLICABLE):
        return None
    if finding.status == Status.NEEDS_REVIEW:
        return "warning" if finding.severity == Severity.ERROR else "note"
    return _LEVEL[finding.severity]


def artifact_uri(path: str) -> str:
    """The document path as a URI reference: relative stays relative (percent-encoded), '/' separators."""
    p = path.replace("\\", "/")
    if Path(path).is_absolute():
        return Path(path).as_uri()
    return url_quote(str(PurePosixPath(p)), safe="/._-~")


def _rule_descriptor(
    rule_id: str, spec: RuleSpec | None, sample: Finding | None, lang: str
) -> dict[str, Any]:
    if spec is not None:
        short = spec.title.get(lang)
        full = spec.description.get(lang)
        severity = spec.severity
        tags = list(spec.tags)[:20]
        name = spec.name
        help_md = f"{spec.description.get(lang)}"
        if spec.rationale is not None:
            help_md += f"\n\n{spec.rationale.get(lang)}"
        cites = [f"{c.source} {c.article} ({c.version}){'' if c.confirmed else ' [unconfirmed]'}"
                 for c in spec.citations]
        if cites:
            help_md += "\n\n" + "\n".join(f"- {c}" for c in cites)
    else:
        assert sample is not None
        short = sample.title.get(lang)
        full = sample.title.get(lang)
        severity = sample.severity
        tags = []
        name = rule_id
        help_md = short
    family = rule_id.split("-")[1] if rule_id.count("-") >= 2 else ""
    props: dict[str, Any] = {"tags": tags or ([family] if family else [])}
    if spec is not None:
        props["precision"] = {"high": "high", "medium": "medium", "low": "low"}[spec.confidence]
    return {
        "id": rule_id,
        "name": name,
        "shortDescription": {"text": short},
        "fullDescription": {"text": full},
        # NOTE: the full help text, not a helpUri: a relative URI resolves against nothing in a
        # code-scanning UI, and starcheck has no website to point at.
        "help": {"text": help_md, "markdown": help_md},
        "defaultConfiguration": {"level": _LEVEL[severity]},
        "properties": props,
    }


def _location(uri: str, ev: Any) -> dict[str, Any]:
    region: dict[str, Any] = {"startLine": 1}
    if ev is not None:
        props: dict[str, Any] = {"page": ev.page}
        if ev.page_label:
            props["pageLabel"] = ev.page_label
        region["properties"] = props
        if ev.quote:
            region["snippet"] = {"text": ev.quote}
    loc: dict[str, Any] = {"physicalLocation": {"artifactLocation": {"uri": uri}, "region": region}}
    if ev is not None and ev.section:
        loc["logicalLocations"] = [{"name": ev.section, "kind": "section"}]
    if ev is not None:
        loc["message"] = {"text": f"p. {ev.page}" + (f" ({ev.page_label})" if ev.page_label else "")}
    return loc


def _message(finding: Finding, lang: str) -> str:
    text = finding.message.get(lang)
    pages = sorted({e.page for e in finding.evidence})
    if pages:
        text += " (p. " + ", ".join(str(p) for p in pages) + ")"
    return text


def build_sarif(
    report: CheckReport,
    *,
    lang: str = "zh",
    rules: Mapping[str, RuleSpec] | None = None,
) -> dict[str, Any]:
    """The SARIF log as a dict."""
    rules = rules or {}
    samples: dict[str, Finding] = {}
    for doc in report.documents:
        for f in doc.findings:
            samples.setdefault(f.rule_id, f)
    rule_ids = sorted(set(rules) | set(samples))
    descriptors = [_rule_descriptor(r, rules.get(r), samples.get(r), lang) for r in rule_ids]
    index = {r: i for i, r in enumerate(rule_ids)}

    artifacts: list[dict[str, Any]] = []
    results: list[dict[str, Any]] = []
    notifications: list[dict[str, Any]] = []
    for doc in report.documents:
        uri = artifact_uri(doc.path)
        art_index = len(artifacts)
        artifact: dict[str, Any] = {"location": {"uri": uri}}
        if doc.sha256:
            artifact["hashes"] = {"sha-256": doc.sha256}
        artifacts.append(artifact)
        if doc.status != "checked":
            msg = doc.error.message if doc.error else "document could not be checked"
            note: dict[str, Any] = {
                "level": "error",
                "message": {"text": f"{doc.path}: {msg}"},
                "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri, "index": art_index}}}],
            }
            if doc.error:
                note["descriptor"] = {"id": doc.error.code}
            notifications.append(note)
            continue
        for f in doc.findings:
            level = result_level(f)
            if level is None:
                continue
            evs: list[Any] = list(f.evidence[:MAX_LOCATIONS]) or [None]
            locations = [_location(uri, ev) for ev in evs]
            for loc in locations:
                loc["physicalLocation"]["artifactLocation"]["index"] = art_index
            res: dict[str, Any] = {
                "ruleId": f.rule_id,
                "ruleIndex": index[f.rule_id],
                "level": level,
                "kind": "review" if f.status == Status.NEEDS_REVIEW else "fail",
                "message": {"text": _message(f, lang)},
                "locations": locations[:1],
                "partialFingerprints": {FINGERPRINT_KEY: f.fingerprint or f.compute_fingerprint()},
                "properties": {
                    "status": f.status.value,
                    "severity": f.severity.value,
                    "message_zh": f.message.zh,
                    "message_en": f.message.en,
                    "values": json.loads(json.dumps(f.values, default=str)),
                    "citations": [c.model_dump() for c in f.citation],
                },
            }
            if len(locations) > 1:
                res["relatedLocations"] = [dict(loc, id=i) for i, loc in enumerate(locations[1:], 1)]
            if f.status == Status.WAIVED:
                reason = (f.waiver or {}).get("reason") or "waived"
                res["suppressions"] = [{"kind": "external", "justification": str(reason)}]
            if report.baseline is not None:
                res["baselineState"] = "unchanged" if f.baselined else "new"
            results.append(res)
    for gone in (report.baseline or {}).get("absent") or []:
        # in the baseline, not in this run: fixed (or no longer found)
        rid = gone.get("rule_id", "")
        if rid not in index:
            index[rid] = len(descriptors)
            descriptors.append(_rule_descriptor(rid, rules.get(rid), None, lang)
                               if rules.get(rid) else {"id": rid, "shortDescription": {"text": rid}})
        gone_msg = gone.get("message") or {}
        results.append({
            "ruleId": rid, "ruleIndex": index[rid], "level": "none", "kind": "pass", "baselineState": "absent",
            "message": {"text": str(gone_msg.get(lang) or gone_msg.get("en") or rid)},
            "locations": [{"physicalLocation": {"artifactLocation": {"uri": artifact_uri(str(gone.get("path", "")))}}}],
            "partialFingerprints": {FINGERPRINT_KEY: str(gone.get("fingerprint", ""))},
            "properties": {"status": gone.get("status"), "severity": gone.get("severity")},
        })

    invocation: dict[str, Any] = {"executionSuccessful": not notifications}
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    run = {
        "tool": {
            "driver": {
                "name": report.tool.name,
                "version": report.tool.version,
                "semanticVersion": report.tool.version,
                "rules": descriptors,
                "properties": {
                    "ruleset": report.ruleset.version,
                    "rulesetSha256": report.ruleset.sha256,
                    "asOf": report.ruleset.as_of,
                },
            }
        },
        "invocations": [invocation],
        "artifacts": artifacts,
        "results": results,
        "columnKind": "unicodeCodePoints",
        "properties": {"generatedAt": report.generated_at},
    }
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}


def render_sarif(
    report: CheckReport,
    *,
    lang: str = "zh",
    rules: Mapping[str, RuleSpec] | None = None,
    pdf_paths: Mapping[str, Path] | None = None,
) -> str:
    """The report as a SARIF 2.1.0 log (JSON text). pdf_paths is accepted for a uniform signature."""
    del pdf_paths
    return json.dumps(build_sarif(report, lang=lang, rules=rules), ensure_ascii=False, indent=2) + "\n"
