"""Imported records on the dashboard: the origin filter, its link parameter, the map, and the Data page's import."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from tests.test_app import keyed, render

FIX = Path(__file__).parent / "fixtures" / "imports"


@pytest.fixture
def writable_db(seed_db, tmp_path) -> Path:
    """A copy of the seed database this test may import into."""
    path = tmp_path / "writable.duckdb"
    shutil.copyfile(seed_db, path)
    return path


def test_origin_link_shows_only_imported_records(imported_db, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DB", str(imported_db))
    at = render("pages/timeline.py", {"origin": "acled", "records_open": "1"})
    assert keyed(at.multiselect, "f_origin").value == ["acled"]
    rows = at.dataframe[-1].value
    assert len(rows) == 5 and set(rows["origin"]) == {"acled"}
    assert at.query_params["origin"] == "acled"


def test_origin_filter_narrows_the_rows(imported_db, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DB", str(imported_db))
    at = render("pages/timeline.py", {"records_open": "1"}, {"_more_filters": True})
    everything = at.dataframe[-1].value
    assert {"extracted", "acled"} <= set(everything["origin"])
    assert keyed(at.multiselect, "f_origin").options == ["Extracted from articles", "ACLED import"]
    keyed(at.multiselect, "f_origin").set_value(["extracted"]).run()
    assert not at.exception
    rows = at.dataframe[-1].value
    assert len(rows) == len(everything) - 5 and set(rows["origin"]) == {"extracted"}
    assert at.query_params["origin"] == "extracted"


def test_unknown_origin_in_the_link_is_ignored_with_a_notice(imported_db, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DB", str(imported_db))
    at = render("pages/overview.py", {"origin": ["gdelt", "acled"]})  # gdelt is a format, but not in this DB
    assert keyed(at.multiselect, "f_origin").value == ["acled"]
    assert any("unknown origin 'gdelt'" in w.value for w in at.main.warning)  # named at the top of the page
    assert at.metric[0].value == "5"


@pytest.mark.parametrize(
    "page", ["pages/overview.py", "pages/theatres.py", "pages/claims.py", "pages/data.py"]
)
def test_pages_render_with_imported_records(page, imported_db, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DB", str(imported_db))
    at = render(page)
    assert not at.info, [i.value for i in at.info]


def test_overview_lists_records_by_origin(imported_db, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DB", str(imported_db))
    at = render("pages/overview.py")
    text = " ".join(m.value for m in at.markdown)
    extracted = re.search(r"\*\*Extracted from 1 articles\*\*: (\d+) events", text)
    assert extracted and int(extracted.group(1)) > 0, text
    assert "**ACLED import**: 5 events (from 5 imported rows)" in text


def test_theatres_map_places_imported_events(imported_db, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DB", str(imported_db))
    at = render("pages/theatres.py", {"origin": "acled"})
    assert not any(c.value.startswith("5 of 5") for c in at.caption)  # the map is built only in its tab
    at.session_state["theatres_view"] = "Map"
    at.run()
    assert any(c.value.startswith("5 of 5 event reports at 5 points") for c in at.caption)


def upload(at, name: str, data: bytes):
    at.file_uploader(key="import_upload_0").set_value((name, data, "text/csv")).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_data_page_imports_a_dataset(writable_db, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DB", str(writable_db))
    at = render("pages/data.py", state={"_more_filters": True})
    assert keyed(at.multiselect, "f_origin").options == ["Extracted from articles"]
    upload(at, "acled_small.csv", (FIX / "acled_small.csv").read_bytes())
    assert (
        at.selectbox(key=next(s.key for s in at.selectbox if s.key.startswith("import_format_"))).value
        == "acled"
    )
    at.button(key="import_go").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert [s.value for s in at.success] == [
        "acled_small.csv (ACLED import, 5 rows): 5 added, 0 updated, 0 removed, 0 unchanged."
    ]
    assert not at.error
    # The sidebar, drawn before the page, lists the new origin on the same run.
    assert keyed(at.multiselect, "f_origin").options == ["Extracted from articles", "ACLED import"]
    assert not [u for u in at.file_uploader if u.key == "import_upload_0"], "the uploader is emptied"


def test_data_page_reports_a_malformed_file_and_stores_nothing(writable_db, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DB", str(writable_db))
    at = render("pages/data.py", state={"_more_filters": True})
    upload(at, "acled_bad_date.csv", (FIX / "acled_bad_date.csv").read_bytes())
    at.button(key="import_go").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.success
    (error,) = at.error
    assert error.value.startswith("acled_bad_date.csv was not imported, nothing was stored:")
    assert "row" in error.value and "event_date" in error.value
    assert keyed(at.multiselect, "f_origin").options == ["Extracted from articles"]


def test_data_page_wants_a_format_it_cannot_guess(writable_db, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DB", str(writable_db))
    at = render("pages/data.py")
    upload(at, "notes.txt", b"just some text\nnot a dataset\n")
    fmt = next(s for s in at.selectbox if s.key.startswith("import_format_"))
    assert fmt.value is None and at.button(key="import_go").disabled
    fmt.set_value("acled").run()
    at.button(key="import_go").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.error and "was not imported" in at.error[0].value


def test_import_is_off_on_a_read_only_server(seed_db, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DB", str(seed_db))
    monkeypatch.setenv("DASHBOARD_READ_ONLY", "1")
    at = render("pages/data.py")
    assert any("Importing is off" in w.value for w in at.warning)
    assert not [u for u in at.file_uploader if u.key.startswith("import_upload_")]


def test_import_helper_refuses_on_a_read_only_server(seed_db, monkeypatch):
    from ui.imports import import_upload

    monkeypatch.setenv("DASHBOARD_DB", str(seed_db))
    monkeypatch.setenv("DASHBOARD_READ_ONLY", "1")
    outcome = import_upload("acled", (FIX / "acled_small.csv").read_bytes(), "acled_small.csv")
    assert not outcome.ok and "DASHBOARD_READ_ONLY" in outcome.headline
