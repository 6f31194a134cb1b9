"""The Parquet dataset's batches, written and loaded in this process (no cluster): whole or absent,
never loaded twice, leftovers of a dead worker invisible and removed; the CLI's cluster options."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from analytics import cluster, dataset
from analytics.corpus import read_document
from analytics.store import connect
from tests.conftest import ROOT, SEED


@pytest.fixture
def seed_copy(tmp_path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copyfile(SEED, folder / SEED.name)
    return folder / SEED.name


def test_a_batch_that_cannot_be_written_leaves_nothing(seed_copy, tmp_path):
    root = tmp_path / "dataset"
    doc = read_document(seed_copy, published="2023-05-18")
    bid = dataset.batch_id([doc.content_hash])
    # A folder where the batch's sentences file must go: renaming the written file onto it fails.
    (root / "sentences" / "month=2023-05" / f"{bid}.parquet").mkdir(parents=True)
    items = [(0, str(seed_copy), doc.content_hash)]
    [row] = cluster.extract_batch(items, "2023-05-18", str(root))
    assert row[2] == "failed" and "could not be written to the dataset" in row[3]
    assert dataset.batches(root) == []
    assert not list(root.rglob("*.parquet*")) or all(p.is_dir() for p in root.rglob("*.parquet*"))
    assert not list(root.rglob(".*.tmp"))
    # Once the fault is gone the same batch is written whole and loads; loading again adds nothing.
    shutil.rmtree(root / "sentences")
    [row] = cluster.extract_batch(items, "2023-05-18", str(root))
    assert row[2] == "added" and row[5] > 0
    [batch] = dataset.batches(root)
    assert batch.batch_id == bid and batch.records == row[5]
    con = connect(tmp_path / "x.duckdb")
    try:
        assert dataset.load(con, root).articles == 1
        assert dataset.load(con, root) == dataset.LoadResult(0, 0, 0)
        n = sum(con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in dataset.RECORD_TABLES)  # noqa: S608
        assert n == row[5]
    finally:
        con.close()


def test_files_of_an_uncommitted_batch_are_never_loaded_and_are_removed(seed_copy, tmp_path):
    root = tmp_path / "dataset"
    items = [(0, str(seed_copy), read_document(seed_copy).content_hash)]
    cluster.extract_batch(items, None, str(root))
    [batch] = dataset.batches(root)
    # What a worker killed before its commit leaves: files, no manifest.
    (root / dataset.BATCHES / f"{batch.batch_id}.json").unlink()
    con = connect(tmp_path / "x.duckdb")
    try:
        assert dataset.load(con, root).articles == 0
        assert con.execute("SELECT count(*) FROM documents").fetchone()[0] == 0
    finally:
        con.close()
    assert dataset.remove_orphans(root, older_than_s=3600) == 0  # young files may be a batch committing now
    files = len(list(root.rglob("*.parquet")))
    assert files > 0 and dataset.remove_orphans(root, older_than_s=0) == files
    assert not list(root.rglob("*.parquet"))


def test_a_damaged_manifest_is_named(tmp_path):
    (tmp_path / dataset.BATCHES).mkdir()
    (tmp_path / dataset.BATCHES / "abc.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(dataset.DatasetError, match=r"abc\.json: not a readable batch manifest"):
        dataset.batches(tmp_path)


@pytest.mark.parametrize(("args", "message"), [
    (["--cluster", "local:0"], "at least one worker"),
    (["--cluster", "local", "--batch-size", "0"], "at least one article"),
])  # fmt: skip
def test_cli_refuses_a_bad_cluster_option_in_one_line(tmp_path, args, message):
    out = subprocess.run([sys.executable, "-m", "analytics", "ingest", str(SEED), "--db", str(tmp_path / "x.duckdb"),
                          *args], capture_output=True, text=True, cwd=ROOT, timeout=120)  # fmt: skip
    assert out.returncode == 2
    assert out.stderr.strip().startswith("error:") and message in out.stderr
    assert "Traceback" not in out.stderr
    assert not (tmp_path / "x.parquet").exists() or not any((tmp_path / "x.parquet").iterdir())


def test_a_batch_missing_a_file_is_named_and_nothing_is_loaded(seed_copy, tmp_path):
    root = tmp_path / "dataset"
    cluster.extract_batch([(0, str(seed_copy), read_document(seed_copy).content_hash)], None, str(root))
    [batch] = dataset.batches(root)
    Path(dataset.files(root, "sentences")[0]).unlink()
    con = connect(tmp_path / "x.duckdb")
    try:
        with pytest.raises(
            dataset.DatasetError, match=rf"batch {batch.batch_id} of .* lists .*sentences.*missing"
        ):
            dataset.load(con, root)
        assert con.execute("SELECT count(*) FROM documents").fetchone()[0] == 0
    finally:
        con.close()
