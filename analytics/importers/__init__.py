"""Imports of standard conflict datasets (ACLED, GDELT 2.0 events, Eyes on Russia) into the record tables.

The formats are declared in analytics/import_formats.py. `import_file(con, fmt, source, name)`
is the one entry point, for the CLI and the dashboard's upload alike. Each imported row becomes a documents row (origin = the dataset, name = its
external id, text = its notes or description, url = its source link, published_basis =
'dataset'), one sentence holding the whole text, and a record pointing at that sentence, with
a stable record_id, sha1('<origin>:<external id>')[:16], so links survive re-imports. The
dataset's own fields go to import_details. A file goes in whole or not at all.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import duckdb

from analytics.derive import refresh as refresh_derived
from analytics.import_formats import FORMATS
from analytics.importers.common import (
    ImportFormatError,
    ImportResult,
    build_lookups,
    drop_temp,
    load_mappings,
    write_staged,
)
from analytics.search import refresh as refresh_search
from analytics.store import sync_vocabulary

__all__ = ["FORMATS", "ImportFormatError", "ImportResult", "detect_format", "import_file"]


def import_file(
    con: duckdb.DuckDBPyConnection,
    fmt: str,
    source: str | os.PathLike | bytes,
    name: str | None = None,
    refresh: bool = True,
) -> ImportResult:
    """Import one file of format `fmt` (a name in FORMATS: acled | gdelt | eyes-on-russia).

    `source` is a path or the file's bytes (an upload); `name` is the file name used in messages
    and stored in import_details (default: the path's name). Returns counts and a message;
    raises ImportFormatError, with a message naming the row and column, on bad input, in which
    case nothing was stored. After the write the derived tables and the search index are
    refreshed; `refresh=False` leaves that to the caller (analytics.derive.refresh and
    analytics.search.refresh), for several files in a row or to time the steps apart.
    """
    if fmt not in FORMATS:
        raise ImportFormatError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    module = FORMATS[fmt].module
    if isinstance(source, bytes | bytearray):
        suffix = Path(name or "upload").suffix or ".csv"
        fd, tmp = tempfile.mkstemp(suffix=suffix, prefix="import-")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(source)
            return _import_path(con, module, Path(tmp), name or "upload" + suffix, refresh)
        finally:
            os.unlink(tmp)
    path = Path(source)
    if not path.is_file():
        raise ImportFormatError(f"{path}: no such file")
    return _import_path(con, module, path, name or path.name, refresh)


def _import_path(con, module, path: Path, name: str, refresh: bool = True) -> ImportResult:
    sync_vocabulary(con)
    mappings = load_mappings()
    try:
        build_lookups(con, mappings)
        result = module.stage(con, path, name, mappings)
        # Every format stores its staged rows the same way; REMOVAL_SQL, when a format has one,
        # names the stored rows a re-import of a newer file removes.
        written = write_staged(
            con, module.ORIGIN, name, result, removal_sql=getattr(module, "REMOVAL_SQL", None)
        )
    finally:
        drop_temp(con)
    if refresh:
        refresh_derived(con)  # imported rows are incidents of their own, matched to news incidents
        refresh_search(con)  # their text is searchable like an article's
    return written


def detect_format(source: str | os.PathLike | bytes) -> str | None:
    """The format a file looks like from its first bytes, or None: for an upload form's default."""
    if isinstance(source, bytes | bytearray):
        head = bytes(source[: 1 << 14])
    else:
        with open(source, "rb") as fh:
            head = fh.read(1 << 14)
    text = head.decode("utf-8-sig", errors="replace").lstrip()
    first = text.splitlines()[0] if text else ""
    return next((f.name for f in FORMATS.values() if f.looks_like(text, first)), None)
