"""Ingest on a Dask cluster: reading, parsing and extraction run as tasks on the workers, each batch
is written to the Parquet dataset (`analytics.dataset`), then the database loads that dataset.

The guarantees are those of `analytics.ingest.ingest_paths`, kept in three steps:

1. Every worker reads and hashes a share of the files (cheap). Here the hashes meet the database
   and the dataset in DuckDB: an article either already holds, or that an earlier file of this run
   has, is reported as present and never parsed again.
2. The new articles, in file order, are cut into batches; a worker reads, parses and extracts each
   article of its batch, stores it with the one writer into its in-memory staging database, and
   writes the batch to the dataset, whole or not at all. A file that cannot be read or extracted
   fails with its reason and the batch goes on; a batch that cannot be written fails its articles.
3. The database loads every article of the dataset it lacks, a batch per transaction, then derives.

The statistical pipeline is the expensive part of a worker's start, so a worker plugin loads it
(and the vocabularies) once per worker process, when the worker joins; tasks reuse it.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import re
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa
from distributed import Client, LocalCluster, as_completed
from distributed.diagnostics.plugin import WorkerPlugin

from analytics import dataset
from analytics.corpus import ArticleError, iter_article_paths, read_document, safe_name
from analytics.ingest import ARTICLE_FAULTS, IngestResult
from analytics.store.errors import StoreError

# Articles per extraction task and per Parquet batch. Small enough that two workers share a few hundred
# articles evenly, large enough that a task's overhead (~ms) is nothing beside its parses (~0.1 s each).
BATCH_SIZE = 32
# Files per read-and-hash task: reading is ~1 ms a file, so these tasks are cheap and few.
HASH_CHUNK = 256
LOCAL = re.compile(r"local(?::(\d+))?")
PACKAGE = Path(__file__).resolve().parent


class ClusterError(RuntimeError):
    """The cluster cannot run this ingest; the message says what is wrong and what to do."""


@dataclass(frozen=True)
class ClusterIngest:
    results: list[IngestResult]  # one per file, in file order, as ingest_paths gives them
    batches: int  # batches written to the dataset by this run
    loaded: dataset.LoadResult  # what the database took from the dataset
    workers: int
    seconds: dict[str, float]  # wall time of each step: read (and hash), extract (and write), load, derive


def local_workers(address: str) -> int | None:
    """How many workers `local` / `local:N` asks for (one per core for `local`); None for a scheduler address."""
    m = LOCAL.fullmatch(address.strip())
    if not m:
        return None
    n = int(m.group(1) or os.cpu_count() or 1)
    if n < 1:
        raise ClusterError(
            f"{address}: a local cluster needs at least one worker; use local or local:N with N >= 1"
        )
    return n


@contextmanager
def client_for(address: str) -> Iterator:
    """A Dask client. `local` starts a LocalCluster of one worker process per core, `local:N` of N
    (one thread each: the parse holds the GIL), stopped with every process on leaving the block;
    anything else is the address of a running scheduler (`tcp://host:8786`)."""
    n = local_workers(address)
    if n is not None:
        # No web dashboard (it wants bokeh and a fixed port); the scheduler takes a free port.
        with LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=None,
                          silence_logs=logging.ERROR) as cluster, Client(cluster) as client:  # fmt: skip
            yield client
        return
    try:
        client = Client(address, timeout="15s")
    except (OSError, TimeoutError, ValueError) as exc:
        raise ClusterError(f"no Dask scheduler answers at {address} ({exc}); start one (`dask scheduler`, then "
                           "`dask worker ADDRESS` per machine) or use --cluster local") from exc  # fmt: skip
    with client:
        yield client


@functools.cache
def code_fingerprint() -> str:
    """Hash of the extraction's code and data files: a worker whose copy differs would extract other records."""
    h = hashlib.sha256()
    for path in sorted(PACKAGE.rglob("*")):
        if path.suffix in (".py", ".yaml", ".sql") and "__pycache__" not in path.parts:
            h.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()[:16]


def warm() -> dict:
    """Load the pipeline and the vocabularies into this worker process (cached for its life)."""
    from analytics.extract.cues import load_cues
    from analytics.extract.lexicon import load_lexicon
    from analytics.extract.mentions import finder
    from analytics.extract.parse import pipeline
    from analytics.vocab import load_vocabulary

    nlp = pipeline()
    finder(load_vocabulary())
    load_cues()
    load_lexicon()
    return {
        "code": code_fingerprint(),
        "pipeline": f"{nlp.meta['name']} {nlp.meta['version']}",
        "pid": os.getpid(),
    }


