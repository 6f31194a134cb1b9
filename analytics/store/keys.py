"""The keys of the tables that bulk writes fill, checked by one query before each write commits.

These tables had PRIMARY KEY and UNIQUE constraints until migration 7. DuckDB keeps a constraint as
an index that every insert updates and merges at commit: for a million-row import that was most of
the time spent (bench/REPORT.md, "ACLED import"). Migration 7 rebuilds the tables without them
(`drop_constraints`), and the writer checks the same keys itself: `writer.transaction` runs
`violation` over the rows the write touched, and a repeated key rolls the whole write back with a
KeyViolation that names the table, the key and the value. The check reads the written rows' keys and
counts them across the whole table, so a key repeated against an older row is caught as well.

The small tables (meta, the vocabularies, the derived tables) keep their constraints.
"""

from __future__ import annotations

import duckdb

# Each table's keys (each a tuple of columns), in the order the old constraints declared them.
KEYS: dict[str, tuple[tuple[str, ...], ...]] = {
    "documents": (("doc_id",), ("content_hash",)),
    "sentences": (("doc_id", "sentence_no"),),
    "events": (("record_id",),),
    "aid_figures": (("record_id",),),
    "diplomatic_items": (("record_id",),),
    "statements": (("record_id",),),
    "record_actors": (("record_id", "position"),),
    "record_themes": (("record_id", "theme"),),
    "record_sources": (("record_id", "actor", "stance"),),
    "import_details": (("record_id",),),
    "record_facts": (("record_id",),),
}

# Which written rows a table's check looks at: the rows of the documents written, or the records written.
SCOPE = {table: ("doc_id" if table in ("documents", "sentences") else "record_id") for table in KEYS}


class KeyViolation(duckdb.ConstraintException):
    """A write would have stored a key twice; nothing of it was stored."""


def _check_sql(docs: str, records: str) -> str:
    """One query, one aggregate: the first repeated key among the written rows' keys, as (table,
    columns, values), or no row. A repeat shares the key's first column, so counting the rows whose
    first column a written row holds finds every repeat that involves a written row, and reads only
    those. Each key's values are a list of text, so keys of every table group together."""
    parts = []
    for table, keys in KEYS.items():
        scope = docs if SCOPE[table] == "doc_id" else records
        for key in keys:
            # The written rows' values of the key's first column: the scope itself when it is that column.
            firsts = f"SELECT * FROM {scope}"  # noqa: S608 - names from KEYS
            if key[0] != SCOPE[table]:
                firsts = f"SELECT {key[0]} FROM {table} WHERE {SCOPE[table]} IN ({firsts})"  # noqa: S608
            values = ", ".join(f"{c}::VARCHAR" for c in key)
            parts.append(f"SELECT {len(parts)} AS n, '{table}' AS tab, '{', '.join(key)}' AS cols, [{values}] AS val "  # noqa: S608 - names from KEYS
                         f"FROM {table} "
                         f"WHERE {key[0]} IN ({firsts})")  # fmt: skip
    # The first in KEYS order: a record repeated in its kind table is told as that, not as its record_facts row.
    union = " UNION ALL ".join(parts)
    return f"SELECT tab, cols, val FROM ({union}) GROUP BY n, tab, cols, val HAVING count(*) > 1 ORDER BY n LIMIT 1"  # noqa: S608


def violation(con: duckdb.DuckDBPyConnection, docs_table: str, records_table: str) -> str | None:
    """The first key that the rows of the documents in `docs_table` or of the records in
    `records_table` (one-column tables) hold twice, said in a sentence; None when every key is single."""
    row = con.execute(_check_sql(docs_table, records_table)).fetchall()
    if not row:
        return None
    table, cols, values = row[0]
    shown = ", ".join("null" if v is None else v for v in values)
    return f"{table} would hold the key ({cols}) = ({shown}) twice"


def drop_constraints(con: duckdb.DuckDBPyConnection, table: str) -> None:
    """Rebuild `table` without its PRIMARY KEY and UNIQUE constraints, keeping its rows, column order,
    types, defaults, NOT NULL columns and comments. Views that read it keep working (they are bound by
    name). Call it inside a transaction."""
    comment = con.execute(
        "SELECT comment FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = 'main' "
        "AND table_name = ?",
        [table],
    ).fetchall()[0][0]
    columns = con.execute(
        "SELECT column_name, column_default, is_nullable, comment FROM duckdb_columns() "
        "WHERE database_name = current_database() AND schema_name = 'main' AND table_name = ? ORDER BY column_index",
        [table],
    ).fetchall()
    new = f"{table}__rebuilt"
    con.execute(f"CREATE TABLE {new} AS SELECT * FROM {table}")  # noqa: S608 - names from KEYS
    con.execute(f"DROP TABLE {table}")
    con.execute(f"ALTER TABLE {new} RENAME TO {table}")
    for name, default, nullable, col_comment in columns:
        if default is not None:
            con.execute(f"ALTER TABLE {table} ALTER COLUMN {name} SET DEFAULT {default}")
        if not nullable:
            con.execute(f"ALTER TABLE {table} ALTER COLUMN {name} SET NOT NULL")
        if col_comment:
            con.execute(f"COMMENT ON COLUMN {table}.{name} IS {_quote(col_comment)}")
    if comment:
        con.execute(f"COMMENT ON TABLE {table} IS {_quote(comment)}")


def _quote(text: str) -> str:
    """A SQL string literal (COMMENT ON takes no bound parameter)."""
    return "'" + text.replace("'", "''") + "'"
