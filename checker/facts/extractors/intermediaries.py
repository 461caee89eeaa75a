"""The intermediaries: every sponsor, the issuer's law firm, auditor and appraiser, and the people
signing for them.

Read in the intermediaries section (发行人及本次发行的中介机构基本情况 / 本次发行的有关当事人) over its
joined text, so a label and its name on separate or wrapped lines read as one; the definitions chapter
is the fallback. Subject scope: all joint sponsors are reported; a 联席主承销商 that is not a sponsor
is not; the sponsor's or underwriter's own lawyer or accountant is not the issuer's.
"""

from __future__ import annotations

import bisect
import re
import unicodedata

from checker.extract.clean import norm
from checker.extract.structure import Line
from checker.facts.context import Ctx, rx
from checker.facts.model import Evidence
from checker.facts.registry import FactSpec

NAME = "intermediaries"
READS = ("document",)  # extractors whose facts this one reads (checker/facts/run.py)
PRODUCES = [
    FactSpec("intermediaries.sponsor", "names", "every sponsor (保荐人/保荐机构); joint sponsors all listed"),
    FactSpec("intermediaries.sponsor_representatives", "names", "保荐代表人"),
    FactSpec("intermediaries.law_firm", "text", "the issuer's law firm (发行人律师)"),
    FactSpec("intermediaries.lawyers", "names", "经办律师"),
    FactSpec("intermediaries.auditor", "text", "the issuer's auditor (审计机构 / 申报会计师)"),
    FactSpec("intermediaries.accountants", "names", "经办注册会计师"),
    FactSpec("intermediaries.appraiser", "text", "the asset appraiser (资产评估机构)"),
]
_PERSON = re.compile(r"[\u4e00-\u9fff·]{2,4}")
KINDS = ("sponsor", "law_firm", "auditor", "appraiser")


def extract(ctx: Ctx) -> None:
    m = ctx.m
    if ctx.value("document.kind") == "annual_report" and _annual_report(ctx):
        return
    secs = m.keyed.get("intermediaries", [])
    lines = [ln for s in secs for ln in m.section_lines(s)]
    # Older covers name the sponsor in the front matter's offering summary ("保荐人（主承销商）：X").
    fe = m.front_end_page()
    front = [ln for ln in m.lines if ln.page <= min(fe or 6, 6)]
    lines = lines + [ln for ln in front if ln not in lines]
    defs = m.chapter("definitions")
    def_lines = m.section_lines(defs)
    if not lines and not def_lines:
        for k in [p.path for p in PRODUCES]:
            ctx.missing(k, "the intermediaries section (中介机构基本情况/有关当事人) was not found")
        return
    where = f"'{secs[0].title}' (pages {secs[0].start_page}-{secs[-1].end_page})" if secs else "the definitions chapter"
    for kind in KINDS:
        path = f"intermediaries.{kind}"
        found = _orgs(ctx, kind, lines) if lines else []
        conf = 0.9
        if not found and def_lines:
            found = _from_definitions(ctx, kind, def_lines)
            conf = 0.75
        if not found:
            ctx.missing(path, f"not stated in {where}")
            continue
        names: list[str] = []
        for name, _ in found:
            if name not in names:
                names.append(name)
        ev = [e for _, e in found][:4]
        ctx.add(path, names if kind == "sponsor" else names[0], ev if kind == "sponsor" else ev[:1], confidence=conf)
    for key, label in ctx.lex["people"].items():
        got = _people(ctx, rx(rf"^(?:{label})\s*[:：]?\s*(?P<rest>.*)$"), lines)
        if got:
            ctx.add(f"intermediaries.{key}", got[0], [ctx.ev(got[1])], confidence=0.85)
        else:
            ctx.missing(f"intermediaries.{key}", f"not stated in {where}")


