"""The schema as numbered migrations, the marker that says a file is ours, and reading that marker.

A database of this tool carries `schema_info`: one row per migration applied, with the tool's
name. `migrations/NNN_name.sql` are applied in order inside one transaction, then `views.sql`
(the views the query layer reads) is recreated. Adding a table or a column is one new file,
`migrations/00N_what.sql`; nothing else changes. A file made by the first release, before the
marker existed, is recognised by its tables and brought up from migration 1.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

TOOL = "ukraine-war-news-analytics"
HERE = Path(__file__).parent
MIGRATIONS_DIR = HERE / "migrations"
VIEWS_PATH = HERE / "views.sql"

MARKER_SQL = f"""
CREATE TABLE IF NOT EXISTS schema_info (
    version INTEGER PRIMARY KEY,             -- the migration's number
    name VARCHAR NOT NULL,                   -- its file name
    tool VARCHAR NOT NULL,                   -- '{TOOL}': the file is this tool's database
    applied_at TIMESTAMP NOT NULL DEFAULT current_timestamp
);
COMMENT ON TABLE schema_info IS 'This tool''s marker: the schema migrations applied to the file, newest last.';
"""

# What a file of the first release holds (it had no schema_info): these tables with at least
# these columns. A file that merely has a `documents` table of its own is not taken for ours.
RELEASE_1_TABLES = {
    "meta": {"key", "value"},
    "documents": {"doc_id", "content_hash", "name", "text", "n_sentences", "origin"},
    "sentences": {"doc_id", "sentence_no", "start_char", "end_char", "text"},
    "events": {"record_id", "doc_id", "sentence_no", "event_type", "origin"},
    "aid_figures": {"record_id", "doc_id", "record_type", "donor", "amount", "currency"},
    "diplomatic_items": {"record_id", "doc_id", "item_type", "status"},
    "statements": {"record_id", "doc_id", "speaker", "stance"},
    "record_actors": {"record_id", "position", "actor", "side", "role"},
    "actors": {"name", "kind", "represents"},
    "places": {"name", "kind", "theatre"},
}


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    path: Path

    def sql(self) -> str:
        return self.path.read_text(encoding="utf-8")


def migrations() -> list[Migration]:
    """The migration files in order; their numbers must run 1, 2, 3... without a gap."""
    found = []
    for p in sorted(MIGRATIONS_DIR.glob("*.sql")):
        m = re.fullmatch(r"(\d{3})_[a-z0-9_]+\.sql", p.name)
        if not m:
            raise RuntimeError(f"{p}: a migration is named NNN_what.sql")
        found.append(Migration(int(m.group(1)), p.name, p))
    numbers = [m.version for m in found]
    if numbers != list(range(1, len(found) + 1)):
        raise RuntimeError(
            f"{MIGRATIONS_DIR}: migrations must be numbered 1..N without gaps, found {numbers}"
        )
    return found


SCHEMA_VERSION = migrations()[-1].version


def _fill_record_facts(con: duckdb.DuckDBPyConnection) -> None:
    from analytics.store.writer import rebuild_record_facts  # the writer's own SQL for the rows

    rebuild_record_facts(con)


def _drop_key_constraints(con: duckdb.DuckDBPyConnection) -> None:
    from analytics.store import keys

    for table in keys.KEYS:
        keys.drop_constraints(con, table)


# Steps of a migration that SQL alone cannot say, run right after its file: migration 7 rebuilds the
# bulk-written tables without their key constraints (analytics/store/keys.py checks the keys instead).
IN_ORDER = {7: _drop_key_constraints}

# Steps a migration needs after the views exist (they call the views' macros), run in the same
# transaction: migration 6 makes record_facts a table, filled here for the records already stored.
POST_MIGRATION = {6: _fill_record_facts}


@dataclass(frozen=True)
class SchemaState:
    """What a file holds: blank (no tables), ours (with version), release1 (ours, before the
    marker), or foreign (someone else's tables, or another tool's marker)."""

    kind: str
    version: int = 0
    tables: tuple[str, ...] = field(default_factory=tuple)
    tool: str | None = None


def read_state(con: duckdb.DuckDBPyConnection) -> SchemaState:
    """Read the schema of the open file, writing nothing."""
    rows = con.execute(
        "SELECT table_name, column_name FROM duckdb_columns() WHERE database_name = current_database() "
        "AND schema_name = 'main'"
    ).fetchall()
    columns: dict[str, set[str]] = {}
    for table, column in rows:
        columns.setdefault(table, set()).add(column)
    views = {v for (v,) in con.execute(
        "SELECT view_name FROM duckdb_views() WHERE database_name = current_database() AND NOT internal"
    ).fetchall()}  # fmt: skip
    tables = tuple(sorted(t for t in columns if t not in views))
    if not tables:
        return SchemaState("blank")
    if "schema_info" in columns and {"version", "tool"} <= columns["schema_info"]:
        tools = {t for (t,) in con.execute("SELECT DISTINCT tool FROM schema_info").fetchall()}
        if tools == {TOOL}:
            version = con.execute("SELECT max(version) FROM schema_info").fetchone()[0] or 0
            return SchemaState("ours", int(version), tables, TOOL)
        return SchemaState("foreign", 0, tables, ", ".join(sorted(map(str, tools))) or None)
    if all(t in columns and need <= columns[t] for t, need in RELEASE_1_TABLES.items()):
        return SchemaState("release1", 1, tables)
    return SchemaState("foreign", 0, tables)


def migrate(con: duckdb.DuckDBPyConnection, state: SchemaState) -> list[int]:
    """Bring a blank, first-release or older file to SCHEMA_VERSION in one transaction; the
    versions applied. The caller has made a backup of a file that held data."""
    if state.kind == "foreign":
        raise ValueError("refusing to migrate a file that is not this tool's database")
    start = 0 if state.kind == "blank" else state.version
    # A first-release file runs migration 1 again: it is idempotent and completes files made
    # before its later columns (materiel, lat/lon).
    if state.kind == "release1":
        start = 0
    todo = [m for m in migrations() if m.version > start]
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute(MARKER_SQL)
        for m in todo:
            con.execute(m.sql())
            if m.version in IN_ORDER:
                IN_ORDER[m.version](con)
            con.execute("INSERT OR REPLACE INTO schema_info (version, name, tool) VALUES (?, ?, ?)",
                        [m.version, m.name, TOOL])  # fmt: skip
        con.execute(VIEWS_PATH.read_text(encoding="utf-8"))
        for m in todo:
            if m.version in POST_MIGRATION:
                POST_MIGRATION[m.version](con)
        con.execute("COMMIT")
    except BaseException:
        try:
            con.execute("ROLLBACK")
        except duckdb.Error:
            pass  # the failure already ended the transaction
        raise
    return [m.version for m in todo]
