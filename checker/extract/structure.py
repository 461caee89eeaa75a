"""The document model every extractor reads: body lines (normalised once), chapters, headings, page text.

One model per filing, built once (:func:`analyse`). Chapters are recognised by title, not by number
(Std 57 and Std 41 number them differently, English filings use "Section III Risk Factors"); the one
title lexicon is ``headings.yaml``. Page numbers are 1-based physical pages everywhere.

Text that wraps over lines or a page break is read as written: :class:`Span` joins consecutive body
lines (running headers, footers and table-of-contents pages already removed) into one normalised
string and maps every position back to its line, so a phrase split as "经营风" / "险高" or across
two pages matches, and its evidence names the line (and page) where it starts.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from checker.extract.clean import compact, compact_norm, nfkc_memo, norm, norm_nfkc
from checker.extract.document import Document
from checker.extract.literals import required_literals
from checker.extract.span import Span
from checker.extract.titles import lexicon, match_title, title_keys_norm

_CN_NUM = "一二三四五六七八九十百零〇"
_CHAPTER = re.compile(rf"^第\s*([{_CN_NUM}\d]+)\s*[节章部分]+\s*[:、.]?\s*(.*)$")
_CHAPTER_EN = re.compile(r"^(?:section|chapter|part)\s+([ivxlc]+|\d+)\b\s*[.:\-–—]?\s*(.*)$", re.I)
_LEVEL1 = re.compile(rf"^([{_CN_NUM}]+)\s*[、.]\s*(.+)$")
_LEVEL2 = re.compile(rf"^\(\s*([{_CN_NUM}]+)\s*\)\s*[、.]?\s*(.+)$")
_LEVEL3 = re.compile(r"^(\d{1,2})\s*[、]\s*(.+)$|^(\d{1,2})\.(?!\d)\s*(.+)$")
_EN_LEVEL1 = re.compile(r"^([IVX]+|[A-H])\.\s+(.+)$")
_EN_LEVEL2 = re.compile(r"^\((\d+|[a-z]|[ivx]+|[IVX]+)\)\s+(.+)$")
_GLUED = re.compile(rf"(?<=[^{_CN_NUM}])([{_CN_NUM}]+)、([^。；，]{{4,40}})$")  # heading glued to the previous line
# A chapter title glued after the last sentence of the chapter before ("…审批程序。 第三节 管理层讨论与分析":
# a PDF that sets the new chapter on the same text line).
_GLUED_CHAPTER = re.compile(rf"[。；;]\s*第\s*([{_CN_NUM}\d]+)\s*[节章]\s*([^。；，,]{{2,30}})$")
_OPEN_QUOTE_END = re.compile(rf"[“\"「‘][{_CN_NUM}]*$")
# A line that ends in one of these ends a sentence or clause (asked of every line of a filing, each
# stripped: an endswith, not a pattern's scan of the whole line)
_SENTENCE_END_CHARS = tuple("。；;，,:")

_ASCII_ALNUM = re.compile(r"[0-9A-Za-z%)]")
# First characters of the heading patterns above ("section"/"chapter"/"part" are case-insensitive:
# ſ is a case-insensitive "s").
_HEAD_START = frozenset("第(" + _CN_NUM + "IVXABCDEFGH" + "sScCpPſ")
_LATIN_LETTER = re.compile("[A-Za-z\u0130\u212a]")
_HAN = re.compile("[\u4e00-\u9fff]")

MAX_HEADING_CHARS = 50


@dataclass(slots=True)
class Line:
    """One body line with its place in the document; ``norm`` is computed once, and so is its
    whitespace-free form (``squeezed``: by body_lines, else on first use). Its heading shape and title
    keys are looked up once per distinct text (``_classify_norm``, ``title_keys_norm``: a filing repeats
    many lines)."""

    idx: int  # position in DocModel.lines
    page: int  # 1-based physical page
    raw: str
    norm: str
    heading: bool | None = None  # looks like a heading line (computed once, on first use)
    _squeezed: str | None = field(default=None, repr=False, compare=False)

    def classified(self) -> tuple[int, str, str | None] | None:
        """``classify(self.norm)``."""
        return _classify_norm(self.norm)

    def squeezed(self) -> str:
        """``compact(self.norm)``, computed once."""
        if self._squeezed is None:
            self._squeezed = compact_norm(self.norm)
        return self._squeezed

    def is_heading(self) -> bool:
        """Whether the line is a title ("三、…", "（二）…", "第五节 …"): a numbered clause with a comma
        ("2、在发行人实现盈利前，自上市之日起3个完整会计年度") is a sentence that wraps, not a title."""
        if self.heading is None:
            self.heading = self.classified() is not None and "," not in self.norm and "。" not in self.norm
        return self.heading


# A filing repeats many short lines (table cells, units, headers): each distinct text is classified and
# looked up in the title lexicon once per process (both are pure functions of the text).
@lru_cache(maxsize=1 << 16)
def _classify_norm(text: str) -> tuple[int, str, str | None] | None:
    return classify(text, normalised=True)


@dataclass
class Section:
    """A heading and the body lines under it (``start`` inclusive, ``end`` exclusive)."""

    key: str | None
    title: str  # heading text
    level: int  # 0 chapter, 1 "一、", 2 "（一）", 3 "1、"
    start: int
    end: int
    start_page: int
    end_page: int
    number: str | None = None

    @property
    def pages(self) -> list[int]:
        """The pages the section spans (1-based, inclusive)."""
        return list(range(self.start_page, self.end_page + 1))


@dataclass
class DocModel:
    """A filing as the extractors see it: body lines, chapters, headings, page text."""

    doc: Document
    lines: list[Line]
    headings: list[Section] = field(default_factory=list)  # every heading found, in order
    chapters: dict[str, Section] = field(default_factory=dict)  # chapter key -> section
    keyed: dict[str, list[Section]] = field(default_factory=dict)  # heading key -> occurrences
    language: str = "zh"
    _page_index: dict[int, tuple[int, int]] = field(default_factory=dict, repr=False)
    _spans: dict[int, Span] = field(default_factory=dict, repr=False)
    _cache: dict[str, Any] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for ln in self.lines:
            a, _ = self._page_index.get(ln.page, (ln.idx, ln.idx))
            self._page_index[ln.page] = (a, ln.idx + 1)

    def wrapped_text(self, ln: Line) -> str:
        """``ln.norm``, with the short line below it when ``ln`` filled the page's width and a title
        goes on there ("一、发行人全体董事、审计委员会成员、高级管理" / "人员声明"): what a title matcher reads."""
        widths = self._cache.get("widths")
        if widths is None:
            widths = self._cache["widths"] = _line_widths(self.lines)
        if _wraps_onto_next(self.lines, ln.idx, widths):
            return ln.norm + self.lines[ln.idx + 1].norm.strip()
        return ln.norm

    # ------------------------------------------------------------------ pages

    @property
    def page_count(self) -> int:
        """Number of physical pages of the filing."""
        return len(self.doc.pages)

    @property
    def body_pages(self) -> list[int]:
        """Pages (1-based) that have body lines, in order."""
        return sorted(self._page_index)

    def page_label(self, page: int) -> str | None:
        """The printed label of a page (e.g. 1-1-35)."""
        return self.doc.pages[page - 1].label if 0 < page <= len(self.doc.pages) else None

    def page_lines(self, page: int) -> list[Line]:
        """Body lines of one page."""
        a, b = self._page_index.get(page, (0, 0))
        return self.lines[a:b]

    def page_span(self, page: int) -> Span:
        """The joined normalised text of one page (computed once)."""
        sp = self._spans.get(page)
        if sp is None:
            sp = self._spans[page] = Span(self.page_lines(page), self.language)
        return sp

    def lines_that_may_match(self, pattern: re.Pattern[str], lines: list[Line]) -> list[Line]:
        """Those of ``lines`` on a page whose text holds a literal every match of ``pattern`` needs (a
        line's text is part of its page's, so no other line can match it): for a pattern tried line by
        line, most pages are ruled out at once."""
        if required_literals(pattern) is None:
            return lines
        may: dict[int, bool] = {}
        out = []
        for ln in lines:
            ok = may.get(ln.page)
            if ok is None:
                ok = may[ln.page] = self.page_span(ln.page).may_hold(pattern)
            if ok:
                out.append(ln)
        return out

    def sentences_with(self, pattern: re.Pattern[str], pages: list[int] | None = None) -> Iterator[tuple[Span, int, int]]:
        """(page span, start, end) of every sentence that ``pattern`` matches, page by page (all body
        pages unless ``pages`` is given; a page the pattern does not match is not split)."""
        for p in self.body_pages if pages is None else pages:
            sp = self.page_span(p)
            if not sp.holds(pattern):
                continue
            for a, b in sp.sentences():
                if pattern.search(sp.text[a:b]):
                    yield sp, a, b

    def span(self, lines: list[Line]) -> Span:
        """The joined normalised text of any run of lines."""
        return Span(lines, self.language)

    def pages_span(self, pages: list[int]) -> Span:
        """The joined text of several consecutive pages (a phrase broken by a page break reads whole)."""
        return Span([ln for p in pages for ln in self.page_lines(p)], self.language)

    # --------------------------------------------------------------- chapters

    def chapter(self, key: str) -> Section | None:
        """The chapter with this key."""
        return self.chapters.get(key)

    def find(self, key: str) -> Section | None:
        """First occurrence of a chapter or key heading."""
        if key in self.chapters:
            return self.chapters[key]
        occ = self.keyed.get(key)
        return occ[0] if occ else None

    def section_lines(self, sec: Section | None, *, with_heading: bool = True) -> list[Line]:
        """Lines of a section (with or without its heading line)."""
        if sec is None:
            return []
        return self.lines[sec.start if with_heading else sec.start + 1 : sec.end]

    def body(self, sec: Section) -> list[Line]:
        """Lines under a heading (the heading line itself excluded)."""
        return self.lines[sec.start + 1 : sec.end]

    def chapter_lines(self, *keys: str) -> list[Line]:
        """Lines of the named chapters, in document order."""
        secs = sorted((self.chapters[k] for k in keys if k in self.chapters), key=lambda s: s.start)
        return [ln for s in secs for ln in self.lines[s.start : s.end]]

    def chapter_pages(self, *keys: str) -> list[int]:
        """Pages of the named chapters."""
        out: set[int] = set()
        for k in keys:
            sec = self.chapters.get(k)
            if sec is not None:
                out.update(sec.pages)
        return sorted(p for p in out if p in self._page_index)

    def front_end_page(self) -> int | None:
        """Last page before the first chapter heading (the cover and front matter); None if unknown."""
        if not self.chapters:
            return None
        return max(1, min(s.start_page for s in self.chapters.values()) - 1)

    def chapter_of(self, idx: int) -> Section | None:
        """The chapter containing line ``idx``."""
        best = None
        for sec in self.chapters.values():
            if sec.start <= idx < sec.end and (best is None or sec.start > best.start):
                best = sec
        return best

    def section_title_at(self, idx: int) -> str | None:
        """Title of the innermost heading containing line ``idx`` (for Evidence.section)."""
        pos = bisect.bisect_right(self._heading_starts(), idx)
        best = None
        for j in range(pos - 1, -1, -1):  # NOTE: no copy of the heading list per evidence
            h = self.headings[j]
            if h.start <= idx < h.end:
                best = h
                break
        ch = self.chapter_of(idx)
        if best is None:
            return ch.title if ch else None
        if ch and ch is not best and ch.title != best.title:
            return f"{ch.title} / {best.title}"
        return best.title

    def headings_at(self, idx: int) -> list[Section]:
        """The headings enclosing line ``idx``, innermost first."""
        pos = bisect.bisect_right(self._heading_starts(), idx)
        return [h for h in reversed(self.headings[:pos]) if h.start <= idx < h.end]

    def _heading_starts(self) -> list[int]:
        hs = self._cache.get("heading_starts")
        if hs is None:
            hs = self._cache["heading_starts"] = [h.start for h in self.headings]
        return hs

    def memo(self, key: str, make: Any) -> Any:
        """A value computed once per document (e.g. a table several extractors read)."""
        if key not in self._cache:
            self._cache[key] = make()
        return self._cache[key]


# Kept for readers of the earlier name.
Structure = DocModel


def body_lines(doc: Document) -> list[Line]:
    """All body lines of the document in order; pages that are a table of contents are left out."""
    memo = nfkc_memo(doc)
    # a filing repeats many lines (headers, units, table cells): each distinct line's forms once
    forms: dict[str, tuple[str, str]] = {}
    out: list[Line] = []
    for p in doc.pages:
        if p.is_toc:
            continue
        for raw in p.lines:
            got = forms.get(raw)
            if got is None:
                f = memo.get(raw)  # the cleaner's NFKC forms of the line: normalised once
                n = norm_nfkc(f[1]) if f is not None else norm(raw)
                got = forms[raw] = (n, compact_norm(n))
            if got[0]:
                out.append(Line(idx=len(out), page=p.number, raw=raw, norm=got[0], _squeezed=got[1]))
    return out


def _quoted_reference(s: str) -> bool:
    """A wrapped cross-reference ("…详见本节“十二、董事…情况”之“（一）董事" continued on the next line
    as "二、董事…情况”之“（一）董事"): a closing quote before any opening one, or a chain ”之“."""
    close = s.find("”")
    return "”之“" in s or (close >= 0 and "“" not in s[:close])


def classify(text: str, *, normalised: bool = False) -> tuple[int, str, str | None] | None:
    """(level, title, number) when ``text`` looks like a heading line ("第三节 风险因素" with an empty
    title when the title stands on the next line); ``normalised``: the text is ``norm`` output."""
    s = text.strip().lstrip("#").strip()
    # Every heading pattern starts with one of these characters (or a digit): most lines stop here.
    if not s or not (s[0] in _HEAD_START or s[0].isdecimal()) or s.endswith(_SENTENCE_END_CHARS):
        return None
    limit = MAX_HEADING_CHARS if _HAN.search(s) else 2 * MAX_HEADING_CHARS
    if len(compact_norm(s) if normalised else compact(s)) > limit or _quoted_reference(s):
        return None
    for level, pat in ((0, _CHAPTER), (0, _CHAPTER_EN), (2, _LEVEL2), (1, _LEVEL1), (1, _EN_LEVEL1), (2, _EN_LEVEL2)):
        m = pat.match(s)
        if m:
            title = m.group(2).strip()
            if title or level == 0:
                return level, title, m.group(1)
    m = _LEVEL3.match(s)
    if m:
        title = (m.group(2) or m.group(4) or "").strip()
        if title and not re.match(r"^[\d.,%]", title):
            return 3, title, m.group(1) or m.group(3)
    return None


def _line_widths(lines: list[Line]) -> dict[int, int]:
    """Each page's text width in characters: the 90th percentile of its line lengths (pages with at
    least eight lines; a wrapped line fills the width)."""
    by_page: dict[int, list[int]] = {}
    for ln in lines:
        by_page.setdefault(ln.page, []).append(len(ln._squeezed or ln.squeezed()))  # set by body_lines
    out: dict[int, int] = {}
    for page, lengths in by_page.items():
        if len(lengths) >= 8:
            lengths.sort()
            out[page] = lengths[int(0.9 * (len(lengths) - 1))]
    return out


_NOT_A_CONTINUATION = re.compile(r"[□√■☑☐✓✔]|^(?:单位|注[:：\d]|\d|\()")


def _wraps_onto_next(lines: list[Line], i: int, widths: dict[int, int]) -> bool:
    """Whether heading line ``i`` filled the page's width and its title ends on the short next line: a
    line that is not a heading, a sentence, a tick box or a unit note."""
    if i + 1 >= len(lines) or lines[i + 1].page != lines[i].page:
        return False
    width = widths.get(lines[i].page, 0)
    nxt = lines[i + 1].norm.strip()
    short = len(lines[i + 1].squeezed())  # = compact_norm(nxt)
    if width < 15 or len(lines[i].squeezed()) < 0.9 * width or not 1 <= short <= 0.6 * width:
        return False
    if len(lines[i].squeezed()) + short > MAX_HEADING_CHARS + 20:
        return False
    return classify(nxt, normalised=True) is None and not nxt.endswith(_SENTENCE_END_CHARS) and not _NOT_A_CONTINUATION.search(nxt)


def _continues(lines: list[Line], i: int, widths: dict[int, int]) -> bool:
    """Whether line ``i`` ends the sentence of the line before, which filled the page's width and
    ends in no full stop ("…多款药品处于研" / "发阶段，公司尚未盈利"): then it is no unnumbered title."""
    if not i or lines[i - 1].page != lines[i].page:
        return False
    width = widths.get(lines[i].page, 0)
    if width < 15:
        return False
    before = lines[i - 1]  # its squeezed form is that of its stripped text
    return len(before.squeezed()) >= 0.9 * width and not before.norm.rstrip().endswith(_CLAUSE_STOPS)


_CLAUSE_STOPS = tuple("。;；!?！？:：")


def analyse(doc: Document) -> DocModel:
    """The document model of ``doc`` (built once per document, then reused)."""
    cached = doc.__dict__.get("_model")
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    model = _analyse(doc)
    doc.__dict__["_model"] = model  # NOTE: pages are not changed after loading
    return model


def _analyse(doc: Document) -> DocModel:
    lines = body_lines(doc)
    doc.__dict__.pop("_nfkc", None)  # the cleaner's per-line memo: read by body_lines, no longer needed
    # NOTE: the characters whose lower case lies in "a".."z": A-Z, a-z, U+0130 and the Kelvin sign.
    en_chars = sum(len(_LATIN_LETTER.findall(ln.norm)) for ln in lines[:4000])
    zh_chars = sum(len(_HAN.findall(ln.norm)) for ln in lines[:4000])
    language = "en" if en_chars > 2 * zh_chars else "zh"

    widths = _line_widths(lines)
    heads: list[tuple[int, int, str, str | None, str | None]] = []  # idx, level, title, number, key
    unnumbered: list[tuple[int, str, str]] = []  # idx, key, group
    n = len(lines)
    i = 0
    while i < n:
        ln = lines[i]
        cls = ln.classified()
        if cls is not None and i and _OPEN_QUOTE_END.search(lines[i - 1].norm):
            cls = None  # "…详见“第四节…”之“十" / "二、董事、…": a quoted cross-reference wrapped, not a title
        joined = False
        if cls is not None:
            level, title, number = cls
            if not title:
                # "第一节" with its title on the next line of the same page.
                if i + 1 < n and lines[i + 1].page == ln.page and lines[i + 1].classified() is None \
                        and len(lines[i + 1].squeezed()) <= 30:
                    title, joined = lines[i + 1].norm, True
                else:
                    i += 1
                    continue
            group = "chapters" if level == 0 else "headings"
            key = match_title(group, title)
            if key is None and level == 0:
                key = match_title("headings", title)
            if key is None and not joined and i + 1 < n and len(lines[i + 1].squeezed()) <= 20 \
                    and lines[i + 1].classified() is None:
                # A heading wrapped over two lines.
                title2 = title + lines[i + 1].norm
                key2 = match_title(group, title2)
                if key2 is not None:
                    key, title, joined = key2, title2, True
            if not joined and _wraps_onto_next(lines, i, widths):
                # a title that filled its line and goes on in a short line below ("一、发行人全体董事、审计委员会成员、
                # 高级管理" / "人员声明"): the whole title, whatever the lexicon says of it
                title, joined = title + lines[i + 1].norm.strip(), True
                if key is None:
                    key = match_title(group, title) or (match_title("headings", title) if level == 0 else None)
            heads.append((i, level, title, number, key))
        else:
            s = ln.norm.strip()
            squeezed = (ln._squeezed or ln.squeezed()) if s is ln.norm else compact_norm(s)
            # (each pattern needs a character the test before it looks for: most lines go no further)
            m = _GLUED.search(s) if "、" in s and len(squeezed) > MAX_HEADING_CHARS // 2 else None
            if m and not _quoted_reference(s[m.start():]) \
                    and s[m.start() - 1 : m.start()] not in ("“", '"', "「"):  # “十二、…: a quoted reference
                k = match_title("headings", m.group(2))
                if k is not None:
                    heads.append((i, 1, m.group(2), m.group(1), k))
                    i += 1
                    continue
            m = _GLUED_CHAPTER.search(s) if "第" in s else None
            if m and not _quoted_reference(s[m.start():]):
                k = match_title("chapters", m.group(2))
                if k is not None:
                    heads.append((i, 0, m.group(2).strip(), m.group(1), k))
                    i += 1
                    continue
            # an unnumbered title is a few words: no comma inside, not the end of the sentence above
            if len(squeezed) <= 30 and not s.endswith(_SENTENCE_END_CHARS) and "," not in s and not _continues(lines, i, widths):
                kh, kc = title_keys_norm(s)  # s is norm output (stripped): no second normalisation
                if kh is not None:
                    unnumbered.append((i, kh, "headings"))
                elif kc is not None:
                    unnumbered.append((i, kc, "chapters"))
        i += 2 if joined else 1

    # Unnumbered key headings (e.g. 重大事项提示 in the Std 41 front matter) join the outline. An
    # unnumbered chapter title is a chapter only in a document that does not number its chapters (a
    # front-matter "本次发行概况" table of a Std 57 prospectus is not the Std 41 chapter); an
    # unnumbered 声明 still closes a numbered document.
    numbered = sorted(i for (i, lv, _, num, k) in heads if lv == 0 and k and num)
    numbered_chapter_keys = {k for (_, lv, _, num, k) in heads if lv == 0 and k and num}
    numbered_doc = len(numbered_chapter_keys) >= 4
    for idx, key, group in unnumbered:
        if group == "headings":
            level = 0 if key == "major_matters_notice" else 1
            heads.append((idx, level, lines[idx].norm, None, key))
        elif key not in numbered_chapter_keys and (
            not numbered_doc or (key == "declarations" and idx > numbered[3])  # a closing 声明, not the cover's
        ):
            heads.append((idx, 0, lines[idx].norm, None, key))
    heads.sort(key=lambda h: h[0])

    model = DocModel(doc=doc, lines=lines, language=language)
    model._cache["widths"] = widths  # what wrapped_text reads: the same lines' widths
    chapter_keys = lexicon()["chapters"]
    # Each heading ends where the next heading of the same or a higher level starts (one pass: a
    # stack of the open headings, levels increasing upwards).
    ends = [n] * len(heads)
    open_: list[int] = []
    for pos, (idx2, level2, *_) in enumerate(heads):
        while open_ and heads[open_[-1]][1] >= level2:
            ends[open_.pop()] = idx2
        open_.append(pos)
    for pos, (idx, level, title, number, key) in enumerate(heads):
        end = ends[pos]
        sec = Section(
            key=key,
            title=title or lines[idx].raw.strip(),
            level=level,
            start=idx,
            end=end,
            start_page=lines[idx].page,
            end_page=lines[end - 1].page if end > idx else lines[idx].page,
            number=number,
        )
        model.headings.append(sec)
        if key is None:
            continue
        if level == 0 and key in chapter_keys:
            if key == "declarations" and number is None and key in model.chapters:
                model.chapters[key] = sec  # unnumbered 声明: the last one is the chapter
            elif key not in model.chapters:
                model.chapters[key] = sec
        else:
            model.keyed.setdefault(key, []).append(sec)
    return model
