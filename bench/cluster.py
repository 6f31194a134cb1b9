"""Ingest of the shared corpus on a Dask LocalCluster of 1 and 2 workers vs today's single process: articles/s.

    python -m bench.cluster [--runs N]    measure, and write the section into bench/REPORT.md in place
    python -m bench.cluster --synthetic 20000 --runs 1
                                          the same on 20,000 articles made from the corpus (`synthetic`)

`python -m bench` runs it too, as its `cluster` section. Every configuration runs in a fresh process
(`--one CONFIG`), so each pays its own start: interpreter, imports, the parse pipeline (per worker),
the cluster. The configurations alternate run by run, so load from other users of the machine falls
on each. CPU time is the whole process tree's (workers included, from getrusage of the children);
other processes' CPU use over the same wall time comes from the machine's counters, and is what the
report gives as the load it was measured under.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "news-2022-2024"
CONFIGS = ("single", "local:1", "local:2")
ROOT = Path(__file__).resolve().parents[1]
HEADING = "## Ingest on a cluster"
SYNTHETIC_HEADING = "## Ingest on a cluster: a synthetic corpus"


def synthetic_corpus(n: int, out: Path, corpus: Path = CORPUS, seed: int = 7) -> Path:
    """`n` distinct articles made from the real corpus's paragraphs, written under `out`.

    Article k takes corpus article k mod N with its paragraphs shuffled (seeded) and one paragraph of
    another article added, so every text is new (a new content hash: nothing is skipped as already
    stored) while its sentences, lengths and wording are real news. Each file keeps its source's
    name prefix (publication time and country), so dates resolve as they do for the corpus.
    """
    import hashlib
    import random

    from analytics.corpus import SUFFIXES

    sources = sorted(f for f in corpus.iterdir() if f.suffix.lower() in SUFFIXES)
    paragraphs = [[p for p in f.read_text(encoding="utf-8").split("\n\n") if p.strip()] for f in sources]
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    seen: set[str] = set()
    made = 0
    while made < n:
        i = made % len(sources)
        body = list(paragraphs[i])
        rng.shuffle(body)
        other = paragraphs[rng.randrange(len(sources))]
        body.insert(rng.randrange(len(body) + 1), rng.choice(other) if other else "")
        text = "\n\n".join(body).strip() + "\n"
        digest = hashlib.sha256(text.encode()).hexdigest()
        if digest in seen:
            continue
        seen.add(digest)
        prefix = "_".join(sources[i].stem.split("_")[:3])
        (out / f"{prefix}_{digest[:10]}{sources[i].suffix}").write_text(text, encoding="utf-8")
        made += 1
    return out


def _size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def _tree_cpu_s() -> float:
    """CPU seconds used so far by this process and its live children (the cluster's workers)."""
    me = psutil.Process()
    total = 0.0
    for p in [me, *me.children(recursive=True)]:
        try:
            t = p.cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += t.user + t.system
    return total


def _rss_mb() -> float:
    return psutil.Process().memory_info().rss / 2**20


def one(config: str, corpus: Path, work: Path) -> dict:
    """One ingest of `corpus` into a fresh database under `work`; what it took, step by step."""
    started = time.perf_counter()
    from analytics.store import connect

    db = work / "ingest.duckdb"
    if config == "single":
        from analytics.cluster import warm
        from analytics.ingest import ingest_paths

        warm()  # what the first article would load anyway: timed as start-up, apart from the ingest
        ready, cpu = time.perf_counter(), _tree_cpu_s()
        con = connect(db)
        results = ingest_paths(con, [corpus])
        con.close()
        done, cpu = time.perf_counter(), _tree_cpu_s() - cpu
        steps, workers, stopped, rss = {}, 0, done, _rss_mb()
    else:
        from analytics.cluster import client_for, ingest_on_cluster, prepare

        with client_for(config) as client:
            workers = len(prepare(client))  # each worker loads the pipeline here, once
            ready, cpu = time.perf_counter(), _tree_cpu_s()
            con = connect(db)
            out = ingest_on_cluster(con, [corpus], client, work / "dataset")
            con.close()
            done, cpu = time.perf_counter(), _tree_cpu_s() - cpu
            rss = max(client.run(_rss_mb).values())
        stopped = time.perf_counter()
        results, steps = out.results, out.seconds
    return {
        "config": config, "workers": workers, "files": len(results),
        "added": sum(r.status == "added" for r in results), "records": sum(r.records for r in results),
        "failed": sum(r.status == "failed" for r in results), "start_s": ready - started, "ingest_s": done - ready,
        "stop_s": stopped - done, "ingest_cpu_s": cpu, "rss_mb": rss, "steps": steps, "db_bytes": _size(db),
        "dataset_bytes": _size(work / "dataset") if (work / "dataset").exists() else 0,
    }  # fmt: skip


def _busy_cpu_s() -> float:
    t = psutil.cpu_times()
    return sum(t) - t.idle - getattr(t, "iowait", 0.0)


def measure(config: str, corpus: Path) -> dict:
    """Run `one` in a fresh process; add its wall time, its tree's CPU time and everyone else's."""
    work = Path(tempfile.mkdtemp(prefix="bench-cluster-"))
    try:
        load_before = os.getloadavg()
        ru = resource.getrusage(resource.RUSAGE_CHILDREN)
        busy = _busy_cpu_s()
        started = time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", "bench.cluster", "--one", config, "--corpus", str(corpus),
                               "--work", str(work)], capture_output=True, text=True, cwd=ROOT)  # fmt: skip
        wall = time.perf_counter() - started
        busy = _busy_cpu_s() - busy
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if proc.returncode != 0:
            raise RuntimeError(f"{config} run failed:\n{proc.stderr[-3000:]}")
        data = json.loads(proc.stdout.strip().splitlines()[-1])
    finally:
        shutil.rmtree(work, ignore_errors=True)
    ours = (after.ru_utime - ru.ru_utime) + (after.ru_stime - ru.ru_stime)
    return data | {"wall_s": wall, "cpu_s": ours, "others_cores": max(0.0, busy - ours) / wall,
                   "load_before": load_before, "load_after": os.getloadavg()}  # fmt: skip


