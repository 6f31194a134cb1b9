# ruff: noqa: S608 - SQL here joins fixed texts and analytics.filters' bound clause; every value is bound
"""Full-text search over every stored sentence: SQLite FTS5 in a file beside the database, kept in step with it.

Why SQLite FTS5: DuckDB's `fts` extension cannot be installed here (its wheels are built for
another DuckDB), and FTS5 ships inside Python's own sqlite3: BM25 ranking, phrase and prefix
queries, no new dependency and no server. The index (`<database>.search.sqlite`) holds each
sentence's text with its (doc_id, sentence_no); records are found through their sentence and
filtered in DuckDB with the sidebar's filters.

In step with the database: ingest, import and rebuild call `refresh()` when they finish, and
every search first compares the index's stamp with the database's (a count and an XOR of the
articles' content hashes, milliseconds to compute): articles added, changed or removed since
are indexed or dropped, one SQLite transaction at a time, so the index is never half-written.

Query syntax, for analysts: words must all occur (stemmed: "drones" finds "drone"); "a phrase"
in double quotes; a trailing * for a prefix (Bakh*); OR between two terms; a leading - to
exclude a word or phrase.
"""

from __future__ import annotations

import re
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from analytics.filters import Filters, where
from analytics.store import time_limit

SUFFIX = ".search.sqlite"
INDEX_VERSION = "1"  # bump when the index layout or tokenizer changes: the index is then rebuilt
TOKENIZER = "porter unicode61 remove_diacritics 2"
# Names the store gives a database while it is built or replaced: no index is kept for those,
# the final file's index catches up by its stamp.
_TEMPORARY = (".building", ".new", ".restoring", ".partial")
MAX_HITS = 20_000  # best-ranked sentences a filtered search looks through
RANK_LIMIT = 100_000  # more matching sentences than this are taken in index order, unranked
_BATCH = 50_000


class SearchQueryError(ValueError):
    """The search text cannot be read; the message says what to change."""


@dataclass(frozen=True)
class SyncResult:
    added: int  # articles indexed
    removed: int  # articles dropped
    sentences: int  # sentences indexed now
    seconds: float
    rebuilt: bool  # the whole index was (re)built

    def message(self) -> str:
        if not self.added and not self.removed:
            return f"search index up to date ({self.sentences:,} sentences)"
        return (f"search index: {self.added:,} articles added, {self.removed:,} removed; {self.sentences:,} sentences "
                f"({self.seconds:.1f} s)")  # fmt: skip


# ---- the query language ----------------------------------------------------------------------

_TOKEN = re.compile(r'(-?)"([^"]*)"(\*?)|(\S+)')


def _term(text: str, prefix: bool) -> str | None:
    # Inside double quotes FTS5 applies its tokenizer and nothing else: no operator can be injected.
    words = re.findall(r"\w+", text)
    if not words:
        return None
    return '"' + " ".join(words) + '"' + ("*" if prefix else "")


def parse_query(text: str) -> str:
    """The analyst's search text as an FTS5 query; SearchQueryError when nothing can be searched."""
    text = (text or "").strip()
    if not text:
        raise SearchQueryError("type a word or a phrase to search for")
    if text.count('"') % 2:
        raise SearchQueryError('a phrase is opened with " but never closed; add the closing "')
    positives: list[list[str]] = []  # AND of OR-groups
    negatives: list[str] = []
    pending_or = False
    for m in _TOKEN.finditer(text):
        if m.group(4) is not None:
            raw = m.group(4)
            if raw == "OR":
                pending_or = bool(positives)
                continue
            negative = raw.startswith("-") and len(raw) > 1
            raw = raw[1:] if negative else raw
            term = _term(raw.rstrip("*"), raw.endswith("*"))
        else:
            negative = m.group(1) == "-"
            term = _term(m.group(2), m.group(3) == "*")
        if term is None:
            continue
        if negative:
            negatives.append(term)
        elif pending_or:
            positives[-1].append(term)
        else:
            positives.append([term])
        pending_or = False
    if not positives:
        raise SearchQueryError("a search needs at least one word to find (words after - are only excluded)"
                               if negatives else "type a word or a phrase to search for (letters or digits)")  # fmt: skip
    query = " AND ".join(g[0] if len(g) == 1 else "(" + " OR ".join(g) + ")" for g in positives)
    for term in negatives:
        query += f" NOT {term}"
    return query


# ---- the index file ----------------------------------------------------------------------------


