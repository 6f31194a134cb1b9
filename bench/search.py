# ruff: noqa: S608 - SQL here interpolates only module constants and integers, never input
"""Search at scale: building the SQLite FTS5 index (analytics/search.py) and querying it at ~1.5M sentences.

The synthetic database's sentences are six templates, which would make every posting list
either empty or everything. So a copy of it gets real sentences: those of the 437-article
corpus (../shared), drawn by a seeded hash for each (doc_id, sentence_no), so words occur as
often as in news. Records, their links and the filters stay the synthetic ones. Without the
corpus the templates are kept and the report says so.
"""

from __future__ import annotations

import shutil
import statistics
import time
from pathlib import Path

from analytics import search
from analytics.filters import Filters
from analytics.store import connect

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpora" / "news-2022-2024"
QUERIES = [  # (what it exercises, the analyst's text)
    ("common word", "Russia"),
    ("place", "Bakhmut"),
    ("two words", "Wagner Bakhmut"),
    ("phrase", '"Black Sea"'),
    ("prefix", "sanction*"),
    ("OR", "Kyiv OR Kiev"),
    ("exclusion", "drones -Iran"),
]
FILTERED = Filters(actors=("Russia",), kinds=("event",))


def _real_sentences() -> list[str]:
    from analytics.corpus import iter_article_paths, read_document
    from analytics.sentences import split

    out: list[str] = []
    for path in iter_article_paths([CORPUS]):
        doc = read_document(path)
        out += [s.text for s in split(doc.text) if len(s.text.split()) >= 3]
    return out


def prepare(source: Path, work: Path, log) -> tuple[int, str]:
    """A copy of the synthetic database with real sentence texts; (sentences, what text they hold)."""
    for p in (work, search.index_path(work)):
        p.unlink(missing_ok=True)
    shutil.copyfile(source, work)
    con = connect(work)
    try:
        if CORPUS.exists():
            t0 = time.perf_counter()
            pool = _real_sentences()
            con.execute("CREATE TEMP TABLE pool AS SELECT unnest(?::VARCHAR[]) AS text", [pool])
            con.execute("CREATE TEMP TABLE pool_i AS SELECT row_number() OVER () - 1 AS i, text FROM pool")
            con.execute(f"""UPDATE sentences SET text = p.text FROM pool_i p
                            WHERE p.i = hash(sentences.doc_id, sentences.sentence_no, 20220224) % {len(pool)}""")
            what = f"{len(pool):,} real sentences of the corpus, drawn by a seeded hash"
            log(f"  sentences replaced with real ones in {time.perf_counter() - t0:.1f} s")
        else:
            what = "the synthetic templates (the corpus is absent: posting lists are unrealistic)"
        n = con.execute("SELECT count(*) FROM sentences").fetchone()[0]
    finally:
        con.close()
    return n, what


def _median(fn, runs: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


def run(source: Path, out_dir: Path, log, runs: int = 5) -> dict:
    import os

    # The layer stops a read after $DASHBOARD_QUERY_TIMEOUT s; here every query is timed whole.
    os.environ["DASHBOARD_QUERY_TIMEOUT"] = "3600"
    work = out_dir / "search-bench.duckdb"
    n_sentences, what = prepare(source, work, log)
    con = connect(work)
    try:
        log("  building the index from empty")
        t0 = time.perf_counter()
        built = search.sync(con)
        build_s = time.perf_counter() - t0
        index_bytes = search.index_path(work).stat().st_size
        check_s, _ = _median(lambda: search.sync(con), runs)
        # One new article (25 sentences) and its removal: what an upload or a deletion costs.
        doc = "feedfacefeedface"
        con.execute("""INSERT INTO documents (doc_id, content_hash, name, title, origin, text, n_sentences)
                       VALUES (?, ?, 'bench-added.txt', 'Bench', 'synthetic', 'x', 25)""",
                    [doc, doc + "0" * 48])  # fmt: skip
        con.execute("""INSERT INTO sentences SELECT ?, i, 0, 1, 'Drones struck a depot near Bakhmut, officials said.'
                       FROM range(25) t(i)""", [doc])  # fmt: skip
        add_s, _ = _median(lambda: search.sync(con), 1)
        con.execute("DELETE FROM sentences WHERE doc_id = ?", [doc])
        con.execute("DELETE FROM documents WHERE doc_id = ?", [doc])
        remove_s, _ = _median(lambda: search.sync(con), 1)
        rows = []
        for label, text in QUERIES:
            log(f"  query {text}")
            hits_s, hits = _median(lambda t=text: search.sentence_hits(con, t), runs)
            cells = [label, f"`{text}`", f"{hits.total:,}" + ("" if hits.ranked else " (unranked)"), hits_s]
            for f in (Filters(), FILTERED):

                def page(f=f, hits=hits):
                    return search.count(con, "records", hits, f), search.page(con, "records", hits, f, 200, 0)

                page_s, (total, _) = _median(page, runs)
                cells += [total, page_s]
            rows.append(cells)
    finally:
        con.close()
    return {"sentences": n_sentences, "text": what, "build_s": build_s, "built": built, "index_bytes": index_bytes,
            "check_s": check_s, "add_s": add_s, "remove_s": remove_s, "rows": rows, "runs": runs}  # fmt: skip


def search_section(info, out_dir: Path, log) -> list[str]:
    log(f"search at {info.counts['sentences']:,} sentences")
    r = run(info.path, out_dir, log)
    ms = lambda s: f"{s * 1e3:,.1f}"  # noqa: E731
    out = [f"## Search at {r['sentences']:,} sentences", "",
           "SQLite FTS5 (Python's own sqlite3, porter stemmer over unicode61) in a file beside the database, as "
           f"analytics/search.py keeps it (bench/search.py). The synthetic database of {info.events:,} events, its "
           f"sentences replaced by {r['text']}; records and filters as synthesised. Times are medians of "
           f"{r['runs']} runs unless said.", "",
           "| step | time | note |", "|---|---:|---|",
           f"| build the index from empty | {r['build_s']:,.1f} s | {r['built'].sentences:,} sentences, index file "
           f"{r['index_bytes'] / 1e6:,.0f} MB |",
           f"| stamp check, nothing to do (before every search) | {ms(r['check_s'])} ms | count and XOR of the "
           "articles' hashes in DuckDB |",
           f"| one article added (25 sentences) | {ms(r['add_s'])} ms | one run; diff of article ids, then the "
           "new sentences |",
           f"| that article removed | {ms(r['remove_s'])} ms | one run |", "",
           "Queries: `hits` is the ranked sentence search (the best "
           f"{search.MAX_HITS:,} sentences, stamp check and highlighting included; past {search.RANK_LIMIT:,} matching "
           "sentences the first ones are taken unranked, which the page says); `records` counts and fetches the first page of "
           "200 records whose sentence matched, in DuckDB, without filters and with actor Russia + kind event.", "",
           "| query | text | sentences | hits ms | records | records ms | records (filtered) | filtered ms |",
           "|---|---|---:|---:|---:|---:|---:|---:|"]  # fmt: skip
    for label, text, n, hits_s, total, page_s, ftotal, fpage_s in r["rows"]:
        out.append(f"| {label} | {text} | {n} | {ms(hits_s)} | {total:,} | {ms(page_s)} | {ftotal:,} | "
                   f"{ms(fpage_s)} |")  # fmt: skip
    return out + [""]


def main() -> None:  # python -m bench.search: this section alone, printed
    from bench import synth

    info = synth.build(1_000_000)
    print("\n".join(search_section(info, synth.OUT_DIR, lambda m: print(m, flush=True))))


if __name__ == "__main__":
    main()
