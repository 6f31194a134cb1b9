"""Query results kept between reruns and sessions, keyed by the database file and its data version.

Every committed write bumps the file's data version (analytics.store.writer), so a cached result
is served only while the data it was computed from is unchanged; one indexed lookup per use
says so. Call a query through `q`: `q.overview_counts(f)` runs `queries.overview_counts(cursor(),
f)` once per (file, version, arguments). The connection never enters the cache key (it cannot be
hashed, and must not be shared across threads): the cached function takes its own cursor.
"""

from __future__ import annotations

import threading
from typing import NamedTuple

import streamlit as st

from analytics import charts, queries
from analytics.store import db_path
from analytics.store.writer import data_version
from ui.db import connection, cursor

# Functions of the query layer whose results depend only on their arguments and the data.
CACHEABLE = frozenset({
    "vocabulary", "articles", "articles_per_month", "article_title", "article_exists", "actor_reach",
    "overview_counts", "incident_count", "aid_headline", "view_rows", "view_count", "timeline_monthly_by",
    "coverage", "coverage_by_origin", "sources", "monthly_coverage", "record_count", "timeline_records",
    "theatre_places_by", "map_places", "map_landmarks", "aid_by_donor_stage", "aid_running_totals", "aid_corrections",
    "diplomacy_by_type", "diplomacy_by_participant", "stance_matrix", "table_descriptions", "table_count",
    "table_rows", "article", "article_sentences", "incident_reports", "record_details",
})  # fmt: skip


_local = threading.local()  # one cursor per script thread for the version lookup (a new cursor costs ~5 ms)


def version() -> tuple[str, str]:
    """(file, data stamp) of the server's database: the part of every cache key that says the data."""
    con = connection()
    held = getattr(_local, "held", None)
    if held is None or held[0] is not con:  # first use in this thread, or the connection was reopened
        held = _local.held = (con, con.cursor())
    return str(db_path().resolve()), data_version(held[1])


@st.cache_data(show_spinner=False, max_entries=512)
def _run(name: str, key: tuple[str, str], args: tuple, kwargs: tuple):  # noqa: ARG001 - key: the data's version
    return getattr(queries, name)(cursor(), *args, **dict(kwargs))


class _Cached:
    def __getattr__(self, name: str):
        if (
            name not in CACHEABLE
        ):  # a typo or a function with side effects: fail loudly, never cache by accident
            raise AttributeError(
                f"queries.{name} is not cached; add it to ui.cache.CACHEABLE if it only reads"
            )

        def call(*args, **kwargs):
            return _run(name, version(), args, tuple(sorted(kwargs.items())))

        return call


q = _Cached()


class Query(NamedTuple):
    """A query-layer call standing for its (cached) result among a chart's inputs."""

    name: str
    args: tuple


def query(name: str, *args) -> Query:
    if name not in CACHEABLE:
        raise AttributeError(f"queries.{name} is not cached; add it to ui.cache.CACHEABLE if it only reads")
    return Query(name, args)


@st.cache_resource(show_spinner=False, max_entries=256)
def _figure(chart: str, key: tuple[str, str], inputs: tuple, options: tuple):
    # cache_resource, not cache_data: a plotly Figure rebuilt from a pickle is validated all over
    # again, which costs as much as building it. The figure is shared and only ever read
    # (st.plotly_chart copies it into its message).
    def value(v):
        return _run(v.name, key, v.args, ()) if isinstance(v, Query) else v

    return getattr(charts, chart)(*map(value, inputs), **{k: value(v) for k, v in options})


def figure(chart: str, *inputs, **options):
    """`charts.<chart>(*inputs, **options)` with each `query(...)` input replaced by its result,
    built once per data version: building a figure (plotly validates every property) cost more
    than its queries."""
    return _figure(chart, version(), inputs, tuple(sorted(options.items())))
