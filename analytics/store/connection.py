"""Where the database file is, and the time limit every dashboard read runs under.

Connection model: DuckDB lets one process write a file at a time. The dashboard process holds
one connection and hands a cursor to each query; the CLI opens its own connection and, when
another process holds the file, stops with a message that says what to do. Reads run under a
time limit (`time_limit`), so one runaway query cannot hold a server thread.
"""

from __future__ import annotations

import os
import threading
from contextlib import contextmanager
from pathlib import Path

import duckdb

from analytics import config

ROOT = Path(__file__).resolve().parent.parent.parent
DEFAULT_DB = config.get_default("DASHBOARD_DB")
SEEDS_DIR = ROOT / "seeds"
DEFAULT_QUERY_TIMEOUT_S = config.get_default("DASHBOARD_QUERY_TIMEOUT")


class QueryTimeout(RuntimeError):
    """A read ran past the time limit and was stopped; the message says what to do."""


def query_timeout() -> float:
    """Seconds a read may run: $DASHBOARD_QUERY_TIMEOUT, 10 by default; 0 or less means no limit."""
    return config.get("DASHBOARD_QUERY_TIMEOUT")


_reads = 0
_reads_lock = threading.Lock()


def reads_in_flight() -> int:
    """How many reads this process is running now (every read goes through `time_limit`): what a
    page that is about to read waits behind."""
    return _reads


@contextmanager
def _counted():
    global _reads
    with _reads_lock:
        _reads += 1
    try:
        yield
    finally:
        with _reads_lock:
            _reads -= 1


@contextmanager
def time_limit(cur: duckdb.DuckDBPyConnection, seconds: float | None = None):
    """Interrupt what `cur` runs inside the block once `seconds` pass, and say so as QueryTimeout.

    `cur` must be a cursor of its own: interrupt() stops whatever that connection is running.
    """
    seconds = query_timeout() if seconds is None else seconds
    if not seconds or seconds <= 0:
        with _counted():
            yield
        return
    timer = threading.Timer(seconds, cur.interrupt)
    timer.daemon = True
    timer.start()
    try:
        with _counted():
            yield
    except duckdb.InterruptException as exc:
        raise QueryTimeout(
            f"This view took longer than {seconds:g} s and was stopped; narrow the filters (an actor, a theme, "
            "a shorter date range) and try again."
        ) from exc
    finally:
        timer.cancel()


def copy_database(con: duckdb.DuckDBPyConnection, target: str | os.PathLike) -> None:
    """Every table of `con`'s database into a new file `target`, as one transaction's view of it
    (ATTACH then COPY FROM DATABASE): what a backup and a snapshot taken beside a WAL both need."""
    current = con.execute("SELECT current_database()").fetchall()[0][0]
    quoted = "'" + str(target).replace("'", "''") + "'"
    con.execute(
        f"ATTACH {quoted} AS _copy_target (READ_WRITE)"
    )  # ATTACH takes no bound parameter for its file
    try:
        con.execute(f'COPY FROM DATABASE "{current}" TO _copy_target')
    finally:
        con.execute("DETACH _copy_target")


def db_path(explicit: str | os.PathLike | None = None) -> Path:
    """--db, else $DASHBOARD_DB, else data/dashboard.duckdb."""
    return Path(explicit or config.get("DASHBOARD_DB"))
