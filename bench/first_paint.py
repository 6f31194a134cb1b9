"""First paint: a fresh open of every page, and moving between pages, side by side with a hello-world page.

`python -m bench.first_paint --db FILE` starts `streamlit run app.py` over a copy of FILE and
`streamlit run` of a one-chart hello-world script, both headless, and drives Debian's chromium
with Playwright. Rounds alternate the sides: in each round the hello-world page and then every
dashboard page are opened in a fresh browser context (a new session, as when an analyst opens a
shared link), timed from navigation until the page's charts (or table, or uploader) are in the
DOM and the script has finished. Then, in one context, the sidebar's links move from page to
page, each move timed from the click until the new page's title is drawn and its script has
finished. The first round warms both servers (their imports, the dashboard's caches) and is not
counted. With --root, a second dashboard from another checkout (e.g. the main branch) runs in
the same rounds on its own copy, for a before/after in one run. Views reached from a link, not
the sidebar (the Theatres map tab), are timed on a fresh open only; --page-target sets the ratio
to the hello-world page a fresh open passes at (the issue: 1.3 at corpus size, 2 at 1M events).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from bench.render import FAILED, PAGE_TIMEOUT_MS
from bench.streamlit_server import CHROMIUM, CHROMIUM_ARGS, ROOT, serve

CHART, TABLE, UPLOADER = ".main-svg", "[data-testid='stDataFrame']", "[data-testid='stFileUploader']"
# url_path -> (title on the page, what is on screen once it has drawn)
PAGES = {
    "": ("Overview", CHART),
    "timeline": ("Timeline", CHART),
    "aid": ("Aid", CHART),
    "theatres": ("Theatres", CHART),
    "diplomacy": ("Diplomacy", CHART),
    "claims": ("Claims & sources", CHART),
    "data": ("Data", TABLE),
    "add_articles": ("Add articles", UPLOADER),
}
# Views opened from a link but not from the sidebar: timed on a fresh open only.
VIEWS = {"theatres?view=Map": ("Theatres, map tab", CHART)}
HELLO = '''"""Hello world: the floor of a Streamlit page with one plotly chart."""
import plotly.graph_objects as go
import streamlit as st

st.set_page_config(layout="wide")
st.title("Hello")
st.plotly_chart(go.Figure(go.Bar(x=["a", "b", "c"], y=[1, 3, 2])))
'''
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"
PAGE_TARGET = 1.3  # a fresh open at most this many times the hello-world page
MOVE_TARGET = 0.5  # seconds from a click in the sidebar to the next page drawn


def _fresh_open(browser, url: str, drawn: str) -> float:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        page = context.new_page()
        started = time.perf_counter()
        page.goto(url, wait_until="commit", timeout=PAGE_TIMEOUT_MS)
        # The drawn element first: before the first run starts the app also reads as notRunning.
        page.wait_for_selector(f"{drawn}, {FAILED}", state="attached", timeout=PAGE_TIMEOUT_MS)
        page.wait_for_selector(IDLE, timeout=PAGE_TIMEOUT_MS)
        elapsed = time.perf_counter() - started
        if page.query_selector(FAILED):
            raise RuntimeError(f"{url} showed an error: {page.inner_text(FAILED)[:200]}")
        return elapsed
    finally:
        context.close()


def _moves(browser, base: str, pages: dict) -> dict[str, float]:
    """One session walking the sidebar's links (from the Overview to each of `pages` and back): seconds per
    page moved to."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    out = {}
    try:
        page = context.new_page()
        page.goto(base + "/", timeout=PAGE_TIMEOUT_MS)
        page.wait_for_selector(CHART, state="attached", timeout=PAGE_TIMEOUT_MS)
        page.wait_for_selector(IDLE, timeout=PAGE_TIMEOUT_MS)
        for path, (title, drawn) in [*[(p, v) for p, v in pages.items() if p], ("", PAGES[""])]:
            link = page.locator(f"[data-testid='stSidebarNav'] a[href$='/{path}']").first
            started = time.perf_counter()
            link.click()
            page.locator("h1", has_text=title).first.wait_for(timeout=PAGE_TIMEOUT_MS)
            page.wait_for_selector(IDLE, timeout=PAGE_TIMEOUT_MS)
            page.wait_for_selector(f"{drawn}, {FAILED}", state="attached", timeout=PAGE_TIMEOUT_MS)
            out[path] = time.perf_counter() - started
            if page.query_selector(FAILED):
                raise RuntimeError(f"moving to /{path} showed an error: {page.inner_text(FAILED)[:200]}")
    finally:
        context.close()
    return out


