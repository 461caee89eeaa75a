"""The HTML report in a real headless Chromium (Playwright): no console errors, filters, language switch,
findings first (section order, position at 1280 px), readable at 420 px, facts folded with labels; the index.

Needs: apt `chromium` (+ `fonts-noto-cjk` for readable Chinese in screenshots) and pip `playwright`.
Skips with a reason when either is missing. Screenshots go to $STARCHECK_ARTIFACTS (default: a tmp dir).
"""

from __future__ import annotations

import os
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from test_report_fixtures import DOC_PATH, make_pdf, sample_report, sample_rules

from checker.facts.model import Evidence, Fact
from checker.report.html import render_html, render_index

sync_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright to run browser tests")

CHROMIUM = os.environ.get("STARCHECK_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]

pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(), reason=f"chromium not found at {CHROMIUM} (apt-get install chromium)"
)


@pytest.fixture(scope="module")
def artifacts(tmp_path_factory) -> Path:
    env = os.environ.get("STARCHECK_ARTIFACTS")
    path = Path(env) if env else tmp_path_factory.mktemp("artifacts")
    path.mkdir(parents=True, exist_ok=True)
    return path


def many_facts(n: int = 200) -> list[Fact]:
    """Enough facts to fill several screens (a real filing has ~150), each with a label and evidence."""
    return [Fact(path=f"financials.rd_ratio_percent.{1800 + i}", value=Decimal("12.5"), unit="percent",
                 evidence=[Evidence(page=12, quote=f"研发投入占营业收入的比例 12.50%（{i}）")])
            for i in range(n)]


@pytest.fixture(scope="module")
def page_url(tmp_path_factory) -> str:
    folder = tmp_path_factory.mktemp("html")
    pdf = make_pdf(folder / "sample.pdf")
    report = sample_report(evil_quote=True)
    report.documents[0].facts += many_facts()
    html = render_html(report, rules=sample_rules(), pdf_paths={DOC_PATH: pdf}, link_base=folder)
    assert 'href="sample.pdf#page=12"' in html
    assert pdf.exists() and "data:image/png" in html
    out = folder / "report.html"
    out.write_text(html, encoding="utf-8")
    return out.as_uri()


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as pw:
        try:
            b = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        except Exception as exc:  # pragma: no cover - broken local install
            pytest.skip(f"chromium did not start: {exc}")
        try:
            yield b
        finally:
            b.close()


def open_page(browser, url: str, width: int, problems: list[str], height: int = 900):
    """A page at the given viewport that records console errors and warnings, page errors and dialogs."""
    page = browser.new_page(viewport={"width": width, "height": height})
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}")
            if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("dialog", lambda d: (problems.append(f"dialog: {d.message}"), d.dismiss()))
    page.goto(url)
    page.wait_for_load_state("load")
    return page


def top(page, selector: str) -> float:
    return page.eval_on_selector(selector, "e => e.getBoundingClientRect().top + window.scrollY")


def test_report_in_chromium(browser, page_url: str, artifacts: Path) -> None:
    problems: list[str] = []
    page = open_page(browser, page_url, 1280, problems)
    try:
        visible = page.locator(".finding:visible")
        count = page.locator("#sc-count")
        # default filter: what needs attention (fail, needs_review) only
        assert visible.count() == 2
        assert count.get_attribute("data-shown") == "2" and count.inner_text() == "显示 2 / 共 5 项"
        assert page.locator('.group[data-group="rest"]').is_hidden()

        page.click("#sc-all")  # the control that shows everything
        assert visible.count() == 5 and page.locator("#sc-status").input_value() == ""
        assert count.inner_text() == "显示 5 / 共 5 项"

        page.select_option("#sc-status", "fail")
        assert visible.count() == 1
        assert count.get_attribute("data-shown") == "1"
        assert page.locator(".finding:visible .rid").inner_text() == "STAR-LS-002"
        assert page.locator('.group[data-group="rest"]').is_hidden()

        page.select_option("#sc-status", "")
        page.select_option("#sc-severity", "warning")
        assert visible.count() == 1
        page.select_option("#sc-severity", "")
        page.fill("#sc-search", "张三")
        assert visible.count() == 1
        page.fill("#sc-search", "没有这个词")
        assert visible.count() == 0 and page.locator(".sc-none-match").first.is_visible()
        page.fill("#sc-search", "")
        assert visible.count() == 5

        page.select_option("#sc-sort", "page")
        rest = page.locator('.group[data-group="rest"] .finding .rid').all_inner_texts()
        assert rest == ["STAR-LS-001", "STAR-BL-001", "STAR-UNP-001"]  # page 3, page 5, then no page
        page.select_option("#sc-sort", "default")
        rest = page.locator('.group[data-group="rest"] .finding .rid').all_inner_texts()
        assert rest == ["STAR-BL-001", "STAR-LS-001", "STAR-UNP-001"]  # waived, pass, not_applicable

        assert page.get_by_text("不符合").first.is_visible()
        page.click('[data-set-lang="en"]')
        assert page.locator("html").get_attribute("data-lang") == "en"
        assert page.get_by_text("Disclosed figures do not meet the claimed listing standard",
                                exact=True).is_visible()
        assert page.get_by_text("发行人财务指标不满足其所选上市标准", exact=True).is_hidden()
        assert count.inner_text() == "Showing 5 of 5"
        assert page.locator("#sc-status option").nth(1).inner_text() == "All"

        img = page.locator(".quote img").first
        assert img.evaluate("i => i.complete && i.naturalWidth > 100")
        page.click("#sc-all")  # back to open findings only
        assert visible.count() == 2

        page.screenshot(path=str(artifacts / "report-en.png"), full_page=True)
        page.click('[data-set-lang="zh"]')
        page.screenshot(path=str(artifacts / "report-zh.png"), full_page=True)
        page.emulate_media(media="print")
        assert page.locator("#sc-controls").is_hidden()
    finally:
        page.close()
    assert problems == []
    assert (artifacts / "report-zh.png").stat().st_size > 10_000


