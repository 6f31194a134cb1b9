"""Snapshots for read-only dashboards, on real DuckDB files and real processes: publishing after a
write, choosing the newest, making one from a file nobody writes, naming who holds the file, and a
dashboard beside a writer that serves every page from the snapshot with the cause on it."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pytest

from analytics.store import DatabaseBusy, open_database, snapshots
from analytics.store.errors import classify
from tests.conftest import ROOT
from tests.test_app import render  # one way to open a page in a test session
from ui.navigation import PAGES as NAV_PAGES

PAGES = [p.file for p in NAV_PAGES]


@pytest.fixture
def db(seed_db, tmp_path) -> Path:
    path = tmp_path / "data" / "team.duckdb"
    path.parent.mkdir()
    shutil.copyfile(seed_db, path)
    return path


def count(path: Path, table: str = "documents") -> int:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        con.close()


def add_meta(con, value: str) -> None:
    con.execute("INSERT OR REPLACE INTO meta VALUES ('snapshot-test', ?)", [value])


@contextmanager
def held(path: Path, read_only: bool = False):
    """Another process holding `path` (read-write unless `read_only`) until the block ends; yields its PID."""
    code = (f"import duckdb,time; c=duckdb.connect({str(path)!r}, read_only={read_only}); print('ready', flush=True); "
            "time.sleep(120)")  # fmt: skip
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "ready"
        yield proc.pid
    finally:
        proc.kill()
        proc.wait()


def test_a_write_publishes_a_snapshot_a_reader_opens_and_an_unchanged_file_none(db):
    con = open_database(db)
    try:
        first = snapshots.publish(con, db, "a test")
        assert first.path.parent == db.parent / "snapshots" and first.path.name.startswith("team-")
        card = json.loads(first.path.with_suffix(".json").read_text())
        assert card["by"] == "a test" and card["source_size"] == db.stat().st_size
        assert snapshots.publish(con, db, "again") == first  # nothing changed: no second copy
        assert len(snapshots.versions(db)) == 1
        add_meta(con, "1")
        second = snapshots.publish(con, db, "after a write")
    finally:
        con.close()
    assert second.version > first.version
    assert snapshots.newest(db) == second and second.by == "after a write"
    reader = snapshots.open_snapshot(second)
    try:
        assert reader.execute("SELECT value FROM meta WHERE key = 'snapshot-test'").fetchone() == ("1",)
        assert reader.execute("SELECT count(*) FROM documents").fetchone()[0] == count(db)
    finally:
        reader.close()


def test_the_writer_still_holds_its_lock_after_publishing(db):
    """DuckDB's lock is a POSIX record lock: closing any descriptor of the file in the writer's process
    drops it. The copy must not, or a second process could open the file for writing meanwhile."""
    con = open_database(db)
    try:
        add_meta(con, "locked")
        assert snapshots.publish(con, db, "a test") is not None
        probe = subprocess.run([sys.executable, "-c", f"import duckdb; duckdb.connect({str(db)!r})"],
                               capture_output=True, text=True, timeout=60)  # fmt: skip
        assert probe.returncode != 0 and "lock" in probe.stderr.lower(), probe.stderr
    finally:
        con.close()


def test_only_the_newest_are_kept_and_a_reader_keeps_an_older_one_open(db, monkeypatch):
    monkeypatch.setenv("DASHBOARD_SNAPSHOTS", "2")
    con = open_database(db)
    try:
        made = []
        for i in range(4):
            add_meta(con, str(i))
            made.append(snapshots.publish(con, db, f"write {i}"))
            if i == 0:
                still_open = snapshots.open_snapshot(made[0])
    finally:
        con.close()
    assert [v for v, _ in snapshots.versions(db)] == [made[2].version, made[3].version]
    assert not made[0].path.exists() and not made[0].path.with_suffix(".json").exists()
    # The reader on the pruned one goes on reading it (an open file outlives its name).
    assert still_open.execute("SELECT value FROM meta WHERE key = 'snapshot-test'").fetchone() == ("0",)
    still_open.close()


def test_snapshots_off_publishes_nothing(db, monkeypatch):
    monkeypatch.setenv("DASHBOARD_SNAPSHOTS", "0")
    con = open_database(db)
    try:
        assert snapshots.publish(con, db, "x") is None
    finally:
        con.close()
    assert snapshots.versions(db) == []


def test_a_cut_off_copy_is_never_chosen(db):
    folder = db.parent / "snapshots"
    folder.mkdir()
    (folder / ".team.partial").write_bytes(b"half a file")
    (folder / "team-20990101T000000000000Z.duckdb.partial").write_bytes(b"x")
    (folder / "other-20990101T000000000000Z.duckdb").write_bytes(b"another database's")
    assert snapshots.newest(db) is None
    snap = snapshots.publish_from_file(db, "a reader")
    assert snapshots.newest(db) == snap and not (folder / ".team.partial").exists()


def test_a_file_nobody_writes_is_copied_once_and_again_after_it_changed(db):
    snap = snapshots.publish_from_file(db, "a reader")
    assert snapshots.is_current(db, snap)
    assert snapshots.publish_from_file(db, "a reader") == snap
    con = open_database(db)
    add_meta(con, "changed")
    con.close()
    assert not snapshots.is_current(db, snap)
    newer = snapshots.publish_from_file(db, "a reader")
    assert newer.version > snap.version
    with duckdb.connect(str(newer.path), read_only=True) as c:
        assert c.execute("SELECT value FROM meta WHERE key = 'snapshot-test'").fetchone() == ("changed",)
        assert c.execute("SELECT count(*) FROM records").fetchone()[0] == count(db, "records")


def test_beside_a_writer_the_snapshot_opens_and_the_holder_is_named(db):
    con = open_database(db)
    snap = snapshots.publish(con, db, "a test")
    add_meta(con, "after the snapshot")  # so a reader would want a newer one
    con.close()
    with held(db) as pid:
        with pytest.raises(DatabaseBusy) as caught:
            snapshots.publish_from_file(db, "a reader")
        who = snapshots.holder(caught.value)
        assert who.pid == pid and not who.reads_only and "python" in (who.command or "")
        assert f"open for writing in another process (PID {pid})" in str(caught.value)
        reader = snapshots.open_snapshot(snapshots.newest(db))  # the copy opens while the file is held
        assert reader.execute("SELECT count(*) FROM documents").fetchone()[0] > 0
        reader.close()
    assert snapshots.newest(db) == snap


def test_a_holder_that_only_reads_is_named_as_such(db):
    with held(db, read_only=True) as pid:
        with pytest.raises(duckdb.Error) as caught:
            duckdb.connect(str(db))
        err = classify(caught.value, db)
        assert f"open for reading in another process (PID {pid})" in str(err)
        assert "for writing" not in str(err)
        assert snapshots.holder(caught.value).reads_only
        assert snapshots.publish_from_file(db, "a reader") is not None  # readers share the file


def test_the_cli_publishes_after_an_ingest(db, tmp_path):
    article = tmp_path / "new.md"
    article.write_text("---\ntitle: Snapshot test\npublished: 2023-05-18\n---\nRussian forces shelled Kherson on "
                       "Monday, the regional governor said.\n")  # fmt: skip
    before = count(db)
    p = subprocess.run([sys.executable, "-m", "analytics", "ingest", str(article), "--db", str(db)],
                       cwd=ROOT, capture_output=True, text=True, timeout=300)  # fmt: skip
    assert p.returncode == 0 and "Traceback" not in p.stderr, p.stderr
    assert count(db) == before + 1
    snap = snapshots.newest(db)
    assert snap is not None and snap.by == "`ingest`"
    assert snapshots.is_current(db, snap)
    assert count(snap.path) == count(db)


# --- a dashboard that is not the writer ---------------------------------------------------------


@pytest.mark.parametrize("page", PAGES)
def test_beside_a_writer_every_page_reads_the_snapshot_and_names_the_cause(page, db, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DB", str(db))
    con = open_database(db)
    snapshots.publish(con, db, "the other dashboard")
    con.close()
    with held(db) as pid:
        at = render(page)
        notices = " ".join(i.value for i in at.info)
        assert "Read-only copy" in notices and "the other dashboard" in notices, notices
        assert f"PID {pid}" in notices and "is writing the database" in notices
        if page in ("pages/add_articles.py", "pages/data.py"):
            warning = " ".join(w.value for w in at.warning)
            assert "is off in this server" in warning and "is writing the database" in warning
            assert "DASHBOARD_READ_ONLY" not in warning
            assert any(b.label == "Retry" for b in at.button)


def test_read_only_env_names_itself_not_another_process(db, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DB", str(db))
    monkeypatch.setenv("DASHBOARD_READ_ONLY", "1")
    at = render("pages/add_articles.py")
    warning = " ".join(w.value for w in at.warning)
    assert "DASHBOARD_READ_ONLY=1" in warning and "another process" not in warning
    assert not any(b.label == "Retry" for b in at.button)
    notices = " ".join(i.value for i in at.info)
    assert "Read-only copy" in notices and "DASHBOARD_READ_ONLY=1" in notices
    # It made its snapshot from the file and let go of it: a writer can open the file now.
    duckdb.connect(str(db)).close()


def test_beside_a_writer_with_no_snapshot_every_page_says_so(db, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DB", str(db))
    with held(db):
        at = render("pages/timeline.py")
        text = " ".join(i.value for i in at.info)
        assert "No snapshot to read yet" in text and "has published no snapshot yet" in text


def test_a_reader_moves_to_a_newer_snapshot_at_its_next_rerun(db, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DB", str(db))
    monkeypatch.setenv("DASHBOARD_READ_ONLY", "1")
    at = render(PAGES[0])
    first = snapshots.newest(db)
    con = open_database(db)  # the reader does not hold the file: a writer can open it
    try:
        con.execute("INSERT INTO documents (doc_id, name, title, content_hash, text, n_sentences) SELECT "
                    "'snapshot-test', 'x.txt', 'A new article', 'h-snapshot-test', 'text', 0")  # fmt: skip
        snapshots.publish(con, db, "a writer")
    finally:
        con.close()
    at.run()
    assert not at.exception
    notices = " ".join(i.value for i in at.info)
    assert "by a writer" in notices, notices
    from ui import db as uidb

    assert uidb.store().snapshot.version > first.version
    assert (
        uidb.cursor().execute("SELECT count(*) FROM documents WHERE doc_id = 'snapshot-test'").fetchone()[0]
        == 1
    )


def test_no_snapshot_when_it_would_leave_the_database_short_of_disk(db, monkeypatch):
    """A checkpoint that runs out of disk is fatal to DuckDB's instance: the room is checked first."""
    from analytics.store.errors import DiskFull

    monkeypatch.setattr(snapshots, "RESERVE_BYTES", 2**62)  # more than any disk has free
    con = open_database(db)
    try:
        add_meta(con, "pending")
        with pytest.raises(DiskFull) as caught:
            snapshots.publish(con, db, "a test")
        assert "no snapshot was published" in str(caught.value) and "DASHBOARD_SNAPSHOTS=0" in str(
            caught.value
        )
        add_meta(con, "the connection still writes")
        assert (
            con.execute("SELECT value FROM meta WHERE key = 'snapshot-test'").fetchone()[0].startswith("the")
        )
    finally:
        con.close()
    assert snapshots.versions(db) == [] and not list((db.parent / "snapshots").glob(".*"))


