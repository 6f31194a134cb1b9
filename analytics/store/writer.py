"""The one way rows get into the database: a transaction helper and the functions that write inside it.

Article ingest, every dataset import and every later writer (incidents, ledger, corrections)
write like this:

    from analytics.store import writer

    with writer.transaction(con, what="this import"):
        writer.insert_rows(con, "my_table", rows)            # list of dicts, pyarrow Table or DataFrame
        writer.insert_select(con, "my_table", ["a", "b"], "SELECT a, b FROM _staged WHERE x = ?", [1])
        writer.delete_records(con, "_gone")                   # records listed in a temp table, with links
        writer.sync_record_facts(con, "SELECT record_id FROM _staged")  # after writing records by SQL

`record_facts` (one row per record with its sides and themes: what filters and aggregates read) is
kept here: insert_tables and delete_records keep it themselves; a writer that inserts record or
link rows with its own SQL calls sync_record_facts for the records it wrote.

Everything inside the block commits together or not at all. A storage fault (disk full,
permission, read-only file system, a damaged block) leaves the block as a StoreError with a
one-line message (`analytics.store.errors`); any other error propagates unchanged, after the
rollback. A new table needs a migration file (`analytics/store/migrations/`) and nothing here.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import pyarrow as pa

from analytics import __version__
from analytics.kinds import KIND_TABLES
from analytics.store import keys
from analytics.store.errors import classify, log_failure

if TYPE_CHECKING:
    from analytics.extract import Extraction


LINK_TABLES = ("record_actors", "record_themes", "record_sources")
FACTS_SQL = Path(__file__).with_name("record_facts.sql")
_COMMON = ["record_id", "doc_id", "sentence_no", "start_char", "end_char"]
_DATED = ["location", "theatre", "date", "date_precision", "date_basis", "span_start", "span_end", "unverified", "cue",
          "confidence", "factuality"]  # fmt: skip
KIND_COLUMNS = {
    "event": _COMMON + ["event_type", "sub_event_type"] + _DATED,
    "aid": _COMMON
    + ["record_type", "donor", "recipient", "amount", "currency", "aid_type", "approximate", "materiel"]
    + _DATED,
    "diplomacy": _COMMON + ["item_type", "status"] + _DATED,
    "statement": _COMMON + ["speaker", "stance"] + _DATED,
}
# What an imported dataset row asserts: the dataset's own record, certain as far as we are concerned.
IMPORTED_CONFIDENCE = 1.0
IMPORTED_FACTUALITY = "asserted"

_NAME = re.compile(r"[a-z_][a-z0-9_]*")


def _ident(name: str) -> str:
    """A table or column name from code, checked (values are always bound parameters)."""
    if not _NAME.fullmatch(name):
        raise ValueError(f"not a plain table or column name: {name!r}")
    return name


def database_file(con: duckdb.DuckDBPyConnection) -> Path:
    """The file `con` writes to (for messages and backups)."""
    row = con.execute(
        "SELECT path FROM duckdb_databases() WHERE database_name = current_database()"
    ).fetchone()
    return Path(row[0]) if row and row[0] else Path("(in memory)")


def _rollback(con: duckdb.DuckDBPyConnection) -> None:
    try:
        con.execute("ROLLBACK")
    except duckdb.Error:
        pass  # DuckDB already ended the transaction when the write failed (e.g. disk full)


@contextmanager
def transaction(
    con: duckdb.DuckDBPyConnection, what: str = "this change"
) -> Iterator[duckdb.DuckDBPyConnection]:
    """BEGIN ... COMMIT around the block; ROLLBACK on any error. A storage fault is raised as its
    named StoreError ("the disk holding ... is full; nothing of {what} was stored"), with the
    full error in the log; other errors propagate unchanged."""
    path = database_file(con)
    con.execute("BEGIN TRANSACTION")
    try:
        yield con
        _check_keys(con, what)
        _bump_data_version(con)
        con.execute("COMMIT")
    except BaseException as exc:
        _scoped.discard(id(con))
        _rollback(con)
        outcome = f"nothing of {what} was stored"
        named = classify(exc, path, outcome) if isinstance(exc, duckdb.Error | OSError) else None
        if named is not None:
            named.log = log_failure(exc, f"{type(named).__name__} writing {what} to {path}")
            raise named from exc
        raise


# The connections (by id) whose open transaction has noted written rows: `wrote` creates two temp
# tables in the transaction, and the commit checks the keys of the rows they name (analytics/store/keys.py).
_scoped: set[int] = set()
_DOCS, _RECORDS = "_writer_docs", "_writer_records"


def wrote(con: duckdb.DuckDBPyConnection, docs_sql: str | None = None, records_sql: str | None = None,
          params: Sequence | None = None) -> None:  # fmt: skip
    """Note, inside a transaction, the documents (a fixed SELECT of doc_id) or records (of record_id)
    a write put rows in: before the commit the keys of their rows (and of the records of those
    documents) are checked across the whole table. insert_tables and sync_record_facts note theirs;
    a writer that inserts documents with its own SQL notes them."""
    if id(con) not in _scoped:
        con.execute(f"CREATE TEMP TABLE {_DOCS} (doc_id VARCHAR)")
        con.execute(f"CREATE TEMP TABLE {_RECORDS} (record_id VARCHAR)")
        _scoped.add(id(con))
    if docs_sql:
        con.execute(f"INSERT INTO {_DOCS} {docs_sql}", list(params or []))  # noqa: S608 - the caller's fixed SELECT
    if records_sql:
        con.execute(f"INSERT INTO {_RECORDS} {records_sql}", list(params or []))  # noqa: S608 - the caller's fixed SELECT


def _check_keys(con: duckdb.DuckDBPyConnection, what: str) -> None:
    """Raise KeyViolation when the rows noted by `wrote` repeat a key; drop the notes either way."""
    if id(con) not in _scoped:
        return
    _scoped.discard(id(con))
    con.execute(f"INSERT INTO {_RECORDS} {records_of_documents(f'SELECT doc_id FROM {_DOCS}')}")  # noqa: S608
    found = keys.violation(con, _DOCS, _RECORDS)
    if found:
        raise keys.KeyViolation(f"{found}; nothing of {what} was stored")
    con.execute(f"DROP TABLE {_DOCS}")
    con.execute(f"DROP TABLE {_RECORDS}")


# meta's key for the stamp every committed write changes: readers key their caches on it
# (ui/cache.py), so one indexed lookup tells them whether anything they hold is stale.
DATA_VERSION = "data_version"


def _bump_data_version(con: duckdb.DuckDBPyConnection) -> None:
    """Inside the write's own transaction, so the stamp changes exactly when the write commits. A
    random stamp, not a counter: two files built the same way (a rebuild, a restored backup at the
    same path) would reach the same count with different rows."""
    con.execute("INSERT OR REPLACE INTO meta VALUES (?, uuid()::VARCHAR)", [DATA_VERSION])


def data_version(con: duckdb.DuckDBPyConnection) -> str:
    """The stamp of the file's last committed write ('' before the first): one indexed lookup."""
    # fetchall, not fetchone: a result left unread keeps its transaction open, and an open
    # transaction on a long-lived cursor makes the next CHECKPOINT (a snapshot) fail.
    rows = con.execute("SELECT value FROM meta WHERE key = ?", [DATA_VERSION]).fetchall()
    return str(rows[0][0] or "") if rows else ""


