"""The same page query sets on SQLite (the engine behind Datasette), over a copy of the same tables.

The copy has the schema's primary keys plus the indexes a Datasette user would add for these
filters and facets (record_id, actor, side, theme, date columns), is ANALYZEd, and has a
`records` view written like DuckDB's. The SQL mirrors analytics/queries/*.sql clause by clause.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import duckdb

from analytics.filters import Filters

# ruff: noqa: S608 - SQL here is built from the fixed table and column names below and bound parameters

TABLES = {
    "documents": "PRIMARY KEY (doc_id)", "sentences": "PRIMARY KEY (doc_id, sentence_no)",
    "events": "PRIMARY KEY (record_id)", "aid_figures": "PRIMARY KEY (record_id)",
    "diplomatic_items": "PRIMARY KEY (record_id)", "statements": "PRIMARY KEY (record_id)",
    "record_actors": "PRIMARY KEY (record_id, position)", "record_themes": "PRIMARY KEY (record_id, theme)",
    "record_sources": "PRIMARY KEY (record_id, actor, stance)", "actors": "PRIMARY KEY (name)",
    "actor_aliases": "PRIMARY KEY (alias, actor)", "places": "PRIMARY KEY (name)", "themes": "PRIMARY KEY (name)",
    "theatres": "PRIMARY KEY (name)",
}  # fmt: skip
INDEXES = [
    "record_actors(actor)", "record_actors(side)", "record_themes(theme)", "record_sources(actor)",
    "events(date)", "aid_figures(date)", "diplomatic_items(date)", "statements(date)", "events(location)",
    "documents(published)", "actors(represents)",
]  # fmt: skip
RECORDS_VIEW = """
CREATE VIEW records AS
WITH r AS (
    SELECT record_id, 'event' AS kind, event_type AS type, sub_event_type AS subtype, doc_id, sentence_no,
           start_char, end_char, location, theatre, date, date_precision, date_basis, span_start, span_end,
           unverified, origin FROM events
    UNION ALL
    SELECT record_id, 'aid', record_type, aid_type, doc_id, sentence_no, start_char, end_char, location, theatre,
           date, date_precision, date_basis, span_start, span_end, unverified, origin FROM aid_figures
    UNION ALL
    SELECT record_id, 'diplomacy', item_type, status, doc_id, sentence_no, start_char, end_char, location, theatre,
           date, date_precision, date_basis, span_start, span_end, unverified, origin FROM diplomatic_items
    UNION ALL
    SELECT record_id, 'statement', stance, NULL, doc_id, sentence_no, start_char, end_char, location, theatre,
           date, date_precision, date_basis, span_start, span_end, unverified, origin FROM statements
)
SELECT r.*, coalesce(r.span_start, r.date) AS period_start,
       coalesce(r.span_end, CASE r.date_precision
           WHEN 'week' THEN date(r.date, '+6 days')
           WHEN 'month' THEN date(r.date, 'start of month', '+1 month', '-1 day')
           WHEN 'year' THEN substr(r.date, 1, 4) || '-12-31'
           ELSE r.date END) AS period_end,
       s.text AS sentence, d.title AS article, d.name AS article_file, d.published, d.url
