"""Page render in headless chromium: navigation to charts drawn, per page, against a running `streamlit run`,
and the server's peak RSS (VmHWM of the server process, where Streamlit runs the pages)."""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.export import vm_hwm_kb
from bench.streamlit_server import CHROMIUM, CHROMIUM_ARGS, serve
from ui.navigation import RECORD_PAGES

TARGET = 2.0  # 1M events at most 2x as slow to draw as 1K
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
    result = RenderResult(events)
    log_path = db.with_suffix(".streamlit.log")
    with serve("app.py", log_path, env={"DASHBOARD_DB": str(db)}) as (base, proc):
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
    return result