def insert_rows(con: duckdb.DuckDBPyConnection, table: str, rows) -> int:
    """Insert `rows` (a list of dicts with the same keys, a pyarrow Table or a pandas DataFrame)
    into `table` by column name; columns left out take their defaults. Returns the row count."""
    if isinstance(rows, list):
        if not rows:
            return 0
        rows = pa.Table.from_pylist(rows)
    names = list(rows.column_names if isinstance(rows, pa.Table) else rows.columns)
    if not len(rows):
        return 0
    collist = ", ".join(_ident(c) for c in names)
    # register() refuses while an earlier statement on this connection has rows unread.
    con.execute("SELECT 1").fetchall()
    con.register("_writer_rows", rows)
    try:
        con.execute(f"INSERT INTO {_ident(table)} ({collist}) SELECT {collist} FROM _writer_rows")  # noqa: S608
    except BaseException:
        try:
            con.unregister("_writer_rows")
        except duckdb.Error:
            pass  # an aborted transaction refuses even this; the next register() replaces it
        raise
    con.unregister("_writer_rows")
    return len(rows)


def insert_tables(con: duckdb.DuckDBPyConnection, tables: dict[str, list[dict]]) -> None:
    """insert_rows for each table of a {table: rows} mapping, in its order; then record_facts for
    every record whose rows or links it wrote."""
    for table, rows in tables.items():
        insert_rows(con, table, rows)
    docs = sorted({row["doc_id"] for rows in tables.values() for row in rows if "doc_id" in row})
    if docs:
        wrote(con, "SELECT unnest(?::VARCHAR[])", params=[docs])
    touched = sorted({row["record_id"] for table in (*KIND_TABLES.values(), *LINK_TABLES)
                      for row in tables.get(table) or ()})  # fmt: skip
    if touched:
        con.execute("SELECT 1").fetchall()  # register() refuses while a result is unread
        con.register("_writer_touched", pa.table({"record_id": pa.array(touched, pa.string())}))
        sync_record_facts(con, "SELECT record_id FROM _writer_touched")
        con.unregister("_writer_touched")


