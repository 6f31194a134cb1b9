"""The analyst's day in a real browser: search, a row opening its sentence, links holding every control,
the bad-link notice at the top, and a CSV from every page that cites its url and outlet."""

from __future__ import annotations

import csv
import io
from urllib.parse import parse_qs, urlparse

import pytest

from tests.browser.articles import article
from tests.browser.conftest import SCREENSHOTS, serve
from tests.browser.test_dashboard_browser import no_exception, settle

pytestmark = pytest.mark.browser

OUTLET = "example.org"  # the generated articles' url host: their outlet, found at ingest


@pytest.fixture(scope="module")
def cited_server(tmp_path_factory):
    """A dashboard over the seed plus three articles that carry a url (so an outlet)."""
    from analytics.ingest import ensure_database, ingest_paths
    from analytics.store import connect

    folder = tmp_path_factory.mktemp("articles")
    for i in range(3):
        name, raw = article(i, paragraphs=12)
        (folder / name).write_bytes(
            raw.replace(b"source: test wire\n", f"url: https://www.{OUTLET}/n/{i}\n".encode())
        )
    db = ensure_database(tmp_path_factory.mktemp("citeddb") / "cited.duckdb")
    con = connect(db)
    try:
        ingest_paths(con, [folder])
    finally:
        con.close()
    with serve(db, tmp_path_factory.mktemp("cited-server") / "streamlit.log") as base:
        yield base


SLOW = 90_000  # ms: the machine these run on is shared; a page's first run can take long under load


def new_page(context):
    page = context.new_page()
    page.set_default_timeout(SLOW)
    return page


def query(page) -> dict[str, list[str]]:
    return parse_qs(urlparse(page.url).query)


def chosen(page, label: str) -> str:
    """The value a selectbox shows (it sits in its combobox's input)."""
    return page.get_by_test_id("stSelectbox").filter(has_text=label).get_by_role("combobox").input_value()


def first_row_link(page, grid_index: int = 0) -> str:
    """The reader address in a listing's first row: the data grid mirrors its cells in an accessible table."""
    grid = page.get_by_test_id("stDataFrame").nth(grid_index)
    cell = grid.locator("[role='gridcell'][aria-colindex='1']").first
    cell.wait_for(state="attached")
    return cell.inner_text()


def test_search_box_finds_records_and_sentences_and_keeps_the_words_in_the_url(cited_server, context):
    page = new_page(context)
    page.goto(f"{cited_server}/search")
    settle(page, "Search")
    box = page.get_by_role("textbox", name="Search records and sentences")
    box.fill("drones -Sumy")
    box.press("Enter")
    page.wait_for_url(lambda url: parse_qs(urlparse(url).query).get("q") == ["drones -Sumy"])
    settle(page, "Records")
    no_exception(page)
    page.get_by_role("heading", name="Sentences", exact=True).wait_for()
    link = first_row_link(page)
    assert link.startswith("reader?doc=") and "&sentence=" in link
    text = page.get_by_test_id("stMain").inner_text()
    assert "best match first" in text
    page.screenshot(path=str(SCREENSHOTS / "search.png"), full_page=True)

    # The sidebar's filters narrow the records found; the link holds both.
    page.goto(f"{cited_server}/search?q=drones&kind=event")
    settle(page, "Search")
    assert query(page)["q"] == ["drones"] and query(page)["kind"] == ["event"]
    no_exception(page)


def test_a_listing_row_opens_its_sentence_in_the_reader(cited_server, context):
    page = new_page(context)
    page.set_viewport_size({"width": 1440, "height": 2400})
    page.goto(f"{cited_server}/diplomacy")
    settle(page, "Diplomacy")
    assert page.get_by_test_id("stDataFrame").count() == 0, "the listing is built only when opened"
    page.get_by_test_id("stExpander").filter(has_text="Show the diplomatic items").locator(
        "summary"
    ).first.click()
    page.wait_for_url(lambda url: parse_qs(urlparse(url).query).get("diplomacy_open") == ["1"])
    settle(page)
    link = first_row_link(page)
    doc = parse_qs(urlparse(link).query)["doc"][0]
    sentence = int(parse_qs(urlparse(link).query)["sentence"][0])
    page.goto(f"{cited_server}/{link}")
    settle(page, "Article reader")
    no_exception(page)
    page.get_by_role("heading", name=f"Sentence {sentence}", exact=True).wait_for()
    assert query(page) == {"doc": [doc], "sentence": [str(sentence)]}
    assert page.get_by_text("opened sentence").count() >= 1  # marked in the article text too
    page.screenshot(path=str(SCREENSHOTS / "reader_sentence.png"), full_page=True)


