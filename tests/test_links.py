"""Links keep everything: each page's own controls in the URL, unknown values named at the top, search and reader."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parent.parent / "app.py")


def opened(page: str, query: dict, db: Path, monkeypatch) -> AppTest:
    """A session opened from a link straight to `page` (as a browser opening the address does)."""
    monkeypatch.setenv("DASHBOARD_DB", str(db))
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    at.switch_page(page)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def keyed(elements, key: str):
    return next(e for e in elements if e.key == key)


def top_notice(at: AppTest) -> str:
    return " ".join(w.value for w in at.main.warning)


@pytest.fixture
def db(seed_db, tmp_path) -> Path:
    """A copy: the search index is written beside the database."""
    import shutil

    path = tmp_path / "seed.duckdb"
    shutil.copyfile(seed_db, path)
    return path


def test_data_table_choice_lives_in_the_link(db, monkeypatch):
    at = opened("pages/data.py", {"table": "documents"}, db, monkeypatch)
    assert keyed(at.selectbox, "data_table").value == "documents"
    assert at.query_params["table"] == ["documents"] or at.query_params["table"] == "documents"
    keyed(at.selectbox, "data_table").set_value("sentences").run()
    assert at.query_params["table"] in ("sentences", ["sentences"])


def test_unknown_table_is_named_at_the_top_and_the_default_shown(db, monkeypatch):
    at = opened("pages/data.py", {"table": "passwords"}, db, monkeypatch)
    assert "unknown table 'passwords'" in top_notice(at)
    assert keyed(at.selectbox, "data_table").value == "records"


def test_count_unit_and_colour_live_in_the_link(db, monkeypatch):
    at = opened("pages/timeline.py", {"unit": "reports", "colour": "theme"}, db, monkeypatch)
    assert keyed(at.radio, "timeline_unit").value == "reports"
    assert keyed(at.radio, "timeline_colour").value == "theme"
    at.switch_page("pages/overview.py").run()  # the unit is one choice for every page
    assert at.metric[0].label == "Event reports"


def test_a_control_another_page_has_is_named_and_dropped(db, monkeypatch):
    at = opened("pages/aid.py", {"table": "documents", "unit": "galaxies"}, db, monkeypatch)
    notice = top_notice(at)
    assert "table='documents' is not a control of this page" in notice
    assert "unit='galaxies'" in notice
    assert "table" not in at.query_params and "unit" not in at.query_params


def test_search_from_a_link_lists_records_and_sentences_that_open_in_the_reader(db, monkeypatch):
    at = opened("pages/search.py", {"q": "Bakhmut"}, db, monkeypatch)
    assert keyed(at.text_input, "search_q").value == "Bakhmut"
    records = at.dataframe[0].value
    sentences = at.dataframe[1].value
    assert len(records) > 0 and len(sentences) > 0
    assert all("«Bakhmut»" in m for m in sentences["match"])
    assert all(link.startswith("reader?doc=") for link in records["open"])


def test_search_with_the_sidebar_filters(db, monkeypatch):
    at = opened("pages/search.py", {"q": "Bakhmut", "kind": "event"}, db, monkeypatch)
    assert set(at.dataframe[0].value["kind"]) == {"event"}


def test_search_text_that_cannot_be_read_says_why(db, monkeypatch):
    at = opened("pages/search.py", {"q": '"Black Sea'}, db, monkeypatch)
    assert any("never closed" in w.value for w in at.warning)


def test_reader_opens_the_sentence_of_a_link(db, monkeypatch):
    import duckdb

    with duckdb.connect(str(db), read_only=True) as con:
        doc, no, text = con.execute("""SELECT s.doc_id, s.sentence_no, s.text FROM sentences s
                                       JOIN events e USING (doc_id, sentence_no) ORDER BY 2 LIMIT 1""").fetchone()
    at = opened("pages/reader.py", {"doc": doc, "sentence": str(no)}, db, monkeypatch)
    assert f"Sentence {no}" in [h.value for h in at.subheader]
    first_words = " ".join(text.split()[:4])
    assert any(
        first_words.replace("’", "'") in m.value.replace("\\", "").replace("’", "'") for m in at.markdown
    )
    assert at.query_params["doc"] in (doc, [doc])


@pytest.mark.parametrize(("query", "expected"), [
    ({"doc": "0000000000000000"}, "unknown article '0000000000000000'"),
    ({"doc": "../etc/passwd"}, "unknown article"),
])  # fmt: skip
def test_reader_names_an_unknown_article(db, monkeypatch, query, expected):
    at = opened("pages/reader.py", query, db, monkeypatch)
    assert expected in top_notice(at)


def test_reader_names_a_sentence_the_article_does_not_have(db, monkeypatch):
    import duckdb

    with duckdb.connect(str(db), read_only=True) as con:
        doc = con.execute("SELECT doc_id FROM documents LIMIT 1").fetchone()[0]
    at = opened("pages/reader.py", {"doc": doc, "sentence": "99999"}, db, monkeypatch)
    assert "sentence 99999 is not in this article" in top_notice(at)


def _traces(at: AppTest) -> list[str]:
    """The names of every trace the page drew."""
    import json

    return [t.get("name", "") for c in at.get("plotly_chart") for t in json.loads(c.proto.spec)["data"]]


def test_timeline_opens_on_counts_and_draws_each_record_when_the_link_asks(db, monkeypatch):
    at = opened("pages/timeline.py", {}, db, monkeypatch)
    names = _traces(at)
    assert "Events" in names and not any(n.endswith("(day)") for n in names)  # monthly bars by kind
    assert not any(r.key == "timeline_colour" for r in at.radio)
    assert "view" not in at.query_params  # the default is left out of the link
    at = opened("pages/timeline.py", {"view": "Each record"}, db, monkeypatch)
    assert keyed(at.radio, "timeline_colour").value == "kind"
    assert "Events (day)" in _traces(at)  # the records as points on their day
    assert at.query_params["view"] in ("Each record", ["Each record"])
    at = opened("pages/timeline.py", {"view": "Gantt"}, db, monkeypatch)
    assert "unknown view 'Gantt'" in top_notice(at)