FROM r JOIN documents d USING (doc_id) LEFT JOIN sentences s USING (doc_id, sentence_no)
"""


def build(duck: duckdb.DuckDBPyConnection, path: Path) -> None:
    """Copy every table the pages read into a new SQLite file (dates as ISO text)."""
    path.unlink(missing_ok=True)
    lite = sqlite3.connect(path)
    lite.execute("PRAGMA journal_mode = OFF")
    lite.execute("PRAGMA synchronous = OFF")
    for table, key in TABLES.items():
        cols = duck.execute(f"DESCRIBE {table}").fetchall()
        names = [c[0] for c in cols]
        lite.execute(f"CREATE TABLE {table} ({', '.join(names)}, {key})")
        select = ", ".join(f"CAST({n} AS VARCHAR)" if c[1] in ("DATE", "TIMESTAMP") else n for n, c in
                           zip(names, cols, strict=True))  # fmt: skip
        cur = duck.cursor()
        cur.execute(f"SELECT {select} FROM {table}")
        insert = f"INSERT INTO {table} VALUES ({', '.join('?' * len(names))})"
        while rows := cur.fetchmany(100_000):
            lite.executemany(insert, rows)
        cur.close()
    for i, index in enumerate(INDEXES):
        lite.execute(f"CREATE INDEX ix_{i} ON {index}")
    lite.execute(RECORDS_VIEW)
    lite.execute("ANALYZE")
    lite.commit()
    lite.close()


def _in(values) -> str:
    return "(" + ", ".join("?" * len(values)) + ")"


def where(f: Filters) -> tuple[str, list]:
    clauses, params = [], []
    if f.kinds:
        clauses.append(f"r.kind IN {_in(f.kinds)}")
        params += list(f.kinds)
    if f.actors:
        clauses.append(f"r.record_id IN (SELECT record_id FROM record_actors WHERE actor IN {_in(f.actors)} "
                       f"OR side IN {_in(f.actors)})")  # fmt: skip
        params += list(f.actors) * 2
    if f.themes:
        clauses.append(f"r.record_id IN (SELECT record_id FROM record_themes WHERE theme IN {_in(f.themes)})")
        params += list(f.themes)
    if f.theatres:
        clauses.append(f"r.theatre IN {_in(f.theatres)}")
        params += list(f.theatres)
    if f.date_from:
        clauses.append("r.period_end >= ?")
        params.append(f.date_from.isoformat())
    if f.date_to:
        clauses.append("r.period_start <= ?")
        params.append(f.date_to.isoformat())
    if f.doc_id:
        clauses.append("r.doc_id = ?")
        params.append(f.doc_id)
    return " AND ".join(clauses) or "1", params


def _all(con: sqlite3.Connection, sql: str, params=()) -> list:
    return con.execute(sql, list(params)).fetchall()


ORDER = "r.date DESC NULLS LAST, r.doc_id, r.sentence_no, r.record_id"
SIDES = "(SELECT group_concat(side, ', ') FROM (SELECT DISTINCT side FROM record_actors ra " \
        "WHERE ra.record_id = r.record_id ORDER BY side))"  # fmt: skip
THEMES = "(SELECT group_concat(theme, ', ') FROM (SELECT DISTINCT theme FROM record_themes rt " \
         "WHERE rt.record_id = r.record_id ORDER BY theme))"  # fmt: skip


def _records_page(con, f: Filters, limit: int, offset: int = 0) -> list:
    w, p = where(f)
    return _all(
        con,
        f"""SELECT r.kind, r.type, r.subtype, r.date, r.date_precision, r.period_start, r.period_end,
        r.location, r.theatre, {SIDES} AS actors, {THEMES} AS themes, r.unverified, r.article, r.published, r.sentence,
        r.doc_id, r.sentence_no, r.start_char, r.end_char, r.record_id FROM (SELECT * FROM records r WHERE {w}
        ORDER BY r.date DESC NULLS LAST, r.kind, r.doc_id, r.sentence_no, r.record_id LIMIT ? OFFSET ?) r
        ORDER BY r.date DESC NULLS LAST, r.kind, r.doc_id, r.sentence_no, r.record_id""",
        p + [limit, offset],
    )


def _count(con, f: Filters, extra: str = "TRUE") -> int:
    w, p = where(f)
    return _all(con, f"SELECT count(*) FROM records r WHERE {w} AND {extra}", p)[0][0]


def _articles(con, f: Filters, limit: int) -> list:
    w, p = where(f)
    return _all(
        con,
        f"""SELECT d.doc_id, d.title, d.published, d.n_sentences FROM documents d
        WHERE ? OR d.doc_id IN (SELECT r.doc_id FROM records r WHERE {w})
        ORDER BY d.published DESC NULLS LAST, d.title LIMIT ?""",
        [f.is_empty()] + p + [limit],
    )


def _aid_totals(con, f: Filters) -> list:
    w, p = where(f)
    return _all(
        con,
        f"""SELECT a.record_type, a.currency, sum(a.amount) AS total, count(*) AS figures
        FROM records r JOIN aid_figures a USING (record_id) WHERE r.kind = 'aid' AND {w}
        GROUP BY 1, 2 ORDER BY a.record_type, total DESC NULLS LAST""",
        p,
    )


def _monthly(con, f: Filters) -> list:
    w, p = where(f)
    return _all(
        con,
        f"""SELECT substr(r.date, 1, 7) || '-01' AS month, r.kind, count(*) FROM records r
        WHERE {w} AND r.date IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 2""",
        p,
    )


def _kind_page(con, f: Filters, kind: str, table: str, cols: str, limit: int = 200) -> list:
    w, p = where(f)
    return _all(
        con,
        f"""SELECT r.date, r.location, {cols}, {SIDES} AS sides, r.unverified, r.article, r.published,
        r.sentence, r.doc_id, r.sentence_no, r.start_char, r.end_char, r.record_id
        FROM (SELECT * FROM records r WHERE r.kind = '{kind}' AND {w} ORDER BY {ORDER} LIMIT ?) r
        JOIN {table} k USING (record_id) ORDER BY {ORDER}""",
        p + [limit],
    )


def _kind_listing(con, f: Filters, kind: str, table: str, cols: str) -> None:
    """A page's listing of one kind: counted, then its first page drawn when there is one."""
    if _count(con, f, f"r.kind = '{kind}'"):
        _kind_page(con, f, kind, table, cols)


