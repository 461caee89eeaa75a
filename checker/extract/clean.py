"""Separate running headers, footers, printed page labels and table-of-contents lines from body text.

Everything is detected from the document itself: a line that sits at the top (or bottom) of many
pages, once digits are normalised, is a running header (footer). ``Page.raw_lines`` is never
changed; ``Page.lines`` receives the body lines only. ``norm`` gives the matching form of a text
(NFKC, no whitespace next to CJK characters) while evidence quotes keep the raw text.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter

from checker.extract.document import Document, Page

_EDGE = 3  # lines looked at on top and bottom of each page

_CJK = "\u2e80-\u9fff\u3000-\u303f\uf900-\ufaff\uff00-\uffef\u2018-\u201d\u2026"
_CJK_CHAR = re.compile(rf"[{_CJK}]")
_DIGITS = re.compile(r"\d+")
_WS = re.compile(r"\s+")

# Printed page labels: "1-1-35", "35", "- 35 -", "第35页", "35 / 219", "Page 35", "I-3".
_LABEL_PATTERNS = [
    re.compile(r"^[-–—]?\s*(\d{1,4}(?:\s*[-–]\s*\d{1,4}){1,3})\s*[-–—]?$"),
    re.compile(r"^[-–—]?\s*(\d{1,4})\s*[-–—]?$"),
    re.compile(r"^第\s*(\d{1,4})\s*页(?:\s*[/，,]?\s*共\s*\d+\s*页)?$"),
    re.compile(r"^(\d{1,4})\s*/\s*\d{1,4}$"),
    re.compile(r"^(?:page|p\.)\s*(\d{1,4})(?:\s*of\s*\d+)?$", re.I),
]

# TOC line: leader dots (ASCII, fullwidth, ellipsis, middle dots) then a page label.
_TOC_LINE = re.compile(r"(?:\.{4,}|…{2,}|(?:\.\.\.){2,}|·{4,}|．{4,}|-{6,}|_{6,})\s*\d{1,4}(?:-\d{1,4}){0,3}\s*$")
_TOC_LEADERS = re.compile(r"(?:\.{6,}|…{3,}|·{6,}|．{6,})\s*\d{1,4}")
# An entry wrapped by the export: its leader dots alone on a line, the page number with them or not.
_TOC_FRAGMENT = re.compile(r"(?:\.{4,}|…{2,}|·{4,}|．{4,})\s?\d{0,4}")
_TOC_TITLE = re.compile(r"^\s*(目\s*录|contents|table of contents)\s*$", re.I)
_TOC_TRAILING_NUM = re.compile(r"^(第[一二三四五六七八九十百]+节|[一二三四五六七八九十]+、|section\s+[ivxlc\d]+).*\s\d{1,4}(?:-\d{1,4}){0,3}$", re.I)


# Characters that print as nothing: a zero-width space inside 科创板 must not defeat a match.
INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e]")


def strip_invisible(text: str) -> str:
    """Remove zero-width and other invisible characters (U+200B-U+200D, U+2060, U+FEFF, soft hyphen)."""
    return INVISIBLE.sub("", text)


def norm(text: str) -> str:
    """Matching form: NFKC, invisible characters dropped, whitespace next to CJK removed, other
    whitespace runs collapsed. The one normaliser of the project: every matcher reads its output."""
    return norm_nfkc(unicodedata.normalize("NFKC", strip_invisible(text)))


def norm_nfkc(t: str) -> str:
    """``norm`` of a text already in NFKC with invisible characters removed (the document model
    normalises each line once and builds every form from that)."""

    if _WS.search(t) is None:
        return t

    # NOTE: one pass over each whitespace run, its neighbours looked at once: linear on any text
    # (a lookahead alternative `\s+(?=[CJK])` retries at every position of a long run: quadratic).
    def run(m: re.Match[str]) -> str:
        a, b = m.start(), m.end()
        if (a and _CJK_CHAR.match(t, a - 1)) or (b < len(t) and _CJK_CHAR.match(t, b)):
            return ""
        return " "

    return _WS.sub(run, t).strip()


def nfkc_forms(line: str) -> tuple[str, str]:
    """(NFKC of the line, NFKC of the line with invisible characters removed): one normalisation
    for a line read by a loader, which has dropped them already."""
    n0 = unicodedata.normalize("NFKC", line)
    if INVISIBLE.search(line) is None:
        return n0, n0
    return n0, unicodedata.normalize("NFKC", strip_invisible(line))


# Fake-bold text that a PDF draws several times over, exported with every character repeated
# ("招招招招股股股股意意意意向向向向书书书书签签签签署署署署日日日日期期期期"): a run of at least two (four, for a
# doubled run) characters each repeated k times, CJK among them. Real text doubles a character now and
# then (人人, 常常), never several in a row.
_OVERPRINT = [(k, re.compile(r"(?:([^\s\d])\1{%d}){%d,}" % (k - 1, 4 if k == 2 else 2))) for k in (4, 3, 2)]


# A run is cut only when it holds a CJK character (below), and that character then stands at least
# twice in a row: one scan for a doubled CJK character settles most lines (half the cost of a scan for
# any doubled character, which most lines of dot leaders and tables have).
_CJK = "\u4e00-\u9fff"
_DOUBLED = re.compile(f"([{_CJK}])\\1")
_HAS_CJK = re.compile(f"[{_CJK}]")


def collapse_overprint(line: str) -> str:
    """``line`` with overprinted runs (each character repeated 2-4 times) cut to one of each."""
    if _DOUBLED.search(line) is None:
        return line
    for k, pat in _OVERPRINT:
        if pat.search(line) is None:
            continue
        line = pat.sub(lambda m: m.group(0)[::k] if _HAS_CJK.search(m.group(0)) else m.group(0), line)
    return line


def compact(text: str) -> str:
    """NFKC with all whitespace removed (for heading comparison)."""
    return "".join(unicodedata.normalize("NFKC", strip_invisible(text)).split())


def compact_norm(text: str) -> str:
    """``compact`` of a text already in the matching form (``norm``'s output or a part of it: NFKC,
    no invisible characters; both are idempotent), so only its whitespace goes (str.split's whitespace
    is the pattern \\s's: both are Py_UNICODE_ISSPACE; the split is four times faster than the pattern)."""
    return "".join(text.split())


def edge_key(line: str) -> str:
    """Key used to recognise a repeated header/footer line: digits normalised, no spaces.

    Sentences (ending in 。/./;) are never running headers: they get a key of their own.
    """
    return _edge_key_nfkc(unicodedata.normalize("NFKC", strip_invisible(line)))


def _edge_key_nfkc(n1: str) -> str:
    c = "".join(n1.split())
    if c.endswith(("。", "；", ";")) or (len(c) > 40 and c.endswith(".")):
        return "\x00" + c
    return _DIGITS.sub("#", c)


def page_label_of(line: str) -> str | None:
    """The printed page label in ``line`` when the whole line is a page label."""
    return _page_label_nfkc(unicodedata.normalize("NFKC", line))


def _page_label_nfkc(n0: str) -> str | None:
    s = n0.strip()
    for pat in _LABEL_PATTERNS:
        m = pat.match(s)
        if m:
            return _WS.sub("", m.group(1)).replace("–", "-")
    return None


_LEADER_RUNS = [(re.compile(re.escape(ch) + "{7,}"), ch * 6) for ch in ".…·．-_"]


# Every TOC pattern needs one of these runs of leader characters (whitespace is collapsed and leader
# runs are shortened to six, neither of which makes a run): a line without any is no TOC entry.
_LEADER_SEEDS = ("....", "……", "····", "．．．．", "------", "______")


def is_toc_line(line: str) -> bool:
    """A table-of-contents entry (leader dots followed by a page label).

    Runs of leader characters are first cut to six and whitespace runs to one space (each a single
    greedy match: linear), so the leader patterns never rescan a long run from every position."""
    return _is_toc_nfkc(unicodedata.normalize("NFKC", line))


_LEADER_SEED = re.compile("|".join(re.escape(seed) for seed in _LEADER_SEEDS))


def _is_toc_nfkc(n0: str) -> bool:
    if _LEADER_SEED.search(n0) is None:
        return False
    s = _WS.sub(" ", n0)
    for pat, short in _LEADER_RUNS:
        s = pat.sub(short, s)
    return bool(_TOC_LINE.search(s) or len(_TOC_LEADERS.findall(s)) >= 2 or _TOC_FRAGMENT.fullmatch(s.strip()))


def nfkc_memo(doc: Document) -> dict[str, tuple[str, str]]:
    """The document's line -> (NFKC, NFKC without invisible characters) memo: each distinct line is
    normalised once, by the cleaner, and the document model (extract/structure.py body_lines) reads
    the same forms, then drops the memo."""
    memo = doc.__dict__.get("_nfkc")
    if memo is None:
        memo = doc.__dict__["_nfkc"] = {}
    return memo  # type: ignore[no-any-return]


def clean_document(doc: Document) -> Document:
    """Fill ``header``, ``footer``, ``label``, ``is_toc`` and ``lines`` of every page in place
    (overprinted fake-bold runs are first read once: :func:`collapse_overprint`)."""
    pages = doc.pages
    for p in pages:
        p.raw_lines = [collapse_overprint(x) for x in p.raw_lines]
    memo = nfkc_memo(doc)

    def forms(x: str) -> tuple[str, str]:
        f = memo.get(x)
        if f is None:
            f = memo[x] = nfkc_forms(x)
        return f

    keys: dict[str, str] = {}

    def key(x: str) -> str:
        k = keys.get(x)
        if k is None:
            k = keys[x] = _edge_key_nfkc(forms(x)[1])
        return k

    n = len([p for p in pages if p.raw_lines])
    threshold = max(2, math.ceil(0.08 * n)) if n >= 3 else 10**9
    top: Counter[str] = Counter()
    bottom: Counter[str] = Counter()
    bodies = []
    for p in pages:
        body = _preclassified_body(p)
        bodies.append(body)
        top.update({key(x) for x in body[:_EDGE]})
        bottom.update({key(x) for x in body[-_EDGE:]})

    for p, body in zip(pages, bodies, strict=True):
        # Labels from lines a source already classified (Bosera 页眉/页脚).
        for ln in p.footer + p.header:
            if p.label is None:
                p.label = page_label_of(ln)
        start = 0
        while start < min(_EDGE, len(body)):
            ln = body[start]
            k = key(ln)
            lab = _page_label_nfkc(forms(ln)[0])
            if top[k] >= threshold or (lab is not None and (top[k] >= threshold or bottom[k] >= threshold)):
                p.header.append(ln)
                if lab and p.label is None:
                    p.label = lab
                start += 1
            else:
                break
        end = len(body)
        while end > start and len(body) - end < _EDGE:
            ln = body[end - 1]
            k = key(ln)
            lab = _page_label_nfkc(forms(ln)[0])
            if bottom[k] >= threshold or (lab is not None and (top[k] >= threshold or bottom[k] >= threshold)):
                p.footer.insert(0, ln)
                if lab and p.label is None:
                    p.label = lab
                end -= 1
            else:
                break
        lines = body[start:end]
        _strip_toc(p, lines, [forms(x)[0] for x in lines])
    return doc


def _preclassified_body(p: Page) -> list[str]:
    if not (p.header or p.footer):
        return list(p.raw_lines)
    pre = set(p.header) | set(p.footer)
    return [x for x in p.raw_lines if x not in pre]


def _strip_toc(p: Page, lines: list[str], nfkc: list[str]) -> None:
    toc_flags = [_is_toc_nfkc(x) for x in nfkc]
    n_toc = sum(toc_flags)
    has_title = any(_TOC_TITLE.match(x) for x in nfkc[:5])
    # A page is a table of contents when it is titled 目录 or its entries are a good part of it: the
    # share, not a count (a text export without pages holds the whole filing, its TOC included, on one
    # page; only the TOC lines themselves are dropped from it).
    share = n_toc / max(1, len(lines))
    p.is_toc = n_toc >= 1 and (has_title or share >= 0.3 or (n_toc >= 3 and share >= 0.15))
    if not n_toc:
        p.lines = lines
        return
    keep: list[str] = []
    for x, n0, flag in zip(lines, nfkc, toc_flags):
        if flag:
            continue
        s = n0.strip()
        if p.is_toc and (_TOC_TITLE.match(s) or _TOC_TRAILING_NUM.match(s)):
            continue
        keep.append(x)
    p.lines = keep
