"""Dataset imports from the Data page: an uploaded file into the database through the server's one writer.

The import itself is analytics.importers.import_file; this module only takes the writer's cursor
and lock, turns the result or the refusal into something a page can show, and empties the
caches so the sidebar lists the new origins and actors.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import streamlit as st

from analytics.import_formats import FILE_TYPES as FILE_TYPES  # re-exported for the Data page
from analytics.importers import FORMATS, ImportFormatError, detect_format, import_file
from analytics.measures import origin_label
from analytics.schemas import DataFileError
from analytics.store import StoreError
from ui.db import writer

FORMAT_LABELS = {f.name: f.label for f in FORMATS.values()}  # declared in analytics/import_formats.py
IMPORTED = "_import_outcome"  # session state: the Outcome of the last import, shown until the next
ROUND = "_import_round"  # part of the uploader's key: a new one empties it once its file is in


@dataclass(frozen=True)
class Outcome:
    ok: bool
    headline: str
    notes: tuple[str, ...] = ()


def guess_format(data: bytes) -> str | None:
    """The format the file's first bytes look like, or None when they say nothing."""
    fmt = detect_format(data)
    return fmt if fmt in FORMATS else None


def import_upload(fmt: str, data: bytes, name: str) -> Outcome:
    """Import one uploaded file whole or not at all; never raises for a bad file or a busy database."""
    try:
        with (
            writer("the dashboard's import") as (cur, lock),
            lock,
        ):  # one cursor for the whole import: its staging tables live on it
            result = import_file(cur, fmt, data, name)
    except (ImportFormatError, DataFileError) as exc:  # the file, or import_mappings.yaml
        return Outcome(False, f"{name} was not imported, nothing was stored: {exc}")
    except StoreError as exc:  # busy, read-only, disk full, damaged file: its own one line
        return Outcome(False, f"{name} was not imported: {exc.message}")
    except duckdb.Error as exc:  # e.g. a file DuckDB cannot parse at all: say so rather than show a traceback
        return Outcome(False, f"{name} was not imported, nothing was stored: the database refused it "
                              f"({type(exc).__name__}: {str(exc)[:300]})")  # fmt: skip
    finally:
        # Whatever happened, no page may go on showing cached vocabularies without the new records.
        st.cache_data.clear()
    return Outcome(True, f"{result.file} ({origin_label(result.origin)}, {result.rows:,} rows): {result.summary}.",
                   tuple(result.notes))  # fmt: skip


def import_clicked(fmt: str, data: bytes, name: str) -> None:
    """The Import button's callback: import, keep the outcome for the page, empty the uploader on success."""
    outcome = import_upload(fmt, data, name)
    st.session_state[IMPORTED] = outcome
    if outcome.ok:
        st.session_state[ROUND] = st.session_state.get(ROUND, 0) + 1
