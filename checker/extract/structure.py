"""Chapters and key headings of a filing, with line and page ranges.

Chapters are recognised by title, not by number (Std 57 and Std 41 number them differently, and
English filings use "Section III Risk Factors"). The titles live in ``headings.yaml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from checker.extract.clean import compact, norm
from checker.extract.document import Document

_LEXICON_FILE = Path(__file__).with_name("headings.yaml")

_CN_NUM = "一二三四五六七八九十百零〇"
_CHAPTER = re.compile(rf"^第\s*([{_CN_NUM}\d]+)\s*[节章部分]+\s*[:、.]?\s*(.*)$")
_CHAPTER_EN = re.compile(r"^(?:section|chapter|part)\s+([ivxlc]+|\d+)\b\s*[.:\-–—]?\s*(.*)$", re.I)
_LEVEL1 = re.compile(rf"^([{_CN_NUM}]+)\s*[、.]\s*(.+)$")
_LEVEL2 = re.compile(rf"^\(\s*([{_CN_NUM}]+)\s*\)\s*[、.]?\s*(.+)$")
_LEVEL3 = re.compile(r"^(\d{1,2})\s*[、]\s*(.+)$|^(\d{1,2})\.(?!\d)\s*(.+)$")
_EN_LEVEL1 = re.compile(r"^([IVX]+|[A-H])\.\s+(.+)$")
_EN_LEVEL2 = re.compile(r"^\((\d+|[a-z]|[ivx]+|[IVX]+)\)\s+(.+)$")
_GLUED = re.compile(rf"(?<=[^{_CN_NUM}])([{_CN_NUM}]+)、([^。；，]{{4,40}})$")  # heading glued to the previous line
_SENTENCE_END = re.compile(r"[。；;，,:]$")

MAX_HEADING_CHARS = 50


@dataclass
class Line:
    """One body line with its place in the document."""

    idx: int  # position in Structure.lines
    page: int  # 1-based physical page
    raw: str
    norm: str


@dataclass
class Section:
    """A heading and the body lines under it (``start`` inclusive, ``end`` exclusive)."""

    key: str | None
    title: str  # raw heading text
    level: int  # 0 chapter, 1 "一、", 2 "（一）", 3 "1、"
    start: int
    end: int
    start_page: int
    end_page: int
    number: str | None = None


@dataclass
class Structure:
    """Body lines of a document plus its chapters and key headings."""

    lines: list[Line]
    headings: list[Section] = field(default_factory=list)  # every heading found, in order
    chapters: dict[str, Section] = field(default_factory=dict)  # chapter key -> section
    keyed: dict[str, list[Section]] = field(default_factory=dict)  # heading key -> occurrences
    language: str = "zh"

    def find(self, key: str) -> Section | None:
        """First occurrence of a chapter or key heading."""
        if key in self.chapters:
            return self.chapters[key]
        occ = self.keyed.get(key)
        return occ[0] if occ else None

    def body(self, sec: Section) -> list[Line]:
        """Lines under a heading (the heading line itself excluded)."""
        return self.lines[sec.start + 1 : sec.end]

    def chapter_of(self, idx: int) -> Section | None:
        """The chapter containing line ``idx``."""
        best = None
        for sec in self.chapters.values():
            if sec.start <= idx < sec.end and (best is None or sec.start > best.start):
                best = sec
        return best

    def section_title_at(self, idx: int) -> str | None:
        """Title of the innermost heading containing line ``idx`` (for Evidence.section)."""
        best = None
        for h in self.headings:
            if h.start <= idx < h.end and (best is None or h.start >= best.start):
                best = h
        ch = self.chapter_of(idx)
        if best is None:
            return ch.title if ch else None
        if ch and ch is not best and ch.title != best.title:
            return f"{ch.title} / {best.title}"
        return best.title


@lru_cache(maxsize=1)
def lexicon() -> dict:
    """The heading lexicon (headings.yaml), with patterns compiled."""
    data = yaml.safe_load(_LEXICON_FILE.read_text(encoding="utf-8"))
    out: dict[str, dict[str, list[tuple[re.Pattern, re.Pattern | None]]]] = {}
    for group in ("chapters", "headings"):
        out[group] = {}
        for key, langs in data[group].items():
            zh = [re.compile(p + r"\Z") for p in langs.get("zh", [])]
            en = [re.compile(p + r"\Z", re.I) for p in langs.get("en", [])]
            out[group][key] = {"zh": zh, "en": en}
    return out


def _match(group: str, title: str) -> str | None:
    c = compact(title).rstrip(".")
    e = norm(title).strip().rstrip(".:")
    for key, pats in lexicon()[group].items():
        if any(p.match(c) for p in pats["zh"]) or any(p.match(e) for p in pats["en"]):
            return key
    return None


def flat_lines(doc: Document) -> list[Line]:
    """All body lines of the document, in order."""
    out: list[Line] = []
    for p in doc.pages:
        for raw in p.lines:
            out.append(Line(idx=len(out), page=p.number, raw=raw, norm=norm(raw)))
    return out


def _classify(text: str) -> tuple[int, str, str | None] | None:
    """(level, title, number) when ``text`` looks like a heading line."""
    s = text.strip().lstrip("#").strip()
    limit = MAX_HEADING_CHARS if re.search(r"[\u4e00-\u9fff]", s) else 2 * MAX_HEADING_CHARS
    if not s or len(compact(s)) > limit or _SENTENCE_END.search(s):
        return None
    for level, pat in ((0, _CHAPTER), (0, _CHAPTER_EN), (2, _LEVEL2), (1, _LEVEL1), (1, _EN_LEVEL1), (2, _EN_LEVEL2)):
        m = pat.match(s)
        if m:
            title = m.group(2).strip()
            if title:
                return level, title, m.group(1)
    m = _LEVEL3.match(s)
    if m:
        title = (m.group(2) or m.group(4) or "").strip()
        if title and not re.match(r"^[\d.,%]", title):
            return 3, title, m.group(1) or m.group(3)
    return None


def analyse(doc: Document) -> Structure:
    """Find chapters and key headings in ``doc`` (computed once per document, then reused)."""
    cached = doc.__dict__.get("_structure")
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    st = _analyse(doc)
    doc.__dict__["_structure"] = st  # NOTE: pages are not changed after loading
    return st


def _analyse(doc: Document) -> Structure:
    lines = flat_lines(doc)
    st = Structure(lines=lines)
    en_chars = sum(1 for ln in lines[:4000] for ch in ln.norm if "a" <= ch.lower() <= "z")
    zh_chars = sum(1 for ln in lines[:4000] for ch in ln.norm if "\u4e00" <= ch <= "\u9fff")
    st.language = "en" if en_chars > 2 * zh_chars else "zh"

    heads: list[tuple[int, int, str, str | None, str | None]] = []  # idx, level, title, number, key
    unnumbered: list[tuple[int, str, str]] = []  # idx, key, group
    n = len(lines)
    i = 0
    while i < n:
        ln = lines[i]
        cls = _classify(ln.norm)
        joined = False
        if cls is not None:
            level, title, number = cls
            group = "chapters" if level == 0 else "headings"
            key = _match(group, title)
            if key is None and level == 0:
                key = _match("headings", title)
            if key is None and i + 1 < n and len(compact(lines[i + 1].norm)) <= 20 and _classify(lines[i + 1].norm) is None:
                # A heading wrapped over two lines.
                title2 = title + lines[i + 1].norm
                key2 = _match(group, title2)
                if key2 is not None:
                    key, title, joined = key2, title2, True
            heads.append((i, level, title, number, key))
        else:
            s = ln.norm.strip()
            m = _GLUED.search(s)
            if m and len(compact(s)) > MAX_HEADING_CHARS // 2:
                k = _match("headings", m.group(2))
                if k is not None:
                    heads.append((i, 1, m.group(2), m.group(1), k))
                    i += 1
                    continue
            if len(compact(s)) <= 30 and not _SENTENCE_END.search(s):
                k = _match("headings", s)
                if k is not None:
                    unnumbered.append((i, k, "headings"))
                else:
                    k = _match("chapters", s)
                    if k is not None:
                        unnumbered.append((i, k, "chapters"))
        i += 2 if joined else 1

    # Unnumbered key headings (e.g. 重大事项提示 in the Std 41 front matter) join the outline.
    numbered_chapter_keys = {k for (_, lv, _, _, k) in heads if lv == 0 and k}
    for idx, key, group in unnumbered:
        if group == "headings":
            level = 0 if key == "major_matters_notice" else 1
            heads.append((idx, level, lines[idx].norm, None, key))
        elif key not in numbered_chapter_keys:
            heads.append((idx, 0, lines[idx].norm, None, key))
    heads.sort(key=lambda h: h[0])

    for pos, (idx, level, title, number, key) in enumerate(heads):
        end = n
        for idx2, level2, *_ in heads[pos + 1 :]:
            if level2 <= level:
                end = idx2
                break
        sec = Section(
            key=key,
            title=lines[idx].raw.strip() if not title else title,
            level=level,
            start=idx,
            end=end,
            start_page=lines[idx].page,
            end_page=lines[end - 1].page if end > idx else lines[idx].page,
            number=number,
        )
        st.headings.append(sec)
        if key is None:
            continue
        if level == 0 and key in lexicon()["chapters"]:
            if key == "declarations" and number is None and key in st.chapters:
                st.chapters[key] = sec  # unnumbered 声明: the last one is the chapter
            elif key not in st.chapters:
                st.chapters[key] = sec
        else:
            st.keyed.setdefault(key, []).append(sec)
    return st
