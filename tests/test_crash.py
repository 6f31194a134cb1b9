"""Killing an ingest with SIGKILL leaves a database that opens, holds no partial article, and
takes a rerun that completes with no duplicates."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import duckdb

from tests.conftest import ROOT

SENTENCES = [
    "Russian forces shelled {town} overnight, regional officials said.",
    "Ukraine accused Moscow of targeting civilians in {town}.",
    "The European Union pledged €{n} million in humanitarian aid to Ukraine.",
    "Ukrainian troops recaptured a village near {town} after heavy fighting.",
    "Officials from both sides held talks in Istanbul on {town}'s grain exports.",
]
TOWNS = ["Kherson", "Kharkiv", "Bakhmut", "Avdiivka", "Zaporizhzhia", "Odesa", "Sumy", "Mykolaiv"]


def write_articles(folder, n):
    folder.mkdir()
    for i in range(n):
        town = TOWNS[i % len(TOWNS)]
        body = " ".join(s.format(town=town, n=i + 1) for s in SENTENCES) * 6
        (folder / f"a{i:04d}.md").write_text(
            f"---\npublished: 2023-{1 + i % 12:02d}-15\n---\nArticle {i}\n\n{body}\n"
        )


def check_consistent(db):
    con = duckdb.connect(str(db))
    try:
        docs = con.execute("SELECT count(*), count(DISTINCT content_hash) FROM documents").fetchone()
        assert docs[0] == docs[1]
        partial = con.execute(
            """SELECT count(*) FROM documents d
               WHERE n_sentences <> (SELECT count(*) FROM sentences s WHERE s.doc_id = d.doc_id)"""
        ).fetchone()[0]
        assert partial == 0
        for table in ("sentences", "events", "aid_figures", "diplomatic_items", "statements"):
            orphans = con.execute(
                f"SELECT count(*) FROM {table} WHERE doc_id NOT IN (SELECT doc_id FROM documents)"
            ).fetchone()[0]
            assert orphans == 0, table
        links = con.execute(
            "SELECT count(*) FROM record_actors WHERE record_id NOT IN (SELECT record_id FROM records)"
        ).fetchone()[0]
        assert links == 0
        return docs[0]
    finally:
        con.close()


def test_sigkill_mid_ingest_loses_nothing_committed_and_rerun_completes(tmp_path):
    folder = tmp_path / "many"
    n = 600
    write_articles(folder, n)
    db = tmp_path / "crash.duckdb"
    # A first run loads the vocabularies and checkpoints on close, so that what the WAL holds
    # next is articles only: its growth tells that articles are being committed.
    first = folder / "a0000.md"
    subprocess.run([sys.executable, "-m", "analytics", "ingest", str(first), "--db", str(db)], cwd=ROOT, check=True,
                   capture_output=True)  # fmt: skip
    cmd = [sys.executable, "-m", "analytics", "ingest", str(folder), "--db", str(db)]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    wal = db.with_name(db.name + ".wal")
    deadline = time.monotonic() + 120
    # Wait until articles are being committed, then kill without warning.
    while time.monotonic() < deadline and proc.poll() is None:
        if wal.exists() and wal.stat().st_size > 300_000:
            break
        time.sleep(0.05)
    assert proc.poll() is None, "ingest finished before it could be killed; give it more articles"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    stored = check_consistent(db)
    assert 0 < stored < n
    rerun = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    assert rerun.returncode == 0, rerun.stderr
    assert stored > 1
    assert f"{n - stored} added" in rerun.stdout and f"{stored} already present" in rerun.stdout
    assert check_consistent(db) == n
