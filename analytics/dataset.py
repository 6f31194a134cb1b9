"""The Parquet dataset of extracted articles: a batch at a time, partitioned by month, loaded into DuckDB.

Layout of a dataset (a folder every worker and the loader can reach):

    ROOT/_batches/<batch>.json                    the commit: the articles and files of one batch
    ROOT/<table>/month=YYYY-MM/<batch>.parquet    one file per table and publication month in the batch
    ROOT/<table>/month=undated/<batch>.parquet    articles without a publication date

Tables are the database's own (`TABLES`) with the database's column types, because a batch is
first stored by the one writer (`analytics.store.writer`) into an in-memory database of the same
schema (`staging()`); link tables carry `doc_id` too, so all of an article's rows are selected by
it. An article's rows go under its publication month: records are dated close to it (background
older than about a month is no record), so a date filter reads few months.

A batch is whole or absent. Each file is written under a hidden temporary name and renamed; the
batch exists only once its manifest is renamed into `_batches/`, last. Readers take the files the
manifests list, never a glob, so a batch cut off half-way (a killed worker) is never read, and a
later ingest removes its leftovers. The batch id is a hash of its articles' content hashes: the
same articles make the same files, so writing a batch twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from analytics import __version__
from analytics.store import writer

TABLES = ("documents", "sentences", "events", "aid_figures", "diplomatic_items", "statements", "record_actors",
          "record_themes", "record_sources")  # fmt: skip
RECORD_TABLES = tuple(writer.KIND_TABLES.values())
BATCHES = "_batches"
UNDATED = "undated"
# A batch's files without a manifest this long after they were written belong to a run that died;
# younger ones may be a batch another ingest is committing right now.
ORPHAN_AGE_S = 3600


class DatasetError(RuntimeError):
    """The dataset folder cannot be used; the message says what is wrong and what to do."""


@dataclass(frozen=True)
class Batch:
    """A committed batch, as its manifest says."""

    batch_id: str
    articles: tuple[str, ...]  # content hashes
    files: dict[str, list[str]]  # table -> paths relative to the dataset root
    records: int


@dataclass(frozen=True)
class LoadResult:
    batches: int  # batches that brought articles new to the database
    articles: int
    records: int


def batch_id(content_hashes: Iterable[str]) -> str:
    return hashlib.sha1("\n".join(sorted(content_hashes)).encode()).hexdigest()[:16]


def staging() -> duckdb.DuckDBPyConnection:
    """An in-memory database with the real schema: a batch is stored here by the one writer, so its
    Parquet files have exactly the types and defaults the database file gives the same rows."""
    from analytics.store.schema import SchemaState, migrate

    con = duckdb.connect(":memory:")
    migrate(con, SchemaState("blank"))
    return con


def clear(con: duckdb.DuckDBPyConnection) -> None:
    """Empty the staging tables for the next batch."""
    for table in TABLES:
        con.execute(f"DELETE FROM {table}")  # noqa: S608 (names from TABLES)
    con.execute("DELETE FROM record_facts")  # kept by the writer beside the tables above


def _select(table: str) -> str:
    """Every column of `table`, with the article's doc_id and its publication month."""
    # Names from TABLES and fixed text only: nothing here comes from a file or a user.
    month = f"coalesce(strftime(d.published, '%Y-%m'), '{UNDATED}') AS month"
    if table == "documents":
        return f"SELECT d.*, {month} FROM documents d"  # noqa: S608
    if table in writer.LINK_TABLES:
        owners = " UNION ALL ".join(f"SELECT record_id, doc_id FROM {t}" for t in RECORD_TABLES)  # noqa: S608
        return (f"SELECT l.*, o.doc_id, {month} FROM {table} l JOIN ({owners}) o USING (record_id) "  # noqa: S608
                "JOIN documents d USING (doc_id)")  # fmt: skip
    return f"SELECT t.*, {month} FROM {table} t JOIN documents d USING (doc_id)"  # noqa: S608


def _write_file(table: pa.Table, path: Path) -> None:
    """Write under a hidden name, flush to disk, then rename: the final name only ever holds a whole file."""
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        with open(tmp, "wb") as f:
            pq.write_table(table, f, compression="zstd")
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def write_batch(con: duckdb.DuckDBPyConnection, root: str | os.PathLike) -> Batch | None:
    """Write what the staging connection `con` holds as one committed batch of the dataset at
    `root`; None when it holds no article. On any error no file of the batch stays (nor a manifest)."""
    root = Path(root)
    hashes = [
        h for (h,) in con.execute("SELECT content_hash FROM documents ORDER BY content_hash").fetchall()
    ]
    if not hashes:
        return None
    bid = batch_id(hashes)
    files: dict[str, list[str]] = {}
    written: list[Path] = []
    records = 0
    try:
        for table in TABLES:
            rows = con.sql(_select(table)).to_arrow_table()
            if table in RECORD_TABLES:
                records += rows.num_rows
            if not rows.num_rows:
                continue
            months = rows.column("month")
            for month in sorted(pc.unique(months).to_pylist()):
                part = rows.filter(pc.equal(months, month)).drop_columns(["month"])
                rel = f"{table}/month={month}/{bid}.parquet"
                (root / rel).parent.mkdir(parents=True, exist_ok=True)
                _write_file(part, root / rel)
                written.append(root / rel)
                files.setdefault(table, []).append(rel)
        manifest = {"batch": bid, "written": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                    "extractor_version": __version__, "articles": hashes, "records": records, "files": files}  # fmt: skip
        (root / BATCHES).mkdir(parents=True, exist_ok=True)
        target = root / BATCHES / f"{bid}.json"
        tmp = target.with_name(f".{target.name}.tmp")
        try:
            with open(tmp, "w", encoding="utf-8") as f:
                json.dump(manifest, f, indent=1)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, target)  # the commit
        finally:
            tmp.unlink(missing_ok=True)
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        raise
    return Batch(bid, tuple(hashes), files, records)