def sidebar(con, f: Filters) -> None:
    _all(
        con,
        """SELECT a.name, (SELECT count(*) FROM record_actors ra WHERE ra.actor = a.name OR ra.side = a.name)
        AS n FROM actors a ORDER BY n DESC, a.name""",
    )
    _all(con, "SELECT name FROM themes ORDER BY name")
    _all(con, "SELECT name FROM theatres ORDER BY sort_order, name")
    if f.actors:
        _all(
            con,
            f"""SELECT actor, group_concat(alias, ', ') FROM actor_aliases WHERE actor IN {_in(f.actors)}
            AND alias <> actor GROUP BY actor UNION ALL SELECT represents, group_concat(name, ', ') FROM actors
            WHERE represents IN {_in(f.actors)} AND name <> represents GROUP BY represents""",
            list(f.actors) * 2,
        )
    _articles(con, Filters(), 500)


def overview(con, f: Filters) -> None:
    w, p = where(f)
    _all(con, f"""WITH r AS (SELECT r.kind, r.doc_id FROM records r WHERE {w})
        SELECT (SELECT count(*) FROM r WHERE kind = 'event'), (SELECT count(*) FROM r WHERE kind = 'aid'),
               (SELECT count(*) FROM r WHERE kind = 'diplomacy'), (SELECT count(*) FROM r WHERE kind = 'statement'),
               CASE WHEN ? THEN (SELECT count(*) FROM documents) ELSE (SELECT count(DISTINCT doc_id) FROM r) END""",
         p + [f.is_empty()])  # fmt: skip
    _aid_totals(con, f)
    _records_page(con, f, 10)
    _monthly(con, f)
    _all(
        con,
        """SELECT (SELECT count(*) FROM documents), (SELECT min(published) FROM documents),
        (SELECT max(published) FROM documents), (SELECT min(date) FROM records), (SELECT max(date) FROM records),
        (SELECT count(*) FROM records)""",
    )
    _all(
        con,
        """SELECT coalesce(source, 'source not recorded (' || origin || ')') AS source, count(*) AS articles,
        min(published), max(published) FROM documents GROUP BY 1 ORDER BY articles DESC, source LIMIT 50""",
    )


def timeline(con, f: Filters) -> None:
    w, p = where(f)
    n = _count(con, f)
    if n > 2000:
        _monthly(con, f)
    elif n:
        _all(
            con,
            f"""SELECT r.record_id, r.kind, r.type, r.date, r.period_start, r.period_end,
            coalesce((SELECT min(theme) FROM record_themes rt WHERE rt.record_id = r.record_id), 'no theme'),
            substr(r.sentence, 1, 160), r.article FROM records r WHERE {w} AND r.date IS NOT NULL
            ORDER BY r.period_start, r.kind, r.record_id LIMIT 2000""",
            p,
        )
    if n:
        _records_page(con, f, 200)


def aid(con, f: Filters) -> None:
    w, p = where(f)
    if any(row[0] == "correction" for row in _aid_totals(con, f)):
        _all(
            con,
            f"""SELECT * FROM records r JOIN aid_figures a USING (record_id)
            WHERE r.kind = 'aid' AND {w} AND a.record_type = 'correction' ORDER BY {ORDER} LIMIT 100""",
            p,
        )
    _all(
        con,
        f"""SELECT coalesce(a.donor, 'not stated') AS value, a.record_type, a.currency, sum(a.amount) AS total,
        count(*) FROM records r JOIN aid_figures a USING (record_id) WHERE r.kind = 'aid' AND {w}
        GROUP BY 1, 2, 3 ORDER BY total DESC NULLS LAST, value""",
        p,
    )
    _kind_listing(
        con, f, "aid", "aid_figures", "k.record_type, k.donor, k.recipient, k.amount, k.currency, k.cue"
    )


def theatres(con, f: Filters) -> None:
    w, p = where(f)
    _all(
        con,
        f"""SELECT coalesce(r.theatre, 'Theatre not known'), coalesce(r.location, 'No place named'),
        count(*) AS events FROM records r WHERE r.kind = 'event' AND {w} GROUP BY 1, 2 ORDER BY events DESC""",
        p,
    )
    _all(
        con,
        f"""SELECT r.location, coalesce(r.theatre, 'Theatre not known'), p.lat, p.lon, count(*) AS events
        FROM records r JOIN places p ON p.name = r.location
        WHERE r.kind = 'event' AND {w} AND p.lat IS NOT NULL AND p.lon IS NOT NULL
        GROUP BY 1, 2, 3, 4 ORDER BY events DESC, 1""",
        p,
    )
    _kind_listing(con, f, "event", "events", "k.event_type, k.sub_event_type, k.fatalities")


