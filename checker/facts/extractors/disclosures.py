"""Presence of required disclosures: the cover legends, the declarations, each chapter's required
items, and the unprofitable-issuer notices.

A presence fact ``disclosure.<x>`` (bool) is True with the quote where it was found; False only when
the place to search (a chapter, the cover, the front matter) was found and read, the evidence then
naming that place and its pages; missing, with the reason, when the place was not found.
"""

from __future__ import annotations

import re
from functools import lru_cache

from checker.extract.clean import compact
from checker.extract.structure import Line, Section
from checker.facts.context import Ctx, lexicon, rx
from checker.facts.registry import FactSpec

NAME = "disclosures"
MAX_HEADING = 80  # a declaration or item heading line is short
MIN_CHAPTERS = 4

_LEX = lexicon(NAME)
DECLARATION_KINDS = tuple(_LEX["declarations"]) + ("issuer",)
ITEM_KEYS = tuple(k for items in _LEX["items"].values() for k in items)
PRODUCES = [
    FactSpec("disclosure.cover_star_risk_notice", "bool", "the cover carries the STAR investment risk notice"),
    FactSpec("disclosure.predisclosure_legend", "bool", "an application draft's cover carries the pre-disclosure legend"),
    *(FactSpec(f"disclosure.declaration_{k}", "bool", f"the {k.replace('_', ' ')} declaration is present")
      for k in DECLARATION_KINDS),
    *(FactSpec(f"disclosure.item_{k}", "bool", f"the required item '{k}' is present in its chapter") for k in ITEM_KEYS),
    FactSpec("disclosure.major_matters_notice", "bool", "a 重大事项提示 section is present"),
    FactSpec("disclosure.unprofitability_notice", "bool", "重大事项提示 / 特别风险提示 names the unprofitability risk"),
    FactSpec("disclosure.unprofitability_risk_factor", "bool", "the risk factors include the unprofitability risk"),
    FactSpec("disclosure.unprofitability_impact_analysis", "bool", "the causes and impact of the losses are analysed"),
]


def extract(ctx: Ctx) -> None:
    _cover(ctx)
    _predisclosure(ctx)
    _declarations(ctx)
    _items(ctx)
    _unprofitability(ctx)


def _front_pages(ctx: Ctx) -> list[int]:
    fe = ctx.m.front_end_page()
    n = int(ctx.lex["front_pages"])
    last = n if fe is None else min(n, fe)
    # The cover itself is often mostly running text the cleaner keeps; use raw lines of page 1-2 too.
    return [p for p in range(1, min(ctx.m.page_count, max(last, 1)) + 1)]


def _cover_span(ctx: Ctx, pages: list[int]):  # type: ignore[no-untyped-def]
    from checker.extract.structure import Line as L
    from checker.extract.structure import Span

    lines: list[L] = []
    for p in pages:
        body = ctx.m.page_lines(p)
        if body:
            lines += body
        else:  # a cover page the model left out (e.g. all of it classified as header): read its raw lines
            from checker.extract.clean import norm

            lines += [L(idx=-1, page=p, raw=r, norm=norm(r)) for r in ctx.doc.pages[p - 1].raw_lines if norm(r)]
    return Span(lines, ctx.m.language)


def _cover(ctx: Ctx) -> None:
    spec = ctx.lex["cover_star_risk_notice"]
    path = "disclosure.cover_star_risk_notice"
    pages = _front_pages(ctx)
    sp = _cover_span(ctx, pages)
    if not sp.text:
        ctx.missing(path, "the cover pages have no text")
        return
    text = sp.text
    # Anchor on the notice's own words (the features), then require 科创板 just before them: the
    # title's 科创板 ("并在科创板上市") is not the notice.
    feats = [m for f in spec["features"] for m in re.finditer(f, text)]
    for f0 in sorted(feats, key=lambda m: m.start()):
        window = text[max(0, f0.start() - 60) : f0.start() + 200]
        found = [f for f in spec["features"] if f in window]
        board = text.rfind(spec["board"], max(0, f0.start() - 60), f0.start())
        if board < 0 or len(found) < int(spec["min_features"]) or not rx(spec["risk"]).search(window):
            continue
        a = text.rfind("本次", max(0, board - 40), board)
        if a < 0:
            a = max(text.rfind("。", 0, board), text.rfind("提示", 0, board) + 1, 0)
            a = a + 1 if text[a : a + 1] == "。" else a
        end = text.find("。", f0.start())
        quote = text[a : end + 1] if 0 <= end < a + 300 else text[a : a + 280]
        ln = sp.line_at(a)
        ctx.add(path, True, [ctx.ev(ln, page=ln.page, quote=quote, section="cover")], confidence=0.95)
        return
    m = rx(spec["en"]).search(text)
    if m:
        ctx.add(path, True, [ctx.ev(sp.line_at(m.start()), quote=sp.around(m.start(), m.end(), 0), section="cover")])
        return
    flat = text.replace(",", "").replace("、", "").replace("。", "")
    for key in spec["garbled_keys"]:
        # the notice's words present in order, interleaved with others: two overlapping text layers
        pos = flat.find(key[0])
        while pos >= 0:
            it = iter(flat[pos : pos + 4 * len(key)])
            if all(ch in it for ch in key):
                ctx.missing(path, f"cover text on pp. {pages[0]}-{pages[-1]} is garbled (overlapping text); the notice "
                                  "may be there: check by hand")
                return
            pos = flat.find(key[0], pos + 1)
    ctx.add(path, False, [ctx.ev(sp.lines[0], page=sp.lines[0].page, quote=sp.lines[0].raw, section="cover",
                                 note=f"cover pp. {pages[0]}-{pages[-1]} searched")], confidence=0.85)


