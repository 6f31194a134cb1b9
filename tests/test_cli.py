"""The command line, run as a subprocess exactly as an analyst runs it."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT, SEED, SHARED, needs_shared


def run(*args, env=None, check=True):
    e = dict(os.environ, **(env or {}))
    p = subprocess.run(
        [sys.executable, "-m", "analytics", *args], capture_output=True, text=True, cwd=ROOT, env=e
    )
    if check and p.returncode != 0:
        raise AssertionError(f"exit {p.returncode}\nstdout: {p.stdout}\nstderr: {p.stderr}")
    return p


def test_help_lists_every_command():
    out = run("--help").stdout
    for cmd in ("extract", "ingest", "export", "rebuild"):
        assert cmd in out


def test_extract_prints_the_contract_and_touches_no_database(tmp_path):
    db = tmp_path / "never.duckdb"
    out = json.loads(run("extract", str(SEED), env={"DASHBOARD_DB": str(db)}).stdout)
    assert out["document"]["published"] == "2023-05-19" and out["document"]["sentences"] == 19
    text = SEED.read_text(encoding="utf-8")
    keys = {"kind", "quote", "start", "end", "type", "subtype", "actors", "location", "theatre", "themes", "date",
            "date_precision", "sources", "donor", "recipient", "amount", "currency", "aid_type", "approximate",
            "speaker", "stance"}  # fmt: skip
    for r in out["records"]:
        assert keys <= r.keys()
        assert text[r["start"] : r["end"]] == r["quote"]
    assert not db.exists()


def test_extract_published_override_and_bad_file(tmp_path):
    out = json.loads(run("extract", str(SEED), "--published", "2023-05-20").stdout)
    assert out["document"]["published"] == "2023-05-20"
    bad = tmp_path / "bad.md"
    bad.write_text("---\ntitle: [oops\n---\nx")
    p = run("extract", str(bad), check=False)
    assert p.returncode == 2 and p.stderr.startswith("error: bad.md: malformed front matter")


def test_ingest_export_roundtrip(tmp_path):
    db = str(tmp_path / "cli.duckdb")
    first = run("ingest", str(ROOT / "seeds"), "--db", db).stdout
    assert "1 added" in first and "0 failed" in first
    assert "1 already present" in run("ingest", str(SEED), "--db", db).stdout
    rows = list(csv.DictReader(io.StringIO(run("export", "records", "--db", db, "--kind", "aid").stdout)))
    assert [r["type"] for r in rows] == ["correction"]
    assert {"sentence", "article", "published", "start_char", "end_char"} <= rows[0].keys()
    out = tmp_path / "w.parquet"
    run("export", "events", "--db", db, "--actor", "Wagner Group", "--format", "parquet", "--out", str(out))
    import duckdb

    n = duckdb.connect().execute(f"SELECT count(*) FROM '{out}'").fetchone()[0]
    assert 0 < n < 15
    p = run("export", "nonsense", "--db", db, check=False)
    assert p.returncode == 2 and "unknown table" in p.stderr


def test_ingest_reports_failures_per_file_and_exit_code(tmp_path):
    (tmp_path / "empty.txt").write_text("")
    p = run(
        "ingest",
        str(tmp_path),
        str(tmp_path / "missing.txt"),
        "--db",
        str(tmp_path / "x.duckdb"),
        check=False,
    )
    assert p.returncode == 1
    assert "empty.txt: the file is empty" in p.stderr and "missing.txt: no such file" in p.stderr


def test_rebuild_builds_from_seeds(tmp_path):
    db = tmp_path / "r.duckdb"
    run("rebuild", "--db", str(db))
    run("rebuild", "--db", str(db))
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT count(*) FROM documents").fetchone()[0] == 1
    con.close()


@needs_shared(SHARED / "eval" / "score.py")
def test_seed_meets_the_gold_thresholds(tmp_path):
    out = tmp_path / "seed.json"
    out.write_text(run("extract", str(SEED)).stdout, encoding="utf-8")
    p = subprocess.run(
        [sys.executable, str(SHARED / "eval" / "score.py"), str(SHARED / "eval" / "seed-gold.yaml"), str(out),
         "--article", str(SEED)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    line = p.stdout.strip().splitlines()[-1]
    nums = dict(zip(line.split()[0:8:2], map(float, line.split()[1:8:2]), strict=True))
    assert nums["recall"] >= 0.95 and nums["precision"] >= 0.90 and nums["fields"] >= 0.90, line
    assert "0 bad offsets" in line


@pytest.mark.corpus
@needs_shared(SHARED / "corpora" / "news-2022-2024")
def test_whole_corpus_ingests_with_every_failure_explained(tmp_path):
    db = str(tmp_path / "corpus.duckdb")
    corpus = str(SHARED / "corpora" / "news-2022-2024")
    p = run("ingest", corpus, "--db", db, check=False)
    summary = p.stdout.splitlines()[0]
    # "412 added (N records), 25 already present, 0 failed": the corpus repeats some articles.
    added = int(summary.split()[0])
    present = int(summary.split(",")[1].split()[0])
    failed = int(summary.split(",")[2].split()[0])
    assert added + present + failed == 437 and added > 400
    assert len([ln for ln in p.stderr.splitlines() if ln.startswith("failed: ")]) == failed
    again = run("ingest", corpus, "--db", db, check=False).stdout.splitlines()[0]
    assert again.startswith("0 added (0 records), ")


def test_export_dates_by_a_records_own_date_or_overlapping(seed_db, tmp_path):
    import shutil

    db = str(tmp_path / "dates.duckdb")
    shutil.copyfile(seed_db, db)

    def types(*extra):
        out = run("export", "records", "--db", db, "--kind", "diplomacy", "--since", "2023-06-01", "--until",
                  "2023-06-30", *extra).stdout  # fmt: skip
        return [r["type"] for r in csv.DictReader(io.StringIO(out))]

    # The grain deal's extension runs from 19 May to 19 July 2023: in June only when overlapping is asked.
    assert "extension" not in types()
    assert "extension" in types("--overlapping")
