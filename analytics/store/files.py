"""Opening the database file with care, and the operations that replace it: build, rebuild, backup, restore.

`open_database` is the one way in, for the dashboard, the CLI and the imports. Before anything
is written it checks that the file is a DuckDB file, that it is whole (its blocks are all
there and pass their checksums), and that it carries this tool's marker with a schema version
this code knows. A file made by the first release (no marker, our tables) is backed up and
migrated; anything else is refused with one line that says what the file is, what is wrong and
what to do, and the file is left exactly as it was.

Files are only ever replaced whole: a new database is built beside the target and renamed over
it (`os.replace`), after the old one was backed up or, when it is not ours and the user asked
for `--force`, moved aside under another name.
"""

from __future__ import annotations

import datetime as dt
import glob
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import duckdb

from analytics import config
from analytics.store import errors
from analytics.store.connection import copy_database, db_path
from analytics.store.errors import (
    RESTORE_HINT,
    ForeignDatabase,
    NewerSchema,
    NoDatabase,
    NotADatabase,
    OutdatedSchema,
    StoreError,
    named,
)
from analytics.store.schema import SCHEMA_VERSION, TOOL, SchemaState, migrate, read_state
from analytics.store.writer import database_file

HEADER_BYTES = 3 * 4096  # DuckDB's file header and its two database headers
KEEP_AUTOMATIC_BACKUPS = 5


def _wal(path: Path) -> Path:
    return Path(str(path) + ".wal")


def _stamp() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


# ---------------------------------------------------------------------------------------------
# Looking before writing


def check_header(path: Path) -> None:
    """Refuse what is visibly not a DuckDB file (empty, text, SQLite, another format) from its first bytes."""
    try:
        size = path.stat().st_size
        with open(path, "rb") as fh:
            head = fh.read(4096)
    except OSError as exc:
        raise named(exc, path) from exc
    what_to_do = (f"Point --db or DASHBOARD_DB at another file, {RESTORE_HINT}, or "
                  f"`python -m analytics rebuild --force --db {path}` to move it aside and build a new database.")  # fmt: skip
    if size == 0:
        raise NotADatabase(
            f"{path} is an empty file (0 bytes), not a database; nothing was written. {what_to_do}"
        )
    if head[8:12] == b"DUCK":
        if size < HEADER_BYTES:
            raise errors.truncated(path, size)
        return
    if head.startswith(b"SQLite format 3\0"):
        kind = "a SQLite database"
    elif b"\0" not in head:
        kind = "a text file"
    else:
        kind = "not a DuckDB file"
    raise NotADatabase(f"{path} is {kind}, not a DuckDB database; nothing was written. {what_to_do}")


def _connect_to_look(path: Path) -> duckdb.DuckDBPyConnection:
    try:
        return duckdb.connect(str(path), read_only=True)
    except duckdb.ConnectionException as exc:
        if "different configuration" in str(exc):
            # This process has the file open read-write already (checked when it was opened):
            # look through that instance; reading writes nothing.
            return duckdb.connect(str(path))
        raise


def integrity_read(con: duckdb.DuckDBPyConnection, tables) -> None:
    """Read every column of every table once, so every data block's checksum is verified."""
    for table in tables:
        quoted = '"' + table.replace('"', '""') + '"'
        con.execute(f"SELECT max(hash(COLUMNS(*))) FROM {quoted}").fetchall()  # noqa: S608 - names from the catalog


def inspect(path: str | os.PathLike, full_read: bool = True) -> SchemaState:
    """What the file at `path` is, read without writing a byte; raises the named StoreError when
    it is not a whole DuckDB file. `full_read` also verifies every block of our tables."""
    path = Path(path)
    check_header(path)
    try:
        con = _connect_to_look(path)
    except duckdb.Error as exc:
        raise named(exc, path) from exc
    try:
        size = path.stat().st_size
        total_blocks, block_size = con.execute(
            "SELECT total_blocks, block_size FROM pragma_database_size() WHERE database_name = current_database()"
        ).fetchone()
        expected = HEADER_BYTES + int(total_blocks) * int(block_size)
        if size < expected:
            raise errors.truncated(path, size, expected)
        state = read_state(con)
        if full_read and state.kind in ("ours", "release1"):
            integrity_read(con, state.tables)
        return state
    except duckdb.Error as exc:
        raise named(exc, path) from exc
    finally:
        con.close()


