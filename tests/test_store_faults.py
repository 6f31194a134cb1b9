"""A damaged, foreign, newer, locked, read-only or full database file, met by the real CLI on real files:
one line naming the problem, a non-zero exit, no traceback, and the file unchanged byte for byte."""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import duckdb
import pytest

from tests.conftest import ROOT, SEED

ACLED = ROOT / "tests" / "fixtures" / "imports" / "acled_small.csv"
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
SETPRIV = ("setpriv", "--bounding-set=-dac_override,-dac_read_search,-fowner", "--")


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def listing(folder: Path) -> dict[str, str]:
    return {p.name: sha(p) for p in sorted(folder.iterdir()) if p.is_file()}


def cli(*args, env: dict | None = None, bound_by_permissions: bool = False) -> subprocess.CompletedProcess:
    """`python -m analytics ARGS`. With `bound_by_permissions` as root, the process runs without the
    capabilities that let root ignore file modes (setpriv), so a read-only file is read-only to it."""
    e = dict(os.environ, **(env or {}))
    prefix = [*SETPRIV] if bound_by_permissions and IS_ROOT else []
    return subprocess.run([*prefix, sys.executable, "-m", "analytics", *map(str, args)], capture_output=True,
                          text=True, cwd=ROOT, env=e)  # fmt: skip


