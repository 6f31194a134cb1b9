"""Reads run under a time limit: a genuinely runaway DuckDB query is interrupted and reported as a
QueryTimeout that the dashboard shows as a message, while other queries carry on."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from analytics import export, queries
from analytics.store import QueryTimeout, time_limit

RUNAWAY = "SELECT count(*) AS n FROM range(1000000000) a, range(1000000000) b WHERE a.range + b.range = 7"
APP = str(Path(__file__).resolve().parent.parent / "app.py")


def test_a_runaway_query_is_stopped_with_a_message():
    con = duckdb.connect()
    cur = con.cursor()
    # The runaway would take days: that it raises at all means it was interrupted.
    with pytest.raises(QueryTimeout, match=r"longer than 0\.3 s .* narrow the filters"):
        with time_limit(cur, 0.3):
            cur.sql(RUNAWAY).fetchall()
    assert con.execute("SELECT 42").fetchone() == (42,)  # the connection is fine afterwards


def test_the_query_layer_reads_under_the_configured_limit(monkeypatch):
    monkeypatch.setenv("DASHBOARD_QUERY_TIMEOUT", "0.3")
    con = duckdb.connect()
    with pytest.raises(QueryTimeout):
        queries._frame(con, RUNAWAY, [])
    assert queries._frame(con, "SELECT ? AS x", [1])["x"].tolist() == [1]


def test_a_dashboard_csv_extract_is_limited_too(monkeypatch):
    monkeypatch.setenv("DASHBOARD_QUERY_TIMEOUT", "0.05")  # extracts get six times the page's limit
    with pytest.raises(QueryTimeout):
        export.csv_bytes(duckdb.connect(), RUNAWAY, [])


def test_stopping_one_query_leaves_the_others_running():
    con = duckdb.connect()
    errors, fast = [], []

    def slow():
        cur = con.cursor()
        try:
            with time_limit(cur, 0.5):
                cur.sql(RUNAWAY).fetchall()
        except QueryTimeout as exc:
            errors.append(exc)

    t = threading.Thread(target=slow)
    t.start()
    while t.is_alive():
        cur = con.cursor()
        with time_limit(cur, 5):
            fast.append(cur.execute("SELECT sum(range) FROM range(1000)").fetchone()[0])
        cur.close()
        time.sleep(0.02)
    assert len(errors) == 1 and fast and set(fast) == {499500}


def test_a_page_shows_the_timeout_as_a_message_not_a_traceback(seed_db, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DB", str(seed_db))
    monkeypatch.setenv("DASHBOARD_QUERY_TIMEOUT", "0.3")
    monkeypatch.setattr(queries, "coverage", lambda con: queries._one(con, RUNAWAY, []))
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("took longer than 0.3 s" in w.value for w in at.warning), [w.value for w in at.warning]


def test_reads_in_flight_counts_running_reads(seed_db):
    """What the dashboard shows as 'requests ahead': reads running now, each counted until it ends
    (a slow read in another thread, on a cursor of its own)."""
    import threading

    import duckdb

    from analytics.store.connection import reads_in_flight

    con = duckdb.connect(str(seed_db), read_only=True)
    started, release = threading.Event(), threading.Event()

    def slow():
        cur = con.cursor()
        with time_limit(cur, 0):
            started.set()
            release.wait(30)
            cur.execute("SELECT count(*) FROM records").fetchall()
        cur.close()

    assert reads_in_flight() == 0
    t = threading.Thread(target=slow)
    t.start()
    try:
        assert started.wait(30)
        assert reads_in_flight() == 1
    finally:
        release.set()
        t.join(30)
        con.close()
    assert reads_in_flight() == 0
