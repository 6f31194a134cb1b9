"""The database: opening a file with care, its schema and migrations, vocabularies, and the one writer.

    from analytics.store import open_database, writer
    con = open_database("data/dashboard.duckdb")          # checked, migrated, or a StoreError
    with writer.transaction(con, what="this import"):
        writer.insert_rows(con, "events", rows)

Modules: `connection` (where the file is, read time limits), `errors` (named failures and the
log), `schema` (migrations and the marker), `files` (open, build, rebuild, backup, restore),
`vocabulary` (the vocabulary tables), `writer` (the transaction helper and every row writer).
"""

from analytics.store.connection import (
    DEFAULT_DB,
    DEFAULT_QUERY_TIMEOUT_S,
    ROOT,
    SEEDS_DIR,
    QueryTimeout,
    db_path,
    query_timeout,
    time_limit,
)
from analytics.store.errors import DatabaseBusy, StoreError
from analytics.store.files import backup, connect, inspect, open_database, rebuild, restore
from analytics.store.schema import SCHEMA_VERSION, TOOL
from analytics.store.vocabulary import sync_vocabulary, vocabulary_hash

__all__ = [
    "DEFAULT_DB", "DEFAULT_QUERY_TIMEOUT_S", "ROOT", "SCHEMA_VERSION", "SEEDS_DIR", "TOOL", "DatabaseBusy",
    "QueryTimeout", "StoreError", "backup", "connect", "db_path", "inspect", "open_database", "query_timeout",
    "rebuild", "restore", "sync_vocabulary", "time_limit", "vocabulary_hash",
]  # fmt: skip
