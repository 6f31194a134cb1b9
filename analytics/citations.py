"""What makes an exported row citable, declared once: the record, its sentence, its article and outlet.

Every export (the CLI's and each page's CSV) is its own query wrapped by `cited()`, which adds
the citation columns the query does not already have, from the `record_citations` view. A row
of a derived view (an incident, a commitment, a contested pair) cites one report: its first by
record id, with the ids of all its reports beside it. `reader_link()` gives the address at
which the article reader opens a record's sentence.
"""

from __future__ import annotations

from urllib.parse import urlencode

import duckdb
import pandas as pd

# The columns a citation carries, in the order an export adds them (names as the views use them:
# `location` is the place, `sentence` the quote, `article` the article's title).
CITATION_COLUMNS = (
    "record_id", "kind", "type", "date", "date_precision", "actors", "location", "theatre", "themes", "sentence",
    "article", "outlet", "outlet_country", "url", "published", "origin", "incident_id", "commitment_id",
)  # fmt: skip

# Derived rows: their id column -> the table listing their reports (one row per report).
MEMBERSHIP = {"incident_id": "incident_reports", "commitment_id": "aid_ledger_sources"}
READER_PATH = "reader"


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def cited(con: duckdb.DuckDBPyConnection, relation_sql: str, params: list) -> str:
    """`relation_sql` with the citation columns it lacks added, in its own row order.

    A relation of vocabulary rows (actors, places...) or of articles has no record to cite and is
    returned unchanged. Column names come from DESCRIBE of the caller's allow-listed query.
    """
    cols = [row[0] for row in con.execute(f"DESCRIBE {relation_sql}", params).fetchall()]
    have = set(cols)
    joins: list[str] = []
    extra: list[str] = []
    if "record_id" in have:
        key = "v.record_id"
    elif "claim_record_id" in have:  # a contested pair cites its claim, and names its counter's article
        key = "v.claim_record_id"
        joins.append("LEFT JOIN record_citations k ON k.record_id = v.counter_record_id")
        extra += ["k.outlet AS counter_outlet", "k.url AS counter_url", "k.published AS counter_published"]
    else:
        id_col = next((c for c in MEMBERSHIP if c in have), None)
        if id_col is None:
            return relation_sql
        # Identifiers from the fixed MEMBERSHIP map, never from input.
        joins.append(
            f"LEFT JOIN (SELECT {id_col}, min(record_id) AS first_record_id, "  # noqa: S608
            f"string_agg(record_id, ' ' ORDER BY record_id) AS report_ids FROM {MEMBERSHIP[id_col]} "
            f"GROUP BY {id_col}) m ON m.{id_col} = v.{id_col}"
        )
        key = "m.first_record_id"
        extra.append("m.report_ids")
    added = [f"c.{_q(c)}" for c in CITATION_COLUMNS if c not in have]
    if not added and not extra:
        return relation_sql
    select = ", ".join(["v.* EXCLUDE (_cite_order)", *added, *extra])
    return (
        f"SELECT {select} FROM (SELECT *, row_number() OVER () AS _cite_order FROM ({relation_sql})) v "  # noqa: S608
        f"{' '.join(j for j in joins if ' m ON ' in j)} LEFT JOIN record_citations c ON c.record_id = {key} "
        f"{' '.join(j for j in joins if ' m ON ' not in j)} ORDER BY v._cite_order"
    )


def reader_link(doc_id: str | None, sentence_no: int | None = None, query: str | None = None) -> str | None:
    """The address (relative to the dashboard) at which the reader opens this sentence of this article."""
    if not doc_id or (isinstance(doc_id, float) and pd.isna(doc_id)):
        return None
    params = {"doc": doc_id}
    if sentence_no is not None and not pd.isna(sentence_no):
        params["sentence"] = int(sentence_no)
    if query:
        params["q"] = query
    return f"{READER_PATH}?{urlencode(params)}"


def reader_targets(con: duckdb.DuckDBPyConnection, frame: pd.DataFrame) -> pd.Series:
    """For each listing row, the reader address of the sentence it comes from (None when it has none).

    Rows with doc_id and sentence_no use them; rows of derived views are looked up through the
    report they cite (an incident's or commitment's first report, a contested pair's claim).
    """
    if frame.empty:
        return pd.Series([], dtype=object)
    if {"doc_id", "sentence_no"} <= set(frame.columns):
        return pd.Series([reader_link(d, s) for d, s in zip(frame["doc_id"], frame["sentence_no"], strict=True)],
                         index=frame.index, dtype=object)  # fmt: skip
    record_col = next((c for c in ("record_id", "claim_record_id") if c in frame.columns), None)
    if record_col:
        ids = frame[record_col]
        sql = """SELECT record_id AS key, doc_id, sentence_no FROM record_facts
                 WHERE record_id IN (SELECT unnest(?::VARCHAR[]))"""
    else:
        id_col = next((c for c in MEMBERSHIP if c in frame.columns), None)
        if id_col is None:
            return pd.Series([None] * len(frame), index=frame.index, dtype=object)
        ids = frame[id_col]
        sql = f"""SELECT m.{id_col} AS key, r.doc_id, r.sentence_no FROM
                  (SELECT {id_col}, min(record_id) AS record_id FROM {MEMBERSHIP[id_col]}
                   WHERE {id_col} IN (SELECT unnest(?::VARCHAR[])) GROUP BY {id_col}) m
                  JOIN record_facts r USING (record_id)"""  # noqa: S608 - identifiers from MEMBERSHIP
    keys = [str(k) for k in ids if isinstance(k, str)]
    cur = con.cursor()
    try:
        found = {k: (d, s) for k, d, s in cur.execute(sql, [keys]).fetchall()}
    finally:
        cur.close()
    return pd.Series(
        [reader_link(*found[k]) if k in found else None for k in ids], index=frame.index, dtype=object
    )