def _predisclosure(ctx: Ctx) -> None:
    parts = {k: rx(v) for k, v in ctx.lex["predisclosure_legend"]["parts"].items()}
    pages = _front_pages(ctx)
    path = "disclosure.predisclosure_legend"
    sp = _cover_span(ctx, pages)
    if not sp.text:
        ctx.missing(path, "the cover pages have no text")
        return
    hits = [m for r in parts.values() if (m := r.search(sp.text))]
    if len(hits) == len(parts):
        a, b = min(m.start() for m in hits), max(m.end() for m in hits)
        ln = sp.line_at(a)
        ctx.add(path, True, [ctx.ev(ln, page=ln.page, quote=sp.text[max(0, a - 20) : b + 1], section="cover")])
    elif hits:
        ctx.missing(path, f"only part of the legend found on p. {sp.line_at(hits[0].start()).page}: check by hand")
    else:
        ctx.add(path, False, [ctx.ev(sp.lines[0], page=sp.lines[0].page, quote=sp.lines[0].raw, section="cover",
                                     note=f"cover pp. {pages[0]}-{pages[-1]} searched")], confidence=0.85)


def _declarations(ctx: Ctx) -> None:
    kinds = {k: [rx(p) for lang in ("zh", "en") for p in v.get(lang, [])] for k, v in ctx.lex["declarations"].items()}
    ch = ctx.m.chapter("declarations")
    hits: dict[str, Line] = {}
    lines = ctx.m.section_lines(ch) if ch is not None else []
    reject = rx(ctx.lex["declaration_reject"])
    for ln in lines:
        text = ctx.m.wrapped_text(ln)  # a declaration title wrapped onto a second line
        if len(text) > MAX_HEADING or reject.search(text):
            continue
        for kind, pats in kinds.items():
            if any(p.search(text) for p in pats):
                hits.setdefault(kind, ln)
                break  # capital_verifier before auditor: one kind per line
    for kind in kinds:
        path = f"disclosure.declaration_{kind}"
        if kind in hits:
            ctx.add(path, True, [ctx.ev(hits[kind], section=ch.title)])  # type: ignore[union-attr]
        elif ch is None:
            ctx.missing(path, "the declarations chapter (声明 / 有关声明) was not found")
        else:
            ctx.add(path, False, ctx.searched([ch], f"no {kind.replace('_', ' ')} declaration heading"))
    _issuer_declaration(ctx, ch, lines, hits.get("directors"))


