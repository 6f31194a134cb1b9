"""Query latency per page: our query layer vs the same SQL on DuckDB directly, vs pandas, vs SQLite."""

from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from analytics import queries
from bench import pages, pandas_pages, sqlite_pages
from bench.timing import Timing, measure, measure_pair

TARGETS = {"direct": 1.3, "pandas": 10.0, "sqlite": 5.0, "floor": 5.0}
# Seconds of timed runs per page and filter set. At 1M events a pass over every page and filter set takes
# minutes per engine, so slow cells get fewer runs: ours and direct at least 3 (alternating), pandas and
# SQLite at least 3, or a single run when one run alone exceeds the budget. The report gives n for each.
PAIR_BUDGET = 8.0
BUDGET = 4.0


@dataclass
class PageResult:
    page: str
    filters: str
    ours: Timing
    direct: Timing
    floor: Timing | None = None
    pandas: Timing | None = None
    sqlite: Timing | None = None
    queries: list = field(default_factory=list)  # (query-layer function, seconds) of each call, one run


def capture(con, page_fn, f) -> list[tuple[str, str, list]]:
    """The (function, SQL, parameters) of every query a page runs, taken from the query layer itself."""
    calls: list[tuple[str, str, list]] = []
    original = queries._frame

    def recording(c, query, params):
        frame = sys._getframe(1)
        while frame.f_code.co_name in ("_one", "_frame", "recording"):
            frame = frame.f_back
        calls.append((frame.f_code.co_name, query, list(params)))
        return original(c, query, params)

    queries._frame = recording
    try:
        page_fn(con, f)
    finally:
        queries._frame = original
    return calls


def run_direct(con, calls) -> None:
    for _, query, params in calls:
        con.sql(query, params=params).to_arrow_table()


def per_query(con, calls) -> list[tuple[str, float]]:
    out = []
    for name, query, params in calls:
        started = time.perf_counter()
        con.sql(query, params=params).to_arrow_table()
        out.append((name, time.perf_counter() - started))
    return out


def floor_sql(f) -> tuple[str, list]:
    """The engine's floor for a filter set: DuckDB counting the records that match it in one records
    table (record_facts: one row per record, its actors and themes as lists), a single scan."""
    from analytics.filters import where

    clause, params = where(f, flat=True)
    return f"SELECT count(*) FROM record_facts r WHERE {clause}", params  # noqa: S608 - the filters' own clause


def sqlite_copy(duck_path: Path) -> Path:
    """The SQLite copy of a synthetic database, rebuilt when the DuckDB file is newer."""
    path = duck_path.with_suffix(".sqlite")
    if not path.exists() or path.stat().st_mtime < duck_path.stat().st_mtime:
        con = duckdb.connect(str(duck_path), read_only=True)
        try:
            sqlite_pages.build(con, path.with_suffix(".sqlite.building"))
        finally:
            con.close()
        path.with_suffix(".sqlite.building").replace(path)
    return path


def run(
    duck_path: Path, engines=("pandas", "sqlite"), runs: int = 7, log=print
) -> tuple[list[PageResult], dict]:
    import sqlite3

    info: dict = {}
    # The layer stops reads after $DASHBOARD_QUERY_TIMEOUT s (10 by default). Here it gets an hour, so every
    # query runs to the end and is timed whole; the timer thread the limit starts is still part of ours.
    previous = os.environ.get("DASHBOARD_QUERY_TIMEOUT")
    os.environ["DASHBOARD_QUERY_TIMEOUT"] = "3600"
    con = duckdb.connect(str(duck_path), read_only=True)
    con.execute("SET enable_progress_bar = false")
    frames = lite = None
    if "pandas" in engines:
        started = time.perf_counter()
        frames = pandas_pages.load(con)
        info["pandas_load_s"] = time.perf_counter() - started
    if "sqlite" in engines:
        started = time.perf_counter()
        lite = sqlite3.connect(sqlite_copy(duck_path))
        info["sqlite_build_s"] = time.perf_counter() - started
        info["sqlite_bytes"] = duck_path.with_suffix(".sqlite").stat().st_size
    results = []
    try:
        for fname, f in pages.TYPICAL_FILTERS.items():
            for page, page_fn in pages.PAGES.items():
                calls = capture(con, page_fn, f)  # also ours' warm-up
                timings = per_query(con, calls)  # also direct's warm-up
                ours, direct = measure_pair(lambda: page_fn(con, f), lambda: run_direct(con, calls),  # noqa: B023
                                            runs, budget=PAIR_BUDGET)  # fmt: skip
                r = PageResult(page, fname, ours, direct, queries=timings)
                # The floor, measured beside the page in the same run (and with the same load).
                fq, fp = floor_sql(f)
                r.floor = measure(lambda: con.sql(fq, params=fp).fetchall(), runs)  # noqa: B023
                if frames is not None:
                    pfn = pandas_pages.PAGES[page]
                    r.pandas = measure(lambda: pfn(frames, f), runs, budget=BUDGET)  # noqa: B023
                if lite is not None:
                    sfn = sqlite_pages.PAGES[page]
                    r.sqlite = measure(lambda: sfn(lite, f), runs, budget=BUDGET)  # noqa: B023
                log(f"  {page:22} {fname:13} ours {r.ours.ms()} ms  direct {r.direct.ms()} ms  floor {r.floor.ms()} ms"
                    + (f"  pandas {r.pandas.ms()} ms" if r.pandas else "")
                    + (f"  sqlite {r.sqlite.ms()} ms" if r.sqlite else ""))  # fmt: skip
                results.append(r)
    finally:
        if previous is None:
            os.environ.pop("DASHBOARD_QUERY_TIMEOUT", None)
        else:
            os.environ["DASHBOARD_QUERY_TIMEOUT"] = previous
        con.close()
        if lite is not None:
            lite.close()
    return results, info
