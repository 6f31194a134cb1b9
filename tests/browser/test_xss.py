"""Article text is shown, never run: an article carrying <script>, event handlers, SVG, javascript:
links and Markdown specials is uploaded through the dashboard, and every page that shows its
sentences draws the payload as text, with nothing executed and no dialog opened."""

from __future__ import annotations

import pytest

from analytics.corpus import build_document
from tests.browser.test_concurrency import new_page
from tests.browser.test_dashboard_browser import no_exception, settle

pytestmark = pytest.mark.browser

NAME = "xss-payloads.md"
RAW = b"""---
title: Kherson <script>window.__xss=1</script> report
published: 2023-05-16
source: <img src=x onerror="window.__xss=5">
---
Kherson shelling <script>window.__xss=1</script>

Russian forces shelled Kherson on Monday <img src=x onerror="window.__xss=2">, the regional governor said.

Ukraine accused Russia of attacking Odesa <svg onload="window.__xss=4"></svg> with drones on Tuesday.

The Kremlin denied the reports [click](javascript:window.__xss=3) and said **nothing** else <iframe src="javascript:window.__xss=6"></iframe>.

The United States announced $300 million in military aid to Ukraine <a href="javascript:window.__xss=7">here</a> on Wednesday.

Officials said $x$ :warning: `code` <b>bold</b> &amp; {{ 7*7 }} ${7*7} were quoted verbatim.
"""
DOC_ID = build_document(NAME, RAW).doc_id
PAGES = {  # path -> title; each filtered to the article, so its sentences are what the page shows
    "": "Overview", "timeline": "Timeline", "aid": "Aid", "theatres": "Theatres", "diplomacy": "Diplomacy",
    "claims": "Claims & sources", "data": "Data",
}  # fmt: skip
MARKUP = (
    "img[src='x']",
    "svg[onload]",
    "[onerror]",
    "[onload]",
    "a[href^='javascript:']",
    "iframe[src^='javascript:']",
)


def nothing_ran(page, dialogs) -> None:
    for frame in page.frames:
        assert frame.evaluate("typeof window.__xss") == "undefined", frame.url
    assert not dialogs
    for selector in MARKUP:
        assert page.locator(selector).count() == 0, selector
    assert page.locator("script", has_text="__xss").count() == 0


@pytest.fixture(scope="module")
def uploaded(upload_server, browser):
    base, _ = upload_server
    ctx, page, dialogs = new_page(browser)
    try:
        page.goto(f"{base}/add_articles")
        settle(page, "Add articles")
        page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(
            [{"name": NAME, "mimeType": "text/markdown", "buffer": RAW}]
        )
        page.get_by_role("button", name="Add 1 file").click()
        page.get_by_text("Last upload:", exact=False).wait_for()
        settle(page)
        text = page.get_by_test_id("stAlert").first.inner_text()
        assert "1 added" in text or "1 already present" in text, text
        nothing_ran(page, dialogs)
    finally:
        ctx.close()
    return base


def test_the_article_reader_shows_the_payloads_as_text(uploaded, browser):
    ctx, page, dialogs = new_page(browser)
    try:
        page.goto(f"{uploaded}/claims?article={DOC_ID}")
        settle(page, "Claims & sources")
        no_exception(page)
        reader = page.get_by_test_id("stMarkdownContainer").filter(has_text="regional governor").last
        shown = reader.inner_text()
        for literal in ("<script>window.__xss=1</script>", '<img src=x onerror="window.__xss=2">',
                        '<svg onload="window.__xss=4"></svg>', "[click](javascript:window.__xss=3)",
                        "**nothing**", '<a href="javascript:window.__xss=7">here</a>', "$x$", ":warning:",
                        "`code`", "<b>bold</b>", "{{ 7*7 }}", "${7*7}"):  # fmt: skip
            assert literal in shown, (literal, shown[:2000])
        nothing_ran(page, dialogs)
    finally:
        ctx.close()


@pytest.mark.parametrize("path", PAGES)
def test_no_page_runs_what_the_article_carries(uploaded, browser, path):
    ctx, page, dialogs = new_page(browser)
    try:
        # The Timeline's records, whose hover labels carry the sentences, are its "Each record" tab.
        view = "&view=Each+record" if path == "timeline" else ""
        page.goto(f"{uploaded}/{path}?article={DOC_ID}{view}")
        settle(page, PAGES[path])
        no_exception(page)
        assert (
            page.get_by_text("unknown article").count() == 0
        )  # the filter took: the page shows this article
        hovers = []
        if path == "timeline":
            page.get_by_test_id("stPlotlyChart").locator("path.point").first.wait_for(state="attached")
        for chart in page.get_by_test_id("stPlotlyChart").all():  # hover labels draw sentences too
            for point in chart.locator("path.point").all()[:8]:
                point.hover(force=True)
                page.wait_for_timeout(150)
                hovers.append(page.locator(".hoverlayer").first.text_content() or "")
        if path == "timeline":
            assert any('<a href="javascript:window.__xss=7">here</a>' in h for h in hovers), hovers
            assert any('<img src=x onerror="window.__xss=2">' in h for h in hovers), hovers
        nothing_ran(page, dialogs)
    finally:
        ctx.close()
