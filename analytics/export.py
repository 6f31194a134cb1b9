"""Exports of a table or view, filtered, as CSV, Parquet or JSON, streamed by DuckDB's COPY.

Every export carries the citation columns of analytics.citations (record, sentence, article,
outlet, url...). CSV cells that a spreadsheet would run as a formula (starting with = + - @, tab or carriage
return) are prefixed with a single quote, in SQL, so the export stays a streaming COPY.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from analytics.citations import cited
from analytics.filters import Filters, where
from analytics.kinds import RECORD_TABLES as KIND_RECORD_TABLES
from analytics.store import query_timeout, time_limit

RECORD_TABLES = {*KIND_RECORD_TABLES, "records"}
LINK_TABLES = {"record_actors", "record_themes", "record_sources"}
OTHER_TABLES = {"documents", "sentences", "actors", "actor_aliases", "places", "place_aliases", "themes",
                "theme_cues", "theatres"}  # fmt: skip
# Derived views (analytics/derive): filters keep the rows with at least one matching report.
DERIVED_VIEWS = {
    "incidents": "incident_id IN (SELECT incident_id FROM incident_reports WHERE record_id IN ({m}))",
    "aid_commitments": "commitment_id IN (SELECT commitment_id FROM aid_ledger_sources WHERE record_id IN ({m}))",
    "aid_running_totals": "commitment_id IN (SELECT commitment_id FROM aid_ledger_sources WHERE record_id IN ({m}))",
    "contested_claims": "claim_record_id IN ({m}) OR counter_record_id IN ({m})",
}
DERIVED_ORDER = {"incidents": "incident_id", "aid_commitments": "commitment_id", "aid_running_totals": "commitment_id",
                 "contested_claims": "pair_id"}  # fmt: skip
EXPORTABLE = RECORD_TABLES | LINK_TABLES | OTHER_TABLES | set(DERIVED_VIEWS)
FORMATS = ("csv", "parquet", "json")
FORMULA_START = "^[=+\\-@\t\r]"
EXPORT_TIME_FACTOR = 6  # a dashboard CSV may run this many times the page's query time limit


class ExportError(ValueError):
    pass


def neutralised_select(con: duckdb.DuckDBPyConnection, relation_sql: str, params: list) -> str:
    """SELECT over `relation_sql` with every text column made safe for spreadsheets."""
    cols = con.execute(f"DESCRIBE {relation_sql}", params).fetchall()
    parts = []
    for name, ctype, *_ in cols:
        q = '"' + name.replace('"', '""') + '"'
        if ctype.upper().startswith("VARCHAR") and not ctype.endswith("]"):  # lists are written as [a, b]
            parts.append(
                f"CASE WHEN regexp_matches({q}, '{FORMULA_START}') THEN '''' || {q} ELSE {q} END AS {q}"
            )
        else:
            parts.append(q)
    # Column names come from DESCRIBE of an allow-listed relation, quoted.
    return "SELECT " + ", ".join(parts) + f" FROM ({relation_sql})"  # noqa: S608


def export_query(table: str, filters: Filters) -> tuple[str, list]:
    """The SELECT (and its parameters) behind an export of `table` under `filters`."""
    if table not in EXPORTABLE:
        raise ExportError(f"unknown table or view {table!r}; choose one of: {', '.join(sorted(EXPORTABLE))}")
    if filters.is_empty():
        return f"SELECT * FROM {table}", []  # noqa: S608 - table is from the allow-list
    if table in OTHER_TABLES and table not in ("documents", "sentences"):
        raise ExportError(f"filters apply to records, not to {table!r}; drop the filters to export it whole")
    clause, params = where(filters, flat=True)
    matching = f"SELECT record_id FROM record_facts r WHERE {clause}"  # noqa: S608
    if table in DERIVED_VIEWS:
        condition = DERIVED_VIEWS[table].format(m=matching)
        # Each {m} placeholder repeats the filter's parameters.
        return (f"SELECT * FROM {table} WHERE {condition} ORDER BY {DERIVED_ORDER[table]}",  # noqa: S608
                params * DERIVED_VIEWS[table].count("{m}"))  # fmt: skip
    if table in ("documents", "sentences"):
        return (
            f"SELECT * FROM {table} WHERE doc_id IN (SELECT doc_id FROM record_facts r WHERE {clause})",  # noqa: S608
            params,
        )
    return f"SELECT * FROM {table} WHERE record_id IN ({matching}) ORDER BY record_id", params  # noqa: S608


def export(con: duckdb.DuckDBPyConnection, table: str, filters: Filters, fmt: str, out: Path) -> int:
    """Write the export to `out`; returns the number of rows."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    sql, params = export_query(table, filters)
    sql = cited(con, sql, params)  # every export says where each row comes from
    if fmt == "csv":
        sql = neutralised_select(con, sql, params)
        options = "FORMAT csv, HEADER true"
    elif fmt == "parquet":
        options = "FORMAT parquet"
    else:
        options = "FORMAT json, ARRAY true"
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    target = str(out).replace("'", "''")
    # COPY reports how many rows it wrote: no second pass over the query to count them.
    return int(con.execute(f"COPY ({sql}) TO '{target}' ({options})", params).fetchone()[0])


def csv_bytes(con: duckdb.DuckDBPyConnection, sql: str, params: list) -> bytes:
    """The rows of a query (any SELECT, values bound) as CSV bytes, formula-like cells neutralised.

    The dashboard's downloads use this with the query a view already runs, so an extract is a
    rendering of that view rather than separate code.
    """
    import tempfile

    safe = neutralised_select(con.cursor(), cited(con.cursor(), sql, params), params)
    with tempfile.TemporaryDirectory(prefix="dashboard-csv-") as tmp:
        out = Path(tmp) / "extract.csv"
        target = str(out).replace("'", "''")
        cur = con.cursor()
        try:
            # A whole extract may take longer than one page of it, but not for ever.
            with time_limit(cur, EXPORT_TIME_FACTOR * query_timeout()):
                cur.execute(f"COPY ({safe}) TO '{target}' (FORMAT csv, HEADER true)", params).fetchall()
        finally:
            cur.close()
        return out.read_bytes()