class ExtractorPlugin(WorkerPlugin):
    """Runs on each worker as it joins, before its first task: the parse pipeline is loaded once."""

    name = "analytics-extractor"

    def setup(self, worker):
        warm()


def prepare(client) -> dict:
    """Load the pipeline on every worker, once, and check they run this code. {worker: what it loaded}."""
    if not client.scheduler_info(n_workers=-1)["workers"]:
        raise ClusterError("the cluster has no workers; start some (`dask worker ADDRESS`) and run again")
    try:
        client.register_plugin(ExtractorPlugin())
        info = client.run(warm)
    except Exception as exc:  # a worker's own error, e.g. the pipeline not installed there
        raise ClusterError(f"a worker could not load the extractor: {exc}") from exc
    ours = code_fingerprint()
    wrong = sorted(w for w, i in info.items() if i["code"] != ours)
    if wrong:
        raise ClusterError(f"workers {', '.join(wrong)} run other extraction code than this machine "
                           f"({ours}); install the same version on every worker")  # fmt: skip
    return info


# ---------------------------------------------------------------------------------------------
# Tasks: run on the workers


def read_hashes(
    items: list[tuple[int, str]], published: str | None
) -> list[tuple[int, str | None, str | None]]:
    """(index, content hash, None) for each file read, (index, None, reason) for each that cannot be."""
    out: list[tuple[int, str | None, str | None]] = []
    for i, path in items:
        try:
            out.append((i, read_document(Path(path), published=published).content_hash, None))
        except ArticleError as exc:
            out.append((i, None, str(exc)))
    return out


_local = threading.local()


def _staging() -> duckdb.DuckDBPyConnection:
    """This thread's in-memory database of the real schema (a DuckDB connection is not shared across threads)."""
    con = getattr(_local, "con", None)
    if con is None:
        con = _local.con = dataset.staging()
    return con


def extract_batch(items: list[tuple[int, str, str]], published: str | None, root: str) -> list[tuple]:
    """Read, parse and extract each (index, path, content hash), and write them as one batch of the
    dataset at `root`. One (index, name, status, reason, doc_id, records) per item."""
    from analytics.extract import extract
    from analytics.store.writer import store_each

    con = _staging()
    dataset.clear(con)
    out: list[tuple] = []
    faults = (*ARTICLE_FAULTS, RecursionError)
    try:
        extracted = []  # (index, name, extraction), written together below
        for i, path, expected in items:
            name = safe_name(Path(path).name)
            try:
                doc = read_document(Path(path), published=published)
                if doc.content_hash != expected:
                    out.append((i, name, "failed", f"{name}: the file changed while it was being ingested; "
                                "ingest it again", None, 0))  # fmt: skip
                    continue
                extracted.append((i, name, extract(doc)))
            except ArticleError as exc:
                out.append((i, name, "failed", str(exc), None, 0))
            except faults as exc:
                out.append((i, name, "failed", f"{name}: could not be stored ({exc})", None, 0))
        stored = store_each(con, [ex for _, _, ex in extracted], (StoreError, *faults))
        for (i, name, ex), fault in zip(extracted, stored, strict=True):
            if fault is None:
                out.append((i, name, "added", None, ex.document.doc_id, len(ex.records)))
            elif isinstance(fault, StoreError):
                out.append((i, name, "failed", f"{name}: {fault.message}", None, 0))
            else:
                out.append((i, name, "failed", f"{name}: could not be stored ({fault})", None, 0))
        out.sort(key=lambda row: row[0])
        try:
            dataset.write_batch(con, root)
        except OSError as exc:
            why = f"could not be written to the dataset {root} ({exc.strerror or exc}); nothing of its batch was kept"
            out = [(i, name, "failed", f"{name}: {why}", None, 0) if status == "added" else (i, name, status, reason,
                   doc_id, n) for i, name, status, reason, doc_id, n in out]  # fmt: skip
    finally:
        dataset.clear(con)
    return out


# ---------------------------------------------------------------------------------------------
# The driver


