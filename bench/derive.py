"""Derivation at scale: clustering events into incidents (blocked, never all pairs) and the incidents page query.

Runs `analytics.derive.derive` on a copy of each synthetic database (the copy keeps the shared
files unchanged) and times its parts; then times the queries an incidents listing runs at the
largest size. `python -m bench.derive 10000,100000,1000000` prints the section alone.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

import duckdb

from bench.timing import measure


def derive_timings(path: Path) -> dict:
    """Load, cluster and the whole derive (one transaction) on a copy of `path`."""
    from analytics.derive import derive, incidents
    from analytics.store import connect

    with tempfile.TemporaryDirectory(prefix="bench-derive-") as tmp:
        copy = Path(tmp) / path.name
        shutil.copyfile(path, copy)
        con = connect(copy)  # brings the synthetic file's schema up to date, derived tables included
        try:
            t0 = time.perf_counter()
            events = incidents.load_events(con)
            load_s = time.perf_counter() - t0
            summary = derive(con)  # loads again, clusters (timed apart in summary.cluster_seconds), writes
            query = page_query_timings(con)
        finally:
            con.close()
    return {"events": len(events), "incidents": summary.incidents, "load_s": load_s, "cluster_s": summary.cluster_seconds,
            "derive_s": summary.seconds, "commitments": summary.commitments, "contested": summary.contested,
            "query": query}  # fmt: skip


def page_query_timings(con: duckdb.DuckDBPyConnection) -> dict[str, float]:
    """Median seconds of what an incidents page asks: a page of rows, counts per month, a filtered export count."""
    from analytics.export import export_query
    from analytics.filters import Filters

    theatre = Filters(theatres=("Eastern front",))
    listing, params = export_query("incidents", theatre)
    queries = {
        "first page (200 rows, no filter)": (
            "SELECT * FROM incidents ORDER BY date DESC, incident_id LIMIT 200",
            [],
        ),
        "incidents per month (no filter)": (
            "SELECT date_trunc('month', date) AS m, count(*) FROM incidents GROUP BY ALL ORDER BY m",
            [],
        ),  # fmt: skip
        "first page, theatre filter": (f"{listing} LIMIT 200", params),
        "count, theatre filter": (f"SELECT count(*) FROM ({listing})", params),  # noqa: S608 - fixed text
    }
    return {name: measure(lambda q=q, p=p: con.execute(q, p).fetchall(), runs=5).median
            for name, (q, p) in queries.items()}  # fmt: skip


def derive_section(dbs: dict[int, Path], log) -> list[str]:
    out = ["## Counting once: incidents, aid ledger, contested claims", "",
           "`analytics.derive.derive` on a copy of each synthetic database: loading the event records, clustering",
           "them into incidents (blocked by type family and place, read in date order: each report is compared only",
           "with the incidents of its block whose dates can still reach it), and the whole derivation (incidents,",
           "aid ledger, contested pairs, one transaction). Near-linear means seconds per 100K events stay flat.", "",
           "| events | incidents | load s | cluster s | s per 100K events (cluster) | whole derive s | ledger rows "
           "| contested pairs |", "|---:|---:|---:|---:|---:|---:|---:|---:|"]  # fmt: skip
    results = {}
    for n in sorted(dbs):
        log(f"  derive at {n:,} events")
        r = derive_timings(dbs[n])
        results[n] = r
        out.append(f"| {r['events']:,} | {r['incidents']:,} | {r['load_s']:.2f} | {r['cluster_s']:.2f} | "
                   f"{r['cluster_s'] / max(r['events'], 1) * 1e5:.2f} | {r['derive_s']:.2f} | {r['commitments']:,} | "
                   f"{r['contested']:,} |")  # fmt: skip
        log("  " + out[-1] + f" page queries (s): {r['query']}")
    largest = max(results)
    out += ["", f"Incidents page queries at {largest:,} events (median of 5, ms):", "",
            "| query | ms |", "|---|---:|"]  # fmt: skip
    out += [f"| {name} | {s * 1e3:,.1f} |" for name, s in results[largest]["query"].items()]
    return out + [""]


if __name__ == "__main__":
    from bench import synth

    sizes = [int(s) for s in (sys.argv[1] if len(sys.argv) > 1 else "10000,100000").split(",")]
    built = {n: synth.build(n).path for n in sizes}
    print("\n".join(derive_section(built, print)))
