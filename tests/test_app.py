"""Every page rendered by AppTest on the seed database and on an empty one; filters and links."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from ui.navigation import RECORD_PAGES

APP = str(Path(__file__).resolve().parent.parent / "app.py")
PAGES = [p.file for p in RECORD_PAGES]


@pytest.fixture
def empty_db(tmp_path) -> Path:
    from analytics.store import connect

    path = tmp_path / "empty.duckdb"
    connect(path).close()
    return path


def keyed(elements, key: str):
    return next(e for e in elements if e.key == key)


def render(page: str, query: dict | None = None, state: dict | None = None) -> AppTest:
    """`page` opened from a link holding `query`; `state`: session values set before the first run
    (e.g. `{"_more_filters": True}` to open the rarer filters)."""
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    for key, value in (state or {}).items():
        at.session_state[key] = value
    if page != PAGES[0]:
        at.switch_page(page)  # straight to the page, as a browser opening the link does
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.mark.parametrize("page", PAGES)
def test_page_renders_on_seed_database(page, seed_db, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DB", str(seed_db))
    at = render(page)
    assert at.title, "every page has a title"
    assert not at.info, [i.value for i in at.info]  # the seed has something for every page


@pytest.mark.parametrize("page", PAGES)
def test_page_renders_on_empty_database(page, empty_db, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DB", str(empty_db))
    at = render(page)
    assert any("python -m analytics ingest" in i.value for i in at.info)


def test_actor_filter_changes_the_rows(seed_db, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DB", str(seed_db))
    at = render("pages/timeline.py", {"records_open": "1"})
    before = len(at.dataframe[-1].value)
    keyed(at.multiselect, "f_actor").set_value(["Wagner Group"]).run()
    assert not at.exception
    after = at.dataframe[-1].value
    assert 0 < len(after) < before
    assert all("Wagner Group" in actors for actors in after["actors"])
    assert at.query_params["actor"] == "Wagner Group"
    assert at.query_params["records_open"] == "1"


def test_link_sets_the_filters(seed_db, monkeypatch):
    import duckdb

    from analytics import queries
    from analytics.filters import Filters

    with duckdb.connect(str(seed_db), read_only=True) as con:  # before the page holds the file
        wagner = queries.overview_counts(con, Filters(actors=("Wagner Group",), kinds=("event",)))["events"]
        everyone = queries.overview_counts(con, Filters())["events"]
        wagner_incidents = queries.incident_count(con, Filters(actors=("Wagner Group",), kinds=("event",)))[
            "incidents"
        ]
    assert 0 < wagner_incidents <= wagner < everyone
    monkeypatch.setenv("DASHBOARD_DB", str(seed_db))
    at = render("pages/overview.py", {"actor": "Wagner Group", "kind": "event"})
    assert keyed(at.multiselect, "f_actor").value == ["Wagner Group"]
    assert keyed(at.multiselect, "f_kind").value == ["event"]
    assert (at.metric[0].label, at.metric[0].value) == ("Incidents", str(wagner_incidents))
    keyed(at.radio, "overview_unit").set_value("reports").run()
    assert (at.metric[0].label, at.metric[0].value) == ("Event reports", str(wagner))
    assert not at.sidebar.caption.values or not any("Ignored" in c for c in at.sidebar.caption.values)


def test_filters_survive_a_page_switch(seed_db, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DB", str(seed_db))
    at = render("pages/overview.py", {"actor": "Wagner Group"})
    at.switch_page("pages/aid.py").run()
    assert not at.exception
    assert keyed(at.multiselect, "f_actor").value == ["Wagner Group"]
    assert at.query_params["actor"] == "Wagner Group"


def test_malformed_link_gives_a_notice_not_an_exception(seed_db, monkeypatch):
    import duckdb

    from analytics import queries
    from analytics.filters import Filters

    with duckdb.connect(str(seed_db), read_only=True) as con:  # before the page holds the file
        all_incidents = queries.incident_count(con, Filters())["incidents"]
    monkeypatch.setenv("DASHBOARD_DB", str(seed_db))
    at = render("pages/overview.py", {"actor": "Nobody", "from": "2023-02-30", "kind": "bogus",
                                      "article": "../../etc", "scope": "galaxy", "__reduce__": "x"})  # fmt: skip
    notices = " ".join(w.value for w in at.main.warning)  # at the top of the page, not the sidebar's foot
    for expected in ("unknown actor 'Nobody'", "not a date", "unknown kind 'bogus'", "unknown article",
                     "unknown actor scope", "unknown parameter '__reduce__'"):  # fmt: skip
        assert expected in notices
    assert keyed(at.multiselect, "f_actor").value == []
    assert at.metric[0].value == str(all_incidents)  # every bad value ignored: nothing filtered


def test_clear_filters_button_empties_filters(seed_db, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DB", str(seed_db))
    at = render("pages/aid.py", {"actor": "Wagner Group"})  # Wagner has no aid figures: the empty state
    assert any("match the current filters" in i.value for i in at.info)
    next(b for b in at.button if b.label == "Clear filters" and b.key == "clear_aid").click().run()
    assert not at.exception
    assert keyed(at.multiselect, "f_actor").value == []
    assert not at.info


# ---- visible defects an analyst met (issue 12), each caught where it showed ----------------------


def _texts(at) -> list[str]:
    return [e.value for e in [*at.caption, *at.markdown]] + [m.help or "" for m in at.metric]


def test_data_page_says_what_the_table_is_and_prints_no_nan_or_none(seed_db, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DB", str(seed_db))
    at = render("pages/data.py")
    assert keyed(at.selectbox, "data_table").value == "records"
    assert "nan" not in [c.value.strip() for c in at.caption]
    assert any(c.value.startswith("Every record of every kind") for c in at.caption)
    rows = at.dataframe[-1].value
    import pandas as pd

    text = [c for c in rows.columns if pd.api.types.infer_dtype(rows[c], skipna=True) == "string"]
    assert text and not rows[text].isna().any().any(), "a missing text cell would print as a grey 'None'"
    # Blanking must leave every column as Arrow can take it (an object column of dates filled with ""
    # could not be sent without Streamlit's slow "automatic fixes").
    import datetime as dt

    import pyarrow as pa

    from ui.widgets import for_display

    mixed = pd.DataFrame({"actors": ["Russia", None], "span_start": [dt.date(2023, 5, 19), None]})
    shown = for_display(mixed)
    assert shown["actors"].tolist() == ["Russia", ""] and shown["span_start"].tolist()[1] is None
    pa.Table.from_pandas(shown)


def test_aid_headline_fits_its_metric_and_counts_agree_with_their_nouns(seed_db, monkeypatch):
    import re

    monkeypatch.setenv("DASHBOARD_DB", str(seed_db))
    for page, name in [
        ("pages/overview.py", "Aid to Ukraine"),
        ("pages/aid.py", "Aid to Ukraine, counted once"),
    ]:
        at = render(page)
        metric = next(m for m in at.metric if m.label == name)
        # Two currencies in one value were cut to "$616.9 bn…" in a fifth of the page's width.
        assert "·" not in metric.value and len(metric.value) <= 10, metric.value
        assert "—" not in [m.value for m in at.metric]
        for text in _texts(at):
            assert not re.search(r"(?<![\d,.])1 (figures|commitments|requests|donors|reports)\b", text), text


def test_upload_limit_reads_as_a_round_size(seed_db, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DB", str(seed_db))
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page("pages/add_articles.py").run()
    assert not at.exception
    caption = next(c.value for c in at.caption if "each" in c.value and "MB" in c.value)
    assert "up to 20 MB each" in caption and "20.97" not in caption


@pytest.mark.parametrize(("view", "drawn", "notice"), [
    ("Map", "event reports at", None),
    ("Atlas", "Click a theatre to drill down", "unknown view 'Atlas'"),
])  # fmt: skip
def test_theatres_view_from_the_link_builds_only_its_tab(view, drawn, notice, seed_db, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DB", str(seed_db))
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["view"] = view
    at.switch_page("pages/theatres.py")  # a shared link straight to the page
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    captions = [c.value for c in at.main.caption]
    assert any(drawn in c for c in captions), captions
    # The other tab's chart is not built: the map and the treemap never both run.
    other = "event reports at" if view != "Map" else "Click a theatre to drill down"
    assert not any(other in c for c in captions), captions
    warnings = " ".join(w.value for w in at.main.warning)
    assert (notice in warnings) if notice else not warnings


def test_rarer_filters_wait_behind_more_filters_and_keep_their_values(seed_db, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DB", str(seed_db))
    at = render("pages/overview.py")
    assert not [m for m in at.multiselect if m.key == "f_kind"], "not drawn until More filters is opened"
    everyone = at.metric[3].value
    at.session_state["_more_filters"] = True
    at.run()
    keyed(at.multiselect, "f_kind").set_value(["event"]).run()
    assert at.query_params["kind"] == "event" and at.metric[3].value == "0"
    at.session_state["_more_filters"] = False  # closed: the widget goes, its value stays
    at.run()
    at.run()
    assert not [m for m in at.multiselect if m.key == "f_kind"]
    assert at.query_params["kind"] == "event" and at.metric[3].value == "0"
    assert any("Also filtered by Kind" in c for c in at.sidebar.caption.values)
    at.session_state["_more_filters"] = True  # opened again: the widget shows the kept value
    at.run()
    assert keyed(at.multiselect, "f_kind").value == ["event"]
    assert everyone != "0"


def test_a_link_with_a_rarer_filter_opens_more_filters(seed_db, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DB", str(seed_db))
    at = render("pages/timeline.py", {"kind": "statement"})
    assert keyed(at.multiselect, "f_kind").value == ["statement"]


def test_listings_are_built_when_opened_and_the_link_keeps_them_open(seed_db, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DB", str(seed_db))
    at = render("pages/timeline.py")
    assert not at.dataframe, "no data grid on first paint"
    assert any(c.value.startswith("Records matching the filters: ") for c in at.caption)
    assert at.get("download_button"), "the CSV of every row is there with the listing closed"
    at.session_state["open_records"] = True
    at.run()
    assert len(at.dataframe) == 1 and len(at.dataframe[0].value) > 0
    assert at.query_params["records_open"] == "1"
    # A link to a page of a listing, or to an incident's reports, opens the listing it needs.
    at = render("pages/timeline.py", {"records_page": "1"})
    assert len(at.dataframe) == 1 and at.query_params["records_open"] == "1"
    at = render("pages/timeline.py", {"records_open": "maybe"})
    assert not at.dataframe and any("records listing state 'maybe'" in w.value for w in at.main.warning)


def test_the_aid_page_draws_its_tables_only_when_asked(seed_db, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DB", str(seed_db))
    at = render("pages/aid.py")
    assert not at.exception and not at.dataframe, "no data grid on the Aid page's first paint"
    at = render("pages/aid.py", {"aid_by_donor_stage_open": "1"})
    (grid,) = at.dataframe
    assert "donor" in grid.value.columns and at.query_params["aid_by_donor_stage_open"] == "1"


def test_overview_latest_items_link_their_sentences_without_a_grid(seed_db, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DB", str(seed_db))
    at = render("pages/overview.py")
    assert not at.dataframe
    latest = next(m.value for m in at.markdown if m.value.startswith("- **"))
    assert latest.count("\n- **") == 9 and "[Open ↗](reader?doc=" in latest


def test_the_latest_items_are_what_happened_not_what_is_planned(planned_db, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DB", str(planned_db))
    at = render("pages/overview.py")
    latest = " ".join(m.value for m in at.markdown)
    assert "2023\\-05\\-19" in latest  # the seed article's items are listed (dashes escaped in markdown)
    assert "Vilnius" not in latest  # the planned summit, dated July, does not head the list
    assert "1 planned item, not counted" in " ".join(c.value for c in at.caption)  # beside the items held


def test_aid_counts_show_as_whole_numbers(seed_db, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DB", str(seed_db))
    at = render("pages/aid.py")
    counts = {m.label: m.value for m in at.metric if m.label != "Aid to Ukraine, counted once"}
    assert counts and all(v.isdigit() for v in counts.values()), counts  # "7", never "7.0"
