"""One DuckDB connection per server process (per database file); every query takes its own cursor.

Connection model: DuckDB lets one process open a file for writing. The server opens it read-write
once, so uploads can add articles; every read takes its own cursor (DuckDB's MVCC gives each a
consistent snapshot while an upload commits), and writes go through `writer()`, one at a time in
the process. When the file cannot be opened for writing (another process holds it read-only, or
$DASHBOARD_READ_ONLY is set) the server still serves reads and the upload page says why it is off.
"""
from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import duckdb
import streamlit as st

from analytics import config
from analytics.store import DatabaseBusy, db_path, open_database
from analytics.store.errors import PermissionDenied, ReadOnlyFileSystem


@dataclass
class Store:
    con: duckdb.DuckDBPyConnection
    read_only_reason: str | None = None  # None: uploads may write
    write_lock: threading.Lock = field(default_factory=threading.Lock)


def _close(store: Store) -> None:
    store.con.close()


@st.cache_resource(show_spinner=False, on_release=_close)
def _store(path: str) -> Store:
    """Open the file through the one checked way in. A file that is not ours, damaged or newer
    raises its StoreError (app.py shows the message; nothing is cached, so a fixed file is picked
    up on the next load); one that cannot be written is served read-only, uploads off."""
    if config.get("DASHBOARD_READ_ONLY"):
        return Store(open_database(path, read_only=True), "the server was started with DASHBOARD_READ_ONLY set")
    try:
        return Store(open_database(path, create=False))
    except (DatabaseBusy, PermissionDenied, ReadOnlyFileSystem, duckdb.ConnectionException) as exc:
        # Another process has the file (read-only), or it cannot be written here: serve reads.
        return Store(open_database(path, read_only=True), f"the database is open read-only ({exc})")


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


@contextmanager
def writer() -> Iterator[tuple[duckdb.DuckDBPyConnection, threading.Lock]]:
    """A cursor for writing and the process-wide lock each write holds; readers are never blocked by it."""
    s = store()
    if s.read_only_reason:
        raise DatabaseBusy(f"Adding articles is off: {s.read_only_reason}.")
    cur = s.con.cursor()
    try:
        yield cur, s.write_lock
    finally:
        cur.close()


def release() -> None:
    """Close this process's connections (tests, and anything that must hand the file to another process)."""
    _store.clear()
