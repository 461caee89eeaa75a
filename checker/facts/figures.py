"""The issuer's key figures as prose states them: "2023年…营业收入为X万元", "报告期各期…分别为A、B、C".

Shared by the financials extractor (corroboration, and figures the table leaves out) and the
consistency extractor (every sighting of a figure). Each amount is bound to its own period; only
fiscal years are kept, and only figures whose subject is the issuer itself count as the issuer's
(:func:`about_issuer`). Patterns and labels come from the financials lexicon.
"""

from __future__ import annotations

import bisect
import re
from decimal import Decimal
from functools import lru_cache

from checker.extract.numbers import parse_number
from checker.extract.structure import Span
from checker.facts.context import Ctx, rx
from checker.facts.model import QUOTE_MAX

AMOUNT = r"(-?\d{1,3}(?:,\d{3})+(?:\.\d+)?|-?\d+(?:\.\d+)?)(万元|亿元|元)"

UNITS = {"元": Decimal(1), "万元": Decimal(10_000), "亿元": Decimal(100_000_000)}
_PERIOD_TOKEN = re.compile(r"\d{4}年(?:度)?(?:\d{1,2}(?:-\d{1,2})?月(?:份)?(?:\d{1,2}日)?|末|上半年|下半年|半年度|第?[一二三四1-4]季度)?|上年同期|同期|上半年|报告期末|各期末")


def about_issuer(before: str, lex: dict) -> bool:
    """Whether a prose figure is the issuer's own consolidated figure: nothing in ``before`` (the words
    of its own sentence before the label it matched, :func:`subject_window`) narrows its subject."""
    if rx(lex["peer_source"]).search(before):
        return False
    return not rx(lex["not_issuer"]).search(before[-24:])


def subject_window(sp: Span, label_start: int, width: int = 60) -> str:
    """The text before a figure's label that can name its subject: at most ``width`` characters, never
    reaching back across a sentence end (。;!?) or a heading line."""
    a = max(0, label_start - width)
    for c in "。;!?":
        a = max(a, sp.text.rfind(c, a, label_start) + 1)
    i = bisect.bisect_right(sp.breaks, label_start)
    if i:
        a = max(a, min(sp.breaks[i - 1], label_start))
    return sp.text[a:label_start]


@lru_cache(maxsize=64)
def _mention_pattern(metric: str, label: str) -> re.Pattern[str]:
    """A key figure's statement in prose ("…实现营业收入X万元", "营业收入分别为X、Y和Z万元")."""
    prefix = (r"(?<!扣除非经常性损益后)(?<!扣除非经常性损益后的)(?<!扣非后)(?<!扣非后的)"
              if metric in ("net_profit_parent", "net_profit") else "")
    verb = r"(?:分别)?(?:为|达到|达|实现|金额为|金额分别为|金额合计为)"
    return re.compile(r"(?:(?:分别)?实现(?:的)?" + prefix + r"(?P<lab>" + label + r")(?:分别为|为)?|"
                      + prefix + r"(?P<lab2>" + label + r")" + verb + r")"
                      r"(?P<amts>(?:" + AMOUNT + r"[、,和及与]{0,2}){1,5})")


