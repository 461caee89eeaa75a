"""Terminal summary: one block per filing, failing findings first, with page and quote."""

from __future__ import annotations

from typing import Any

from checker.findings import CheckReport, Status

_ORDER = {Status.FAIL: 0, Status.NEEDS_REVIEW: 1, Status.WAIVED: 2, Status.PASS: 3, Status.NOT_APPLICABLE: 4}
_LABEL = {
    "zh": {"fail": "不合规", "needs_review": "需人工审核", "pass": "合规", "not_applicable": "不适用",
           "waived": "已豁免", "error": "无法检查", "pages": "页", "page": "第{n}页", "as_of": "规则日期",
           "option": "指定", "filing": "文件日期", "today": "文件未载日期，按当日"},
    "en": {"fail": "FAIL", "needs_review": "REVIEW", "pass": "pass", "not_applicable": "n/a",
           "waived": "waived", "error": "ERROR", "pages": "pages", "page": "p. {n}", "as_of": "rules as of",
           "option": "set by option", "filing": "filing date", "today": "no date in filing: today"},
}


def render_text(report: CheckReport, *, lang: str = "zh", verbose: bool = False, **_: Any) -> str:
    """Readable summary; pass and not_applicable are counted, listed only with verbose."""
    lab = _LABEL[lang]
    out: list[str] = []
    for doc in report.documents:
        if doc.status == "error" and doc.error:
            out.append(f"{doc.path}: {lab['error']} [{doc.error.code}] {doc.error.message}")
            out.append("")
            continue
        counts = ", ".join(f"{lab[k]} {v}" for k, v in doc.summary.items() if v)
        when = ""
        if doc.as_of:
            when = f", {lab['as_of']} {doc.as_of}" + (f" ({lab[doc.as_of_basis]})" if doc.as_of_basis in lab else "")
        out.append(f"{doc.path} ({doc.pages} {lab['pages']}{when}): {counts}")
        for w in doc.warnings:
            out.append(f"  ! {w}")
        for f in sorted(doc.findings, key=lambda f: (_ORDER[f.status], f.rule_id)):
            if f.status in (Status.PASS, Status.NOT_APPLICABLE) and not verbose:
                continue
            sev = f" {f.severity.value}" if f.status == Status.FAIL else ""
            out.append(f"  {lab[f.status.value]:<6}{sev} {f.rule_id} {f.title.get(lang)}")
            out.append(f"      {f.message.get(lang)}")
            if f.evidence:
                e = f.evidence[0]
                where = lab["page"].format(n=e.page) + (f" ({e.page_label})" if e.page_label else "")
                out.append(f"      {where}: {e.quote[:120]}" + (f" [{e.note}]" if e.note else ""))
            cite = f.citation[0]
            out.append(f"      {cite.source} {cite.article} [{cite.version}]")
        out.append("")
    stamp = f"starcheck {report.tool.version} · ruleset {report.ruleset.sha256[:12]}"
    out.append(stamp)
    return "\n".join(out) + "\n"
