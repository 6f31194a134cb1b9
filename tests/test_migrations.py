"""Schema versions: a database of the previous release is recognised, backed up and migrated keeping
every record; the marker and the migration files; the vocabulary follows the folder actually read."""

from __future__ import annotations

import hashlib
import shutil

import duckdb
import pytest

from analytics.store import SCHEMA_VERSION, TOOL, connect, inspect
from analytics.store.schema import migrations
from tests.conftest import ROOT, SEED

PREVIOUS_SCHEMA = ROOT / "tests" / "fixtures" / "previous_release" / "schema.sql"
TABLES = ("documents", "sentences", "events", "aid_figures", "diplomatic_items", "statements", "record_actors",
          "record_themes", "record_sources", "import_details", "actors", "actor_aliases", "places", "themes")  # fmt: skip


def sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def release1_db(imported_db, tmp_path):
    """A file as the previous release made it: its schema.sql (kept as a fixture), the meta row it
    wrote, and the rows of a seed ingest plus an ACLED import, column by column."""
    path = tmp_path / "release1.duckdb"
    con = duckdb.connect(str(path))
    con.execute(PREVIOUS_SCHEMA.read_text(encoding="utf-8"))
    con.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', '1')")
    con.execute(f"ATTACH '{imported_db}' AS src (READ_ONLY)")
    for table in (*TABLES, "place_aliases", "theatres", "theme_cues", "meta"):
        old = [r[0] for r in con.execute(f"DESCRIBE main.{table}").fetchall()]
        cols = ", ".join(old)
        if table == "meta":
            con.execute("INSERT INTO main.meta SELECT * FROM src.meta WHERE key = 'vocabulary_hash'")
            continue
        con.execute(f"INSERT INTO main.{table} ({cols}) SELECT {cols} FROM src.{table}")
    con.execute("DETACH src")
    con.close()
    return path


def release1_columns() -> dict[str, list[str]]:
    """The columns each table had in the previous release: what a migration must keep as it was
    (the columns later migrations add are new and start empty)."""
    con = duckdb.connect()
    try:
        con.execute(PREVIOUS_SCHEMA.read_text(encoding="utf-8"))
        return {t: [r[0] for r in con.execute(f"DESCRIBE {t}").fetchall()] for t in TABLES}
    finally:
        con.close()


def snapshot(path) -> dict:
    columns = release1_columns()
    con = duckdb.connect(str(path), read_only=True)
    try:
        return {t: sorted(con.execute(f"SELECT {', '.join(columns[t])} FROM {t}").fetchall(), key=repr)
                for t in TABLES}  # fmt: skip
    finally:
        con.close()


def test_previous_release_file_is_recognised_backed_up_and_migrated(release1_db):
    state = inspect(release1_db)
    assert state.kind == "release1"
    before, digest = snapshot(release1_db), sha(release1_db)
    assert sum(len(v) for v in before.values()) > 1000 and before["import_details"], "a real database"
    con = connect(release1_db)
    try:
        versions = [v for (v,) in con.execute("SELECT version FROM schema_info ORDER BY 1").fetchall()]
        assert versions == list(range(1, SCHEMA_VERSION + 1))
        assert con.execute("SELECT DISTINCT tool FROM schema_info").fetchall() == [(TOOL,)]
        assert con.execute("SELECT count(*) FROM meta WHERE key = 'schema_version'").fetchone()[0] == 0
        # The new columns, through the views the pages read: imported rows are asserted with
        # confidence 1, extracted ones wait for the extractor to say.
        pairs = set(con.execute("SELECT origin, confidence, factuality FROM records").fetchall())
        assert {p for p in pairs if p[0] == "acled"} == {("acled", 1.0, "asserted")}
        assert {p for p in pairs if p[0] == "extracted"} == {("extracted", None, None)}
    finally:
        con.close()
    assert snapshot(release1_db) == before, "every record kept"
    [backup] = (release1_db.parent / "backups").glob("release1-*-before-migration-to-*.duckdb")
    assert sha(backup) == digest, "the backup is the file as it was"
    assert inspect(release1_db).kind == "ours" and inspect(release1_db).version == SCHEMA_VERSION


def test_cli_on_a_previous_release_file_migrates_then_works(release1_db):
    import subprocess
    import sys

    p = subprocess.run([sys.executable, "-m", "analytics", "export", "records", "--db", str(release1_db)],
                       capture_output=True, text=True, cwd=ROOT)  # fmt: skip
    assert p.returncode == 0, p.stderr
    header = p.stdout.splitlines()[0].split(",")
    assert "confidence" in header and "factuality" in header
    assert inspect(release1_db).version == SCHEMA_VERSION


