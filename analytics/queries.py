"""The dashboard's query layer: small results aggregated in DuckDB, one named .sql file per query.

Every function takes a connection or cursor and the analyst's `Filters`, and returns a pandas
frame of what a page draws (aggregates, or one page of rows). Listings that a page offers as
CSV are "views": the CSV is the same query without the page limit, so an extract holds exactly
the rows the view shows under the current filters.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import duckdb
import pandas as pd

from analytics import export
from analytics.filters import KINDS, Filters, where
from analytics.measures import AID_DIMENSIONS
from analytics.store import QueryTimeout as QueryTimeout  # re-exported: what a page catches
from analytics.store import time_limit
from analytics.vocab import against_their_country

QUERIES_DIR = Path(__file__).parent / "queries"

# Views a page lists and offers as CSV: name -> the .sql file that lists them.
VIEWS = {
    "records": "records",
    "events": "events",
    "aid": "aid_figures",
    "diplomacy": "diplomatic_items",
    "claims": "claims",
    # Counted once (analytics/derive): one row per incident, commitment or contested pair.
    "incidents": "incidents",
    "aid_commitments": "aid_commitments",
    "contested": "contested",
}
# Views whose rows are not records: counted by wrapping their query.
DERIVED_VIEWS = ("incidents", "aid_commitments", "contested")
COUNT_UNITS = ("incidents", "reports")  # what event counts, timelines and theatre charts count
TIMELINE_MAX_POINTS = 2000
PAGE_SIZE = 200


# A listing of one kind (events, aid figures, diplomatic items) starts `WITH {listed_rows:KIND}`:
# the rows it keeps and their provenance, written once in _listed_rows.sql.
LISTED_ROWS = re.compile(r"\{listed_rows:([a-z]+)\}")


# A listing's sentence is `{sentence_of:ALIAS}` (ALIAS: the rows kept, joined to documents as d): the
# article's text between the record's offsets, its quote (text[start:end]), cut from the one document
# row. A join to `sentences` scanned all its rows (1.56M at a million records, 25 ms a page), as doc
# ids are hashes spread over every row group.
SENTENCE_OF = re.compile(r"\{sentence_of:([a-z]+)\}")
SENTENCE_SQL = "substr(d.text, {a}.start_char + 1, {a}.end_char - {a}.start_char)"


@cache
def _template(name: str) -> str:
    text = (QUERIES_DIR / f"{name}.sql").read_text(encoding="utf-8")
    text = LISTED_ROWS.sub(lambda m: _template("_listed_rows").replace("{kind}", m.group(1)), text)
    return SENTENCE_OF.sub(lambda m: SENTENCE_SQL.replace("{a}", m.group(1)), text)


def sql(
    name: str, filters: Filters, *, limit: bool = False, dimension: str | None = None
) -> tuple[str, list]:
    """The SQL of a named query with the filter clause (bound parameters) and, if asked, a LIMIT/OFFSET slot."""
    clause, params = where(filters, flat=True)
    text = _template(name).replace("{where}", clause).replace("{limit}", "LIMIT ? OFFSET ?" if limit else "")
    if "{dimension}" in text:
        if dimension not in AID_DIMENSIONS:  # identifiers only through the allow-list
            raise ValueError(f"unknown dimension {dimension!r}; choose one of {', '.join(AID_DIMENSIONS)}")
        text = text.replace("{dimension}", dimension)
    return text, params


def _frame(con: duckdb.DuckDBPyConnection, query: str, params: list) -> pd.DataFrame:
    # A cursor of its own, fetched to the end: a DuckDB connection holds one open result at a time,
    # and the time limit interrupts only this cursor. Raises QueryTimeout past the limit.
    cur = con.cursor()
    try:
        with time_limit(cur):
            table = cur.sql(query, params=params).to_arrow_table()
    finally:
        cur.close()
    return table.to_pandas()


def _rows(con: duckdb.DuckDBPyConnection, name: str, filters: Filters, *after, **options) -> pd.DataFrame:
    """The named query's rows under the filters; `after`: parameters bound after the filter's."""
    query, params = sql(name, filters, **options)
    return _frame(con, query, params + list(after))


def _one(con: duckdb.DuckDBPyConnection, query: str, params: list) -> dict:
    frame = _frame(con, query, params)
    # NULL stays None (pandas would hand back NaN, which prints as "nan"); a count stays an int
    # (a row read with iloc takes one dtype for all its cells: 7 requests printed as "7.0").
    return (
        {k: (None if v is None or v != v else v) for k, v in frame.head(1).to_dict("records")[0].items()}
        if len(frame)
        else {}
    )


# ---- views: listed a page at a time, exported whole --------------------------------------------


def _view_sql(view: str) -> str:
    if view not in VIEWS:  # a view name picks a query file: allow-listed, never built from input
        raise ValueError(f"unknown view {view!r}; choose one of {', '.join(VIEWS)}")
    return VIEWS[view]


def view_rows(con, view: str, filters: Filters, limit: int = PAGE_SIZE, offset: int = 0) -> pd.DataFrame:
    """One page of a view's rows, in the view's order."""
    query, params = sql(_view_sql(view), filters, limit=True)
    return _frame(con, query, params + [int(limit), int(offset)])


# Which records each view lists, for counting them without building the listing's columns.
VIEW_ROWS = {
    "records": "TRUE",
    "events": "r.kind = 'event'",
    "aid": "r.kind = 'aid'",
    "diplomacy": "r.kind = 'diplomacy'",
    "claims": "(r.kind = 'statement' OR r.cited)",
}


def view_count(con, view: str, filters: Filters) -> int:
    name = _view_sql(view)  # the allow-list check
    if view in DERIVED_VIEWS:
        query, params = sql(name, filters)
        return int(_one(con, f"SELECT count(*) AS n FROM ({query})", params)["n"])  # noqa: S608 - fixed texts
    clause, params = where(filters, flat=True)
    query = f"SELECT count(*) AS n FROM record_facts r WHERE {VIEW_ROWS[view]} AND {clause}"  # noqa: S608 - fixed texts
    return int(_one(con, query, params)["n"])


def view_csv(con, view: str, filters: Filters) -> bytes:
    """Every row of the view under the filters, as CSV with formula-like cells neutralised."""
    query, params = sql(_view_sql(view), filters)
    return export.csv_bytes(con, query, params)


def view_filename(view: str, filters: Filters) -> str:
    return f"{view}_{filters.slug() or 'all'}.csv"


# ---- Data page: any allow-listed table, paged ----------------------------------------------------


def table_query(table: str, filters: Filters) -> tuple[str, list, bool]:
    """The export query of a table, filtered when filters apply to it. Third item: filtered or not."""
    try:
        query, params = export.export_query(table, filters)
        return query, params, not filters.is_empty()
    except export.ExportError:
        if table not in export.EXPORTABLE:
            raise
        query, params = export.export_query(table, Filters())
        return query, params, False


# The records a page of the `records` table lists: those of record_facts with an article (the view
# joins documents), sorted and cut to the page before the view attaches sentences and articles to
# them; joining every record's sentence first cost a second at a million records.
_RECORDS_KEPT = "SELECT record_id FROM record_facts r SEMI JOIN documents USING (doc_id) WHERE {clause}"


def table_rows(con, table: str, filters: Filters, limit: int = PAGE_SIZE, offset: int = 0) -> pd.DataFrame:
    if table == "records":  # newest first, then by record_id, so pages never overlap
        return _rows(con, "records_page", filters, int(limit), int(offset), limit=True)
    query, params, _ = table_query(table, filters)
    return _frame(con, f"{query} LIMIT ? OFFSET ?", params + [int(limit), int(offset)])


def table_count(con, table: str, filters: Filters) -> int:
    if table == "records":
        clause, params = where(filters, flat=True)
        query = f"SELECT count(*) AS n FROM ({_RECORDS_KEPT.format(clause=clause)})"  # noqa: S608
        return int(_one(con, query, params)["n"])
    query, params, _ = table_query(table, filters)
    return int(_one(con, f"SELECT count(*) AS n FROM ({query})", params)["n"])  # noqa: S608


def table_csv(con, table: str, filters: Filters) -> bytes:
    query, params, _ = table_query(table, filters)
    return export.csv_bytes(con, query, params)


def table_descriptions(con) -> dict[str, str]:
    """The schema's comment on each exportable table or view."""
    frame = _frame(
        con,
        "SELECT table_name AS name, comment FROM duckdb_tables() UNION ALL "
        "SELECT view_name, comment FROM duckdb_views() WHERE NOT internal",
        [],
    )
    # A view without a comment comes back as NaN, which is truthy and printed "nan" under the table.
    found = {n: c if isinstance(c, str) else "" for n, c in zip(frame["name"], frame["comment"], strict=True)
             if n in export.EXPORTABLE}  # fmt: skip
    if not found.get("records"):
        found["records"] = "Every record of every kind with its period and provenance (article, sentence)."
    return found


