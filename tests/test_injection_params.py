"""Nothing a link or a filter carries becomes SQL: random and hostile strings for every query parameter
of every page render without an exception, and every query function takes hostile values as bound
parameters, with no SQL error and every table intact afterwards.

Hypothesis runs derandomized, so CI sees the same examples on every run.
"""

from __future__ import annotations

import datetime as dt
import inspect
import os
import shutil
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from analytics import export, queries
from analytics.filters import KINDS, QUERY_KEYS, Filters, from_query, where
from analytics.measures import AID_DIMENSIONS
from ui.navigation import PAGES as NAV_PAGES

APP = str(Path(__file__).resolve().parent.parent / "app.py")
PAGES = {p.file: p.title for p in NAV_PAGES}
HOSTILE = [
    "'; DROP TABLE events; --",
    "\"; DELETE FROM documents; --",
    "Russia' OR '1'='1",
    "x) UNION SELECT text FROM documents --",
    "?", "$1", "$name", "%s", "{where}", "{limit}", "{dimension}",
    "a\x00b", "\x00",
    "Россия", "🇺🇦🇷🇺", "\u202eevil\u202c", "e\u0301", "\u200b",
    "../../etc/passwd", "<script>alert(1)</script>", "=HYPERLINK(\"x\")",
    "x" * 100_000,
    "", " ", "\n", "\\", "'", '"', ";",
]  # fmt: skip
TABLES = ["documents", "sentences", "events", "aid_figures", "diplomatic_items", "statements", "record_actors",
          "record_themes", "record_sources", "actors", "themes", "theatres", "places"]  # fmt: skip

hostile = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=300))


@pytest.fixture(scope="module")
def fuzz_db(tmp_path_factory, seed_db) -> Path:
    """A copy of the seed database for this module alone, with its row counts."""
    path = tmp_path_factory.mktemp("fuzz") / "fuzz.duckdb"
    shutil.copy(seed_db, path)
    return path


@pytest.fixture(scope="module")
def vocab(fuzz_db) -> dict:
    con = duckdb.connect(str(fuzz_db))
    try:
        v = queries.vocabulary(con)
        v["doc_ids"] = [d for (d,) in con.execute("SELECT doc_id FROM documents").fetchall()]
        v["counts"] = counts(con)
        return v
    finally:
        con.close()


def counts(con) -> dict:
    return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}


# ---- every query function, with hostile values bound directly ------------------------------------


def filters_strategy(vocab):
    names = st.one_of(hostile, st.sampled_from(vocab["actors"][:20] + vocab["themes"] + vocab["theatres"]))
    return st.builds(
        Filters,
        actors=st.tuples(names, names) | st.just(()),
        actor_scope=st.one_of(st.sampled_from(["side", "country"]), hostile),
        themes=st.lists(names, max_size=3).map(tuple),
        theatres=st.lists(names, max_size=3).map(tuple),
        kinds=st.lists(st.one_of(st.sampled_from(KINDS), hostile), max_size=3).map(tuple),
        date_from=st.none() | st.dates(),
        date_to=st.none() | st.dates(),
        doc_id=st.none() | hostile | st.sampled_from(vocab["doc_ids"]),
        origins=st.lists(hostile, max_size=2).map(tuple),
    )


def every_query(con, f: Filters, text: str) -> None:
    """Each function of the query layer once, filtered by `f`, with `text` wherever a value goes in."""
    clause, params = where(f)
    con.execute(f"SELECT count(*) FROM records r WHERE {clause}", params).fetchall()
    for view in queries.VIEWS:
        queries.view_rows(con, view, f, limit=5)
        queries.view_count(con, view, f)
    queries.view_csv(con, "records", f)
    for table in ("events", "record_actors", "documents", "sentences"):  # one of each kind of export query
        queries.table_rows(con, table, f, limit=5)
    queries.table_csv(con, "documents", f)
    queries.actor_reach(con, [text, *f.actors])
    queries.article_exists(con, text)
    queries.article_title(con, text)
    queries.overview_counts(con, f)
    queries.timeline_records(con, f)
    queries.timeline_monthly(con, f)
    queries.record_count(con, f)
    totals = queries.aid_totals(con, f)
    queries.aid_summary(totals)
    for dimension in AID_DIMENSIONS:
        queries.currencies(queries.aid_tally(con, f, dimension))
    places = queries.theatre_places(con, f)
    queries.theatres_of(places)
    queries.map_places(con, f)
    queries.diplomacy_by_type(con, f)
    queries.diplomacy_by_participant(con, f)
    queries.stance_matrix(con, f)
    queries.articles(con, f, limit=5)
    queries.article(con, text)
    queries.article_sentences(con, text)
    queries.record_details(con, [text, "'; DROP TABLE events; --"])
    queries.aid_corrections(con, f)
    queries.view_filename("records", f)


