"""The dashboard in a real browser: every page, filters in the URL, a shared link, a CSV download."""

from __future__ import annotations

import csv
import io
from urllib.parse import parse_qs, urlparse

import pytest

from tests.browser.conftest import SCREENSHOTS
from ui.navigation import RECORD_PAGES

pytestmark = pytest.mark.browser

PAGES = {p.url_path: p.title for p in RECORD_PAGES}  # url path -> title; the default page lives at "/"
PROVENANCE = ["article", "published", "sentence", "doc_id", "sentence_no", "start_char", "end_char"]


def settle(page, title: str | None = None) -> None:
    """Wait until the script has finished its run (and, if given, the page's title is drawn)."""
    if title:
        page.get_by_role("heading", name=title, exact=True).first.wait_for()
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']")
    page.wait_for_selector("[data-testid='stStatusWidget']", state="detached", timeout=20_000)


def no_exception(page) -> None:
    assert page.locator("[data-testid='stException']").count() == 0, page.locator(
        "[data-testid='stException']"
    ).first.inner_text()


def metric(page, name: str) -> str:
    box = page.locator("[data-testid='stMetric']").filter(has_text=name).first
    return box.locator("[data-testid='stMetricValue']").inner_text()


def choose_actor(page, actor: str) -> None:
    box = page.get_by_test_id("stSidebar").get_by_test_id("stMultiSelect").filter(has_text="Actor").first
    # Playwright reads React Aria's combobox as inert; the app has settled, so click through.
    combo = box.get_by_role("combobox")
    combo.click(force=True)
    page.get_by_role("listbox").first.wait_for()
    combo.press_sequentially(actor, delay=20)
    page.get_by_role("option", name=actor, exact=True).click()
    page.keyboard.press("Escape")


def test_every_page_renders(server, context):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page = context.new_page()
    page.set_viewport_size({"width": 1440, "height": 2400})  # Streamlit scrolls inside the page: show it all
    for path, title in PAGES.items():
        page.goto(f"{server}/{path}")
        settle(page, title)
        no_exception(page)
        if path == "theatres":
            # Dots over the borders and oblast outlines the project ships: no tiles, no network.
            # The map is a tab of its own, built when opened (and kept in the URL).
            page.get_by_role("tab", name="Map").click()
            page.wait_for_url(lambda url: parse_qs(urlparse(url).query).get("view") == ["Map"])
            settle(page, "Located event reports")
            plot = page.get_by_test_id("stPlotlyChart").last
            plot.locator("path.point").first.wait_for(state="attached")
            assert plot.locator("path.js-line").count() > 100  # one path per border or oblast line
        assert page.get_by_text("Page not found").count() == 0
        page.screenshot(path=str(SCREENSHOTS / f"{path or 'overview'}.png"), full_page=True)


def test_actor_filter_lives_in_the_url_and_survives_page_switch_and_reload(server, context, browser):
    page = context.new_page()
    page.goto(f"{server}/")
    settle(page, "Overview")
    before = metric(page, "Incidents")
    choose_actor(page, "Wagner Group")
    page.wait_for_url(lambda url: parse_qs(urlparse(url).query).get("actor") == ["Wagner Group"])
    settle(page)
    after = metric(page, "Incidents")
    assert int(after) < int(before)

    # Switching page keeps the filter in the URL.
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Timeline").click()
    settle(page, "Timeline")
    page.wait_for_url(lambda url: "/timeline" in url and "actor=Wagner+Group" in url)
    shared = page.url
    rows = (
        page.locator("[data-testid='stCaptionContainer']")
        .filter(has_text="matching the filters: ")
        .first.inner_text()
    )
    no_exception(page)

    # The copied link, opened in a fresh browser context, shows the same filter and rows.
    fresh = browser.new_context(viewport={"width": 1440, "height": 1000})
    try:
        other = fresh.new_page()
        other.goto(shared)
        settle(other, "Timeline")
        chips = (
            other.get_by_test_id("stSidebar").get_by_test_id("stMultiSelect").filter(has_text="Actor").first
        )
        assert "Wagner Group" in chips.inner_text()
        again = (
            other.locator("[data-testid='stCaptionContainer']")
            .filter(has_text="matching the filters: ")
            .first.inner_text()
        )
        assert again == rows
        other.screenshot(path=str(SCREENSHOTS / "timeline_shared_link.png"), full_page=True)
        no_exception(other)
    finally:
        fresh.close()


def test_csv_download_holds_the_rows_shown(server, context):
    page = context.new_page()
    page.goto(f"{server}/theatres?actor=Wagner+Group")
    settle(page, "Theatres")
    # Counted as reports, the page lists every event report with its sentence and article.
    page.get_by_test_id("stRadio").filter(has_text="Count events as").get_by_text("Reports").click()
    settle(page, "Events")  # the listing's heading once the run with reports has drawn
    caption = (
        page.locator("[data-testid='stCaptionContainer']")
        .filter(has_text="matching the filters: ")
        .first.inner_text()
    )
    shown = int(caption.split(": ")[1].rstrip(".").replace(",", ""))  # "Events matching the filters: 12."
    button = page.get_by_role("button", name="CSV").first
    button.scroll_into_view_if_needed()
    with page.expect_download() as info:
        # A click event on the button itself: a chart or table redrawing beside it can cover
        # the button's box for a moment, which makes a mouse click land on the wrong element.
        button.dispatch_event("click")
    download = info.value
    assert download.suggested_filename == "events_actor-Wagner-Group.csv"
    rows = list(csv.DictReader(io.StringIO(open(download.path(), encoding="utf-8").read())))
    assert len(rows) == shown > 0
    assert set(PROVENANCE) <= set(rows[0])
    assert all(r["sentence"] and r["article"] for r in rows)
    no_exception(page)


def test_malformed_link_shows_a_notice_not_an_exception(server, context):
    page = context.new_page()
    page.goto(f"{server}/aid?actor=Nobody&from=not-a-date&kind=bogus&evil=__import__")
    settle(page, "Aid")
    main = page.get_by_test_id(
        "stMain"
    )  # the notice stands at the top of the page, not at the sidebar's foot
    main.get_by_text("This link holds values that do not exist here", exact=False).first.wait_for()
    no_exception(page)
    page.screenshot(path=str(SCREENSHOTS / "malformed_link.png"), full_page=True)
