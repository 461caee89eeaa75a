"""Industry positioning: the issuer's main-business statement, the supported STAR field it claims,
restricted and prohibited signals, and the industry classification it prints.

Subject scope: a main-business sentence counts only when its subject is the issuer (never a
subsidiary's, a customer's or a peer's business: "子公司主要从事…", "客户A主要从事…").
"""

from __future__ import annotations

import bisect
import re

from checker.extract.clean import compact
from checker.facts.context import Ctx, rx
from checker.facts.extractors.sci_tech import block_pages
from checker.facts.registry import FactSpec

NAME = "industry"
READS = ("document",)  # extractors whose facts this one reads (checker/facts/run.py)
PRODUCES = [
    FactSpec("industry.main_business", "text", "the issuer's own main-business statement"),
    FactSpec("industry.restricted_signal", "bool", "the main business names a restricted field (fintech, model innovation)"),
    FactSpec("industry.prohibited_signal", "bool", "the main business mentions a prohibited field (real estate, finance)"),
    FactSpec("industry.prohibited_main_business", "bool", "the main business IS real estate / finance / investment"),
    FactSpec("industry.supported_field", "code", "the supported STAR field claimed (新一代信息技术 …), or none"),
    FactSpec("issuer.industry", "text", "the industry classification as printed (CSRC guideline / GB/T 4754)"),
]
MAX_SENTENCES = 12


def extract(ctx: Ctx) -> None:
    lex = ctx.lex
    m = ctx.m
    pages = m.chapter_pages("overview", "business_technology")
    _classification(ctx)
    chapters = [m.chapter("overview"), m.chapter("business_technology")]
    mdna = m.chapter("financial")
    if not pages and mdna is not None and rx(lex["annual_business_chapter"]).search(compact(mdna.title)):
        # an annual report: 主要业务 is stated under 管理层讨论与分析
        pages, chapters = m.chapter_pages("financial"), [mdna]
    if not pages:
        for path in [s.path for s in PRODUCES if s.path != "issuer.industry"]:
            ctx.missing(path, "neither the overview nor the business chapter was found")
        return
    mb, other = rx(lex["main_business"]), rx(lex["not_issuer"])
    own_name = compact(str(ctx.value("issuer.name") or ""))
    name_tail = rx(lex["company_name_tail"])
    sents = []
    for p in pages:
        sp = m.page_span(p)
        if not sp.holds(mb):
            continue
        for a, b in sp.sentences():
            s = sp.text[a:b]
            hit = mb.search(s)
            if (hit and len(s) <= 240 and "序号" not in s and not other.search(s[: hit.start() + 4])
                    and not _other_company(s, hit.start(), name_tail, own_name)):
                # the statement starts at its subject: table cells joined before it are not part of it
                sents.append((sp, a + hit.start(), b))
        if len(sents) >= MAX_SENTENCES:
            break
    # a sentence that names the main business (主营业务为 / 主要从事) before one that only describes the
    # issuer (是一家… / 专注于…), each group in document order
    strong = rx(lex["main_business_strong"])
    sents = sorted(sents[:MAX_SENTENCES], key=lambda h: not strong.search(h[0].text[h[1] : h[2]]))
    searched = ctx.searched(chapters, "main-business statements")

    def ev(hit):  # type: ignore[no-untyped-def]
        sp, a, b = hit
        return ctx.ev(sp.line_at(a), quote=sp.text[a:b])

    if sents:
        sp, a, b = sents[0]
        ctx.add("industry.main_business", sp.text[a:b].strip()[:240], [ev(sents[0])], confidence=0.75)
    else:
        ctx.missing("industry.main_business", "no sentence stating the issuer's main business (公司主要从事… / 公司是一家…) found")
    for path, key in (("industry.restricted_signal", "restricted"), ("industry.prohibited_signal", "prohibited_signal"),
                      ("industry.prohibited_main_business", "prohibited_explicit")):
        r = rx(lex[key])
        hits = [h for h in sents if r.search(h[0].text[h[1]:h[2]])]
        if hits:
            ctx.add(path, True, [ev(h) for h in hits[:3]], confidence=0.7)
        elif sents:
            ctx.add(path, False, [ev(h) for h in sents[:2]] + searched[:1], confidence=0.7)
        else:
            ctx.missing(path, "no main-business statement found to read")
    sf = rx(lex["supported_field"])
    block = block_pages(ctx)
    ticked = _ticked_field(ctx, block)
    if ticked is not None:
        name, line = ticked
        ctx.add("industry.supported_field", name.removesuffix("领域"), [ctx.ev(line)], confidence=0.85)
        return
    field_hit = None
    for pg in block + pages:
        sp = m.page_span(pg)
        found = sf.search(sp.text)
        if found:
            field_hit = (sp, found)
            break
    if field_hit:
        sp, mt = field_hit
        ctx.add("industry.supported_field", mt.group("f"), [ctx.ev_at(sp, mt.start(), mt.end(), before=30)], confidence=0.8)
    elif block:
        ctx.add("industry.supported_field", "none", ctx.searched_pages(block, "no supported field named in the board-positioning block"),
                confidence=0.6)
    else:
        ctx.missing("industry.supported_field", "the board-positioning (科创板定位) block was not found")


def _other_company(sentence: str, at: int, name_tail, own_name: str) -> bool:  # type: ignore[no-untyped-def]
    """Whether the subject word at ``at`` ends another company's name ("中铁…集团有限公司主要从事…",
    "福建…有限公司为一家…"): the issuer's own full name is no other company."""
    head = sentence[:at]
    if not name_tail.search(head):
        return False
    return not (own_name and compact(head + "公司").endswith(own_name))