def figure_mentions(ctx: Ctx, pages: list[int] | None = None, lex: dict | None = None) -> list[dict]:
    """Prose statements of a key figure for a fiscal year: {metric, year, value, page, quote, issuer}.

    "2023年…营业收入为X万元", "2021年、2022年和2023年…营业收入分别为X万元、Y万元和Z万元" and "…分别实现
    营业收入X万元、…" are read; each amount takes its own period, and only fiscal years are kept
    (partial periods, quarters, ranges, forecasts and comparison bases are not fiscal-year figures).
    "报告期各期…分别为A、B、C" series come back with year None, bound later (:func:`bind_series`); so does
    a series of the same length in the very next sentence, with no period of its own ("报告期内，归母净利润
    分别为A、B、C。扣除非经常性损益后…分别为D、E、F").
    """
    from checker.facts.context import lexicon

    lex = lex or lexicon("financials")
    out: list[dict] = []
    order = {metric: i for i, metric in enumerate(lex["mention_labels"])}
    statements = [(metric, _mention_pattern(metric, label)) for metric, label in lex["mention_labels"].items()]
    for p in pages if pages is not None else ctx.m.body_pages:
        sp = ctx.m.page_span(p)
        text = sp.text
        found: list[tuple[int, str, re.Match[str]]] = []
        for metric, pat in statements:
            if sp.may_hold(pat):  # a page without the statement's label is not scanned (extract/literals.py)
                found += [(m.start(), metric, m) for m in pat.finditer(text)]
        page_out: list[dict] = []
        prev_series: tuple[int, int] | None = None  # (end, length) of the last series read on the page
        for _, metric, m in sorted(found, key=lambda t: (t[0], order[t[1]])):
            if metric == "revenue" and text[max(0, m.start() - 1) : m.start()] == "占":
                continue
            amounts = re.findall(AMOUNT, m.group("amts"))
            if re.match(r"\s*(?:至|到|~|-\d)", text[m.end() : m.end() + 3]):
                continue  # "X万元至Y万元": a range is an estimate, not a reported figure
            before = text[max(0, m.start() - 200) : m.start()]
            sentence = re.split(r"[。;；]", before)[-1]
            clause = sentence[-100:]  # the figure's own sentence
            clause = re.sub(r"(\d{4})(?=[、,，和及与]\s*\d{4})", r"\1年", clause)  # "2016、2017和2018年度"
            if re.search(r"预计|预测|预期|估计|forecast|expect", sentence, re.I):
                continue  # a forecast anywhere in the sentence
            # a year after 较 / 相较 / 比 is the comparison base, not the figure's period
            periods = _period_run(re.sub(r"(?:相较|相比|较|比|同比|对比)(?:于)?\d{4}年(?:度)?", "", clause))
            quote = text[max(0, m.start() - 60) : m.end()][:QUOTE_MAX]
            lab_start = m.start("lab") if m.group("lab") is not None else m.start("lab2")
            issuer = about_issuer(subject_window(sp, lab_start), lex)
            # "报告期内，A分别为…。B分别为…": the next sentence's series of the same length, with no
            # period of its own, continues the reporting-period series
            follows = (prev_series is not None and prev_series[1] == len(amounts) and m.start() >= prev_series[0]
                       and re.fullmatch(r"[^。;]{0,4}[。;][^。;\d]{0,12}", text[prev_series[0] : m.start()]) is not None)
            if not periods and len(amounts) >= 2 and (rx(lex["series_lead"]).search(clause) or follows):
                prev_series = (m.end(), len(amounts))
                for i, (num, unit) in enumerate(amounts):
                    v = parse_number(num)
                    if v is not None:
                        page_out.append({"metric": metric, "year": None, "series_index": i, "series_len": len(amounts),
                                         "value": v * UNITS[unit], "page": p, "quote": quote, "issuer": issuer})
                continue
            if len(periods) != len(amounts):
                continue  # each amount must have its own period: anything else is ambiguous
            for tok, (num, unit) in zip(periods, amounts):
                if not re.fullmatch(r"\d{4}年(?:度)?", tok):
                    continue
                v = parse_number(num)
                if v is not None:
                    page_out.append({"metric": metric, "year": int(tok[:4]), "value": v * UNITS[unit], "page": p,
                                     "quote": quote, "issuer": issuer})
        out += sorted(page_out, key=lambda x: order[x["metric"]])  # stable: each metric's in page order
    return out


_PERCENTS = r"(?P<pcts>(?:\d{1,3}(?:\.\d{1,2})?%[、,，和及与]{0,2}){1,5})"


