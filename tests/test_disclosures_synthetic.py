"""disclosure_facts on small synthetic prospectuses modelled on real STAR layouts (Std 57, Std 41)."""

from __future__ import annotations

from checker.extract.document import Document, Page
from checker.extract.structure import analyse
from tests.factlib import disclosure_facts, missing_disclosures

STD57_COVER = [
    "示例科技股份有限公司",
    "首次公开发行股票并在科创板上市招股说明书（申报稿）",
    "本公司的发行申请尚需经上海证券交易所和中国证监会履行相应程序。本招股说明书（申报稿）不具有据以发行股票的法律效力，",
    "仅供预先披露之用。投资者应当以正式公告的招股说明书全文作为投资决定的依据。",
    "本次股票发行后拟在科创板市场上市，该市场具有较高的投资风险。科创",
    "板公司具有研发投入大、经营风险高、业绩不稳定、退市风险高等特点，投资者面临较大的市场风险。",
    "保荐人（主承销商）",
    "示例证券股份有限公司",
]
TOC = [
    "目 录",
    "第一节 释 义 .............................................. 1-1-11",
    "第十一节 声 明 ………………………………………… 1-1-447",
    "第三节 风险因素 ·········· 37",
]


def _doc(pages: list[list[str]], toc: tuple[int, ...] = ()) -> Document:
    return Document(
        path="synthetic.txt",
        sha256="0" * 64,
        source_format="text",
        pages=[
            Page(number=i + 1, raw_lines=lines, lines=lines, label=f"1-1-{i}", is_toc=(i + 1) in toc)
            for i, lines in enumerate(pages)
        ],
    )


def _std57(*, wvr: bool, declarations: list[str] | None = None, cover=STD57_COVER) -> Document:
    decl = (
        declarations
        if declarations is not None
        else [
            "一、发行人全体董事、监事、高级管理人员声明",
            "二、发行人控股股东、实际控制人声明",
            "三、保荐人（主承销商）声明",
            "四、发行人律师声明",
            "五、会计师事务所声明",
            "六、资产评估机构声明",
            "七、验资复核机构声明",
        ]
    )
    wvr_overview = (
        [
            "八、发行人公司治理特殊安排等重要事项",
            "公司设置了特别表决权股份，特别表决权股份由实际控制人张三持有，每份A类股份拥有的表决权数量为每份B类股份拥有的表决权的5倍。",
        ]
        if wvr
        else [
            "八、发行人公司治理特殊安排等重要事项",
            "截至本招股说明书签署之日，公司不存在有关公司治理特殊安排的重要事项。",
        ]
    )
    wvr_risk = (
        [
            "（五）特别表决权股份或类似公司治理特殊安排的风险",
            "实际控制人张三持有全部A类股份，能够对公司决策形成控制。",
        ]
        if wvr
        else []
    )
    wvr_gov = (
        [
            "二、特别表决权股份的安排",
            "2020年1月，公司股东大会审议通过了特别表决权安排，A类股份由张三持有，每份A类股份拥有5票表决权。",
        ]
        if wvr
        else ["二、公司特别表决权股份或类似安排的情况", "公司不存在特别表决权股份或类似安排的情况。"]
    )
    return _doc(
        [
            cover,
            ["致 投 资 者 的 声 明", "一、发行人上市的目的"],
            [
                "重要声明",
                "中国证监会、交易所对本次发行所作的任何决定或意见，均不表明其对注册申请文件及所披露信息的真实性作出保证。",
                "本次发行概况",
                "招股说明书签署日期 2024年12月30日",
            ],
            TOC,
            ["第一节 释 义", "本公司、公司、发行人 指 示例科技股份有限公司"],
            ["第二节 概 览", "一、重大事项提示"] + wvr_overview,
            ["第三节 风险因素", "一、与发行人相关的风险", "（一）技术迭代风险"] + wvr_risk,
            ["第四节 发行人基本情况", "一、发行人基本信息"],
            ["第五节 业务与技术"],
            ["第六节 财务会计信息与管理层分析"],
            ["第七节 募集资金运用与未来发展规划"],
            ["第八节 公司治理与独立性"] + wvr_gov,
            ["第九节 投资者保护"],
            ["第十节 其他重要事项"],
            ["第十一节 声 明"] + decl[:2],
            decl[2:],
            ["第十二节 附 件", "一、发行保荐书"],
        ],
        toc=(4,),
    )


def _facts(doc: Document) -> dict:
    return {f.path: f for f in disclosure_facts(doc)}


def test_std57_layout_chapters_and_toc_skipped():
    doc = _std57(wvr=False)
    chapters = analyse(doc).chapters
    assert chapters["definitions"].start_page == 5  # not the TOC line on page 4
    assert chapters["declarations"].start_page == 15 and chapters["declarations"].end_page == 16
    f = _facts(doc)
    assert f["document.layout"].value == "std57"
    assert f["document.layout"].evidence[0].quote == "致 投 资 者 的 声 明"
    assert f["document.date"].value == "2024-12-30"
    for key in (
        "definitions",
        "overview",
        "risk_factors",
        "declarations",
        "appendices",
        "investor_protection",
    ):
        assert f[f"disclosure.chapter_{key}"].value is True, key
    assert f["disclosure.chapter_offering"].value is False  # Std 57 has none: searched, not found
    assert f["disclosure.chapter_offering"].evidence[0].note.startswith("chapter headings of pp. 1-17 searched")


