"""Markdown output for CI step summaries (GitHub $GITHUB_STEP_SUMMARY, GitLab MR notes).

One table per filing: rule, status, severity, page, message. Text from a filing or a rule is
escaped so it cannot break the table (``|``, newlines) or inject markup (HTML tags, links,
emphasis): GitHub renders raw HTML inside step summaries.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from checker.facts.labels import localize_error
from checker.findings import CheckReport, Status
from checker.report.html import STATUS_ORDER, sort_findings, ui

if TYPE_CHECKING:
    from checker.ruleset.spec import RuleSpec

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|~])")
_ICON = {
    Status.FAIL: "❌", Status.NEEDS_REVIEW: "⚠️", Status.PASS: "✅",
    Status.NOT_APPLICABLE: "➖", Status.WAIVED: "🔕",
}
MAX_CELL = 300


def md_escape(text: object, limit: int = MAX_CELL) -> str:
    """Text safe inside a Markdown table cell: one line, no markup, no HTML."""
    s = " ".join(str(text).split())
    if len(s) > limit:
        s = s[: limit - 1] + "…"
    s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", s)


def render_markdown(
    report: CheckReport,
    *,
    lang: str = "zh",
    rules: Mapping[str, RuleSpec] | None = None,
    pdf_paths: Mapping[str, Path] | None = None,
) -> str:
    """The report as GitHub-flavoured Markdown."""
    del rules, pdf_paths
    lang = "en" if lang == "en" else "zh"
    out = [f"## {md_escape(ui('ui', 'report_title', lang))}", ""]
    out.append(
        f"{md_escape(report.tool.name)} {md_escape(report.tool.version)} · "
        f"{md_escape(ui('ui', 'ruleset', lang))} {md_escape(report.ruleset.version)} "
        f"(`{report.ruleset.sha256[:12]}`) · "
        f"{md_escape(ui('ui', 'as_of', lang))} {md_escape(report.ruleset.as_of)}"
    )
    out.append("")
    for doc in report.documents:
        out.append(f"### {md_escape(doc.path)}")
        out.append("")
        out.append(f"SHA-256 `{doc.sha256}`" + (f" · {md_escape(ui('ui', 'as_of', lang))} {doc.as_of}" if doc.as_of else ""))
        out.append("")
        if doc.status != "checked":
            msg = doc.error.message if doc.error else ""
            code = doc.error.code if doc.error else "error"
            label = md_escape(ui("status", "error", lang))
            out.append(f"❗ **{label}** ({md_escape(code)}): {md_escape(localize_error(code, msg, doc.path, lang), 1000)}")
            out.append("")
            continue
        counts = " · ".join(
            f"{_ICON[s]} {md_escape(ui('status', s.value, lang))} {doc.summary.get(s.value, 0)}"
            for s in STATUS_ORDER
        )
        out.append(counts)
        out.append("")
        if not doc.findings:
            out.append(md_escape(ui("ui", "no_findings", lang)))
            out.append("")
            continue
        head = [ui("ui", k, lang) for k in ("sort_rule", "filter_status", "filter_severity", "sort_page")]
        head.append(ui("ui", "message", lang))
        out.append("| " + " | ".join(md_escape(h) for h in head) + " |")
        out.append("|---|---|---|---|---|")
        for f in sort_findings(doc.findings):
            pages = ", ".join(str(p) for p in sorted({e.page for e in f.evidence})) or "—"
            message = f.message.get(lang)
            if f.status == Status.WAIVED and f.waiver and f.waiver.get("reason"):
                message += f" ({ui('ui', 'waiver', lang)}: {f.waiver['reason']})"
            if f.baselined:
                message += f" ({ui('ui', 'baselined', lang)})"
            cells = [
                f"`{md_escape(f.rule_id)}`",
                f"{_ICON[f.status]} {md_escape(ui('status', f.status.value, lang))}",
                md_escape(ui("severity", f.severity.value, lang)),
                pages,
                md_escape(message),
            ]
            out.append("| " + " | ".join(cells) + " |")
        out.append("")
    return "\n".join(out)
