"""Read-only snapshots of the database, so dashboards that cannot be its writer still read it.

DuckDB lets no other process open a file while one holds it read-write, so readers never open
the database itself. Whoever writes it (the dashboard's upload or import, the CLI's `ingest`,
`import`, `derive`, `correct`, `rebuild`, `restore`) publishes, after its writes are committed,
a copy beside it: `snapshots/<name>-<UTC stamp>.duckdb`, made under the writer's lock as
CHECKPOINT then a byte copy to a hidden temporary name, then `os.replace` (a reader never sees
half a file), with `<name>-<stamp>.json` saying who published it and when. The newest
`DASHBOARD_SNAPSHOTS` (2) are kept. A reader takes the newest by name (one directory listing,
no file opened) and switches when a newer one appears.

A process that reads the file while nobody writes it (a DASHBOARD_READ_ONLY dashboard finding
no snapshot, or an old one; `rebuild` and `restore` after replacing it) makes one itself over a
read-only connection (`publish_from_file`), which holds the file only for the copy.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import socket
import subprocess
import time
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import duckdb

from analytics import config
from analytics.store.connection import copy_database
from analytics.store.errors import DatabaseBusy, DiskFull, NoDatabase, StoreError, named
from analytics.store.files import check_header, refusal
from analytics.store.schema import read_state

DEFAULT_KEEP = 2
RESERVE_BYTES = 64 * 2**20  # a snapshot never leaves less free than this (or the database's size, if larger)
POLL_SECONDS = 10  # how often an idle reader page looks for a newer snapshot
STAMP = "%Y%m%dT%H%M%S%fZ"


class NoSnapshot(StoreError):
    """A reader has nothing to read: the file is held by a writer that has published no snapshot yet."""

    label = "no snapshot to read yet"


@dataclass(frozen=True)
class Snapshot:
    path: Path
    version: str  # the UTC stamp in its name; a later one sorts after
    published_at: dt.datetime
    by: str  # what published it, in the analyst's words ("`ingest`", "the dashboard's upload")
    pid: int | None = None
    source_mtime_ns: int | None = None  # the database file's mtime when it was copied
    source_size: int | None = None
    seconds: float | None = None  # how long the copy took

    def age_seconds(self, now: dt.datetime | None = None) -> float:
        return ((now or dt.datetime.now(dt.UTC)) - self.published_at).total_seconds()


def keep() -> int:
    """$DASHBOARD_SNAPSHOTS: how many snapshots to keep (2); 0 publishes none."""
    return config.get("DASHBOARD_SNAPSHOTS")


def interval() -> float:
    """$DASHBOARD_SNAPSHOT_EVERY: seconds between snapshots during one long ingest (60); 0: only at its end."""
    return max(0.0, config.get("DASHBOARD_SNAPSHOT_EVERY"))


def snapshot_dir(db: str | os.PathLike) -> Path:
    return Path(db).absolute().parent / "snapshots"


def _wal(path: Path) -> Path:
    return Path(str(path) + ".wal")


def _names(db: Path) -> re.Pattern:
    return re.compile(re.escape(Path(db).stem) + r"-(\d{8}T\d{12}Z)\.duckdb")


def versions(db: str | os.PathLike) -> list[tuple[str, Path]]:
    """(version, path) of every snapshot of `db`, oldest first: one directory listing, nothing opened."""
    folder = snapshot_dir(db)
    pattern = _names(Path(db))
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return []
    found = [(m.group(1), Path(e.path)) for e in entries if (m := pattern.fullmatch(e.name))]
    return sorted(found)


def newest_version(db: str | os.PathLike) -> str | None:
    found = versions(db)
    return found[-1][0] if found else None


@lru_cache(maxsize=64)
def _describe(path: Path, version: str) -> Snapshot:
    """A snapshot's card (its JSON beside it; from the name alone when that is missing or unreadable)."""
    stamped = dt.datetime.strptime(version, STAMP).replace(tzinfo=dt.UTC)
    try:
        meta = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return Snapshot(path, version, stamped, "an unknown process")
    return Snapshot(path, version, stamped, str(meta.get("by") or "an unknown process"), meta.get("pid"),
                    meta.get("source_mtime_ns"), meta.get("source_size"), meta.get("seconds"))  # fmt: skip


def newest(db: str | os.PathLike) -> Snapshot | None:
    """The newest snapshot of `db`, or None."""
    found = versions(db)
    return _describe(*reversed(found[-1])) if found else None


def _source_state(db: Path) -> tuple[int, int]:
    st = db.stat()
    return st.st_mtime_ns, st.st_size