def test_cover_notice_and_predisclosure_legend_span_lines():
    f = _facts(_std57(wvr=False))
    assert f["disclosure.cover_star_risk_notice"].value is True
    assert "该市场具有较高的投资风险" in f["disclosure.cover_star_risk_notice"].evidence[0].quote
    assert f["disclosure.predisclosure_legend"].value is True
    assert f["disclosure.predisclosure_legend"].evidence[0].page == 1


def test_partial_legend_is_missing_not_false():
    cover = [
        ln.replace("仅供预先披露之用", "仅供参考").replace("不具有据以发行股票的法律效力", "")
        for ln in STD57_COVER
    ]
    doc = _std57(wvr=False, cover=cover)
    assert "disclosure.predisclosure_legend" not in _facts(doc)
    assert "only part of the legend" in missing_disclosures(doc)["disclosure.predisclosure_legend"]


def test_no_legend_on_final_prospectus_is_false():
    cover = [ln for ln in STD57_COVER if "预先披露" not in ln and "履行相应程序" not in ln]
    f = _facts(_std57(wvr=False, cover=cover))
    assert f["disclosure.predisclosure_legend"].value is False


def test_garbled_cover_goes_to_review():
    # Real extraction noise (天宜上佳 p. 1): two overlapping text layers interleave characters.
    garbled = [
        "本次本股次票股发票行发后行拟后在拟科在创创板业市板场市上场市上，市该，市该场市具场有具较有高较的高投的资投风资险风。"
    ]
    doc = _std57(wvr=False, cover=garbled + STD57_COVER[-2:])
    assert "disclosure.cover_star_risk_notice" not in _facts(doc)
    assert "garbled" in missing_disclosures(doc)["disclosure.cover_star_risk_notice"]


def test_declarations_all_kinds_and_capital_verifier_not_taken_as_auditor():
    f = _facts(_std57(wvr=False))
    for kind in (
        "issuer",
        "directors",
        "controlling_shareholder",
        "sponsor",
        "law_firm",
        "auditor",
        "appraiser",
        "capital_verifier",
    ):
        assert f[f"disclosure.declaration_{kind}"].value is True, kind
    assert f["disclosure.declaration_capital_verifier"].evidence[0].quote == "七、验资复核机构声明"
    # Std 57: the issuer declares with its directors in the declarations chapter
    assert f["disclosure.declaration_issuer"].evidence[0].quote == "一、发行人全体董事、监事、高级管理人员声明"

    f = _facts(
        _std57(
            wvr=False,
            declarations=[
                "一、全体董事、监事、高级管理人员声明",
                "二、承担验资业务的会计师事务所声明",
                "三、保荐机构（主承销商）声明",
            ],
        )
    )
    assert f["disclosure.declaration_capital_verifier"].value is True
    assert f["disclosure.declaration_auditor"].value is False  # searched the chapter: absent
    ev = f["disclosure.declaration_auditor"].evidence[0]
    assert ev.page == 15 and "pp. 15-16" in ev.note


def test_declarations_chapter_not_found_is_missing():
    doc = _std57(wvr=False)
    doc.pages[14].lines = doc.pages[14].raw_lines = [
        "发行人全体董事、监事、高级管理人员声明"
    ]  # no chapter title
    f, miss = _facts(doc), missing_disclosures(doc)
    assert "disclosure.declaration_sponsor" not in f
    assert "declarations chapter" in miss["disclosure.declaration_sponsor"]
    assert f["disclosure.chapter_declarations"].value is False


def test_issuer_without_wvr():
    f = _facts(_std57(wvr=False))
    assert f["issuer.has_wvr"].value is False
    assert "不存在" in f["issuer.has_wvr"].evidence[0].quote
    assert f["disclosure.wvr_risk"].value is False
    assert f["issuer.is_red_chip"].value is False
    assert f["issuer.is_red_chip"].evidence[0].quote == "本公司、公司、发行人 指 示例科技股份有限公司"


def test_issuer_with_wvr():
    doc = _std57(wvr=True)
    f = _facts(doc)
    assert f["issuer.has_wvr"].value is True
    assert f["disclosure.wvr_risk"].value is True
    assert f["disclosure.wvr_risk"].evidence[0].quote == "（五）特别表决权股份或类似公司治理特殊安排的风险"
    assert f["disclosure.wvr_arrangement"].value is True
    assert f["disclosure.wvr_notice"].value is True
    assert f["issuer.wvr_votes_per_share"].value == 5


