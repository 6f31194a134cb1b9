"""CSV export of the records view: ours (analytics.export.export) vs DuckDB's own COPY ... TO, each in a
fresh subprocess so its peak memory (VmHWM) belongs to that export alone."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

TARGET = 1.5  # ours at most 1.5x DuckDB's COPY
ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class ExportRun:
    engine: str  # ours | copy
    rows: int
    seconds: float
    peak_kb: int  # VmHWM of the exporting process
    before_kb: int  # VmHWM after opening the database, before the export
    csv_bytes: int


def vm_hwm_kb(pid: str | int = "self") -> int:
    """Peak resident set size of a process, from /proc (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def export_once(engine: str, db: Path, out: Path) -> ExportRun:
    """Run one export in a child process and read what it reports."""
    proc = subprocess.run([sys.executable, "-m", "bench.export", engine, str(db), str(out)], cwd=ROOT,
                          capture_output=True, text=True, check=True)  # fmt: skip
    r = json.loads(proc.stdout.strip().splitlines()[-1])
    return ExportRun(engine, r["rows"], r["seconds"], r["peak_kb"], r["before_kb"], r["csv_bytes"])


def _child(engine: str, db: str, out: str) -> None:
    import duckdb

    from analytics.export import export
    from analytics.filters import Filters

    con = duckdb.connect(db, read_only=True)
    con.execute("SET enable_progress_bar = false")
    before = vm_hwm_kb()
    started = time.perf_counter()
    if engine == "ours":
        rows = export(con, "records", Filters(), "csv", Path(out))
    else:
        target = out.replace("'", "''")
        rows = con.execute(
            f"COPY (SELECT * FROM records) TO '{target}' (FORMAT csv, HEADER true)"  # noqa: S608 - fixed names, quoted values
        ).fetchall()[0][0]  # noqa: S608
    seconds = time.perf_counter() - started
    print(json.dumps({"rows": rows, "seconds": seconds, "peak_kb": vm_hwm_kb(), "before_kb": before,
                      "csv_bytes": Path(out).stat().st_size}))  # fmt: skip


def run(dbs: dict[int, Path], out_dir: Path, runs: int = 3, log=print) -> dict[int, list[ExportRun]]:
    """For each size, `runs` alternating pairs (ours, copy); the CSV files are removed after each."""
    found: dict[int, list[ExportRun]] = {}
    for size, db in dbs.items():
        found[size] = []
        for _ in range(runs):
            for engine in ("ours", "copy"):
                out = out_dir / f"export-{engine}-{size}.csv"
                r = export_once(engine, db, out)
                out.unlink(missing_ok=True)
                found[size].append(r)
                log(
                    f"  export {size:,} events {engine}: {r.rows:,} rows {r.seconds:.2f} s peak {r.peak_kb / 1024:.0f} MiB"
                )
    return found


if __name__ == "__main__":
    _child(*sys.argv[1:4])
