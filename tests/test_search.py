"""Search: the query language, the FTS5 index kept in step with ingest and with a changed database, filters."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from analytics import search
from analytics.filters import Filters


@pytest.mark.parametrize(("text", "fts"), [
    ("Bakhmut", '"Bakhmut"'),
    ('"Black Sea" fleet', '"Black Sea" AND "fleet"'),
    ("sanction*", '"sanction"*'),
    ("Kyiv OR Kiev drones", '("Kyiv" OR "Kiev") AND "drones"'),
    ("Russia -Ukraine", '"Russia" NOT "Ukraine"'),
    ('Russia -"Black Sea"', '"Russia" NOT "Black Sea"'),
    # Operators and column filters of FTS5 are words here, never syntax.
    ('a" OR text:b NEAR(', None),
])  # fmt: skip
def test_analyst_text_becomes_a_quoted_fts5_query(text, fts):
    if fts is None:  # odd quotes: refused with what to do
        with pytest.raises(search.SearchQueryError, match="never closed"):
            search.parse_query(text)
    else:
        assert search.parse_query(text) == fts


def test_injection_attempts_are_plain_words():
    assert search.parse_query("text:b NEAR(x) ^y") == '"text b" AND "NEAR x" AND "y"'


@pytest.mark.parametrize("text", ["", "   ", "-Wagner", "*** ---"])
def test_nothing_to_find_is_a_clear_error(text):
    with pytest.raises(search.SearchQueryError):
        search.parse_query(text)


@pytest.fixture
def db_copy(seed_db, tmp_path) -> Path:
    path = tmp_path / "copy.duckdb"
    shutil.copyfile(seed_db, path)
    return path


def _article(folder: Path, name: str, body: str) -> Path:
    path = folder / name
    path.write_text(f"---\ntitle: {name}\npublished: 2023-06-01\nurl: https://www.example.org/{name}\n---\n"
                    f"{name}\n\n{body}\n", encoding="utf-8")  # fmt: skip
    return path


def test_ingest_updates_the_index_and_search_finds_the_new_sentence(db_copy, tmp_path):
    from analytics.ingest import ingest_paths
    from analytics.store import connect

    con = connect(db_copy)
    try:
        assert len(search.sentence_hits(con, "Bakhmut")) > 0  # the seed, indexed on first search
        assert len(search.sentence_hits(con, "Zorgville")) == 0
        _article(
            tmp_path, "zorg.md", "Russian forces shelled Zorgville on Monday, the regional governor said."
        )
        ingest_paths(con, [tmp_path / "zorg.md"])
        # Ingest refreshed the index: it is in step before any search runs.
        assert search.sync(con).added == 0
        hits = search.sentence_hits(con, "zorgv*")
        assert len(hits) == 1 and "«Zorgville»" in hits.frame["match"][0] and hits.ranked
        assert len(search.sentence_hits(con, '"shelled Zorgville"')) == 1
        assert len(search.sentence_hits(con, '"Zorgville shelled"')) == 0  # a phrase keeps its order
    finally:
        con.close()


def test_an_index_out_of_step_catches_up_by_the_stamp(db_copy, tmp_path):
    """A database changed behind the index (a restore, another writer): the next search sees it."""
    from analytics.store import connect

    con = connect(db_copy)
    try:
        search.sync(con)
        doc = con.execute("SELECT doc_id FROM documents LIMIT 1").fetchone()[0]
        # Written directly, without the refresh: the index is stale until the stamp is compared.
        con.execute("DELETE FROM sentences WHERE doc_id = ?", [doc])
        con.execute("DELETE FROM documents WHERE doc_id = ?", [doc])
        assert len(search.sentence_hits(con, "Bakhmut")) == 0
    finally:
        con.close()


def test_records_found_are_filtered_by_the_sidebar(db_copy):
    from analytics.store import connect

    con = connect(db_copy)
    try:
        hits = search.sentence_hits(con, "Bakhmut")
        everything = search.page(con, "records", hits, Filters(), 1000, 0)
        events = search.page(con, "records", hits, Filters(kinds=("event",)), 1000, 0)
        assert search.count(con, "records", hits, Filters()) == len(everything)
        assert len(search.page(con, "records", hits, Filters(), 1, 1)) == 1
        assert len(everything) > 0 and len(events) > 0
        assert set(events["kind"]) == {"event"}
        assert all("«Bakhmut»" in m for m in everything["match"])
        assert list(everything["rank"]) == sorted(everything["rank"])  # best match first
        assert search.count(con, "sentences", hits, Filters()) == len(hits)
        nobody = search.page(con, "sentences", hits, Filters(actors=("Nobody at all",)), 100, 0)
        assert nobody.empty  # sentences keep to articles with a record matching the filters
    finally:
        con.close()


def test_too_many_matches_are_taken_unranked_and_say_so(db_copy, monkeypatch):
    from analytics.store import connect

    con = connect(db_copy)
    try:
        monkeypatch.setattr(search, "RANK_LIMIT", 2)
        hits = search.sentence_hits(con, "Russia*")
        assert not hits.ranked and hits.total > 2
        assert "too many to rank" in hits.describe()
    finally:
        con.close()


def test_a_damaged_index_is_rebuilt_from_the_database(db_copy):
    from analytics.store import connect

    search.index_path(db_copy).write_bytes(b"not an index at all" * 100)
    con = connect(db_copy)
    try:
        assert len(search.sentence_hits(con, "Bakhmut")) > 0
    finally:
        con.close()


def test_temporary_build_files_get_no_index(tmp_path):
    import duckdb

    con = duckdb.connect(str(tmp_path / "x.duckdb.building"))
    try:
        assert search.refresh(con) is None
    finally:
        con.close()
    assert not list(tmp_path.glob("*.search.sqlite"))
