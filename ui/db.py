"""One DuckDB connection per server process (per database file); every query takes its own cursor.

Connection model: DuckDB lets one process open a file for writing, and no other process open it
at all meanwhile. A server that can, opens the file read-write once, so uploads can add articles;
every read takes its own cursor (DuckDB's MVCC gives each a consistent view while an upload
commits), writes go through `writer()`, one at a time in the process, and after each the server
publishes a snapshot for readers (`analytics.store.snapshots`).

A server that cannot be the writer (another process writes the file, or one reads it so no one
may write, or $DASHBOARD_READ_ONLY is set) reads the newest snapshot instead, says so on every
page (`ui.source`), turns uploads and imports off with the cause, and moves to a newer snapshot
at the next rerun after one appears. A file this server may not write (permissions, read-only
file system) is read in place.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import streamlit as st

from analytics import config
from analytics.store import DatabaseBusy, StoreError, db_path, open_database, snapshots
from analytics.store.errors import PermissionDenied, ReadOnlyFileSystem, log_failure
from analytics.store.snapshots import NoSnapshot, Snapshot

log = logging.getLogger(__name__)
RETIRE_AFTER_S = 120  # a superseded snapshot's connection stays open this long for reads still on it


@dataclass
class Store:
    con: duckdb.DuckDBPyConnection
    path: Path
    mode: str = "write"  # "write", "snapshot" (a copy published by the writer), "file" (the file, read-only)
    cause: str | None = None  # why not "write": "env", "writer", "reader", "fs"
    read_only_reason: str | None = None  # None: uploads may write
    snapshot: Snapshot | None = (
        None  # what a "snapshot" server reads; in "write" mode, the last one published
    )
    publish_error: str | None = None  # the last snapshot this writer could not publish
    holder: snapshots.Holder | None = None  # the process that holds the file, as DuckDB named it
    write_lock: threading.Lock = field(default_factory=threading.Lock)
    swap_lock: threading.Lock = field(default_factory=threading.Lock)
    retired: list = field(default_factory=list)  # (when, connection) of snapshots left behind

    @property
    def retry_possible(self) -> bool:
        """Whether pressing Retry may make this server the writer (the other process may end)."""
        return self.cause in ("writer", "reader")


def _close(store: Store) -> None:
    for _, con in store.retired:
        con.close()
    store.con.close()


def read_only_env() -> bool:
    return config.get("DASHBOARD_READ_ONLY")


def _reason(cause: str, holder: snapshots.Holder | None = None) -> str:
    """Why this server cannot add articles, in words that match the cause."""
    if cause == "env":
        return ("this server was started with DASHBOARD_READ_ONLY=1, so it only reads (snapshots the writer "
                "publishes) and never writes. Add articles in the dashboard that writes this database, or with "
                "`python -m analytics ingest` or `import` when none does; or restart this one without "
                "DASHBOARD_READ_ONLY")  # fmt: skip
    who = holder.describe() if holder else "another process"
    if cause == "reader":
        return (f"{who} has the database file open for reading (an export, a backup, or a dashboard of an older "
                "version), and DuckDB lets nobody write while it does. Press Retry once it has finished")  # fmt: skip
    if holder and holder.command and "streamlit" in holder.command:
        todo = "Add articles or import in that dashboard (its Add articles and Data pages)"
    else:
        todo = "Once its command has ended, press Retry to add articles or import here"
    return (f"{who} is writing the database, and DuckDB lets one process at a time hold it; this server shows "
            f"the snapshots it publishes. {todo}")  # fmt: skip


def _reader(path: Path, cause: str, reason: str, holder: snapshots.Holder | None = None) -> Store:
    """A store over the newest snapshot, made from the file first when there is none and nobody writes it."""
    snap = snapshots.newest(path)
    if cause in ("env", "reader") or snap is None:
        try:  # a missing or stale snapshot is made from the file when nobody writes it (held only for the copy)
            snap = snapshots.publish_from_file(path, "a read-only dashboard, from the file") or snap
        except DatabaseBusy:
            pass  # a writer holds it: it publishes
        except StoreError as exc:
            log.warning("no snapshot made from %s: %s", path, exc)
    if snap is None:
        raise NoSnapshot(f"{path} is held by a process that writes it and has published no snapshot yet, so "
                         "this read-only dashboard has nothing to show. It will, within "
                         f"{snapshots.POLL_SECONDS} s of the writer's next snapshot (at the end of its command "
                         "or upload, or at its start if it is a dashboard of this version).")  # fmt: skip
    return Store(snapshots.open_snapshot(snap), path, "snapshot", cause, reason, snap, holder=holder)


def _publish(s: Store, by: str) -> None:
    """After committed writes: a snapshot for read-only dashboards. Its failure never fails the write."""
    try:
        snap = snapshots.publish(s.con, s.path, by, s.write_lock)
        s.snapshot, s.publish_error = snap or s.snapshot, None
    except StoreError as exc:
        s.publish_error = exc.message


@st.cache_resource(show_spinner=False, on_release=_close)
def _store(path: str) -> Store:
    """Open the file through the one checked way in. A file that is not ours, damaged or newer
    raises its StoreError (app.py shows the message; nothing is cached, so a fixed file is picked
    up on the next load); one this server cannot be the writer of is read through a snapshot."""
    db = Path(path)
    if read_only_env():
        return _reader(db, "env", _reason("env"))
    try:
        s = Store(open_database(db, create=False), db)
    except DatabaseBusy as exc:
        holder = snapshots.holder(exc)
        cause = "reader" if holder.reads_only else "writer"
        return _reader(db, cause, _reason(cause, holder), holder)
    except (PermissionDenied, ReadOnlyFileSystem) as exc:
        # Nobody may write it from here: read the file itself; uploads say why they are off.
        return Store(open_database(db, read_only=True), db, "file", "fs", exc.message)
    _publish(s, "the dashboard, at its start")  # readers get a snapshot even before the first upload
    return s


def store() -> Store:
    return _store(str(db_path().resolve()))


def connection() -> duckdb.DuckDBPyConnection:
    return store().con


def cursor() -> duckdb.DuckDBPyConnection:
    """A cursor of the shared connection, for one query (DuckDB cursors are not shared across threads)."""
    return connection().cursor()


def read_only_reason() -> str | None:
    """Why this server cannot add articles, or None when it can."""
    return store().read_only_reason


def refresh() -> bool:
    """At each rerun of a snapshot reader: move to a newer snapshot when one has appeared (one
    directory listing when none has). True when it moved."""
    s = store()
    if s.mode != "snapshot":
        return False
    latest = snapshots.newest_version(s.path)
    if latest is None or latest <= s.snapshot.version:
        return False
    with s.swap_lock:
        snap = snapshots.newest(s.path)
        if snap is None or snap.version <= s.snapshot.version:
            return False
        try:
            con = snapshots.open_snapshot(snap)
        except StoreError as exc:  # keep reading the one we have; the log says why
            log_failure(exc, f"snapshot {snap.path} not opened")
            return False
        now = time.monotonic()
        s.retired.append((now, s.con))
        s.con, s.snapshot = con, snap
        # Reads started before the switch go on on the old connection; close it once none can be left.
        for when, old in [r for r in s.retired if now - r[0] > RETIRE_AFTER_S]:
            old.close()
            s.retired.remove((when, old))
    st.cache_data.clear()
    return True


@contextmanager
def writer(by: str = "the dashboard") -> Iterator[tuple[duckdb.DuckDBPyConnection, threading.Lock]]:
    """A cursor for writing and the process-wide lock each write holds; readers are never blocked by it.
    When the block ends, a snapshot of what it wrote is published for read-only dashboards."""
    s = store()
    if s.read_only_reason:
        raise DatabaseBusy(f"Adding articles is off: {s.read_only_reason}.")
    cur = s.con.cursor()
    try:
        yield cur, s.write_lock
    finally:
        cur.close()
        _publish(s, by)


def release() -> None:
    """Close this process's connections (tests, Retry, and anything that must hand the file to another process)."""
    _store.clear()
