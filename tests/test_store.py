"""The schema on a real temporary DuckDB file; ingest idempotency and atomicity."""

from __future__ import annotations

import shutil
import subprocess
import sys

import duckdb
import pytest

from analytics.corpus import read_document
from analytics.extract import extract, record_id
from analytics.ingest import ensure_database, ingest_paths
from analytics.store import connect
from analytics.store.writer import rows_for
from tests.conftest import SEED

TABLES = {
    "meta", "documents", "sentences", "actors", "actor_aliases", "places", "place_aliases", "theatres",
    "themes", "theme_cues", "events", "aid_figures", "diplomatic_items", "statements", "record_actors",
    "record_themes", "record_sources", "import_details", "schema_info",
    "record_facts",  # kept by the writer beside the record tables (migration 6)
}  # fmt: skip
# Rebuilt from the records by analytics.derive (analytics/derive/schema.sql), plus analysts' corrections.
DERIVED = {"incident_clusters", "incident_reports", "incident_matches", "aid_ledger", "aid_ledger_sources",
           "contested_pairs", "derive_corrections"}  # fmt: skip


def counts(con) -> dict[str, int]:
    return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in sorted(TABLES - {"meta"})}


def test_every_table_exists_with_a_comment(db):
    rows = db.execute("SELECT table_name, comment FROM duckdb_tables() WHERE schema_name = 'main'").fetchall()
    assert {name for name, _ in rows} == TABLES | DERIVED
    assert all(comment for _, comment in rows), [name for name, c in rows if not c]
    assert db.execute("SELECT count(*) FROM duckdb_views() WHERE view_name = 'records'").fetchone()[0] == 1


def test_seed_database_holds_the_seed_records(seed_db):
    con = duckdb.connect(str(seed_db), read_only=True)
    try:
        doc = con.execute("SELECT published, published_basis, n_sentences FROM documents").fetchall()
        assert [(str(d), b, n) for d, b, n in doc] == [("2023-05-19", "inferred", 19)]
        kinds = dict(con.execute("SELECT kind, count(*) FROM records GROUP BY kind").fetchall())
        assert kinds.keys() == {"event", "aid", "diplomacy", "statement"}
        aid = con.execute("SELECT record_type, donor, amount, currency FROM aid_figures").fetchall()
        assert aid == [("correction", "United States", 3e9, "USD")]
        # Every record points at a sentence whose text is its quote.
        bad = con.execute(
            """SELECT count(*) FROM records r JOIN documents d USING (doc_id)
               WHERE substr(d.text, r.start_char + 1, r.end_char - r.start_char) <> r.sentence"""
        ).fetchone()[0]
        assert bad == 0
        sides = con.execute("SELECT DISTINCT side FROM record_actors ORDER BY 1").fetchall()
        assert ("United States",) in sides and ("Wagner Group",) in sides
    finally:
        con.close()


def test_record_ids_are_stable_across_rebuilds(tmp_path):
    a, b = tmp_path / "a.duckdb", tmp_path / "b.duckdb"
    ensure_database(a)
    ensure_database(b)
    ids = []
    for p in (a, b):
        con = duckdb.connect(str(p), read_only=True)
        ids.append(con.execute("SELECT record_id FROM records ORDER BY 1").fetchall())
        con.close()
    assert ids[0] == ids[1] and len(ids[0]) > 10