# ---- vocabularies: the choices of the filters, and what a link may name --------------------------


def vocabulary(con) -> dict[str, list[str]]:
    """Names a filter can take: actors (those seen in records first), themes, theatres, kinds, origins."""
    actors = _frame(
        con,
        # Two equi-joins' worth of rows instead of a join on "actor = name OR side = name",
        # which DuckDB can only run as a nested loop (3.5 s at a million records; 0.06 s so), and
        # the links counted per (actor, side) pair in one scan before the join: joining every link
        # row to the actors first took 29-33 ms at a million records, this 15 ms.
        """WITH pairs AS (SELECT actor, side, count(*) AS n FROM record_actors GROUP BY ALL),
           hits AS (SELECT actor AS name, n FROM pairs UNION ALL SELECT side, n FROM pairs WHERE side <> actor)
           SELECT a.name, coalesce(sum(h.n), 0)::BIGINT AS n FROM actors a LEFT JOIN hits h ON h.name = a.name
           GROUP BY a.name ORDER BY n DESC, a.name""",
        [],
    )
    themes = _frame(con, "SELECT name FROM themes ORDER BY name", [])
    theatres = _frame(con, "SELECT name FROM theatres ORDER BY sort_order, name", [])
    origins = _frame(con, _template("origins"), [])
    return {
        "actors": actors["name"].tolist(),
        "themes": themes["name"].tolist(),
        "theatres": theatres["name"].tolist(),
        "kinds": list(KINDS),
        "origins": origins["origin"].tolist(),
    }


