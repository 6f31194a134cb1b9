"""Named failures of the database file: one line each for the user, the full error in a log file.

Every fault a user can meet with the file (not ours, damaged, locked, disk full, no permission,
read-only file system) is a StoreError subclass whose message says what the file is, what is
wrong and what to do. `classify` turns an OSError or a DuckDB error into one of them, and
`log_failure` writes the traceback to the log file the message names.
"""

from __future__ import annotations

import datetime as dt
import errno
import os
import re
import shutil
import tempfile
import traceback
from pathlib import Path

import duckdb

from analytics import config

ROOT = Path(__file__).resolve().parent.parent.parent
RESTORE_HINT = "restore a backup (`python -m analytics restore BACKUP`)"
NOTHING = "nothing was written"


class StoreError(RuntimeError):
    """A fault with the database file, with a one-line message; nothing was written because of it."""

    label = "database error"

    def __init__(self, message: str, log: Path | None = None):
        super().__init__(message)
        self.log = log

    @property
    def message(self) -> str:
        text = str(self)
        return text + (f" (details in {self.log})" if self.log else "")


class DatabaseBusy(StoreError):
    """Another process holds the database file."""

    label = "file locked by another process"


class NoDatabase(StoreError):
    label = "no database"


class NotADatabase(StoreError):
    """Empty, text, truncated or otherwise not a DuckDB file."""

    label = "not a database"


class ForeignDatabase(StoreError):
    """A DuckDB file that is not this tool's (another schema, an analyst's own tables)."""

    label = "not this tool's database"


class NewerSchema(StoreError):
    label = "written by a newer version"


class OutdatedSchema(StoreError):
    """Ours, from an earlier version, and opened read-only, so it cannot be upgraded."""

    label = "made by an earlier version"


class CorruptDatabase(StoreError):
    label = "damaged file"


class DiskFull(StoreError):
    label = "disk full"


class PermissionDenied(StoreError):
    label = "permission denied"


class ReadOnlyFileSystem(StoreError):
    label = "read-only file system"


def log_path() -> Path:
    """$DASHBOARD_LOG, else logs/analytics.log in the repository, else one in the temporary folder."""
    explicit = config.get("DASHBOARD_LOG")
    if explicit:
        return explicit
    folder = ROOT / "logs"
    try:
        folder.mkdir(exist_ok=True)
        if os.access(folder, os.W_OK):
            return folder / "analytics.log"
    except OSError:
        pass
    return Path(tempfile.gettempdir()) / "analytics.log"


def log_failure(exc: BaseException, context: str = "") -> Path | None:
    """Append the full error to the log file; its path, or None if even that cannot be written."""
    path = log_path()
    stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    text = "".join(traceback.format_exception(exc))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "a", encoding="utf-8") as fh:
            fh.write(f"--- {stamp} {context}\n{text}\n")
    except OSError:
        return None
    return path


def free_mb(path: Path) -> float | None:
    """Megabytes free on the file system holding `path` (or its nearest existing parent)."""
    p = Path(path).absolute()
    while not p.exists() and p != p.parent:
        p = p.parent
    try:
        return shutil.disk_usage(p).free / 2**20
    except OSError:
        return None


def read_only_fs(path: Path) -> bool:
    p = Path(path).absolute()
    while not p.exists() and p != p.parent:
        p = p.parent
    try:
        return bool(os.statvfs(p).f_flag & os.ST_RDONLY)
    except OSError:
        return False


def disk_full(path: Path, outcome: str = NOTHING) -> DiskFull:
    free = free_mb(path)
    shown = f"{free:.1f} MB free" if free is not None else "no space left"
    return DiskFull(f"the disk holding {Path(path).absolute().parent} is full ({shown}); {outcome}. Free some space "
                    "and try again.")  # fmt: skip


def permission_denied(path: Path) -> PermissionDenied:
    return PermissionDenied(f"no permission to write {path} (or the folder it is in, where DuckDB keeps its "
                            "write-ahead log); nothing was written. Fix the permissions, point --db or "
                            "DASHBOARD_DB at a file you may write, or set DASHBOARD_READ_ONLY=1 to browse it.")  # fmt: skip


