"""Presence facts: required chapters, declarations, cover legends, WVR and red-chip / VIE items.

Works on :class:`checker.extract.document.Document` pages (``Page.lines`` = body lines). Chapters are
found here by their titles (lexicon in ``disclosures.yaml``), so the module does not depend on the
structure extractor. Semantics of a presence fact ``disclosure.<x>`` (bool):

* True, with the quote where it was found;
* False, only when the place to search (a chapter, the cover, the front matter) was found and read;
  the evidence then names that place and its pages;
* missing (reported by :func:`missing_disclosures` with the reason) when the place was not found.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from checker.extract.document import Document
from checker.facts.model import Evidence, Fact

SOURCE = "disclosures@1"
_LEXICON = Path(__file__).with_name("disclosures.yaml")

_CJK = "\u2e80-\u9fff\u3000-\u303f\uf900-\ufaff\uff00-\uffef\u2018-\u201d\u2026"
_WS_CJK = re.compile(rf"(?<=[{_CJK}])\s+|\s+(?=[{_CJK}])")
_WS = re.compile(r"\s+")
_CHAPTER_ZH = re.compile(r"^第\s*([一二三四五六七八九十百零〇]+|\d{1,2})\s*[节章]\s*[:.、]?\s*(.*)$")
_CHAPTER_EN = re.compile(r"^(?:section|chapter|part)\s+([ivxlc]+|\d{1,2})\b\s*[.:\-—]?\s*(.*)$", re.I)
_TOC_LINE = re.compile(r"(?:\.{3,}|…{2,}|·{3,}|．{3,}|-{5,}|_{5,})\s*[\dA-Za-z]{0,4}(?:-\d{1,4}){0,3}\s*$")
_SENTENCE = re.compile(r"[^。;!?]+[。;!?]?")
_ZH_NUM = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
MAX_HEADING = 80  # a declaration heading line is short
FRONT_PAGES = 6  # cover pages searched for the cover legends
MIN_CHAPTERS = 4  # fewer chapters than this: the chapter structure was not recognised


def norm(text: str) -> str:
    """Matching form: NFKC, whitespace next to CJK removed, other whitespace collapsed."""
    t = unicodedata.normalize("NFKC", text)
    t = _WS_CJK.sub("", t)
    return _WS.sub(" ", t).strip()


@lru_cache(maxsize=1)
def lexicon() -> dict[str, Any]:
    """The lexicon in disclosures.yaml."""
    return yaml.safe_load(_LEXICON.read_text(encoding="utf-8"))


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.I)


def _title_patterns(entry: dict[str, list[str]]) -> list[re.Pattern[str]]:
    return [_rx(p + r"\Z") for lang in ("zh", "en") for p in entry.get(lang, [])]


@dataclass
class _Line:
    page: int  # index into doc.pages
    idx: int
    raw: str
    text: str  # normalised


@dataclass
class Chapter:
    """A chapter found by its title."""

    key: str
    title: str  # raw heading text
    start: int  # index into doc.pages
    line: int
    end: int = -1  # index into doc.pages, inclusive


@dataclass
class _Ctx:
    doc: Document
    lines: list[_Line]
    chapters: dict[str, Chapter]
    facts: list[Fact] = field(default_factory=list)
    missing: dict[str, str] = field(default_factory=dict)
    _flat: dict[int, str] = field(default_factory=dict)

    def flat(self, i: int) -> str:
        """Normalised text of page index i (lines joined)."""
        if i not in self._flat:
            self._flat[i] = norm("\n".join(self.doc.pages[i].lines))
        return self._flat[i]

    def ev(self, i: int, quote: str, section: str | None = None) -> Evidence:
        p = self.doc.pages[i]
        return Evidence(page=p.number, page_label=p.label, quote=quote.strip(), section=section)

    def found(self, path: str, value: Any, evidence: list[Evidence], confidence: float = 1.0) -> None:
        self.facts.append(
            Fact(path=path, value=value, evidence=evidence, confidence=confidence, source=SOURCE)
        )

    def span_ev(self, ch: Chapter) -> Evidence:
        """Evidence naming a chapter that was searched and its pages."""
        first, last = self.doc.pages[ch.start], self.doc.pages[ch.end]
        pages = f"pp. {first.number}-{last.number}"
        if first.label and last.label:
            pages += f" ({first.label} – {last.label})"
        return self.ev(ch.start, ch.title, section=f"{norm(ch.title)} {pages}")


def _body_lines(doc: Document) -> list[_Line]:
    out: list[_Line] = []
    for pi, page in enumerate(doc.pages):
        if page.is_toc:
            continue
        for li, raw in enumerate(page.lines):
            t = norm(raw)
            if not t or _TOC_LINE.search(t):
                continue
            out.append(_Line(pi, li, raw, t))
    return out


def _match_title(title: str, pats: dict[str, list[re.Pattern[str]]]) -> str | None:
    t = title.strip(" :.-—")
    for key, plist in pats.items():
        if any(p.match(t) for p in plist):
            return key
    return None


def find_chapters(doc: Document, lines: list[_Line] | None = None) -> dict[str, Chapter]:
    """Chapters by key, first occurrence outside the table of contents; ``end`` filled in."""
    lines = _body_lines(doc) if lines is None else lines
    pats = {k: _title_patterns(v) for k, v in lexicon()["chapters"].items()}
    found: dict[str, Chapter] = {}
    for n, ln in enumerate(lines):
        m = _CHAPTER_ZH.match(ln.text) or _CHAPTER_EN.match(ln.text)
        if not m:
            continue
        title, raw = m.group(2), ln.raw
        if not title and n + 1 < len(lines) and lines[n + 1].page == ln.page:
            # "第一节" and its title on separate lines
            title, raw = lines[n + 1].text, f"{ln.raw} {lines[n + 1].raw}"
        key = _match_title(title, pats)
        if key and key not in found:
            found[key] = Chapter(key=key, title=raw.strip(), start=ln.page, line=ln.idx)
    order = sorted(found.values(), key=lambda c: (c.start, c.line))
    for n, a in enumerate(order):
        b = order[n + 1] if n + 1 < len(order) else None
        if b is None:
            a.end = len(doc.pages) - 1
        else:
            a.end = max(a.start, b.start if b.line > 0 else b.start - 1)
    return found


_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6}


def _chapter_number(title: str) -> int | None:
    t = norm(title)
    m = _CHAPTER_ZH.match(t) or _CHAPTER_EN.match(t)
    if not m:
        return None
    s = m.group(1).lower()
    if s.isdigit():
        return int(s)
    return _ZH_NUM.get(s) or _ROMAN.get(s)


def _front_end(ctx: _Ctx) -> int | None:
    """Index of the last page of the front matter (before the first chapter), None if unknown."""
    if not ctx.chapters:
        return None
    first = min(c.start for c in ctx.chapters.values())
    return max(0, first - 1)


def _date(ctx: _Ctx) -> date | None:
    lex = lexicon()["date"]
    rx_zh, rx_en = _rx(lex["zh"]), _rx(lex["en"])
    last = min(len(ctx.doc.pages), 12)
    for i in range(last):
        t = ctx.flat(i)
        m = rx_zh.search(t)
        if m:
            try:
                d = date(int(m.group(4)), int(m.group(5)), int(m.group(6)))
            except ValueError:
                continue
            ctx.found("document.date", d.isoformat(), [ctx.ev(i, m.group(0))])
            return d
        m = rx_en.search(t)
        if m:
            from datetime import datetime

            for fmt in ("%B %d, %Y", "%B %d %Y", "%Y-%m-%d"):
                try:
                    d = datetime.strptime(m.group(3), fmt).date()
                except ValueError:
                    continue
                ctx.found("document.date", d.isoformat(), [ctx.ev(i, m.group(0))])
                return d
    ctx.missing["document.date"] = "no 招股说明书签署日期 / prospectus date found in the first pages"
    return None


def _layout(ctx: _Ctx, doc_date: date | None) -> str | None:
    lex = lexicon()
    marker = [_rx(lex["std57_marker"]["zh"] + r"\Z"), _rx(lex["std57_marker"]["en"] + r"\Z")]
    limit = _front_end(ctx)
    limit = min(len(ctx.doc.pages) - 1, 15) if limit is None else limit
    for ln in ctx.lines:
        if ln.page > limit:
            break
        if any(p.match(ln.text) for p in marker):
            ctx.found("document.layout", "std57", [ctx.ev(ln.page, ln.raw)])
            return "std57"
    if "offering" in ctx.chapters:
        ch = ctx.chapters["offering"]
        ctx.found("document.layout", "std41", [ctx.ev(ch.start, ch.title)])
        return "std41"
    rf = ctx.chapters.get("risk_factors")
    num = _chapter_number(rf.title) if rf else None
    if num in (3, 4):
        layout = "std57" if num == 3 else "std41"
        ctx.found("document.layout", layout, [ctx.ev(rf.start, rf.title)], confidence=0.8)  # type: ignore[union-attr]
        return layout
    if doc_date is not None:
        layout = "std57" if doc_date >= lex["std57_from"] else "std41"
        ctx.found("document.layout", layout, [], confidence=0.6)
        return layout
    ctx.missing["document.layout"] = "neither 致投资者的声明 nor the chapter set nor a date tells the layout"
    return None


def _chapter_facts(ctx: _Ctx) -> None:
    keys = list(lexicon()["chapters"])
    if len(ctx.chapters) < MIN_CHAPTERS:
        why = f"chapter structure not recognised ({len(ctx.chapters)} chapter headings found)"
        for k in keys:
            if k in ctx.chapters:
                ch = ctx.chapters[k]
                ctx.found(f"disclosure.chapter_{k}", True, [ctx.ev(ch.start, ch.title)])
            else:
                ctx.missing[f"disclosure.chapter_{k}"] = why
        return
    order = sorted(ctx.chapters.values(), key=lambda c: c.start)
    found_titles = " / ".join(norm(c.title) for c in order)
    first, last = ctx.doc.pages[0], ctx.doc.pages[-1]
    searched = f"chapter headings of pp. {first.number}-{last.number}"
    for k in keys:
        if k in ctx.chapters:
            ch = ctx.chapters[k]
            ctx.found(f"disclosure.chapter_{k}", True, [ctx.ev(ch.start, ch.title)])
        else:
            ev = ctx.ev(order[0].start, order[0].title, section=searched)
            ev.note = f"chapters found: {found_titles}"
            ctx.found(f"disclosure.chapter_{k}", False, [ev])


def _is_subsequence(key: str, text: str) -> bool:
    it = iter(text)
    return all(ch in it for ch in key)


def _cover(ctx: _Ctx) -> None:
    lex = lexicon()["cover_star_risk_notice"]
    rx = [_rx(lex["zh"]), _rx(lex["en"])]
    fe = _front_end(ctx)
    last = min(len(ctx.doc.pages), FRONT_PAGES if fe is None else min(FRONT_PAGES, fe + 1))
    pages = [i for i in range(last) if ctx.flat(i)]
    path = "disclosure.cover_star_risk_notice"
    if not pages:
        ctx.missing[path] = "the cover pages have no text"
        return
    for i in pages:
        t = ctx.flat(i)
        for r in rx:
            m = r.search(t)
            if m:
                end = t.find("。", m.end())
                quote = t[m.start() : end + 1 if 0 <= end < m.end() + 200 else m.end()]
                ctx.found(path, True, [ctx.ev(i, quote, section="cover")])
                return
    for i in pages:
        t = ctx.flat(i).replace(",", "").replace("。", "")
        key = lex["garbled_key"]
        pos = t.find(key[0])
        while pos >= 0:
            if _is_subsequence(key, t[pos : pos + 4 * len(key)]):
                ctx.missing[path] = (
                    f"cover text on p. {ctx.doc.pages[i].number} is garbled (overlapping text); "
                    "the notice may be there: check by hand"
                )
                return
            pos = t.find(key[0], pos + 1)
    _absent_from_cover(ctx, path, pages)


def _absent_from_cover(ctx: _Ctx, path: str, pages: list[int]) -> None:
    """A cover item searched for and not found: evidence is the first cover page and the pages read."""
    p0, p1 = ctx.doc.pages[pages[0]], ctx.doc.pages[pages[-1]]
    ctx.found(
        path,
        False,
        [ctx.ev(pages[0], ctx.flat(pages[0])[:120], section=f"cover pp. {p0.number}-{p1.number}")],
    )


def _predisclosure(ctx: _Ctx) -> None:
    parts = {k: _rx(v) for k, v in lexicon()["predisclosure_legend"]["parts"].items()}
    fe = _front_end(ctx)
    last = min(len(ctx.doc.pages), FRONT_PAGES if fe is None else min(FRONT_PAGES, fe + 1))
    pages = [i for i in range(last) if ctx.flat(i)]
    path = "disclosure.predisclosure_legend"
    if not pages:
        ctx.missing[path] = "the cover pages have no text"
        return
    best: tuple[int, int, list[re.Match[str]]] = (0, -1, [])
    for i in pages:
        t = ctx.flat(i)
        hits = [m for r in parts.values() if (m := r.search(t))]
        if len(hits) > best[0]:
            best = (len(hits), i, hits)
    n, i, hits = best
    if n == len(parts):
        t = ctx.flat(i)
        a, b = min(m.start() for m in hits), max(m.end() for m in hits)
        ctx.found(path, True, [ctx.ev(i, t[max(0, a - 20) : b + 1], section="cover")])
    elif n > 0:
        ctx.missing[path] = f"only part of the legend found on p. {ctx.doc.pages[i].number}: check by hand"
    else:
        _absent_from_cover(ctx, path, pages)


def _declarations(ctx: _Ctx) -> None:
    lex = lexicon()
    kinds = {
        k: [_rx(p) for lang in ("zh", "en") for p in v.get(lang, [])] for k, v in lex["declarations"].items()
    }
    ch = ctx.chapters.get("declarations")
    hits: dict[str, _Line] = {}
    if ch is not None:
        for ln in ctx.lines:
            if ln.page < ch.start or ln.page > ch.end or len(ln.text) > MAX_HEADING:
                continue
            if ln.page == ch.start and ln.idx < ch.line:
                continue
            for kind, pats in kinds.items():
                if any(p.search(ln.text) for p in pats):
                    hits.setdefault(kind, ln)
                    break  # capital_verifier before auditor: one kind per line
    for kind in kinds:
        path = f"disclosure.declaration_{kind}"
        if kind in hits:
            ln = hits[kind]
            ctx.found(path, True, [ctx.ev(ln.page, ln.raw, section=norm(ch.title))])  # type: ignore[union-attr]
        elif ch is None:
            ctx.missing[path] = "the declarations chapter (声明 / 有关声明) was not found"
        else:
            ctx.found(path, False, [ctx.span_ev(ch)])
    _issuer_declaration(ctx, hits)


def _issuer_declaration(ctx: _Ctx, chapter_hits: dict[str, _Line]) -> None:
    lex = lexicon()["issuer_declaration"]
    pats = [_rx(p + r"\Z") for lang in ("zh", "en") for p in lex[lang]]
    path = "disclosure.declaration_issuer"
    fe = _front_end(ctx)
    ch = ctx.chapters.get("declarations")
    for ln in ctx.lines:
        in_front = fe is not None and ln.page <= fe
        in_decl = ch is not None and ch.start <= ln.page <= ch.end and ln.text in ("发行人声明", "本公司声明")
        if (in_front or in_decl) and any(p.match(ln.text) for p in pats):
            ctx.found(
                path, True, [ctx.ev(ln.page, ln.raw, section="front matter" if in_front else norm(ch.title))]
            )  # type: ignore[union-attr]
            return
        if fe is not None and ln.page > fe and ch is not None and ln.page > ch.end:
            break
    if fe is None:
        ctx.missing[path] = "front matter not delimited (no chapter heading found)"
        return
    p1 = ctx.doc.pages[fe]
    ctx.found(path, False, [ctx.ev(0, ctx.flat(0)[:80], section=f"front matter pp. 1-{p1.number}")])


def _sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE.findall(text) if s.strip()]


def _pages_of(ctx: _Ctx, keys: list[str]) -> tuple[list[int], list[Chapter]]:
    chs = [ctx.chapters[k] for k in keys if k in ctx.chapters]
    pages = sorted({i for c in chs for i in range(c.start, c.end + 1)})
    return pages, chs


def _searched_ev(ctx: _Ctx, chs: list[Chapter]) -> list[Evidence]:
    return [ctx.span_ev(c) for c in chs]


def _classify(ctx: _Ctx, term: re.Pattern[str], arrangement: re.Pattern[str], pages: list[int]):
    """(positive sentence hits, negated sentence hits) as (page index, sentence) lists."""
    neg, hyp = _rx(lexicon()["negation"]), _rx(lexicon()["hypothetical"])
    pos_hits: list[tuple[int, str]] = []
    neg_hits: list[tuple[int, str]] = []
    for i in pages:
        t = ctx.flat(i)
        if not term.search(t):
            continue
        for s in _sentences(t):
            if not term.search(s):
                continue
            if neg.search(s):
                neg_hits.append((i, s))
            elif not hyp.search(s) and arrangement.search(s):
                pos_hits.append((i, s))
    return pos_hits, neg_hits


def _heading_hit(ctx: _Ctx, rx: re.Pattern[str], pages: set[int]) -> _Line | None:
    neg = _rx(lexicon()["negation"])
    for ln in ctx.lines:
        if (
            ln.page in pages
            and len(ln.text) <= MAX_HEADING
            and rx.search(ln.text)
            and not neg.search(ln.text)
        ):
            return ln
    return None


def _presence(ctx: _Ctx, path: str, hit: tuple[int, str] | None, chs: list[Chapter], where: str) -> None:
    if hit is not None:
        ctx.found(path, True, [ctx.ev(hit[0], hit[1])])
    elif chs:
        ctx.found(path, False, _searched_ev(ctx, chs))
    else:
        ctx.missing[path] = f"{where} not found"


def _first_sentence(ctx: _Ctx, rx: re.Pattern[str], pages: list[int]) -> tuple[int, str] | None:
    for i in pages:
        t = ctx.flat(i)
        if rx.search(t):
            return (
                next((i, s) for s in _sentences(t) if rx.search(s))
                if any(rx.search(s) for s in _sentences(t))
                else (i, rx.search(t).group(0))
            )  # type: ignore[union-attr]
    return None


def _domestic_cover(ctx: _Ctx, lex: dict[str, str]) -> tuple[int, str] | None:
    name, stop = _rx(lex["domestic_cover"]), _rx(lex["cover_stop"])
    for ln in ctx.lines:
        if ln.page >= FRONT_PAGES or stop.search(ln.text):
            return None
        if name.match(ln.text):
            return ln.page, ln.raw
    return None


def _front_and_overview(ctx: _Ctx) -> tuple[list[int], list[Chapter]]:
    """Pages of the front matter (重大事项提示 in Std 41) and the overview (Std 57)."""
    ov = ctx.chapters.get("overview")
    if ov is None:
        return [], []
    return list(range(0, ov.end + 1)), [ov]


def _wvr(ctx: _Ctx) -> None:
    lex = lexicon()["wvr"]
    term, arr = _rx(lex["term"]), _rx(lex["arrangement"])
    body_pages = sorted({ln.page for ln in ctx.lines})
    pos, neg = _classify(ctx, term, arr, body_pages)
    if pos:
        ctx.found("issuer.has_wvr", True, [ctx.ev(i, s) for i, s in pos[:3]], confidence=0.9)
    elif neg:
        ctx.found("issuer.has_wvr", False, [ctx.ev(i, s) for i, s in neg[:3]], confidence=0.9)
    elif gov := _first_sentence(ctx, _rx(lex["no_special_governance"]), body_pages):
        ctx.found("issuer.has_wvr", False, [ctx.ev(*gov)], confidence=0.8)
    else:
        ctx.missing["issuer.has_wvr"] = (
            "no statement on special voting rights (特别表决权 / 表决权差异安排) found"
        )

    # Arrangement: holders and votes per share, in the issuer / governance chapters.
    pages, chs = _pages_of(ctx, ["issuer_basic", "governance", "overview"])
    holders, votes = _rx(lex["holders"]), _rx(lex["votes"])
    # NOTE: the holders / votes sentence need not repeat the term ("A类股份每股拥有…5倍"): any
    # affirmative sentence on a page of these chapters that mentions the arrangement counts.
    neg, hyp = _rx(lexicon()["negation"]), _rx(lexicon()["hypothetical"])
    cands = [
        (i, s)
        for i in pages
        if pos and term.search(ctx.flat(i))
        for s in _sentences(ctx.flat(i))
        if not neg.search(s) and not hyp.search(s)
    ]
    h = [(i, s) for i, s in cands if holders.search(s)]
    v = [(i, s) for i, s in cands if votes.search(s)]
    path = "disclosure.wvr_arrangement"
    if h and v:
        ctx.found(path, True, [ctx.ev(*h[0]), ctx.ev(*v[0])])
    elif chs:
        ctx.found(path, False, _searched_ev(ctx, chs))
    else:
        ctx.missing[path] = "neither the issuer-information nor the governance chapter was found"
    num_rx = _rx(lex["votes_number"])
    for i, s in v:
        m = num_rx.search(s)
        if m:
            raw = next(g for g in reversed(m.groups()) if g and (g.isdigit() or g in _ZH_NUM))
            n = int(raw) if raw.isdigit() else _ZH_NUM[raw]
            ctx.found("issuer.wvr_votes_per_share", n, [ctx.ev(i, s)], confidence=0.8)
            break
    else:
        ctx.missing["issuer.wvr_votes_per_share"] = "no votes-per-share figure found"

    # Risk factor heading.
    rpages, rchs = _pages_of(ctx, ["risk_factors"])
    ln = _heading_hit(ctx, _rx(lex["risk_heading"]), set(rpages))
    _presence(ctx, "disclosure.wvr_risk", (ln.page, ln.raw) if ln else None, rchs, "the risk-factors chapter")

    # Highlighted at the front (重大事项提示 / overview).
    fpages, fchs = _front_and_overview(ctx)
    fp = set(fpages)
    notice = [(i, s) for i, s in pos if i in fp]
    _presence(ctx, "disclosure.wvr_notice", notice[0] if notice else None, fchs, "the overview chapter")


def _red_chip(ctx: _Ctx) -> None:
    lex = lexicon()["red_chip"]
    body_pages = sorted({ln.page for ln in ctx.lines})
    pos_rx, neg_rx = _rx(lex["positive"]), _rx(lex["negative"])
    hyp = _rx(lexicon()["hypothetical"])
    pos: list[tuple[int, str]] = []
    negs: list[tuple[int, str]] = []
    for i in body_pages:
        t = ctx.flat(i)
        if (
            "红筹" not in t
            and "开曼" not in t
            and "维尔京" not in t
            and "百慕大" not in t
            and "red" not in t.lower()
            and "cayman" not in t.lower()
        ):
            continue
        for s in _sentences(t):
            if neg_rx.search(s):
                negs.append((i, s))
            elif pos_rx.search(s) and not hyp.search(s):
                pos.append((i, s))
    defs = ctx.chapters.get("definitions")
    domestic: tuple[int, str] | None = None
    if defs is not None:
        drx = _rx(lex["domestic_definition"])
        for ln in ctx.lines:
            if defs.start <= ln.page <= defs.end and drx.search(ln.text):
                domestic = (ln.page, ln.raw)
                break
    path = "issuer.is_red_chip"
    if pos:
        ctx.found(path, True, [ctx.ev(i, s) for i, s in pos[:3]], confidence=0.9)
    elif negs:
        ctx.found(path, False, [ctx.ev(i, s) for i, s in negs[:3]], confidence=0.9)
    elif domestic or (domestic := _domestic_cover(ctx, lex)):
        # NOTE: a 股份有限公司 is a company incorporated in the PRC, hence not a red chip.
        ctx.found(path, False, [ctx.ev(*domestic)], confidence=0.8)
    else:
        ctx.missing[path] = "no statement on red-chip status and no PRC joint-stock issuer definition found"

    ip_rx = _rx(lex["investor_protection"])
    # NOTE: searched in the whole body; a negative names the investor-protection chapter.
    _, chs = _pages_of(ctx, ["investor_protection"])
    hit = next(
        (
            (i, s)
            for i in body_pages
            if ip_rx.search(ctx.flat(i))
            for s in _sentences(ctx.flat(i))
            if ip_rx.search(s)
        ),
        None,
    )
    if len(ctx.chapters) < MIN_CHAPTERS:
        chs = []
    _presence(ctx, "disclosure.redchip_investor_protection", hit, chs, "the investor-protection chapter")

    vlex = lexicon()["vie"]
    term, arr = _rx(vlex["term"]), _rx(vlex["arrangement"])
    vpos, vneg = _classify(ctx, term, arr, body_pages)
    if vpos:
        ctx.found("issuer.has_vie", True, [ctx.ev(i, s) for i, s in vpos[:3]], confidence=0.9)
    elif vneg:
        ctx.found("issuer.has_vie", False, [ctx.ev(i, s) for i, s in vneg[:3]], confidence=0.9)
    elif gov := _first_sentence(ctx, _rx(lexicon()["wvr"]["no_special_governance"]), body_pages):
        # NOTE: the 公司治理特殊安排 item covers both WVR and VIE structures (reference 13.2).
        ctx.found("issuer.has_vie", False, [ctx.ev(*gov)], confidence=0.8)
    else:
        ctx.missing["issuer.has_vie"] = (
            "no statement on a contractual-control (协议控制 / VIE) structure found"
        )
    apages, achs = _pages_of(ctx, ["issuer_basic", "governance"])
    ap = set(apages)
    ahit = next(((i, s) for i, s in vpos if i in ap), None)
    _presence(ctx, "disclosure.vie_arrangement", ahit, achs, "the issuer-information and governance chapters")
    rpages, rchs = _pages_of(ctx, ["risk_factors"])
    ln = _heading_hit(ctx, _rx(vlex["risk_heading"]), set(rpages))
    _presence(ctx, "disclosure.vie_risk", (ln.page, ln.raw) if ln else None, rchs, "the risk-factors chapter")


def _chapter_lines(ctx: _Ctx, ch: Chapter) -> list[_Line]:
    """Body lines of a chapter: after its heading, before the next chapter's heading."""
    nxt = [c for c in ctx.chapters.values() if (c.start, c.line) > (ch.start, ch.line)]
    stop = min(((c.start, c.line) for c in nxt), default=None)
    out = []
    for ln in ctx.lines:
        if ln.page < ch.start or ln.page > ch.end:
            continue
        if ln.page == ch.start and ln.idx <= ch.line:
            continue
        if stop is not None and (ln.page, ln.idx) >= stop:
            break
        out.append(ln)
    return out