def test_a_link_holds_every_control(cited_server, context, browser):
    page = new_page(context)
    page.goto(f"{cited_server}/theatres")
    settle(page, "Theatres")
    page.get_by_test_id("stRadio").filter(has_text="Count events as").get_by_text("Reports").click()
    page.wait_for_url(lambda url: parse_qs(urlparse(url).query).get("unit") == ["reports"])
    settle(page, "Events")
    drill = page.get_by_test_id("stSelectbox").filter(has_text="Drill down to")
    drill.click()
    option = page.get_by_role("option").nth(1)
    theatre = option.inner_text()
    option.click()
    page.wait_for_url(lambda url: parse_qs(urlparse(url).query).get("drill") == [theatre])
    settle(page)
    page.get_by_test_id("stExpander").filter(has_text="Show the events").locator("summary").first.click()
    page.wait_for_url(lambda url: parse_qs(urlparse(url).query).get("events_open") == ["1"])
    settle(page)
    theatres_link = page.url

    page.goto(f"{cited_server}/data")
    settle(page, "Data")
    table = page.get_by_test_id("stSelectbox").filter(has_text="Table")
    table.click()
    page.get_by_role("option", name="documents", exact=True).click()
    page.wait_for_url(lambda url: parse_qs(urlparse(url).query).get("table") == ["documents"])
    settle(page)
    data_link = page.url

    page.goto(f"{cited_server}/timeline?kind=event&records=all")
    settle(page, "Timeline")
    page.get_by_role("tab", name="Each record").click()  # the points view, a tab of its own
    page.wait_for_url(lambda url: parse_qs(urlparse(url).query).get("view") == ["Each record"])
    settle(page)
    page.get_by_test_id("stRadio").filter(has_text="Colour by").get_by_text("Theme").click()
    page.wait_for_url(lambda url: parse_qs(urlparse(url).query).get("colour") == ["theme"])
    settle(page)
    timeline_link = page.url
    assert query(page)["kind"] == ["event"] and query(page)["records"] == ["all"]

    fresh = browser.new_context(viewport={"width": 1440, "height": 1000})
    try:
        other = fresh.new_page()
        other.set_default_timeout(SLOW)
        other.goto(theatres_link)
        settle(other, "Events")  # the reports listing: the count unit came from the link
        assert chosen(other, "Drill down to") == theatre
        other.get_by_test_id("stDataFrame").first.wait_for()  # the opened listing came from the link
        other.goto(data_link)
        settle(other, "Data")
        assert chosen(other, "Table") == "documents"
        other.goto(timeline_link)
        settle(other, "Timeline")
        colour = other.get_by_test_id("stRadio").filter(has_text="Colour by")
        assert colour.locator("input[type='radio']").nth(1).is_checked()
        chips = (
            other.get_by_test_id("stSidebar").get_by_test_id("stMultiSelect").filter(has_text="Kind").first
        )
        assert "Event" in chips.inner_text()
        no_exception(other)
    finally:
        fresh.close()


def test_a_bad_link_says_so_at_the_top_of_the_page(cited_server, context):
    page = new_page(context)
    page.goto(f"{cited_server}/data?table=passwords&actor=Nobody&unit=galaxies")
    settle(page, "Data")
    notice = page.get_by_test_id("stMain").get_by_text(
        "This link holds values that do not exist here", exact=False
    )
    notice.first.wait_for()
    title = page.get_by_role("heading", name="Data", exact=True).first
    assert notice.first.bounding_box()["y"] < title.bounding_box()["y"], "the notice stands above the title"
    main = page.get_by_test_id("stMain").inner_text()
    for expected in ("unknown actor 'Nobody'", "unknown table 'passwords'", "unit='galaxies'"):
        assert expected in main
    # The view shows what exists (everything, the default table), and the URL no longer holds the bad values.
    assert "table" not in query(page) and "unit" not in query(page) and "actor" not in query(page)
    no_exception(page)
    page.screenshot(path=str(SCREENSHOTS / "bad_link_notice.png"), full_page=True)


CSV_PAGES = {  # path -> its title
    "": "Overview", "timeline": "Timeline", "aid": "Aid", "theatres": "Theatres", "diplomacy": "Diplomacy",
    "claims": "Claims & sources", "data": "Data", "search?q=drones": "Search", "reader": "Article reader",
}  # fmt: skip


@pytest.mark.parametrize("path", list(CSV_PAGES))
def test_every_page_csv_carries_url_and_outlet(cited_server, context, path):
    page = new_page(context)
    page.set_viewport_size({"width": 1440, "height": 2400})
    target = path
    if path == "reader":  # an article that has a url
        page.goto(f"{cited_server}/search?q=drones")
        settle(page, "Search")
        target = first_row_link(page, 1)
    page.goto(f"{cited_server}/{target}")
    settle(page, CSV_PAGES[path])
    # Our download button (a table's own toolbar also has a button named for CSV).
    button = page.get_by_test_id("stDownloadButton").filter(has_text="CSV").first.get_by_role("button")
    button.scroll_into_view_if_needed()
    with page.expect_download() as info:
        button.dispatch_event("click")
    rows = list(csv.DictReader(io.StringIO(open(info.value.path(), encoding="utf-8").read())))
    assert rows, f"{path}: the CSV has rows"
    assert {"url", "outlet", "sentence", "article", "published", "record_id"} <= set(rows[0]), rows[0].keys()
    assert any(r["outlet"] == OUTLET and r["url"].startswith(f"https://www.{OUTLET}/") for r in rows), path
    no_exception(page)