def test_a_wal_left_by_a_killed_writer_is_in_the_snapshot_made_from_the_file(db):
    """A read-only connection cannot fold a WAL into the file, so the copy is made through DuckDB."""
    code = (f"import duckdb, os; c = duckdb.connect({str(db)!r}); c.execute('PRAGMA disable_checkpoint_on_shutdown'); "
            "c.execute(\"INSERT OR REPLACE INTO meta VALUES ('snapshot-test', 'in the wal')\"); os._exit(0)")  # fmt: skip
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
    assert (db.parent / "team.duckdb.wal").stat().st_size > 0
    snap = snapshots.publish_from_file(db, "a reader")
    assert not Path(str(snap.path) + ".wal").exists()
    reader = snapshots.open_snapshot(snap)
    try:
        assert reader.execute("SELECT value FROM meta WHERE key = 'snapshot-test'").fetchone() == (
            "in the wal",
        )
    finally:
        reader.close()


def test_a_cursor_that_read_the_data_version_does_not_block_the_next_snapshot(tmp_path):
    """The dashboard keeps one cursor per thread for the cache's version lookup; a result left
    open on it held a transaction, and the snapshot after the second upload failed to CHECKPOINT."""
    from analytics.ingest import ingest_uploads
    from analytics.store import open_database
    from analytics.store.writer import data_version

    db = tmp_path / "x.duckdb"
    con = open_database(str(db), create=True)
    held = con.cursor()
    body = "---\npublished: 2023-05-19\n---\nRussian missiles struck {} on Friday, officials said.\n"
    for i, town in enumerate(["Kyiv", "Lviv"]):
        cur = con.cursor()
        ingest_uploads(cur, [(f"{i}.md", body.format(town).encode())])
        cur.close()
        assert data_version(held)
        assert snapshots.publish(con, db, f"upload {i}") is not None
    con.close()
