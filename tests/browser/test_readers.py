"""Readers beside the writer, in real servers: a second dashboard on a database another dashboard
writes, and one beside a running CLI ingest, serve every page from the newest snapshot with a notice
and no exception, and show what the writer adds within the stated delay; and a server killed
mid-upload comes back naming the files that were not stored."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time

import duckdb
import pytest

from analytics.store import snapshots
from tests.browser.articles import article
from tests.browser.conftest import ROOT, SCREENSHOTS, serve, serve_process
from tests.browser.test_concurrency import LOADS, new_page
from tests.browser.test_dashboard_browser import metric, no_exception, settle

pytestmark = pytest.mark.browser

# The stated delay (README): a reader page shows a new snapshot within POLL_SECONDS of its
# publication; the margin is for a machine whose two cores the test shares with the servers.
SHOWN_WITHIN_S = snapshots.POLL_SECONDS + 30


def alert(page, text: str):
    """The message box (info, warning, error) holding `text`."""
    return page.locator("[data-testid^='stAlertContent']").filter(has_text=text)


def articles_shown(page) -> int:
    return int(metric(page, "Articles").replace(",", ""))


def wait_for_articles(page, expected: int) -> None:
    """Without any click or reload: the page's own poll must bring the new snapshot in."""
    deadline = time.monotonic() + SHOWN_WITHIN_S
    while time.monotonic() < deadline:
        try:
            if articles_shown(page) == expected:
                return
        except ValueError:  # mid-redraw
            pass
        time.sleep(0.5)
    assert articles_shown(page) == expected


def every_page_reads_the_snapshot(browser, base: str, cause: str) -> None:
    """Each of the 8 pages, in a fresh session: the notice naming the cause, no exception."""
    for path, title, query in LOADS:
        ctx, page, dialogs = new_page(browser)
        try:
            page.goto(f"{base}/{path}{query}")
            settle(page, title)
            no_exception(page)
            assert page.get_by_text("Page not found").count() == 0
            notice = alert(page, "Read-only copy")
            try:
                notice.first.wait_for(timeout=30_000)  # a rerun may be redrawing it just now
            except Exception:
                SCREENSHOTS.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(SCREENSHOTS / f"reader-{path or 'overview'}.png"), full_page=True)
                raise
            assert notice.count() == 1, f"{title}: the notice twice"
            assert cause in notice.inner_text(), notice.inner_text()
            no_exception(page)
            if path == "add_articles":
                off = alert(page, "Adding articles is off in this server")
                off.first.wait_for()
                assert off.count() == 1 and cause in off.inner_text()
                assert page.get_by_test_id("stFileUploaderDropzoneInput").count() == 0
            assert not dialogs
        finally:
            ctx.close()


def test_a_second_dashboard_reads_beside_the_first_and_shows_what_it_adds(browser, tmp_path):
    from analytics.ingest import ensure_database

    db = ensure_database(tmp_path / "data" / "team.duckdb")
    with serve(db, tmp_path / "writer.log") as writer:
        ctx, up, _ = new_page(browser)
        try:
            up.goto(f"{writer}/")
            settle(up, "Overview")  # the writer has the file, and has published its first snapshot
            before = articles_shown(up)
            assert up.get_by_text("Read-only copy").count() == 0
            with serve(db, tmp_path / "reader.log") as reader:
                every_page_reads_the_snapshot(browser, reader, "is writing the database")

                rctx, watch, _ = new_page(browser)
                try:
                    watch.goto(f"{reader}/")
                    settle(watch, "Overview")
                    assert articles_shown(watch) == before
                    # Two articles through the writer's upload page...
                    up.get_by_test_id("stSidebarNav").get_by_role(
                        "link", name="Add articles", exact=True
                    ).click()
                    settle(up, "Add articles")
                    files = [article(500 + i) for i in range(2)]
                    up.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(
                        [{"name": n, "mimeType": "text/markdown", "buffer": raw} for n, raw in files]
                    )
                    up.get_by_role("button", name="Add 2 files").click()
                    up.get_by_text("2 added", exact=False).wait_for(timeout=120_000)
                    # ...show on the reader's idle page on their own, with the notice naming the upload.
                    wait_for_articles(watch, before + 2)
                    no_exception(watch)
                    assert "the dashboard's upload" in alert(watch, "Read-only copy").inner_text()
                finally:
                    rctx.close()
        finally:
            ctx.close()


