"""Shared sample reports for the formatter tests (tests/test_report_*.py), and their sanity tests.

The sample is built directly from the models: a 科创板 prospectus that claims LR 2.1.2 (四) but
discloses RMB 250 m revenue (STAR-LS-002 fail), plus pass / needs_review / not_applicable / waived
findings, facts with evidence, and a second filing that could not be checked.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from checker.facts.model import Evidence, Fact
from checker.findings import (
    CheckReport,
    Citation,
    DocError,
    DocumentResult,
    Finding,
    Localized,
    Ruleset,
    Severity,
    Status,
    Tool,
)
from checker.ruleset.spec import RuleSpec

EVIL = '<script>alert(1)</script>" onmouseover="x'
DOC_PATH = "filings/示例科技_招股说明书.pdf"
ERR_PATH = "filings/损坏文件.pdf"
SSE_LR = Citation(
    source="上海证券交易所科创板股票上市规则",
    article="第2.1.2条",
    version="2019-04 (上证发〔2019〕53号)",
    quote="预计市值不低于人民币30亿元，且最近一年营业收入不低于人民币3亿元",
)
UNCONFIRMED = Citation(
    source="公开发行证券的公司信息披露内容与格式准则第57号",
    article="第四十一条",
    version="2023-02",
    confirmed=False,
)


def _finding(rule_id: str, status: Status, severity: Severity, title: tuple[str, str],
             message: tuple[str, str], evidence: list[Evidence] | None = None,
             values: dict | None = None, citation: list[Citation] | None = None,
             waiver: dict | None = None) -> Finding:
    f = Finding(
        rule_id=rule_id,
        status=status,
        severity=severity,
        title=Localized(zh=title[0], en=title[1]),
        message=Localized(zh=message[0], en=message[1]),
        citation=citation or [SSE_LR],
        evidence=evidence or [],
        values=values or {},
        family=rule_id.split("-")[1],
        waiver=waiver,
    )
    f.fingerprint = f.compute_fingerprint()
    return f


def sample_findings(evil_quote: bool = False) -> list[Finding]:
    """Findings covering every status; evil_quote puts markup into a filing-derived quote."""
    revenue_quote = "营业收入 25,000.00 万元"
    if evil_quote:
        revenue_quote = f"营业收入 25,000.00 万元 {EVIL} | **bold** [x](http://evil)"
    return [
        _finding(
            "STAR-LS-002", Status.FAIL, Severity.ERROR,
            ("发行人财务指标不满足其所选上市标准", "Disclosed figures do not meet the claimed listing standard"),
            ("最近一年营业收入为2.50亿元，低于所选标准（第2.1.2条第（四）项）要求的3亿元。",
             "Latest-year revenue is RMB 250 m, below the RMB 300 m required by the claimed standard LR 2.1.2 (4)."),
            evidence=[Evidence(page=12, quote=revenue_quote, page_label="1-1-12", section="第二节 概览")],
            values={"revenue_latest": 250000000, "threshold": 300000000},
        ),
        _finding(
            "STAR-LS-001", Status.PASS, Severity.ERROR,
            ("招股说明书载明所选上市标准", "The prospectus states the chosen listing standard"),
            ("发行人选择第2.1.2条第（四）项上市标准。", "The issuer chose LR 2.1.2 (4)."),
            evidence=[Evidence(page=3, quote="发行人选择的具体上市标准为第2.1.2条第（四）项", page_label="1-1-3")],
        ),
        _finding(
            "STAR-UNP-001", Status.NOT_APPLICABLE, Severity.ERROR,
            ("未盈利企业在重大事项提示中提示风险", "Unprofitable issuer flags the risk in the key-matters section"),
            ("发行人最近一年盈利，不适用。", "The issuer was profitable in the latest year; not applicable."),
        ),
        _finding(
            "STAR-CONS-001", Status.NEEDS_REVIEW, Severity.WARNING,
            ("关键财务数据前后一致", "Key figures agree across sections"),
            ("未能在财务会计信息章节找到2023年营业收入，需人工复核。",
             "2023 revenue was not found in the financial section; please review."),
            citation=[UNCONFIRMED],
        ),
        _finding(
            "STAR-BL-001", Status.WAIVED, Severity.ERROR,
            ("相关方不在黑名单中", "No named party is on a supplied blacklist"),
            ("独立董事张三与名单条目同名。", "Independent director 张三 matches a list entry by name."),
            evidence=[Evidence(page=5, quote="独立董事：张三、李四")],
            waiver={"reason": "同名不同人，已核实身份证号", "approved_by": "合规部"},
        ),
    ]


def sample_facts() -> list[Fact]:
    """Facts behind the listing-standard matrix, with evidence."""
    ev = Evidence(page=12, quote="营业收入 25,000.00 万元", page_label="1-1-12", section="第二节 概览")
    return [
        Fact(path="listing_standard.claimed", value="2.1.2(4)", source="listing@1",
             evidence=[Evidence(page=3, quote="发行人选择的具体上市标准为第2.1.2条第（四）项")]),
        Fact(path="listing_standard.market_cap", value=Decimal("3000000000"), unit="CNY",
             evidence=[Evidence(page=3, quote="预计市值不低于人民币30亿元")]),
        Fact(path="kc.rd_ratio_3y_percent", value=Decimal("18.5"), unit="percent",
             evidence=[Evidence(page=40, quote="研发投入占营业收入的比例 18.50%")]),
        Fact(path="financials.latest.revenue", value=Decimal("250000000"), unit="CNY", evidence=[ev]),
        Fact(path="financials.latest.net_profit_lower", value=Decimal("-12345678.9"), unit="CNY",
             evidence=[Evidence(page=13, quote="扣除非经常性损益后归属于母公司所有者的净利润 -1,234.57 万元")]),
        Fact(path="financials.rd_ratio_percent.2023", value=Decimal("18.5"), unit="percent",
             evidence=[Evidence(page=40, quote="研发投入占营业收入的比例 18.50%")], confidence=0.9),
    ]


def sample_report(evil_quote: bool = False, doc_path: str = DOC_PATH) -> CheckReport:
    """A two-filing report: one checked, one that failed to open."""
    checked = DocumentResult(
        path=doc_path, sha256="a" * 64, status="checked", pages=12,
        facts=sample_facts(), findings=sample_findings(evil_quote),
        warnings=["第7页没有文字层"],
    )
    checked.summarise()
    broken = DocumentResult(
        path=ERR_PATH, sha256="b" * 64, status="error",
        error=DocError(code="pdf_unreadable", message="文件不是有效的PDF（可能已损坏），请重新导出后再检查。"),
    )
    return CheckReport(
        tool=Tool(version="0.1.0"),
        ruleset=Ruleset(version="2024.1", sha256="c" * 64, as_of="2024-06-30"),
        generated_at="2024-07-01T08:00:00Z",
        documents=[checked, broken],
    )


def sample_rules() -> dict[str, RuleSpec]:
    """RuleSpec objects for the sample findings (documentation shown in HTML / SARIF)."""
    msgs = {
        "fail": {"zh": "不符合", "en": "fails"},
        "needs_review": {"zh": "需复核", "en": "review"},
        "pass": {"zh": "符合", "en": "passes"},
    }
    out = {}
    for f in sample_findings():
        out[f.rule_id] = RuleSpec(
            id=f.rule_id,
            name=f"{f.family.lower()}.sample-rule",
            severity=f.severity,
            tags=["科创板", f.family],
            title=f.title,
            description=Localized(zh=f"{f.title.zh}（说明）", en=f"{f.title.en} (description)"),
            rationale=Localized(zh="上市规则要求。", en="Required by the Listing Rules."),
            citations=f.citation,
            check={"fact": "listing_standard.claimed", "op": "exists"},
            messages=msgs,
            source_file=f"rules/{f.family}/{f.rule_id}.yaml",
        )
    return out


def make_pdf(path: Path, pages: int = 13) -> Path:
    """A small text PDF whose page 12 carries the revenue quote (reportlab CID font, not embedded)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c = canvas.Canvas(str(path), pagesize=A4)
    for n in range(1, pages + 1):
        c.setFont("STSong-Light", 11)
        c.drawString(72, 800, f"示例科技股份有限公司 招股说明书 1-1-{n}")
        for i in range(12):
            c.drawString(72, 760 - i * 18, f"第{n}页 正文第{i + 1}行 本行为填充文字。")
        if n == 12:
            c.drawString(72, 400, "营业收入 25,000.00 万元")
        if n == 3:
            c.drawString(72, 500, "发行人选择的具体上市标准为第2.1.2条第（四）项")
        c.showPage()
    c.save()
    return path


def test_sample_report_round_trips_through_json() -> None:
    report = sample_report()
    again = CheckReport.model_validate_json(report.model_dump_json())
    assert again.documents[0].summary == {
        "fail": 1, "needs_review": 1, "pass": 1, "not_applicable": 1, "waived": 1,
    }
    assert again.documents[1].status == "error"


def test_sample_rules_match_findings() -> None:
    rules = sample_rules()
    assert sorted(rules) == sorted(f.rule_id for f in sample_findings())
    assert rules["STAR-LS-002"].family == "LS"
