"""Chapters by title (Std 57, Std 41, English) and key headings with page ranges."""

from __future__ import annotations

from checker.extract.clean import clean_document
from checker.extract.document import Document, Page
from checker.extract.structure import analyse


def _doc(pages: list[list[str]]) -> Document:
    d = Document(path="x", sha256="0", source_format="text",
                 pages=[Page(number=i + 1, raw_lines=lines) for i, lines in enumerate(pages)])
    return clean_document(d)


def test_std57_numbering_and_spaced_titles():
    st = analyse(_doc([
        ["第一节 释 义", "本招股说明书中，除非另有所指，下列词语含义如下。"],
        ["第二节 概 览", "一、重大事项提示", "（三）重大风险提示", "公司存在下列风险。",
         "七、发行人选择的具体上市标准", "公司选择第 2.1.2 条第（一）款的上市标准。"],
        ["第三节 风险因素", "一、与发行人相关的风险"],
        ["第六节 财务会计信息与管理层分析", "一、财务报表"],
        ["第十一节 声 明", "发行人全体董事声明"],
    ]))
    assert st.chapters["definitions"].start_page == 1
    assert st.chapters["overview"].start_page == 2 and st.chapters["overview"].end_page == 2
    assert st.chapters["risk_factors"].start_page == 3
    assert st.chapters["financial"].start_page == 4
    assert st.chapters["declarations"].start_page == 5
    assert st.find("major_matters_notice").start_page == 2
    assert st.find("special_risk_notice") is not None
    ls = st.find("listing_standard")
    assert [ln.raw for ln in st.body(ls)] == ["公司选择第 2.1.2 条第（一）款的上市标准。"]


def test_std41_front_matter_notice_before_chapter_one():
    st = analyse(_doc([
        ["重大事项提示", "一、本公司特别提醒投资者注意“风险因素”中的下列特别风险", "（一）技术风险"],
        ["第一节 释义", "词语"],
        ["第四节 风险因素", "一、技术风险"],
        ["第八节 财务会计信息与管理层分析", "正文"],
    ]))
    mm = st.find("major_matters_notice")
    assert mm.start_page == 1 and mm.end_page == 1  # ends where 第一节 starts
    assert st.chapters["risk_factors"].start_page == 3
    assert st.chapters["financial"].start_page == 4


def test_english_sections():
    st = analyse(_doc([
        ["Section I Definitions", "In this prospectus the following terms have the meanings below"],
        ["Section II Overview", "VII. Listing Standard Selected by the Issuer",
         "The issuer selects the listing standard in Article 2.1.2 (1) of the STAR Market Listing Rules"],
        ["Section III Risk Factors", "I. Risks relating to the issuer"],
        ["Section VI Financial Information and Management Discussion and Analysis", "text"],
    ]))
    assert st.language == "en"
    assert st.chapters["definitions"].start_page == 1
    assert st.chapters["risk_factors"].start_page == 3
    assert st.chapters["financial"].start_page == 4
    assert st.find("listing_standard").start_page == 2


def test_chapter_title_glued_after_the_last_sentence_of_the_chapter_before():
    # cambricon annual report p.12: the PDF sets 第三节 on the text line that ends the chapter before
    st = analyse(_doc([
        ["第二节 公司简介和主要财务指标", "十三、因国家秘密、商业秘密等原因的信息暂缓、豁免情况说明",
         "公司根据有关规定，对豁免的信息履行了信息豁免披露内部登记及审批程序。 第三节 管理层讨论与分析",
         "一、报告期内公司所从事的主要业务、经营模式、行业情况说明"],
        ["第四节 公司治理", "一、公司治理相关情况说明"],
    ]))
    assert st.chapters["financial"].start_page == 1 and st.chapters["financial"].end_page == 1
    # a cross-reference in a sentence is not a chapter title
    st = analyse(_doc([["详见本招股说明书“第三节 风险因素”。", "正文"], ["公司详见。第三节 风险因素", "正文"]]))
    assert "risk_factors" in st.chapters and st.chapters["risk_factors"].start_page == 2


def _page(lines: list[str]) -> list[str]:
    # body text of a page laid out 20 characters wide (the width the structure reads from the page)
    return [f"本段正文第{i}行的文字内容排满整行宽度。" for i in range(10)] + lines


def test_a_title_that_fills_its_line_goes_on_in_the_short_line_below():
    st = analyse(_doc([
        ["第十一节 声明"] + _page(["一、发行人全体董事、审计委员会成员、高", "级管理人员声明", "本公司及全体董事承诺本招股说明书的内容真实。"]),
    ]))
    titles = [h.title for h in st.headings]
    assert "发行人全体董事、审计委员会成员、高级管理人员声明" in titles
    line = next(ln for ln in st.lines if ln.norm.startswith("一、发行人全体董事"))
    assert st.wrapped_text(line).endswith("高级管理人员声明")


def test_a_wrapped_cross_reference_is_no_title_and_a_sentence_end_is_no_unnumbered_title():
    st = analyse(_doc([
        ["第二节 概览"] + _page(["（一）公司是一家采用第五套上市标准的生物医药公", "司，多款药品处于研发阶段尚未盈利", "元。详见本招股说明书“第四节 发行人基本情况”之“十",
                                "二、董事、监事、高级管理人员与核心技术人员”之“（十）”。"]),
    ]))
    assert not any(h.title.startswith("董事、监事") for h in st.headings)  # “十 / 二、…: a reference
    notice = [h for h in st.headings if h.title.startswith("公司是一家")]
    assert notice and notice[0].title.endswith("尚未盈利")  # the title's second line is part of it
