"""Self-contained HTML report (one file: inline CSS, JS and page images) and the folder index page.

Everything that comes from a filing goes through jinja2 autoescaping; the JSON handed to the page's
script is escaped so that it cannot close the <script> element (see ``script_json``).
"""

from __future__ import annotations

import base64
import io
import json
import logging
import os
from collections import Counter
from collections.abc import Mapping
from decimal import Decimal
from functools import lru_cache
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any
from urllib.parse import quote as url_quote

import yaml
from jinja2 import Environment, FileSystemLoader
from markupsafe import Markup

from checker import resources
from checker.facts.model import Fact
from checker.findings import SEVERITY_RANK, CheckReport, DocumentResult, Finding, Severity, Status
from checker.report.labels import fact_label, localize_error

if TYPE_CHECKING:
    from checker.ruleset.spec import RuleSpec

log = logging.getLogger(__name__)

# Display order of outcomes: what needs attention first.
STATUS_ORDER = [Status.FAIL, Status.NEEDS_REVIEW, Status.WAIVED, Status.PASS, Status.NOT_APPLICABLE]
STATUS_RANK = {s: i for i, s in enumerate(STATUS_ORDER)}
SEVERITY_ORDER = [Severity.ERROR, Severity.WARNING, Severity.INFO]
# Outcomes a reviewer must act on (shown by default), and those whose severity means something.
OPEN_STATUSES = (Status.FAIL, Status.NEEDS_REVIEW)
SEVERITY_STATUSES = (Status.FAIL, Status.NEEDS_REVIEW, Status.WAIVED)
LISTING_ROWS = ["1", "2", "3", "4", "5"]
FIGURE_PATHS = {
    "revenue": "financials.latest.revenue",
    "net_profit_lower": "financials.latest.net_profit_lower",
    "market_cap": "listing_standard.market_cap",
}

# Page images: caps keep a report of a 600-page filing small enough to mail around.
MAX_IMAGES = 40
MAX_IMAGE_BYTES = 180_000
CROP_WIDTH_PX = 820
PAGE_WIDTH_PX = 420
CROP_MARGIN_PT = 48


