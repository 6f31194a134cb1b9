"""An upload cut off by a dying server is named: a real process ingesting uploads is SIGKILLed mid-way,
and its journal says which files went in (they are in the database) and which did not; adding the
rest settles it, and the Add articles page names the files not stored."""

from __future__ import annotations

import shutil
import subprocess
import sys

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from analytics import upload_journal
from analytics.ingest import ingest_uploads
from analytics.store import open_database
from tests.browser.articles import article
from tests.conftest import ROOT

FILES = 8
CHILD = """
import sys
from analytics import upload_journal
from analytics.ingest import ingest_uploads
from analytics.store import open_database
from tests.browser.articles import article

db = sys.argv[1]
files = [article(i) for i in range({n})]
journal = upload_journal.start(db, files)
con = open_database(db)
def heard(i, r):
    journal.mark(i, r.status, r.reason or "", r.doc_id or "")
    print("stored", i, flush=True)
ingest_uploads(con, files, on_result=heard)
print("ended", flush=True)
"""


@pytest.fixture
def db(seed_db, tmp_path):
    path = tmp_path / "data" / "up.duckdb"
    path.parent.mkdir()
    shutil.copyfile(seed_db, path)
    return path


def names_in(db) -> set[str]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {r[0] for r in con.execute("SELECT name FROM documents").fetchall()}
    finally:
        con.close()


def cut_off_upload(db, after: int = 3) -> None:
    """Start an upload of FILES articles in another process and SIGKILL it once `after` files are stored."""
    proc = subprocess.Popen([sys.executable, "-c", CHILD.format(n=FILES), str(db)], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip
    try:
        for _ in range(after):
            line = proc.stdout.readline()
            assert line.startswith("stored"), line + proc.stderr.read()
    finally:
        proc.kill()
        proc.wait()


def test_a_killed_upload_leaves_a_journal_naming_what_went_in_and_what_did_not(db):
    cut_off_upload(db)
    cut = upload_journal.interrupted(db)
    assert len(cut) == 1
    j = cut[0]
    assert [f["file"] for f in j.files] == [article(i)[0] for i in range(FILES)]
    assert all(len(f["sha256"]) == 64 for f in j.files)
    stored = {f["file"] for f in j.stored()}
    missing = {f["file"] for f in j.not_stored()}
    assert len(stored) >= 3 and missing and stored | missing == {article(i)[0] for i in range(FILES)}
    in_db = names_in(db)
    assert stored <= in_db  # what the journal calls stored is stored
    # What it calls not stored is not, but for at most the one in flight when the process died.
    assert len(missing & in_db) <= 1
    assert "Generated report" not in j.path.read_text()  # names and hashes only, never the text


def test_adding_the_rest_settles_the_cut_off_upload(db):
    cut_off_upload(db)
    j = upload_journal.interrupted(db)[0]
    rest = [article(i) for i in range(FILES) if article(i)[0] in {f["file"] for f in j.not_stored()}]
    again = upload_journal.start(db, rest)
    con = open_database(db)
    try:
        results = ingest_uploads(con, rest, on_result=lambda i, r: again.mark(i, r.status))
    finally:
        con.close()
    assert all(r.status in ("added", "present") for r in results)
    again.finish()
    upload_journal.settle(db, again)
    assert upload_journal.interrupted(db) == []
    assert names_in(db) >= {article(i)[0] for i in range(FILES)}
    assert list(upload_journal.journal_dir(db).glob("*.json")) == []


def test_the_add_articles_page_names_the_files_not_stored(db, monkeypatch):
    cut_off_upload(db, after=2)
    missing = [f["file"] for f in upload_journal.interrupted(db)[0].not_stored()]
    monkeypatch.setenv("DASHBOARD_DB", str(db))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    at.switch_page("pages/add_articles.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    text = " ".join(w.value for w in at.warning)
    assert "An upload was cut off" in text and f"Not stored ({len(missing)})" in text
    for name in missing[:12]:
        assert name in text
    assert "select these files again" in text
    next(b for b in at.button if b.label == "Dismiss").click().run()
    assert not any("cut off" in w.value for w in at.warning)
    assert upload_journal.interrupted(db) == []
