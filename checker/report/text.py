"""Terminal summary: one block per filing, findings that fail the run first (by severity), each with
page, quote and citation; then a batch total line.

All words come from templates/messages.yaml (``status``, ``severity``, ``text``): one language at a
time, the same terms as the HTML report. With ``color`` (an interactive terminal) status words are
coloured with rich markup; everything from a filing is escaped so it cannot inject markup or
terminal control sequences. Columns are padded by display width, so CJK text lines up.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from checker.findings import SEVERITY_RANK, CheckReport, Finding, Status
from checker.gate import gate_of
from checker.report.labels import localize_error, localize_warning

_ORDER = {Status.FAIL: 0, Status.NEEDS_REVIEW: 1, Status.WAIVED: 2, Status.PASS: 3, Status.NOT_APPLICABLE: 4}
_COLOR = {"fail": "bold red", "needs_review": "yellow", "waived": "cyan", "pass": "green", "not_applicable": "dim",
          "error": "bold red"}
# C0/C1 controls and ESC: a filing's text must not move the cursor or recolour a terminal.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def width(text: str) -> int:
    """Display width in terminal cells (CJK wide characters count 2)."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def pad(text: str, cells: int) -> str:
    return text + " " * max(0, cells - width(text))


def render_text(report: CheckReport, *, lang: str = "zh", verbose: bool = False, color: bool = False,
                **_: Any) -> str:
    """Readable summary; pass and not_applicable are counted, listed only with verbose."""
    from checker.report.html import load_messages

    cat = load_messages()
    word = {k: v[lang] for k, v in cat["status"].items()}
    sev_word = {k: v[lang] for k, v in cat["severity"].items()}
    tx = {k: v[lang] for k, v in cat["text"].items()}
    gate = gate_of(report)

    def safe(text: object) -> str:
        s = _CONTROL.sub("", str(text))
        if color:
            from rich.markup import escape

            return escape(s)
        return s

    def styled(text: str, style: str) -> str:
        return f"[{style}]{text}[/{style}]" if color else text

    status_cells = max(width(w) for w in word.values()) + 1
    out: list[str] = []
    gating = errors = warnings = reviews = baselined = unreadable = 0
    for doc in report.documents:
        if doc.status == "error" and doc.error:
            unreadable += 1
            msg = localize_error(doc.error.code, doc.error.message, doc.path, lang)
            out.append(f"{safe(doc.path)}: {styled(word['error'], _COLOR['error'])} [{doc.error.code}] {safe(msg)}")
            out.append("")
            continue
        counts = ", ".join(f"{word[k]} {v}" for k, v in doc.summary.items() if v)
        when = ""
        if doc.as_of:
            when = f", {tx['as_of']} {doc.as_of}" + (f" ({tx[doc.as_of_basis]})" if doc.as_of_basis in tx else "")
        out.append(f"{safe(doc.path)} ({doc.pages} {tx['pages']}{when}): {counts}")
        for w in doc.warnings:
            out.append(f"  ! {safe(localize_warning(w, lang))}")

        def key(f: Finding) -> tuple[int, int, int, str]:
            return (0 if gate.gates(f) else 1, _ORDER[f.status], -SEVERITY_RANK[f.severity], f.rule_id)

        for f in sorted(doc.findings, key=key):
            gates = gate.gates(f)
            if gates:
                gating += 1
                errors += f.severity.value == "error"
                warnings += f.severity.value == "warning"
            reviews += f.status == Status.NEEDS_REVIEW
            baselined += f.baselined
            if f.status in (Status.PASS, Status.NOT_APPLICABLE) and not verbose:
                continue
            sev = f" {sev_word[f.severity.value]}" if f.status in (Status.FAIL, Status.NEEDS_REVIEW) else ""
            marks = [tx["gates"]] if gates else []
            if f.baselined:
                marks.append(tx["baselined"])
            mark = f" ({'; '.join(marks)})" if marks else ""
            status = styled(pad(word[f.status.value], status_cells), _COLOR[f.status.value])
            out.append(f"  {status}{sev} {f.rule_id} {safe(f.title.get(lang))}{mark}")
            out.append(f"      {safe(f.message.get(lang))}")
            if f.evidence:
                e = f.evidence[0]
                where = tx["page"].format(n=e.page) + (f" ({safe(e.page_label)})" if e.page_label else "")
                note = ""
                if e.searched:
                    note = " [" + tx["searched"].format(a=e.searched[0], b=e.searched[-1]) + "]"
                elif e.note and lang == "en":
                    note = f" [{safe(e.note)}]"
                out.append(f"      {where}: {safe(e.quote[:120])}{note}")
            if f.citation:
                cite = f.citation[0]
                out.append(f"      {safe(cite.source)} {safe(cite.article)} [{safe(cite.version)}]")
        out.append("")
    if gate.fail_on == "never":
        out.append(tx["gate_never"])
    else:
        out.append(tx["gate_policy"].format(fail_on=sev_word[gate.fail_on], review=tx["gate_review"] if gate.fail_on_review else ""))
    out.append(tx["total"].format(files=len(report.documents), gating=gating, errors=errors, warnings=warnings,
                                  reviews=reviews, baselined=baselined, unreadable=unreadable))
    out.append(f"starcheck {report.tool.version} · ruleset {report.ruleset.sha256[:12]}")
    return "\n".join(out) + "\n"