def ratio_mentions(ctx: Ctx, pages: list[int]) -> list[dict]:
    """Prose statements of the R&D ratio (研发投入 / 研发费用 占营业收入的比例) for fiscal years, as
    :func:`figure_mentions` gives money figures: "2018年度公司发生研发费用2,834.28万元，占当年营业收入的
    比例为14.30%", "报告期内，公司研发费用分别为A、B、C和D，分别占当年营业收入的19.99%、10.13%、14.30%
    和30.84%" (a series, bound later), "研发投入占营业收入的比例分别为X%、Y%和Z%". Each percentage takes
    its own period, read before the label; the subject is checked as for money figures."""
    from checker.facts.context import lexicon

    lex = lexicon("financials")
    pat = re.compile(r"(?P<lab>研发(?:投入|费用|支出)(?:金额|总额|合计)?)(?:[^。;%占]{0,80}?[,，])?\s*"
                     r"(?:分别)?(?:占|占当年|占当期|占同期)(?:当年|当期|同期)?营业(?:总)?收入(?:的)?(?:比例|比重)?"
                     r"(?:分别)?(?:为|达到|达)?" + _PERCENTS)
    out: list[dict] = []
    wanted = set(pages)
    runs: list[list] = []  # the lines of each run of consecutive pages: a sentence may cross a page break
    for ln in ctx.m.lines:
        if ln.page not in wanted:
            continue
        if runs and runs[-1][-1].page in (ln.page, ln.page - 1):
            runs[-1].append(ln)
        else:
            runs.append([ln])
    for run in runs:
        sp = ctx.m.span(run)
        text = sp.text
        for m in pat.finditer(text):
            p = sp.line_at(m.start("lab")).page
            sentence = re.split(r"[。;；]", text[max(0, m.start() - 200) : m.start()])[-1]
            if re.search(r"预计|预测|预期|估计|平均|可比|同行业", sentence[-40:] + text[m.start() : m.end()]):
                continue
            pcts = re.findall(r"(\d{1,3}(?:\.\d{1,2})?)%", m.group("pcts"))
            clause = re.sub(r"(\d{4})(?=[、,，和及与]\s*\d{4})", r"\1年", sentence[-100:])
            periods = _period_run(re.sub(r"(?:相较|相比|较|比|同比|对比)(?:于)?\d{4}年(?:度)?", "", clause))
            quote = (sentence[-60:] + text[m.start() : m.end()])[-QUOTE_MAX:]
            issuer = about_issuer(subject_window(sp, m.start("lab")), lex)
            # "报告期各期，公司研发费用…": the lead right before the label makes it the period's series,
            # whatever periods a table glued before the sentence prints
            lead = rx(lex["series_lead"]).search(clause)
            if len(pcts) >= 2 and lead:
                # the subject is what the lead covers: the text a table glued before it is not read
                issuer = about_issuer(clause[lead.start() :], lex)
                quote = (clause[lead.start() :] + text[m.start() : m.end()])[:QUOTE_MAX]
                for i, v in enumerate(pcts):
                    out.append({"metric": "rd_ratio_percent", "year": None, "series_index": i, "series_len": len(pcts),
                                "value": Decimal(v), "page": p, "quote": quote, "issuer": issuer})
                continue
            if len(periods) != len(pcts):
                continue
            for tok, v in zip(periods, pcts):
                if re.fullmatch(r"\d{4}年(?:度)?", tok):
                    out.append({"metric": "rd_ratio_percent", "year": int(tok[:4]), "value": Decimal(v), "page": p,
                                "quote": quote, "issuer": issuer})
    return out


def prose_pages(ctx: Ctx) -> list[int]:
    m = ctx.m
    pages: set[int] = set()
    for sec in (m.chapter("overview"), m.find("key_financials"), m.find("listing_standard"), m.chapter("financial")):
        if sec is not None:
            pages.update(sec.pages)
    return sorted(pages)