def test_every_query_function_binds_hostile_values(fuzz_db, vocab):
    con = duckdb.connect(str(fuzz_db))
    try:
        # About 40 queries an example, ~0.5 s: the pages' own fuzzing below covers the rest of the way in.
        @settings(max_examples=40, deadline=None, derandomize=True, database=None,
                  suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])  # fmt: skip
        @given(f=filters_strategy(vocab), text=hostile)
        @example(f=Filters(actors=("'; DROP TABLE events; --",), doc_id="' OR 1=1 --", kinds=("event'; --",)),
                 text="'; DROP TABLE documents; --")  # fmt: skip
        @example(f=Filters(themes=("a\x00b",), theatres=("x" * 100_000,), origins=("$1",)), text="\x00")
        def check(f, text):
            every_query(con, f, text)

        check()
        # The queries that take no filters, and the tables the filters do not reach, once.
        for table in sorted(export.EXPORTABLE):
            queries.table_rows(con, table, Filters(actors=("'; DROP TABLE events; --",)), limit=5)
            queries.table_count(con, table, Filters(doc_id="' OR 1=1 --"))
        queries.table_descriptions(con)
        queries.vocabulary(con)
        queries.coverage(con)
        queries.sources(con)
        queries.map_landmarks(con)
        assert counts(con) == vocab["counts"]
    finally:
        con.close()


@pytest.mark.parametrize("name", ["'; DROP TABLE events; --", "events; DROP TABLE documents", "events\x00",
                                  "records r, documents", "EVENTS", "", "../events"])  # fmt: skip
def test_identifiers_come_only_from_allow_lists(fuzz_db, vocab, name):
    con = duckdb.connect(str(fuzz_db))
    try:
        with pytest.raises(ValueError, match="unknown dimension"):
            queries.aid_tally(con, Filters(), name)
        with pytest.raises(ValueError, match="unknown view"):
            queries.view_rows(con, name, Filters())
        with pytest.raises(ValueError, match="unknown table"):
            queries.table_rows(con, name, Filters())
        with pytest.raises(ValueError, match="unknown table"):
            export.export_query(name, Filters())
        assert counts(con) == vocab["counts"]
    finally:
        con.close()


# ---- a link's parameters: parsed against allow-lists, then every page rendered -------------------


def query_strategy(vocab):
    def values(*valid):
        return st.lists(st.one_of(hostile, st.sampled_from(list(valid))), min_size=1, max_size=4)

    known = {
        "actor": values(*vocab["actors"][:10]),
        "scope": values("side", "country"),
        "theme": values(*vocab["themes"]),
        "theatre": values(*vocab["theatres"]),
        "kind": values(*KINDS),
        "from": values("2023-05-01", "2023-02-30", "2023-W01-1", "+999999-01-01", "2023-05-01T00:00"),
        "to": values("2023-05-31", "1900-01-01", "9999-12-31"),
        "article": values(*vocab["doc_ids"], "../../etc"),
    }
    # A parameter added later is fuzzed too, with hostile values and the origins the database knows.
    known = {
        key: known.get(key, values("extracted", "acled", "gdelt", "eyes-on-russia")) for key in QUERY_KEYS
    }
    unknown = st.dictionaries(st.text(min_size=1, max_size=30).filter(lambda k: k not in QUERY_KEYS),
                              st.lists(hostile, min_size=1, max_size=2), max_size=2)  # fmt: skip
    return st.fixed_dictionaries({}, optional=known).flatmap(lambda d: unknown.map(lambda u: {**u, **d}))


def test_from_query_keeps_only_known_values(vocab):
    @settings(max_examples=400, deadline=None, derandomize=True, database=None)
    @given(params=query_strategy(vocab))
    def check(params):
        lists = {k: vocab[k] for k in ("actors", "themes", "theatres", "origins") if k in vocab}
        if "origins" not in inspect.signature(from_query).parameters:
            lists.pop("origins", None)
        f, notices = from_query(params, **lists, article_exists=lambda d: d in vocab["doc_ids"])
        assert set(f.actors) <= set(vocab["actors"]) and set(f.themes) <= set(vocab["themes"])
        assert set(f.theatres) <= set(vocab["theatres"]) and set(f.kinds) <= set(KINDS)
        assert f.actor_scope in ("side", "country")
        assert f.doc_id is None or f.doc_id in vocab["doc_ids"]
        assert all(isinstance(n, str) and len(n) < 200 for n in notices)

    check()


@pytest.fixture(scope="module")
def app_env(fuzz_db):
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DASHBOARD_DB", str(fuzz_db))
        yield


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_whatever_the_link_carries(page, app_env, vocab):
    # Each example is a full render of the app (~0.3 s): fifteen per page plus the worst ones pinned.
    @settings(max_examples=15, deadline=None, derandomize=True, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])  # fmt: skip
    @given(params=query_strategy(vocab))
    @example(params={k: ["'; DROP TABLE events; --", "a\x00b"] for k in QUERY_KEYS} | {"__reduce__": ["x"]})
    @example(params={"actor": ["x" * 100_000], "article": ["' OR 1=1 --"], "from": ["2023-05-01"],
                     "to": ["2023-04-01"], "kind": ["event"], "scope": ["country"]})  # fmt: skip
    def check(params):
        at = AppTest.from_file(APP, default_timeout=60)
        for key, value in params.items():
            at.query_params[key] = value
        at.switch_page(page)
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        assert [t.value for t in at.title] == [PAGES[page]], "the page drew to its end"

    check()
    con = duckdb.connect(os.environ["DASHBOARD_DB"])
    try:
        assert counts(con) == vocab["counts"]
    finally:
        con.close()


def test_dates_far_out_of_range_are_bound_not_formatted(fuzz_db):
    con = duckdb.connect(str(fuzz_db))
    try:
        f = Filters(date_from=dt.date.min, date_to=dt.date.max, actors=("'",))
        assert queries.record_count(con, f) == 0
    finally:
        con.close()