def read_only_filesystem(path: Path) -> ReadOnlyFileSystem:
    return ReadOnlyFileSystem(f"{path} is on a read-only file system; nothing was written. Copy it to a writable "
                              "place and point --db or DASHBOARD_DB at the copy, or set DASHBOARD_READ_ONLY=1 to "
                              "browse it.")  # fmt: skip


def corrupt(path: Path, detail: str = "") -> CorruptDatabase:
    where = f" ({detail})" if detail else ""
    return CorruptDatabase(f"{path} is damaged: a block of the file failed its checksum{where}; nothing was written. "
                           f"{RESTORE_HINT.capitalize()}, or `python -m analytics rebuild --force --db {path}` to "
                           "move it aside and build a new database.")  # fmt: skip


def truncated(path: Path, size: int, expected: int | None = None) -> NotADatabase:
    of = f"{size:,} of {expected:,} bytes" if expected else f"{size:,} bytes"
    return NotADatabase(f"{path} is a truncated DuckDB file ({of}; an interrupted copy or download?); nothing was "
                        f"written. {RESTORE_HINT.capitalize()}, or `python -m analytics rebuild --force --db {path}` "
                        "to move it aside and build a new database.")  # fmt: skip


def busy(path: Path, detail: str = "") -> DatabaseBusy:
    """The file is held by another process; `detail` is DuckDB's lock error, which names the holder's
    PID and says whether it only reads (then read-only would work) or writes."""
    m = re.search(r"\(PID (\d+)\)", detail)
    who = f"another process (PID {m.group(1)})" if m else "another process"
    if "read-only mode" in detail:
        return DatabaseBusy(f"{path} is open for reading in {who} (an export, a backup, or a dashboard of an older "
                            "version), and DuckDB lets nobody write while it is; nothing was written. Wait for it "
                            "to finish, or stop that process, then try again; or pass --db to work on another file.")  # fmt: skip
    return DatabaseBusy(f"{path} is open for writing in {who} (the dashboard, or another ingest or import); nothing "
                        "was written. Stop that process, or add articles from the dashboard's upload instead, or "
                        "pass --db to work on another file.")  # fmt: skip


def _errno_of(exc: BaseException) -> int | None:
    while exc is not None:
        if isinstance(exc, OSError) and exc.errno:
            return exc.errno
        exc = exc.__cause__ or exc.__context__
    return None


def classify(exc: BaseException, path: Path | str, outcome: str = NOTHING) -> StoreError | None:
    """The named failure behind an OSError or DuckDB error on `path`, or None when it is none of them.
    `outcome` says what became of the work ("nothing of this article was stored")."""
    if isinstance(exc, StoreError):
        return exc
    path = Path(path)
    code = _errno_of(exc)
    text = str(exc)
    low = text.lower()
    if code == errno.ENOSPC or "no space left on device" in low:
        return disk_full(path, outcome)
    if code == errno.EROFS or "read-only file system" in low:
        return read_only_filesystem(path)
    if code in (errno.EACCES, errno.EPERM) or "permission denied" in low:
        return permission_denied(path)
    if "could not set lock" in low or "conflicting lock" in low:
        return busy(path, text)
    if "corrupt database file" in low or "checksum" in low:
        return corrupt(path, text.split(":", 1)[-1].strip()[:120] if isinstance(exc, duckdb.Error) else "")
    if "could not read enough bytes" in low:
        size = path.stat().st_size if path.exists() else 0
        return truncated(path, size)
    if "not a valid duckdb database file" in low:
        return NotADatabase(f"{path} is not a DuckDB database file; nothing was written. Point --db or DASHBOARD_DB "
                            f"at another file, {RESTORE_HINT}, or `python -m analytics rebuild --force` to move it "
                            "aside and build a new one.")  # fmt: skip
    return None


def named(exc: BaseException, path: Path | str, outcome: str = NOTHING) -> StoreError:
    """`classify`, else a generic StoreError; either way with the full error logged and the log named."""
    found = classify(exc, path, outcome)
    err = found or StoreError(f"{path}: the database refused the operation ({type(exc).__name__}: "
                              f"{str(exc).strip().splitlines()[0][:200] if str(exc).strip() else ''}); "
                              f"{outcome}.")  # fmt: skip
    if err is not exc or err.log is None:
        err.log = log_failure(exc, f"{type(err).__name__} on {path}")
    return err