def test_ingest_is_idempotent_and_incremental(db, tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    shutil.copy(SEED, folder / SEED.name)
    first = ingest_paths(db, [folder])
    before = counts(db)
    # The same article under another name, and again: stored once, by content hash.
    shutil.copy(SEED, folder / "copy-of-seed.txt")
    second = ingest_paths(db, [folder])
    assert [r.status for r in first] == ["added"]
    assert sorted(r.status for r in second) == ["present", "present"]
    assert counts(db) == before
    (folder / "new.md").write_text(
        "---\npublished: 2023-06-06\n---\nThe Kakhovka dam was destroyed. Ukraine accused Russia of blowing it up.\n"
    )
    third = ingest_paths(db, [folder])
    assert sorted(r.status for r in third) == ["added", "present", "present"]
    assert counts(db)["documents"] == 2


def test_failed_article_mid_batch_leaves_no_partial_rows(db, tmp_path):
    folder = tmp_path / "batch"
    folder.mkdir()
    good1 = folder / "a.md"
    good1.write_text("---\npublished: 2023-01-01\n---\nRussian forces shelled Kherson on Sunday.\n")
    bad = folder / "b.md"
    bad.write_text("---\npublished: 2023-01-02\n---\nUkraine accused Russia of shelling Kharkiv.\n")
    good2 = folder / "c.md"
    good2.write_text("---\npublished: 2023-01-03\n---\nThe EU imposed new sanctions on Russian banks.\n")
    # Make b.md fail at its write, for real: a row already holds one of the record ids it will
    # write, so the writer's key check refuses it after its rows went in. The three articles are
    # one write batch of ingest_paths: the batch is refused whole and written again one by one.
    doc = read_document(bad)
    rows = rows_for(extract(doc))
    assert rows["statements"], "the test article must yield a statement"
    rid = rows["statements"][0]["record_id"]
    assert rid == record_id(doc.content_hash, 0, "statement", 0)
    db.execute(
        "INSERT INTO statements (record_id, doc_id, sentence_no, start_char, end_char, stance) "
        "VALUES (?, 'squatter', 0, 0, 0, 'claims')",
        [rid],
    )
    results = ingest_paths(db, [folder])
    assert [(r.name, r.status) for r in results] == [("a.md", "added"), ("b.md", "failed"), ("c.md", "added")]
    assert "b.md" in results[1].reason
    names = {n for (n,) in db.execute("SELECT name FROM documents").fetchall()}
    assert names == {"a.md", "c.md"}
    orphans = db.execute(
        """SELECT count(*) FROM sentences WHERE doc_id NOT IN (SELECT doc_id FROM documents)"""
    ).fetchone()[0]
    assert orphans == 0
    leftover = db.execute("SELECT count(*) FROM record_actors WHERE record_id IN "
                          "(SELECT record_id FROM statements WHERE doc_id = 'squatter')").fetchone()[0]  # fmt: skip
    assert leftover == 0
    # Once the obstacle is gone the article goes in on the next run.
    db.execute("DELETE FROM statements WHERE doc_id = 'squatter'")
    assert [r.status for r in ingest_paths(db, [bad])] == ["added"]


def test_bad_files_get_one_line_and_do_not_stop_the_batch(db, tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "fake.txt").write_bytes(b"%PDF-1.4 binary")
    (tmp_path / "ok.txt").write_text("Title\n\nRussian forces shelled Kherson on Sunday.\n")
    results = ingest_paths(db, [tmp_path])
    status = {r.name: (r.status, r.reason) for r in results}
    assert status["ok.txt"][0] == "added"
    assert status["empty.txt"][0] == "failed" and "empty" in status["empty.txt"][1]
    assert status["fake.txt"][0] == "failed" and "PDF" in status["fake.txt"][1]


def test_a_second_writer_gets_a_clear_message(tmp_path):
    from analytics.store import DatabaseBusy

    path = tmp_path / "held.duckdb"
    holder = subprocess.Popen(
        [sys.executable, "-c", f"import duckdb,time; c=duckdb.connect({str(path)!r}); print('ready', flush=True); "
         "time.sleep(30)"],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout.readline().strip() == "ready"
        with pytest.raises(DatabaseBusy, match="another process"):
            connect(path)
    finally:
        holder.kill()
        holder.wait()


def test_writer_transaction_is_all_or_nothing_for_any_table(db):
    """What a later writer (incidents, ledger) does: its own table, rows and a relation, one transaction."""
    import pyarrow as pa

    from analytics.store import writer

    db.execute("CREATE TABLE ledger_test (id INTEGER PRIMARY KEY, label VARCHAR)")
    with writer.transaction(db, what="this ledger"):
        assert writer.insert_rows(db, "ledger_test", [{"id": 1, "label": "a"}, {"id": 2, "label": "b"}]) == 2
        writer.insert_select(db, "ledger_test", ["id", "label"], "SELECT 3, ?", ["c"])
        writer.insert_rows(db, "ledger_test", pa.table({"id": [4], "label": ["d"]}))
    with pytest.raises(duckdb.ConstraintException):
        with writer.transaction(db):
            writer.insert_rows(db, "ledger_test", [{"id": 5, "label": "e"}])
            writer.insert_rows(db, "ledger_test", [{"id": 1, "label": "again"}])  # a key already there
    assert db.execute("SELECT id FROM ledger_test ORDER BY 1").fetchall() == [(1,), (2,), (3,), (4,)]
    with pytest.raises(ValueError, match="not a plain table"):
        writer.insert_rows(db, "ledger_test; DROP TABLE events", [{"id": 9}])


def test_every_committed_write_changes_the_data_version_and_a_rolled_back_one_does_not(db):
    from analytics.store import writer

    before = writer.data_version(db)
    with writer.transaction(db, what="a test row"):
        db.execute("INSERT INTO themes (name) VALUES ('test-theme')")
    after = writer.data_version(db)
    assert after and after != before
    with pytest.raises(RuntimeError), writer.transaction(db, what="a failed write"):
        db.execute("INSERT INTO themes (name) VALUES ('other-theme')")
        raise RuntimeError("stop")
    assert writer.data_version(db) == after
    assert db.execute("SELECT count(*) FROM themes WHERE name = 'other-theme'").fetchone()[0] == 0


def _seed_rows() -> dict[str, list[dict]]:
    return rows_for(extract(read_document(SEED)))


def test_the_bulk_tables_carry_no_key_index_and_the_writer_checks_their_keys_instead(db):
    """Migration 7: the keys of analytics.store.keys are checked by the writer's query, not by indexes."""
    from analytics.store import keys

    indexed = db.execute(
        "SELECT table_name, constraint_type FROM duckdb_constraints() WHERE constraint_type IN "
        "('PRIMARY KEY', 'UNIQUE') AND table_name IN (SELECT unnest(?::VARCHAR[]))",
        [list(keys.KEYS)],
    ).fetchall()
    assert indexed == []
    # The small tables keep theirs.
    assert db.execute("SELECT count(*) FROM duckdb_constraints() WHERE table_name = 'actors' "
                      "AND constraint_type = 'PRIMARY KEY'").fetchone()[0] == 1  # fmt: skip


@pytest.mark.parametrize(
    "change, table, cols",
    [
        # The same text under another doc_id: content_hash is the article's identity.
        (lambda t: {"documents": [t["documents"][0] | {"doc_id": "f" * 16}]}, "documents", "content_hash"),
        # A new article whose event reuses a stored record's id.
        (
            lambda t: {
                "documents": [t["documents"][0] | {"doc_id": "e" * 16, "content_hash": "e" * 64}],
                "events": [t["events"][0] | {"doc_id": "e" * 16}],
            },
            "events",
            "record_id",
        ),  # fmt: skip
        # A write whose own rows repeat a key, against nothing stored before.
        (
            lambda t: {
                "documents": [t["documents"][0] | {"doc_id": "d" * 16, "content_hash": "d" * 64}],
                "sentences": [s | {"doc_id": "d" * 16, "sentence_no": 1} for s in t["sentences"][:2]],
            },
            "sentences",
            "doc_id, sentence_no",
        ),  # fmt: skip
    ],
    ids=["same-text-new-id", "record-id-reused", "repeated-within-the-write"],
)
def test_a_write_that_repeats_a_key_is_refused_whole(db, change, table, cols):
    from analytics.store import keys, writer

    rows = _seed_rows()
    with writer.transaction(db, what="the seed"):
        writer.insert_tables(db, rows)
    before, version = counts(db), writer.data_version(db)
    with pytest.raises(keys.KeyViolation, match=rf"^{table} would hold the key \({cols}\) = .* twice; "
                                                 r"nothing of this write was stored$"):  # fmt: skip
        with writer.transaction(db, what="this write"):
            writer.insert_tables(db, change(rows))
    assert counts(db) == before and writer.data_version(db) == version
    # The connection is clean afterwards: the next write commits and is checked again.
    other = _seed_rows()
    with writer.transaction(db, what="a good write"):
        writer.insert_tables(
            db, {"documents": [other["documents"][0] | {"doc_id": "a" * 16, "content_hash": "a" * 64}]}
        )
    assert counts(db)["documents"] == before["documents"] + 1


def test_two_copies_in_one_write_batch_are_one_article_whatever_becomes_of_the_first(db, tmp_path):
    """The second copy is 'present' once the first is stored, and fails with it when the first fails."""
    folder = tmp_path / "copies"
    folder.mkdir()
    text = "---\npublished: 2023-01-02\n---\nUkraine accused Russia of shelling Kharkiv.\n"
    (folder / "b.md").write_text(text)
    (folder / "b-copy.md").write_text(text)
    rid = rows_for(extract(read_document(folder / "b.md")))["statements"][0]["record_id"]
    db.execute("INSERT INTO statements (record_id, doc_id, sentence_no, start_char, end_char, stance) "
               "VALUES (?, 'squatter', 0, 0, 0, 'claims')", [rid])  # fmt: skip
    one, two = ingest_paths(db, [folder])  # in file-name order: b-copy.md, then b.md
    assert (one.name, one.status, two.name, two.status) == ("b-copy.md", "failed", "b.md", "failed")
    assert "statements would hold the key (record_id)" in one.reason
    assert two.reason == "b.md: the same text as b-copy.md, which was not stored"
    db.execute("DELETE FROM statements WHERE doc_id = 'squatter'")
    assert [(r.name, r.status) for r in ingest_paths(db, [folder])] == [
        ("b-copy.md", "added"),
        ("b.md", "present"),
    ]
    assert db.execute("SELECT count(*) FROM documents").fetchone()[0] == 1