def assert_refused(p: subprocess.CompletedProcess, phrase: str) -> None:
    out = p.stdout + p.stderr
    assert p.returncode != 0, out
    assert "Traceback" not in out, out
    errors = [line for line in p.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and phrase in errors[0], out
    assert p.stderr.strip() == errors[0], "one line, nothing else"


# --- the files ---------------------------------------------------------------------------------


def foreign(path: Path, seed_db: Path) -> None:
    """An analyst's own DuckDB database: a `documents` table of other columns, and notes."""
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE documents (id INTEGER, body VARCHAR, tags VARCHAR[])")
    con.execute("INSERT INTO documents VALUES (1, 'my reading notes', ['a', 'b'])")
    con.execute("CREATE TABLE my_notes AS SELECT range AS n, 'note ' || range AS note FROM range(1000)")
    con.close()


def newer(path: Path, seed_db: Path) -> None:
    shutil.copyfile(seed_db, path)
    con = duckdb.connect(str(path))
    con.execute("INSERT INTO schema_info (version, name, tool) SELECT 99, '099_future.sql', tool FROM schema_info "
                "LIMIT 1")  # fmt: skip
    con.close()


def truncated(path: Path, seed_db: Path) -> None:
    raw = seed_db.read_bytes()
    path.write_bytes(raw[: len(raw) // 2])


def empty(path: Path, seed_db: Path) -> None:
    path.write_bytes(b"")


def text(path: Path, seed_db: Path) -> None:
    path.write_text("doc_id,title\n1,not a database at all\n" * 50)


def corrupt(path: Path, seed_db: Path) -> None:
    """Bytes flipped inside a data block in the middle of a real file: its checksum no longer matches."""
    shutil.copyfile(seed_db, path)
    con = duckdb.connect(str(path), read_only=True)
    block_size = con.execute("SELECT block_size FROM pragma_database_size()").fetchone()[0]
    blocks = sorted({b for (b,) in con.execute(
        "SELECT block_id FROM pragma_storage_info('sentences') WHERE block_id >= 0").fetchall()})  # fmt: skip
    con.close()
    size = path.stat().st_size
    block = min(blocks, key=lambda b: abs(3 * 4096 + b * block_size - size // 2))
    offset = 3 * 4096 + block * block_size + 512
    raw = bytearray(path.read_bytes())
    raw[offset : offset + 64] = bytes(b ^ 0xFF for b in raw[offset : offset + 64])
    path.write_bytes(bytes(raw))


CASES = {
    "foreign": (foreign, "not this tool's database"),
    "newer": (newer, "newer version"),
    "truncated": (truncated, "truncated"),
    "empty": (empty, "empty file"),
    "text": (text, "text file"),
    "corrupt": (corrupt, "damaged"),
}


@pytest.mark.parametrize("case", CASES)
def test_every_command_refuses_the_file_and_leaves_it_as_it_was(case, seed_db, tmp_path):
    make, phrase = CASES[case]
    folder = tmp_path / "work"
    folder.mkdir()
    db = folder / "target.duckdb"
    make(db, seed_db)
    before = listing(folder)
    env = {"DASHBOARD_LOG": str(tmp_path / "analytics.log")}
    for args in (("ingest", SEED), ("export", "records"), ("import", "acled", ACLED), ("rebuild",)):
        p = cli(*args, "--db", db, env=env)
        assert_refused(p, phrase)
        assert str(tmp_path / "analytics.log") in p.stderr, "the message names the log"
        assert listing(folder) == before, f"{args[0]} changed the folder"
        assert not (folder / "backups").exists()
    assert "Traceback" in (tmp_path / "analytics.log").read_text(), "the full error is in the log"
    p = cli("backup", "--db", db, "--out", tmp_path / "copy.duckdb", env=env)
    if case == "newer":  # ours, only newer: a copy reads it and changes nothing, so it is allowed
        assert p.returncode == 0 and sha(tmp_path / "copy.duckdb") == before[db.name], p.stderr
    else:
        assert_refused(p, phrase)
        assert not (tmp_path / "copy.duckdb").exists()
    assert listing(folder) == before


def test_rebuild_force_moves_a_foreign_file_aside_unchanged_and_builds_ours(seed_db, tmp_path):
    from analytics.store import inspect

    db = tmp_path / "mine.duckdb"
    foreign(db, seed_db)
    digest = sha(db)
    p = cli("rebuild", "--force", "--db", db)
    assert p.returncode == 0, p.stderr
    [aside] = tmp_path.glob("mine.duckdb.set-aside-*")
    assert sha(aside) == digest and str(aside) in p.stdout
    con = duckdb.connect(str(aside), read_only=True)
    assert con.execute("SELECT count(*) FROM my_notes").fetchone()[0] == 1000
    con.close()
    assert inspect(db).kind == "ours"


def test_rebuild_of_our_file_backs_it_up_and_swaps(seed_db, tmp_path):
    from analytics.store import inspect

    db = tmp_path / "ours.duckdb"
    shutil.copyfile(seed_db, db)
    digest = sha(db)
    p = cli("rebuild", "--db", db)
    assert p.returncode == 0, p.stderr
    [backup] = (tmp_path / "backups").glob("ours-*-before-rebuild.duckdb")
    assert sha(backup) == digest
    assert (
        inspect(db).kind == "ours"
        and not list(tmp_path.glob("*.new"))
        and not list(tmp_path.glob("*.building"))
    )


def test_backup_and_restore_round_trip(seed_db, tmp_path):
    db = tmp_path / "r.duckdb"
    shutil.copyfile(seed_db, db)
    p = cli("backup", "--db", db, "--out", tmp_path / "copy.duckdb")
    assert p.returncode == 0, p.stderr
    assert sha(tmp_path / "copy.duckdb") == sha(db)
    # Something is added, then the backup is put back: the addition is gone, the replaced file kept.
    (tmp_path / "new.md").write_text("---\npublished: 2023-06-06\n---\nThe Kakhovka dam was destroyed.\n")
    assert cli("ingest", tmp_path / "new.md", "--db", db).returncode == 0
    changed = sha(db)
    p = cli("restore", tmp_path / "copy.duckdb", "--db", db)
    assert p.returncode == 0, p.stderr
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT count(*) FROM documents").fetchone()[0] == 1
    con.close()
    kept = list((tmp_path / "backups").glob("r-*-before-restore.duckdb"))
    assert len(kept) == 1 and sha(kept[0]) == changed
    # A backup that is not ours is refused, and the database stays as it is.
    (tmp_path / "notes.txt").write_text("hello")
    before = sha(db)
    assert_refused(cli("restore", tmp_path / "notes.txt", "--db", db), "text file")
    assert sha(db) == before


def test_a_file_locked_by_another_process_is_named_and_untouched(seed_db, tmp_path):
    db = tmp_path / "held.duckdb"
    shutil.copyfile(seed_db, db)
    holder = subprocess.Popen(
        [sys.executable, "-c", f"import duckdb,time; c=duckdb.connect({str(db)!r}); print('ready', flush=True); "
         "time.sleep(60)"], stdout=subprocess.PIPE, text=True)  # fmt: skip
    try:
        assert holder.stdout.readline().strip() == "ready"
        before = sha(db)
        for args in (("ingest", SEED), ("export", "records"), ("rebuild",)):
            assert_refused(cli(*args, "--db", db), "open for writing in another process")
        assert sha(db) == before
    finally:
        holder.kill()
        holder.wait()


# --- permissions, read-only file system, full disk -----------------------------------------------


@pytest.mark.parametrize("what", ["file", "folder"])
def test_read_only_file_or_folder_is_named_and_still_readable(what, seed_db, tmp_path):
    """As root, file modes do not bind; the commands then run without CAP_DAC_OVERRIDE (setpriv)."""
    if IS_ROOT and not shutil.which("setpriv"):
        pytest.skip("root without setpriv: file modes cannot be made to bind")
    folder = tmp_path / "data"
    folder.mkdir()
    db = folder / "ro.duckdb"
    shutil.copyfile(seed_db, db)
    if what == "file":
        db.chmod(0o444)
    else:
        folder.chmod(0o555)
    try:
        before = listing(folder)
        env = {"DASHBOARD_LOG": str(tmp_path / "analytics.log")}
        for args in (("ingest", SEED), ("import", "acled", ACLED)):
            assert_refused(
                cli(*args, "--db", db, env=env, bound_by_permissions=True), "no permission to write"
            )
        assert listing(folder) == before
        # Reading needs no write: export works on the same file.
        p = cli("export", "events", "--db", db, env=env, bound_by_permissions=True)
        assert p.returncode == 0 and p.stdout.count("\n") > 5, p.stderr
        assert listing(folder) == before
    finally:
        folder.chmod(0o755)


def _mount_tmpfs(where: Path, size: str) -> bool:
    if not IS_ROOT:
        return False
    where.mkdir(exist_ok=True)
    return subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
                          capture_output=True).returncode == 0  # fmt: skip


def _umount(where: Path) -> None:
    subprocess.run(["umount", "-l", str(where)], capture_output=True)


def test_read_only_file_system_is_named_and_still_readable(seed_db, tmp_path):
    mnt = tmp_path / "ro"
    if not _mount_tmpfs(mnt, "32m"):
        pytest.skip("needs root and mount to make a read-only file system")
    try:
        shutil.copyfile(seed_db, mnt / "db.duckdb")
        assert subprocess.run(["mount", "-o", "remount,ro", str(mnt)]).returncode == 0
        before = listing(mnt)
        db = mnt / "db.duckdb"
        env = {"DASHBOARD_LOG": str(tmp_path / "analytics.log")}
        for args in (("ingest", SEED), ("import", "acled", ACLED), ("rebuild",)):
            assert_refused(cli(*args, "--db", db, env=env), "read-only file system")
        p = cli("export", "events", "--db", db, env=env)
        assert p.returncode == 0, p.stderr
        assert listing(mnt) == before
    finally:
        _umount(mnt)


def write_articles(folder: Path, n: int) -> None:
    folder.mkdir()
    body = " ".join(f"Russian forces shelled Kherson overnight, officials said ({i})." for i in range(80))
    for i in range(n):
        (folder / f"a{i}.md").write_text(
            f"---\npublished: 2023-0{1 + i}-15\n---\nArticle {i}\n\n{i} {body}\n"
        )


def test_full_disk_is_named_and_keeps_what_was_stored(seed_db, tmp_path):
    """A real full file system: a small tmpfs, the database on it, the rest filled up."""
    mnt = tmp_path / "full"
    size_mb = seed_db.stat().st_size // 2**20 + 3
    if not _mount_tmpfs(mnt, f"{size_mb}m"):
        pytest.skip("needs root and mount for a small file system; see test_disk_full_is_classified")
    try:
        db = mnt / "db.duckdb"
        shutil.copyfile(seed_db, db)
        free = shutil.disk_usage(mnt).free
        with open(mnt / "filler", "wb") as fh:
            fh.write(b"\0" * (free - 64 * 1024))
        write_articles(tmp_path / "articles", 4)
        env = {"DASHBOARD_LOG": str(tmp_path / "analytics.log")}
        p = cli("ingest", tmp_path / "articles", "--db", db, env=env)
        out = p.stdout + p.stderr
        assert p.returncode == 1 and "Traceback" not in out, out
        assert "is full (" in p.stderr and "MB free); nothing of this article was stored" in p.stderr, out
        assert "cannot rollback" not in out
        # Space back: the file opens, holds whole articles only, and a rerun completes.
        (mnt / "filler").unlink()
        p = cli("ingest", tmp_path / "articles", "--db", db, env=env)
        assert p.returncode == 0, p.stdout + p.stderr
        con = duckdb.connect(str(db), read_only=True)
        docs = con.execute("SELECT count(*), count(DISTINCT content_hash) FROM documents").fetchone()
        partial = con.execute("SELECT count(*) FROM documents d WHERE n_sentences <> "
                              "(SELECT count(*) FROM sentences s WHERE s.doc_id = d.doc_id)").fetchone()[0]  # fmt: skip
        con.close()
        assert docs == (5, 5) and partial == 0
    finally:
        _umount(mnt)


def test_disk_full_is_classified():
    """Where no file system can be filled (not root), the classification at least: ENOSPC from the
    OS and DuckDB's wording of it become the disk-full message."""
    from analytics.store.errors import DiskFull, classify

    for exc in (OSError(errno.ENOSPC, "No space left on device"),
                duckdb.IOException('Could not write file "x.wal": No space left on device')):  # fmt: skip
        err = classify(exc, Path(tempfile.gettempdir()) / "x.duckdb", "nothing of this article was stored")
        assert isinstance(err, DiskFull) and "MB free); nothing of this article was stored" in str(err)


def test_an_import_that_may_replace_rows_is_preceded_by_a_backup(seed_db, tmp_path):
    db = tmp_path / "imp.duckdb"
    shutil.copyfile(seed_db, db)
    assert cli("import", "acled", ACLED, "--db", db).returncode == 0
    assert not (tmp_path / "backups").exists(), "a first import replaces nothing"
    con = duckdb.connect(str(db), read_only=True)
    first = con.execute("SELECT record_id, version FROM import_details ORDER BY 1").fetchall()
    con.close()
    p = cli("import", "acled", ACLED.with_name("acled_newer.csv"), "--db", db)
    assert p.returncode == 0, p.stderr
    [backup] = (tmp_path / "backups").glob("imp-*-before-acled-import.duckdb")
    from analytics.store import inspect

    assert inspect(backup).kind == "ours", "a backup is a database this tool opens (and `restore` takes)"
    con = duckdb.connect(str(backup), read_only=True)
    assert con.execute("SELECT record_id, version FROM import_details ORDER BY 1").fetchall() == first
    con.close()
