"""Page render in headless chromium: navigation to charts drawn, per page, against a running `streamlit run`,
and the server's peak RSS (VmHWM of the server process, where Streamlit runs the pages)."""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from bench.export import vm_hwm_kb
from ui.navigation import RECORD_PAGES

TARGET = 2.0  # 1M events at most 2x as slow to draw as 1K
ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]  # fmt: skip
# url_path -> what is on screen once the page has drawn: plotly charts, or the Data page's table
CHART, TABLE = ".main-svg", "[data-testid='stDataFrame']"
PAGES = {p.url_path or "overview": CHART if p.draws == "chart" else TABLE for p in RECORD_PAGES}
PAGE_TIMEOUT_MS = 90_000
FAILED = "[data-testid='stException']"  # e.g. the query layer's QueryTimeout, shown on the page


@dataclass
class RenderResult:
    events: int
    seconds: dict[str, list[float]] = field(default_factory=dict)
    peak_kb: int = 0
    errors: dict[str, str] = field(default_factory=dict)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_healthy(base: str, proc: subprocess.Popen, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("streamlit exited before it was ready")
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError("streamlit did not become healthy in time")


def _load(page, url: str, drawn: str) -> float:
    """Seconds from navigation until the page's charts (or table) are in the DOM and the script has finished."""
    started = time.perf_counter()
    page.goto(url, wait_until="commit", timeout=PAGE_TIMEOUT_MS)
    # Charts first: before the first run starts the app also reads as notRunning.
    page.wait_for_selector(f"{drawn}, {FAILED}", state="attached", timeout=PAGE_TIMEOUT_MS)
    page.wait_for_selector(
        "[data-testid='stApp'][data-test-script-state='notRunning']", timeout=PAGE_TIMEOUT_MS
    )
    elapsed = time.perf_counter() - started
    if page.query_selector(FAILED):
        raise RuntimeError(f"the page showed an error: {page.inner_text(FAILED)[:200]}")
    return elapsed


def run(dbs: dict[int, Path], loads: int = 3, log=print) -> list[RenderResult]:
    if not CHROMIUM.exists():
        raise RuntimeError(f"{CHROMIUM} is missing (make browser)")
    from playwright.sync_api import sync_playwright

    results = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            for events, db in dbs.items():
                results.append(_one_server(browser, events, db, loads, log))
        finally:
            browser.close()
    return results


def _one_server(browser, events: int, db: Path, loads: int, log) -> RenderResult:
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    log_path = db.with_suffix(".streamlit.log")
    with open(log_path, "w") as server_log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true", "--server.port",
             str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
             "--server.fileWatcherType", "none"],
            cwd=ROOT, env=os.environ | {"DASHBOARD_DB": str(db)}, stdout=server_log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        result = RenderResult(events)
        try:
            _wait_healthy(base, proc)
            for name, drawn in PAGES.items():
                times = []
                # A fresh browser context per load: a new session, as when an analyst opens a shared link.
                for i in range(loads + 1):  # the first load warms the server's caches and is not counted
                    context = browser.new_context(viewport={"width": 1400, "height": 1000})
                    page = context.new_page()
                    try:
                        elapsed = _load(page, f"{base}/{name}", drawn)
                        if i:
                            times.append(elapsed)
                    except Exception as exc:  # noqa: BLE001 - a page that fails is reported, not fatal
                        result.errors[name] = f"{type(exc).__name__}: {str(exc).splitlines()[0][:160]}"
                        break
                    finally:
                        context.close()
                result.seconds[name] = times
                if times:
                    log(f"  render {events:,} events {name}: median {statistics.median(times):.2f} s")
            result.peak_kb = vm_hwm_kb(proc.pid)
        finally:
            stop(proc)
    return result


def stop(proc: subprocess.Popen) -> None:
    """End a server the benchmark started: politely, then for good after 15 s."""
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