def batches(root: str | os.PathLike) -> list[Batch]:
    """The committed batches of the dataset at `root`, in batch id order (none when it does not exist)."""
    folder = Path(root) / BATCHES
    if not folder.is_dir():
        return []
    out = []
    for path in sorted(folder.glob("*.json")):
        try:
            m = json.loads(path.read_text(encoding="utf-8"))
            out.append(Batch(m["batch"], tuple(m["articles"]), dict(m["files"]), int(m["records"])))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise DatasetError(
                f"{path}: not a readable batch manifest ({exc}); move it aside and ingest again"
            ) from exc
    return out


def files(root: str | os.PathLike, table: str, among: Iterable[Batch] | None = None) -> list[str]:
    """Absolute paths of `table`'s Parquet files in the committed batches (or in `among`)."""
    root = Path(root)
    return [
        str(root / rel) for b in (batches(root) if among is None else among) for rel in b.files.get(table, [])
    ]


def remove_orphans(root: str | os.PathLike, older_than_s: float = ORPHAN_AGE_S) -> int:
    """Delete files no manifest lists (a batch whose worker died before its commit) once they are
    older than `older_than_s`. The number removed."""
    root = Path(root)
    if not root.is_dir():
        return 0
    listed = {rel for b in batches(root) for rels in b.files.values() for rel in rels}
    cutoff = time.time() - older_than_s
    removed = 0
    for table in TABLES:
        for path in (root / table).glob("month=*/*"):
            rel = path.relative_to(root).as_posix()
            if rel not in listed and path.is_file() and path.stat().st_mtime < cutoff:
                path.unlink(missing_ok=True)
                removed += 1
    for path in (root / BATCHES).glob(".*.tmp"):
        if path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
            removed += 1
    return removed


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    return [c for (c,) in con.execute(
        "SELECT column_name FROM duckdb_columns() WHERE database_name = current_database() AND schema_name = 'main' "
        "AND table_name = ? ORDER BY column_index", [table]).fetchall()]  # fmt: skip


def load(con: duckdb.DuckDBPyConnection, root: str | os.PathLike,
         progress: Callable[[int, int, str], None] | None = None) -> LoadResult:  # fmt: skip
    """Load into the database every article of the dataset it does not hold yet (by content hash),
    through the one writer, one transaction per batch: a batch's new articles go in whole or not at
    all. Loading twice adds nothing."""
    root = Path(root)
    every = batches(root)
    # Which batches hold an article the database lacks, asked of DuckDB: the dataset may hold millions.
    listed = pa.table({"batch_id": [b.batch_id for b in every for _ in b.articles],
                       "content_hash": [h for b in every for h in b.articles]})  # fmt: skip
    con.execute("SELECT 1").fetchall()  # register() refuses while a result is unread
    con.register("_load_listed", listed)
    try:
        wanted = {bid for (bid,) in con.execute(
            "SELECT DISTINCT batch_id FROM _load_listed ANTI JOIN documents USING (content_hash)").fetchall()}  # fmt: skip
    finally:
        con.unregister("_load_listed")
    todo = [b for b in every if b.batch_id in wanted]
    loaded = LoadResult(0, 0, 0)
    for b in todo:  # all checked before anything is loaded
        missing = [p for t in TABLES for p in files(root, t, [b]) if not Path(p).is_file()]
        if missing:
            raise DatasetError(f"batch {b.batch_id} of {root} lists {missing[0]}, which is missing; restore it, or "
                               f"move {root / BATCHES / (b.batch_id + '.json')} aside and ingest its articles again")  # fmt: skip
    for i, b in enumerate(todo):
        if progress:
            progress(i, len(todo), b.batch_id)
        docs = files(root, "documents", [b])
        with writer.transaction(con, what=f"batch {b.batch_id} of {root}"):
            con.execute("CREATE OR REPLACE TEMP TABLE _load_docs AS SELECT doc_id FROM read_parquet(?) "
                        "WHERE content_hash NOT IN (SELECT content_hash FROM documents)", [docs])  # fmt: skip
            articles = con.execute("SELECT count(*) FROM _load_docs").fetchone()[0]
            for table in TABLES:
                paths = files(root, table, [b])
                if paths:
                    cols = _columns(con, table)
                    select = (
                        f"SELECT {', '.join(cols)} FROM read_parquet(?) SEMI JOIN _load_docs USING (doc_id)"  # noqa: S608
                    )
                    writer.insert_select(con, table, cols, select, [paths])
            records = sum(con.execute(f"SELECT count(*) FROM {t} SEMI JOIN _load_docs USING (doc_id)").fetchone()[0]  # noqa: S608
                          for t in RECORD_TABLES)  # fmt: skip
            writer.sync_record_facts(con, writer.records_of_documents("SELECT doc_id FROM _load_docs"))
            writer.wrote(con, "SELECT doc_id FROM _load_docs")  # their keys are checked before the commit
            con.execute("DROP TABLE _load_docs")
        loaded = LoadResult(loaded.batches + 1, loaded.articles + articles, loaded.records + records)
    if progress:
        progress(len(todo), len(todo), "")
    return loaded
