"""Analyst filters (actor, theme, theatre, kind, origin, dates, article, confidence): declared once.

`DIMENSIONS` is the one list of filter dimensions. The `Filters` dataclass, the WHERE clause,
the URL round-trip (`to_query`/`from_query`), the filename slug and the sidebar (ui/state.py)
all read it, so adding a filter is one `Dimension(...)` line plus its SQL fragment.
Every value goes in as a bound parameter; nothing from a user ever becomes an identifier.
The same `Filters` drive the pages, the CLI export and the dashboard's CSV downloads.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field, make_dataclass, replace

from analytics.kinds import KINDS
from analytics.measures import KIND_LABELS, origin_label
from analytics.vocab import against_their_country

# How From/To pick records: "start", a record is in the range when its own date (a span's start)
# is; "overlapping", when any day of its period (span, or date widened by its precision) is.
DATE_MATCHES = ("start", "overlapping")
# Records the extraction rules are at least this sure of are "confident": tallies and charts
# count only these unless the analyst asks for every record. Imported datasets' rows are 1.0.
CONFIDENT = 0.7
RECORDS = ("confident", "all")
SCOPES = ("side", "country")
MAX_VALUES = 50  # per URL parameter: a link naming more is cut, not refused


@dataclass(frozen=True)
class Dimension:
    """One filter dimension, as every layer sees it.

    kind: how its value travels in a URL and is checked there —
      "many": a tuple of names, each kept only when `vocabulary` holds it;
      "choice": one of `values` (URL text -> field value, default first; the default is left out);
      "date": YYYY-MM-DD; "article": an article id the database holds.
    widget: how ui/state.py draws it in the sidebar ("multiselect", "scope", "date", "toggle", "article").
    sql: the WHERE fragment over record_facts `r`; a string whose every `?` is bound to the value
      as a list (many) or as itself when the value is set, or a function (filters) -> (clause, params),
      or None when it does not apply, for a clause that reads other dimensions too (actors and themes
      also take `flat`: see `where`). Left None, the
      dimension only changes another's clause (actor scope, date match).
    """

    name: str  # the Filters field
    label: str  # the sidebar's label
    url_key: str  # its URL parameter: never renamed, links in the wild hold it
    kind: str
    widget: str
    default: object = ()
    vocabulary: str | None = None  # many: from_query's keyword holding the allowed names
    values: dict | None = None  # choice: URL text -> field value
    sql: str | Callable | None = None
    slug: str | None = None  # many: its prefix in a filename (None: left out of filenames)
    what: str = ""  # the word in "unknown <what> 'x'" when a link holds a value we do not know
    format: Callable | None = None  # how the sidebar shows a value
    placeholder: str = ""
    help: str | None = None
    state_key: str = ""  # the widget's session-state key ("f_" + url_key unless given)
    only_with: str | None = None  # written to the URL only when this other field is set
    on: object = None  # toggle: the field value when the toggle is on
    cli: str | None = None  # the `export` command's option (--cli), None: not offered there
    cli_help: str | None = None

    @property
    def key(self) -> str:
        return self.state_key or "f_" + self.url_key


def _actors_sql(f, flat: bool = False) -> tuple[str, list] | None:
    if not f.actors:
        return None
    if f.actor_scope == "country":
        # An actor fighting against its own country (the anti-Kremlin Russian legions) is
        # never counted with that country, nor does choosing it bring its country's actors in.
        against = list(against_their_country())
        return (
            """r.record_id IN (
                SELECT ra.record_id FROM record_actors ra
                LEFT JOIN actors act ON act.name = ra.actor
                WHERE ra.actor IN (SELECT unnest(?::VARCHAR[])) OR ra.side IN (SELECT unnest(?::VARCHAR[]))
                   OR (act.country IN (SELECT country FROM actors WHERE name IN (SELECT unnest(?::VARCHAR[]))
                                       AND name NOT IN (SELECT unnest(?::VARCHAR[])))
                       AND act.name NOT IN (SELECT unnest(?::VARCHAR[]))))""",
            [list(f.actors)] * 3 + [against, against],
        )
    if flat:
        # actor_names holds each record's actors and sides (record_facts, kept by the writer): the same
        # match as "actor IN (...) OR side IN (...)" over record_actors, without the join.
        return _any_of("r.actor_names", f.actors)
    return (
        """r.record_id IN (
                SELECT record_id FROM record_actors
                WHERE actor IN (SELECT unnest(?::VARCHAR[])) OR side IN (SELECT unnest(?::VARCHAR[])))""",
        [list(f.actors)] * 2,
    )


def _any_of(column: str, names) -> tuple[str, list]:
    """The record's list `column` holds one of `names`. One list_contains per name: list_has_any
    built a set per row and took 4-5x as long over a million records."""
    return "(" + " OR ".join([f"list_contains({column}, ?)"] * len(names)) + ")", list(names)


def _themes_sql(f, flat: bool = False) -> tuple[str, list] | None:
    if not f.themes:
        return None
    if flat:
        return _any_of("r.themes", f.themes)
    return ("r.record_id IN (SELECT record_id FROM record_themes WHERE theme IN (SELECT unnest(?::VARCHAR[])))",
            [list(f.themes)])  # fmt: skip


def _from_sql(f) -> tuple[str, list] | None:
    if not f.date_from:
        return None
    # By default a record is in the range when its own date is: a span of "80 years since" that
    # starts in 2023 belongs to 2023, not to every year to 2103. "overlapping" keeps any record
    # whose period touches the range.
    overlapping = f.date_match == "overlapping"
    return ("r.period_end >= ?" if overlapping else "r.period_start >= ?"), [f.date_from]


def _confidence_sql(f) -> tuple[str, list] | None:
    if f.all_records:
        return None
    # A record written before confidence existed counts as confident: nothing was measured.
    return "coalesce(r.confidence, 1.0) >= ?", [CONFIDENT]


# The filter dimensions, in the order of the sidebar and of the URL's parameters.
# fmt: off
DIMENSIONS: tuple[Dimension, ...] = (
    Dimension("actors", "Actor", "actor", "many", "multiselect", vocabulary="actors", sql=_actors_sql,
              slug="actor", what="actor", placeholder="Any actor",
              help="A record matches when the actor, anything that names it (Kyiv, Zelensky) or anything "
                   "that acts for its side (Pentagon for the United States) takes part.",
              cli="actor", cli_help="canonical actor name (repeatable)"),
    # "side": the actor, anything it is mentioned as, and everything that represents it
    # (Pentagon, Biden -> United States). "country": also every actor based in that country
    # (Wagner Group -> Russia), for analysts who count proxies with their state. Read by the actor clause.
    Dimension("actor_scope", "Count with the actor", "scope", "choice", "scope", default="side",
              values={s: s for s in SCOPES}, what="actor scope", only_with="actors",
              help="Wagner Group is on Russia's side only if the data says so: choose how to count it.",
              cli="actor-scope",
              cli_help="side: the actor and whoever speaks for it; country: also actors based in its country"),
    Dimension("themes", "Theme", "theme", "many", "multiselect", vocabulary="themes", slug="theme", what="theme",
              sql=_themes_sql,
              placeholder="Any theme", cli="theme", cli_help="theme name (repeatable)"),
    Dimension("theatres", "Theatre", "theatre", "many", "multiselect", vocabulary="theatres", slug="theatre",
              what="theatre", sql="r.theatre IN (SELECT unnest(?::VARCHAR[]))", placeholder="Any theatre",
              cli="theatre", cli_help="theatre name (repeatable)"),
    Dimension("kinds", "Kind", "kind", "many", "multiselect", vocabulary="kinds", what="kind",
              sql="r.kind IN (SELECT unnest(?::VARCHAR[]))", format=KIND_LABELS.get, placeholder="Any kind", cli="kind"),
    Dimension("origins", "Origin", "origin", "many", "multiselect", vocabulary="origins", slug="origin",
              what="origin", sql="r.origin IN (SELECT unnest(?::VARCHAR[]))", format=origin_label,
              placeholder="Any origin",
              help="Records extracted from article text, or imported from a dataset (ACLED, GDELT, "
                   "Eyes on Russia) on the Data page or with `python -m analytics import`.",
              cli="origin", cli_help="extracted, acled, gdelt, eyes-on-russia"),
    Dimension("date_from", "From", "from", "date", "date", default=None, sql=_from_sql,
              cli="since", cli_help="records dated (a span: starting) on or after YYYY-MM-DD"),
    Dimension("date_to", "To", "to", "date", "date", default=None, sql="r.period_start <= ?",
              cli="until", cli_help="records dated (a span: starting) on or before YYYY-MM-DD"),
    Dimension("date_match", "Also records whose period overlaps", "dates", "choice", "toggle", default="start",
              values={m: m for m in DATE_MATCHES}, on="overlapping",
              help="Off: a record is in the range when its own date is (a stated span, such as a two-month "
                   "extension, by its start). On: also every record whose period, or span, touches the range.",
              cli="overlapping",
              cli_help="with --since/--until: also records whose period or span overlaps the range"),
    Dimension("doc_id", "Article", "article", "article", "article", default=None, sql="r.doc_id = ?",
              placeholder="Any article", cli="article", cli_help="doc_id of one article"),
    # False: only records the rules are confident of (CONFIDENT); True: every record kept. The toggle
    # says "confident records only", so it is on when all_records is False.
    Dimension("all_records", "Confident records only", "records", "choice", "toggle", default=False,
              values={"confident": False, "all": True}, sql=_confidence_sql, on=False,
              state_key="f_all_records",
              help=f"On: counts, charts and listings use the records the extraction rules are at least "
                   f"{CONFIDENT:.0%} sure of (imported datasets' rows always). Off: every record, with its "
                   "confidence in the listings."),
)
# fmt: on
QUERY_KEYS = tuple(d.url_key for d in DIMENSIONS)


def _with(self, **changes):
    return replace(self, **changes)


def _is_empty(self) -> bool:
    # A dimension that only changes another's clause (scope, date match) filters nothing by itself.
    return all(getattr(self, d.name) == d.default for d in DIMENSIONS if d.sql)


def _slug(self) -> str:
    """A filename-safe summary: events_actor-Wagner-Group_2023-05-01_2023-05-31."""
    parts = [f"{d.slug}-{_safe(v)}" for d in DIMENSIONS if d.slug for v in getattr(self, d.name)]
    if self.doc_id:
        parts.append("article-" + _safe(self.doc_id))
    if self.all_records:
        parts.append("all-records")
    # The date range last: it reads as the file's period.
    if self.date_from or self.date_to:
        parts.append(str(self.date_from or "start"))
        parts.append(str(self.date_to or "end"))
        if self.date_match == "overlapping":
            parts.append("overlapping")
    return "_".join(parts)


Filters = make_dataclass(
    "Filters",
    [(d.name, object, field(default=d.default)) for d in DIMENSIONS]
    + [("extra", dict, field(default_factory=dict, compare=False))],
    frozen=True,
    namespace={
        "with_": _with,
        "is_empty": _is_empty,
        "slug": _slug,
        "__doc__": "The analyst's filters: one field per entry of DIMENSIONS.",
    },  # fmt: skip
)
Filters.__module__ = __name__  # pickled (Streamlit's cache) and printed by this module's name


def _safe(s: str) -> str:
    out = "".join(c if c.isalnum() else "-" for c in s)
    return "-".join(filter(None, out.split("-")))[:40]


# Dimensions whose clause reads the links folded into record_facts when the caller says it reads that table.
FOLDED = {"actors", "themes"}


def where(f: Filters, *, flat: bool = False) -> tuple[str, list]:
    """A WHERE clause over the records view aliased `r`, and its parameters. flat=True: over the
    record_facts table, whose folded actor and theme lists replace the joins to the link tables."""
    clauses: list[str] = []
    params: list = []
    for d in DIMENSIONS:
        value = getattr(f, d.name)
        if callable(d.sql):
            part = d.sql(f, flat) if d.name in FOLDED else d.sql(f)
        elif d.sql and value:
            part = d.sql, [list(value) if d.kind == "many" else value] * d.sql.count("?")
        else:
            part = None
        if part:
            clauses.append(part[0])
            params += part[1]
    return (" AND ".join(clauses) or "TRUE"), params


# ---- Filters in a URL query string ---------------------------------------------------------------
# actor=Russia&actor=Ukraine&scope=country&theme=...&theatre=...&kind=event&origin=acled&from=2023-05-01&to=...
# &dates=overlapping&article=...&records=all
# Values are only ever compared with the vocabularies; nothing from a URL is evaluated or unpickled.


def to_query(f: Filters) -> dict[str, list[str]]:
    """The query parameters that reproduce `f` (empty and default ones left out)."""
    q: dict[str, list[str]] = {}
    for d in DIMENSIONS:
        value = getattr(f, d.name)
        if value == d.default or (d.only_with and not getattr(f, d.only_with)):
            continue
        if d.kind == "many":
            q[d.url_key] = list(value)
        elif d.kind == "choice":
            q[d.url_key] = [next(text for text, v in d.values.items() if v == value)]
        elif d.kind == "date":
            q[d.url_key] = [value.isoformat()]
        else:
            q[d.url_key] = [value]
    return {k: v for k, v in q.items() if v}


def from_query(
    params: dict[str, list[str]],
    *,
    actors,
    themes,
    theatres,
    origins=(),
    article_exists=lambda doc_id: False,
    also_known=lambda key: False,
    **more_vocabularies,
) -> tuple[Filters, list[str]]:
    """Filters from query parameters, keeping only known values; the second item says what was dropped.
    `also_known(key)` is true for parameters that are not filters but a page's own (checked there).
    Each "many" dimension's values are checked against the vocabulary its declaration names: the
    keywords here, or any further one (queries.vocabulary() lists them all)."""
    vocabularies = {
        "kinds": KINDS,
        "actors": actors,
        "themes": themes,
        "theatres": theatres,
        "origins": origins,
        **more_vocabularies,
    }
    notices: list[str] = []

    def many(d: Dimension) -> tuple[str, ...]:
        allowed = set(vocabularies[d.vocabulary])
        values = [v for v in params.get(d.url_key, []) if isinstance(v, str)][:MAX_VALUES]
        for v in values:
            if v not in allowed:
                notices.append(f"unknown {d.what} {v[:60]!r}")
        return tuple(dict.fromkeys(v for v in values if v in allowed))

    def choice(d: Dimension):
        first = next(iter(d.values))
        text = (params.get(d.url_key) or [first])[-1]
        if text in d.values:
            return d.values[text]
        notices.append(f"unknown {d.what} {str(text)[:20]!r}" if d.what else
                       f"'{d.url_key}' is {' or '.join(map(repr, d.values))}, not {str(text)[:20]!r}")  # fmt: skip
        return d.default

    def date(d: Dimension) -> dt.date | None:
        values = params.get(d.url_key, [])
        if not values:
            return None
        text = str(values[-1])
        try:
            if len(text) != 10:  # fromisoformat also takes week dates and times; a link holds YYYY-MM-DD
                raise ValueError(text)
            return dt.date.fromisoformat(text)
        except ValueError:
            notices.append(f"'{d.url_key}' is not a date (YYYY-MM-DD): {str(values[-1])[:30]!r}")
            return None

    def article(d: Dimension) -> str | None:
        if not params.get(d.url_key):
            return None
        candidate = str(params[d.url_key][-1])
        if len(candidate) <= 64 and candidate.isalnum() and article_exists(candidate):
            return candidate
        notices.append(f"unknown article {candidate[:30]!r}")
        return None

    for key in params:
        if key not in QUERY_KEYS and not also_known(key):
            notices.append(f"unknown parameter {key[:40]!r}")
    read = {"many": many, "choice": choice, "date": date, "article": article}
    values = {d.name: read[d.kind](d) for d in DIMENSIONS}
    if values["date_from"] and values["date_to"] and values["date_from"] > values["date_to"]:
        notices.append("'from' was after 'to': swapped them")
        values["date_from"], values["date_to"] = values["date_to"], values["date_from"]
    return Filters(**values), notices
