"""Several analysts at once: eight browser sessions load every page while another session's upload is
ingesting, with no error anywhere; and the command line, run against the file a dashboard holds,
either works or says clearly what to do, without harming the database."""

from __future__ import annotations

import subprocess
import sys

import duckdb
import pytest

from tests.browser.articles import article
from tests.browser.conftest import ROOT, serve
from tests.browser.test_dashboard_browser import metric, no_exception, settle

pytestmark = pytest.mark.browser

UPLOADS = 30
LOADS = [  # (path, title, query): every page, most of them filtered
    ("", "Overview", "?kind=event&kind=aid"),
    ("timeline", "Timeline", "?actor=Russia&from=2022-01-01"),
    ("aid", "Aid", "?actor=United+States&scope=country"),
    ("theatres", "Theatres", "?kind=event&to=2023-12-31"),
    ("diplomacy", "Diplomacy", "?from=2023-01-01&to=2023-12-31"),
    ("claims", "Claims & sources", "?actor=Russia&actor=Ukraine"),
    ("data", "Data", "?kind=statement"),
    ("add_articles", "Add articles", ""),
]


def new_page(browser, timeout_ms: int = 90_000):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    ctx.set_default_timeout(timeout_ms)
    page = ctx.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    return ctx, page, dialogs


def go_to(page, name: str) -> None:
    """Switch page inside the same session, as an analyst does with the sidebar."""
    page.get_by_test_id("stSidebarNav").get_by_role("link", name=name, exact=True).click()


def test_eight_sessions_render_every_page_while_an_upload_ingests(upload_server, browser):
    base, _ = upload_server
    contexts = []
    try:
        ctx, up, _ = new_page(browser)
        contexts.append(ctx)
        up.goto(f"{base}/")
        settle(up, "Overview")
        before = int(metric(up, "Articles").replace(",", ""))
        go_to(up, "Add articles")
        settle(up, "Add articles")
        files = [article(i, paragraphs=200) for i in range(UPLOADS)]
        up.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(
            [{"name": name, "mimeType": "text/markdown", "buffer": raw} for name, raw in files]
        )
        up.get_by_role("button", name=f"Add {UPLOADS} files").click()
        up.get_by_test_id("stProgress").wait_for()  # the ingest is under way

        sessions = []
        for path, title, query in LOADS:
            c, page, dialogs = new_page(browser)
            contexts.append(c)
            page.goto(f"{base}/{path}{query}", wait_until="commit")
            sessions.append((page, title, dialogs))
        ingesting = up.get_by_test_id("stProgress").count() > 0  # still going once all eight have asked
        for page, title, dialogs in sessions:
            settle(page, title)
            no_exception(page)
            assert page.get_by_text("Page not found").count() == 0
            assert not dialogs

        up.get_by_text(f"{UPLOADS} added", exact=False).wait_for(timeout=180_000)
        no_exception(up)
        assert up.get_by_text("0 already present, 0 failed", exact=False).count() == 1
        assert ingesting, "the upload finished before the eight sessions loaded; make the articles longer"

        # Without a restart, sessions opened before and during the upload see the new articles.
        for page in (up, sessions[-1][0]):
            go_to(page, "Overview")
            settle(page, "Overview")
            assert int(metric(page, "Articles").replace(",", "")) == before + UPLOADS
            no_exception(page)
        timeline, title, _ = sessions[1]
        go_to(timeline, "Claims & sources")
        settle(timeline, "Claims & sources")
        no_exception(timeline)
    finally:
        for c in contexts:
            c.close()


def test_the_cli_against_a_database_the_dashboard_holds_works_or_says_what_to_do(browser, tmp_path):
    from analytics.ingest import ensure_database

    db = ensure_database(tmp_path / "held.duckdb")
    with duckdb.connect(str(db), read_only=True) as check:
        rows_before = check.execute("SELECT count(*) FROM documents").fetchone()[0]
    name, raw = article(999)
    (tmp_path / name).write_bytes(raw)
    with serve(db, tmp_path / "held.log") as base:
        ctx, page, _ = new_page(browser)
        try:
            page.goto(f"{base}/")
            settle(page, "Overview")  # the server has opened the file now
            for args in (["ingest", str(tmp_path / name)], ["export", "documents", "--out", str(tmp_path / "d.csv")],
                         ["rebuild"]):  # fmt: skip
                p = subprocess.run([sys.executable, "-m", "analytics", *args, "--db", str(db)], cwd=ROOT,
                                   capture_output=True, text=True, timeout=120)  # fmt: skip
                if p.returncode != 0:
                    assert "open" in p.stderr and "another process" in p.stderr, p.stderr
                    assert "Traceback" not in p.stderr
                    assert "Stop that process" in p.stderr or "stop the dashboard" in p.stderr, p.stderr
            page.reload()
            settle(page, "Overview")
            no_exception(page)
        finally:
            ctx.close()
    with duckdb.connect(str(db), read_only=True) as check:  # opens, and holds what it held
        assert check.execute("SELECT count(*) FROM documents").fetchone()[0] in (rows_before, rows_before + 1)
        assert (
            check.execute(
                "SELECT count(*) FROM documents GROUP BY content_hash HAVING count(*) > 1"
            ).fetchall()
            == []
        )
