"""Headers, footers, page labels and TOC lines are kept out of body text."""

from __future__ import annotations

from checker.extract.clean import clean_document, is_toc_line, norm, page_label_of
from checker.extract.document import Document, Page


def _doc(pages: list[list[str]]) -> Document:
    return Document(path="x", sha256="0", source_format="text",
                    pages=[Page(number=i + 1, raw_lines=lines) for i, lines in enumerate(pages)])


def test_repeated_header_footer_and_labels():
    topics = ["研发投入", "核心技术", "主要客户", "供应商", "募集资金", "公司治理", "关联交易",
              "税收优惠", "诉讼仲裁", "员工情况", "股本演变", "对外担保"]
    pages = []
    for i, topic in enumerate(topics, start=1):
        pages.append(["某某科技股份有限公司 首次公开发行股票并在科创板上市招股说明书", f"1-1-{i + 2}",
                      f"关于{topic}的说明如下。", f"{topic}情况详见本节。", f"第 {i} 页"])
    doc = clean_document(_doc(pages))
    for i, (p, topic) in enumerate(zip(doc.pages, topics), start=1):
        assert p.lines == [f"关于{topic}的说明如下。", f"{topic}情况详见本节。"]
        assert p.label == f"1-1-{i + 2}"
        assert p.header[0].startswith("某某科技")
        assert p.raw_lines[0].startswith("某某科技")  # raw text kept for evidence


def test_toc_page_flagged_and_lines_removed():
    toc = ["目 录", "第一节 释义 ........................ 14", "第二节 概览 ……………… 19",
           "一、发行人基本情况..............................20", "第三节 风险因素 ···························· 30"]
    body = ["第一节 释义", "本招股说明书中，除非文义另有所指，下列词语具有如下含义："]
    doc = clean_document(_doc([toc, body, ["正文"], ["更多正文"]]))
    assert doc.pages[0].is_toc
    assert doc.pages[0].lines == []
    assert not doc.pages[1].is_toc
    assert doc.pages[1].lines == body


def test_toc_page_without_title_is_judged_by_share_of_entries():
    entries = ["第一节 释义 ........................ 4", "第二节 公司简介 ........................ 8",
               "第三节 管理层讨论与分析 ........................ 12", "第四节 公司治理 ........................ 40"]
    # A TOC page without 目录 (its title lost): the entries are most of it.
    doc = clean_document(_doc([entries + ["备查文件目录"], ["正文"], ["更多正文"]]))
    assert doc.pages[0].is_toc
    # A text export without page breaks holds the whole report, TOC included, on one page: the page is
    # not a table of contents; only its TOC entries are dropped (kingsoft annual report, OCR Markdown).
    body = [f"第{i}段正文，公司主营业务情况说明。" for i in range(200)]
    doc = clean_document(_doc([["公司代码：688111", "公司简称：金山办公"] + entries + body]))
    assert not doc.pages[0].is_toc
    assert doc.pages[0].lines == ["公司代码：688111", "公司简称：金山办公"] + body


def test_single_toc_line_glued_in_jsonl_style():
    line = "第一节释义......................14第二节概览.......................19一、发行人及本次发行的中介机构基本情况........19"
    assert is_toc_line(line)
    assert not is_toc_line("公司营业收入为 1,234.56 万元。")


def test_page_label_forms():
    assert page_label_of("1-1-35") == "1-1-35"
    assert page_label_of(" 35 ") == "35"
    assert page_label_of("- 35 -") == "35"
    assert page_label_of("第 35 页") == "35"
    assert page_label_of("6 / 219") == "6"
    assert page_label_of("2023年度") is None


def test_norm_letter_spacing_and_fullwidth():
    assert norm("释 义") == "释义"
    assert norm("第 2.1.2 条第（一）款") == "第2.1.2条第(一)款"
    assert norm("人民币 10 亿元") == "人民币10亿元"
    assert norm("Section III  Risk Factors") == "Section III Risk Factors"


def test_overprinted_fake_bold_is_read_once():
    from checker.extract.clean import collapse_overprint

    assert collapse_overprint("招招招招股股股股意意意意向向向向书书书书签签签签署署署署日日日日期期期期：：：： 2010 年 1 月 25 日") \
        == "招股意向书签署日期： 2010 年 1 月 25 日"
    assert collapse_overprint("第第第一一一节节节 概概概览览览") == "第一节 概览"
    # real text doubles a character now and then, and numbers repeat digits: left alone
    for text in ("人人都说常常如此", "营业收入 1,100.22 万元", "AABBCCDD", "2011年1月11日"):
        assert collapse_overprint(text) == text


def test_overprinted_cover_label_gives_the_signing_date(tmp_path):
    # nonstar-zhongheng p.3 (中恒电气 招股意向书): the fake-bold cover label as the export prints it
    from checker.extract.loader import load_document
    from checker.facts.run import extract_document

    f = tmp_path / "cover.txt"
    f.write_text("杭州中恒电气股份有限公司\n首次公开发行股票招股意向书\n"
                 "招招招招股股股股意意意意向向向向书书书书签签签签署署署署日日日日期期期期：：：： 2010 年 1 月 25 日\n", encoding="utf-8")
    fs = extract_document(load_document(f))
    assert fs.value("document.date") == "2010-01-25"
    assert "招股意向书签署日期" in fs.get("document.date").evidence[0].quote


def test_toc_entries_wrapped_by_the_export_are_toc_lines():
    # a title on one line, its leader dots (and page number) on the next ones
    page = []
    for n, title in enumerate(["五、发行人股权结构", "六、发行人控股子公司、参股公司", "七、持有发行人5%以上股份的主要股东", "八、特别表决权股份"]):
        page += [title, "." * 60, str(50 + n)]
    doc = clean_document(_doc([page, ["正文"], ["更多正文"]]))
    assert doc.pages[0].is_toc
    assert is_toc_line("......................................................")
    assert is_toc_line("................... 36")
    assert not is_toc_line("公司营业收入为 1,234.56 万元……")


def test_norm_is_idempotent_so_the_model_never_normalises_a_line_twice():
    """The document model builds a line's compact and title forms straight from its norm
    (compact_norm): sound because norm is idempotent and compact(norm(x)) only drops whitespace."""
    from checker.extract.clean import compact, compact_norm, norm

    samples = ["第 一 节  释义", "ＡＢＣ　公司\u200b 2024 年", "  (一) 发行人 基本情况  ", "Section  IV. Risk   Factors",
               "营业收入 1,234.56 万元 ；", "①② ﬁ \u00ad软\u00ad连字符", "\t全角　空格\u3000与 tab\t"]
    for raw in samples:
        n = norm(raw)
        assert norm(n) == n and norm(n.strip()) == n.strip()
        assert compact(n) == compact_norm(n) == compact(raw)


def test_compact_drops_exactly_what_the_whitespace_pattern_drops():
    """compact/compact_norm split on str.isspace; the pattern \\s of the earlier code is the same set."""
    import random
    import re

    from checker.extract.clean import compact_norm

    spaces = [chr(c) for c in range(0x110000) if re.fullmatch(r"\s", chr(c))]
    assert spaces == [chr(c) for c in range(0x110000) if chr(c).isspace()]
    rnd = random.Random(11)
    for _ in range(20000):
        s = "".join(rnd.choice(spaces + list("ab中。1")) for _ in range(rnd.randint(0, 10)))
        assert compact_norm(s) == re.sub(r"\s+", "", s)