def test_findings_first_at_desktop_width(browser, page_url: str, artifacts: Path) -> None:
    problems: list[str] = []
    page = open_page(browser, page_url, 1280, problems)
    try:
        ids = page.eval_on_selector_all("main section[id]", "els => els.map(e => e.id)")
        assert ids[:4] == ["summary", "findings", "listing-standard", "facts"]
        assert ids.index("summary") < ids.index("findings") < ids.index("facts")
        # the reviewer sees the findings without scrolling far, whatever the number of facts
        height = page.evaluate("window.innerHeight")
        assert top(page, "#findings") <= 1.5 * height
        assert top(page, "#findings") < top(page, "#facts")

        # default filter: only fail / needs_review cards are shown
        shown = page.eval_on_selector_all(".finding", "els => els.filter(e => e.offsetParent !== null)"
                                          ".map(e => e.dataset.status)")
        assert sorted(shown) == ["fail", "needs_review"]
        # no severity badge on pass / not_applicable; fail and needs_review carry one
        page.click("#sc-all")
        for status in ("pass", "not_applicable"):
            assert page.locator(f'.finding[data-status="{status}"]').count() == 1
            assert page.locator(f'.finding[data-status="{status}"] [class*="severity-"]').count() == 0
        for status in ("fail", "needs_review", "waived"):
            badges = page.locator(f'.finding[data-status="{status}"] .head .badge[class*="severity-"]')
            assert badges.count() == 1
        # page images only as evidence of fail / needs_review
        others = '.finding:not([data-status="fail"]):not([data-status="needs_review"])'
        assert page.locator(f"{others} img").count() == 0
        page.click("#sc-all")

        # facts: folded, people's labels, no internal paths as visible text
        facts = page.locator("#facts")
        assert facts.locator("details.fold").evaluate("d => !d.open")
        assert facts.locator("table").is_hidden()
        facts.locator("summary").click()
        assert facts.locator("table").is_visible()
        text = facts.inner_text()
        assert "2023年研发投入占营业收入比例" in text and "最近一年营业收入" in text
        assert "financials." not in text and "listing_standard." not in text
        assert facts.locator('td[title="financials.rd_ratio_percent.2023"]').count() == 1
        page.click('[data-set-lang="en"]')
        text = facts.inner_text()
        assert "R&D as share of revenue 2023" in text and "2023年研发投入" not in text
        page.click('[data-set-lang="zh"]')
        facts.locator("summary").click()
        page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(path=str(artifacts / "report-1280.png"))  # the first screen: findings in view
    finally:
        page.close()
    assert problems == []


def test_readable_at_phone_width(browser, page_url: str, artifacts: Path) -> None:
    problems: list[str] = []
    page = open_page(browser, page_url, 420, problems)
    no_scroll = "document.documentElement.scrollWidth"
    try:
        assert page.evaluate(no_scroll) <= 420  # no page-level horizontal scrolling
        assert top(page, "#summary") < top(page, "#findings") < top(page, "#facts")
        # cards stack: every card and tile fits the viewport
        rights = page.eval_on_selector_all(".finding, .tile, section.card",
                                           "els => els.map(e => e.getBoundingClientRect().right)")
        assert rights and max(rights) <= 420
        page.screenshot(path=str(artifacts / "report-420.png"), full_page=True)
        # still no page-level scrolling with everything shown and unfolded (tables scroll inside)
        page.click("#sc-all")
        page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
        assert page.evaluate(no_scroll) <= 420
        page.click('[data-set-lang="en"]')
        assert page.evaluate(no_scroll) <= 420
    finally:
        page.close()
    assert problems == []
    assert (artifacts / "report-420.png").stat().st_size > 10_000


def test_index_in_chromium(browser, tmp_path: Path, artifacts: Path) -> None:
    base = tmp_path / "batch"
    report = sample_report(evil_quote=True, doc_path=str(base / "a" / "示例.pdf"))
    report.documents[1].path = str(base / "b" / "损坏文件.pdf")
    html = render_index(report, {d.path: f"r{i}.html" for i, d in enumerate(report.documents)})
    out = tmp_path / "index.html"
    out.write_text(html, encoding="utf-8")
    problems: list[str] = []
    page = open_page(browser, out.as_uri(), 420, problems)
    try:
        assert page.evaluate("document.documentElement.scrollWidth") <= 420
        links = page.locator("td.path a")
        assert links.all_inner_texts() == ["a/示例.pdf", "b/损坏文件.pdf"]
        assert links.first.get_attribute("href") == "r0.html"
        assert str(base) + "/a" not in page.locator("table").inner_text()
        assert page.locator('tbody tr:first-child td[data-severity="error"]').inner_text() == "1"
        assert page.locator('tbody tr:first-child td[data-severity="warning"]').inner_text() == "1"
        page.click('[data-set-lang="en"]')
        assert page.get_by_text("Open (fail and needs review)").is_visible()
        page.screenshot(path=str(artifacts / "index-420.png"), full_page=True)
    finally:
        page.close()
    assert problems == []
