"""The real-filing benchmark: the tool's findings and facts on every real document in ../shared/realdata
against ground truth written by reading the document (tests/realfilings/expected/*.yaml for the
findings, tests/groundtruth/*.yaml for the facts; see tests/realfilings/LABELLING.md).

``starcheck benchmark`` (or ``python -m checker.realbench``) checks every labelled document and
regenerates docs/real-filings.md: per document and in total, expected findings met, error-level false
fails, false warnings, needs_review the document settles, passes without evidence that shows the
requirement, and facts right / wrong / missing. Deterministic: tests assert its thresholds.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from checker.accuracy import DEFAULT_LABELS, REALDATA, compare

ROOT = Path(__file__).resolve().parent.parent
EXPECTED = ROOT / "tests" / "realfilings" / "expected"
BLACKLIST = ROOT / "tests" / "realfilings" / "blacklist.csv"
REPORT = ROOT / "docs" / "real-filings.md"
COMMAND = "starcheck benchmark   # or: python -m checker.realbench"

# The key facts of issue "Findings a compliance team can trust": identity, claim, the latest three
# years of the five figures, market cap, every sponsor, law firm, auditor, controllers.
KEY_FACTS = re.compile(
    r"^(issuer\.name|document\.board|document\.kind|listing_standard\.claimed|"
    r"financials\.(revenue|net_profit_parent|net_profit_parent_deducted|operating_cash_flow|rd_ratio_percent)\.\d{4}|"
    r"offering\.market_cap_at_issue_price|listing_standard\.expected_market_cap_min|"
    r"intermediaries\.(sponsor|law_firm|auditor)|controlling_shareholder|actual_controller)$"
)


@dataclass
class RuleResult:
    rule: str
    expected: str
    got: str
    severity: str
    expected_pages: list[int]
    evidence_pages: list[int]
    reason: str
    message: str

    @property
    def met(self) -> bool:
        return self.expected == self.got

    @property
    def false_fail_error(self) -> bool:
        return self.got == "fail" and self.severity == "error" and self.expected != "fail"

    @property
    def false_warning(self) -> bool:
        return self.got == "fail" and self.severity in ("warning", "info") and self.expected != "fail"

    @property
    def settleable_review(self) -> bool:
        """needs_review where the document settles the question."""
        return self.got == "needs_review" and self.expected != "needs_review"

    @property
    def pass_without_evidence(self) -> bool:
        """A pass whose evidence does not include a page that shows the requirement met (or a false pass)."""
        if self.got != "pass":
            return False
        if self.expected != "pass":
            return True
        return bool(self.expected_pages) and not (set(self.evidence_pages) & set(self.expected_pages))


@dataclass
class DocResult:
    slug: str
    klass: str
    error: str = ""
    rules: list[RuleResult] = field(default_factory=list)
    facts_right: int = 0
    facts_wrong: int = 0
    facts_missing: int = 0
    key_right: int = 0
    key_total: int = 0
    key_wrong: list[str] = field(default_factory=list)  # a value stated, but not the document's
    fact_misses: list[str] = field(default_factory=list)

    def count(self, attr: str) -> int:
        return sum(1 for r in self.rules if getattr(r, attr))

    @property
    def error_reviews(self) -> int:
        return sum(1 for r in self.rules if r.got == "needs_review" and r.severity == "error")


@dataclass
class Benchmark:
    docs: list[DocResult] = field(default_factory=list)

    def total(self, attr: str) -> int:
        return sum(d.count(attr) for d in self.docs)

    @property
    def findings(self) -> int:
        return sum(len(d.rules) for d in self.docs)

    @property
    def met_share(self) -> float:
        return self.total("met") / self.findings if self.findings else 0.0

    def of_class(self, klass: str) -> list[DocResult]:
        return [d for d in self.docs if d.klass == klass]

    @property
    def key_fact_share(self) -> float:
        tot = sum(d.key_total for d in self.docs)
        return sum(d.key_right for d in self.docs) / tot if tot else 0.0


def _expected_files() -> list[Path]:
    return sorted(EXPECTED.glob("*.yaml"))


def run(realdata: Path = REALDATA, jobs: int = 2) -> Benchmark:
    """Check every labelled real document and compare with the labels."""
    from checker.batch import run_batch
    from checker.pipeline import CheckOptions
    from checker.ruleset.loader import load_rules, ruleset_hash

    specs = load_rules()
    opts = CheckOptions(blacklists=[BLACKLIST], use_cache=False, ruleset_sha=ruleset_hash(specs))
    labels = [(p, yaml.safe_load(p.read_text(encoding="utf-8"))) for p in _expected_files()]
    paths = [realdata / lab["document"] for _, lab in labels]
    results = run_batch(paths, specs, opts, jobs=jobs)
    bench = Benchmark()
    for (lf, lab), res in zip(labels, results):
        doc = DocResult(slug=lf.stem, klass=lab.get("class", "star_prospectus"))
        bench.docs.append(doc)
        if res.status != "checked":
            doc.error = f"{res.error.code}: {res.error.message}" if res.error else "not checked"
            continue
        found = {f.rule_id: f for f in res.findings}
        for rule, exp in sorted((lab.get("findings") or {}).items()):
            f = found.get(rule)
            doc.rules.append(RuleResult(
                rule=rule, expected=exp["status"], got=f.status.value if f else "absent",
                severity=f.severity.value if f else "", expected_pages=[int(p) for p in exp.get("pages") or []],
                evidence_pages=[e.page for e in f.evidence] if f else [], reason=str(exp.get("reason", "")),
                message=f.message.en if f else "the rule gave no finding"))
        _facts(doc, res)
    return bench


def _facts(doc: DocResult, res: Any) -> None:
    gt = DEFAULT_LABELS / f"{doc.slug}.yaml"
    if not gt.exists():
        return
    labels = (yaml.safe_load(gt.read_text(encoding="utf-8")) or {}).get("facts", {})
    facts = {f.path: f for f in res.facts}
    for path, label in labels.items():
        f = facts.get(path)
        score, note = compare(label, f.value if f else None, f is not None)
        key = bool(KEY_FACTS.match(path))
        doc.key_total += key
        if score >= 0.999:
            doc.facts_right += 1
            doc.key_right += key
            continue
        if f is None or f.value is None:
            doc.facts_missing += 1
        else:
            doc.facts_wrong += 1
            if key:
                doc.key_wrong.append(f"{path} = {f.value!r}")
        want = label.get("value", label.get("contains")) if isinstance(label, dict) else label
        doc.fact_misses.append(f"{path}: found {f.value if f else None!r} expected {want!r} ({note})")


# ------------------------------------------------------------------------------- report

_COLS = [("met", "expected met"), ("false_fail_error", "error-level false fails"), ("false_warning", "false warnings"),
         ("settleable_review", "needs_review the document settles"), ("pass_without_evidence", "passes without evidence")]


def format_markdown(b: Benchmark) -> str:
    """docs/real-filings.md."""
    lines = [
        "# Real-filing benchmark",
        "",
        "Generated by `" + COMMAND + "` (do not edit by hand). Every real document in ../shared/realdata",
        "is checked with the full rule pack and a blacklist of fictitious names (so STAR-BL-001 is evaluated);",
        "the findings are compared with tests/realfilings/expected/*.yaml and the facts with",
        "tests/groundtruth/*.yaml, both written by reading the documents (tests/realfilings/LABELLING.md).",
        "",
        "## Totals",
        "",
        "| measure | value |",
        "|---|---|",
        f"| documents | {len(b.docs)} ({len(b.of_class('star_prospectus'))} STAR prospectuses, "
        f"{len(b.of_class('other_board_prospectus'))} non-STAR prospectuses, {len(b.of_class('annual_report'))} annual reports) |",
        f"| expected findings met | {b.total('met')} / {b.findings} ({b.met_share:.1%}) |",
        f"| error-level false fails | {b.total('false_fail_error')} (on STAR prospectuses: "
        f"{sum(d.count('false_fail_error') for d in b.of_class('star_prospectus'))}) |",
        f"| false warnings | {b.total('false_warning')} |",
        f"| needs_review the document settles | {b.total('settleable_review')} |",
        f"| error-level needs_review per STAR prospectus | "
        f"{sum(d.error_reviews for d in b.of_class('star_prospectus')) / max(1, len(b.of_class('star_prospectus'))):.2f} |",
        f"| passes without evidence that shows the requirement | {b.total('pass_without_evidence')} |",
        f"| facts right / wrong / missing | {sum(d.facts_right for d in b.docs)} / {sum(d.facts_wrong for d in b.docs)} / "
        f"{sum(d.facts_missing for d in b.docs)} |",
        f"| key facts right | {sum(d.key_right for d in b.docs)} / {sum(d.key_total for d in b.docs)} ({b.key_fact_share:.1%}) |",
        f"| key facts wrong (a value taken from the wrong period or company) | {sum(len(d.key_wrong) for d in b.docs)} |",
        f"| non-STAR documents with a STAR rule passed | "
        f"{sum(1 for d in b.of_class('other_board_prospectus') if any(r.got == 'pass' for r in d.rules))} |",
        "",
        "## Per document",
        "",
        "| document | class | met | error false fails | false warnings | settleable reviews | error reviews | passes w/o evidence | facts right/wrong/missing | key facts |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for d in b.docs:
        if d.error:
            lines.append(f"| {d.slug} | {d.klass} | ERROR: {d.error} | | | | | | | |")
            continue
        lines.append(f"| {d.slug} | {d.klass} | {d.count('met')}/{len(d.rules)} | {d.count('false_fail_error')} | "
                     f"{d.count('false_warning')} | {d.count('settleable_review')} | {d.error_reviews} | "
                     f"{d.count('pass_without_evidence')} | {d.facts_right}/{d.facts_wrong}/{d.facts_missing} | "
                     f"{d.key_right}/{d.key_total} |")
    lines += ["", "## Findings not as expected", ""]
    for d in b.docs:
        bad = [r for r in d.rules if not r.met or r.pass_without_evidence]
        if not bad:
            continue
        lines.append(f"### {d.slug}")
        lines.append("")
        for r in bad:
            why = "pass without evidence on the expected page(s)" if r.met else f"expected {r.expected}, got {r.got} ({r.severity})"
            lines.append(f"- **{r.rule}**: {why}. Label: {r.reason} Tool: {r.message[:220]}")
        lines.append("")
    lines += ["## Facts not as labelled", ""]
    for d in b.docs:
        if d.fact_misses:
            lines.append(f"- **{d.slug}**: " + "; ".join(d.fact_misses))
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark, write docs/real-filings.md, print the totals."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) > 1 or (args and args[0].startswith("-")):  # --help, or an option: never a file name
        print(f"usage: python -m checker.realbench [REPORT.md]   (default: {REPORT})\n"
              "Checks every real document in ../shared/realdata against the labelled expectations and writes "
              "the report.", file=sys.stderr if args[0] not in ("-h", "--help") else sys.stdout)
        return 0 if args[0] in ("-h", "--help") else 2
    out = Path(args[0]) if args else REPORT
    b = run()
    text = format_markdown(b)
    from checker.io import write_atomic

    write_atomic(out, text)
    print(text.split("## Per document")[0])
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
