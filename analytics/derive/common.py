"""Shared pieces of the derivation: settings, stable ids, record loading, union of clusters."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import duckdb
import pandas as pd
import yaml

from analytics import config, schemas

SETTINGS_FILE = "derive.yaml"


@lru_cache(maxsize=4)
def _load_settings(path: str, mtime: float) -> dict:
    return schemas.validate(SETTINGS_FILE, yaml.safe_load(Path(path).read_text(encoding="utf-8")), path)


def settings(data_dir: Path | None = None) -> dict:
    """data/derive.yaml (re-read when it changes)."""

    path = config.vocabulary_file(SETTINGS_FILE, data_dir)
    return _load_settings(str(path), path.stat().st_mtime)


def stable_id(prefix: str, members: Iterable[str]) -> str:
    """An id that depends only on the set of members: the same cluster keeps its id across rebuilds."""
    h = hashlib.sha1("\n".join(sorted(set(members))).encode()).hexdigest()[:16]
    return f"{prefix}_{h}"


def has_column(con: duckdb.DuckDBPyConnection, table: str, column: str) -> bool:
    row = con.execute(
        "SELECT 1 FROM information_schema.columns WHERE table_name = ? AND column_name = ?", [table, column]
    ).fetchall()
    return bool(row)


def factuality_expr(con: duckdb.DuckDBPyConnection, table: str, alias: str) -> str:
    """SQL for a record's factuality: the column once the extractor writes it, else NULL (= asserted)."""
    if has_column(con, table, "factuality"):
        return f"{alias}.factuality"
    return "NULL::VARCHAR"


def outlet_expr(alias: str = "d") -> str:
    """An article's outlet as stored at ingest, else its source or url's host, else the article itself."""
    return (f"coalesce(nullif({alias}.outlet, ''), nullif({alias}.source, ''), nullif(regexp_extract({alias}.url, '^[a-z]+://([^/]+)', 1), ''), "
            f"'article:' || {alias}.doc_id)")  # fmt: skip


def frame(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> pd.DataFrame:
    return con.sql(sql, params=params or None).to_arrow_table().to_pandas()


class Clusters:
    """Clusters of record ids with the reason each member joined; corrections act on these."""

    def __init__(self) -> None:
        self.members: dict[int, list[str]] = {}
        self.reason: dict[str, str] = {}
        self.of: dict[str, int] = {}
        self.corrected: set[int] = set()
        self._next = 0

    def new(self, record_id: str, reason: str) -> int:
        cid = self._next
        self._next += 1
        self.members[cid] = [record_id]
        self.reason[record_id] = reason
        self.of[record_id] = cid
        return cid

    def add(self, cid: int, record_id: str, reason: str) -> None:
        self.members[cid].append(record_id)
        self.reason[record_id] = reason
        self.of[record_id] = cid

    def split(self, record_ids: set[str], reason: str) -> None:
        """Every cluster holding some of `record_ids` and other reports is cut in two."""
        touched = {self.of[r] for r in record_ids if r in self.of}
        for cid in sorted(touched):
            inside = [r for r in self.members[cid] if r in record_ids]
            rest = [r for r in self.members[cid] if r not in record_ids]
            if not inside or not rest:
                continue
            self.members[cid] = rest
            self.corrected.add(cid)
            new = self.new(inside[0], reason)
            for r in inside[1:]:
                self.add(new, r, reason)
            self.corrected.add(new)

    def join(self, record_ids: set[str], reason: str) -> None:
        """The clusters holding any of `record_ids` become one."""
        touched = sorted({self.of[r] for r in record_ids if r in self.of})
        if len(touched) < 2:
            return
        keep = touched[0]
        for cid in touched[1:]:
            for r in self.members.pop(cid):
                self.add(keep, r, reason)
            self.corrected.discard(cid)
        self.corrected.add(keep)

    def merge(self, src: int, dst: int, reason: str) -> None:
        """Move every report of `src` into `dst`, each with `reason` (a rule's merge, not an analyst's)."""
        for r in self.members.pop(src):
            self.add(dst, r, reason)

    def groups(self) -> list[tuple[int, list[str]]]:
        return sorted(self.members.items())