def _ticked_field(ctx: Ctx, pages: list[int]):  # type: ignore[no-untyped-def]
    """(field, line) ticked in the board-positioning table's field list, else None.

    A field line is its box and the field's name alone. The ticked one carries a tick glyph; when the
    glyphs were lost, it is the only field printed without a box while the others have theirs."""
    lex = ctx.lex
    names = {compact(n): n for n in lex["field_names"]}
    tick, box = rx(lex["field_ticks"]), rx(lex["field_box"])
    ticked, boxless, boxed = [], [], 0
    for p in pages:
        for ln in ctx.m.page_lines(p):
            text = compact(ln.norm)
            mark = text[:1]
            name = names.get(text[1:] if (tick.match(mark) or box.match(mark)) else text)
            if name is None:
                continue
            if tick.match(mark):
                ticked.append((name, ln))
            elif box.match(mark):
                boxed += 1
            else:
                boxless.append((name, ln))
    if len(ticked) == 1:
        return ticked[0]
    if not ticked and len(boxless) == 1 and boxed >= 3:
        return boxless[0]
    return None


_CODE_AFTER = re.compile(r"^[”\"’']?[,，]?\s*(?:行业)?代码(?:为)?[:：]?\s*[“\"]?(?P<code>[A-S]\d{2})[”\"]?")


def _with_code(text: str, end: int, value: str) -> tuple[str, int]:
    """The classification with the code printed right after its name put before the class it names, as
    other filings print it ("属于“科学研究和技术服务业”中的“专业技术服务业”，行业代码“M74”":
    科学研究和技术服务业/M74专业技术服务业), and where the quote ends."""
    mt = _CODE_AFTER.match(text[end : end + 40])
    if mt is None or mt.group("code") in value:
        return value, end
    head, sep, last = value.rpartition("/")
    return f"{head}{sep}{mt.group('code')}{last}", end + mt.end()


def _classification(ctx: Ctx) -> None:
    lex = ctx.lex
    pat, table, plain = rx(lex["classification"]), rx(lex["classification_table"]), rx(lex["classification_plain"])
    dash = rx(lex["classification_dash"])
    import re

    for p in ctx.m.body_pages:
        sp = ctx.m.page_span(p)
        for k in re.finditer(r"行业分类|所属行业|所处行业", sp.text):
            stop = sp.text.find("。", k.end())
            end = min(k.end() + 200, stop + 1 if stop >= 0 else len(sp.text))
            mt = pat.search(sp.text, k.start(), end)
            if mt and re.search(r"业$|^[A-S]\d{0,2}", mt.group(1)) and not re.search(r"[()]|挂牌|情况", mt.group(1)):
                parts = [mt.group(1)] + ([mt.group(2)] if mt.group(2) else [])
                if len(parts) == 1:  # "―C制造业—C39…‖": a class and its sub-class in one pair of marks
                    parts = [x for x in dash.split(parts[0]) if x]
                val, stop_at = _with_code(sp.text, mt.end(), "/".join(parts))
                ctx.add("issuer.industry", val, [ctx.ev_at(sp, mt.start(), stop_at, before=80)], confidence=0.8)
                return
            mt = plain.match(sp.text, k.start(), end)
            if mt:
                val = (mt.group("p") + "/" if mt.group("p") else "") + mt.group("code") + mt.group("v")
                ctx.add("issuer.industry", val, [ctx.ev_at(sp, mt.start(), mt.end(), before=80)], confidence=0.75)
                return
            mt = table.match(sp.text, k.start())
            if mt:
                ctx.add("issuer.industry", f"{mt.group('code')}{mt.group('v')}", [ctx.ev_at(sp, mt.start(), mt.end(), before=0)],
                        confidence=0.75)
                return
            row = _table_row(sp, k.start(), k.end(), [rx(f) for f in lex["classification_row"]])
            if row:
                ctx.add("issuer.industry", row[0], [ctx.ev_at(sp, row[1], row[2], before=0)], confidence=0.7)
                return
    ctx.missing("issuer.industry", "no statement of the industry classification (所属行业/行业分类) was found")


def _table_row(sp, start: int, end: int, forms):  # type: ignore[no-untyped-def]
    """(value, start, end) of a basic-information table row whose label 行业分类 opens its line and whose
    value (the rest of the line, or the next lines) is one class as printed: "C35 专用设备制造业",
    "电子专用材料制造（分类代码：C3985）", "医药制造业"."""
    i = bisect.bisect_right(sp.starts, start) - 1
    if i < 0 or sp.starts[i] != start:
        return None
    line_end = sp.starts[i] + len(sp.lines[i].norm)
    a, stop = end, line_end
    if not sp.text[end:line_end].strip(" :"):
        if i + 1 >= len(sp.lines):
            return None
        a = sp.starts[i + 1]
        stop = a + len(sp.lines[i + 1].norm)
    for nxt in range(i + 2, min(i + 4, len(sp.lines)) + 1):
        cell = sp.text[a:stop].strip(" :")
        for f in forms:
            mt = f.fullmatch(cell)
            if mt:
                code = mt.groupdict().get("code") or ""
                return code + mt.group("v"), a, stop
        if nxt >= len(sp.lines):
            break
        stop = sp.starts[nxt] + len(sp.lines[nxt].norm)
    return None
