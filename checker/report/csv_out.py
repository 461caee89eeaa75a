"""CSV output: one row per finding across a batch, for spreadsheets and pandas.

Columns: path, sha256, rule_id, status, severity, page, quote, message_zh, message_en, fingerprint.
``page`` and ``quote`` are the first evidence item's. A filing that could not be checked gets one
row with status ``error`` and the error message in both message columns, so batch users see it.
Cells that a spreadsheet would run as a formula (starting with = + @ or a tab/CR, or ``-`` not
followed by a number) get a leading apostrophe (OWASP "CSV injection").
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from checker.findings import CheckReport
from checker.report.html import sort_findings

if TYPE_CHECKING:
    from checker.ruleset.spec import RuleSpec

COLUMNS = ["path", "sha256", "rule_id", "status", "severity", "page", "quote",
           "message_zh", "message_en", "fingerprint", "as_of", "tool_version", "ruleset_sha256"]
_NUMBER = re.compile(r"-[\d.,]+%?\Z")


def csv_safe(value: object) -> str:
    """Neutralise spreadsheet formulas in a cell; keep negative numbers as they are."""
    s = "" if value is None else str(value)
    if s and (s[0] in "=+@\t\r" or (s[0] == "-" and not _NUMBER.match(s))):
        return "'" + s
    return s


def render_csv(
    report: CheckReport,
    *,
    lang: str = "zh",
    rules: Mapping[str, RuleSpec] | None = None,
    pdf_paths: Mapping[str, Path] | None = None,
    bom: bool = False,
) -> str:
    """The report as CSV text (write it as UTF-8; bom=True prepends U+FEFF for Excel)."""
    del lang, rules, pdf_paths
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(COLUMNS)
    for doc in report.documents:
        if doc.status != "checked":
            msg = doc.error.message if doc.error else ""
            code = doc.error.code if doc.error else ""
            writer.writerow([csv_safe(v) for v in
                             (doc.path, doc.sha256, "", "error", "", "", "", msg, f"{code}: {msg}", "",
                              "", report.tool.version, report.ruleset.sha256)])
            continue
        for f in sort_findings(doc.findings):
            ev = f.evidence[0] if f.evidence else None
            row = [doc.path, doc.sha256, f.rule_id, f.status.value, f.severity.value,
                   ev.page if ev else "", ev.quote if ev else "", f.message.zh, f.message.en, f.fingerprint,
                   doc.as_of or "", report.tool.version, report.ruleset.sha256]
            writer.writerow([csv_safe(v) for v in row])
    return ("\ufeff" if bom else "") + buf.getvalue()
