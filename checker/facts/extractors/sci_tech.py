"""科创属性 (sci-tech attribute) facts the filing states: R&D staff, qualifying invention patents, the
three-year R&D figures, the ticked answers of the indicator table, exception clauses, software status,
the guideline version and a transition statement.

A count or a percentage is only added when a sentence states it, with that sentence. A lower bound
("超过5项", "超过5%") is kept apart from an exact figure (``*_min``): it can establish that a floor is
met, never that it is missed. Ticks: "√", "☑", "■", a private-use glyph (U+F052, U+F0FE; U+F0A3 is the
empty box), or a lost glyph that leaves the ticked answer as the only one without "□". In an exception
table each clause is answered by the 是/否 pair of its own row; in prose, by a non-negated claim.
"""

from __future__ import annotations

import re
from decimal import Decimal

from checker.extract.structure import Span
from checker.facts.context import Ctx, lexicon, rx
from checker.facts.registry import FactSpec

NAME = "sci_tech"
PRODUCES = [
    FactSpec("kc.rd_staff_count", "count", "number of R&D staff", "count"),
    FactSpec("kc.rd_staff_ratio_percent", "percent", "R&D staff as a share of all employees", "percent"),
    FactSpec("kc.invention_patents", "count", "invention patents held", "count"),
    FactSpec("kc.invention_patents_main_business", "count", "invention patents applied in / generating the main business (exact)", "count"),
    FactSpec("kc.invention_patents_main_business_min", "count", "lower bound of those patents (the exact count when stated)", "count"),
    FactSpec("kc.rd_ratio_3y_stated_percent", "percent", "three-year R&D / three-year revenue as the filing states it", "percent"),
    FactSpec("kc.rd_ratio_3y_min_percent", "percent", "a lower bound the filing states for that ratio (超过5%)", "percent"),
    FactSpec("kc.rd_cumulative_3y_stated", "money", "three-year cumulative R&D as the filing states it", "CNY"),
    FactSpec("kc.rd_cumulative_3y_min", "money", "a lower bound the filing states for it (超过6,000万元)", "CNY"),
    *(FactSpec(f"kc.answer_{k}", "bool", f"the ticked answer of the 科创属性 table row on {k.replace('_', ' ')}")
      for k in ("rd_investment", "rd_staff", "patents", "revenue")),
    FactSpec("kc.exception_claimed", "bool", "an exception clause (例外条款) is claimed in the 科创属性 block"),
    FactSpec("kc.exceptions", "codes", "the exception clauses claimed (E1-E5)"),
    FactSpec("kc.software_company", "bool", "the issuer says it is a software company"),
    FactSpec("kc.transition_old_rules", "bool", "the filing says the pre-revision rules apply to it (transition)"),
    FactSpec("kc.version_stated", "text", "revision (YYYY-MM) of the 暂行规定 / 科创属性评价指引 the filing cites"),
]
_UNITS = {"元": Decimal(1), "万元": Decimal(10_000), "亿元": Decimal(100_000_000)}


def _block(ctx: Ctx) -> list[int]:
    """Pages of the 科创属性 / board-positioning block (first anchor in the overview, else anywhere):
    ``kc_block_pages`` from the anchor, and on over the next pages while each still prints the
    科创属性 table or its exception clauses (a table continued), at most ``kc_block_more`` of them."""
    lex = lexicon(NAME)  # this extractor's words, whichever extractor asks first (industry reads it too)
    anchor, more = rx(lex["kc_anchor"]), rx(lex["kc_continued"])
    n, extra = int(lex["kc_block_pages"]), int(lex["kc_block_more"])
    body = set(ctx.m.body_pages)
    for pages in (ctx.m.chapter_pages("overview"), ctx.m.body_pages):
        for p in pages:
            if anchor.search(ctx.m.page_span(p).text):
                out = [q for q in range(p, p + n) if q in body]
                for q in range(p + n, p + n + extra):
                    if q not in body or not more.search(ctx.m.page_span(q).text):
                        break
                    out.append(q)
                return out
    return []


def block_pages(ctx: Ctx) -> list[int]:
    """The block's pages, computed once per document (other extractors read it too)."""
    return ctx.m.memo("kc_block", lambda: _block(ctx))  # type: ignore[no-any-return]


