"""The filter declaration: every dimension reaches the Filters fields, the URL, the SQL and the CLI."""

import datetime as dt

from analytics.cli import build_parser
from analytics.filters import DIMENSIONS, QUERY_KEYS, Filters, from_query, to_query, where

# A value for each kind of dimension that is not its default.
SAMPLE = {"many": ("x",), "date": dt.date(2023, 5, 1), "article": "abc123"}


def _set(d):
    return next(v for v in d.values.values() if v != d.default) if d.kind == "choice" else SAMPLE[d.kind]


def test_filters_has_one_field_per_dimension_and_the_url_one_key():
    assert [f for f in Filters.__dataclass_fields__ if f != "extra"] == [d.name for d in DIMENSIONS]
    assert len(set(QUERY_KEYS)) == len(DIMENSIONS) and len({d.key for d in DIMENSIONS}) == len(DIMENSIONS)


def test_every_dimension_round_trips_through_a_link_alone():
    names = {"actors": ["x"], "themes": ["x"], "theatres": ["x"], "origins": ["x"]}
    for d in DIMENSIONS:
        if d.vocabulary == "kinds":
            continue  # only the four kinds exist: test_queries covers kind=event
        f = Filters(**{d.name: _set(d)}, **({d.only_with: ("x",)} if d.only_with else {}))
        assert d.url_key in to_query(f), d.name
        back, notices = from_query(to_query(f), **names, article_exists=lambda doc_id: doc_id == "abc123")
        assert back == f and notices == [], d.name


def test_every_dimension_with_its_own_clause_changes_the_where_clause():
    base = where(Filters())
    for d in DIMENSIONS:
        if d.sql is not None:
            assert where(Filters(**{d.name: _set(d)})) != base, d.name


def test_every_declared_cli_option_sets_its_field():
    parser = build_parser()
    for d in DIMENSIONS:
        if not d.cli:
            continue
        value = _set(d)
        if d.kind == "choice" and d.widget == "toggle":
            argv = ["--" + d.cli]
        else:
            text = {"many": "event" if d.vocabulary == "kinds" else "x", "date": "2023-05-01"}.get(
                d.kind, value
            )
            argv = ["--" + d.cli, str(text)]
        args = parser.parse_args(["export", "records", *argv])
        assert getattr(args, d.name) not in (None, d.default), d.name
