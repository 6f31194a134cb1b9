"""Adding articles to the database: idempotent, incremental and atomic per article.

An article is identified by the hash of its text, so the same article twice is stored once.
Each article goes in within its own transaction: a failure leaves no partial rows and the
batch goes on with the next file.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa

from analytics import __version__
from analytics.corpus import (
    SUFFIXES,
    ArticleError,
    Document,
    build_document,
    iter_article_paths,
    max_article_bytes,
    read_document,
    safe_name,
)
from analytics.database import sync_vocabulary
from analytics.derive import refresh as refresh_derived
from analytics.extract import Extraction, extract

KIND_TABLES = {"event": "events", "aid": "aid_figures", "diplomacy": "diplomatic_items", "statement": "statements"}
_COMMON = ["record_id", "doc_id", "sentence_no", "start_char", "end_char"]
_DATED = ["location", "theatre", "date", "date_precision", "date_basis", "span_start", "span_end", "unverified", "cue"]
KIND_COLUMNS = {
    "event": _COMMON + ["event_type", "sub_event_type"] + _DATED,
    "aid": _COMMON + ["record_type", "donor", "recipient", "amount", "currency", "aid_type", "approximate", "materiel"]
    + _DATED,
    "diplomacy": _COMMON + ["item_type", "status"] + _DATED,
    "statement": _COMMON + ["speaker", "stance"] + _DATED,
}


@dataclass(frozen=True)
class IngestResult:
    name: str
    status: str  # added | present | failed
    reason: str | None = None
    doc_id: str | None = None
    records: int = 0


def _kind_row(r, doc_id: str) -> dict:
    base = {
        "record_id": r.record_id, "doc_id": doc_id, "sentence_no": r.sentence, "start_char": r.start,
        "end_char": r.end, "location": r.location, "theatre": r.theatre, "date": r.date,
        "date_precision": r.date_precision, "date_basis": r.date_basis, "span_start": r.span_start,
        "span_end": r.span_end, "unverified": r.unverified, "cue": r.cue,
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
                "doc_id": doc_id, "content_hash": d.content_hash, "name": d.name, "title": d.title,
                "published": ex.published, "published_precision": ex.published_precision,
                "published_basis": ex.published_basis, "source": d.source, "url": d.url, "origin": "extracted",
                "text": d.text, "n_sentences": len(ex.sentences), "extractor_version": __version__,
            }  # fmt: skip
        ],
        "sentences": [
            {"doc_id": doc_id, "sentence_no": s.index, "start_char": s.start, "end_char": s.end, "text": s.text}
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
                {"record_id": r.record_id, "position": pos, "actor": m["actor"], "side": m["side"],
                 "role": m["role"], "mention": m["text"]}  # fmt: skip
            )
        for theme in r.themes:
            tables["record_themes"].append({"record_id": r.record_id, "theme": theme})
        for s in {(s["actor"], s["stance"]) for s in r.sources}:
            tables["record_sources"].append({"record_id": r.record_id, "actor": s[0], "stance": s[1]})
    return tables


def insert_rows(con: duckdb.DuckDBPyConnection, tables: dict[str, list[dict]]) -> None:
    for table, rows in tables.items():
        if not rows:
            continue
        cols = list(rows[0])
        arrow = pa.Table.from_pylist(rows)
        con.register("_rows", arrow)
        try:
            collist = ", ".join(cols)
            con.execute(f"INSERT INTO {table} ({collist}) SELECT {collist} FROM _rows")  # noqa: S608 - fixed names
        finally:
            con.unregister("_rows")


def is_present(con: duckdb.DuckDBPyConnection, content_hash: str) -> bool:
    return con.execute("SELECT 1 FROM documents WHERE content_hash = ?", [content_hash]).fetchone() is not None


def store_extraction(con: duckdb.DuckDBPyConnection, ex: Extraction) -> int:
    """Insert one article and its records in one transaction. Returns the number of records."""
    tables = rows_for(ex)
    con.execute("BEGIN TRANSACTION")
    try:
        insert_rows(con, tables)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return len(ex.records)


def ingest_document(con: duckdb.DuckDBPyConnection, doc: Document) -> IngestResult:
    if is_present(con, doc.content_hash):
        return IngestResult(doc.name, "present", doc_id=doc.doc_id)
    ex = extract(doc)
    n = store_extraction(con, ex)
    return IngestResult(doc.name, "added", doc_id=doc.doc_id, records=n)


def ingest_paths(
    con: duckdb.DuckDBPyConnection,
    paths: Iterable[str | Path],
    *,
    published: str | None = None,
    progress: Callable[[int, int, str], None] | None = None,
) -> list[IngestResult]:
    """Ingest files and folders; one result per file, in order. Never raises for one bad file."""
    sync_vocabulary(con)
    files = iter_article_paths(paths)
    results = []
    for i, path in enumerate(files):
        if progress:
            progress(i, len(files), path.name)
        try:
            doc = read_document(path, published=published)
            results.append(ingest_document(con, doc))
        except ArticleError as exc:
            results.append(IngestResult(path.name, "failed", str(exc)))
        except (duckdb.Error, ValueError, KeyError, TypeError, IndexError) as exc:
            results.append(IngestResult(path.name, "failed", f"{path.name}: could not be stored ({exc})"))
    if progress:
        progress(len(files), len(files), "")
    if any(r.status == "added" for r in results):
        refresh_derived(con)
    return results


def check_upload(name: str, size: int, max_bytes: int | None = None) -> str | None:
    """Why an upload is refused before its bytes are read (type, size), or None. `name` is the given name."""
    shown = safe_name(name)
    max_bytes = max_article_bytes() if max_bytes is None else max_bytes
    suffix = Path(shown).suffix.lower()
    if suffix not in SUFFIXES:
        return f"{shown}: unsupported file type {suffix or '(none)'}; use .txt, .md or .html"
    if size > max_bytes:
        return (f"{shown}: {size / 2**20:.1f} MB is over the {max_bytes / 2**20:g} MB limit; "
                "split the file or raise DASHBOARD_MAX_ARTICLE_MB")  # fmt: skip
    return None


STATUS_LABELS = {"added": "added", "present": "already present", "failed": "failed"}


def _upload_parts(item) -> tuple[str, int, Callable[[], bytes]]:
    """(given name, size, read) of a (name, bytes) pair or an uploaded file (.name, .size, .getvalue())."""
    if isinstance(item, tuple):
        name, raw = item
        return str(name), len(raw), lambda: bytes(raw)
    return str(item.name), int(item.size), item.getvalue


def ingest_uploads(
    con: duckdb.DuckDBPyConnection,
    uploads: Iterable,
    *,
    progress: Callable[[int, int, str], None] | None = None,
    write_lock: AbstractContextManager | None = None,
    max_bytes: int | None = None,
) -> list[IngestResult]:
    """Ingest uploaded files, one result per file, in order. Each is a (name, bytes) pair or an object
    with .name, .size and .getvalue() (Streamlit's UploadedFile): too large a file is refused on its
    size, before its bytes are read.

    The same guarantees as `ingest_paths`: an article already stored is reported, not stored twice;
    each article goes in within its own transaction; a bad file gets its reason and the batch goes
    on. Nothing touches the disk under the given name, which is only ever shown (as its base name).
    `write_lock` is held around each article's check-and-store, so writers in one process queue.
    """
    uploads = list(uploads)
    lock = write_lock or nullcontext()
    with lock:
        sync_vocabulary(con)
    results = []
    for i, item in enumerate(uploads):
        given, size, read = _upload_parts(item)
        name = safe_name(given)
        if progress:
            progress(i, len(uploads), name)
        refused = check_upload(given, size, max_bytes)
        if refused:
            results.append(IngestResult(name, "failed", refused))
            continue
        try:
            doc = build_document(name, read())
            with lock:
                results.append(ingest_document(con, doc))
        except ArticleError as exc:
            results.append(IngestResult(name, "failed", str(exc)))
        except (duckdb.Error, ValueError, KeyError, TypeError, IndexError, RecursionError) as exc:
            results.append(IngestResult(name, "failed", f"{name}: could not be stored ({exc})"))
    if progress:
        progress(len(uploads), len(uploads), "")
    if any(r.status == "added" for r in results):
        with lock:
            refresh_derived(con)
    return results


def results_rows(results: list[IngestResult]) -> list[dict]:
    """The per-file table the upload page shows."""
    return [{"file": r.name, "status": STATUS_LABELS.get(r.status, r.status), "records": r.records,
             "reason": r.reason or "", "doc_id": r.doc_id or ""} for r in results]  # fmt: skip


def summary(results: list[IngestResult]) -> str:
    added = sum(r.status == "added" for r in results)
    present = sum(r.status == "present" for r in results)
    failed = [r for r in results if r.status == "failed"]
    records = sum(r.records for r in results)
    lines = [f"{added} added ({records} records), {present} already present, {len(failed)} failed"]
    lines += [f"  failed: {r.reason}" for r in failed]
    return "\n".join(lines)