def _new_articles(con: duckdb.DuckDBPyConnection, root: Path, hashed: dict[int, str]) -> list[int]:
    """Indexes of the files whose text neither the database, the dataset nor an earlier file of this
    run holds: asked of DuckDB, since the database and the dataset may hold millions."""
    listed = [h for b in dataset.batches(root) for h in b.articles]
    run = pa.table({"i": list(hashed), "content_hash": list(hashed.values())})
    con.execute("SELECT 1").fetchall()  # register() refuses while a result is unread
    con.register("_run_hashes", run)
    con.register("_dataset_hashes", pa.table({"content_hash": pa.array(listed, pa.string())}))
    try:
        rows = con.execute("""
            SELECT i FROM _run_hashes
            ANTI JOIN documents USING (content_hash)
            ANTI JOIN _dataset_hashes USING (content_hash)
            QUALIFY row_number() OVER (PARTITION BY content_hash ORDER BY i) = 1
            ORDER BY i""").fetchall()
    finally:
        con.unregister("_run_hashes")
        con.unregister("_dataset_hashes")
    return [i for (i,) in rows]


def ingest_on_cluster(
    con: duckdb.DuckDBPyConnection,
    paths: Iterable[str | Path],
    client,
    root: str | os.PathLike,
    *,
    published: str | None = None,
    batch_size: int = BATCH_SIZE,
    progress: Callable[[int, int, str], None] | None = None,
) -> ClusterIngest:
    """Ingest files and folders through the cluster `client` into the dataset at `root`, then load the
    dataset into `con`'s database. One result per file, in order; never raises for one bad file."""
    from analytics.derive import refresh as refresh_derived
    from analytics.store import sync_vocabulary

    root = Path(root).resolve()
    try:
        root.mkdir(parents=True, exist_ok=True)
        dataset.remove_orphans(root)
    except OSError as exc:
        raise ClusterError(f"the dataset folder {root} cannot be used ({exc.strerror or exc}); "
                           "choose another with --dataset") from exc  # fmt: skip
    info = prepare(client)
    sync_vocabulary(con)
    # Workers read the files themselves: absolute paths, the same on every machine (a shared folder).
    files = [p.resolve() for p in iter_article_paths(paths)]
    names = [safe_name(p.name) for p in files]
    results: dict[int, IngestResult] = {}
    hashed: dict[int, str] = {}

    seconds: dict[str, float] = {}
    started = time.perf_counter()
    indexed = [(i, str(p)) for i, p in enumerate(files)]
    chunks = [indexed[k : k + HASH_CHUNK] for k in range(0, len(indexed), HASH_CHUNK)]
    reads = client.map(read_hashes, chunks, published=published, pure=False)
    chunk_of = {f.key: c for f, c in zip(reads, chunks, strict=True)}
    for fut in as_completed(reads):
        try:
            rows = fut.result()
        except Exception as exc:  # the task itself failed (a worker lost): none of its files was read
            rows = [(i, None, f"{names[i]}: could not be read on the cluster ({type(exc).__name__}: {exc}); "
                     "ingest again") for i, _ in chunk_of[fut.key]]  # fmt: skip
        for i, content_hash, reason in rows:
            if content_hash is None:
                results[i] = IngestResult(names[i], "failed", reason)
            else:
                hashed[i] = content_hash

    new = _new_articles(con, root, hashed)
    seconds["read"] = time.perf_counter() - started
    for i in set(hashed) - set(new):
        results[i] = IngestResult(names[i], "present", doc_id=hashed[i][:16])
    groups = [
        [(i, str(files[i]), hashed[i]) for i in new[k : k + batch_size]]
        for k in range(0, len(new), batch_size)
    ]
    futures = client.map(extract_batch, groups, published=published, root=str(root), pure=False)
    group_of = {f.key: g for f, g in zip(futures, groups, strict=True)}
    done = written = 0
    if progress:
        progress(0, len(new), "")
    for fut in as_completed(futures):
        group = group_of[fut.key]
        try:
            rows = fut.result()
        except Exception as exc:  # the task itself failed (a worker lost, a bug): its whole batch did
            rows = [(i, names[i], "failed", f"{names[i]}: its batch failed on the cluster ({type(exc).__name__}: "
                     f"{exc}); ingest again", None, 0) for i, _, _ in group]  # fmt: skip
        for i, name, status, reason, doc_id, n in rows:
            results[i] = IngestResult(name, status, reason, doc_id=doc_id, records=n)
        written += any(r[2] == "added" for r in rows)
        done += len(group)
        if progress:
            progress(done, len(new), names[group[-1][0]])
    seconds["extract"] = time.perf_counter() - started - seconds["read"]
    loaded = dataset.load(con, root)
    seconds["load"] = time.perf_counter() - started - seconds["read"] - seconds["extract"]
    if loaded.articles:
        refresh_derived(con)
    seconds["derive"] = time.perf_counter() - started - sum(seconds.values())
    return ClusterIngest([results[i] for i in range(len(files))], written, loaded, len(info), seconds)