def actor_reach(con, actors: list[str]) -> pd.DataFrame:
    """What choosing these actors also matches: their aliases, and the actors that represent them."""
    return _frame(
        con,
        """SELECT actor AS name, 'alias' AS relation, string_agg(alias, ', ' ORDER BY alias) AS matches
           FROM actor_aliases WHERE actor IN (SELECT unnest(?::VARCHAR[])) AND alias <> actor GROUP BY actor
           UNION ALL
           SELECT represents, 'sub-unit', string_agg(name, ', ' ORDER BY name) FROM actors
           WHERE represents IN (SELECT unnest(?::VARCHAR[])) AND name <> represents GROUP BY represents
           UNION ALL
           SELECT a.name, 'same country', string_agg(o.name, ', ' ORDER BY o.name) FROM actors a
           JOIN actors o ON o.country = a.country AND o.represents <> a.name AND o.name <> a.name
           WHERE a.name IN (SELECT unnest(?::VARCHAR[])) AND o.kind = 'armed group'
             AND a.name NOT IN (SELECT unnest(?::VARCHAR[])) AND o.name NOT IN (SELECT unnest(?::VARCHAR[]))
           GROUP BY a.name""",
        [list(actors)] * 3 + [list(against_their_country())] * 2,
    )


def article_exists(con, doc_id: str) -> bool:
    return bool(_one(con, "SELECT count(*) AS n FROM documents WHERE doc_id = ?", [doc_id])["n"])


def article_title(con, doc_id: str) -> str | None:
    row = _one(con, "SELECT coalesce(title, name) AS t FROM documents WHERE doc_id = ?", [doc_id])
    return row.get("t")


# ---- Overview ------------------------------------------------------------------------------------


def overview_counts(con, filters: Filters) -> dict:
    query, params = sql("overview_counts", filters)
    row = _one(con, query, params + [filters.is_empty()])
    return {k: int(v) for k, v in row.items()}


def coverage(con) -> dict:
    return _one(con, _template("coverage"), [])


def coverage_by_origin(con) -> pd.DataFrame:
    """Records per origin and kind, with the documents (articles, or imported rows) behind them."""
    return _frame(con, _template("coverage_by_origin"), [])


def articles_per_month(con, date_from=None, date_to=None) -> pd.DataFrame:
    """Source articles per month of publication and outlet, zero months included (month, outlet, articles)."""
    return _frame(con, _template("articles_per_month"), [date_from, date_to])


FEW_ARTICLES = 20  # fewer source articles than this in a range: say that its records rest on little


def coverage_note(per_month: pd.DataFrame, date_from=None, date_to=None) -> str | None:
    """What an analyst must know before reading a gap as a fact: no, few, or missing months of sources.

    `per_month` is articles_per_month over the same range; None when the sources cover it.
    """
    span = (f"between {date_from or 'the first article'} and {date_to or 'the last'}" if date_from or date_to
            else "in the corpus")  # fmt: skip
    total = int(per_month["articles"].sum()) if len(per_month) else 0
    if total == 0:
        return (f"No source article was published {span}: records dated here come from later articles looking "
                "back, and an empty chart is no evidence that nothing happened.")  # fmt: skip
    if (date_from or date_to) and total < FEW_ARTICLES:
        return (f"Only {total:,} source article{'s' if total != 1 else ''} {'were' if total != 1 else 'was'} "
                f"published {span}: counts here rest on few sources.")  # fmt: skip
    months = per_month.groupby("month")["articles"].sum()
    empty = [m for m, n in months.items() if n == 0]
    if not empty:
        return None
    shown = ", ".join(pd.Timestamp(m).strftime("%b %Y") for m in empty[:6]) + (" …" if len(empty) > 6 else "")
    return (f"{len(empty)} of {len(months)} months {span} have no source article ({shown}): a gap in a chart "
            "there is a gap in the sources, not in the war.")  # fmt: skip