_LEVELS = (
    re.compile(r"第[一二三四五六七八九十]+部分"),
    re.compile(r"[一二三四五六七八九十]+[、.]"),
    re.compile(r"\([一二三四五六七八九十]+\)"),
    re.compile(r"\d{1,2}[、.]"),
)
_LEVELS_EN = (re.compile(r"[IVX]{1,4}\.\Z"), re.compile(r"\([IVX]{1,4}\)\Z"))


def _item_heading(
    ln: _Line, marker: re.Pattern[str], reject: re.Pattern[str]
) -> tuple[str, int | None] | None:
    """(title after the heading marker, heading level or None without a marker); None if not a heading."""
    if len(ln.text) > MAX_HEADING:
        return None
    m = marker.match(ln.text)
    title = ln.text[m.end() :] if m else ln.text
    if not title or reject.search(title):
        return None
    if m is None:
        return title, None
    mk = m.group(0).lstrip("# ").strip()
    en = next((n + 1 for n, r in enumerate(_LEVELS_EN) if r.match(mk)), None)  # I. = 一、, (I) = (一)
    level = en or next((n for n, r in enumerate(_LEVELS) if r.match(mk)), len(_LEVELS) if mk else 2)
    return title, level


def _items(ctx: _Ctx) -> None:
    """disclosure.item_<key>: required sub-section headings, searched inside the parent chapter only."""
    lex = lexicon()
    spec = lex["item_heading"]
    marker, reject = _rx(spec["marker"]), _rx(spec["reject"])
    recognised = len(ctx.chapters) >= MIN_CHAPTERS
    chapter_titles = lex["chapters"]
    for parent, items in lex["items"].items():
        ch = ctx.chapters.get(parent)
        pats = {
            key: [_rx(p) for lang in ("zh", "en") for p in entry.get(lang, [])]
            for key, entry in items.items()
        }
        hits: dict[str, tuple[int, str]] = {}
        if ch is not None:
            lines = _chapter_lines(ctx, ch)
            best: dict[str, tuple[int, int, str]] = {}  # key -> (level, page, heading)
            for ln in lines:
                h = _item_heading(ln, marker, reject)
                if h is None:
                    continue
                title, level = h
                rank = 2 if level is None else level
                for key, plist in pats.items():
                    if key in best and best[key][0] <= rank:
                        continue  # the highest-level heading wins, then the first one
                    if any((p.search(title) if level is not None else p.fullmatch(title)) for p in plist):
                        best[key] = (rank, ln.page, ln.raw.strip())
            hits = {k: (v[1], v[2]) for k, v in best.items()}
            for key, entry in items.items():
                body = [_rx(p) for p in entry.get("body", [])]
                if key in hits or not body:
                    continue
                for ln in lines:
                    sent = next((s for s in _sentences(ln.text) if any(r.search(s) for r in body)), None)
                    if sent:
                        hits[key] = (ln.page, sent.strip())
                        break
        for key in items:
            path = f"disclosure.item_{key}"
            if key in hits:
                i, quote = hits[key]
                ctx.found(path, True, [ctx.ev(i, quote, section=norm(ch.title))])  # type: ignore[union-attr]
            elif ch is None:
                name = chapter_titles[parent]["zh"][0]
                ctx.missing[path] = f"the parent chapter ({name}) was not found"
            elif not recognised:
                ctx.missing[path] = (
                    f"chapter structure not recognised ({len(ctx.chapters)} chapter headings found): "
                    "the chapter's extent is unknown"
                )
            else:
                ev = ctx.span_ev(ch)
                ev.note = f"no heading of this item in {ev.section}"
                ctx.found(path, False, [ev])


def _run(doc: Document) -> _Ctx:
    lines = _body_lines(doc)
    ctx = _Ctx(doc=doc, lines=lines, chapters=find_chapters(doc, lines))
    d = _date(ctx)
    _layout(ctx, d)
    _chapter_facts(ctx)
    _cover(ctx)
    _predisclosure(ctx)
    _declarations(ctx)
    _wvr(ctx)
    _red_chip(ctx)
    _items(ctx)
    return ctx


def collect(doc: Document) -> tuple[list[Fact], dict[str, str]]:
    """The facts this module establishes, and the paths it looked for but could not, with why."""
    ctx = _run(doc)
    return list(ctx.facts), dict(ctx.missing)


def disclosure_facts(doc: Document) -> list[Fact]:
    """Presence facts (chapters, declarations, legends, WVR, red chip / VIE) with evidence."""
    return collect(doc)[0]


def missing_disclosures(doc: Document) -> dict[str, str]:
    """Fact paths this module looked for and could not establish, with the reason."""
    return collect(doc)[1]