def refusal(path: Path, state: SchemaState) -> StoreError | None:
    """Why a file whose schema was read may not be used by this version, or None."""
    if state.kind == "foreign":
        shown = ", ".join(state.tables[:6]) + (", ..." if len(state.tables) > 6 else "")
        whose = (
            f"another tool's database ({state.tool})"
            if state.tool
            else f"not this tool's database (its tables: {shown})"
        )
        return ForeignDatabase(
            f"{path} is a DuckDB file but {whose}; nothing was written. Point --db or DASHBOARD_DB at another "
            f"file, or `python -m analytics rebuild --force --db {path}` to move it aside and build a new database."
        )
    if state.kind == "ours" and state.version > SCHEMA_VERSION:
        return NewerSchema(
            f"{path} was written by a newer version of this tool (schema {state.version}; this one knows up to "
            f"{SCHEMA_VERSION}); nothing was written. Use the newer version, or {RESTORE_HINT}."
        )
    return None


def needs_migration(state: SchemaState) -> bool:
    return state.kind in ("blank", "release1") or (state.kind == "ours" and state.version < SCHEMA_VERSION)


def check_writable(path: Path) -> None:
    """Refuse before writing when the file or its folder (where the WAL goes) cannot be written."""
    for target in (path, path.parent):
        if target.exists() and not os.access(target, os.W_OK):
            if errors.read_only_fs(target):
                raise errors.read_only_filesystem(path)
            raise errors.permission_denied(path)


# ---------------------------------------------------------------------------------------------
# Opening


def open_database(path: str | os.PathLike | None = None, *, read_only: bool = False,
                  create: bool = True) -> duckdb.DuckDBPyConnection:  # fmt: skip
    """The database at `path` (--db, $DASHBOARD_DB, data/dashboard.duckdb), checked, migrated when
    it is ours but older, and opened. A missing file is created empty when `create` (never when
    `read_only`). Raises a StoreError naming the problem; then nothing was written."""
    path = db_path(path)
    if not path.exists():
        if read_only or not create:
            raise NoDatabase(f"{path}: no database yet; run `python -m analytics rebuild --db {path}` to build it "
                             "from seeds/, or point --db or DASHBOARD_DB at one.")  # fmt: skip
        build_into(path)
    state = inspect(path)
    refused = refusal(path, state)
    if refused:
        raise refused
    migrating = needs_migration(state)
    if migrating and read_only:
        what = ("an empty DuckDB file (no tables yet)" if state.kind == "blank"
                else f"made by an earlier version of this tool (schema {state.version})")  # fmt: skip
        raise OutdatedSchema(f"{path} is {what} and is opened read-only, so it cannot be set up or upgraded; nothing "
                             "was written. Open it once without DASHBOARD_READ_ONLY (any ingest, import or the "
                             "dashboard does it, after a backup).")  # fmt: skip
    if not read_only:
        check_writable(path)
    if migrating and state.kind != "blank":
        backup_file(path, reason=f"before-migration-to-{SCHEMA_VERSION}")
    try:
        con = duckdb.connect(str(path), read_only=read_only)
    except duckdb.Error as exc:
        raise named(exc, path) from exc
    if migrating:
        try:
            migrate(con, state)
        except (duckdb.Error, OSError) as exc:
            con.close()
            raise named(exc, path, "the upgrade was rolled back, the file is as it was") from exc
    return con


def open_for_reading(path: str | os.PathLike | None = None) -> duckdb.DuckDBPyConnection:
    """Read-only when the file is current (so a file one may not write can still be read), else
    read-write once to upgrade it."""
    try:
        return open_database(path, read_only=True)
    except OutdatedSchema:
        return open_database(path)