def _first(ctx: Ctx, pat: re.Pattern[str], pages: list[int], *, joined: bool = False):  # type: ignore[no-untyped-def]
    """(span, match) of the first match on these pages (over the joined pages when ``joined``)."""
    if joined and pages:
        sp = ctx.m.pages_span(pages)
        mt = pat.search(sp.text)
        return (sp, mt) if mt else None
    for p in pages:
        sp = ctx.m.page_span(p)
        mt = pat.search(sp.text)
        if mt:
            return sp, mt
    return None


def _ev(ctx: Ctx, hit, width: int = 40):  # type: ignore[no-untyped-def]
    """Evidence of a match: from its group ``k`` when the pattern names one (the figure, not the
    context the pattern needed before it), else from the whole match."""
    sp, mt = hit
    a = mt.start("k") if "k" in mt.re.groupindex and mt.start("k") >= 0 else mt.start()
    return ctx.ev_at(sp, a, mt.end(), before=width, width=mt.end() - a + 2 * width)


def _software(ctx: Ctx, block: list[int]):  # type: ignore[no-untyped-def]
    """The first sentence stating the issuer is a software company: never one that quotes the
    guideline's software rule or denies the status."""
    pat, reject = rx(ctx.lex["software"]), rx(ctx.lex["software_reject"])
    for p in block:
        sp = ctx.m.page_span(p)
        if not sp.holds(pat):
            continue
        for a, b in sp.sentences():
            mt = pat.search(sp.text, a, b)
            if mt and not reject.search(sp.text, a, b):
                return sp, mt
    return None


_QUOTED = re.compile(r"“[^“”]{0,600}”|\"[^\"]{0,600}\"")


def _unquoted(ctx: Ctx, pat: re.Pattern[str], pages: list[int]):  # type: ignore[no-untyped-def]
    """(span, match) of the first match outside quotation marks (a notice or rule quoted is not the
    issuer's statement), over the joined pages."""
    if not pages:
        return None
    sp = ctx.m.pages_span(pages)
    quoted = [(q.start(), q.end()) for q in _QUOTED.finditer(sp.text)]
    for mt in pat.finditer(sp.text):
        if not any(a <= mt.start() < b for a, b in quoted):
            return sp, mt
    return None


def extract(ctx: Ctx) -> None:
    block = block_pages(ctx)
    rest = [p for p in ctx.m.body_pages if p not in block]
    _rd_staff(ctx, block, rest)
    _patents(ctx, block, rest)
    _rd_3y(ctx, block)
    _answers(ctx, block)
    _exceptions(ctx, block)
    lex = ctx.lex
    for path, key, what in (("kc.software_company", "software", "software-company statement"),
                            ("kc.transition_old_rules", "transition_old", "transition statement")):
        hit = _software(ctx, block) if key == "software" else _unquoted(ctx, rx(lex[key]), block)
        if hit:
            ctx.add(path, True, [_ev(ctx, hit, 60)], confidence=0.8)
        elif block:
            ctx.add(path, False, ctx.searched_pages(block, f"no {what} in the 科创属性 block"), confidence=0.7)
        else:
            ctx.missing(path, f"the 科创属性 block was not found ({what})")
    hit = _first(ctx, rx(lex["version_stated"]), block)
    if hit:
        ctx.add("kc.version_stated", f"{hit[1].group('y')}-{int(hit[1].group('m')):02d}", [_ev(ctx, hit)], confidence=0.8)
    else:
        ctx.missing("kc.version_stated", "no revision date of the 暂行规定 / 科创属性评价指引 stated")