def _issuer_declaration(ctx: Ctx, ch: Section | None, lines: list[Line], directors: Line | None) -> None:
    spec = ctx.lex["issuer_declaration"]
    path = "disclosure.declaration_issuer"
    chapter_pat = rx(spec["chapter"])
    for ln in lines:
        title = ctx.m.wrapped_text(ln)  # "…高级管理人员声" / "明": a title wrapped onto a second line
        if len(title) <= MAX_HEADING and chapter_pat.search(title) and title.endswith("声明"):
            ctx.add(path, True, [ctx.ev(ln, section=ch.title)])  # type: ignore[union-attr]
            return
    if directors is not None:
        # Std 57: the directors' declaration is the issuer's too when its text makes the company a party
        # ("本公司及全体董事、监事、高级管理人员承诺…").
        i = lines.index(directors)
        if ctx.m.wrapped_text(directors) != directors.norm:
            i += 1  # its title goes on in the next line
        text = lines[i + 1 : i + 3]
        if text and rx(spec["body"]).match(ctx.m.span(text).text):
            ev = [ctx.ev(directors, section=ch.title), ctx.ev(text[0], section=ch.title)]  # type: ignore[union-attr]
            ctx.add(path, True, ev, confidence=0.85)
            return
    fe = ctx.m.front_end_page()
    front = [rx(p + r"\Z") for lang in ("zh", "en") for p in spec["front"][lang]]
    if fe is not None:
        for ln in ctx.m.lines:
            if ln.page > fe:
                break
            if any(p.match(ln.norm) for p in front):
                ctx.add(path, True, [ctx.ev(ln, section="front matter")])
                return
    if fe is None and ch is None:
        ctx.missing(path, "neither the front matter nor the declarations chapter was delimited")
        return
    ev = ctx.searched([ch], "no issuer declaration heading") if ch is not None else []
    ev += ctx.searched_pages(list(range(1, (fe or 0) + 1)), "no 发行人声明 in the front matter")
    ctx.add(path, False, ev, confidence=0.8)


_LEVELS = (
    re.compile(r"第[一二三四五六七八九十]+部分"),
    re.compile(r"[一二三四五六七八九十]+[、.]"),
    re.compile(r"\([一二三四五六七八九十]+\)"),
    re.compile(r"\d{1,2}[、.]"),
)
_LEVELS_EN = (re.compile(r"[IVX]{1,4}\.\Z"), re.compile(r"\([IVX]{1,4}\)\Z"))


def _item_heading(ln: Line, marker: re.Pattern[str], reject: re.Pattern[str]) -> tuple[str, int | None] | None:
    """(title after the heading marker, heading level or None without a marker); None if not a heading."""
    if len(ln.norm) > MAX_HEADING:
        return None
    m = marker.match(ln.norm)
    title = ln.norm[m.end():] if m else ln.norm
    if not title or reject.search(title):
        return None
    if m is None:
        return title, None
    mk = m.group(0).lstrip("# ").strip()
    en = next((n + 1 for n, r in enumerate(_LEVELS_EN) if r.match(mk)), None)
    level = en or next((n for n, r in enumerate(_LEVELS) if r.match(mk)), len(_LEVELS) if mk else 2)
    return title, level


@lru_cache(maxsize=256)
def _any_of(patterns: tuple[str, ...]) -> re.Pattern[str] | None:
    """One pattern that searches (or fully matches) wherever any of ``patterns`` does, each as ``rx``
    compiles it: one match per heading line instead of one per pattern."""
    if not patterns:
        return None
    return re.compile("|".join(f"(?:{rx(p).pattern})" for p in patterns), re.I)


def _items(ctx: Ctx) -> None:
    """disclosure.item_<key>: required sub-section headings, searched inside the parent chapter only."""
    lex = ctx.lex
    spec = lex["item_heading"]
    marker, reject = rx(spec["marker"]), rx(spec["reject"])
    recognised = len(ctx.m.chapters) >= MIN_CHAPTERS
    for parent, items in lex["items"].items():
        ch = ctx.m.chapter(parent)
        own = {key: tuple(p for lang in ("zh", "en") for p in entry.get(lang, []))
               for key, entry in items.items()}
        pats = {key: _any_of(ps) for key, ps in own.items()}
        # every key's patterns in one: a title none of them matches (most lines) is tried once, not per key
        anything = _any_of(tuple(p for ps in own.values() for p in ps))
        hits: dict[str, tuple[Line, str]] = {}
        if ch is not None:
            lines = ctx.m.body(ch)
            best: dict[str, tuple[int, Line]] = {}
            # (a title is part of its line, a line of its page: pages without the literals are skipped)
            for ln in ctx.m.lines_that_may_match(anything, lines) if anything is not None else ():
                h = _item_heading(ln, marker, reject)
                if h is None or anything is None:
                    continue
                title, level = h
                seen = anything.search(title) if level is not None else anything.fullmatch(title)
                if seen is None:
                    continue
                rank = 2 if level is None else level
                for key, pat in pats.items():
                    if key in best and best[key][0] <= rank:
                        continue  # the highest-level heading wins, then the first one
                    if pat is not None and (pat.search(title) if level is not None else pat.fullmatch(title)):
                        best[key] = (rank, ln)
            hits = {k: (v[1], v[1].raw.strip()) for k, v in best.items()}
            for key, entry in items.items():
                body = [rx(p) for p in entry.get("body", [])]
                if key in hits or not body:
                    continue
                sp = ctx.m.span(lines)
                for r in body:
                    m = r.search(sp.text)
                    if m:
                        a, b = sp.sentence_at(m.start())
                        hits[key] = (sp.line_at(a), sp.text[a:b])
                        break
        for key in items:
            path = f"disclosure.item_{key}"
            if key in hits:
                ln, quote = hits[key]
                ctx.add(path, True, [ctx.ev(ln, quote=quote, section=ch.title)])  # type: ignore[union-attr]
            elif ch is None:
                ctx.missing(path, f"the parent chapter ({lex['chapter_names'].get(parent, parent)}) was not found")
            elif not recognised:
                ctx.missing(path, f"chapter structure not recognised ({len(ctx.m.chapters)} chapter headings found): "
                                  "the chapter's extent is unknown")
            else:
                ctx.add(path, False, ctx.searched([ch], f"no heading of the item '{key}'"))