def test_migrations_are_numbered_and_a_fresh_file_gets_them_all(tmp_path):
    assert [m.version for m in migrations()] == list(range(1, SCHEMA_VERSION + 1))
    con = connect(tmp_path / "fresh.duckdb")
    cols = {c for (c,) in con.execute("SELECT column_name FROM duckdb_columns() WHERE table_name = 'record_facts'")
            .fetchall()}  # fmt: skip
    con.close()
    assert {"confidence", "factuality"} <= cols


def test_extracted_records_carry_what_the_extraction_says(db, monkeypatch):
    """The writer reads confidence and factuality off each Record when the extractor sets them."""
    from analytics.corpus import read_document
    from analytics.extract import extract
    from analytics.store.writer import store_extraction

    ex = extract(read_document(SEED))
    for i, r in enumerate(ex.records):
        object.__setattr__(r, "confidence", round(0.5 + i / (2 * len(ex.records)), 3))
        object.__setattr__(r, "factuality", ("asserted", "alleged", "planned")[i % 3])
    store_extraction(db, ex)
    rows = db.execute("SELECT record_id, confidence, factuality FROM records").fetchall()
    want = {r.record_id: (r.confidence, r.factuality) for r in ex.records}
    assert {rid: (c, f) for rid, c, f in rows} == want


def test_vocabulary_override_folder_reaches_the_alias_table(db, tmp_path, monkeypatch):
    """DASHBOARD_VOCAB_DIR is what is hashed and loaded: an alias an analyst adds there reaches
    actor_aliases, and editing it again is picked up again."""
    from analytics.store import sync_vocabulary
    from analytics.vocab import DATA_DIR

    sync_vocabulary(db)
    folder = tmp_path / "vocab"
    shutil.copytree(DATA_DIR, folder)
    actors = folder / "actors.yaml"
    text = actors.read_text(encoding="utf-8")
    actors.write_text(_add_alias(text, "Wagner Group", "the Prigozhin outfit"), encoding="utf-8")
    monkeypatch.setenv("DASHBOARD_VOCAB_DIR", str(folder))
    assert sync_vocabulary(db) is True
    assert db.execute("SELECT actor FROM actor_aliases WHERE alias = 'the Prigozhin outfit'").fetchall() == [
        ("Wagner Group",)
    ]
    assert sync_vocabulary(db) is False, "unchanged files are not reloaded"
    actors.write_text(_add_alias(actors.read_text(encoding="utf-8"), "Wagner Group", "the orchestra"),
                      encoding="utf-8")  # fmt: skip
    assert sync_vocabulary(db) is True
    assert db.execute("SELECT count(*) FROM actor_aliases WHERE alias IN ('the Prigozhin outfit', 'the orchestra')"
                      ).fetchone()[0] == 2  # fmt: skip


def _add_alias(text: str, actor: str, alias: str) -> str:
    """actors.yaml with `alias` added to `actor`'s aliases list (the flow style the file uses)."""
    import yaml

    doc = yaml.safe_load(text)
    for entry in doc["actors"]:
        if entry["name"] == actor:
            entry["aliases"] = [*entry.get("aliases", []), alias]
            break
    else:
        raise AssertionError(actor)
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)


def _described(con, tables) -> dict:
    """Each table's comment and its columns with type, default, NOT NULL and comment, in order."""
    out = {}
    for table in tables:
        [(comment,)] = con.execute(
            "SELECT comment FROM duckdb_tables() WHERE table_name = ?", [table]
        ).fetchall()
        out[table] = (comment, con.execute(
            "SELECT column_name, data_type, column_default, is_nullable, comment FROM duckdb_columns() "
            "WHERE table_name = ? ORDER BY column_index", [table]).fetchall())  # fmt: skip
    return out


def test_migration_7_keeps_every_column_default_and_comment_of_the_tables_it_rebuilds(release1_db):
    """The tables lose their key indexes (the writer checks the keys) and nothing else: compared with
    the same tables made by migrations 1-6 alone, and with every row kept (the test above)."""
    from analytics.store import keys

    ref = duckdb.connect()
    for m in migrations():
        if m.version < 7:
            ref.execute(m.sql())
    expected = _described(ref, keys.KEYS)
    ref.close()
    con = connect(release1_db)
    try:
        got = _described(con, keys.KEYS)
        left = con.execute("SELECT table_name, constraint_type FROM duckdb_constraints() WHERE constraint_type IN "
                           "('PRIMARY KEY', 'UNIQUE') AND table_name IN (SELECT unnest(?::VARCHAR[]))",
                           [list(keys.KEYS)]).fetchall()  # fmt: skip
    finally:
        con.close()
    assert got == expected
    assert left == []
    assert any(col[2] for _, cols in got.values() for col in cols), "defaults were compared"
    assert sum(1 for _, cols in got.values() for col in cols if col[4]) > 10, "column comments were compared"
