"""The journal of an upload under way: which files it was given (names and hashes) and which were stored,
so that after a server died mid-upload the page can say what went in and what did not.

One small JSON file per upload in `uploads/` beside the database, written before the first file is
read and rewritten (to a temporary name, then `os.replace`) as each file's outcome is known; it is
removed when the upload ends. A journal left by another server process (this one's `BOOT` differs)
that still has files without an outcome is an upload that was cut off. Only names, sizes and
SHA-256 hashes are written, never an article's bytes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from analytics.corpus import safe_name

BOOT = (
    f"{os.getpid()}-{uuid.uuid4().hex[:12]}"  # this server process; a journal of another one is not running
)
STORED = ("added", "present")


def journal_dir(db: str | os.PathLike) -> Path:
    return Path(db).absolute().parent / "uploads"


def _parts(item) -> tuple[str, bytes]:
    if isinstance(item, tuple):
        return str(item[0]), bytes(item[1])
    return str(item.name), item.getvalue()


@dataclass
class Journal:
    path: Path
    data: dict

    @property
    def files(self) -> list[dict]:
        return self.data["files"]

    @property
    def started(self) -> dt.datetime:
        return dt.datetime.fromisoformat(self.data["started"])

    def stored(self) -> list[dict]:
        return [f for f in self.files if f.get("status") in STORED]

    def refused(self) -> list[dict]:
        return [f for f in self.files if f.get("status") == "failed"]

    def not_stored(self) -> list[dict]:
        """Files the upload never finished: not stored (or stored in the instant before the server
        died; adding them again is safe, an article already in is reported, never stored twice)."""
        return [f for f in self.files if not f.get("status")]

    def _write(self) -> None:
        tmp = self.path.with_name(self.path.name + ".partial")
        tmp.write_text(json.dumps(self.data, indent=1), encoding="utf-8")
        os.replace(tmp, self.path)

    def mark(self, index: int, status: str, reason: str = "", doc_id: str = "") -> None:
        entry = self.files[index]
        entry.update(status=status, reason=reason, doc_id=doc_id)
        self._write()

    def finish(self) -> None:
        self.path.unlink(missing_ok=True)


def start(db: str | os.PathLike, uploads: Iterable) -> Journal:
    """Write the journal of an upload before any of its files is read: names, sizes, hashes."""
    folder = journal_dir(db)
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for item in uploads:
        name, raw = _parts(item)
        files.append({"file": safe_name(name), "bytes": len(raw), "sha256": hashlib.sha256(raw).hexdigest(),
                      "status": None})  # fmt: skip
    now = dt.datetime.now(dt.UTC)
    path = folder / f"{Path(db).stem}-{now:%Y%m%dT%H%M%S%fZ}-{os.getpid()}.json"
    journal = Journal(path, {"database": str(Path(db).absolute()), "started": now.isoformat(), "boot": BOOT,
                             "pid": os.getpid(), "files": files})  # fmt: skip
    journal._write()
    return journal


def _journals(db: str | os.PathLike) -> list[Journal]:
    folder = journal_dir(db)
    found = []
    for path in sorted(folder.glob(f"{Path(db).stem}-*.json")) if folder.exists() else []:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if isinstance(data, dict) and isinstance(data.get("files"), list) and "started" in data:
                found.append(Journal(path, data))
        except (OSError, ValueError):
            continue  # unreadable: not ours to judge; it is left where it is
    return found


def interrupted(db: str | os.PathLike) -> list[Journal]:
    """Uploads of `db` that a server which is no longer running began and never finished, newest first."""
    return [j for j in reversed(_journals(db)) if j.data.get("boot") != BOOT and j.not_stored()]


def settle(db: str | os.PathLike, journal: Journal) -> None:
    """After `journal`'s upload ended: files of cut-off uploads that it stored count as stored there;
    a cut-off upload with nothing left unstored is forgotten."""
    stored = {f["sha256"]: f for f in journal.stored()}
    for done in _journals(db):  # left by a server that died after its last file and before it tidied up
        if done.data.get("boot") != BOOT and not done.not_stored():
            done.finish()
    for old in interrupted(db):
        changed = False
        for entry in old.not_stored():
            if entry["sha256"] in stored:
                entry.update(status=stored[entry["sha256"]]["status"], reason="added again later")
                changed = True
        if not old.not_stored():
            old.finish()
        elif changed:
            old._write()


def dismiss(journal: Journal) -> None:
    journal.finish()


def age(journal: Journal) -> float:
    return time.time() - journal.started.timestamp()
