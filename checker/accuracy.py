"""Accuracy of the extracted facts against hand-made ground truth (tests/groundtruth/*.yaml).

A label file names one real document (``document:``, relative to the real-data folder) and the facts
a person read in it, each with the value, the physical page and a comment quoting the text::

    document: B_text/bosera_prospectus_txt/上海派能能源科技股份有限公司.txt
    facts:
      financials.revenue.2019: {value: 819849200, page: 22, precision: 100}   # 营业收入（万元） 81,984.92
      actual_controller: {value: null, page: 69}                             # 发行人无实际控制人。
      document.stage: absent                                                 # no 申报稿/上会稿/注册稿 mark

``absent`` means the document does not state the fact: the extractor must report it missing (or
null); any value there is an invented fact. ``value: null`` means the document states there is none.
Lists are compared as sets (each expected item scores; each extra item counts against), an item
may list aliases "全称|简称". ``contains:`` checks a substring of a free-text value. Money matches
within half the printed precision (``precision`` in yuan, default 0.01).

A file with ``generated: [preset, ...]`` instead builds those synthetic prospectuses with
tests/fixtures/prospectus_gen.py and takes the labels from the planted spec.
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

# ../shared/realdata beside the repository (as CI lays it); STARCHECK_REALDATA overrides.
REALDATA = Path(os.environ.get("STARCHECK_REALDATA",
                               Path(__file__).resolve().parent.parent.parent / "shared" / "realdata"))
DEFAULT_LABELS = Path(__file__).resolve().parent.parent / "tests" / "groundtruth"


@dataclass
class FactResult:
    document: str
    path: str
    expected: Any
    found: Any
    score: float  # 0..1 (lists: share of items right)
    expected_page: int | None = None
    found_page: int | None = None
    absent: bool = False  # the label says the document does not state it
    note: str = ""

    @property
    def ok(self) -> bool:
        return self.score >= 0.999


@dataclass
class AccuracyReport:
    results: list[FactResult] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)
    real_documents: set[str] = field(default_factory=set)

    def _acc(self, rs: list[FactResult]) -> float:
        return sum(r.score for r in rs) / len(rs) if rs else 0.0

    @property
    def real(self) -> list[FactResult]:
        return [r for r in self.results if r.document in self.real_documents]

    @property
    def generated(self) -> list[FactResult]:
        return [r for r in self.results if r.document not in self.real_documents]

    @property
    def real_accuracy(self) -> float:
        return self._acc(self.real)

    @property
    def generated_accuracy(self) -> float:
        return self._acc(self.generated)

    @property
    def invented(self) -> list[FactResult]:
        """Facts labelled absent for which the extractor reported a value."""
        return [r for r in self.results if r.absent and not r.ok]

    def by_document(self) -> dict[str, float]:
        docs: dict[str, list[FactResult]] = {}
        for r in self.results:
            docs.setdefault(r.document, []).append(r)
        return {d: self._acc(rs) for d, rs in docs.items()}

    def by_fact(self) -> dict[str, tuple[float, int]]:
        keys: dict[str, list[FactResult]] = {}
        for r in self.results:
            k = re.sub(r"\.\d{4}$", ".<year>", r.path)
            keys.setdefault(k, []).append(r)
        return {k: (self._acc(rs), len(rs)) for k, rs in sorted(keys.items())}

    def misses(self) -> list[FactResult]:
        return [r for r in self.results if not r.ok]


# ------------------------------------------------------------------------------ comparison


def norm_name(s: str) -> str:
    """Names compared without whitespace, with ASCII brackets and no honorifics."""
    t = unicodedata.normalize("NFKC", str(s))
    t = re.sub(r"\s+", "", t)
    t = t.replace("【", "(").replace("】", ")").replace("“", "").replace("”", "").replace('"', "")
    return re.sub(r"(先生|女士)$", "", t).lower()


def _aliases(item: str) -> set[str]:
    return {norm_name(a) for a in str(item).split("|") if a}


def _to_decimal(v: Any) -> Decimal | None:
    if isinstance(v, bool) or v is None:
        return None
    try:
        return Decimal(str(v))
    except (InvalidOperation, ValueError):
        return None


def compare(label: Any, fact_value: Any, present: bool) -> tuple[float, str]:
    """(score, note) for one labelled fact."""
    if label == "absent":
        if not present or fact_value is None:
            return 1.0, ""
        return 0.0, "invented: the document does not state this fact"
    spec = label if isinstance(label, dict) else {"value": label}
    if "contains" in spec:
        if not present or fact_value is None:
            return 0.0, "missing"
        part = norm_name(spec["contains"])
        return (1.0, "") if part in norm_name(fact_value) else (0.0, "text differs")
    want: Any = spec.get("value")
    if want is None:
        return (1.0, "") if present and fact_value is None else (0.0, "expected an explicit 'none'" if present else "missing")
    if not present:
        return 0.0, "missing"
    if isinstance(want, list):
        got = fact_value if isinstance(fact_value, list) else ([fact_value] if fact_value is not None else [])
        got_n = [norm_name(g) for g in got]
        matched, used = 0, set()
        for item in want:
            al = _aliases(item)
            for i, g in enumerate(got_n):
                if i not in used and g in al:
                    used.add(i)
                    matched += 1
                    break
        extras = len(got_n) - len(used)
        total = len(want) + extras
        note = "" if matched == len(want) and not extras else f"{matched}/{len(want)} items, {extras} extra"
        return (matched / total if total else 1.0), note
    if isinstance(fact_value, list) and not isinstance(want, list):
        # a list fact (every sponsor) labelled with its single value
        if len(fact_value) != 1:
            return 0.0, f"{len(fact_value)} items for one"
        fact_value = fact_value[0]
        if isinstance(want, str) and isinstance(fact_value, str):
            return (1.0, "") if norm_name(fact_value) in _aliases(want) else (0.0, "differs")
    if isinstance(want, bool):
        return (1.0, "") if fact_value is want else (0.0, "differs")
    numeric_found = isinstance(fact_value, (int, float, Decimal)) and not isinstance(fact_value, bool)
    wd = _to_decimal(want) if (not isinstance(want, str) or numeric_found) else None
    if wd is not None:
        fd = _to_decimal(fact_value)
        if fd is None:
            return 0.0, "not a number"
        tol = Decimal(str(spec.get("precision", "0.01"))) / 2
        return (1.0, "") if abs(fd - wd) <= tol else (0.0, f"off by {fd - wd}")
    if isinstance(want, str) and isinstance(fact_value, str):
        return (1.0, "") if norm_name(fact_value) in _aliases(want) else (0.0, "differs")
    return (1.0, "") if want == fact_value else (0.0, "differs")


# ------------------------------------------------------------------------------ evaluation


def _facts_of(path: Path):
    from checker.facts.derive import derive
    from checker.pipeline import extract_facts

    fs, _, _ = extract_facts(path)
    derive(fs)
    return fs


def _score_doc(report: AccuracyReport, name: str, labels: dict[str, Any], fs) -> None:
    for path, label in labels.items():
        f = fs.get(path)
        score, note = compare(label, f.value if f else None, f is not None)
        if f is None and path in fs.missing and note == "missing":
            note = f"missing: {fs.missing[path]}"
        spec = label if isinstance(label, dict) else {}
        report.results.append(FactResult(
            document=name, path=path,
            expected=spec.get("value", spec.get("contains")) if spec else label,
            found=(f.value if f else None), score=score,
            expected_page=spec.get("page") if spec else None,
            found_page=(f.evidence[0].page if f and f.evidence else None),
            absent=label == "absent", note=note,
        ))


def labels_from_spec(spec) -> dict[str, Any]:
    """Ground truth of a generated prospectus, from its spec (the Planted record)."""
    y = spec.latest_year
    kind = "preliminary_prospectus" if spec.kind == "招股意向书" else "prospectus"
    out: dict[str, Any] = {
        "document.kind": kind, "document.board": spec.board,
        "document.stage": spec.stage if spec.stage else "absent",
        "issuer.name": spec.issuer if spec.language == "zh" else spec.issuer_en,
        "listing_standard.claimed": spec.claimed if spec.claimed else "absent",
        "intermediaries.sponsor": spec.sponsor, "intermediaries.law_firm": spec.law_firm,
        "intermediaries.auditor": spec.auditor,
        "controlling_shareholder": spec.controlling_shareholder, "actual_controller": spec.actual_controller,
        "directors": {"value": list(spec.directors)}, "supervisors": {"value": list(spec.supervisors)},
        "senior_management": {"value": list(spec.senior_management)},
        "core_technical_staff": {"value": list(spec.core_technical_staff)},
        "shareholders_5pct": {"value": list(spec.shareholders_5pct)},
    }
    for metric in ("revenue", "net_profit_parent", "net_profit_parent_deducted", "operating_cash_flow"):
        v = getattr(spec, metric).get(y)
        if v is not None:
            out[f"financials.{metric}.{y}"] = {"value": str(v), "precision": {"元": "0.01", "万元": "100", "亿元": "1000000"}[spec.unit]}
    r = spec.rd_ratio(y)
    if r is not None:
        out[f"financials.rd_ratio_percent.{y}"] = {"value": str(r)}
    if spec.accumulated_losses_yuan is not None:
        out["financials.accumulated_uncovered_losses"] = {"value": str(spec.accumulated_losses_yuan), "precision": "100"}
    else:
        out["financials.accumulated_uncovered_losses"] = "absent"
    return out


def evaluate(labels_dir: Path | str = DEFAULT_LABELS, realdata: Path = REALDATA, *, generated: bool = True) -> AccuracyReport:
    """Run the extractor over every labelled document and score it."""
    report = AccuracyReport()
    for lf in sorted(Path(labels_dir).glob("*.yaml")):
        data = yaml.safe_load(lf.read_text(encoding="utf-8")) or {}
        if "generated" in data:
            if generated:
                _evaluate_generated(report, data["generated"])
            continue
        doc = realdata / data["document"]
        name = lf.stem
        report.real_documents.add(name)
        if not doc.exists():
            report.errors[name] = f"{doc} not found"
            continue
        try:
            fs = _facts_of(doc)
        except Exception as e:  # noqa: BLE001 - one bad document must not hide the others
            report.errors[name] = f"{type(e).__name__}: {e}"
            continue
        _score_doc(report, name, data.get("facts", {}), fs)
    return report


def _evaluate_generated(report: AccuracyReport, presets: list[str]) -> None:
    root = Path(__file__).resolve().parent.parent
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    try:
        from tests.fixtures import prospectus_gen as gen
    except ImportError as e:  # pragma: no cover - fixtures not shipped
        report.errors["generated"] = f"generator unavailable: {e}"
        return
    with tempfile.TemporaryDirectory() as tmp:
        for preset in presets:
            spec = gen.PRESETS[preset]()
            planted = gen.make_prospectus(spec, Path(tmp) / f"{preset}.pdf")
            fs = _facts_of(planted.path)
            _score_doc(report, f"gen:{preset}", labels_from_spec(spec), fs)


def format_report(rep: AccuracyReport) -> str:
    lines = [f"Real documents: accuracy {rep.real_accuracy:.3f} over {len(rep.real)} labelled facts",
             f"Generated fixtures: accuracy {rep.generated_accuracy:.3f} over {len(rep.generated)} labelled facts",
             f"Invented facts (labelled absent, value reported): {len(rep.invented)}", "", "Per document:"]
    for d, a in rep.by_document().items():
        lines.append(f"  {d:32s} {a:.3f}")
    lines += ["", "Per fact:"]
    for k, (a, n) in rep.by_fact().items():
        lines.append(f"  {k:48s} {a:.3f}  (n={n})")
    lines += ["", "Misses:"]
    for r in rep.misses():
        lines.append(f"  [{r.document}] {r.path}: found {r.found!r} (p{r.found_page}) expected {r.expected!r} (p{r.expected_page}) {r.note}")
    for d, e in rep.errors.items():
        lines.append(f"  [{d}] ERROR {e}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """``python -m checker.accuracy [LABELS_DIR]``: print accuracy and every miss."""
    args = sys.argv[1:] if argv is None else argv
    rep = evaluate(Path(args[0]) if args else DEFAULT_LABELS)
    print(format_report(rep))
    return 0 if not rep.errors else 1


if __name__ == "__main__":
    raise SystemExit(main())