@lru_cache(maxsize=1)
def load_messages() -> dict[str, Any]:
    """The UI string catalogue templates/messages.yaml ({section: {key: {zh, en}}})."""
    path = resources.templates_dir() / "messages.yaml"
    with path.open(encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected a mapping")
    return data


def ui(section: str, key: str, lang: str) -> str:
    """One UI string in lang; the key itself when the catalogue lacks it."""
    entry = load_messages().get(section, {}).get(key)
    if not entry:
        return key
    return str(entry.get(lang) or entry.get("en") or key)


def family_of(finding: Finding) -> str:
    """The finding's family code (LS, UNP, …), from the finding or else its rule id."""
    if finding.family:
        return finding.family
    parts = finding.rule_id.split("-")
    return parts[1] if len(parts) >= 3 else "OTHER"


def sort_findings(findings: list[Finding]) -> list[Finding]:
    """Findings in reading order: outcome, then severity (highest first), then rule id."""
    return sorted(
        findings,
        key=lambda f: (STATUS_RANK.get(f.status, 99), -SEVERITY_RANK.get(f.severity, 0), f.rule_id),
    )


def reading_order(findings: list[Finding]) -> list[Finding]:
    """Findings as the HTML report shows them: fail and needs_review first, by severity (error, warning,
    info), then outcome; then the rest (waived, pass, not_applicable); then family and rule id."""
    fam_order = list(load_messages().get("family", {}))

    def key(f: Finding) -> tuple[int, int, int, int, str]:
        is_open = f.status in OPEN_STATUSES
        sev = -SEVERITY_RANK.get(f.severity, 0) if is_open else 0
        fam = family_of(f)
        return (0 if is_open else 1, sev, STATUS_RANK.get(f.status, 99),
                fam_order.index(fam) if fam in fam_order else len(fam_order), f.rule_id)

    return sorted(findings, key=key)


def script_json(obj: Any) -> Markup:
    """JSON safe to place inside a <script> element (no </script>, <!--, or line separators)."""
    text = json.dumps(obj, ensure_ascii=False, sort_keys=True, default=str)
    for raw, esc in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e"),
                     ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(raw, esc)
    return Markup(text)


def file_href(path: Path | str, page: int | None = None) -> str:
    """Link to the user's own file: relative paths stay relative; absolute ones become file:// URIs."""
    p = Path(path)
    # NOTE: ':' is escaped in a relative path, so a file named "javascript:alert(1).pdf" is a file
    # link ("javascript%3Aalert…"), never a scheme.
    href = p.as_uri() if p.is_absolute() else url_quote(p.as_posix(), safe="/._-~")
    if page is not None and p.suffix.lower() == ".pdf":
        href += f"#page={page}"
    return href


def format_value(value: Any, unit: str | None, lang: str) -> str:
    """A fact value for people: money with thousands separators (and 亿元/万元), bools as yes/no."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return ui("ui", "bool_true" if value else "bool_false", lang)
    if isinstance(value, list):
        return "、".join(str(v) for v in value) if lang == "zh" else ", ".join(str(v) for v in value)
    if isinstance(value, (int, float, Decimal)):
        num = Decimal(str(value))
        if unit == "CNY":
            base = f"{num:,.2f}".rstrip("0").rstrip(".")
            if abs(num) >= Decimal(100_000_000):
                scaled = f"{num / Decimal(100_000_000):,.2f}"
                return f"{base} 元（{scaled} 亿元）" if lang == "zh" else f"RMB {base} ({scaled} 亿元)"
            if abs(num) >= Decimal(10_000):
                scaled = f"{num / Decimal(10_000):,.2f}"
                return f"{base} 元（{scaled} 万元）" if lang == "zh" else f"RMB {base} ({scaled} 万元)"
            return f"{base} 元" if lang == "zh" else f"RMB {base}"
        if unit == "percent":
            return f"{num.normalize():f}%"
        return f"{num.normalize():f}" if num == num.to_integral_value() else str(value)
    return str(value)


def format_number(value: Any) -> str:
    """A rule value for display: numbers with thousands separators from five digits on (a year stays
    2024, never 2,024), yes / no for booleans, a dash for nothing, lists joined."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "✓" if value else "✗"  # the same in both languages of the page
    if isinstance(value, dict):
        return "; ".join(f"{k} {format_number(v)}" for k, v in value.items()) or "—"
    if isinstance(value, (list, tuple)):
        return "、".join(format_number(v) for v in value) or "—"
    if not isinstance(value, (int, float, Decimal)):
        return str(value)
    num = Decimal(str(value))
    if num == num.to_integral_value():
        return f"{int(num):,}" if abs(num) >= 10_000 else str(int(num))
    return f"{num:,f}"


# --------------------------------------------------------------------------------------------------
# page images


class PageImager:
    """Renders the region of a PDF page that holds a quote, as a small PNG data URI.

    Caps the number of images per report and the size of each; returns None for non-PDF inputs,
    unreadable files, or once the cap is reached, so the report degrades to text only.
    """

    def __init__(self, pdf_paths: Mapping[str, Path] | None, max_images: int = MAX_IMAGES) -> None:
        self.pdf_paths = dict(pdf_paths or {})
        self.max_images = max_images
        self.count = 0
        self._docs: dict[str, Any] = {}
        self._cache: dict[tuple[str, int, str], str | None] = {}

    def close(self) -> None:
        """Close the open PDFs."""
        for doc in self._docs.values():
            if doc is not None:
                doc.close()
        self._docs.clear()

    def _open(self, doc_path: str) -> Any:
        if doc_path in self._docs:
            return self._docs[doc_path]
        pdf = None
        path = self.pdf_paths.get(doc_path)
        if path is not None and Path(path).suffix.lower() == ".pdf" and Path(path).is_file():
            try:
                import pypdfium2

                pdf = pypdfium2.PdfDocument(str(path))
            except Exception as exc:  # a broken PDF must not break the report
                log.warning("cannot open %s for page images: %s", path, exc)
        self._docs[doc_path] = pdf
        return pdf

    def image(self, doc_path: str, page: int, quote: str) -> str | None:
        """Data URI of the quoted region of page (1-based), or of the whole page scaled down."""
        key = (doc_path, page, "".join(quote.split())[:80])
        if key in self._cache:
            return self._cache[key]
        uri = None
        if self.count < self.max_images:
            pdf = self._open(doc_path)
            if pdf is not None and 1 <= page <= len(pdf):
                try:
                    uri = self._render(pdf[page - 1], quote)
                except Exception as exc:
                    log.warning("cannot render page %s of %s: %s", page, doc_path, exc)
        if uri is not None:
            self.count += 1
        self._cache[key] = uri
        return uri

    def _render(self, page: Any, quote: str) -> str | None:
        width, height = page.get_size()
        box = locate_quote(page, quote)
        if box is not None:
            left, bottom, right, top = box
            y0 = max(0.0, bottom - CROP_MARGIN_PT)
            y1 = min(height, top + CROP_MARGIN_PT)
            scale = CROP_WIDTH_PX / width
            bitmap = page.render(scale=scale, crop=(0, y0, 0, height - y1), grayscale=True)
            img = bitmap.to_pil().convert("RGB")
            from PIL import ImageDraw

            draw = ImageDraw.Draw(img)
            pad = 3
            draw.rectangle(
                [(left * scale - pad, (y1 - top) * scale - pad),
                 (right * scale + pad, (y1 - bottom) * scale + pad)],
                outline=(214, 40, 40), width=2,
            )
        else:
            bitmap = page.render(scale=PAGE_WIDTH_PX / width, grayscale=True)
            img = bitmap.to_pil()
        for colors in (64, 16):
            buf = io.BytesIO()
            img.quantize(colors=colors).save(buf, format="PNG", optimize=True)
            data = buf.getvalue()
            if len(data) <= MAX_IMAGE_BYTES:
                return "data:image/png;base64," + base64.b64encode(data).decode("ascii")
        return None


def locate_quote(page: Any, quote: str) -> tuple[float, float, float, float] | None:
    """Bounding box (left, bottom, right, top in PDF points) of quote on page, ignoring whitespace.

    Tries the whole quote, then shorter prefixes (extractors normalise spacing and quotes get
    truncated); None when none of them is found.
    """
    textpage = page.get_textpage()
    try:
        n = textpage.count_chars()
        text = textpage.get_text_range(0, n) if n > 0 else ""
        if len(text) != n:
            return None
        idx = [i for i, c in enumerate(text) if not c.isspace()]
        flat = "".join(text[i] for i in idx)
        needle_all = "".join(quote.replace("…", "").split())
        if not needle_all:
            return None
        for length in (len(needle_all), 40, 20, 10):
            needle = needle_all[:length]
            if len(needle) < min(6, len(needle_all)):
                break
            pos = flat.find(needle)
            if pos < 0:
                continue
            boxes = [textpage.get_charbox(idx[k]) for k in range(pos, pos + len(needle))]
            boxes = [b for b in boxes if b[2] > b[0] or b[3] > b[1]]
            if not boxes:
                return None
            return (min(b[0] for b in boxes), min(b[1] for b in boxes),
                    max(b[2] for b in boxes), max(b[3] for b in boxes))
        return None
    finally:
        textpage.close()


# --------------------------------------------------------------------------------------------------
# view model


def _fact_map(doc: DocumentResult) -> dict[str, Fact]:
    return {f.path: f for f in doc.facts}


def standard_states(doc: DocumentResult, spec: RuleSpec | None) -> dict[str, str]:
    """Whether the filing's figures meet each LR 2.1.2 standard (met / not_met / unknown), by STAR-LS-002's
    own requirement sets and params (no threshold lives here): its check, as if that standard were claimed."""
    from checker.engine.record import build_record, key_map
    from checker.engine.reference import evaluate
    from checker.facts.model import FactSet

    out = {k: "unknown" for k in LISTING_ROWS}
    if spec is None:
        return out
    base = FactSet()
    for f in doc.facts:
        base.facts[f.path] = f
    keys = key_map(spec)
    for k in LISTING_ROWS:
        fs = base.model_copy(deep=False)
        fs.facts = dict(base.facts)
        fs.facts["listing_standard.claimed"] = Fact(path="listing_standard.claimed", value=f"2.1.2({k})")
        v = evaluate(spec.check, build_record(spec, fs), keys)
        out[k] = "unknown" if v is None else ("met" if v else "not_met")
    return out


def _ls002(rules: Mapping[str, RuleSpec]) -> RuleSpec | None:
    """The STAR-LS-002 the run used (its params may come from config), else the shipped one."""
    spec = rules.get("STAR-LS-002")
    return spec if spec is not None and "mcap_1" in spec.params else _pack_rule("STAR-LS-002")


@lru_cache(maxsize=4)
def _pack_rule(rule_id: str) -> RuleSpec | None:
    """A rule of the shipped pack (when the caller passed none)."""
    from checker.ruleset.loader import load_rules

    return next((s for s in load_rules() if s.id == rule_id), None)


def listing_matrix(doc: DocumentResult, spec: RuleSpec | None = None) -> dict[str, Any]:
    """Rows of the LR 2.1.2 matrix (met / not_met / unknown) and the figures used."""
    facts = _fact_map(doc)
    claimed_fact = facts.get("listing_standard.claimed")
    claimed = str(claimed_fact.value) if claimed_fact and claimed_fact.value else None
    claimed_item = None
    if claimed and claimed.startswith("2.1.2(") and claimed.endswith(")"):
        claimed_item = claimed[len("2.1.2("):-1]
    states = standard_states(doc, spec)
    used = [facts[p] for p in ("listing_standard.market_cap", "financials.latest.revenue",
                                "financials.latest.net_profit_lower") if p in facts]
    rows = []
    for key in LISTING_ROWS:
        rows.append({
            "key": key,
            "state": states[key],
            "claimed": claimed_item == key,
            "evidence": [e for f in used for e in f.evidence][:3],
        })
    figures = []
    for name, path in FIGURE_PATHS.items():
        fact = facts.get(path)
        figures.append({"name": name, "path": path, "fact": fact})
    return {"rows": rows, "claimed": claimed, "claimed_fact": claimed_fact, "figures": figures}


def _link_paths(pdf_paths: Mapping[str, Path], link_base: Path | None) -> dict[str, Path]:
    """Paths used in links: as given, or relative to link_base (the folder the HTML is written to)."""
    if link_base is None:
        return {k: Path(v) for k, v in pdf_paths.items()}
    base = Path(link_base).resolve()
    return {k: Path(os.path.relpath(Path(v).resolve(), base)) for k, v in pdf_paths.items()}


def _label(path: str) -> dict[str, str]:
    """A fact's label in both languages (English capitalised for a table cell)."""
    en = fact_label(path, "en")
    return {"zh": fact_label(path, "zh"), "en": en[:1].upper() + en[1:]}


def section_ids(index: int) -> dict[str, str]:
    """Ids of a document's sections: the first document's are exactly summary / findings / listing-standard /
    facts (design.md section 6); the n-th (n >= 2) document's get the suffix "-n" (summary-2, …)."""
    sfx = "" if index == 0 else f"-{index + 1}"
    ids = {k: k + sfx for k in ("summary", "findings", "listing-standard", "facts")}
    return {**ids, "suffix": sfx}


def _doc_view(index: int, doc: DocumentResult, rules: Mapping[str, RuleSpec], imager: PageImager,
              pdf_paths: Mapping[str, Path]) -> dict[str, Any]:
    pdf = pdf_paths.get(doc.path)
    groups: dict[str, list[dict[str, Any]]] = {"open": [], "rest": []}
    for order, f in enumerate(reading_order(doc.findings)):
        is_open = f.status in OPEN_STATUSES
        evidence: list[dict[str, Any]] = []
        for ev in f.evidence:
            # page images are evidence for a reviewer: only where something must be resolved; the
            # finding's first one is shown unfolded, the others folded (first_img)
            img = imager.image(doc.path, ev.page, ev.quote) if is_open and ev.quote else None
            first = img is not None and not any(e["img"] for e in evidence)
            evidence.append({"ev": ev, "img": img, "first_img": first,
                             "href": file_href(pdf, ev.page) if pdf else None})
        fam = family_of(f)
        groups["open" if is_open else "rest"].append({
            "f": f,
            "order": order,
            "open": is_open,
            "show_severity": f.status in SEVERITY_STATUSES,
            "family": fam,
            "page": min((e.page for e in f.evidence), default=0),
            "n_values": sum(1 for k in f.values if not k.endswith("_details")),
            "evidence": evidence,
            "rule": rules.get(f.rule_id),
        })
    sev_counts: Counter[str] = Counter(f.severity.value for f in doc.findings if f.status in OPEN_STATUSES)
    facts = [{"fact": fact, "label": _label(fact.path),
              "evidence": [{"ev": ev, "href": file_href(pdf, ev.page) if pdf else None}
                           for ev in fact.evidence]}
             for fact in sorted(doc.facts, key=lambda x: x.path)]
    return {
        "doc": doc,
        "ids": section_ids(index),
        "groups": groups,
        "summary": {s.value: doc.summary.get(s.value, 0) for s in STATUS_ORDER},
        "severity": {s.value: sev_counts.get(s.value, 0) for s in SEVERITY_ORDER},
        "matrix": listing_matrix(doc, _ls002(rules)) if doc.status == "checked" else None,
        "facts": facts,
        "href": file_href(pdf) if pdf else None,
    }


def _environment() -> Environment:
    env = Environment(
        autoescape=True,
        loader=FileSystemLoader(str(resources.templates_dir())),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["fmt_value"] = format_value
    env.filters["script_json"] = script_json
    env.filters["fmt_number"] = format_number
    env.globals["error_text"] = lambda err, path: {
        "zh": localize_error(err.code, err.message, path, "zh"), "en": err.message}
    env.globals["ui"] = ui
    from checker.blacklist.screen import labels as blacklist_labels

    env.globals["BL"] = blacklist_labels()
    return env


def _js_strings() -> dict[str, dict[str, str]]:
    m = load_messages()["ui"]
    keys = ["shown_count", "search_placeholder"]
    return {lang: {k: m[k][lang] for k in keys} for lang in ("zh", "en")}


def render_html(
    report: CheckReport,
    *,
    lang: str = "zh",
    rules: Mapping[str, RuleSpec] | None = None,
    pdf_paths: Mapping[str, Path] | None = None,
    link_base: Path | None = None,
) -> str:
    """The report as one self-contained HTML page (both languages inside, toggled by script).

    pdf_paths maps a document's path to its file: read (relative to the working directory) for the
    page images, and linked as ``<path>#page=N``. Links use the path as given, or, with link_base
    (the folder the HTML file goes to), the path relative to that folder.

    Sections come in reading order: summary, findings, listing-standard matrix, facts (folded). With
    --output-dir starcheck writes one page per filing; a page with several documents (-o with several
    files) gives the first one the plain ids and the others a "-n" suffix (``section_ids``).
    """
    lang = "en" if lang == "en" else "zh"
    pdf_paths = dict(pdf_paths or {})
    imager = PageImager(pdf_paths)
    links = _link_paths(pdf_paths, link_base)
    try:
        docs = [_doc_view(i, d, rules or {}, imager, links) for i, d in enumerate(report.documents)]
    finally:
        imager.close()
    data = {"lang": lang, "strings": _js_strings(), "documents": [d.path for d in report.documents]}
    return _environment().get_template("report.html.j2").render(
        report=report, docs=docs, lang=lang, M=load_messages(), data=data,
        statuses=[s.value for s in STATUS_ORDER], severities=[s.value for s in SEVERITY_ORDER],
        listing_rows=LISTING_ROWS, images=imager.count,
        n_findings=sum(len(d.findings) for d in report.documents),
    )


def batch_names(paths: list[str]) -> tuple[dict[str, str], str | None]:
    """Each filing's path relative to the batch's common folder, and that folder (None when it is the
    working directory or there is none, e.g. files on different drives)."""
    if not paths:
        return {}, None
    parts = [PurePath(p) for p in paths]
    if len({p.is_absolute() for p in parts}) > 1:
        parts = [PurePath(os.path.abspath(p)) for p in parts]
    try:
        common = PurePath(os.path.commonpath([str(p.parent) for p in parts]))
    except ValueError:
        return {p: PurePath(p).as_posix() for p in paths}, None
    names = {orig: p.relative_to(common).as_posix() for orig, p in zip(paths, parts, strict=True)}
    return names, (None if str(common) in ("", ".") else str(common))


def render_index(
    report: CheckReport,
    reports: Mapping[str, str],
    *,
    lang: str = "zh",
) -> str:
    """Index page for a folder run: every filing (relative to the batch's common folder), its open findings
    by severity, its counts by outcome, and a link to its report."""
    lang = "en" if lang == "en" else "zh"
    names, folder = batch_names([d.path for d in report.documents])
    rows = []
    total: Counter[str] = Counter()
    for d in report.documents:
        sev: Counter[str] = Counter(f.severity.value for f in d.findings if f.status in OPEN_STATUSES)
        total.update(d.summary)
        total.update({f"sev_{k}": v for k, v in sev.items()})
        href = reports.get(d.path)
        rows.append({"doc": d, "name": names[d.path], "severity": sev,
                     "href": file_href(href) if href else None})
    return _environment().get_template("index.html.j2").render(
        report=report, rows=rows, lang=lang, M=load_messages(), folder=folder,
        statuses=[s.value for s in STATUS_ORDER], severities=[s.value for s in SEVERITY_ORDER], total=total,
        data={"lang": lang, "strings": _js_strings(), "documents": [d.path for d in report.documents]},
    )