def connect(path: str | os.PathLike | None = None, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """open_database creating a missing file empty: what ingest, import and the tests use."""
    return open_database(path, read_only=read_only, create=True)


def build_into(path: Path, fill: Callable[[duckdb.DuckDBPyConnection], None] | None = None) -> None:
    """A new database at `path` (which must not be a file we would lose), built aside as
    `<name>.building` with the schema and whatever `fill` writes, then renamed over `path`."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise named(exc, path, "the new database was not built and nothing else was changed") from exc
    check_writable(path.parent / "x")  # the folder: the new file and its WAL go there
    tmp = path.with_name(path.name + ".building")
    for leftover in (tmp, _wal(tmp)):
        leftover.unlink(missing_ok=True)
    try:
        con = duckdb.connect(str(tmp))
        try:
            migrate(con, SchemaState("blank"))
            if fill:
                fill(con)
        finally:
            con.close()
        os.replace(tmp, path)
    except BaseException as exc:
        for leftover in (tmp, _wal(tmp)):
            leftover.unlink(missing_ok=True)
        if isinstance(exc, duckdb.Error | OSError):
            raise named(exc, path, "the new database was not built and nothing else was changed") from exc
        raise


# ---------------------------------------------------------------------------------------------
# Backups


def backup_dir(path: Path) -> Path:
    """$DASHBOARD_BACKUP_DIR, else `backups/` beside the database file."""
    return config.get("DASHBOARD_BACKUP_DIR") or Path(path).absolute().parent / "backups"


def _backup_target(path: Path, reason: str, dest: Path | None) -> Path:
    if dest is not None:
        return Path(dest)
    folder = backup_dir(path)
    folder.mkdir(parents=True, exist_ok=True)
    base = f"{Path(path).stem}-{_stamp()}-{reason}"
    target, n = folder / f"{base}.duckdb", 1
    while target.exists():
        n += 1
        target = folder / f"{base}-{n}.duckdb"
    return target


def _backup_outcome(reason: str) -> str:
    if reason == "manual":
        return "the backup was not written"
    return f"the backup made first ({reason.replace('-', ' ')}) could not be written, so nothing was changed"


def _prune(path: Path) -> None:
    """Keep the newest KEEP_AUTOMATIC_BACKUPS automatic backups of this database; manual ones stay."""
    folder = backup_dir(path)
    # The stamp in the pattern keeps another database's backups ("dashboard-old-...") out of it.
    pattern = f"{glob.escape(Path(path).stem)}-{'[0-9]' * 8}T{'[0-9]' * 6}Z-before-*.duckdb"
    auto = sorted(folder.glob(pattern), key=lambda p: p.name)
    for old in auto[:-KEEP_AUTOMATIC_BACKUPS]:
        old.unlink(missing_ok=True)
        _wal(old).unlink(missing_ok=True)


def backup_file(
    path: str | os.PathLike, reason: str = "manual", dest: str | os.PathLike | None = None
) -> Path:
    """Copy a database file no connection of this process writes to, byte for byte (with its WAL,
    when it has one), to `dest` or backups/<name>-<UTC time>-<reason>.duckdb. Returns the copy."""
    path = Path(path)
    tmp = None
    try:
        target = _backup_target(path, reason, Path(dest) if dest else None)
        tmp = target.with_name(target.name + ".partial")
        shutil.copyfile(path, tmp)
        if _wal(path).exists():
            shutil.copyfile(_wal(path), _wal(target))
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except OSError as exc:
        if tmp is not None:
            tmp.unlink(missing_ok=True)
        raise named(exc, path, _backup_outcome(reason)) from exc
    if reason != "manual":
        _prune(path)
    return target


def backup_live(con: duckdb.DuckDBPyConnection, reason: str) -> Path:
    """A consistent copy of the database `con` has open (DuckDB's COPY FROM DATABASE, a snapshot
    that other readers and this process's writer lock do not disturb). Returns the copy."""
    path = database_file(con)
    tmp = None
    try:
        target = _backup_target(path, reason, None)
        tmp = target.with_name(target.name + ".partial")
        copy_database(con, tmp)
        os.replace(tmp, target)
    except (OSError, duckdb.Error) as exc:
        if tmp is not None:
            for leftover in (tmp, _wal(tmp)):
                leftover.unlink(missing_ok=True)
        raise named(exc, path, _backup_outcome(reason)) from exc
    _prune(path)
    return target


def backup(path: str | os.PathLike | None = None, dest: str | os.PathLike | None = None) -> Path:
    """`python -m analytics backup`: check the file is ours, then copy it while holding it open
    read-only (so no writer can start meanwhile)."""
    path = db_path(path)
    if not path.exists():
        raise NoDatabase(f"{path}: no such database file to back up.")
    state = inspect(path)
    refused = refusal(path, state)
    if refused and not isinstance(refused, NewerSchema):
        raise refused
    con = _connect_to_look(path)
    try:
        return backup_file(path, "manual", dest)
    finally:
        con.close()


def restore(source: str | os.PathLike, path: str | os.PathLike | None = None) -> tuple[Path, Path | None]:
    """Put the backup `source` in place of the database at `path`. The current file is backed up
    first (when ours) or moved aside unchanged (when not). Returns (database, where the old one went)."""
    source, path = Path(source), db_path(path)
    if not source.exists():
        raise NoDatabase(f"{source}: no such backup file.")
    state = inspect(source)
    refused = refusal(source, state)
    if refused:
        raise refused
    kept = _set_current_aside(path, "before-restore", force=True) if path.exists() else None
    try:
        tmp = path.with_name(path.name + ".restoring")
        shutil.copyfile(source, tmp)
        if _wal(source).exists():
            shutil.copyfile(_wal(source), _wal(tmp))
        _wal(path).unlink(missing_ok=True)
        os.replace(tmp, path)
        if _wal(tmp).exists():
            os.replace(_wal(tmp), _wal(path))
    except OSError as exc:
        raise named(exc, path, "the restore did not finish; the previous file was kept first") from exc
    return path, kept


def _set_current_aside(path: Path, reason: str, force: bool) -> Path | None:
    """Before `path` is replaced: back it up when it is ours; when it is not (or is unreadable),
    refuse unless `force`, then rename it (and its WAL) aside unchanged. Where it went."""
    try:
        state = inspect(path)
        problem = refusal(path, state)
    except errors.DatabaseBusy:
        raise
    except StoreError as exc:
        problem = exc
    if problem is None:
        # Ours: a copy, then the WAL goes (the copy holds it), so the new file never replays it.
        kept = backup_file(path, reason)
        _wal(path).unlink(missing_ok=True)
        return kept
    if not force:
        raise type(problem)(f"{problem} `rebuild` never replaces a file that is not this tool's database; pass "
                            "--force to move it aside (renamed, not deleted) and build a new one.")  # fmt: skip
    aside = path.with_name(f"{path.name}.set-aside-{_stamp()}")
    try:
        os.replace(path, aside)
        if _wal(path).exists():
            os.replace(_wal(path), _wal(aside))
    except OSError as exc:
        raise named(exc, path, "the old file could not be moved aside, so nothing was replaced") from exc
    return aside


def rebuild(path: str | os.PathLike | None, fill: Callable[[duckdb.DuckDBPyConnection], None],
            force: bool = False) -> tuple[Path, Path | None]:  # fmt: skip
    """Build a new database with `fill` beside `path`, then swap it in atomically. The old file is
    backed up when it is ours; when it is not, nothing happens without `force`, and with it the
    old file is renamed aside. Returns (database, where the old one went)."""
    path = db_path(path)
    if path.exists():
        # Refuse before the (long) build when the file is held or is not ours and --force is absent.
        try:
            refused = refusal(path, inspect(path))
        except errors.DatabaseBusy:
            raise
        except StoreError as exc:
            refused = exc
        if refused and not force:
            raise type(refused)(f"{refused} `rebuild` never replaces a file that is not this tool's database; "
                                "pass --force to move it aside (renamed, not deleted) and build a new one.")  # fmt: skip
    new = path.with_name(path.name + ".new")
    build_into(new, fill)
    try:
        kept = _set_current_aside(path, "before-rebuild", force) if path.exists() else None
        os.replace(new, path)
    except BaseException:
        new.unlink(missing_ok=True)
        raise
    return path, kept


__all__ = ["TOOL", "backup", "backup_file", "backup_live", "build_into", "connect", "inspect", "open_database",
           "rebuild", "restore"]  # fmt: skip
