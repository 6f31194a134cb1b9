"""What a snapshot for read-only dashboards costs on one database: the writer's publish (CHECKPOINT then
a byte copy), a reader's own copy (COPY FROM DATABASE), opening a snapshot, and a reader's check.

    .venv/bin/python -m bench.snapshots --db data/dashboard.duckdb [--runs 3]

Works on a copy of the file in a temporary folder beside it, so the database itself is never touched.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from analytics.store import open_database, snapshots


def _median(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def measure(db: Path, runs: int = 3) -> dict[str, float]:
    with tempfile.TemporaryDirectory(dir=db.parent, prefix=".snapshot-bench-") as tmp:
        copy = Path(tmp) / db.name
        shutil.copyfile(db, copy)
        out: dict[str, float] = {"size_mb": copy.stat().st_size / 2**20}
        n = 0

        def write_then_publish():
            nonlocal n
            n += 1
            con.execute("INSERT OR REPLACE INTO meta VALUES ('snapshot-bench', ?)", [str(n)])
            snapshots.publish(con, copy, "bench")

        con = open_database(copy)
        try:
            out["publish_s"] = _median(write_then_publish, runs)  # a small write, then checkpoint + copy
            out["publish_unchanged_s"] = _median(lambda: snapshots.publish(con, copy, "bench"), runs)
        finally:
            con.close()

        def from_file():
            shutil.rmtree(Path(tmp) / "snapshots")
            snapshots.publish_from_file(copy, "bench")

        out["publish_from_file_s"] = _median(from_file, runs)
        snap = snapshots.newest(copy)
        out["open_snapshot_s"] = _median(lambda: snapshots.open_snapshot(snap).close(), runs)
        out["reader_check_ms"] = _median(lambda: snapshots.newest_version(copy), max(runs, 100)) * 1000
        return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.snapshots", description=__doc__.splitlines()[0])
    ap.add_argument("--db", required=True, help="the database to measure (copied, never touched)")
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args(argv)
    for key, value in measure(Path(args.db), args.runs).items():
        print(f"{key:22} {value:10.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
