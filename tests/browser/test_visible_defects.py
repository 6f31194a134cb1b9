"""Defects only a browser shows (issue 12): values cut by their box, dates squeezed, milliseconds on a day axis."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import SCREENSHOTS
from tests.browser.test_dashboard_browser import no_exception, settle

pytestmark = pytest.mark.browser

CUT = "el => el.scrollWidth > el.clientWidth + 1"  # the text is wider than its box: cut, or an ellipsis


def test_headline_numbers_are_not_cut(server, context):
    page = context.new_page()
    for path, title in [("", "Overview"), ("aid", "Aid")]:
        page.goto(f"{server}/{path}")
        settle(page, title)
        no_exception(page)
        values = page.locator("[data-testid='stMetricValue']")
        values.nth(3).wait_for()
        for i in range(values.count()):
            value = values.nth(i)
            inner = value.locator("div, p").last if value.locator("div, p").count() else value
            assert not inner.evaluate(CUT), f"{title}: metric value {value.inner_text()!r} is cut"


def test_date_filters_show_the_whole_date(server, context):
    page = context.new_page()
    page.goto(f"{server}/?from=2023-05-01&to=2023-05-31")
    settle(page, "Overview")
    fields = page.get_by_test_id("stSidebar").get_by_test_id("stDateInputFieldsScroller")
    fields.nth(1).wait_for()
    for i, expected in enumerate(["2023-05-01", "2023-05-31"]):
        box = fields.nth(i)
        assert re.sub(r"\s", "", box.inner_text()) == expected
        # Side by side in the sidebar the fields were narrower than the date and showed "2023 - 0".
        assert not box.evaluate(CUT), f"the date input shows only part of {expected}"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.get_by_test_id("stSidebar").screenshot(path=str(SCREENSHOTS / "sidebar-dates.png"))


def test_timeline_of_one_day_ticks_in_days(server, context):
    page = context.new_page()
    # The seed's records fall on 19 May 2023 (and a span from it): one day of points.
    page.goto(f"{server}/timeline?from=2023-05-19&to=2023-05-19")
    settle(page, "Timeline")
    no_exception(page)
    chart = page.locator("[data-testid='stPlotlyChart']").first
    chart.locator(".xtick text").first.wait_for()
    ticks = [
        t.strip() for t in chart.locator(".xtick text").evaluate_all("els => els.map(e => e.textContent)")
    ]
    assert ticks and not any(re.search(r"\d\d:\d\d|\.\d{3}", t) for t in ticks), ticks
