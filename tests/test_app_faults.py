"""The dashboard on a file that is not ours, newer, damaged or unreadable: every page shows one message
box naming the problem, never an exception, and the file is left as it was."""

from __future__ import annotations

import hashlib

import pytest
from streamlit.testing.v1 import AppTest

from tests.test_app import APP, PAGES
from tests.test_store_faults import CASES


def sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("case", CASES)
def test_pages_show_the_problem_not_an_exception(case, seed_db, tmp_path, monkeypatch):
    make, phrase = CASES[case]
    db = tmp_path / "target.duckdb"
    make(db, seed_db)
    before = sha(db)
    monkeypatch.setenv("DASHBOARD_DB", str(db))
    monkeypatch.setenv("DASHBOARD_LOG", str(tmp_path / "analytics.log"))
    for page in (PAGES[0], "pages/theatres.py", "pages/add_articles.py"):
        at = AppTest.from_file(APP, default_timeout=60)
        at.run()
        if page != PAGES[0]:
            at.switch_page(page)
            at.run()
        assert not at.exception, [e.value for e in at.exception]
        shown = " ".join(e.value for e in at.error)
        assert phrase in shown and str(tmp_path / "analytics.log") in shown, shown
        assert not at.title, "the page stops at the message"
    assert sha(db) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["target.duckdb", "analytics.log"])


def test_a_database_on_a_read_only_file_system_is_served_read_only(seed_db, tmp_path, monkeypatch):
    """Reads work, uploads are off with the reason named, and nothing is written."""
    import shutil

    from tests.test_store_faults import _mount_tmpfs, _umount

    mnt = tmp_path / "ro"
    if not _mount_tmpfs(mnt, "32m"):
        pytest.skip("needs root and mount to make a read-only file system")
    import subprocess

    try:
        shutil.copyfile(seed_db, mnt / "db.duckdb")
        assert subprocess.run(["mount", "-o", "remount,ro", str(mnt)]).returncode == 0
        before = sha(mnt / "db.duckdb")
        monkeypatch.setenv("DASHBOARD_DB", str(mnt / "db.duckdb"))
        monkeypatch.setenv("DASHBOARD_LOG", str(tmp_path / "analytics.log"))
        at = AppTest.from_file(APP, default_timeout=60)
        at.run()
        assert not at.exception and not at.error and at.title, [e.value for e in at.exception]
        at.switch_page("pages/add_articles.py")
        at.run()
        assert not at.exception
        assert any("read-only file system" in w.value for w in at.warning), [w.value for w in at.warning]
        assert sha(mnt / "db.duckdb") == before and sorted(p.name for p in mnt.iterdir()) == ["db.duckdb"]
    finally:
        import sys

        if "ui.db" in sys.modules:
            sys.modules["ui.db"].release()
        _umount(mnt)
