"""Ingest on a real Dask LocalCluster (two worker processes) through the Parquet dataset: the same
records as the single-process ingest, nothing added by a re-run, and no process left behind."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import psutil
import pytest

from analytics import cluster, dataset
from analytics.ingest import ingest_paths
from analytics.store import connect
from tests.conftest import CORPUS, needs_shared

# Every table an article writes, and the columns that differ by when it was written.
TABLES = dataset.TABLES + ("incident_clusters", "aid_ledger", "contested_pairs")
WHEN = {"ingested_at"}


def table_rows(path: Path, table: str) -> list[tuple]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        cols = [c for (c,) in con.execute("SELECT column_name FROM duckdb_columns() WHERE table_name = ? "
                                          "ORDER BY column_index", [table]).fetchall() if c not in WHEN]  # fmt: skip
        collist = ", ".join(cols)
        return con.execute(f"SELECT {collist} FROM {table} ORDER BY ALL").fetchall()
    finally:
        con.close()


def as_tuples(results) -> list[tuple]:
    return [(r.name, r.status, r.reason, r.doc_id, r.records) for r in results]


@pytest.fixture(scope="module")
def articles(tmp_path_factory) -> Path:
    """Corpus articles spread over the months, the same text again under another name, and an empty file."""
    folder = tmp_path_factory.mktemp("articles")
    picked = sorted(CORPUS.glob("*.txt"))[::29][:15]
    for p in picked:
        shutil.copyfile(p, folder / p.name)
    shutil.copyfile(picked[3], folder / f"zz-again-{picked[3].name}")
    (folder / "empty.txt").write_bytes(b"")
    return folder


@pytest.fixture(scope="module")
def runs(articles, tmp_path_factory):
    """The single-process ingest, then two cluster ingests of the same files on one LocalCluster."""
    tmp = tmp_path_factory.mktemp("cluster")
    con = connect(tmp / "single.duckdb")
    try:
        single = ingest_paths(con, [articles])
    finally:
        con.close()
    root = tmp / "dataset"
    # Children this process had before the cluster (a browser driver of other tests, say) are not its own.
    before = {c.pid for c in psutil.Process().children(recursive=True)}
    con = connect(tmp / "cluster.duckdb")
    try:
        with cluster.client_for("local:2") as client:
            workers = client.run(lambda: psutil.Process().pid)
            first = cluster.ingest_on_cluster(con, [articles], client, root, batch_size=4)
            manifests = sorted(p.read_bytes() for p in (root / dataset.BATCHES).glob("*.json"))
            counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}  # noqa: S608
            second = cluster.ingest_on_cluster(con, [articles], client, root, batch_size=4)
            counts_after = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}  # noqa: S608
    finally:
        con.close()
    return {"tmp": tmp, "root": root, "single": single, "first": first, "second": second, "workers": workers,
            "children_before": before,
            "manifests": manifests, "counts": counts, "counts_after": counts_after}  # fmt: skip


pytestmark = [pytest.mark.corpus, needs_shared(CORPUS)]


def test_cluster_records_equal_single_process(runs):
    assert runs["first"].workers == 2
    assert sum(r.status == "added" for r in runs["single"]) >= 10
    assert as_tuples(runs["first"].results) == as_tuples(runs["single"])
    assert runs["first"].loaded.articles == sum(r.status == "added" for r in runs["single"])
    for table in TABLES:
        single = table_rows(runs["tmp"] / "single.duckdb", table)
        assert table_rows(runs["tmp"] / "cluster.duckdb", table) == single, table
    assert runs["counts"]["events"] + runs["counts"]["statements"] > 0  # the comparison compared something


def test_duplicate_and_bad_file_reported_like_single_process(runs):
    by_name = {r.name: r for r in runs["first"].results}
    again = next(r for name, r in by_name.items() if name.startswith("zz-again-"))
    assert again.status == "present"
    assert by_name["empty.txt"].status == "failed" and "empty" in by_name["empty.txt"].reason


def test_rerun_adds_nothing(runs):
    second = runs["second"]
    assert {r.status for r in second.results} == {"present", "failed"}
    assert [r.name for r in second.results if r.status == "failed"] == ["empty.txt"]
    assert second.batches == 0 and second.loaded.articles == 0
    assert (
        sorted(p.read_bytes() for p in (runs["root"] / dataset.BATCHES).glob("*.json")) == runs["manifests"]
    )
    assert runs["counts_after"] == runs["counts"]


def test_dataset_is_partitioned_by_publication_month_and_matches_the_database(runs):
    root = runs["root"]
    added = sum(r.status == "added" for r in runs["single"])
    assert len(dataset.batches(root)) == -(-added // 4)  # batches of 4 new articles
    con = duckdb.connect()
    docs = con.execute("SELECT strftime(published, '%Y-%m'), month FROM read_parquet(?, hive_partitioning = true)",
                       [dataset.files(root, "documents")]).fetchall()  # fmt: skip
    assert len(docs) == added and all(published == month for published, month in docs)
    for table in dataset.TABLES:
        for path in dataset.files(root, table):
            assert Path(path).parent.name.startswith("month=") and Path(path).parent.parent.name == table
        in_dataset = con.execute(
            "SELECT count(*) FROM read_parquet(?)", [dataset.files(root, table)]
        ).fetchone()[0]
        assert in_dataset == runs["counts"][table], table


def test_cluster_leaves_no_process_running(runs):
    assert len(runs["workers"]) == 2
    alive = []
    for pid in runs["workers"].values():
        try:
            proc = psutil.Process(pid)
        except psutil.NoSuchProcess:
            continue
        _, still = psutil.wait_procs([proc], timeout=10)
        alive += [p.pid for p in still if p.status() != psutil.STATUS_ZOMBIE]
    assert alive == []
    # Python's own multiprocessing resource tracker lives as long as this process, by design; it is no
    # part of the cluster and ends with the test run.
    left = [
        c
        for c in psutil.Process().children(recursive=True)
        if c.status() != psutil.STATUS_ZOMBIE
        and c.pid not in runs["children_before"]
        and "multiprocessing.resource_tracker" not in " ".join(c.cmdline())
    ]
    assert left == []


def test_manifest_lists_its_articles(runs):
    for path in (runs["root"] / dataset.BATCHES).glob("*.json"):
        m = json.loads(path.read_text(encoding="utf-8"))
        assert m["batch"] == path.stem == dataset.batch_id(m["articles"])
