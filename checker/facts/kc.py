"""科创属性, industry positioning, unprofitable-issuer and risk-factor quality facts, plus the key-figure
consistency facts (STAR-CONS-001).

Works on :class:`checker.extract.document.Document` pages, like ``disclosures.py`` (chapters found by
title). Wording lives in ``kc.yaml``. Nothing is guessed:

* a value fact (a count, a percentage) is only added when a sentence states it, with that sentence;
* a presence / flag fact is True with the quote where found, False only when the place to search
  (the 科创属性 block, a chapter) was found and read (the evidence names it), otherwise missing
  (``kc_missing`` gives the reason).

Public API: :func:`kc_facts`, :func:`kc_missing`, :func:`consistency_facts`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from checker.extract.document import Document
from checker.facts.disclosures import Chapter, _body_lines, find_chapters, norm
from checker.facts.model import Evidence, Fact, FactSet

SOURCE = "kc@1"
_LEXICON = Path(__file__).with_name("kc.yaml")
_SENTENCE = re.compile(r"[^。;!?]+[。;!?]?")
QUOTE_W = 200


@lru_cache(maxsize=1)
def lexicon() -> dict[str, Any]:
    """The lexicon in kc.yaml."""
    return yaml.safe_load(_LEXICON.read_text(encoding="utf-8"))


def _rx(p: str) -> re.Pattern[str]:
    return re.compile(p, re.I)


def _sentences(text: str) -> list[tuple[int, str]]:
    """(start offset, sentence) pairs."""
    return [(m.start(), m.group(0)) for m in _SENTENCE.finditer(text) if m.group(0).strip()]


@dataclass
class _Ctx:
    doc: Document
    chapters: dict[str, Chapter]
    body_pages: list[int]
    facts: list[Fact] = field(default_factory=list)
    missing: dict[str, str] = field(default_factory=dict)
    _flat: dict[int, str] = field(default_factory=dict)

    def flat(self, i: int) -> str:
        if i not in self._flat:
            self._flat[i] = norm("\n".join(self.doc.pages[i].lines))
        return self._flat[i]

    def ev(self, i: int, quote: str, section: str | None = None) -> Evidence:
        p = self.doc.pages[i]
        return Evidence(page=p.number, page_label=p.label, quote=quote.strip()[:QUOTE_W + 80], section=section)

    def around(self, i: int, start: int, end: int, width: int = 60) -> str:
        t = self.flat(i)
        return t[max(0, start - width) : min(len(t), end + width)]

    def add(self, path: str, value: Any, evidence: list[Evidence], *, unit: str | None = None,
            confidence: float = 0.9, details: dict[str, Any] | None = None) -> None:
        self.facts.append(Fact(path=path, value=value, unit=unit, evidence=evidence, confidence=confidence,
                               source=SOURCE, details=details))
        self.missing.pop(path, None)

    def has(self, path: str) -> bool:
        return any(f.path == path for f in self.facts)

    def chapter_pages(self, *keys: str) -> list[int]:
        out: set[int] = set()
        for k in keys:
            c = self.chapters.get(k)
            if c is not None:
                out.update(range(c.start, c.end + 1))
        return sorted(i for i in out if i in self._body)

    def span_ev(self, keys: list[str], what: str) -> list[Evidence]:
        out = []
        for k in keys:
            c = self.chapters.get(k)
            if c is None:
                continue
            a, b = self.doc.pages[c.start], self.doc.pages[c.end]
            out.append(self.ev(c.start, c.title, section=f"{what}: {norm(c.title)} pp. {a.number}-{b.number} (searched)"))
        return out

    @property
    def _body(self) -> set[int]:
        return set(self.body_pages)


# ----------------------------------------------------------------------------------- 科创属性


def _kc_block(ctx: _Ctx) -> list[int]:
    """Pages of the 科创属性 / board-positioning block (first anchor in the overview, else anywhere)."""
    anchor = _rx(lexicon()["kc_anchor"])
    n = int(lexicon()["kc_block_pages"])
    prefer = ctx.chapter_pages("overview") or []
    for pages in (prefer, ctx.body_pages):
        for i in pages:
            if anchor.search(ctx.flat(i)):
                return [j for j in range(i, min(len(ctx.doc.pages), i + n)) if j in ctx._body]
    return []


def _first(ctx: _Ctx, rx: re.Pattern[str], pages: list[int]) -> tuple[int, re.Match[str]] | None:
    for i in pages:
        m = rx.search(ctx.flat(i))
        if m:
            return i, m
    return None


def _int(s: str) -> int | None:
    try:
        return int(s.replace(",", ""))
    except ValueError:
        return None


def _rd_staff(ctx: _Ctx, block: list[int]) -> None:
    lex = lexicon()
    full, count_only = _rx(lex["rd_staff"][0]), _rx(lex["rd_staff"][1])
    ratio_only = _rx(lex["rd_staff_ratio_only"])
    rest = [i for i in ctx.body_pages if i not in block]
    hit = _first(ctx, full, block) or _first(ctx, full, rest)
    if hit:
        i, m = hit
        q = ctx.around(i, m.start(), m.end(), 40)
        ctx.add("kc.rd_staff_count", _int(m.group("count")), [ctx.ev(i, q)], unit="count")
        ctx.add("kc.rd_staff_ratio_percent", Decimal(m.group("ratio")), [ctx.ev(i, q)], unit="percent")
        return
    hit = _first(ctx, ratio_only, block) or _first(ctx, ratio_only, rest)
    if hit:
        i, m = hit
        ctx.add("kc.rd_staff_ratio_percent", Decimal(m.group("ratio")), [ctx.ev(i, ctx.around(i, m.start(), m.end(), 40))],
                unit="percent", confidence=0.8)
    else:
        ctx.missing["kc.rd_staff_ratio_percent"] = "no sentence stating R&D staff as a share of all employees (研发人员…占员工总数…%)"
    hit = _first(ctx, count_only, block) or _first(ctx, count_only, rest)
    if hit:
        i, m = hit
        ctx.add("kc.rd_staff_count", _int(m.group("count")), [ctx.ev(i, ctx.around(i, m.start(), m.end(), 40))],
                unit="count", confidence=0.8)
    else:
        ctx.missing["kc.rd_staff_count"] = "no sentence stating the number of R&D staff (研发人员…人)"


def _patents(ctx: _Ctx, block: list[int]) -> None:
    lex = lexicon()["patents"]
    rest = [i for i in ctx.body_pages if i not in block]
    for key in ("main_exact", "main_exact_2"):
        hit = _first(ctx, _rx(lex[key]), block) or _first(ctx, _rx(lex[key]), rest)
        if hit:
            i, m = hit
            ctx.add("kc.invention_patents_main_business", int(m.group("n")),
                    [ctx.ev(i, ctx.around(i, m.start(), m.end(), 40))], unit="count")
            break
    else:
        found_bound = False
        for key, delta in (("main_more_than", 1), ("main_at_least", 0)):
            hit = _first(ctx, _rx(lex[key]), block) or _first(ctx, _rx(lex[key]), rest)
            if hit:
                i, m = hit
                # NOTE: "超过5项" is a lower bound (> 5), not a count; kept apart from exact counts.
                ctx.add("kc.invention_patents_main_business_min", int(m.group("n")) + delta,
                        [ctx.ev(i, ctx.around(i, m.start(), m.end(), 40))], unit="count",
                        details={"bound": "at_least", "stated": m.group(0)})
                found_bound = True
                break
        ctx.missing["kc.invention_patents_main_business"] = (
            "only a lower bound of the qualifying invention patents is stated" if found_bound
            else "no count of invention patents applied in / generating the main business found")
        if not found_bound:
            ctx.missing["kc.invention_patents_main_business_min"] = ctx.missing["kc.invention_patents_main_business"]
    tot = _rx(lex["total"])
    hit = _first(ctx, tot, block) or _first(ctx, tot, ctx.chapter_pages("business_technology")) or _first(ctx, tot, rest)
    if hit:
        i, m = hit
        ctx.add("kc.invention_patents", int(m.group("a") or m.group("b")),
                [ctx.ev(i, ctx.around(i, m.start(), m.end(), 40))], unit="count", confidence=0.8)
    else:
        ctx.missing["kc.invention_patents"] = "no count of invention patents (发明专利…项) found"


def _answer(window: str, ticks: str) -> bool | None:
    """The ticked answer of a 是/否 pair in the characters after a criterion."""
    if re.search(ticks + r"\s*是", window):
        return True
    if re.search(ticks + r"\s*否", window):
        return False
    # Tick glyphs lost in extraction: the empty box marks the answer NOT given.
    if re.match(r"\s*是\s*□\s*否", window):
        return True
    if re.match(r"\s*□\s*是\s*否", window):
        return False
    return None


def _answers(ctx: _Ctx, block: list[int]) -> None:
    lex = lexicon()
    for key, pat in lex["answers"].items():
        path = f"kc.answer_{key}"
        hit = _first(ctx, _rx(pat), block)
        if not hit:
            ctx.missing[path] = "no 科创属性 indicator table row found"
            continue
        i, m = hit
        t = ctx.flat(i)
        val = _answer(t[m.end() : m.end() + 10], lex["ticks"])
        if val is None:
            ctx.missing[path] = f"the 是/否 answer next to the criterion on p. {ctx.doc.pages[i].number} could not be read"
        else:
            ctx.add(path, val, [ctx.ev(i, t[m.start() : m.end() + 80])], confidence=0.8)


def _exceptions(ctx: _Ctx, block: list[int]) -> None:
    lex = lexicon()
    claim, neg = _rx(lex["exception_claim"]), _rx(lex["exception_negation"])
    if not block:
        ctx.missing["kc.exception_claimed"] = "the 科创属性 block was not found"
        return
    hits: dict[str, tuple[int, str]] = {}
    for code, pat in lex["exceptions"].items():
        rx = _rx(pat)
        for i in block:
            for _, s in _sentences(ctx.flat(i)):
                if rx.search(s) and claim.search(s) and not neg.search(s):
                    hits.setdefault(code, (i, s))
    if hits:
        codes = sorted(hits)
        ctx.add("kc.exception_claimed", True, [ctx.ev(i, s) for i, s in hits.values()][:3], confidence=0.7,
                details={"clauses": codes})
        ctx.add("kc.exceptions", codes, [ctx.ev(i, s) for i, s in hits.values()][:3], confidence=0.7)
    else:
        a, b = ctx.doc.pages[block[0]], ctx.doc.pages[block[-1]]
        ctx.add("kc.exception_claimed", False,
                [ctx.ev(block[0], ctx.flat(block[0])[:80], section=f"科创属性 block pp. {a.number}-{b.number} (searched)")],
                confidence=0.7)


def _block_flag(ctx: _Ctx, block: list[int], path: str, pat: str, what: str) -> None:
    hit = _first(ctx, _rx(pat), block)
    if hit:
        i, m = hit
        ctx.add(path, True, [ctx.ev(i, ctx.around(i, m.start(), m.end(), 60))], confidence=0.8)
    elif block:
        a, b = ctx.doc.pages[block[0]], ctx.doc.pages[block[-1]]
        ctx.add(path, False, [ctx.ev(block[0], ctx.flat(block[0])[:80],
                                     section=f"科创属性 block pp. {a.number}-{b.number} (searched)")], confidence=0.7)
    else:
        ctx.missing[path] = f"the 科创属性 block was not found ({what})"


def _kc(ctx: _Ctx) -> None:
    block = _kc_block(ctx)
    _rd_staff(ctx, block)
    _patents(ctx, block)
    _answers(ctx, block)
    _exceptions(ctx, block)
    lex = lexicon()
    _block_flag(ctx, block, "kc.software_company", lex["software"], "software-company statement")
    _block_flag(ctx, block, "kc.transition_old_rules", lex["transition_old"], "transition statement")
    hit = _first(ctx, _rx(lex["version_stated"]), block)
    if hit:
        i, m = hit
        ctx.add("kc.version_stated", f"{m.group('y')}-{int(m.group('m')):02d}",
                [ctx.ev(i, ctx.around(i, m.start(), m.end(), 40))], confidence=0.8)
    else:
        ctx.missing["kc.version_stated"] = "no revision date of the 暂行规定 / 科创属性评价指引 stated"


# ----------------------------------------------------------------------------------- industry


def _industry(ctx: _Ctx) -> None:
    lex = lexicon()
    pages = ctx.chapter_pages("overview", "business_technology")
    if not pages:
        for p in ("industry.main_business", "industry.restricted_signal", "industry.prohibited_signal",
                  "industry.prohibited_main_business", "industry.supported_field"):
            ctx.missing[p] = "neither the overview nor the business chapter was found"
        return
    mb = _rx(lex["main_business"])
    sents: list[tuple[int, str]] = []
    for i in pages:
        for _, s in _sentences(ctx.flat(i)):
            if mb.search(s) and len(sents) < 12 and len(s) <= 240 and "序号" not in s:
                sents.append((i, s))
    searched = ctx.span_ev(["overview", "business_technology"], "main-business statements")
    if sents:
        i, s = sents[0]
        ctx.add("industry.main_business", s.strip()[:QUOTE_W], [ctx.ev(i, s)], confidence=0.7)
    else:
        ctx.missing["industry.main_business"] = "no main-business statement (公司主要从事… / 公司是一家…) found"
    for path, key in (("industry.restricted_signal", "restricted"), ("industry.prohibited_signal", "prohibited_signal"),
                      ("industry.prohibited_main_business", "prohibited_explicit")):
        rx = _rx(lex[key])
        hits = [(i, s) for i, s in sents if rx.search(s)]
        if hits:
            ctx.add(path, True, [ctx.ev(i, s) for i, s in hits[:3]], confidence=0.7)
        elif sents:
            ctx.add(path, False, [ctx.ev(i, s) for i, s in sents[:2]] + searched[:1], confidence=0.7)
        else:
            ctx.missing[path] = "no main-business statement found to read"
    sf = _rx(lex["supported_field"])
    block = _kc_block(ctx)
    hit = _first(ctx, sf, block) or _first(ctx, sf, pages)
    if hit:
        i, m = hit
        ctx.add("industry.supported_field", m.group("f"), [ctx.ev(i, ctx.around(i, m.start(), m.end(), 30))], confidence=0.8)
    elif block:
        a = ctx.doc.pages[block[0]]
        ctx.add("industry.supported_field", "none", [ctx.ev(block[0], ctx.flat(block[0])[:80],
                section=f"board-positioning block from p. {a.number} (searched)")], confidence=0.6)
    else:
        ctx.missing["industry.supported_field"] = "the board-positioning (科创板定位) block was not found"


# ------------------------------------------------------------------------------ unprofitable


def _profit_outlook(ctx: _Ctx) -> None:
    lex = lexicon()
    rx = _rx(lex["profit_outlook"])
    terms = lex["caution_terms"]
    pages = ctx.body_pages
    hit: tuple[int, str] | None = None
    for i in pages:
        if not rx.search(ctx.flat(i)):
            continue
        for _, s in _sentences(ctx.flat(i)):
            if rx.search(s):
                hit = (i, s)
                break
        if hit:
            break
    keys = ["overview", "financial"]
    if hit is None:
        ev = ctx.span_ev(keys, "profitability outlook")
        if ev:
            ctx.add("disclosure.profitability_outlook", False, ev, confidence=0.7)
            ctx.add("disclosure.profitability_outlook_caution", False, ev, confidence=0.7)
        else:
            ctx.missing["disclosure.profitability_outlook"] = "neither the overview nor the financial chapter was found"
            ctx.missing["disclosure.profitability_outlook_caution"] = ctx.missing["disclosure.profitability_outlook"]
        return
    i, s = hit
    ctx.add("disclosure.profitability_outlook", True, [ctx.ev(i, s)], confidence=0.8)
    # The caution is looked for on the statement's page and the next two pages only: 前瞻性信息 also
    # appears in expected-credit-loss accounting policies, which are not a caution.
    for j in range(i, min(len(ctx.doc.pages), i + 3)):
        if j not in ctx._body:
            continue
        for _, c in _sentences(ctx.flat(j)):
            if "前瞻性" in c and sum(t in c for t in terms) >= 2 and "信用损失" not in c:
                ctx.add("disclosure.profitability_outlook_caution", True, [ctx.ev(j, c)], confidence=0.8)
                return
    a, b = ctx.doc.pages[i], ctx.doc.pages[min(len(ctx.doc.pages) - 1, i + 2)]
    ctx.add("disclosure.profitability_outlook_caution", False,
            [ctx.ev(i, s, section=f"pp. {a.number}-{b.number} after the outlook statement (searched)")], confidence=0.7)


def _lockups(ctx: _Ctx) -> None:
    lex = lexicon()
    action, fy3 = _rx(lex["lockup_action"]), _rx(lex["lockup_3fy"])
    m36, m12 = _rx(lex["lockup_36m"]), _rx(lex["lockup_12m"])
    parties = {k: _rx(v) for k, v in lex["parties"].items()}
    context = _rx(lex["lockup_context"])
    found: dict[str, tuple[int, str]] = {}
    ctx_page: int | None = None
    for i in ctx.body_pages:
        t = ctx.flat(i)
        if not action.search(t):
            continue
        if ctx_page is None and context.search(t):
            ctx_page = i
        last_party: set[str] = set()
        for off, s in _sentences(t):
            named = {k for k, r in parties.items() if r.search(s)}
            who = named or last_party
            if named:
                last_party = named
            if not action.search(s):
                continue
            # NOTE: a clause without a party ("自上市之日起3个完整会计年度内,不减持") belongs to the
            # party named in the nearest sentence before it on the same page.
            if not who:
                head = t[max(0, off - 200) : off]
                who = {k for k, r in parties.items() if r.search(head)}
            kinds = []
            if fy3.search(s):
                kinds.append("unprofitable")
            if m36.search(s):
                kinds.append("36m")
            if m12.search(s) or m36.search(s):
                kinds.append("12m")  # NOTE: a 36-month lock-up also meets the 12-month floor of LR 2.4.5
            for k in kinds:
                for p in who:
                    found.setdefault(f"{p}_{k}", (i, s))
    wanted = [("controllers", "unprofitable"), ("dso", "unprofitable"), ("core_tech", "unprofitable"),
              ("controllers", "36m"), ("core_tech", "12m")]
    for p, k in wanted:
        path = f"lockup.{p}_{k}"
        if f"{p}_{k}" in found:
            i, s = found[f"{p}_{k}"]
            ctx.add(path, True, [ctx.ev(i, s)], confidence=0.8)
        elif ctx_page is not None:
            ev = ctx.span_ev(["investor_protection", "issuer_basic", "other_matters"], "lock-up commitments")
            ctx.add(path, False, ev or [ctx.ev(ctx_page, ctx.flat(ctx_page)[:80], section="commitments (searched)")],
                    confidence=0.7)
        else:
            ctx.missing[path] = "no lock-up commitments (股份锁定 / 限售安排) found"


def _growth_tier(ctx: _Ctx) -> None:
    rx = _rx(lexicon()["growth_tier"])
    for i in ctx.body_pages:
        t = ctx.flat(i)
        if rx.search(t):
            s = next((s for _, s in _sentences(t) if rx.search(s)), t[:120])
            ctx.add("disclosure.growth_tier", True, [ctx.ev(i, s)], confidence=0.8)
            return
    if len(ctx.chapters) >= 4 and ctx.body_pages:
        a, b = ctx.doc.pages[ctx.body_pages[0]], ctx.doc.pages[ctx.body_pages[-1]]
        ctx.add("disclosure.growth_tier", False,
                [ctx.ev(ctx.body_pages[0], ctx.flat(ctx.body_pages[0])[:60], section=f"whole text pp. {a.number}-{b.number} (searched)")],
                confidence=0.8)
    else:
        ctx.missing["disclosure.growth_tier"] = "chapter structure not recognised"


# ------------------------------------------------------------------------------ standard (五)


def _std5(ctx: _Ctx) -> None:
    lex = lexicon()["std5"]
    keys = ["overview", "business_technology"]
    pages = ctx.chapter_pages(*keys)
    if not pages:
        for k in lex:
            ctx.missing[f"std5.{k}"] = "neither the overview nor the business chapter was found"
        return
    searched = ctx.span_ev(keys, "standard (五) evidence")
    for k, pat in lex.items():
        rx = _rx(pat)
        if k == "pharma":
            mb = [f for f in ctx.facts if f.path == "industry.main_business"]
            if not mb:
                ctx.missing["std5.pharma"] = "no main-business statement found"
                continue
            val = bool(rx.search(str(mb[0].value)))
            ctx.add("std5.pharma", val, mb[0].evidence, confidence=0.7)
            continue
        hit = None
        for i in pages:
            if not rx.search(ctx.flat(i)):
                continue
            hit = next(((i, s) for _, s in _sentences(ctx.flat(i)) if rx.search(s)), None)
            if hit:
                break
        if hit:
            ctx.add(f"std5.{k}", True, [ctx.ev(*hit)], confidence=0.7)
        else:
            ctx.add(f"std5.{k}", False, searched, confidence=0.7)


# ------------------------------------------------------------------------------ risk factors


@dataclass
class RiskItem:
    """One risk item of the risk-factors chapter."""

    title: str
    page: int  # index into doc.pages
    body: str
    body_page: int = -1


def risk_items(doc: Document) -> list[RiskItem]:
    """Leaf risk items (a heading naming a risk, with body text) of the risk-factors chapter."""
    return _risk_items(_make_ctx(doc))


def _risk_items(ctx: _Ctx) -> list[RiskItem]:
    lex = lexicon()
    ch = ctx.chapters.get("risk_factors")
    if ch is None:
        return []
    head = _rx(lex["risk_heading"])
    maxlen = int(lex["risk_heading_max"])
    items: list[RiskItem] = []
    cur: RiskItem | None = None
    for ln in _body_lines(ctx.doc):
        if ln.page < ch.start or ln.page > ch.end or (ln.page == ch.start and ln.idx <= ch.line):
            continue
        t = ln.text
        if len(t) <= maxlen and "。" not in t and "%" not in t and head.search(t):
            if cur is not None and cur.body.strip():
                items.append(cur)
            cur = RiskItem(title=t, page=ln.page, body="")
        elif cur is not None:
            cur.body += t
    if cur is not None and cur.body.strip():
        items.append(cur)
    return items


def _risk_quality(ctx: _Ctx) -> None:
    lex = lexicon()
    paths = ("risk_factors.items", "risk_factors.with_mitigation", "risk_factors.unquantified",
             "risk_factors.unquantified_percent")
    ch = ctx.chapters.get("risk_factors")
    if ch is None:
        for p in paths:
            ctx.missing[p] = "the risk-factors chapter was not found"
        return
    items = _risk_items(ctx)
    if not items:
        for p in paths:
            ctx.missing[p] = f"no risk items (headings naming a risk) recognised in '{norm(ch.title)}'"
        return
    mit, qty = _rx(lex["mitigation"]), _rx(lex["quantified"])
    searched = ctx.span_ev(["risk_factors"], "risk items")
    with_mit = []
    for it in items:
        m = mit.search(it.body)
        if m:
            with_mit.append((it, it.body[max(0, m.start() - 60) : m.end() + 60]))
    unq = [it for it in items if not qty.search(it.body)]
    ctx.add("risk_factors.items", len(items), searched, unit="count", details={"titles": [it.title for it in items]})
    ctx.add("risk_factors.with_mitigation", len(with_mit),
            [ctx.ev(it.body_page if it.body_page >= 0 else it.page, q, section=it.title)
             for it, q in with_mit[:5]] or searched, unit="count",
            details={"titles": [it.title for it, _ in with_mit]})
    ctx.add("risk_factors.unquantified", len(unq),
            [ctx.ev(it.body_page if it.body_page >= 0 else it.page, it.body[:120], section=it.title)
             for it in unq[:5]] or searched, unit="count",
            details={"titles": [it.title for it in unq]})
    pct = (Decimal(len(unq)) * 100 / Decimal(len(items))).quantize(Decimal("0.01"))
    ctx.add("risk_factors.unquantified_percent", pct, searched, unit="percent")


# ------------------------------------------------------------------------------ run + cache


def _make_ctx(doc: Document) -> _Ctx:
    lines = _body_lines(doc)
    return _Ctx(doc=doc, chapters=find_chapters(doc, lines), body_pages=sorted({ln.page for ln in lines}))


def _run(doc: Document) -> _Ctx:
    ctx = _make_ctx(doc)
    _kc(ctx)
    _industry(ctx)
    _std5(ctx)
    _profit_outlook(ctx)
    _lockups(ctx)
    _growth_tier(ctx)
    _risk_quality(ctx)
    return ctx


def collect(doc: Document) -> tuple[list[Fact], dict[str, str]]:
    """The facts this module establishes, and the paths it looked for but could not, with why."""
    ctx = _run(doc)
    return list(ctx.facts), dict(ctx.missing)


def kc_facts(doc: Document) -> list[Fact]:
    """科创属性, industry, unprofitable-issuer and risk-factor facts with evidence."""
    return collect(doc)[0]


def kc_missing(doc: Document) -> dict[str, str]:
    """Fact paths this module looked for and could not establish, with the reason."""
    return collect(doc)[1]



# ------------------------------------------------------------------------------ consistency

_NUM_TOKEN = re.compile(r"\(?-?\d{1,3}(?:,\d{3})+(?:\.\d+)?\)?|\(?-?\d+(?:\.\d+)?\)?")
_FACTORS = (Decimal(1), Decimal(1_000), Decimal(10_000), Decimal(1_000_000), Decimal(100_000_000))
CONS_METRICS = ("revenue", "net_profit_parent", "net_profit_parent_deducted")


def printed_precision(value: Decimal, quote: str) -> Decimal | None:
    """The precision (in yuan) of the printed number in quote that denotes value, if one does."""
    best: Decimal | None = None
    for tok in _NUM_TOKEN.findall(quote):
        neg = tok.startswith("(") and tok.endswith(")")
        s = tok.strip("()").replace(",", "")
        try:
            num = Decimal(s)
        except InvalidOperation:
            continue
        if neg:
            num = -num
        decimals = -num.as_tuple().exponent if isinstance(num.as_tuple().exponent, int) else 0
        for f in _FACTORS:
            if abs(num * f - value) <= Decimal("0.01"):
                prec = Decimal(1).scaleb(-max(decimals, 0)) * f
                if best is None or prec < best:
                    best = prec
    return best


_LABELS = {
    "revenue": re.compile(r"营业(?:总)?收入"),
    "net_profit_parent": re.compile(r"归属于(?:母公司|发行人)"),
    "net_profit_parent_deducted": re.compile(r"扣除非经常性损益"),
}
# NOTE: a prose figure is only the issuer's consolidated figure when nothing narrows its subject just
# before the label: a segment or product line ("轨道交通控制系统营业收入"), the lower-of profit
# ("扣除非经常性损益前后孰低"), a subsidiary, a comparable company ("根据2023年报披露"), a region.
_QUALIFIER = re.compile(
    r"孰低|其中|子公司|可比|同行业|分部|业务|系统|产品|板块|境外|境内|海外|国内|地区|客户|供应商|标的|"
    r"收购|被投资|合营|联营|年报披露|年度报告披露|该公司|其营业|平均|合计|累计|母公司报表|单体|"
    r"预计|预测|预期|测算|目标|假设|盈利预测"
)


def _about_issuer(m: dict) -> bool:
    q = str(m.get("quote", ""))
    lab = _LABELS.get(str(m.get("metric")))
    hit = lab.search(q) if lab else None
    prefix = q[: hit.start()] if hit else q
    if re.search(r"根据.{0,12}(?:年报|年度报告|公告)", prefix):
        return False
    return not _QUALIFIER.search(prefix[-24:])


_PERIOD = re.compile(
    r"报告期(?:各期|内|各年)(?:,)?(?:(?:公司|发行人|本公司)(?:的)?)?(?P<label>营业(?:总)?收入|归属于(?:母公司|发行人)(?:所有者|股东|普通股股东)的净利润)"
    r"分别为(?P<amounts>(?:-?\d[\d,]*(?:\.\d+)?(?:万元|亿元|元)[、,和及]{0,2}){2,5})"
)
_AMT = re.compile(r"(-?\d[\d,]*(?:\.\d+)?)(万元|亿元|元)")
_UNITS = {"元": Decimal(1), "万元": Decimal(10_000), "亿元": Decimal(100_000_000)}


def period_mentions(doc: Document, facts: FactSet) -> list[dict]:
    """Prose "报告期各期，公司营业收入分别为A、B、C(和D)" mapped to the key table's fiscal years.

    The amounts are read in ascending year order (market practice); a fourth amount is the partial
    period and is skipped. Used only when the count matches the table's years, else ignored.
    """
    out: list[dict] = []
    for p in doc.pages:
        text = norm("\n".join(p.lines))
        for m in _PERIOD.finditer(text):
            label = m.group("label")
            metric = "revenue" if "收入" in label else "net_profit_parent"
            years = sorted(facts.years(f"financials.{metric}"))
            amts = _AMT.findall(m.group("amounts"))
            partial = facts.get("financials.partial_period") is not None
            if not years or len(amts) not in (len(years), len(years) + (1 if partial else 0)):
                continue
            for y, (num, unit) in zip(years, amts):
                try:
                    v = Decimal(num.replace(",", "")) * _UNITS[unit]
                except InvalidOperation:
                    continue
                out.append({"metric": metric, "year": y, "value": v, "page": p.number,
                            "quote": text[max(0, m.start() - 20) : m.end()][:280]})
    return out


def consistency_facts(doc: Document, facts: FactSet, mentions: list[dict] | None = None) -> list[Fact]:
    """``consistency.key_figures_agree`` and friends (STAR-CONS-001).

    Every sighting of revenue, net profit attributable to the parent and its deducted form for a
    fiscal year (the key-financial table facts already in ``facts`` plus every prose statement that
    :func:`checker.facts.build.figure_mentions` finds) is compared with every other one for the same
    metric and year. Two sightings agree when their printed ranges overlap: |a - b| <= (pa + pb) / 2,
    pa and pb being the precision each figure is printed at (0.01万元 -> 100 yuan).
    """
    if mentions is None:
        from checker.facts.build import figure_mentions

        mentions = figure_mentions(doc)
    mentions = list(mentions) + period_mentions(doc, facts)
    sightings: dict[tuple[str, int], list[dict]] = {}
    for metric in CONS_METRICS:
        for year, f in facts.years(f"financials.{metric}").items():
            if f.value is None or isinstance(f.value, (bool, str, list)) or not f.evidence:
                continue
            v = Decimal(str(f.value))
            e = f.evidence[0]
            sightings.setdefault((metric, year), []).append(
                {"value": v, "page": e.page, "quote": e.quote, "precision": printed_precision(v, e.quote), "source": "table"})
    for m in mentions:
        if not _about_issuer(m):
            continue
        v = Decimal(str(m["value"]))
        sightings.setdefault((m["metric"], int(m["year"])), []).append(
            {"value": v, "page": m["page"], "quote": m["quote"], "precision": printed_precision(v, m["quote"]), "source": "text"})
    if not sightings:
        return []
    mismatches: list[dict] = []
    compared = 0
    for (metric, year), ss in sorted(sightings.items()):
        for a_i in range(len(ss)):
            for b_i in range(a_i + 1, len(ss)):
                a, b = ss[a_i], ss[b_i]
                pa = a["precision"] if a["precision"] is not None else Decimal("0.01")
                pb = b["precision"] if b["precision"] is not None else Decimal("0.01")
                compared += 1
                if abs(a["value"] - b["value"]) > (pa + pb) / 2:
                    mismatches.append({"metric": metric, "year": year, "a": a, "b": b})
    def _e(s: dict) -> Evidence:
        p = doc.pages[s["page"] - 1] if 0 < s["page"] <= len(doc.pages) else None
        return Evidence(page=s["page"], quote=s["quote"], page_label=p.label if p else None)

    out: list[Fact] = []
    n = sum(len(v) for v in sightings.values())
    if mismatches:
        ev: list[Evidence] = []
        for mm in mismatches:
            for s in (mm["a"], mm["b"]):
                e = _e(s)
                if all((e.page, e.quote) != (o.page, o.quote) for o in ev):
                    ev.append(e)
        first = mismatches[0]
        details = {"mismatches": [
            {"metric": mm["metric"], "year": mm["year"],
             "values": [str(mm["a"]["value"]), str(mm["b"]["value"])],
             "pages": [mm["a"]["page"], mm["b"]["page"]]} for mm in mismatches[:20]]}
        out.append(Fact(path="consistency.key_figures_agree", value=False, evidence=ev[:6], source=SOURCE,
                        confidence=0.8, details=details))
        out.append(Fact(path="consistency.key_figure_mismatch", value=f"{first['metric']} {first['year']}",
                        evidence=ev[:2], source=SOURCE, confidence=0.8))
    else:
        ev = []
        for ss in sightings.values():
            for s in ss:
                if len(ev) < 6:
                    ev.append(_e(s))
        out.append(Fact(path="consistency.key_figures_agree", value=True, evidence=ev, source=SOURCE, confidence=0.8))
    out.append(Fact(path="consistency.key_figure_sightings", value=n, unit="count", source=SOURCE, evidence=[]))
    out.append(Fact(path="consistency.key_figure_comparisons", value=compared, unit="count", source=SOURCE, evidence=[]))
    out.append(Fact(path="consistency.key_figure_mismatches", value=len(mismatches), unit="count", source=SOURCE, evidence=[]))
    return out
