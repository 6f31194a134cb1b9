"""A real `streamlit run app.py` on a free port over a seed database, and Debian's chromium."""

from __future__ import annotations

from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest

from bench import streamlit_server
from bench.streamlit_server import CHROMIUM, CHROMIUM_ARGS

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    """Base URL of a dashboard serving a database built from seeds/ by the real ingest."""
    from analytics.ingest import ensure_database

    db = ensure_database(tmp_path_factory.mktemp("browserdb") / "seed.duckdb")
    with serve(db, tmp_path_factory.mktemp("server") / "streamlit.log") as base:
        yield base


@pytest.fixture(scope="session")
def upload_server(tmp_path_factory):
    """(base URL, database path) of a second dashboard, for tests that add articles through it."""
    from analytics.ingest import ensure_database

    db = ensure_database(tmp_path_factory.mktemp("uploaddb") / "upload.duckdb")
    with serve(db, tmp_path_factory.mktemp("upload-server") / "streamlit.log") as base:
        yield base, db


@contextmanager
def serve(db: Path, log_path: Path, env: dict | None = None):
    """`streamlit run app.py` over `db` on a free port until the block ends; yields its base URL."""
    with serve_process(db, log_path, env) as (base, _):
        yield base


@contextmanager
def serve_process(db: Path, log_path: Path, env: dict | None = None):
    """As `serve`, yielding (base URL, the server's Popen) for tests that kill it."""
    with ExitStack() as stack:
        try:
            base, proc = stack.enter_context(
                streamlit_server.serve(
                    "app.py", log_path, env={"DASHBOARD_DB": str(db)} | (env or {}), timeout=60
                )
            )
        except streamlit_server.ServerFailed as exc:
            pytest.fail(f"streamlit did not start: {exc}")
        yield base, proc


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium (make browser) to run browser tests")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def context(browser):
    ctx = browser.new_context(viewport={"width": 1440, "height": 1000}, accept_downloads=True)
    ctx.set_default_timeout(20_000)
    try:
        yield ctx
    finally:
        ctx.close()