def prose_mentions(ctx: Ctx) -> list[dict]:
    """The issuer's figures stated in prose (overview, key-data and listing-standard sections,
    financial chapter), series bound to the reporting period's years."""
    mentions = [x for x in figure_mentions(ctx, prose_pages(ctx)) if x["issuer"]]
    bind_series(ctx, mentions)
    # the R&D ratio is stated in the risk factors too ("研发投入…占当年营业收入的…"), about the issuer
    ratio_pages = sorted(set(prose_pages(ctx)) | set(ctx.m.chapter_pages("risk_factors")))
    ratios = [x for x in ratio_mentions(ctx, ratio_pages) if x["issuer"]]
    bind_series(ctx, ratios + [x for x in mentions if x["metric"] == "revenue"])
    return mentions + ratios


def fiscal_years(ctx: Ctx, mentions: list[dict]) -> list[int]:
    """The reporting period's fiscal years: the key-data table's, else the consecutive years the
    prose states revenue for."""
    table = sorted(int(y) for y in ctx.value("financials.table_years") or [])
    # revenue years the prose states, and those already established (the audited statements)
    years = sorted({x["year"] for x in mentions if x["metric"] == "revenue" and x["year"] is not None}
                   | {int(y) for y in ctx.fs.years("financials.revenue")})
    prose = years[-3:] if len(years) >= 2 and years == list(range(years[0], years[-1] + 1)) else []
    # A table may drop an empty column (an export that lost it): the prose's longer run, ending in the
    # same latest year, is the reporting period.
    if prose and (not table or (prose[-1] == table[-1] and len(prose) > len(table))):
        return prose
    return table


def _period_run(clause: str) -> list[str]:
    """The periods of the figure's own list: the last run of period expressions joined only by
    list separators (、和及与) or a range ("2022年至2024年度" = 2022, 2023, 2024). A date or a period
    earlier in the sentence ("截至2025年3月31日，…") is not part of it."""
    toks = list(_PERIOD_TOKEN.finditer(clause))
    if not toks:
        return []
    run = [toks[-1]]
    for prev in reversed(toks[:-1]):
        gap = clause[prev.end() : run[0].start()]
        if not re.fullmatch(r"\s*(?:[、,，和及与]|至|-|–|~|到)\s*", gap):
            break
        run.insert(0, prev)
    out: list[str] = []
    for i, t in enumerate(run):
        gap = clause[run[i - 1].end() : t.start()] if i else ""
        if i and re.fullmatch(r"\s*(?:至|-|–|~|到)\s*", gap) and re.fullmatch(r"\d{4}年(?:度)?", t.group(0)) \
                and re.fullmatch(r"\d{4}年(?:度)?", out[-1]):
            a, b = int(out[-1][:4]), int(t.group(0)[:4])
            out += [f"{y}年" for y in range(a + 1, b + 1)] if 0 < b - a <= 5 else [t.group(0)]
        else:
            out.append(t.group(0))
    return out


def bind_series(ctx: Ctx, mentions: list[dict], *, partial: bool | None = None) -> None:
    """Give "报告期各期…分别为A、B、C" series their fiscal years (ascending); a series one longer than
    the years ends with the partial period, which is not a fiscal year."""
    years = fiscal_years(ctx, mentions)
    if partial is None:
        partial = ctx.value("financials.partial_period") is not None
    for x in mentions:
        if x["year"] is not None or not years:
            continue
        n = x["series_len"]
        if n == len(years) or (n == len(years) + 1 and partial):
            if x["series_index"] < len(years):
                x["year"] = years[x["series_index"]]


def close_enough(a: Decimal, b: Decimal, quote: str) -> bool:
    """Two sightings of a figure agree within the precision the prose prints (0.01万元 -> 100 yuan)."""
    tol = Decimal(100) if "万元" in quote else (Decimal(1_000_000) if "亿元" in quote else Decimal("0.01"))
    return abs(a - b) <= tol
