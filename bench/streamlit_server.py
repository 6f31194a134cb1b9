"""`streamlit run` of a script on a free local port, for the benchmarks and the browser tests.

One place for how a dashboard is started headless, found ready and stopped, so the render and
first-paint benchmarks time the very server the browser tests drive.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")  # Debian's; Playwright drives it through executable_path
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]  # fmt: skip


class ServerFailed(RuntimeError):
    """The server exited or did not answer its health check in time; the message ends with its log."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(base: str, proc: subprocess.Popen, timeout: float = 90) -> None:
    """Return once `base` answers Streamlit's health check; ServerFailed if the process ends first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise ServerFailed("streamlit exited before it was ready")
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise ServerFailed(f"streamlit did not answer its health check within {timeout:.0f} s")


def stop(proc: subprocess.Popen, timeout: float = 15) -> None:
    """End a server: politely, then for good after `timeout` seconds."""
    proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@contextmanager
def serve(script: str, log_path: Path, *, cwd: Path = ROOT, env: dict | None = None,
          timeout: float = 90) -> Iterator[tuple[str, subprocess.Popen]]:  # fmt: skip
    """(base URL, process) of `streamlit run script` until the block ends; ServerFailed with the
    tail of its log if it never became ready."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with open(log_path, "w+") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", script, "--server.headless", "true", "--server.port", str(port),
             "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
             "--server.fileWatcherType", "none"],
            cwd=cwd, env=os.environ | (env or {}), stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            try:
                wait_healthy(base, proc, timeout)
            except ServerFailed as exc:
                log.flush()
                log.seek(0)
                raise ServerFailed(f"{exc}:\n{log.read()[-3000:]}") from None
            yield base, proc
        finally:
            stop(proc)
