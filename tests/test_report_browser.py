"""The HTML report in a real headless Chromium (Playwright): no console errors, filters, language switch.

Needs: apt `chromium` (+ `fonts-noto-cjk` for readable Chinese in screenshots) and pip `playwright`.
Skips with a reason when either is missing. Screenshots go to $STARCHECK_ARTIFACTS (default: a tmp dir).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from test_report_fixtures import DOC_PATH, make_pdf, sample_report, sample_rules

from checker.report.html import render_html

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


@pytest.fixture(scope="module")
def page_url(tmp_path_factory) -> str:
    folder = tmp_path_factory.mktemp("html")
    pdf = make_pdf(folder / "sample.pdf")
    html = render_html(sample_report(evil_quote=True), rules=sample_rules(), pdf_paths={DOC_PATH: pdf},
                       link_base=folder)
    assert 'href="sample.pdf#page=12"' in html
    assert pdf.exists() and "data:image/png" in html
    out = folder / "report.html"
    out.write_text(html, encoding="utf-8")
    return out.as_uri()


def test_report_in_chromium(page_url: str, artifacts: Path) -> None:
    problems: list[str] = []
    with sync_api.sync_playwright() as pw:
        try:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        except Exception as exc:  # pragma: no cover - broken local install
            pytest.skip(f"chromium did not start: {exc}")
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type in ("error", "warning") else None)
            page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
            page.on("dialog", lambda d: (problems.append(f"dialog: {d.message}"), d.dismiss()))
            page.goto(page_url)
            page.wait_for_load_state("load")

            visible = page.locator(".finding:visible")
            assert visible.count() == 5
            count = page.locator("#sc-count")
            assert count.get_attribute("data-shown") == "5" and count.inner_text() == "显示 5 / 共 5 项"

            page.select_option("#sc-status", "fail")
            assert visible.count() == 1
            assert count.get_attribute("data-shown") == "1"
            assert page.locator(".finding:visible .rid").inner_text() == "STAR-LS-002"
            assert page.locator('.family[data-family="UNP"]').is_hidden()

            page.select_option("#sc-status", "")
            page.select_option("#sc-severity", "warning")
            assert visible.count() == 1
            page.select_option("#sc-severity", "")
            page.fill("#sc-search", "张三")
            assert visible.count() == 1
            page.fill("#sc-search", "")
            assert visible.count() == 5

            page.select_option("#sc-sort", "page")
            ls_ids = page.locator('.family[data-family="LS"] .finding .rid').all_inner_texts()
            assert ls_ids == ["STAR-LS-001", "STAR-LS-002"]  # page 3 before page 12

            assert page.get_by_text("不符合").first.is_visible()
            page.click('[data-set-lang="en"]')
            assert page.locator("html").get_attribute("data-lang") == "en"
            assert page.get_by_text("Disclosed figures do not meet the claimed listing standard", exact=True).is_visible()
            assert page.get_by_text("发行人财务指标不满足其所选上市标准", exact=True).is_hidden()
            assert count.inner_text() == "Showing 5 of 5"
            assert page.locator("#sc-status option").first.inner_text() == "All"

            img = page.locator(".quote img").first
            assert img.evaluate("i => i.complete && i.naturalWidth > 100")

            page.screenshot(path=str(artifacts / "report-en.png"), full_page=True)
            page.click('[data-set-lang="zh"]')
            page.screenshot(path=str(artifacts / "report-zh.png"), full_page=True)
            page.emulate_media(media="print")
            assert page.locator("#sc-controls").is_hidden()
        finally:
            browser.close()
    assert problems == []
    assert (artifacts / "report-zh.png").stat().st_size > 10_000