def sources(con) -> pd.DataFrame:
    return _frame(con, _template("sources"), [])


# ---- Timeline ------------------------------------------------------------------------------------


def timeline_records(con, filters: Filters, limit: int = TIMELINE_MAX_POINTS) -> pd.DataFrame:
    query, params = sql("timeline_records", filters, limit=True)
    return _frame(con, query, params + [int(limit), 0])


def timeline_monthly(con, filters: Filters) -> pd.DataFrame:
    return _rows(con, "timeline_monthly", filters)


def record_count(con, filters: Filters) -> int:
    clause, params = where(filters, flat=True)
    return int(_one(con, f"SELECT count(*) AS n FROM record_facts r WHERE {clause}", params)["n"])  # noqa: S608


# ---- Counted once: incidents ---------------------------------------------------------------------


def _unit(unit: str) -> str:
    if unit not in COUNT_UNITS:  # picks a query file: allow-listed
        raise ValueError(f"unknown count unit {unit!r}; choose one of {', '.join(COUNT_UNITS)}")
    return unit


def incident_count(con, filters: Filters) -> dict:
    """{'incidents': n, 'reports': n}: occurrences and the event reports behind them."""
    query, params = sql("incident_count", filters)
    return {k: int(v or 0) for k, v in _one(con, query, params).items()}


def timeline_monthly_by(con, filters: Filters, unit: str) -> pd.DataFrame:
    """Per month and kind; events counted as incidents or as reports."""
    query, params = sql(
        "timeline_monthly_incidents" if _unit(unit) == "incidents" else "timeline_monthly", filters
    )
    return _frame(con, query, params)


def theatre_places_by(con, filters: Filters, unit: str) -> pd.DataFrame:
    query, params = sql(
        "theatre_places_incidents" if _unit(unit) == "incidents" else "theatre_places", filters
    )
    return _frame(con, query, params)


def incident_reports(con, incident_id: str) -> pd.DataFrame:
    """The reports behind one incident and why each joined it."""
    return _frame(con, _template("incident_reports"), [incident_id])


# ---- Aid -----------------------------------------------------------------------------------------


def aid_headline(con, filters: Filters) -> dict:
    """Aid to Ukraine counted once (USD, EUR) and what the ledger keeps apart."""
    query, params = sql("aid_headline", filters)
    return _one(con, query, params)


def aid_by_donor_stage(con, filters: Filters) -> pd.DataFrame:
    return _rows(con, "aid_by_donor_stage", filters)


def aid_running_totals(con, filters: Filters) -> pd.DataFrame:
    return _rows(con, "aid_running_totals", filters)


def aid_totals(con, filters: Filters) -> pd.DataFrame:
    return _rows(con, "aid_totals", filters)


def aid_tally(con, filters: Filters, dimension: str) -> pd.DataFrame:
    return _rows(con, "aid_tally", filters, dimension=dimension)


# ---- Theatres ------------------------------------------------------------------------------------


def theatre_places(con, filters: Filters) -> pd.DataFrame:
    return _rows(con, "theatre_places", filters)


def map_places(con, filters: Filters) -> pd.DataFrame:
    return _rows(con, "map_places", filters)


# Cities drawn in grey on the map for orientation (coordinates come from the places table).
LANDMARKS = ("Kyiv", "Kharkiv", "Lviv", "Odesa", "Dnipro", "Zaporizhzhia", "Kherson", "Mariupol", "Donetsk",
             "Luhansk", "Sevastopol", "Bakhmut", "Minsk", "Belgorod", "Rostov-on-Don", "Chernihiv", "Mykolaiv")  # fmt: skip


def map_landmarks(con) -> pd.DataFrame:
    return _frame(con, "SELECT name AS place, lat, lon FROM places WHERE name IN (SELECT unnest(?::VARCHAR[])) "
                       "AND lat IS NOT NULL", [list(LANDMARKS)])  # fmt: skip


# ---- Diplomacy -----------------------------------------------------------------------------------