def database_file(con: duckdb.DuckDBPyConnection) -> Path | None:
    row = con.execute(
        "SELECT path FROM duckdb_databases() WHERE database_name = current_database()"
    ).fetchone()
    return Path(row[0]) if row and row[0] else None


def index_path(db_file: Path) -> Path:
    return db_file.with_name(db_file.name + SUFFIX)


FTS_DDL = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS fts USING fts5(text, content='sents', content_rowid='id', "
    f"tokenize='{TOKENIZER}');"
)


def _open(path: Path) -> sqlite3.Connection:
    lite = sqlite3.connect(path, timeout=60, isolation_level=None)
    try:
        _schema(lite)
    except sqlite3.Error:
        lite.close()
        raise
    return lite


def _schema(lite: sqlite3.Connection) -> None:
    lite.execute("PRAGMA journal_mode=WAL")  # readers go on while a sync writes
    lite.execute("PRAGMA synchronous=NORMAL")
    lite.executescript("""
        CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
        CREATE TABLE IF NOT EXISTS docs (doc_id TEXT PRIMARY KEY, content_hash TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS sents (id INTEGER PRIMARY KEY, doc_id TEXT NOT NULL, sentence_no INTEGER NOT NULL,
                                          text TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS sents_doc ON sents (doc_id);
    """ + FTS_DDL)  # fmt: skip


def _meta(lite: sqlite3.Connection, key: str) -> str | None:
    row = lite.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
    return row[0] if row else None


def stamp(con: duckdb.DuckDBPyConnection) -> str:
    """The database's content version as the index sees it: which articles, by their text's hash."""
    n, x = con.execute("SELECT count(*), coalesce(bit_xor(hash(content_hash)), 0) FROM documents").fetchone()
    return f"{INDEX_VERSION}:{n}:{x}"