def _rd_staff(ctx: Ctx, block: list[int], rest: list[int]) -> None:
    lex = ctx.lex
    full, count_only = rx(lex["rd_staff"][0]), rx(lex["rd_staff"][1])
    ratio_only = rx(lex["rd_staff_ratio_only"])
    hit = (_first(ctx, full, block, joined=True) or _first(ctx, rx(lex["rd_staff_share"]), block, joined=True)
           or _first(ctx, full, rest))
    if hit:
        ctx.add("kc.rd_staff_count", int(hit[1].group("count").replace(",", "")), [_ev(ctx, hit)], unit="count")
        ctx.add("kc.rd_staff_ratio_percent", Decimal(hit[1].group("ratio")), [_ev(ctx, hit)], unit="percent")
        return
    series = rx(lex["rd_staff_series"])
    hit = _first(ctx, series, block, joined=True) or _first(ctx, series, rest)
    if hit:
        counts = re.findall(r"\d[\d,]*(?=人)", hit[1].group("counts"))
        ratios = re.findall(r"\d{1,2}(?:\.\d+)?(?=%)", hit[1].group("ratios"))
        details = {"series": list(zip(counts, ratios)), "taken": "the last (latest) of the series"}
        ctx.add("kc.rd_staff_count", int(counts[-1].replace(",", "")), [_ev(ctx, hit)], unit="count", details=details)
        ctx.add("kc.rd_staff_ratio_percent", Decimal(ratios[-1]), [_ev(ctx, hit)], unit="percent", details=details)
        return
    hit = _first(ctx, ratio_only, block, joined=True) or _first(ctx, ratio_only, rest)
    if hit:
        ctx.add("kc.rd_staff_ratio_percent", Decimal(hit[1].group("ratio")), [_ev(ctx, hit)], unit="percent", confidence=0.8)
    else:
        ctx.missing("kc.rd_staff_ratio_percent", "no sentence stating R&D staff as a share of all employees (研发人员…占员工总数…%)")
    hit = _first(ctx, count_only, block, joined=True) or _first(ctx, count_only, rest)
    if hit:
        ctx.add("kc.rd_staff_count", int(hit[1].group("count").replace(",", "")), [_ev(ctx, hit)], unit="count", confidence=0.8)
    else:
        ctx.missing("kc.rd_staff_count", "no sentence stating the number of R&D staff (研发人员…人)")


def _patents(ctx: Ctx, block: list[int], rest: list[int]) -> None:
    lex = ctx.lex["patents"]
    for key in ("main_exact", "main_exact_2", "main_exact_3", "main_exact_4"):
        hit = _first(ctx, rx(lex[key]), block, joined=True) or _first(ctx, rx(lex[key]), rest)
        if hit:
            n = int(hit[1].group("n"))
            ctx.add("kc.invention_patents_main_business", n, [_ev(ctx, hit)], unit="count")
            ctx.add("kc.invention_patents_main_business_min", n, [_ev(ctx, hit)], unit="count")
            break
    else:
        bound = None
        for key, delta in (("main_more_than", 1), ("main_at_least", 0)):
            # NOTE: the indicator table's own criterion ("…发明专利7项以上 √是 □否") is the guideline's
            # wording next to a self-declared tick, not a count the issuer states.
            pat = rx(lex[key] + r"(?!\s*[√□☑■✓✔\ue000-\uf8ff])")
            hit = _first(ctx, pat, block, joined=True) or _first(ctx, pat, rest)
            if hit:
                bound = int(hit[1].group("n")) + delta
                # NOTE: "超过5项" is a lower bound (> 5), not a count; kept apart from exact counts.
                ctx.add("kc.invention_patents_main_business_min", bound, [_ev(ctx, hit)], unit="count",
                        details={"bound": "at_least", "stated": hit[1].group(0)})
                break
        ctx.missing("kc.invention_patents_main_business",
                    "only a lower bound of the qualifying invention patents is stated" if bound is not None
                    else "no count of invention patents applied in / generating the main business found")
        if bound is None:
            ctx.missing("kc.invention_patents_main_business_min", "no count of qualifying invention patents found")
    tot = rx(lex["total"])
    hit = _first(ctx, tot, block) or _first(ctx, tot, ctx.m.chapter_pages("business_technology")) or _first(ctx, tot, rest)
    if hit:
        ctx.add("kc.invention_patents", int(hit[1].group("a") or hit[1].group("b")), [_ev(ctx, hit)], unit="count", confidence=0.8)
    else:
        ctx.missing("kc.invention_patents", "no count of invention patents (发明专利…项) found")


def _rd_3y(ctx: Ctx, block: list[int]) -> None:
    lex = ctx.lex
    for path, key, money in (("kc.rd_ratio_3y_stated_percent", "rd_3y_ratio", False),
                             ("kc.rd_ratio_3y_min_percent", "rd_3y_ratio_over", False),
                             ("kc.rd_cumulative_3y_stated", "rd_3y_amount", True),
                             ("kc.rd_cumulative_3y_min", "rd_3y_amount_over", True)):
        hit = _first(ctx, rx(lex[key]), block, joined=True)
        if not hit:
            ctx.missing(path, "not stated in the 科创属性 block" if block else "the 科创属性 block was not found")
            continue
        v = Decimal(hit[1].group("v").replace(",", ""))
        if money:
            v = v * _UNITS[hit[1].group("u")]
        ctx.add(path, v, [_ev(ctx, hit)], unit="CNY" if money else "percent", confidence=0.8)


