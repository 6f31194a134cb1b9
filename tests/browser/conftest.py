"""A real `streamlit run app.py` on a free port over a seed database, and Debian's chromium."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]  # fmt: skip


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


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
    port = _free_port()
    log = open(log_path, "w+")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
         "--server.fileWatcherType", "none"],
        cwd=ROOT, env=os.environ | {"DASHBOARD_DB": str(db)} | (env or {}), stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                log.seek(0)
                pytest.fail(f"streamlit did not start:\n{log.read()[-3000:]}")
            time.sleep(0.2)
        yield base, proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


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
