"""The DuckDB file: where it is, opening it with the schema applied, keeping vocabularies in sync.

Connection model: DuckDB lets one process write a file at a time. The dashboard process holds
one connection and hands a cursor to each query; the CLI opens its own connection and, when
another process holds the file, stops with a message that says what to do. Reads run under a
time limit (`time_limit`), so one runaway query cannot hold a server thread.
"""
from __future__ import annotations

import hashlib
import os
import threading
from contextlib import contextmanager
from pathlib import Path

import duckdb

from analytics.vocab import DATA_DIR, Vocabulary, load_vocabulary

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = ROOT / "data" / "dashboard.duckdb"
SEEDS_DIR = ROOT / "seeds"
SCHEMA_PATH = Path(__file__).parent / "schema.sql"
SCHEMA_VERSION = "1"
DEFAULT_QUERY_TIMEOUT_S = 10.0


class DatabaseBusy(RuntimeError):
    """Another process holds the database file."""


class QueryTimeout(RuntimeError):
    """A read ran past the time limit and was stopped; the message says what to do."""


def query_timeout() -> float:
    """Seconds a read may run: $DASHBOARD_QUERY_TIMEOUT, 10 by default; 0 or less means no limit."""
    raw = os.environ.get("DASHBOARD_QUERY_TIMEOUT", "")
    try:
        return float(raw) if raw else DEFAULT_QUERY_TIMEOUT_S
    except ValueError:
        return DEFAULT_QUERY_TIMEOUT_S


@contextmanager
def time_limit(cur: duckdb.DuckDBPyConnection, seconds: float | None = None):
    """Interrupt what `cur` runs inside the block once `seconds` pass, and say so as QueryTimeout.

    `cur` must be a cursor of its own: interrupt() stops whatever that connection is running.
    """
    seconds = query_timeout() if seconds is None else seconds
    if not seconds or seconds <= 0:
        yield
        return
    timer = threading.Timer(seconds, cur.interrupt)
    timer.daemon = True
    timer.start()
    try:
        yield
    except duckdb.InterruptException as exc:
        raise QueryTimeout(
            f"This view took longer than {seconds:g} s and was stopped; narrow the filters (an actor, a theme, "
            "a shorter date range) and try again."
        ) from exc
    finally:
        timer.cancel()


def db_path(explicit: str | os.PathLike | None = None) -> Path:
    """--db, else $DASHBOARD_DB, else data/dashboard.duckdb."""
    return Path(explicit or os.environ.get("DASHBOARD_DB") or DEFAULT_DB)


def connect(path: str | os.PathLike | None = None, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    path = db_path(path)
    if read_only and not path.exists():
        raise FileNotFoundError(f"{path}: no database yet; run 'python -m analytics rebuild' to build it")
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        con = duckdb.connect(str(path), read_only=read_only)
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():
            raise DatabaseBusy(
                f"{path} is open for writing in another process (the dashboard, or another ingest). "
                "Stop that process, add articles from the dashboard's upload instead, or pass --db "
                "to work on another file."
            ) from exc
        raise
    if not read_only:
        apply_schema(con)
    return con


def apply_schema(con: duckdb.DuckDBPyConnection) -> None:
    from analytics.derive import apply_schema as apply_derived_schema

    con.execute(SCHEMA_PATH.read_text(encoding="utf-8"))
    apply_derived_schema(con)  # the derived tables and views exist (empty) before the first derivation
    con.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [SCHEMA_VERSION])


def vocabulary_hash(data_dir: Path = DATA_DIR) -> str:
    h = hashlib.sha256()
    for name in ("actors.yaml", "places.yaml", "themes.yaml", "theatres.yaml", "oblasts.yaml"):
        p = Path(data_dir) / name
        if p.exists():
            h.update(p.read_bytes())
    return h.hexdigest()[:16]


def sync_vocabulary(con: duckdb.DuckDBPyConnection, vocab: Vocabulary | None = None, force: bool = False) -> bool:
    """Load the vocabulary tables when the files changed since the last load. True if loaded."""
    import pandas as pd

    digest = vocabulary_hash()
    row = con.execute("SELECT value FROM meta WHERE key = 'vocabulary_hash'").fetchone()
    if row and row[0] == digest and not force:
        return False
    vocab = vocab or load_vocabulary()
    frames = {
        "theatres": pd.DataFrame(
            [(t.name, t.description, t.sort) for t in vocab.theatres], columns=["name", "description", "sort_order"]
        ),
        "actors": pd.DataFrame(
            [(a.name, a.kind, a.country, a.represents) for a in vocab.actors],
            columns=["name", "kind", "country", "represents"],
        ),
        "actor_aliases": pd.DataFrame(
            sorted({(al, a.name) for a in vocab.actors for al in a.aliases + (a.name,)}), columns=["alias", "actor"]
        ),
        "places": pd.DataFrame(
            [(p.name, p.kind, p.country, p.admin1, p.theatre, p.lat, p.lon) for p in vocab.places],
            columns=["name", "kind", "country", "admin1", "theatre", "lat", "lon"],
        ).drop_duplicates("name"),
        "place_aliases": pd.DataFrame(
            sorted({(al, p.name) for p in vocab.places for al in p.aliases + (p.name,)}), columns=["alias", "place"]
        ),
        "themes": pd.DataFrame([(t.name, t.description) for t in vocab.themes], columns=["name", "description"]),
        "theme_cues": pd.DataFrame(
            sorted({(t.name, c) for t in vocab.themes for c in t.cues}), columns=["theme", "cue"]
        ),
    }
    con.execute("BEGIN TRANSACTION")
    try:
        for table, frame in frames.items():
            con.execute(f"DELETE FROM {table}")  # noqa: S608 - table names are the fixed keys above
            con.register("_frame", frame)
            con.execute(f"INSERT INTO {table} SELECT * FROM _frame")  # noqa: S608
            con.unregister("_frame")
        con.execute("INSERT OR REPLACE INTO meta VALUES ('vocabulary_hash', ?)", [digest])
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return True


def ensure_database(path: str | os.PathLike | None = None, progress=None) -> Path:
    """Build the database from seeds/ when it does not exist yet. Returns its path."""
    path = db_path(path)
    if path.exists():
        return path
    from analytics.ingest import ingest_paths

    tmp = path.with_name(path.name + ".building")
    for leftover in (tmp, Path(str(tmp) + ".wal")):
        leftover.unlink(missing_ok=True)
    con = connect(tmp)
    try:
        ingest_paths(con, [SEEDS_DIR], progress=progress)
    finally:
        con.close()
    # Build aside and rename, so a half-built file is never taken for a database.
    os.replace(tmp, path)
    return path
