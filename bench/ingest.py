"""Ingest of the shared corpus: our ingest_paths into a fresh database vs spaCy's blank English tokenizer plus
sentencizer over the same files (both read the files inside the timing)."""
from __future__ import annotations

import shutil
import statistics
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from analytics.corpus import iter_article_paths, read_document
from analytics.ingest import ingest_paths
from analytics.store import connect

TARGET = 5.0  # ours at most 5x the spaCy baseline
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "news-2022-2024"


@dataclass(frozen=True)
class IngestResult:
    articles: int
    added: int
    records: int
    ours: list[float]
    spacy: list[float]


def _ours(corpus: Path) -> tuple[float, int, int]:
    tmp = Path(tempfile.mkdtemp(prefix="bench-ingest-"))
    try:
        started = time.perf_counter()
        con = connect(tmp / "ingest.duckdb")
        results = ingest_paths(con, [corpus])
        con.close()  # the writes are on disk when close returns
        elapsed = time.perf_counter() - started
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return elapsed, sum(r.status == "added" for r in results), sum(r.records for r in results)


def _warm_ours(path: Path) -> None:
    """One article into a throw-away database: loads the vocabularies and compiles the cue patterns."""
    tmp = Path(tempfile.mkdtemp(prefix="bench-ingest-"))
    try:
        con = connect(tmp / "warm.duckdb")
        ingest_paths(con, [path])
        con.close()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _spacy(nlp, paths) -> float:
    started = time.perf_counter()
    texts = [read_document(p).text for p in paths]
    for doc in nlp.pipe(texts):
        list(doc.sents)
    return time.perf_counter() - started


def run(corpus: Path = CORPUS, runs: int = 3, log=print) -> IngestResult | None:
    if not corpus.exists():
        return None
    import spacy

    paths = iter_article_paths([corpus])
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    _spacy(nlp, paths)  # warm-up: vocabulary and pipeline caches
    _warm_ours(paths[0])
    ours, spacy_times, added, records = [], [], 0, 0
    for _ in range(runs):  # alternate, so other load on the machine falls on both
        elapsed, added, records = _ours(corpus)
        ours.append(elapsed)
        spacy_times.append(_spacy(nlp, paths))
        log(f"  ingest {elapsed:.1f} s, spaCy {spacy_times[-1]:.2f} s")
    return IngestResult(len(paths), added, records, ours, spacy_times)


def median(values: list[float]) -> float:
    return statistics.median(values)
