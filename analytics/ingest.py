"""Adding articles to the database: idempotent, incremental and atomic per article.

An article is identified by the hash of its text, so the same article twice is stored once.
An article goes in whole or not at all: a failure leaves no partial rows and the batch goes on
with the next file. A bulk ingest (`ingest_paths`) writes its extracted articles WRITE_BATCH at a
time in one transaction (a write's fixed cost is most of one article's); when such a write fails,
its articles are written again one by one, so one bad article costs only itself.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from pathlib import Path

import duckdb

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
from analytics.derive import refresh as refresh_derived
from analytics.extract import Extraction, extract
from analytics.schemas import DataFileError
from analytics.search import refresh as refresh_search
from analytics.store import SEEDS_DIR, db_path, sync_vocabulary
from analytics.store.errors import DiskFull, PermissionDenied, ReadOnlyFileSystem, StoreError
from analytics.store.files import build_into
from analytics.store.writer import store_each, store_extraction

# Faults that every later article would meet too: the batch stops and says so once.
FATAL = (DiskFull, PermissionDenied, ReadOnlyFileSystem)

# Articles written per transaction by ingest_paths (bench/REPORT.md: per-article write cost).
WRITE_BATCH = 16

# What reading, extracting or storing one article can fail with, short of a data file's fault: the
# article fails, the batch goes on. Uploads and the cluster's workers also catch RecursionError.
ARTICLE_FAULTS = (duckdb.Error, ValueError, KeyError, TypeError, IndexError)


@dataclass(frozen=True)
class IngestResult:
    name: str
    status: str  # added | present | failed
    reason: str | None = None
    doc_id: str | None = None
    records: int = 0


def is_present(con: duckdb.DuckDBPyConnection, content_hash: str) -> bool:
    return (
        con.execute("SELECT 1 FROM documents WHERE content_hash = ?", [content_hash]).fetchone() is not None
    )


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
    results: list[IngestResult | None] = []
    # Extracted, not yet written: content hash -> (result slot, extraction); and the later files with
    # the same text as one of them, told once the first is written: (slot, name, doc_id, content hash).
    pending: dict[str, tuple[int, Extraction]] = {}
    twins: list[tuple[int, str, str, str]] = []
    stop: StoreError | None = None

    def write_pending() -> None:
        nonlocal stop
        hashes, batch = list(pending), list(pending.values())
        pending.clear()
        faults = store_each(con, [ex for _, ex in batch], (StoreError, *ARTICLE_FAULTS), stop_on=FATAL)
        for (slot, ex), fault in zip(batch, faults, strict=True):
            name = ex.document.name
            if fault is None:
                results[slot] = IngestResult(
                    name, "added", doc_id=ex.document.doc_id, records=len(ex.records)
                )
            elif fault is stop:
                results[slot] = IngestResult(name, "failed", f"{name}: not tried, {stop.label}")
            elif isinstance(fault, StoreError):
                results[slot] = IngestResult(name, "failed", f"{name}: {fault.message}")
                stop = fault if isinstance(fault, FATAL) else stop
            else:
                results[slot] = IngestResult(name, "failed", f"{name}: could not be stored ({fault})")
        slots = {h: slot for h, (slot, _) in zip(hashes, batch, strict=True)}
        for slot, name, doc_id, h in twins:
            first = results[slots[h]]
            results[slot] = (IngestResult(name, "present", doc_id=doc_id) if first.status == "added" else
                             IngestResult(name, "failed", f"{name}: the same text as {first.name}, which was not stored"))  # fmt: skip
        twins.clear()

    for i, path in enumerate(files):
        if progress:
            progress(i, len(files), path.name)
        if stop is not None:
            results.append(IngestResult(path.name, "failed", f"{path.name}: not tried, {stop.label}"))
            continue
        try:
            doc = read_document(path, published=published)
            if doc.content_hash in pending:
                twins.append((len(results), doc.name, doc.doc_id, doc.content_hash))
                results.append(None)
                continue
            if is_present(con, doc.content_hash):
                results.append(IngestResult(doc.name, "present", doc_id=doc.doc_id))
                continue
            pending[doc.content_hash] = (len(results), extract(doc))
            results.append(None)
        except ArticleError as exc:
            results.append(IngestResult(path.name, "failed", str(exc)))
        except StoreError as exc:
            results.append(IngestResult(path.name, "failed", f"{path.name}: {exc.message}"))
            if isinstance(exc, FATAL):
                stop = exc
        except DataFileError:  # a data file, not this article: every article would fail alike
            raise
        except ARTICLE_FAULTS as exc:
            results.append(IngestResult(path.name, "failed", f"{path.name}: could not be stored ({exc})"))
        if len(pending) >= WRITE_BATCH:
            write_pending()
    if pending:
        write_pending()
    if progress:
        progress(len(files), len(files), "")
    done = [r for r in results if r is not None]
    if any(r.status == "added" for r in done):
        refresh_derived(con)
        refresh_search(con)
    return done


def ensure_database(path: str | os.PathLike | None = None, progress=None) -> Path:
    """Build the database from seeds/ when it does not exist yet (aside, then renamed). Its path."""
    path = db_path(path)
    if not path.exists():
        build_into(path, lambda con: ingest_paths(con, [SEEDS_DIR], progress=progress))
    return path


def build_from_seeds(progress=None) -> Callable[[duckdb.DuckDBPyConnection], None]:
    """What `rebuild` fills a new database with: the articles of seeds/."""
    return lambda con: ingest_paths(con, [SEEDS_DIR], progress=progress)


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
    on_result: Callable[[int, IngestResult], None] | None = None,
) -> list[IngestResult]:
    """Ingest uploaded files, one result per file, in order. Each is a (name, bytes) pair or an object
    with .name, .size and .getvalue() (Streamlit's UploadedFile): too large a file is refused on its
    size, before its bytes are read.

    The same guarantees as `ingest_paths`: an article already stored is reported, not stored twice;
    each article goes in within its own transaction; a bad file gets its reason and the batch goes
    on. Nothing touches the disk under the given name, which is only ever shown (as its base name).
    `write_lock` is held around each article's check-and-store, so writers in one process queue.
    `on_result(i, result)` hears each file's outcome as soon as it is known (the upload journal).
    """
    uploads = list(uploads)
    lock = write_lock or nullcontext()
    with lock:
        sync_vocabulary(con)
    results: list[IngestResult] = []
    heard = 0  # how many results on_result has been told

    def tell() -> None:
        nonlocal heard
        while on_result and heard < len(results):
            on_result(heard, results[heard])
            heard += 1

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
        except StoreError as exc:
            results.append(IngestResult(name, "failed", f"{name}: {exc.message}"))
            if isinstance(exc, FATAL):
                results += [IngestResult(safe_name(_upload_parts(u)[0]), "failed",
                                         f"{safe_name(_upload_parts(u)[0])}: not tried, {exc.label}")
                            for u in uploads[i + 1 :]]  # fmt: skip
                break
        except DataFileError:  # a data file, not this upload: every upload would fail alike
            raise
        except (*ARTICLE_FAULTS, RecursionError) as exc:
            results.append(IngestResult(name, "failed", f"{name}: could not be stored ({exc})"))
        finally:
            tell()
    tell()  # a file refused on its size skips the finally
    if progress:
        progress(len(uploads), len(uploads), "")
    if any(r.status == "added" for r in results):
        with lock:
            refresh_derived(con)
            refresh_search(con)
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