def insert_select(con: duckdb.DuckDBPyConnection, table: str, columns: Sequence[str], select_sql: str,
                  params: Sequence | None = None) -> None:  # fmt: skip
    """INSERT INTO table (columns) <select_sql>: set-based writes from staged relations. `select_sql`
    is the caller's fixed SQL; every value in it must be a bound parameter."""
    collist = ", ".join(_ident(c) for c in columns)
    con.execute(f"INSERT INTO {_ident(table)} ({collist}) {select_sql}", list(params or []))  # noqa: S608


def delete_records(con: duckdb.DuckDBPyConnection, ids_table: str) -> None:
    """Delete the records whose record_id is in `ids_table`, with their links, import details,
    and the documents and sentences that carried them."""
    ids = _ident(ids_table)
    con.execute(f"""CREATE OR REPLACE TEMP TABLE _writer_gone_docs AS
                    SELECT doc_id FROM events SEMI JOIN {ids} USING (record_id)
                    UNION SELECT doc_id FROM aid_figures SEMI JOIN {ids} USING (record_id)
                    UNION SELECT doc_id FROM diplomatic_items SEMI JOIN {ids} USING (record_id)
                    UNION SELECT doc_id FROM statements SEMI JOIN {ids} USING (record_id)""")  # noqa: S608
    for table in (*KIND_TABLES.values(), *LINK_TABLES, "import_details"):
        con.execute(f"DELETE FROM {table} WHERE record_id IN (SELECT record_id FROM {ids})")  # noqa: S608
    for table in ("sentences", "documents"):
        con.execute(f"DELETE FROM {table} WHERE doc_id IN (SELECT doc_id FROM _writer_gone_docs)")  # noqa: S608
    con.execute("DROP TABLE IF EXISTS _writer_gone_docs")
    con.execute(f"DELETE FROM record_facts WHERE record_id IN (SELECT record_id FROM {ids})")  # noqa: S608


# ---------------------------------------------------------------------------------------------
# record_facts: the records as filters and aggregates read them, kept beside the kind tables


def _record_ids(where: str = "") -> str:
    """A SELECT of the record_id of every record of every kind, with an optional WHERE (fixed text)."""
    return " UNION ALL ".join(f"SELECT record_id FROM {t} {where}" for t in KIND_TABLES.values())  # noqa: S608


def records_of_documents(docs_sql: str) -> str:
    """A SELECT of the record_id of every record whose doc_id `docs_sql` (a fixed SELECT) lists."""
    return _record_ids(f"WHERE doc_id IN ({docs_sql})")


@functools.cache
def _facts_select(ids_sql: str) -> str:
    """record_facts.sql over the records `ids_sql` selects; the file is read once per process."""
    return FACTS_SQL.read_text(encoding="utf-8").replace("{ids}", ids_sql)


def sync_record_facts(con: duckdb.DuckDBPyConnection, ids_sql: str, params: Sequence | None = None) -> None:
    """Rewrite the record_facts rows of the records `ids_sql` lists (a fixed SELECT of record_id; values
    bound through `params`) from the kind and link tables: a record gone from them leaves record_facts
    too, a new or changed one is written again. Call it inside the write's transaction."""
    con.execute(f"CREATE OR REPLACE TEMP TABLE _writer_facts_ids AS SELECT DISTINCT record_id FROM ({ids_sql})",  # noqa: S608
                list(params or []))  # fmt: skip
    wrote(con, records_sql="SELECT record_id FROM _writer_facts_ids")
    con.execute("DELETE FROM record_facts WHERE record_id IN (SELECT record_id FROM _writer_facts_ids)")
    rows = _facts_select("SELECT record_id FROM _writer_facts_ids")
    con.execute(f"INSERT INTO record_facts {rows}")  # noqa: S608 - fixed text
    # Not in a finally: after a failed statement the transaction refuses every statement, and the
    # next call replaces the table anyway.
    con.execute("DROP TABLE _writer_facts_ids")


def rebuild_record_facts(con: duckdb.DuckDBPyConnection) -> None:
    """record_facts rewritten whole from the kind and link tables (a migration, a bulk build), in
    period order, so a date filter skips the row groups outside its range."""
    con.execute("DELETE FROM record_facts")
    rows = _facts_select(_record_ids())
    con.execute(f"INSERT INTO record_facts SELECT * FROM ({rows}) ORDER BY period_start, kind, record_id")  # noqa: S608


# ---------------------------------------------------------------------------------------------
# Articles


