"""The issuer's parties: controlling shareholder, actual controller, directors, supervisors, senior
management, core technical staff, holders of 5% or more, and whether the supervisory board is abolished.

Subject scope: a controller is read only from a sentence whose subject is the issuer (公司/发行人的
控股股东为…), never a subsidiary's or a shareholder's own controller; "无控股股东 / 无实际控制人"
is an established null. Officers are read under the directors/officers section's sub-headings.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from checker.extract.clean import compact, norm
from checker.extract.structure import Line, Span
from checker.facts.context import Ctx, rx
from checker.facts.extractors.rosters import (
    LATIN_PERSON,
    NOT_A_NAME,
    PERSON,
    counted_list,
    distinct_names,
    flat_text,
    roster_names,
    row_table_names,
)
from checker.facts.model import Evidence
from checker.facts.registry import FactSpec

NAME = "parties"
READS = ("document",)  # extractors whose facts this one reads (checker/facts/run.py)
PRODUCES = [
    FactSpec("controlling_shareholder", "names", "the controlling shareholder(s); null when the filing states there is none"),
    FactSpec("actual_controller", "names", "the actual controller(s); null when the filing states there is none"),
    FactSpec("directors", "names", "directors (董事)"),
    FactSpec("supervisors", "names", "supervisors (监事), where the issuer still has a supervisory board"),
    FactSpec("senior_management", "names", "senior management (高级管理人员)"),
    FactSpec("core_technical_staff", "names", "core technical staff (核心技术人员)"),
    FactSpec("shareholders_5pct", "names", "shareholders holding 5% or more"),
    FactSpec("issuer.supervisory_board_abolished", "bool",
             "the supervisory board was abolished (an audit committee exercises its powers, Company Law 2023)"),
]
_LATIN_NAME = r"[A-Z]{2,}(?: [A-Z]{2,}){1,3}|[A-Z][a-z]+(?: [A-Z][a-z]+){1,2}"  # FU CHAO, Hao Allen Lu
_PERSON_EN = r"[A-Z][a-z]+(?: [A-Z][a-z]+){1,2}|[A-Z]{2,}(?: [A-Z]{2,}){1,2}"
_PERSON_PATTERNS_ZH = (
    re.compile(rf"(?:^|[。;；])({PERSON})(?:先生|女士|博士)(?=[,，:：]|$)"),
    re.compile(rf"^({PERSON}|{_LATIN_NAME})[,，:：]\s*(?:男|女)"),
    re.compile(rf"^({PERSON})(?:先生|女士|博士)(?:的)?(?:简历|基本情况|个人简历)"),  # 钱永学先生简历参见…
    re.compile(rf"^({PERSON})[,，]\s*(?:\d{{4}}年|中国国籍|公司|现任)"),
    re.compile(rf"^\d{{1,2}}[、.]\s*({PERSON}|{_LATIN_NAME})$"),
    re.compile(rf"^\d{{1,2}}\s+({PERSON})\s+\S*(?:董事|监事|经理|总监|秘书|负责人|总裁|主席|工程师|技术|高级管理人员)"),
    re.compile(rf"^(?:\d{{1,2}}\s+)?({PERSON}|[A-Z][A-Z-]+(?: [A-Z][A-Z-]+){{0,3}})\s+\S*(?:董事长|董事|监事|总经理|副总经理|财务总监|董事会秘书)(?:[、,]\S+)?\s+(?:\d{{4}}|[\u4e00-\u9fff])"),
)
_FIVE_PCT_HEAD = re.compile(r"(?:持有|持股)(?:公司|发行人|本公司)?(?:股份)?5%(?:\(含5%\))?以上(?:股份|表决权)?(?:或表决权)?的(?:其他)?(?:主要)?股东|shareholders? holding 5% or more|5% shareholders", re.I)
_HOLDER_NAME = r"[\u4e00-\u9fffA-Za-z()·]{2,40}"
_NAME_STOP = re.compile(r"^(?:持有|直接|间接|合计|其中|分别|除|截至|截止|本次|上述|公司|发行人|序号|股东)")


def extract(ctx: Ctx) -> None:
    _controllers(ctx)
    _supervisory_board(ctx)
    _officers(ctx)
    _shareholders_5pct(ctx)
    _annual_report_controllers(ctx)
    _annual_report_officers(ctx)


def _names_ok(names: list[str]) -> bool:
    return bool(names) and all(re.fullmatch(PERSON, x) or re.search(
        r"公司|企业|合伙|集团|委员会|中心|政府|国资委|国资局|财政|管理局|大学|研究院|研究所", x) for x in names)


def _split_names(val: str, suffix: re.Pattern[str]) -> list[str]:
    val = suffix.sub("", val.strip())
    names = [suffix.sub("", re.sub(r"(先生|女士)$", "", x)) for x in re.split(r"[、和及与]", val) if x]
    return [x for x in names if x]


def _issuer_short(ctx: Ctx) -> Callable[[str], bool]:
    """Whether a word names the issuer: 公司 / 发行人, or its short name (a part of the registered
    name without the company form: 兴福电子 of 湖北兴福电子材料股份有限公司)."""
    lex = ctx.lex
    words = rx(rf"^(?:{lex['issuer_words']})$")
    full = ctx.value("issuer.name")
    core = rx(lex["company_form"]).sub("", compact(full)) if isinstance(full, str) else ""

    def test(word: str) -> bool:
        if words.match(word) or (full and word == compact(full)):
            return True
        short = rx(lex["short_name_suffix"]).sub("", word)
        return bool(core) and len(short) >= 2 and len(word) >= 3 and short in core
    return test


def _subject(s: str, pos: int, ctx: Ctx, suffix: re.Pattern[str]) -> list[str]:
    """The subject of "X…为发行人控股股东" ending at ``pos``: the clause right before the verb
    ("因此，X、Y为公司实际控制人"), else, when the predicate follows a comma ("X持有公司37%的股份，
    为公司控股股东"), the sentence's own subject once its lead-in clauses are dropped."""
    lead = rx(ctx.lex["lead_in"])
    head = rx(rf"^([\u4e00-\u9fffA-Za-z()·、]{{2,40}}?)(?:{ctx.lex['subject_end']}|$)")

    def unlead(text: str) -> str:
        for _ in range(4):  # "截至…，因此，X…"
            text, n = lead.subn("", text)
            if not n:
                break
        return text

    def read(clause: str) -> list[str]:
        sm = head.match(unlead(clause))
        names = _split_names(sm.group(1), suffix) if sm else []
        return names if _names_ok(names) and not any(_NAME_STOP.match(x) for x in names) else []

    before = s[:pos]
    last = re.split(r"[,，]", before)[-1]
    return (read(last) if last.strip() else []) or read(before)


def _controllers(ctx: Ctx) -> None:
    """The issuer's controlling shareholder and actual controller, from (in document order) a
    "公司控股股东为X" sentence, a "X…为发行人控股股东" sentence, or a 控股股东 / X table cell; read over
    joined text, so a name wrapped to the next line ("实际控制人为兴" / "山县国资局") reads whole.
    The issuer is 公司 / 发行人 or its short name; "无控股股东" must end the phrase ("不存在控股股东、
    实际控制人…占用资金" is about funds, not a statement that there is none)."""
    m = ctx.m
    secs = [s for s in (m.chapter(k) for k in ("overview", "issuer_basic", "governance")) if s is not None]
    spans = [m.span(m.section_lines(sec)) for sec in sorted(secs, key=lambda s: s.start)] or [m.span(m.lines)]
    suffix = rx(ctx.lex["name_suffix"])
    iss = ctx.lex["issuer_words"]
    is_issuer = _issuer_short(ctx)
    both = r"控股股东(?:和|及|、)实际控制人"
    no = r"(?:无|不存在|没有)"
    for key, word in (("controlling_shareholder", "控股股东"), ("actual_controller", "实际控制人")):
        none_pat = re.compile(rf"(?:{iss}){ctx.lex['none_lead']}{no}(?:控股股东(?:和|及|、|,|，){no}?实际控制人|{word})(?=[,，。;；]|$|[、及和]{no})")
        is_pat = re.compile(rf"(?:(?:{iss})的?(?:直接)?|(?<=[,，]))(?:{both}|{word})(?:均|同为|仍|系)?为([^,，。;；(]{{2,60}})")
        is_short = re.compile(rf"(?:^|(?<=[,，:：]))([\u4e00-\u9fffA-Za-z]{{2,12}}?)的?(?:直接)?(?:{both}|{word})(?:均|同为|仍|系)?为([^,，。;；(]{{2,60}})")
        rev_pat = re.compile(rf"(?:为|系|是)([\u4e00-\u9fffA-Za-z]{{2,12}}?)(?:的)?(?:直接)?(?:{both}|{word})(?:[。;；,，]|$)")
        found: tuple[Any, Span, int, int] | None = None
        for sp in spans:
            for a, b in sp.sentences():
                s = sp.text[a:b]
                if word not in s:
                    continue
                if none_pat.search(s):
                    found = (None, sp, a, b)
                    break
                cands = [im.group(1) for im in is_pat.finditer(s)]
                cands += [im.group(2) for im in is_short.finditer(s) if is_issuer(im.group(1))]
                for val in cands:
                    names = _split_names(val, suffix)
                    if _names_ok(names):
                        found = (names[0] if len(names) == 1 else names, sp, a, b)
                        break
                if found:
                    break
                for rm in rev_pat.finditer(s):
                    if not is_issuer(rm.group(1)):
                        continue
                    names = _subject(s, rm.start(), ctx, suffix)
                    if names:
                        found = (names[0] if len(names) == 1 else names, sp, a, b)
                        break
                if found:
                    break
            if found:
                break
        if found is None:
            # the overview's issuer table: a 控股股东 cell and the name(s) on the next line
            for sec in secs:
                lines = m.section_lines(sec)
                for i, ln in enumerate(lines[:-1]):
                    if ln.norm.rstrip(":") == word:
                        names = _split_names(lines[i + 1].norm, suffix)
                        if re.fullmatch(r"无|不适用|-", lines[i + 1].norm):
                            found = (None, m.span([ln, lines[i + 1]]), 0, 0)
                        elif _names_ok(names):
                            found = (names[0] if len(names) == 1 else names, m.span([ln, lines[i + 1]]), 0, 0)
                        if found:
                            break
                if found:
                    break
        if found is None and m.language == "en":
            en = {"controlling_shareholder": "controlling shareholder", "actual_controller": "actual controller"}[key]
            pat = re.compile(rf"the {en} (?:of the Company )?is ({_PERSON_EN}|[A-Z][A-Za-z&.,' ()-]{{2,80}}?(?:Co\.,? ?Ltd\.?|Limited|LP))\b")
            for ln in m.lines:
                mt = pat.search(ln.norm)
                if mt:
                    found = (mt.group(1), m.span([ln]), 0, len(ln.norm))
                    break
        if found:
            value, sp, a, b = found
            quote = sp.text[a:b] if b > a else sp.text
            ctx.add(key, value, [ctx.ev(sp.line_at(a), quote=quote)], confidence=0.8)
        else:
            ctx.missing(key, f"no sentence naming the issuer's {word} was found")


def _person_names(ln: Line, language: str) -> list[str]:
    out: list[str] = []
    if language == "en":
        for en_pat in (rf"^\d{{1,2}}\s+({_PERSON_EN})\s+(?:Chairman|Director|Independent|Supervisor|Officer|Core|General|Deputy|Chief|CFO|CEO|Secretary|Board)",
                    rf"^(?:Mr\.|Ms\.|Mrs\.|Dr\.)\s*({_PERSON_EN})\b", rf"^({_PERSON_EN}), (?:born|male|female|aged|\d)"):
            out += [mt.group(1) for mt in re.finditer(en_pat, ln.norm)]
        return out
    flat = flat_text(ln)
    for pat, text in [(p, ln.norm) for p in _PERSON_PATTERNS_ZH] + [(p, flat) for p in _PERSON_PATTERNS_ZH[3:]]:
        for mt in pat.finditer(text):
            nm = re.sub(r"(?:先生|女士|博士)$", "", mt.group(1))
            if len(nm) >= 2 and not NOT_A_NAME.match(nm) and not re.search(r"工作|投资|研究|管理|技术|员$", nm) and nm not in out:
                out.append(nm)
    return out


def _officers(ctx: Ctx) -> None:
    m = ctx.m
    do = m.keyed.get("directors_officers", [])
    ib = m.chapter("issuer_basic")
    do = [s for s in do if ib is None or s.start >= ib.start] or do
    groups = ctx.lex["groups"]
    if not do:
        for k in groups:
            ctx.missing(k, "the directors/officers section was not found")
        return
    top = do[0]
    subs = [h for h in m.headings if top.start < h.start < top.end and h.level > top.level]
    abolished = ctx.value("issuer.supervisory_board_abolished") is True
    roles = re.compile(r"董事|监事|高级管理|核心技术|其他核心")
    for key, pat in groups.items():
        if key == "supervisors" and abolished:
            # the company has no supervisors now: former ones are not parties of the filing
            ctx.missing(key, "the supervisory board was abolished (an audit committee exercises its powers)")
            continue
        names: list[str] = []
        ev = None
        for h in subs:
            t = compact(h.title)
            if len(set(roles.findall(t))) >= 2:
                continue  # a heading over several groups ("董事、监事、高级管理人员…简要情况") lists all of them
            if not re.search(pat, t) or (key == "directors" and re.search(r"监事|高级管理|核心技术|其他核心|(?i:supervisor|senior|core)", t)):
                continue
            if key == "senior_management" and re.search(r"核心技术|其他核心", t) and not t.startswith("高级"):
                continue
            if key == "supervisors" and re.search(r"取消监事会前", t) and "监事" not in t.replace("取消监事会前", ""):
                continue
            body = m.body(h)
            counted = counted_list(m.span(body[:20]))
            if counted:  # "本公司核心技术人员有 6 名：A、B…": the whole group, its size stated
                names, ev = counted
                break
            # a roster table, when the section has one, lists the group; else the names in its text
            for nm, ln in roster_names(body, rx(ctx.lex["roster_name_header"])):
                names.append(nm)
                ev = ev or ln
            if not names:
                for ln in body:
                    for nm in _person_names(ln, m.language):
                        if nm not in names:
                            names.append(nm)
                            ev = ev or ln
            if not names:
                rows = row_table_names(body, rx(ctx.lex["roster_name_header"]))
                if rows:  # a table exported one row per line: "姓名 职务" / "张志辉 公司总工程师"
                    names, ev = rows
            if names:
                break
        if names:
            ctx.add(key, distinct_names(names, ctx.lex["name_variants"]), [ctx.ev(ev)], confidence=0.7)
        else:
            ctx.missing(key, f"no names found under '{top.title}' (pages {top.start_page}-{top.end_page})")


_HOLDER_IN_TEXT = r"[\u4e00-\u9fffA-Za-z][\u4e00-\u9fffA-Za-z0-9()·]{1,39}"  # in a sentence: BH1, 经乾二号


def _holder_names(text: str, roles: re.Pattern[str] | None = None) -> list[str]:
    """The names of a list ("A、B和C，其分别持有…"): the first clause's names, then each following
    clause while it is names only (the list ends at "，具体情况参见…"). ``roles`` strips a role
    before a name ("控股股东、实际控制人吴佩芳")."""
    text = re.split(r"[。;；]|,分别|，分别|,其|，其|,持有|，持有|,合计|，合计|等", text, maxsplit=1)[0]
    out: list[str] = []
    for n, clause in enumerate(re.split(r"[,，]", text)):
        got, bad = [], False
        for part in re.split(r"[、]|和|及|与", clause):
            part = re.sub(r"^(?:为|包括|有|如下)?[:：]?", "", part.strip())
            part = re.sub(r"(?:先生|女士)$", "", roles.sub("", part) if roles else part)
            if not part and roles:
                continue
            if re.fullmatch(_HOLDER_IN_TEXT, part) and not _NAME_STOP.match(part):
                got.append(part)
            else:
                bad = True
        if n and (bad or not got):
            break
        out += [x for x in got if x not in out]
    return out


def _listed_holders(ctx: Ctx, s: str, at: int, ctrl: Any) -> tuple[list[str], bool]:
    """The holders a sentence lists from ``at`` on, with those it excepts before ("除A、B外，其他持有
    5%以上股份的股东为C": A, B and C), and whether the list is of the *other* holders."""
    roles = rx(ctx.lex["holder_roles"])
    names = _holder_names(s[at:])
    if not names:
        return [], False
    head = s[:at]
    others = bool(re.search(r"除.{0,40}外|其他", head))
    ex = re.search(r"除([^。;；]{1,60}?)(?:以)?外", head)
    if ex:
        excepted = [x for x in _holder_names(ex.group(1), roles) if x not in names]
        if roles.search(ex.group(1)) and isinstance(ctrl, str) and ctrl not in excepted:
            excepted.insert(0, ctrl)
        names = excepted + [x for x in names if x not in excepted]
    return names, others


def _shareholders_5pct(ctx: Ctx) -> None:
    m = ctx.m
    ib = m.chapter("issuer_basic")
    lo, hi = (ib.start, ib.end) if ib else (0, len(m.lines))
    heads = [h for h in m.headings if lo <= h.start < hi
             and _FIVE_PCT_HEAD.search(compact(h.title) if m.language == "zh" else norm(h.title))]
    heads.sort(key=lambda h: (-h.level, h.start))
    ctrl = ctx.value("controlling_shareholder")
    if not heads and ib is not None:
        sp = m.span(m.lines[lo:hi])
        for a, b in sp.sentences():
            s = sp.text[a:b]
            mt = re.search(r"持有(?:公司|发行人|本公司)?5%(?:\(含5%\))?以上股份的(?:其他)?(?:主要)?股东(?:为|包括)[:：]?(.*)", s)
            names, others = _listed_holders(ctx, s, mt.start(1), ctrl) if mt else ([], False)
            if names:
                if others and isinstance(ctrl, str) and ctrl not in names:
                    names.insert(0, ctrl)
                ctx.add("shareholders_5pct", names, [ctx.ev(sp.line_at(a), quote=sp.text[a:b])], confidence=0.7)
                return
    for h in heads:
        names = []
        ev = None
        others = bool(re.search(r"其他|other", h.title, re.I))
        body = m.body(h)
        # the first sentences under the heading, read over the joined lines (a list wrapped "宁/波韵升")
        sp = m.span(body[:12])
        for a, b in sp.sentences():
            s = sp.text[a:b]
            mt = re.search(r"5%(?:\(含5%\))?以上(?:股份|表决权)?(?:或表决权)?的(?:其他)?(?:主要)?股东(?:为|包括|有)[:：]?(.*)", s)
            if mt:
                got, other = _listed_holders(ctx, s, mt.start(1), ctrl)
                if got:
                    names, ev = got, sp.line_at(a)
                    others = others or other
                    break
            if re.search(r"不存在(?:其他)?持有.{0,6}5%以上股份", s):
                names, ev, others = [], sp.line_at(a), True
                break
        if ev is None:
            # a table of the holders (序号 / 股东名称 / 持股数量 / 比例), one cell per line
            for nm, ln in roster_names(body, rx(ctx.lex["holder_name_header"]), re.compile(_HOLDER_NAME)):
                if not _NAME_STOP.match(nm) and nm not in names:
                    names.append(nm)
                    ev = ev or ln
        if ev is None:
            style = None
            for ln in body:
                sm = re.match(r"^(\d{1,2}[、.]|\(\d{1,2}\))", ln.norm)
                if sm and style is not None and (sm.group(1)[0] == "(") != style:
                    continue
                # "6、WEIZHENG XU 及苏州博达、海佳同康": a person and the vehicles through which they hold
                mt = re.match(rf"^(?:\d{{1,2}}[、.]|\(\d{{1,2}}\))\s*((?:{LATIN_PERSON}|{_HOLDER_NAME})(?:[、及](?:{LATIN_PERSON}|{_HOLDER_NAME}))*)"
                              rf"(?:[,，](?:持有|直接持有).{{0,12}}%|$)", ln.norm)
                if mt and not _NAME_STOP.match(mt.group(1)) and len(mt.group(1)) <= 30:
                    style = mt.group(0).startswith("(") if style is None else style
                    for nm in re.split(r"[、及]", mt.group(1)):
                        if nm and nm not in names:
                            names.append(nm)
                            ev = ev or ln
                elif m.language == "zh" and re.match(r"^\d{1,2}\s+\S+\s+[\d.]+%$", flat_text(ln)):
                    nm = flat_text(ln).split()[1]
                    if nm not in names and re.fullmatch(_HOLDER_NAME, nm):
                        names.append(nm)
                        ev = ev or ln
                elif m.language == "en":
                    m2 = re.match(r"^\d{1,2}\s+(.+?)\s+[\d.]+%$", ln.norm)
                    if m2 and m2.group(1) not in names:
                        names.append(m2.group(1))
                        ev = ev or ln
        if ev is None:
            continue
        if others and isinstance(ctrl, str) and ctrl not in names:
            names.insert(0, ctrl)
        extra = _controller_holding(ctx, ib, names) if others else None
        if extra is not None:
            names = [ctx.value("actual_controller")] + names
        if names:
            ctx.add("shareholders_5pct", names, [ctx.ev(ev)] + ([extra] if extra else []), confidence=0.75)
            return
    if heads:
        ctx.missing("shareholders_5pct", f"the section '{heads[0].title}' (page {heads[0].start_page}) lists no names that could be read")
    else:
        ctx.missing("shareholders_5pct", "no section on shareholders holding 5% or more (持有发行人5%以上股份的主要股东) was found")


_DIRECT_STAKE = re.compile(r"直接(?:持有|控制)(?:发行人|公司|本公司)?(?P<pct>\d{1,2}(?:\.\d+)?)%的(?:股份|表决权)")


def _controller_holding(ctx: Ctx, ib: Any, names: list[str]) -> Evidence | None:
    """A list of the *other* 5% holders leaves out the controllers named before it. The controlling
    shareholder is put first by the caller; the actual controller, too, when a sentence of the chapter
    says that they directly hold 5% or more of the shares or votes ("实际控制人钱永学直接持有发行人
    3.8578%的股份，并通过特别表决权机制直接控制发行人21.9494%的表决权"; an indirect stake does not count):
    the evidence of that sentence, else None."""
    ac = ctx.value("actual_controller")
    if not isinstance(ac, str) or ac in names or ib is None:
        return None
    sp = ctx.m.span(ctx.m.body(ib))
    for a, b in sp.sentences():
        s = sp.text[a:b]
        at = s.find(ac)
        if at < 0:
            continue
        for mt in _DIRECT_STAKE.finditer(s, at):
            if Decimal(mt.group("pct")) >= 5:
                return ctx.ev(sp.line_at(a), quote=s)
    return None


def _annual_report_controllers(ctx: Ctx) -> None:
    if ctx.value("document.kind") != "annual_report":
        return
    lines = ctx.m.lines
    for key, word in (("controlling_shareholder", "控股股东情况"), ("actual_controller", "实际控制人情况")):
        if ctx.has(key):
            continue
        for i, ln in enumerate(lines):
            if not re.match(rf"^(?:\([一二三四五]\)|[一二三四五]、)?\s*{word}$", ln.norm):
                continue
            for ln2 in lines[i + 1 : i + 14]:
                mt = re.match(rf"^(?:姓名|名称)\s*({_HOLDER_NAME})$", ln2.norm)
                if mt:
                    ctx.add(key, mt.group(1), [ctx.ev(ln2)], confidence=0.8)
                    break
            if ctx.has(key):
                break


def _supervisory_board(ctx: Ctx) -> None:
    pat = rx(ctx.lex["supervisory_board_abolished"])
    pages = ctx.m.chapter_pages("issuer_basic", "governance", "overview") or ctx.m.body_pages
    hit = ctx.first_sentence(pat, pages)
    if hit:
        sp, a, b = hit
        ctx.add("issuer.supervisory_board_abolished", True, [ctx.ev(sp.line_at(a), quote=sp.text[a:b])], confidence=0.85)
    elif (sup := ctx.first_sentence(rx(r"监事会由\d+名监事组成|监事会成员|(?:设|设立|设有)监事会"), pages)) is not None:
        sp, a, b = sup
        ctx.add("issuer.supervisory_board_abolished", False, [ctx.ev(sp.line_at(a), quote=sp.text[a:b])], confidence=0.75)
    else:
        ctx.missing("issuer.supervisory_board_abolished", "no statement on the supervisory board (监事会) found")


# An annual report's holdings-and-pay table (现任及报告期内离任董事、监事、高级管理人员和核心技术人员
# 持股变动及报酬情况) lists every officer once: 姓名, 职务 (wrapped over several lines in a PDF), 性别,
# 年龄 …. The groups are read from each row's 职务 cell; people who left during the period are listed
# too (they are parties of the report).
_AR_ROW = re.compile(rf"(?:^|\s)(?P<name>{PERSON}|[A-Z][A-Za-z-]+(?: [A-Z][A-Za-z-]+){{1,3}})\s+"
                     r"(?P<role>(?=董事|副董事|独立董事|职工|监事|总经理|副总|总裁|财务|核心|首席|总工|高级)(?:(?!薪酬|报酬|是否|持股|万元)[^男女\d()]){2,60}?)\s*(?:\(\S{0,6}离任\)\s*)?(?P<sex>男|女)\s+\d{2}\s")
_AR_GROUPS = {"directors": r"董事(?!会秘书)", "supervisors": r"监事", "senior_management":
              r"总经理|总裁|财务负责人|财务总监|董事会秘书|总工程师|首席", "core_technical_staff": r"核心技术人员"}


def _annual_report_officers(ctx: Ctx) -> None:
    if ctx.value("document.kind") != "annual_report":
        return
    from checker.facts.extractors.financials import html_rows

    m = ctx.m
    starts = [i for i, ln in enumerate(m.lines) if re.search(r"离任董事.{0,12}高级管理人员.{0,8}持股变动", ln.norm)]
    if not starts:
        return
    body = html_rows(m.lines[starts[0] + 1 : starts[0] + 160])
    flat: list[tuple[int, Line]] = []  # position in the joined text -> line
    text = ""
    for ln in body:
        if re.match(r"^(?:注|姓名\s*主要工作经历)", ln.norm):
            break  # the table ends at its notes or at the biographies
        flat.append((len(text), ln))
        text += re.sub(r"\s+", " ", unicodedata.normalize("NFKC", ln.raw)).strip() + " "
    got: dict[str, list[str]] = {k: [] for k in _AR_GROUPS}
    ev: dict[str, Line] = {}
    for mt in _AR_ROW.finditer(text):
        name, role = mt.group("name"), re.sub(r"\s+", "", mt.group("role"))
        if NOT_A_NAME.match(name) or not re.search("|".join(_AR_GROUPS.values()), role):
            continue
        at = flat[bisect.bisect_right([p for p, _ in flat], mt.start("name")) - 1][1]
        for key, pat in _AR_GROUPS.items():
            if re.search(pat, role) and name not in got[key]:
                got[key].append(name)
                ev.setdefault(key, at)
    for key, names in got.items():
        if names and not ctx.has(key):
            ctx.add(key, names, [ctx.ev(ev[key])], confidence=0.7)

