"""One DuckDB connection per server process (per database file); every query takes its own cursor."""
from __future__ import annotations

import duckdb
import streamlit as st

from analytics.database import db_path


@st.cache_resource(show_spinner=False)
def _connection(path: str) -> duckdb.DuckDBPyConnection:
    # Read-only: the dashboard never writes, and readers do not block one another.
    return duckdb.connect(path, read_only=True)


def connection() -> duckdb.DuckDBPyConnection:
    return _connection(str(db_path().resolve()))


def cursor() -> duckdb.DuckDBPyConnection:
    """A cursor of the shared connection, for one query (DuckDB cursors are not shared across threads)."""
    return connection().cursor()