def run(
    db: Path, rounds: int = 3, root: Path | None = None, log=print, only: list[str] | None = None
) -> dict:
    """{'hello': [s], 'pages': {side: {path: [s]}}, 'moves': {side: {path: [s]}}}; side 'this' or 'root'.
    `only`: the url paths to time ('' is the Overview; views such as 'theatres?view=Map' too), all by default."""
    if not CHROMIUM.exists():
        raise RuntimeError(f"{CHROMIUM} is missing (make browser)")
    from playwright.sync_api import sync_playwright

    sides = {"this": ROOT} | ({"root": root} if root else {})
    opened = {p: v for p, v in (PAGES | VIEWS).items() if only is None or p in only}
    moved = {p: v for p, v in PAGES.items() if only is None or p in only}
    out = {"hello": [], "pages": {s: {p: [] for p in opened} for s in sides},
           "moves": {s: {p: [] for p in moved} for s in sides}, "errors": {}}  # fmt: skip

    def timed(side: str, what: str, fn):
        """A page that fails or times out is reported, not fatal: the other figures still count."""
        try:
            return fn()
        except Exception as exc:  # noqa: BLE001
            out["errors"][(side, what)] = f"{type(exc).__name__}: {str(exc).splitlines()[0][:160]}"
            log(f"  {side} {what}: {out['errors'][(side, what)]}")
            return None

    with tempfile.TemporaryDirectory(prefix="first-paint-") as tmp, sync_playwright() as p:
        tmp = Path(tmp)
        (tmp / "hello.py").write_text(HELLO)
        servers = {}
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            from contextlib import ExitStack

            with ExitStack() as stack:
                hello = stack.enter_context(serve("hello.py", tmp / "hello.log", cwd=tmp))[0]
                for side, tree in sides.items():
                    copy = tmp / f"{side}.duckdb"  # each server holds its own file for writing
                    shutil.copyfile(db, copy)
                    servers[side] = stack.enter_context(
                        serve("app.py", tmp / f"{side}.log", cwd=tree, env={"DASHBOARD_DB": str(copy)})
                    )[0]
                for r in range(rounds + 1):
                    counted = r > 0  # round 0 warms the servers
                    t = _fresh_open(browser, hello + "/", CHART)
                    if counted:
                        out["hello"].append(t)
                    for side, base in servers.items():
                        for path, (_, drawn) in opened.items():
                            t = timed(side, f"/{path}", lambda: _fresh_open(browser, f"{base}/{path}", drawn))  # noqa: B023
                            if counted and t is not None:
                                out["pages"][side][path].append(t)
                            log(f"  {side} /{path}: {'failed' if t is None else f'{t:.2f} s'}")
                        moves = timed(side, "moves", lambda: _moves(browser, base, moved)) or {}  # noqa: B023
                        if counted:
                            for path, t in moves.items():
                                out["moves"][side].setdefault(path, []).append(t)
                    log(f"  round {r} done{'' if counted else ' (warm-up)'}")
        finally:
            browser.close()
    return out


def report(
    result: dict, db: Path, rounds: int, root: Path | None, page_target: float = PAGE_TARGET
) -> list[str]:
    def med(values):
        return statistics.median(values) if values else float("nan")

    hello = med(result["hello"])
    sides = list(result["pages"])
    head = "| page | fresh open s | × hello | moving to it s |"
    rule = "|---|---:|---:|---:|"
    if "root" in sides:
        head += f" before ({root.name}) fresh open s | before × hello | before moving s |"
        rule += "---:|---:|---:|"
    lines = [f"Hello-world page (one plotly chart), fresh open: **{hello:.2f} s** (median of {len(result['hello'])}).",
             "", head, rule]  # fmt: skip
    for path, (title, _) in (PAGES | VIEWS).items():
        if path not in result["pages"][sides[0]]:
            continue
        row = f"| {title} |"
        for side in sides:
            opened = med(result["pages"][side][path])
            moved = med(result["moves"][side].get(path, []))
            ratio = opened / hello
            row += (f" {opened:.2f} | {ratio:.2f}× {'PASS' if ratio <= page_target else 'MISS'} |"
                    + (f" {moved:.2f} {'PASS' if moved <= MOVE_TARGET else 'MISS'} |" if path in PAGES else " — |"))  # fmt: skip
        lines.append(row)
    if result["errors"]:
        lines += ["", "Loads that failed (not counted): " + "; ".join(
            f"{side} {what}: {err}" for (side, what), err in result["errors"].items())]  # fmt: skip
    return lines


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.first_paint", description=__doc__.splitlines()[0])
    ap.add_argument(
        "--db", required=True, type=Path, help="database to serve (copied; the file is not touched)"
    )
    ap.add_argument("--rounds", type=int, default=3, help="counted rounds after the warm-up (default 3)")
    ap.add_argument("--root", type=Path, help="another checkout to time in the same rounds (before/after)")
    ap.add_argument("--page-target", type=float, default=PAGE_TARGET,
                    help=f"a fresh open passes at most this many times the hello-world page (default {PAGE_TARGET}; "
                         "the issue allows 2 at 1M events)")  # fmt: skip
    ap.add_argument("--pages", nargs="+", metavar="PATH",
                    help="time only these url paths ('' or / for the Overview, e.g. timeline 'theatres?view=Map'); "
                         "moving is then timed from the Overview to each and back")  # fmt: skip
    args = ap.parse_args(argv)
    only = None
    if args.pages:
        only = [p.strip("/") for p in args.pages]
        unknown = [p for p in only if p not in PAGES | VIEWS]
        if unknown:
            ap.error(f"unknown page {unknown[0]!r}: choose from {', '.join(repr(p) for p in PAGES | VIEWS)}")
    load_start = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    started = time.perf_counter()
    result = run(args.db, args.rounds, args.root, only=only)
    load_end = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"\n{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; {time.perf_counter() - started:.0f} s; "
          f"load average at start {load_start}, at end {load_end}\n")  # fmt: skip
    print("\n".join(report(result, args.db, args.rounds, args.root, args.page_target)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