def diplomacy(con, f: Filters) -> None:
    w, p = where(f)
    _all(
        con,
        f"""SELECT d.item_type, coalesce(d.status, 'not stated'), count(*) AS items
        FROM records r JOIN diplomatic_items d USING (record_id) WHERE r.kind = 'diplomacy' AND {w}
        GROUP BY 1, 2 ORDER BY items DESC, 1""",
        p,
    )
    _all(
        con,
        f"""WITH r AS (SELECT r.record_id, d.item_type FROM records r JOIN diplomatic_items d USING (record_id)
            WHERE r.kind = 'diplomacy' AND {w}),
        p AS (SELECT DISTINCT ra.side, r.item_type, r.record_id FROM r JOIN record_actors ra USING (record_id)),
        t AS (SELECT side, item_type, count(*) AS items FROM p GROUP BY 1, 2),
        s AS (SELECT side, sum(items) AS side_total FROM t GROUP BY side ORDER BY side_total DESC, side LIMIT 15)
        SELECT t.side, t.item_type, t.items, s.side_total FROM t JOIN s USING (side)
        ORDER BY s.side_total DESC, t.side, t.items DESC""",
        p,
    )
    _kind_listing(con, f, "diplomacy", "diplomatic_items", "k.item_type, k.status")


def claims(con, f: Filters) -> None:
    w, p = where(f)
    _all(
        con,
        f"""WITH r AS (SELECT r.record_id FROM records r WHERE {w}),
        said AS (SELECT s.speaker AS side, s.stance, s.record_id FROM statements s
                 WHERE s.record_id IN (SELECT record_id FROM r) AND s.speaker IS NOT NULL
                 UNION SELECT rs.actor, rs.stance, rs.record_id FROM record_sources rs
                 WHERE rs.record_id IN (SELECT record_id FROM r))
        SELECT side, stance, count(DISTINCT record_id) AS records FROM said GROUP BY 1, 2
        ORDER BY records DESC, side, stance""",
        p,
    )
    candidates = f"""(SELECT * FROM records r WHERE {w}
        AND (r.kind = 'statement' OR r.record_id IN (SELECT record_id FROM record_sources)))"""
    n = _all(con, f"SELECT count(*) FROM {candidates}", p)[0][0]
    if n:
        _all(
            con,
            f"""WITH c AS {candidates},
            src AS (SELECT record_id, max(stance <> 'denies') AS claim, max(stance = 'denies') AS deny,
                           count(DISTINCT actor) AS everyone
                    FROM record_sources WHERE record_id IN (SELECT record_id FROM c) GROUP BY record_id)
            SELECT coalesce(src.claim AND src.deny AND src.everyone > 1, 0) AS contested, c.date, c.kind, c.type,
                   s.speaker, s.stance,
                   (SELECT group_concat(actor, ', ') FROM record_sources x WHERE x.record_id = c.record_id
                     AND x.stance <> 'denies') AS claimed_by,
                   (SELECT group_concat(actor, ', ') FROM record_sources x WHERE x.record_id = c.record_id
                     AND x.stance = 'denies') AS denied_by, c.article, c.sentence, c.record_id
            FROM c LEFT JOIN src USING (record_id) LEFT JOIN statements s USING (record_id)
            ORDER BY contested DESC, c.date DESC NULLS LAST, c.doc_id, c.sentence_no, c.record_id LIMIT 200""",
            p,
        )
    articles = _articles(con, f, 500)
    if articles:
        doc_id = articles[0][0]
        _all(
            con,
            "SELECT doc_id, coalesce(title, name), published, source, url, text FROM documents WHERE doc_id = ?",
            [doc_id],
        )
        _all(
            con,
            """SELECT s.sentence_no, s.start_char, s.end_char, group_concat(r.record_id)
            FROM sentences s LEFT JOIN records r ON r.doc_id = s.doc_id AND r.sentence_no = s.sentence_no
            WHERE s.doc_id = ? GROUP BY 1, 2, 3 ORDER BY 1""",
            [doc_id],
        )
        _records_page(con, Filters(doc_id=doc_id), 1000)


def data(con, f: Filters) -> None:
    w, p = where(f)
    if _count(con, f):
        if f.is_empty():
            _all(con, "SELECT * FROM records LIMIT 200")
        else:
            _all(con, f"SELECT * FROM records WHERE record_id IN (SELECT record_id FROM records r WHERE {w}) "
                      "ORDER BY record_id LIMIT 200", p)  # fmt: skip


PAGES = {"sidebar (every page)": sidebar, "overview": overview, "timeline": timeline, "aid": aid,
         "theatres": theatres, "diplomacy": diplomacy, "claims": claims, "data": data}  # fmt: skip