def test_a_dashboard_beside_a_running_cli_ingest_reads_and_then_shows_its_articles(browser, tmp_path):
    from analytics.ingest import ensure_database

    db = ensure_database(tmp_path / "data" / "team.duckdb")
    with duckdb.connect(str(db), read_only=True) as c:
        before = c.execute("SELECT count(*) FROM documents").fetchone()[0]
    folder = tmp_path / "incoming"
    folder.mkdir()
    n = 150  # about a minute of ingest on this machine: longer than reading the 8 pages, with room
    for i in range(n):
        name, raw = article(700 + i, paragraphs=120)
        (folder / name).write_bytes(raw)
    log = open(tmp_path / "ingest.log", "w")
    ingest = subprocess.Popen([sys.executable, "-m", "analytics", "ingest", str(folder), "--db", str(db)],
                              cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)  # fmt: skip
    try:
        deadline = time.monotonic() + 120
        while snapshots.newest(db) is None:  # the ingest has the file and has published its start
            assert ingest.poll() is None and time.monotonic() < deadline, (
                tmp_path / "ingest.log"
            ).read_text()
            time.sleep(0.2)
        with serve(db, tmp_path / "reader.log") as reader:
            every_page_reads_the_snapshot(browser, reader, "is writing the database")
            assert ingest.poll() is None, "the ingest ended before every page was read; give it more articles"
            ctx, page, _ = new_page(browser)
            try:
                page.goto(f"{reader}/add_articles")
                settle(page, "Add articles")
                # the holder's command, named
                assert "analytics ingest" in alert(page, "is off in this server").inner_text()
                page.goto(f"{reader}/")
                settle(page, "Overview")
                assert ingest.wait(timeout=900) == 0, (tmp_path / "ingest.log").read_text()
                wait_for_articles(page, before + n)
                no_exception(page)
            finally:
                ctx.close()
    finally:
        if ingest.poll() is None:
            ingest.kill()
        ingest.wait()
        log.close()


def stored_so_far(db) -> list[dict]:
    from analytics import upload_journal

    for path in upload_journal.journal_dir(db).glob("*.json"):
        try:
            return [
                f for f in json.loads(path.read_text())["files"] if f.get("status") in upload_journal.STORED
            ]
        except (OSError, ValueError):  # replaced between glob and read
            pass
    return []


def test_a_server_killed_mid_upload_comes_back_naming_the_files_not_stored(browser, tmp_path):
    from analytics.ingest import ensure_database

    db = ensure_database(tmp_path / "data" / "up.duckdb")
    uploads = 30
    files = [article(900 + i, paragraphs=120) for i in range(uploads)]
    with serve_process(db, tmp_path / "first.log") as (base, proc):
        ctx, page, _ = new_page(browser)
        try:
            page.goto(f"{base}/add_articles")
            settle(page, "Add articles")
            page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(
                [{"name": n, "mimeType": "text/markdown", "buffer": raw} for n, raw in files]
            )
            page.get_by_role("button", name=f"Add {uploads} files").click()
            page.get_by_text(re.compile(rf"File \d+ of {uploads}")).first.wait_for(timeout=120_000)
            # The journal, not the bar, says when three are in: a busy browser may never paint a given
            # "File 4" text between two quick updates.
            deadline = time.monotonic() + 600
            while len(stored_so_far(db)) < 3:
                assert proc.poll() is None and time.monotonic() < deadline, "the upload ended or stalled"
                time.sleep(0.05)
            proc.kill()  # SIGKILL: no cleanup of any kind
            proc.wait()
        finally:
            ctx.close()
    with duckdb.connect(str(db), read_only=True) as c:
        in_db = {r[0] for r in c.execute("SELECT name FROM documents").fetchall()}
    names = [n for n, _ in files]
    missing = [n for n in names if n not in in_db]
    assert 0 < len(missing) <= uploads - 3
    from analytics import upload_journal

    journal = upload_journal.interrupted(db)[0]  # what the dead server wrote down, read as the page reads it
    said_stored = [f["file"] for f in journal.stored()]
    said_missing = [f["file"] for f in journal.not_stored()]
    assert set(said_stored) <= in_db and set(missing) <= set(said_missing)
    assert (
        len(said_missing) - len(missing) <= 1
    )  # at most the file in flight at the kill was stored unrecorded
    with serve(db, tmp_path / "second.log") as base:
        ctx, page, _ = new_page(browser)
        try:
            page.goto(f"{base}/add_articles")
            settle(page, "Add articles")
            no_exception(page)
            told = alert(page, "An upload was cut off").inner_text()
            assert f"Not stored ({len(said_missing)})" in told, told
            for n in said_missing[:12]:  # the notice names the first 12; the table lists them all
                assert n in told.split("Not stored", 1)[1]
            for n in said_stored[:12]:
                assert n in told.split("Not stored", 1)[0]
            assert "select these files again" in told
            # Adding the rest (the analyst selects the whole upload again) settles it.
            page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(
                [{"name": n, "mimeType": "text/markdown", "buffer": raw} for n, raw in files]
            )
            page.get_by_role("button", name=f"Add {uploads} files").click()
            page.get_by_text(f"{len(missing)} added", exact=False).wait_for(timeout=600_000)
            no_exception(page)
            assert page.get_by_text(f"{uploads - len(missing)} already present", exact=False).count() == 1
            assert page.get_by_text("An upload was cut off").count() == 0
        finally:
            ctx.close()