def is_current(db: str | os.PathLike, snap: Snapshot | None) -> bool:
    """Whether `snap` was copied from the file as it is now (its mtime and size; a WAL means it is not)."""
    db = Path(db)
    if snap is None or snap.source_mtime_ns is None:
        return False
    wal = _wal(db)
    if wal.exists() and wal.stat().st_size > 0:
        return False
    try:
        return _source_state(db) == (snap.source_mtime_ns, snap.source_size)
    except OSError:
        return False


def check_room(db: Path, folder: Path) -> None:
    """Refuse a snapshot that would leave the disk too full for the database itself to grow: the
    copy plus the larger of RESERVE_BYTES and the database's size must be free."""
    need = db.stat().st_size + (_wal(db).stat().st_size if _wal(db).exists() else 0)
    reserve = max(RESERVE_BYTES, need)
    free = shutil.disk_usage(folder).free
    if free < need + reserve:
        mb = 2**20
        raise DiskFull(f"no snapshot was published for read-only dashboards: the copy needs {need / mb:.1f} MB and "
                       f"would leave {max(0, free - need) / mb:.1f} MB free on the disk holding {folder}, less than "
                       f"the {reserve / mb:.0f} MB kept for the database itself; the database is untouched and "
                       "readers keep the previous snapshot. Free some space, or set DASHBOARD_SNAPSHOTS=0 to "
                       "publish none.")  # fmt: skip


def _next_version(db: Path) -> str:
    stamp = dt.datetime.now(dt.UTC)
    last = newest_version(db)
    if last:  # strictly after the newest, even if the clock stepped back
        stamp = max(
            stamp, dt.datetime.strptime(last, STAMP).replace(tzinfo=dt.UTC) + dt.timedelta(microseconds=1)
        )
    return stamp.strftime(STAMP)


def _finish(
    db: Path, tmp: Path, version: str, by: str, source: tuple[int, int] | None, seconds: float
) -> Snapshot:
    """Card first, then the file renamed into place: a reader that sees the file finds its card."""
    folder = snapshot_dir(db)
    final = folder / f"{db.stem}-{version}.duckdb"
    card = {"version": version, "by": by, "pid": os.getpid(), "host": socket.gethostname(),
            "source": str(db.absolute()), "source_mtime_ns": source[0] if source else None,
            "source_size": source[1] if source else None, "seconds": round(seconds, 4),
            "bytes": tmp.stat().st_size}  # fmt: skip
    card_tmp = folder / f".{db.stem}.json.partial"
    card_tmp.write_text(json.dumps(card, indent=1), encoding="utf-8")
    os.replace(card_tmp, final.with_suffix(".json"))
    os.replace(tmp, final)
    prune(db)
    return _describe(final, version)


def prune(db: str | os.PathLike, keep_n: int | None = None) -> None:
    """Keep the newest `keep_n` snapshots of `db`. A reader still on an older one keeps reading it:
    an open file outlives its name."""
    keep_n = keep() if keep_n is None else keep_n
    found = versions(db)
    for _, path in found[: max(0, len(found) - max(keep_n, 1))]:
        path.unlink(missing_ok=True)
        path.with_suffix(".json").unlink(missing_ok=True)


def publish(con: duckdb.DuckDBPyConnection, db: str | os.PathLike, by: str,
            lock: AbstractContextManager | None = None) -> Snapshot | None:  # fmt: skip
    """After committed writes through `con` (which has `db` open read-write): a snapshot of it, unless
    the newest one is already of the file as it is. `lock` is the writer lock of the process (held
    for the checkpoint and the copy, so no write lands half-way). None when snapshots are off.
    Raises the named StoreError (disk full, permission) when it cannot be written; the database is
    untouched either way."""
    if keep() == 0:
        return None
    db = Path(db)
    folder = snapshot_dir(db)
    tmp = folder / f".{db.stem}.partial"
    try:
        folder.mkdir(exist_ok=True)
        started = time.perf_counter()
        with lock or nullcontext():
            current = newest(db)
            if is_current(db, current):
                return current
            # Before the checkpoint: a checkpoint that runs out of disk is fatal to this process's
            # database instance (DuckDB invalidates it), so it is not tried without room to spare.
            check_room(db, folder)
            con.execute("CHECKPOINT")
            if is_current(db, current):
                return current
            if _wal(db).exists() and _wal(db).stat().st_size > 0:
                # The checkpoint could not fold everything into the file: copy a transaction's view instead.
                _copy_database(con, tmp)
                source = None
            else:
                source = _source_state(db)
                _copy_file(db, tmp)
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        return _finish(db, tmp, _next_version(db), by, source, time.perf_counter() - started)
    except (OSError, duckdb.Error) as exc:
        tmp.unlink(missing_ok=True)
        raise named(exc, folder, "no snapshot was published; the database itself is untouched") from exc