def diplomacy_by_type(con, filters: Filters) -> pd.DataFrame:
    return _rows(con, "diplomacy_by_type", filters)


def diplomacy_by_participant(con, filters: Filters, top: int = 15) -> pd.DataFrame:
    return _rows(con, "diplomacy_by_participant", filters, int(top))


# ---- Claims & sources ----------------------------------------------------------------------------


def stance_matrix(con, filters: Filters) -> pd.DataFrame:
    return _rows(con, "stance_matrix", filters)


# The articles' filter when one is set: those holding a matching record (see articles.sql).
ARTICLES_MATCHING = "d.doc_id IN (SELECT r.doc_id FROM record_facts r WHERE {where})"


def articles(con, filters: Filters, limit: int = 500) -> pd.DataFrame:
    matching, params = "TRUE", []
    if not filters.is_empty():
        clause, params = where(filters, flat=True)
        matching = ARTICLES_MATCHING.replace("{where}", clause)
    return _frame(con, _template("articles").replace("{matching}", matching), params + [int(limit)])


def article(con, doc_id: str) -> dict:
    return _one(
        con,
        "SELECT doc_id, coalesce(title, name) AS title, published, source, outlet, url, text FROM documents "
        "WHERE doc_id = ?",
        [doc_id],
    )


def article_sentences(con, doc_id: str) -> pd.DataFrame:
    return _frame(con, _template("article_sentences"), [doc_id])


# ---- small shapes pages need, computed here so pages stay free of pandas -----------------------


def aid_summary(totals: pd.DataFrame) -> dict[str, list[tuple[str, float, int]]]:
    """record_type -> [(currency, total, figures)], from aid_totals; new aid is 'announcement' only."""
    out: dict[str, list[tuple[str, float, int]]] = {}
    for row in totals.itertuples():
        out.setdefault(row.record_type, []).append((row.currency or "?", row.total, int(row.figures)))
    return out


def aid_counted_text(headline: dict) -> str:
    """'$71.7 bn' from aid_headline: aid to Ukraine counted once, short enough for a metric (both
    currencies in one value were cut to "$616.9 bn…"); 'None found' rather than a dash read as zero."""
    from analytics.measures import money

    if not headline.get("counted"):
        return "None found"
    return money(headline["counted_usd"], "USD")


def aid_counted_note(headline: dict) -> str:
    """The line under the metric: the euro figure and how many commitments, or why there is none."""
    from analytics.measures import count_of, money

    if not headline.get("counted"):
        return "No counted commitment in the records that match; see the coverage note for the sources."
    return f"{money(headline['counted_eur'], 'EUR')} · {count_of(headline['counted'], 'commitment')}"


def currencies(tally: pd.DataFrame) -> list[str]:
    """Currencies in an aid tally, the one with the most figures first."""
    if tally.empty:
        return []
    return tally.groupby("currency")["figures"].sum().sort_values(ascending=False).index.tolist()


def origin_summary(by_origin: pd.DataFrame) -> list[tuple[str, int, dict[str, int]]]:
    """[(origin, documents, {kind: records})], from coverage_by_origin, 'extracted' first."""
    out: dict[str, tuple[int, dict[str, int]]] = {}
    for row in by_origin.itertuples():
        out.setdefault(row.origin, (int(row.documents), {}))[1][row.kind] = int(row.records)
    return [(origin, documents, kinds) for origin, (documents, kinds) in out.items()]


def theatres_of(places: pd.DataFrame) -> list[str]:
    return list(dict.fromkeys(places["theatre"])) if len(places) else []


def record_details(con, record_ids: list[str]) -> pd.DataFrame:
    """The records picked on a chart, with their sentence and article."""
    return _frame(
        con,
        """SELECT kind, type, date, date_precision, period_start, period_end, sentence, article, published,
                  doc_id, sentence_no, start_char, end_char, record_id
           FROM records WHERE record_id IN (SELECT unnest(?::VARCHAR[])) ORDER BY date, kind LIMIT 200""",
        [list(record_ids)],
    )


def aid_corrections(con, filters: Filters, limit: int = 100) -> pd.DataFrame:
    """The aid view's corrections only: revisions, listed apart so they are never read as new aid."""
    # The aid listing with the corrections chosen before its sort and limit (r.type is an aid
    # record's record_type): filtering the whole listing attached every figure's sentence first.
    clause, params = where(filters, flat=True)
    query = (
        _template(VIEWS["aid"])
        .replace("{where}", f"r.type = 'correction' AND {clause}")
        .replace("{limit}", "LIMIT ?")
    )
    return _frame(con, query, params + [int(limit)])
