"""The query-layer calls each dashboard page makes (read from app.py and pages/*.py), and the typical filters.

Each function takes a connection and the filters and makes the calls the page makes on a first
load, in the page's order, with the page's defaults (first aid dimension, page 1 of each table,
the first article of the reader). Keep this in step with pages/ when they change.
"""

from __future__ import annotations

import datetime as dt

from analytics import queries
from analytics.filters import Filters
from analytics.measures import AID_DIMENSIONS

TYPICAL_FILTERS = {
    "none": Filters(),
    "actor=Russia": Filters(actors=("Russia",)),
    "theme+dates": Filters(themes=("strikes",), date_from=dt.date(2023, 5, 1), date_to=dt.date(2023, 8, 31)),
}


def sidebar(con, f: Filters) -> None:
    """app.py and ui/state.py: run before every page."""
    queries.vocabulary(con)
    if f.actors:
        queries.actor_reach(con, list(f.actors))
    queries.articles(con, Filters(), limit=500)


def _paged(con, view: str, f: Filters) -> None:
    if queries.view_count(con, view, f):
        queries.view_rows(con, view, f, limit=queries.PAGE_SIZE, offset=0)


def overview(con, f: Filters) -> None:
    queries.overview_counts(con, f)
    queries.aid_summary(queries.aid_totals(con, f))
    queries.view_rows(con, "records", f, limit=10)
    queries.timeline_monthly(con, f)
    queries.coverage(con)
    queries.sources(con)


def timeline(con, f: Filters) -> None:
    n = queries.record_count(con, f)
    if n > queries.TIMELINE_MAX_POINTS:
        queries.timeline_monthly(con, f)
    elif n:
        queries.timeline_records(con, f)
    _paged(con, "records", f)


def aid(con, f: Filters) -> None:
    summary = queries.aid_summary(queries.aid_totals(con, f))
    if "correction" in summary:
        queries.aid_corrections(con, f)
    queries.aid_tally(con, f, AID_DIMENSIONS[0])
    _paged(con, "aid", f)


def theatres(con, f: Filters) -> None:
    queries.theatre_places(con, f)
    queries.map_places(con, f)
    _paged(con, "events", f)


def diplomacy(con, f: Filters) -> None:
    queries.diplomacy_by_type(con, f)
    queries.diplomacy_by_participant(con, f)
    _paged(con, "diplomacy", f)


def claims(con, f: Filters) -> None:
    queries.stance_matrix(con, f)
    _paged(con, "claims", f)
    articles = queries.articles(con, f, limit=500)
    if len(articles):
        doc_id = articles["doc_id"].iloc[0]
        queries.article(con, doc_id)
        queries.article_sentences(con, doc_id)
        queries.view_rows(con, "records", Filters(doc_id=doc_id), limit=1000)


def data(con, f: Filters) -> None:
    queries.table_descriptions(con)
    if queries.table_count(con, "records", f):
        queries.table_rows(con, "records", f, limit=queries.PAGE_SIZE, offset=0)


PAGES = {
    "sidebar (every page)": sidebar,
    "overview": overview,
    "timeline": timeline,
    "aid": aid,
    "theatres": theatres,
    "diplomacy": diplomacy,
    "claims": claims,
    "data": data,
}