def _answer(window: str, ticks: str, empty: str = "[□]") -> bool | None:
    """The ticked answer of a 是/否 pair in the characters after a criterion."""
    if re.search(ticks + r"\s*是", window):
        return True
    if re.search(ticks + r"\s*否", window):
        return False
    # Tick glyphs lost in extraction: the empty box marks the answer NOT given.
    if re.match(r"\s*是\s*" + empty + r"\s*否", window):
        return True
    if re.match(r"\s*" + empty + r"\s*是\s*否", window):
        return False
    return None


def _pair(ctx: Ctx) -> re.Pattern[str]:
    """A 是/否 answer pair with at least one tick or box glyph ("√是□否", "□是√否", "是□否")."""
    g = "(?:" + ctx.lex["ticks"] + "|" + ctx.lex["empty_box"] + ")"
    return rx(rf"{g}\s*是\s*{g}?\s*否|{g}?\s*是\s*{g}\s*否")


def _answers(ctx: Ctx, block: list[int]) -> None:
    lex = ctx.lex
    sp: Span | None = ctx.m.pages_span(block) if block else None
    for key, pat in lex["answers"].items():
        path = f"kc.answer_{key}"
        mt = rx(pat).search(sp.text) if sp is not None else None
        if not mt:
            ctx.missing(path, "no 科创属性 indicator table row found")
            continue
        val = _answer(sp.text[mt.end() : mt.end() + 10], lex["ticks"], lex["empty_box"])  # type: ignore[union-attr]
        if val is None:
            ctx.missing(path, f"the 是/否 answer next to the criterion on p. {sp.line_at(mt.start()).page} could not be read")  # type: ignore[union-attr]
        else:
            ctx.add(path, val, [ctx.ev_at(sp, mt.start(), mt.end() + 80, before=0)], confidence=0.8)  # type: ignore[arg-type]


def _exceptions(ctx: Ctx, block: list[int]) -> None:
    lex = ctx.lex
    claim, neg = rx(lex["exception_claim"]), rx(lex["exception_negation"])
    if not block:
        ctx.missing("kc.exception_claimed", "the 科创属性 block was not found")
        ctx.missing("kc.exceptions", "the 科创属性 block was not found")
        return
    sp = ctx.m.pages_span(block)
    hits: dict[str, tuple[int, int]] = {}
    pair = _pair(ctx)
    for code, pat in lex["exceptions"].items():
        r = rx(pat)
        # An exception table: the clause's own row answers it, the first 是/否 pair after the
        # clause text, in its sentence or just after its end (never the sentence's leading "√否",
        # which is the previous row's answer).
        ticked = None
        for mt in r.finditer(sp.text):
            a, b = sp.sentence_at(mt.start())
            for prev in pair.finditer(sp.text, a, mt.start()):  # the previous row's answer, left out
                a = prev.end()
            while a < mt.start() and sp.text[a] in " -—":
                a += 1
            pm = pair.search(sp.text, mt.end(), min(len(sp.text), b + 12))
            val = _answer(pm.group(0), lex["ticks"], lex["empty_box"]) if pm else None
            if val is not None:
                ticked = (val, a, pm.end())  # type: ignore[union-attr]
                break
        if ticked is not None:
            if ticked[0]:
                hits[code] = (ticked[1], ticked[2])
            continue
        for a, b in sp.sentences():
            s = sp.text[a:b]
            if r.search(s) and claim.search(s) and not neg.search(s):
                hits.setdefault(code, (a, b))
    if hits:
        evs = [ctx.ev(sp.line_at(a), quote=sp.text[a:b]) for a, b in hits.values()][:3]
        ctx.add("kc.exception_claimed", True, evs, confidence=0.7, details={"clauses": sorted(hits)})
        ctx.add("kc.exceptions", sorted(hits), evs, confidence=0.7)
    else:
        ctx.add("kc.exception_claimed", False, ctx.searched_pages(block, "no exception clause claimed in the 科创属性 block"),
                confidence=0.7)
        ctx.missing("kc.exceptions", "no exception clause claimed")