def run(corpus: Path = CORPUS, runs: int = 2, log=print) -> dict[str, list[dict]] | None:
    if not corpus.exists():
        return None
    found: dict[str, list[dict]] = {c: [] for c in CONFIGS}
    for i in range(runs):
        for config in CONFIGS:
            r = measure(config, corpus)
            found[config].append(r)
            log(f"  run {i + 1} {config}: start {r['start_s']:.1f} s, ingest {r['ingest_s']:.1f} s, "
                f"wall {r['wall_s']:.1f} s, CPU {r['cpu_s']:.1f} s, others {r['others_cores']:.2f} cores")  # fmt: skip
    return found


def _med(rows: list[dict], key: str) -> float:
    return statistics.median(r[key] for r in rows)


def section(found: dict[str, list[dict]] | None, runs: int, synthetic: int = 0) -> list[str]:
    out = [SYNTHETIC_HEADING if synthetic else HEADING, ""]
    if found is None:
        return out + [f"Skipped: {CORPUS} is absent (the shared corpus lives beside the repository).", ""]
    first = found["single"][0]
    n = first["added"]
    what = (f"{synthetic:,} synthetic articles made from `{CORPUS.name}` (`synthetic_corpus`: each a corpus "
            "article's paragraphs shuffled, with one paragraph of another added)") if synthetic else f"`{CORPUS.name}`"  # fmt: skip
    out += [
        f"{what}: {first['files']:,} files, {n:,} articles added ({first['records']:,} records), into a fresh "
        "database each time. **single**: today's `ingest_paths` in one process. **local:N**: `ingest --cluster "
        "local:N`'s code: a Dask LocalCluster of N worker processes (one thread each) reads, hashes, parses and "
        "extracts in batches of 32, writes the Parquet dataset, and the database loads it. Each run is a fresh "
        "process; *start* is the interpreter, imports, the cluster and the parse pipeline (loaded once per "
        "worker, in parallel); *ingest* is the rest, derivation included; *articles/s* is articles over ingest "
        "seconds, and *whole* over the run's wall time (stop included). CPU is our whole process tree's "
        "(driver and workers): over the whole run, and per article over the ingest alone; RSS is a worker's "
        "(the single process's own) after the ingest. "
        f"Median of {runs} runs, the three configurations alternating.", "",
        "| | workers | start s | ingest s | wall s | articles/s | articles/s whole | CPU s, whole run "
        "| ingest CPU ms/article | RSS MB per worker | others' load, cores |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]  # fmt: skip
    for config in CONFIGS:
        rows = found[config]
        ingest, wall, cpu = _med(rows, "ingest_s"), _med(rows, "wall_s"), _med(rows, "cpu_s")
        others = ", ".join(f"{r['others_cores']:.2f}" for r in rows)
        out.append(f"| {config} | {rows[0]['workers'] or '(none)'} | {_med(rows, 'start_s'):.1f} | {ingest:.1f} | "
                   f"{wall:.1f} | {n / ingest:.1f} | {n / wall:.1f} | {cpu:.1f} | "
                   f"{_med(rows, 'ingest_cpu_s') / n * 1e3:,.0f} | {_med(rows, 'rss_mb'):,.0f} | {others} |")  # fmt: skip
    one_w, two_w = _med(found["local:1"], "ingest_s"), _med(found["local:2"], "ingest_s")
    single = _med(found["single"], "ingest_s")
    out += ["",
            f"- Speed-up of the second worker: {one_w / two_w:.2f}× (ingest seconds, 1 worker / 2 workers); "
            f"2 workers vs the single process: {single / two_w:.2f}×; 1 worker vs the single process: "
            f"{single / one_w:.2f}× (the cost of the cluster's extra steps: a second read of each file, the "
            "Parquet write and the load).", ""]  # fmt: skip
    steps = ["read", "extract", "load", "derive"]
    out += ["Steps of the cluster runs (median seconds): *read* = read and hash on the workers, checked against "
            "the database and the dataset; *extract* = parse, extract, write the batches; *load* = the database "
            "loads the dataset, a transaction per batch; *derive* = incidents, aid ledger, contested claims.", "",
            "| | " + " | ".join(steps) + " | dataset MB | database MB |", "|---|" + "---:|" * (len(steps) + 2)]  # fmt: skip
    for config in CONFIGS[1:]:
        rows = found[config]
        cells = [f"{statistics.median(r['steps'][s] for r in rows):.1f}" for s in steps]
        out.append(f"| {config} | " + " | ".join(cells) + f" | {rows[0]['dataset_bytes'] / 1e6:.1f} | "
                   f"{rows[0]['db_bytes'] / 1e6:.1f} |")  # fmt: skip
    loads = [r["load_before"][0] for rs in found.values() for r in rs] + \
        [r["load_after"][0] for rs in found.values() for r in rs]  # fmt: skip
    out += ["",
            f"Load: this machine has 2 cores shared with other agents' test runs. The 1-minute load average read "
            f"{min(loads):.1f}–{max(loads):.1f} around these runs; *others' load* is the CPU other processes "
            "used during each run (one figure per run), in cores: what was left for ours is 2 minus that. "
            "Under that load a second worker cannot show its full worth; CPU ms per article is the steadier "
            "figure, and the one the scale story in the README builds on.", ""]  # fmt: skip
    return out


def write_into_report(lines: list[str], report: Path) -> None:
    """Replace this section of the report (or append it), leaving the rest as it was."""
    text = report.read_text(encoding="utf-8") if report.exists() else "# Benchmark report\n"
    block = "\n".join(lines).rstrip() + "\n"
    heading = lines[0]
    start = text.find(heading + "\n")
    if start < 0:
        text = text.rstrip() + "\n\n" + block
    else:
        end = text.find("\n## ", start + len(heading))
        text = text[:start] + block + (text[end:] if end >= 0 else "")
    report.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.cluster", description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=2)
    ap.add_argument("--corpus", default=str(CORPUS))
    ap.add_argument("--synthetic", type=int, default=0, metavar="N",
                    help="ingest N articles made from the corpus (synthetic_corpus) instead of the corpus itself")  # fmt: skip
    ap.add_argument("--out", default=str(Path(__file__).parent / "REPORT.md"))
    ap.add_argument("--one", choices=CONFIGS, help=argparse.SUPPRESS)
    ap.add_argument("--work", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.one:
        print(json.dumps(one(args.one, Path(args.corpus), Path(args.work))))
        return 0
    corpus = Path(args.corpus)
    made = None
    if args.synthetic and corpus.exists():
        made = Path(tempfile.mkdtemp(prefix="bench-synthetic-"))
        corpus = synthetic_corpus(args.synthetic, made / "articles", corpus)
    try:
        found = run(corpus, args.runs)
    finally:
        if made:
            shutil.rmtree(made, ignore_errors=True)
    lines = section(found, args.runs, args.synthetic)
    flags = f"--runs {args.runs}" + (f" --synthetic {args.synthetic}" if args.synthetic else "")
    lines.insert(2, f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} by `python -m bench.cluster "
                    f"{flags}`; {os.cpu_count()} cores.")  # fmt: skip
    lines.insert(3, "")
    write_into_report(lines, Path(args.out))
    print(f"wrote the section into {args.out}")
    return 0


if __name__ == "__main__":  # the guard also keeps spawned worker processes from running it again
    sys.exit(main())