def _std41_red_chip_vie() -> Document:
    return _doc(
        [
            [
                "本次股票发行后拟在科创板上市，该市场具有较高的投资风险。",
                "Ninebot Limited 九号有限公司",
                "保荐机构（主承销商）",
            ],
            ["声明", "发行人及全体董事承诺招股意向书不存在虚假记载。"],
            ["第一节 释义", "发行人、公司、九号公司 指 Ninebot Limited"],
            ["第二节 概览"],
            ["第三节 本次发行概况"],
            [
                "第四节 风险因素",
                "四、与协议控制架构相关的风险",
                "公司通过协议控制架构控制境内运营实体，若相关协议无法执行，将对公司经营产生不利影响。",
            ],
            [
                "第五节 发行人基本情况",
                "公司系一家注册于开曼群岛的红筹企业，通过VIE协议控制境内运营实体鼎力联合。",
                "公司已就投资者权益保护作出安排，投资者权益保护水平总体上不低于境内法律、行政法规及中国证监会的要求。",
            ],
            ["第六节 业务与技术"],
            ["第七节 公司治理与独立性"],
            ["第八节 财务会计信息与管理层分析"],
            ["第九节 募集资金运用与未来发展规划"],
            ["第十节 投资者保护"],
            ["第十一节 其他重要事项"],
            ["第十二节 有关声明", "一、发行人全体董事、监事、高级管理人员声明"],
            ["第十三节 附件"],
        ]
    )


def test_red_chip_with_vie_std41():
    f = _facts(_std41_red_chip_vie())
    assert f["document.layout"].value == "std41"
    assert f["disclosure.chapter_offering"].value is True
    assert f["issuer.is_red_chip"].value is True
    assert "开曼群岛" in f["issuer.is_red_chip"].evidence[0].quote
    assert f["issuer.has_vie"].value is True
    assert f["disclosure.vie_arrangement"].value is True
    assert f["disclosure.vie_risk"].value is True
    assert f["disclosure.redchip_investor_protection"].value is True
    assert f["disclosure.declaration_sponsor"].value is False
    assert f["disclosure.declaration_issuer"].value is True


def test_hypothetical_sentence_is_not_an_arrangement():
    doc = _std57(wvr=False)
    doc.pages[11].lines = doc.pages[11].raw_lines = [
        "第八节 公司治理与独立性",
        "保荐机构核查了发行人是否设置特别表决权股份及其持有人情况。",
    ]
    f = _facts(doc)
    assert f["issuer.has_wvr"].value is False  # the overview's denial still stands


def test_english_prospectus():
    doc = _doc(
        [
            ["The shares are to be listed on the STAR Market, a market with high investment risk."],
            ["Important Notice", "The CSRC makes no guarantee ..."],
            ["Section I Definitions"],
            ["Section II Overview"],
            ["Section III Risk Factors"],
            ["Section IV Basic Information about the Issuer"],
            ["Section V Business and Technology"],
            [
                "Section XI Declarations",
                "Declaration of the Sponsor",
                "Declaration of the Issuer's Law Firm",
                "Declaration of the Auditor",
                "Declaration of All Directors, Supervisors and Senior Management",
            ],
            ["Section XII Appendices"],
        ]
    )
    f = _facts(doc)
    assert f["disclosure.chapter_risk_factors"].value is True
    assert f["disclosure.declaration_sponsor"].value is True
    assert f["disclosure.declaration_law_firm"].value is True
    assert f["disclosure.declaration_auditor"].value is True
    assert f["disclosure.declaration_directors"].value is True
    assert f["disclosure.declaration_appraiser"].value is False
    assert f["disclosure.declaration_issuer"].value is True
    assert f["disclosure.cover_star_risk_notice"].value is True
    assert f["document.layout"].value == "std57"  # risk factors is Section III


def test_unrecognised_structure_leaves_chapters_missing():
    doc = _doc([["年度报告", "第一节 重要提示"], ["第二节 公司简介和主要财务指标"]])
    miss = missing_disclosures(doc)
    assert "disclosure.chapter_risk_factors" in miss
    assert "disclosure.declaration_sponsor" in miss
    assert "document.layout" in miss
    assert not any(f.path.startswith("disclosure.chapter_") for f in disclosure_facts(doc))


def test_ucloud_style_wording():
    # Wording modelled on the first STAR WVR issuer (A-class shares, 5 votes each).
    doc = _std57(wvr=False)
    doc.pages[11].lines = doc.pages[11].raw_lines = [
        "第八节 公司治理与独立性",
        "二、特别表决权安排",
        "2019年3月17日，公司2019年第一次临时股东大会通过特别表决权设置安排。季昕华、莫显峰及华琨持有的A类股份"
        "每股拥有的表决权数量为其他股东（包括本次公开发行对象）所持有的B类股份每股拥有的表决权的5倍。",
    ]
    f = _facts(doc)
    assert f["issuer.has_wvr"].value is True
    assert f["disclosure.wvr_arrangement"].value is True
    assert f["issuer.wvr_votes_per_share"].value == 5