def _orgs(ctx: Ctx, kind: str, lines: list[Line]) -> list[tuple[str, Evidence]]:
    if ctx.m.language == "en":
        return _orgs_en(ctx, kind, lines)
    spec = ctx.lex["orgs"][kind]
    span = ctx.m.span(lines)
    pat = rx(f"(?:{spec['label']})" + ctx.lex["name_prefix"].lstrip("^") + f"(?P<org>{spec['name']})")
    # A name is a table cell or a field value: it ends where its line ends (or at a separator), never in
    # the middle of a sentence ("华泰联合证券是华泰证券股份有限公司的全资子公司").
    ends = {st + len(ln.norm) for st, ln in zip(span.starts, span.lines)}
    lead = rx(ctx.lex["label_lead"])
    out = []
    pos = 0
    while (mt := pat.search(span.text, pos)) is not None:
        # a rejected match may hide a label inside it ("…律师事务所发行人律师X律师事务所"): search on from
        # the next character
        pos = mt.start() + 1
        # a label opens its cell: at the start of its line (after a numbering), or after a field
        # separator; never inside another name ("…会计师事务所(特殊普通合伙)验资复核机构…")
        i = max(0, bisect.bisect_right(span.starts, mt.start()) - 1)
        before = span.text[span.starts[i] : mt.start()]
        if not (lead.match(before) or re.search(r"(?:公司|事务所|合伙\)|\)|无|-|—|[:：\s])$", before)):
            continue
        org = mt.group("org")
        if org.count("(") != org.count(")"):
            continue
        # a name ends its cell: at its line's end, at a separator or an empty cell ("- -"), or where the
        # next cell's label starts
        if mt.end() not in ends and not re.match(r"[\s,，;；、。:：\-—]|" + ctx.lex["next_cell"], span.text[mt.end() : mt.end() + 8]):
            continue
        # the quote is the label and the name, exactly as the cell prints them
        out.append((org, ctx.ev(span.line_at(mt.start()), quote=span.text[mt.start() : mt.end()])))
        # joint sponsors listed after one label: "保荐人 A证券股份有限公司、B证券股份有限公司"
        pos = mt.end()
        while kind == "sponsor":
            more = rx(r"[、和及]\s*(?P<org>" + spec["name"] + ")").match(span.text, pos)
            if not more:
                break
            out.append((more.group("org"), ctx.ev(span.line_at(more.start()), quote=more.group("org"))))
            pos = more.end()
        if kind != "sponsor":
            break
    return out


def _orgs_en(ctx: Ctx, kind: str, lines: list[Line]) -> list[tuple[str, Evidence]]:
    en = ctx.lex["en"]
    lab = rx(rf"(?:^|\s)(?:{en[kind]})(?:\s*\([^)]*\))?\s*(?:means\s+|:\s*)?(?P<rest>[A-Z].*)$")
    for i, ln in enumerate(lines):
        text = norm(ln.raw) + (" " + norm(lines[i + 1].raw) if i + 1 < len(lines) else "")
        for mt in lab.finditer(text):
            if kind == "sponsor" and re.match(r"representative", mt.group("rest"), re.I):
                continue
            org = re.match(rf"^(?:Name:\s*)?([A-Z][A-Za-z&.,'() -]{{2,100}}?{en['suffix']})", mt.group("rest"))
            if org:
                return [(org.group(1).strip(), ctx.ev(ln))]
    return []


_OPEN, _CLOSE = "(《“", ")》”"


def _cells(ln: Line) -> list[str]:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", ln.raw)).strip().split(" ")


def _unclosed(text: str) -> bool:
    """Whether a bracket or quote of the text is still open (a value wrapped onto the next line)."""
    return sum(text.count(c) for c in _OPEN) > sum(text.count(c) for c in _CLOSE)