def _find(ctx: Ctx, lines: list[Line], pat: re.Pattern[str], neg: re.Pattern[str] | None = None,
          max_len: int | None = None) -> Line | None:
    for ln in lines:
        if max_len is not None and len(compact(ln.norm)) > max_len:
            continue
        m = pat.search(ln.norm)
        if m and not (neg and neg.search(ln.norm[: m.start()])):
            return ln
    return None


def _risk_headings(ctx: Ctx, lines: list[Line]) -> list[Line]:
    """The numbered heading lines of the risk factors: a paragraph's last line ("…甚至出现亏损的风险。")
    is no heading, nor a line without a heading marker."""
    spec = ctx.lex["item_heading"]
    marker, reject = rx(spec["marker"]), rx(spec["reject"])
    return [ln for ln in lines if (h := _item_heading(ln, marker, reject)) is not None and h[1] is not None]


def _unprofitability(ctx: Ctx) -> None:
    lex = ctx.lex["unprofitability"]
    m = ctx.m
    mm = m.find("major_matters_notice")
    if mm is not None:
        ctx.add("disclosure.major_matters_notice", True, [ctx.ev(m.lines[mm.start])], confidence=0.95)
    elif m.chapters:
        ctx.add("disclosure.major_matters_notice", False,
                ctx.searched_pages(m.body_pages, "no heading 重大事项提示"), confidence=0.8)
    else:
        ctx.missing("disclosure.major_matters_notice", "the document structure could not be read")

    notice_secs = m.keyed.get("major_matters_notice", []) + m.keyed.get("special_risk_notice", [])
    notice, neg = rx(lex["notice"]), rx(lex["negation"])
    if notice_secs:
        hit = next((h for s in notice_secs if (h := _find(ctx, m.section_lines(s), notice, neg))), None)
        if hit:
            ctx.add("disclosure.unprofitability_notice", True, [ctx.ev(hit)], confidence=0.85)
        else:
            ctx.add("disclosure.unprofitability_notice", False, ctx.searched(notice_secs, "no unprofitability risk"),
                    confidence=0.85)
    else:
        ctx.missing("disclosure.unprofitability_notice", "neither 重大事项提示 nor 特别风险提示 was found")

    rf = m.chapter("risk_factors")
    if rf is not None:
        hit = _find(ctx, _risk_headings(ctx, m.section_lines(rf)), rx(lex["risk_heading"]), neg, max_len=60)
        if hit:
            ctx.add("disclosure.unprofitability_risk_factor", True, [ctx.ev(hit)], confidence=0.85)
        else:
            ctx.add("disclosure.unprofitability_risk_factor", False,
                    ctx.searched([rf], "no risk-factor heading on unprofitability"), confidence=0.8)
    else:
        ctx.missing("disclosure.unprofitability_risk_factor", "the 风险因素 chapter was not found")

    scope = [s for s in (m.chapter("financial"), m.chapter("investor_protection"), m.chapter("overview"), mm) if s is not None]
    if m.chapter("financial") is not None:
        impact, xref = rx(lex["impact"]), rx(lex["cross_reference"])
        lines = [ln for s in scope for ln in m.section_lines(s) if not xref.search(ln.norm)]
        # the analysis's own heading first, then a sentence of it
        hit = _find(ctx, [ln for ln in lines if ln.is_heading()], impact, neg) or _find(ctx, lines, impact, neg)
        if hit:
            ctx.add("disclosure.unprofitability_impact_analysis", True, [ctx.ev(hit)], confidence=0.8)
        else:
            ctx.add("disclosure.unprofitability_impact_analysis", False,
                    ctx.searched(scope, "no analysis of the causes and impact of the losses"), confidence=0.75)
    else:
        ctx.missing("disclosure.unprofitability_impact_analysis", "the financial chapter was not found")
