"""record_facts, the one table filters and aggregates read, equals what the joins over the record and
link tables give: after ingest, after an import and a re-import, after a deletion and an ingest again,
and after the migration that made it a table."""

from __future__ import annotations

import shutil

import pytest

from analytics import queries
from analytics.filters import Filters
from analytics.importers import import_file
from analytics.ingest import ingest_paths
from analytics.store import connect, writer
from tests.conftest import CORPUS, ROOT, SEED, needs_shared
from tests.test_migrations import release1_db  # noqa: F401 - the fixture of a previous release's file

FIX = ROOT / "tests" / "fixtures" / "imports"
COLUMNS = ("record_id, kind, type, subtype, doc_id, sentence_no, start_char, end_char, location, theatre, date, "
           "date_precision, date_basis, span_start, span_end, unverified, origin, confidence, factuality, lat, lon, "
           "period_start, period_end, actor_names, sides, themes, cited, contested, claimed_by, denied_by, said")  # fmt: skip

# What the table must hold, written independently of the writer's SQL: the four kind tables as the
# view of migration 5 read them, and each record's links aggregated by a join.
JOINED = """
WITH r AS (
    SELECT record_id, 'event' AS kind, event_type AS type, sub_event_type AS subtype, doc_id, sentence_no,
           start_char, end_char, location, theatre, date, date_precision, date_basis, span_start, span_end,
           unverified, origin, confidence, factuality, lat, lon FROM events
    UNION ALL
    SELECT record_id, 'aid', record_type, aid_type, doc_id, sentence_no, start_char, end_char, location, theatre,
           date, date_precision, date_basis, span_start, span_end, unverified, origin, confidence, factuality,
           NULL, NULL FROM aid_figures
    UNION ALL
    SELECT record_id, 'diplomacy', item_type, status, doc_id, sentence_no, start_char, end_char, location, theatre,
           date, date_precision, date_basis, span_start, span_end, unverified, origin, confidence, factuality,
           NULL, NULL FROM diplomatic_items
    UNION ALL
    SELECT record_id, 'statement', stance, NULL, doc_id, sentence_no, start_char, end_char, location, theatre,
           date, date_precision, date_basis, span_start, span_end, unverified, origin, confidence, factuality,
           NULL, NULL FROM statements
),
names AS (
    SELECT record_id, list_sort(list(DISTINCT name)) AS actor_names FROM (
        SELECT record_id, actor AS name FROM record_actors UNION ALL SELECT record_id, side FROM record_actors)
    WHERE name IS NOT NULL GROUP BY record_id
),
sides AS (SELECT record_id, list_sort(list(DISTINCT side)) AS sides FROM record_actors GROUP BY 1),
themes AS (SELECT record_id, list_sort(list(DISTINCT theme)) AS themes FROM record_themes GROUP BY 1),
-- as the Claims listing computed them at read time before migration 6
src AS (
    SELECT record_id,
           list_distinct(list(actor) FILTER (WHERE stance <> 'denies')) AS claimants,
           list_distinct(list(actor) FILTER (WHERE stance = 'denies')) AS deniers,
           list_distinct(list(actor)) AS everyone
    FROM record_sources GROUP BY record_id
),
-- as the stance matrix joined them at read time before migration 6
said AS (
    SELECT record_id, list_sort(list({'side': side, 'stance': stance})) AS said FROM (
        SELECT record_id, speaker AS side, stance FROM statements WHERE speaker IS NOT NULL
        UNION
        SELECT record_id, actor, stance FROM record_sources)
    GROUP BY record_id
)
SELECT r.*, coalesce(r.span_start, r.date) AS period_start, period_end(r.date, r.date_precision, r.span_end),
       -- a record whose actors are all unnamed has an empty list, not none
       CASE WHEN r.record_id IN (SELECT record_id FROM record_actors) THEN coalesce(n.actor_names, []) END,
       s.sides, t.themes, r.record_id IN (SELECT record_id FROM record_sources) AS cited,
       coalesce(len(src.claimants) > 0 AND len(src.deniers) > 0 AND len(src.everyone) > 1, false),
       array_to_string(list_sort(src.claimants), ', '), array_to_string(list_sort(src.deniers), ', '), said.said
FROM r LEFT JOIN names n USING (record_id) LEFT JOIN sides s USING (record_id) LEFT JOIN themes t USING (record_id)
LEFT JOIN src USING (record_id) LEFT JOIN said USING (record_id)
ORDER BY record_id
"""


def flat(con) -> list[tuple]:
    return con.execute(f"SELECT {COLUMNS} FROM record_facts ORDER BY record_id").fetchall()  # noqa: S608


def joined(con) -> list[tuple]:
    return con.execute(JOINED).fetchall()


