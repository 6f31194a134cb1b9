"""Ingest of the shared corpus: our ingest_paths into a fresh database vs `nlp.pipe` of the same statistical
pipeline over the same texts (the parse extraction needs), and vs spaCy's blank tokenizer plus sentencizer
(the floor of reading and splitting). Every side reads the files inside its timing."""

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

TARGET = 1.5  # ours at most 1.5x the parse of the same texts by the same pipeline
PREVIOUS_ROUND_S = 12.0  # the cue-only extractor before the parse (bench/REPORT.md of that round)
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "news-2022-2024"


@dataclass(frozen=True)
class IngestResult:
    articles: int
    added: int
    records: int
    ours: list[float]
    spacy: list[float]
    parse: list[float]


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


def _parse(nlp, paths) -> float:
    started = time.perf_counter()
    texts = [read_document(p).text for p in paths]
    for doc in nlp.pipe(texts, batch_size=32):
        len(doc)
    return time.perf_counter() - started


def run(corpus: Path = CORPUS, runs: int = 3, log=print) -> IngestResult | None:
    if not corpus.exists():
        return None
    import spacy

    from analytics.extract.parse import pipeline

    paths = iter_article_paths([corpus])
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    parser = pipeline()
    _spacy(nlp, paths)  # warm-up: vocabulary and pipeline caches
    _parse(parser, paths[:5])
    _warm_ours(paths[0])
    ours, spacy_times, parse_times, added, records = [], [], [], 0, 0
    for _ in range(runs):  # alternate, so other load on the machine falls on every side
        elapsed, added, records = _ours(corpus)
        ours.append(elapsed)
        parse_times.append(_parse(parser, paths))
        spacy_times.append(_spacy(nlp, paths))
        log(f"  ingest {elapsed:.1f} s, parse {parse_times[-1]:.1f} s, spaCy blank {spacy_times[-1]:.2f} s")
    return IngestResult(len(paths), added, records, ours, spacy_times, parse_times)


def median(values: list[float]) -> float:
    return statistics.median(values)