def _kind_row(r, doc_id: str) -> dict:
    base = {
        "record_id": r.record_id, "doc_id": doc_id, "sentence_no": r.sentence, "start_char": r.start,
        "end_char": r.end, "location": r.location, "theatre": r.theatre, "date": r.date,
        "date_precision": r.date_precision, "date_basis": r.date_basis, "span_start": r.span_start,
        "span_end": r.span_end, "unverified": r.unverified, "cue": r.cue,
        # Filled once the extraction says them; null from an extractor that does not.
        "confidence": getattr(r, "confidence", None), "factuality": getattr(r, "factuality", None),
    }  # fmt: skip
    if r.kind == "event":
        base |= {"event_type": r.type, "sub_event_type": r.subtype}
    elif r.kind == "aid":
        base |= {"record_type": r.type, "donor": r.donor, "recipient": r.recipient, "amount": r.amount,
                 "currency": r.currency, "aid_type": r.aid_type, "approximate": r.approximate,
                 "materiel": r.materiel}  # fmt: skip
    elif r.kind == "diplomacy":
        base |= {"item_type": r.type, "status": r.status}
    else:
        base |= {"speaker": r.speaker, "stance": r.stance}
    return base


def rows_for(ex: Extraction) -> dict[str, list[dict]]:
    """Every row one extraction adds, by table."""
    d = ex.document
    doc_id = d.doc_id
    tables: dict[str, list[dict]] = {
        "documents": [
            {
                "doc_id": doc_id,
                "content_hash": d.content_hash,
                "name": d.name,
                "title": d.title,
                "published": ex.published,
                "published_precision": ex.published_precision,
                "published_basis": ex.published_basis,
                "source": d.source,
                "url": d.url,
                "origin": "extracted",
                "outlet": d.outlet,
                "outlet_basis": d.outlet_basis,
                "outlet_country": d.outlet_country,
                "text": d.text,
                "n_sentences": len(ex.sentences),
                "extractor_version": __version__,
            }  # fmt: skip
        ],
        "sentences": [
            {
                "doc_id": doc_id,
                "sentence_no": s.index,
                "start_char": s.start,
                "end_char": s.end,
                "text": s.text,
            }
            for s in ex.sentences
        ],
        "record_actors": [],
        "record_themes": [],
        "record_sources": [],
    }
    for table in KIND_TABLES.values():
        tables[table] = []
    for r in ex.records:
        tables[KIND_TABLES[r.kind]].append(_kind_row(r, doc_id))
        for pos, m in enumerate(r.mentions):
            tables["record_actors"].append(
                {
                    "record_id": r.record_id,
                    "position": pos,
                    "actor": m["actor"],
                    "side": m["side"],
                    "role": m["role"],
                    "mention": m["text"],
                }  # fmt: skip
            )
        for theme in r.themes:
            tables["record_themes"].append({"record_id": r.record_id, "theme": theme})
        for s in {(s["actor"], s["stance"]) for s in r.sources}:
            tables["record_sources"].append({"record_id": r.record_id, "actor": s[0], "stance": s[1]})
    return tables


def store_extraction(con: duckdb.DuckDBPyConnection, ex: Extraction) -> int:
    """Insert one article and its records in one transaction. Returns the number of records."""
    return store_extractions(con, [ex], what="this article")


def store_extractions(
    con: duckdb.DuckDBPyConnection, exs: Sequence[Extraction], what: str = "these articles"
) -> int:
    """Insert several articles and their records in one transaction: all of them or none. A write
    costs about as much for one article as for twenty (record_facts and the key check are a few
    statements each), so a bulk ingest writes in batches. Returns the number of records."""
    tables: dict[str, list[dict]] = {}
    for ex in exs:
        for table, rows in rows_for(ex).items():
            tables.setdefault(table, []).extend(rows)
    with transaction(con, what=what):
        insert_tables(con, tables)
    return sum(len(ex.records) for ex in exs)


def store_each(con: duckdb.DuckDBPyConnection, exs: Sequence[Extraction], faults: tuple[type[BaseException], ...],
               stop_on: tuple[type[BaseException], ...] = ()) -> list[BaseException | None]:  # fmt: skip
    """Store the extractions in one transaction; when that write fails with one of `faults`, each in
    its own, so a bad article fails alone. Per extraction: None when stored, else the fault that
    refused it. After a fault of a `stop_on` type the rest are not tried and carry that same fault."""
    try:
        store_extractions(con, exs)
        return [None] * len(exs)
    except faults:
        pass
    out: list[BaseException | None] = []
    for ex in exs:
        if out and isinstance(out[-1], stop_on):
            out.append(out[-1])
            continue
        try:
            store_extraction(con, ex)
            out.append(None)
        except faults as exc:
            out.append(exc)
    return out