def _copy_file(src: Path, dst: Path) -> None:
    """Copy the database file in a child process. Not in this one: DuckDB's lock on the file is a
    POSIX record lock, which the kernel drops when this process closes *any* descriptor of the
    file, so reading it here would leave it open to a second writer."""
    done = subprocess.run(["cp", "--", str(src), str(dst)], capture_output=True, text=True)
    if done.returncode != 0:
        raise OSError(done.stderr.strip() or f"cp exited with {done.returncode}")


def _copy_database(con: duckdb.DuckDBPyConnection, target: Path) -> None:
    for leftover in (target, _wal(target)):
        leftover.unlink(missing_ok=True)
    copy_database(con, target)
    _wal(target).unlink(missing_ok=True)


def publish_from_file(db: str | os.PathLike, by: str) -> Snapshot | None:
    """A snapshot of `db` made by a process that does not have it open: over a read-only connection
    (so no writer starts meanwhile), a byte copy (COPY FROM DATABASE when a WAL is left over), unless
    the newest snapshot is of the file as it is. Raises
    DatabaseBusy when a writer holds the file, NoDatabase when there is none."""
    if keep() == 0:
        return None
    db = Path(db)
    if not db.exists():
        raise NoDatabase(
            f"{db}: no database yet; run `python -m analytics rebuild --db {db}` to build it from seeds/."
        )
    current = newest(db)
    if is_current(db, current):
        return current
    folder = snapshot_dir(db)
    tmp = folder / f".{db.stem}.partial"
    try:
        folder.mkdir(exist_ok=True)
        check_room(db, folder)
        started = time.perf_counter()
        con = duckdb.connect(str(db), read_only=True)  # held for the copy: no writer can start meanwhile
        try:
            source = _source_state(db)
            if _wal(db).exists() and _wal(db).stat().st_size > 0:
                _copy_database(con, tmp)  # a read-only connection cannot fold the WAL into the file
            else:
                _copy_file(db, tmp)
        finally:
            con.close()
        return _finish(db, tmp, _next_version(db), by, source, time.perf_counter() - started)
    except (OSError, duckdb.Error) as exc:
        tmp.unlink(missing_ok=True)
        err = named(exc, db, "no snapshot was published; the database itself is untouched")
        raise err from exc


def open_snapshot(snap: Snapshot) -> duckdb.DuckDBPyConnection:
    """A read-only connection to a snapshot, after the checks that need no full read (a DuckDB
    header, this tool's marker, a schema this code knows): it was written whole and renamed into
    place, so the block-by-block read the database file gets at a writer's start is not repeated."""
    path = snap.path
    check_header(path)
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error as exc:
        raise named(exc, path) from exc
    try:
        refused = refusal(path, read_state(con))
    except duckdb.Error as exc:
        con.close()
        raise named(exc, path) from exc
    if refused:
        con.close()
        raise refused
    return con


# ---------------------------------------------------------------------------------------------
# Who holds the file


@dataclass(frozen=True)
class Holder:
    """The process DuckDB names in its lock error."""

    pid: int | None
    reads_only: bool  # the holder has the file open read-only (an export, a backup, an old dashboard)
    command: str | None = None

    def describe(self) -> str:
        if self.pid is None:
            return "another process"
        what = f": `{self.command}`" if self.command else ""
        return f"another process (PID {self.pid}{what})"


def holder(exc: BaseException | str) -> Holder:
    """Read DuckDB's "Conflicting lock is held in … (PID n)" (and whether it says read-only would
    work, i.e. the holder only reads) from an error or its chain."""
    texts, seen = [], exc
    while isinstance(seen, BaseException):
        texts.append(str(seen))
        seen = seen.__cause__ or seen.__context__
    text = " ".join(texts) if texts else str(exc)
    m = re.search(r"\(PID (\d+)\)", text)
    pid = int(m.group(1)) if m else None
    return Holder(pid, "read-only mode" in text, _command(pid) if pid else None)


def _command(pid: int) -> str | None:
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return None
    parts = [p.decode(errors="replace") for p in raw.split(b"\0") if p]
    if not parts:
        return None
    parts[0] = Path(parts[0]).name
    shown = " ".join(parts)
    return shown if len(shown) <= 80 else shown[:77] + "..."


__all__ = ["POLL_SECONDS", "DatabaseBusy", "Holder", "NoSnapshot", "Snapshot", "holder", "is_current", "newest",
           "newest_version", "open_snapshot", "prune", "publish", "publish_from_file", "versions"]  # fmt: skip
