"""Name lists as filings print them, for the parties extractor: roster tables exported one cell per
line (序号 / 姓名 / 职务 …) or one row per line, a sentence that states a group's size and lists it
("核心技术人员有 6 名：…"), and one person's name in variant spellings (卞尓浩 / 卞尔浩)."""

from __future__ import annotations

import re
import unicodedata

from checker.extract.clean import compact
from checker.extract.structure import Line, Span

PERSON = r"[\u4e00-\u9fff·]{2,4}"
NOT_A_NAME = re.compile(r"^(?:有关|关于|公司|本公司|发行人|董事|监事|独立|上述|其中|姓名|序号|职务|合计|简历|现任|男|女|中国|根据)")


def flat_text(ln: Line) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", ln.raw)).strip()


_ROW_NO = re.compile(r"\d{1,2}")
_ALIASED = re.compile(r"(?P<lat>[A-Z][A-Za-z-]+(?: (?:[A-Z]\.|[A-Z][A-Za-z-]+)){1,3})\s*\((?P<cjk>[\u4e00-\u9fff·]{2,6})\)")
_NAME_CELL = re.compile(rf"{PERSON}|[A-Z][A-Za-z-]+(?: (?:[A-Z]\.|[A-Z][A-Za-z-]+)){{1,3}}")


def roster_names(lines: list[Line], header: re.Pattern[str],
                  name_cell: re.Pattern[str] = _NAME_CELL) -> list[tuple[str, Line]]:
    """Names of a roster table exported one cell per line: a header of cells (序号 / 姓名 / 职务 …),
    then rows that each start with their number; the name is the cell under the ``header`` cell
    (姓名, 高级管理人员姓名, 股东名称). A table continued on the next page repeats its header, and is
    read on; a Latin name wrapped over two cells ("HUA" / "YOUNAN") is joined."""
    cells = [compact(ln.norm) if not re.search(r"[A-Za-z]", ln.norm) else ln.norm.strip() for ln in lines]
    out: list[tuple[str, Line]] = []
    seen: set[str] = set()
    for i, c in enumerate(cells):
        if not header.search(c) or not (i and cells[i - 1] == "序号"):
            continue
        j = i + 1
        while j < len(cells) and j - i < 10 and not _ROW_NO.fullmatch(cells[j]):
            j += 1  # the rest of the header
        while j + 1 < len(cells) and _ROW_NO.fullmatch(cells[j]):
            name, at = cells[j + 1], j + 1
            while re.fullmatch(r"[A-Z]{2,}(?: [A-Z]{2,})*", name) and name.count(" ") < 3 and at + 1 < len(cells) \
                    and re.fullmatch(r"[A-Z]{2,}", cells[at + 1]):
                name, at = f"{name} {cells[at + 1]}", at + 1
            alias = _ALIASED.fullmatch(name)
            if alias:
                name = alias.group("cjk")  # "Hao Allen Lu（陆郝安）": the Chinese name the lists use
            if not name_cell.fullmatch(name) or NOT_A_NAME.match(name):
                break
            if name not in seen:
                seen.add(name)
                out.append((name, lines[j + 1]))
            k = at + 1
            while k < len(cells) and k - j < 12 and not _ROW_NO.fullmatch(cells[k]) and cells[k] != "序号":
                k += 1  # the rest of the row
            j = k
    return out


_CN_COUNT = {c: i for i, c in enumerate("零一二三四五六七八九十", start=0)}
_COUNTED = re.compile(r"(?:有|共|共有|为|由)\s*(?P<n>\d{1,2}|[一二三四五六七八九十]{1,3})\s*(?:名|位|人)[^:：。]{0,12}[:：]"
                      r"(?P<list>[^。;；]{2,200})[。;；]?$")
LATIN_PERSON = r"[A-Z][A-Za-z-]+(?: [A-Z][A-Za-z.-]+){1,3}"


def _count(text: str) -> int | None:
    if text.isdigit():
        return int(text)
    if len(text) == 1:
        return _CN_COUNT.get(text)
    if text.startswith("十"):
        return 10 + _CN_COUNT.get(text[1:], 0) if len(text) == 2 else None
    tens, _, ones = text.partition("十")
    return _CN_COUNT.get(tens, 0) * 10 + (_CN_COUNT.get(ones, 0) if ones else 0) if tens in _CN_COUNT else None


def counted_list(sp: Span) -> tuple[list[str], Line] | None:
    """The names of a sentence that states the group's size and lists it ("本公司核心技术人员有 6 名：
    黄学英、毛慧明、王宏宇、Mathew George、杨克、周晓涛。", wrapped over a page break), when the list
    holds exactly that many names."""
    for a, b in sp.sentences()[:6]:
        mt = _COUNTED.search(sp.text[a:b])
        if not mt:
            continue
        want = _count(mt.group("n"))
        parts = [re.sub(r"(?:先生|女士|博士)$", "", x.strip()) for x in re.split(r"[、,，]|和|及", mt.group("list"))]
        names = [x for x in parts if x]
        if want and len(names) == want and all(
                (re.fullmatch(PERSON, x) and not NOT_A_NAME.match(x)) or re.fullmatch(LATIN_PERSON, x) for x in names):
            return names, sp.line_at(a)
    return None


def row_table_names(lines: list[Line], header: re.Pattern[str]) -> tuple[list[str], Line] | None:
    """The names of a table exported one row per line, cells separated by spaces: a header row whose
    first cell is the name column (姓名 / 董事姓名, then 职务 …), then rows that each start with a
    person's name, up to the first line that is not such a row (a table continued on the next page
    repeats its header and is read on)."""
    out: list[str] = []
    first: Line | None = None
    inside = False
    for ln in lines:
        cells = flat_text(ln).split(" ")
        if len(cells) >= 2 and header.search(cells[0]) and not re.search(r"[\d%]", cells[1]):
            inside = True
            continue
        if not inside:
            continue
        nm = cells[0]
        if len(cells) >= 2 and re.fullmatch(PERSON, nm) and not NOT_A_NAME.match(nm):
            if nm not in out:
                out.append(nm)
                first = first or ln
            continue
        if out:
            break
        inside = False
    return (out, first) if out and first is not None else None


def distinct_names(names: list[str], variants: str) -> list[str]:
    """Names in order, each person once: two spellings that differ only by variant forms of a character
    (卞尓浩 in a table, 卞尔浩 in the biography: ``variants`` holds pairs, variant then standard form)
    are one person, named as first printed."""
    fold = str.maketrans(variants[0::2], variants[1::2])
    out: list[str] = []
    seen: set[str] = set()
    for nm in names:
        k = nm.translate(fold)
        if k not in seen:
            seen.add(k)
            out.append(nm)
    return out