def sync(con: duckdb.DuckDBPyConnection, path: Path | None = None) -> SyncResult:
    """Bring the index beside the database in step with it: index new articles, drop removed ones."""
    t0 = time.perf_counter()
    db_file = database_file(con)
    if path is None:
        if db_file is None:
            raise SearchQueryError("search needs a database file (this one is in memory)")
        path = index_path(db_file)
    cur = con.cursor()
    try:
        lite = _open(path)
    except sqlite3.DatabaseError:
        # Not an index (damaged, or another file under its name): it is derived data, rebuilt from the
        # database, so it is replaced rather than refused.
        for stale in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
            stale.unlink(missing_ok=True)
        lite = _open(path)
    try:
        cur.execute("BEGIN TRANSACTION")  # one snapshot of the database for the whole sync
        now = stamp(cur)
        lite.execute("BEGIN IMMEDIATE")  # one sync at a time, across processes
        if _meta(lite, "stamp") == now:
            lite.execute("ROLLBACK")
            return SyncResult(0, 0, lite.execute("SELECT count(*) FROM sents").fetchone()[0],
                              time.perf_counter() - t0, False)  # fmt: skip
        rebuilt = _meta(lite, "version") != INDEX_VERSION
        if rebuilt:  # a new layout or tokenizer: everything anew
            lite.execute("DELETE FROM docs")
            lite.execute("DELETE FROM sents")
            lite.execute("DROP TABLE fts")
            lite.execute(FTS_DDL)
        stored = dict(lite.execute("SELECT doc_id, content_hash FROM docs").fetchall())
        current = dict(cur.execute("SELECT doc_id, content_hash FROM documents").fetchall())
        gone = [d for d, h in stored.items() if current.get(d) != h]
        new = [d for d, h in current.items() if stored.get(d) != h]
        for i in range(0, len(gone), 500):
            batch = gone[i : i + 500]
            marks = ",".join("?" * len(batch))
            lite.execute(f"INSERT INTO fts(fts, rowid, text) SELECT 'delete', id, text FROM sents "  # noqa: S608
                         f"WHERE doc_id IN ({marks})", batch)  # fmt: skip
            lite.execute(f"DELETE FROM sents WHERE doc_id IN ({marks})", batch)  # noqa: S608
            lite.execute(f"DELETE FROM docs WHERE doc_id IN ({marks})", batch)  # noqa: S608
        whole = not stored and len(new) == len(current)
        if new:
            first_id = lite.execute("SELECT coalesce(max(id), 0) + 1 FROM sents").fetchone()[0]
            if whole:
                rows = cur.execute("SELECT doc_id, sentence_no, text FROM sentences")
            else:
                rows = cur.execute("SELECT doc_id, sentence_no, text FROM sentences "
                                   "WHERE doc_id IN (SELECT unnest(?::VARCHAR[]))", [new])  # fmt: skip
            while batch := rows.fetchmany(_BATCH):
                lite.executemany("INSERT INTO sents (doc_id, sentence_no, text) VALUES (?, ?, ?)", batch)
            lite.executemany(
                "INSERT INTO docs (doc_id, content_hash) VALUES (?, ?)", [(d, current[d]) for d in new]
            )
            if whole:
                lite.execute("INSERT INTO fts(fts) VALUES ('rebuild')")  # one pass: faster than row by row
            else:
                lite.execute(
                    "INSERT INTO fts(rowid, text) SELECT id, text FROM sents WHERE id >= ?", [first_id]
                )
        lite.executemany("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                         [("stamp", now), ("version", INDEX_VERSION)])  # fmt: skip
        lite.execute("COMMIT")
        n = lite.execute("SELECT count(*) FROM sents").fetchone()[0]
        return SyncResult(len(new), len(gone), n, time.perf_counter() - t0, rebuilt or whole)
    except BaseException:
        if lite.in_transaction:
            lite.execute("ROLLBACK")
        raise
    finally:
        try:
            cur.execute("COMMIT")
        except duckdb.Error:
            pass
        cur.close()
        lite.close()


def refresh(con: duckdb.DuckDBPyConnection) -> SyncResult | None:
    """sync() after a write (ingest, import, rebuild). The records are already stored: a failure here
    is reported in one line on stderr; the next search catches up by the stamp."""
    import sys

    db_file = database_file(con)
    if db_file is None or db_file.name.endswith(_TEMPORARY):
        return None  # built aside: the file it becomes is indexed by its stamp
    try:
        return sync(con)
    except (sqlite3.Error, OSError, duckdb.Error) as exc:
        print(f"warning: the search index was not updated: {exc}; the next search rebuilds what is missing",
              file=sys.stderr)  # fmt: skip
        return None


# ---- searching -----------------------------------------------------------------------------------


def sentence_hits(con: duckdb.DuckDBPyConnection, text: str, limit: int = MAX_HITS) -> Hits:
    """The sentences matching `text`, best first: doc_id, sentence_no, rank (1 = best), match (the
    sentence with the matched words in «»). Brings the index in step first.

    Ranking scores every matching sentence, which costs seconds for a word in a fifth of a large
    corpus; past RANK_LIMIT matches the first `limit` in index order are taken unranked (`ranked`
    False, and the page says so: more words give a ranked list)."""
    query = parse_query(text)
    db_file = database_file(con)
    if db_file is None:
        raise SearchQueryError("search needs a database file (this one is in memory)")
    try:
        sync(con)
    except (sqlite3.Error, OSError) as exc:
        raise SearchQueryError(f"the search index beside the database ({index_path(db_file)}) cannot be brought up "
                               f"to date: {exc}; make its folder writable, or delete the index file and search "
                               "again") from exc  # fmt: skip
    lite = sqlite3.connect(f"file:{index_path(db_file)}?mode=ro", uri=True, timeout=60)
    try:
        total = lite.execute("SELECT count(*) FROM fts WHERE fts MATCH ?", [query]).fetchone()[0]
        ranked = total <= RANK_LIMIT
        order = "ORDER BY fts.rank, s.id" if ranked else ""
        # One pass: highlight() in the same query as the MATCH (a second MATCH per kept row, or a join
        # on the top ids, costs a full match each time: minutes for a prefix).
        rows = lite.execute(
            f"""SELECT s.doc_id, s.sentence_no, highlight(fts, 0, '«', '»') AS match
                FROM fts JOIN sents s ON s.id = fts.rowid WHERE fts MATCH ? {order} LIMIT ?""",
            [query, int(limit)],
        ).fetchall()
    except sqlite3.OperationalError as exc:  # parse_query quotes every term; this is a last guard
        raise SearchQueryError(
            f'the search could not be read ({exc}); use words, "phrases" and prefix*'
        ) from exc
    finally:
        lite.close()
    frame = pd.DataFrame(rows, columns=["doc_id", "sentence_no", "match"])
    frame.insert(2, "rank", range(1, len(frame) + 1))
    return Hits(frame, total, ranked)


@dataclass(frozen=True)
class Hits:
    frame: pd.DataFrame  # doc_id, sentence_no, rank, match: best first (or index order when not ranked)
    total: int  # sentences matching, all of them
    ranked: bool

    def __len__(self) -> int:
        return len(self.frame)

    def describe(self) -> str:
        """What the result lists are drawn from, for the page's caption."""
        if not self.ranked:
            return (f"the first {len(self):,} of {self.total:,} matching sentences (too many to rank: add a word "
                    "or a phrase for a ranked list)")  # fmt: skip
        if len(self) < self.total:
            return f"the {len(self):,} best of {self.total:,} matching sentences"
        return f"{self.total:,} matching sentence{'s' if self.total != 1 else ''}"


_HITS = """hits AS (SELECT unnest(?::VARCHAR[]) AS doc_id, unnest(?::INTEGER[]) AS sentence_no,
                       unnest(?::INTEGER[]) AS rank, unnest(?::VARCHAR[]) AS match)"""


def _hit_params(hits: Hits) -> list:
    h = hits.frame
    return [h["doc_id"].tolist(), [int(x) for x in h["sentence_no"]], [int(x) for x in h["rank"]],
            h["match"].tolist()]  # fmt: skip


def records_sql(
    hits: Hits, filters: Filters, *, count: bool = False, paged: bool = False
) -> tuple[str, list]:
    """The records whose sentence matched, under the sidebar's filters, best match first. `paged`
    leaves LIMIT ? OFFSET ? to bind; sides and articles are joined only for the rows kept."""
    clause, params = where(filters, flat=True)
    found = f"""WITH {_HITS},
    f AS (SELECT r.*, h.rank, h.match FROM record_facts r JOIN hits h USING (doc_id, sentence_no) WHERE {clause}
          ORDER BY h.rank, r.record_id {"LIMIT ? OFFSET ?" if paged else ""})"""
    if count:
        return found + " SELECT count(*) AS n FROM f", _hit_params(hits) + params
    sql = (
        found
        + """,
    a AS (SELECT ra.record_id, string_agg(DISTINCT ra.side, ', ' ORDER BY ra.side) AS actors
          FROM record_actors ra SEMI JOIN f USING (record_id) GROUP BY ra.record_id)
    SELECT f.rank, f.kind, f.type, f.date, f.date_precision, f.location, f.theatre, a.actors,
           f.match, coalesce(d.title, d.name) AS article, d.outlet, d.published, f.origin, f.doc_id, f.sentence_no,
           f.record_id
    FROM f JOIN documents d USING (doc_id) LEFT JOIN a USING (record_id)
    ORDER BY f.rank, f.record_id"""
    )
    return sql, _hit_params(hits) + params


def sentences_sql(
    hits: Hits, filters: Filters, *, count: bool = False, paged: bool = False
) -> tuple[str, list]:
    """The matching sentences; when filters are set, only those of articles that hold a record matching them."""
    params = _hit_params(hits)
    keep = "TRUE"
    if not filters.is_empty():
        clause, fparams = where(filters, flat=True)
        keep = f"h.doc_id IN (SELECT r.doc_id FROM record_facts r WHERE {clause})"  # noqa: S608
        params += fparams
    found = f"""WITH {_HITS},
    f AS (SELECT h.* FROM hits h WHERE {keep} ORDER BY h.rank {"LIMIT ? OFFSET ?" if paged else ""})"""
    if count:
        return found + " SELECT count(*) AS n FROM f", params
    return (
        found
        + """
    SELECT f.rank, f.match, coalesce(d.title, d.name) AS article, d.outlet, d.published, d.origin, d.url,
           f.doc_id, f.sentence_no
    FROM f JOIN documents d USING (doc_id)
    ORDER BY f.rank""",
        params,
    )


LISTS = {"records": records_sql, "sentences": sentences_sql}


def run(con: duckdb.DuckDBPyConnection, sql: str, params: list) -> pd.DataFrame:
    cur = con.cursor()
    try:
        with time_limit(cur):
            return cur.sql(sql, params=params).to_arrow_table().to_pandas()
    finally:
        cur.close()


def count(con: duckdb.DuckDBPyConnection, what: str, hits: Hits, filters: Filters) -> int:
    """How many rows a result list ('records' or 'sentences') holds."""
    return int(run(con, *LISTS[what](hits, filters, count=True))["n"].iloc[0])


def page(con: duckdb.DuckDBPyConnection, what: str, hits: Hits, filters: Filters, limit: int,
         offset: int) -> pd.DataFrame:  # fmt: skip
    """One page of a result list, in rank order."""
    sql, params = LISTS[what](hits, filters, paged=True)
    # The LIMIT/OFFSET pair sits right after the hits' and filters' parameters, inside `f`.
    return run(con, sql, [*params, int(limit), int(offset)])


def export_sql(what: str, hits: Hits, filters: Filters) -> tuple[str, list]:
    """The whole result list, for its CSV (analytics.export adds the citation columns)."""
    return LISTS[what](hits, filters)