def assert_same(con) -> list[tuple]:
    got, want = flat(con), joined(con)
    assert len(got) == len(want)
    assert got == want
    return got


def test_after_ingest_of_the_seed(tmp_path):
    con = connect(tmp_path / "db.duckdb")
    try:
        [r] = ingest_paths(con, [SEED])
        rows = assert_same(con)
        assert r.status == "added" and len(rows) == r.records > 0
        assert any(row[24] for row in rows) and any(row[25] for row in rows), "sides and themes folded in"
    finally:
        con.close()


@needs_shared(CORPUS)
def test_after_ingest_of_corpus_articles(tmp_path):
    con = connect(tmp_path / "db.duckdb")
    try:
        results = ingest_paths(con, sorted(CORPUS.glob("*.txt"))[:25])
        rows = assert_same(con)
        assert len(rows) == sum(r.records for r in results) > 20
        assert {row[1] for row in rows} >= {"event", "statement"}
        assert any(row[26] for row in rows), "some record is attributed to a side"
    finally:
        con.close()


def test_after_an_import_and_a_reimport_that_updates_and_removes(db):
    ingest_paths(db, [SEED])
    import_file(db, "acled", FIX / "acled_small.csv")
    first = {row[0] for row in assert_same(db)}
    r = import_file(db, "acled", FIX / "acled_newer.csv")
    assert r.updated and r.removed, "the fixture updates and removes records"
    after = {row[0] for row in assert_same(db)}
    assert first - after, "removed records left the table"
    import_file(db, "gdelt", FIX / "gdelt_small.export.CSV")
    assert_same(db)


def test_after_deleting_an_articles_records_and_ingesting_it_again(db):
    ingest_paths(db, [SEED])
    before = assert_same(db)
    with writer.transaction(db, what="the test's deletion"):
        db.execute("CREATE OR REPLACE TEMP TABLE _gone AS SELECT record_id FROM events")
        writer.delete_records(db, "_gone")
    left = assert_same(db)
    assert not [row for row in left if row[1] == "event"], "no event stays in the table"
    # delete_records takes the article with its records: every record of it, then, before ingesting again.
    with writer.transaction(db, what="the test's deletion"):
        db.execute("CREATE OR REPLACE TEMP TABLE _gone AS SELECT record_id FROM record_facts")
        writer.delete_records(db, "_gone")
    assert flat(db) == [] == joined(db)
    [r] = ingest_paths(db, [SEED])
    assert r.status == "added"
    assert assert_same(db) == before


def test_a_failed_write_leaves_the_table_as_it_was(db, monkeypatch):
    ingest_paths(db, [SEED])
    before = assert_same(db)

    def broken(con, ids_sql, params=None):
        raise RuntimeError("the sync failed")

    monkeypatch.setattr(writer, "sync_record_facts", broken)
    with pytest.raises(RuntimeError, match="sync failed"):
        import_file(db, "acled", FIX / "acled_small.csv")
    assert assert_same(db) == before


def test_a_previous_release_file_gets_the_table_filled_by_the_migration(release1_db):  # noqa: F811
    con = connect(release1_db)
    try:
        rows = assert_same(con)
        assert {row[16] for row in rows} >= {"extracted", "acled"} and len(rows) > 10
    finally:
        con.close()


@pytest.mark.parametrize(
    "filters",
    [Filters(actors=("Russia",)), Filters(actors=("Ukraine", "United States")), Filters(themes=("strikes",)),
     Filters(themes=("diplomacy", "sanctions"), actors=("Russia",)), Filters(actors=("Russia",), actor_scope="country")],
)  # fmt: skip
def test_filters_on_the_folded_links_pick_the_records_the_joins_pick(imported_db, tmp_path, filters):
    path = tmp_path / "copy.duckdb"
    shutil.copyfile(imported_db, path)
    con = connect(path)
    try:
        want = con.execute(
            """SELECT count(*) FROM record_facts r
               WHERE (len(?::VARCHAR[]) = 0 OR r.record_id IN (SELECT record_id FROM record_actors
                      WHERE actor IN (SELECT unnest(?::VARCHAR[])) OR side IN (SELECT unnest(?::VARCHAR[]))))
                 AND (len(?::VARCHAR[]) = 0 OR r.record_id IN (SELECT record_id FROM record_themes
                      WHERE theme IN (SELECT unnest(?::VARCHAR[]))))
                 AND coalesce(r.confidence, 1.0) >= 0.7""",
            [list(filters.actors)] * 3 + [list(filters.themes)] * 2,
        ).fetchone()[0]
        got = queries.record_count(con, filters)
        if filters.actor_scope == "country":
            assert got >= want  # the country scope adds the country's actors to the side's
        else:
            assert got == want
        assert want > 0
    finally:
        con.close()