def _definition_entries(ctx: Ctx, lines: list[Line]) -> list[tuple[str, str, Line]]:
    """(label, value, the 指 line) of each definitions entry. 指 may share a line with the label and the
    value ("发行人律师 指 北京市中伦律师事务所"), end the label line, or stand on its own line between a
    label and a value each wrapped over lines; a value goes on while a bracket is open."""
    short, stop = int(ctx.lex["definition_label_max"]), rx(ctx.lex["definition_label_stop"])
    out: list[tuple[str, str, Line]] = []
    pending: list[tuple[str, Line]] = []
    i = 0
    while i < len(lines):
        cells = _cells(lines[i])
        if "指" not in cells:
            pending.append(("".join(cells), lines[i]))
            i += 1
            continue
        k = cells.index("指")
        # the label's wrapped lines: the short lines just above (never a value's tail, a heading or a
        # page number)
        run: list[str] = []
        for prev, pln in reversed(pending):
            if len(prev) > short or stop.search(prev) or not re.search(r"[\u4e00-\u9fff]", prev) or pln.is_heading():
                break
            run.insert(0, prev)
        head = "".join(run + cells[:k])
        vals, j = ["".join(cells[k + 1 :])] if cells[k + 1 :] else [], i + 1
        while j < len(lines) and j < i + 5 and (not vals or _unclosed("".join(vals))) and "指" not in _cells(lines[j]):
            vals.append("".join(_cells(lines[j])))
            j += 1
        out.append((norm(head), norm("".join(vals)), lines[i]))
        pending, i = [], j
    return out


def _from_definitions(ctx: Ctx, kind: str, lines: list[Line]) -> list[tuple[str, Evidence]]:
    """'发行人律师、海润天睿 指 北京海润天睿律师事务所'."""
    label = ctx.lex["definition_labels"][kind]
    name = rx(ctx.lex["orgs"][kind]["name"] + r"\Z")
    for head, value, ln in _definition_entries(ctx, lines):
        if not any(re.fullmatch(label, p) for p in re.split(r"[、,/]", head) if p):
            continue
        mt = re.match(r"^(.{2,40}?(?:公司|事务所(?:\([^)]{2,12}\))?|合伙\)))", value)
        if mt and name.match(mt.group(1)) and mt.group(1).count("(") == mt.group(1).count(")"):
            return [(mt.group(1), ctx.ev(ln))]
    return []


def _people(ctx: Ctx, lab: re.Pattern[str], lines: list[Line]) -> tuple[list[str], Line] | None:
    for i, ln in enumerate(lines):
        flat = re.sub(r"\s+", " ", unicodedata.normalize("NFKC", ln.raw)).strip()
        cells = flat.split(" ")
        for j, cell in enumerate(cells):
            mt = lab.match(cell)
            if not mt:
                continue
            rest = mt.group("rest") or " ".join(cells[j + 1 :])
            if not rest.strip() and i + 1 < len(lines):
                rest = norm(lines[i + 1].raw)
            rest = re.sub(r"(先生|女士|\(签名\)|签名|:)", "", rest)
            names = [p for p in re.split(r"[、,，和及与;；\s]+", rest) if _PERSON.fullmatch(p)]
            if names:
                return names, ln
    return None


def _annual_report(ctx: Ctx) -> bool:
    """Annual reports: "公司聘请的会计师事务所（境内） 名称 X" and "持续督导职责的保荐机构 名称 Y"."""
    from checker.facts.extractors.financials import html_rows

    # An HTML table row (OCR Markdown) reads "公司聘请的会计师事务所（境内） 名称 X": the row's label
    # cell stands before 名称 on the same line.
    lines = html_rows([ln for ln in ctx.m.lines if ln.page <= 15])
    got: dict[str, str] = {}
    for i, ln in enumerate(lines):
        mt = re.match(r"^名称\s*(?::)?\s*(\S+)", ln.norm)
        before = "".join(x.norm for x in lines[max(0, i - 5) : i])
        if not mt:  # a cell 名称 inside the row (cells are space-separated in the raw row)
            mt = re.search(r"(?:^|\s)名称\s+(\S+)", ln.raw)
            if not mt:
                continue
            before += norm(ln.raw[: mt.start()])
        for key, word in (("auditor", "会计师事务"), ("sponsor", "保荐机构")):
            if key in got or word not in before[-40:]:
                continue
            org = rx(ctx.lex["orgs"][key]["name"]).match(norm(mt.group(1)))
            if org:
                got[key] = org.group(0)
                ctx.add(f"intermediaries.{key}", [org.group(0)] if key == "sponsor" else org.group(0), [ctx.ev(ln)],
                        confidence=0.85)
    for spec in PRODUCES:
        if spec.path.split(".")[1] not in got:
            ctx.missing(spec.path, "an annual report names only the auditor and the continuing-supervision sponsor")
    return True
