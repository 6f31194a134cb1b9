"""Analyst filters (actor, theme, theatre, kind, dates, article, origin) as bound SQL.

Every value goes in as a bound parameter; nothing from a user ever becomes an identifier.
The same `Filters` drive the pages, the CLI export and the dashboard's CSV downloads.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

from analytics.kinds import KINDS
from analytics.vocab import against_their_country

# How From/To pick records: "start", a record is in the range when its own date (a span's start)
# is; "overlapping", when any day of its period (span, or date widened by its precision) is.
DATE_MATCHES = ("start", "overlapping")
# Records the extraction rules are at least this sure of are "confident": tallies and charts
# count only these unless the analyst asks for every record. Imported datasets' rows are 1.0.
CONFIDENT = 0.7


@dataclass(frozen=True)
class Filters:
    actors: tuple[str, ...] = ()
    # "side": the actor, anything it is mentioned as, and everything that represents it
    # (Pentagon, Biden -> United States). "country": also every actor based in that country
    # (Wagner Group -> Russia), for analysts who count proxies with their state.
    actor_scope: str = "side"
    themes: tuple[str, ...] = ()
    theatres: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    date_match: str = "start"
    doc_id: str | None = None
    origins: tuple[str, ...] = ()
    # False: only records the rules are confident of (CONFIDENT); True: every record kept.
    all_records: bool = False
    extra: dict = field(default_factory=dict, compare=False)

    def with_(self, **changes) -> Filters:
        return replace(self, **changes)

    def is_empty(self) -> bool:
        return not (self.actors or self.themes or self.theatres or self.kinds or self.date_from
                    or self.date_to or self.doc_id or self.origins or self.all_records)  # fmt: skip

    def slug(self) -> str:
        """A filename-safe summary: events_actor-Wagner-Group_2023-05-01_2023-05-31."""
        parts = []
        for a in self.actors:
            parts.append("actor-" + _safe(a))
        for t in self.themes:
            parts.append("theme-" + _safe(t))
        for t in self.theatres:
            parts.append("theatre-" + _safe(t))
        for o in self.origins:
            parts.append("origin-" + _safe(o))
        if self.doc_id:
            parts.append("article-" + _safe(self.doc_id))
        if self.all_records:
            parts.append("all-records")
        if self.date_from or self.date_to:
            parts.append(str(self.date_from or "start"))
            parts.append(str(self.date_to or "end"))
            if self.date_match == "overlapping":
                parts.append("overlapping")
        return "_".join(parts)


def _safe(s: str) -> str:
    out = "".join(c if c.isalnum() else "-" for c in s)
    return "-".join(filter(None, out.split("-")))[:40]


def where(f: Filters) -> tuple[str, list]:
    """A WHERE clause over the records view aliased `r`, and its parameters."""
    clauses: list[str] = []
    params: list = []
    if f.kinds:
        kinds = [k for k in f.kinds if k in KINDS]
        clauses.append("r.kind IN (SELECT unnest(?::VARCHAR[]))")
        params.append(kinds)
    if f.actors:
        if f.actor_scope == "country":
            # An actor fighting against its own country (the anti-Kremlin Russian legions) is
            # never counted with that country, nor does choosing it bring its country's actors in.
            clauses.append(
                """r.record_id IN (
                SELECT ra.record_id FROM record_actors ra
                LEFT JOIN actors act ON act.name = ra.actor
                WHERE ra.actor IN (SELECT unnest(?::VARCHAR[])) OR ra.side IN (SELECT unnest(?::VARCHAR[]))
                   OR (act.country IN (SELECT country FROM actors WHERE name IN (SELECT unnest(?::VARCHAR[]))
                                       AND name NOT IN (SELECT unnest(?::VARCHAR[])))
                       AND act.name NOT IN (SELECT unnest(?::VARCHAR[]))))"""
            )
            against = list(against_their_country())
            params += [list(f.actors)] * 3 + [against, against]
        else:
            clauses.append(
                """r.record_id IN (
                SELECT record_id FROM record_actors
                WHERE actor IN (SELECT unnest(?::VARCHAR[])) OR side IN (SELECT unnest(?::VARCHAR[])))"""
            )
            params += [list(f.actors)] * 2
    if f.themes:
        clauses.append(
            "r.record_id IN (SELECT record_id FROM record_themes WHERE theme IN (SELECT unnest(?::VARCHAR[])))"
        )
        params.append(list(f.themes))
    if f.theatres:
        clauses.append("r.theatre IN (SELECT unnest(?::VARCHAR[]))")
        params.append(list(f.theatres))
    if f.origins:
        clauses.append("r.origin IN (SELECT unnest(?::VARCHAR[]))")
        params.append(list(f.origins))
    # By default a record is in the range when its own date is: a span of "80 years since" that
    # starts in 2023 belongs to 2023, not to every year to 2103. "overlapping" keeps any record
    # whose period touches the range.
    overlapping = f.date_match == "overlapping"
    if f.date_from:
        clauses.append("r.period_end >= ?" if overlapping else "r.period_start >= ?")
        params.append(f.date_from)
    if f.date_to:
        clauses.append("r.period_start <= ?")
        params.append(f.date_to)
    if f.doc_id:
        clauses.append("r.doc_id = ?")
        params.append(f.doc_id)
    if not f.all_records:
        # A record written before confidence existed counts as confident: nothing was measured.
        clauses.append("coalesce(r.confidence, 1.0) >= ?")
        params.append(CONFIDENT)
    return (" AND ".join(clauses) or "TRUE"), params


# ---- Filters in a URL query string ---------------------------------------------------------------
# actor=Russia&actor=Ukraine&scope=country&theme=...&theatre=...&kind=event&origin=acled&from=2023-05-01&to=...
# &dates=overlapping&article=...&records=all
# Values are only ever compared with the vocabularies; nothing from a URL is evaluated or unpickled.

QUERY_KEYS = (
    "actor",
    "scope",
    "theme",
    "theatre",
    "kind",
    "origin",
    "from",
    "to",
    "dates",
    "article",
    "records",
)
RECORDS = ("confident", "all")
SCOPES = ("side", "country")
MAX_VALUES = 50  # per parameter: a link naming more is cut, not refused


def to_query(f: Filters) -> dict[str, list[str]]:
    """The query parameters that reproduce `f` (empty ones left out)."""
    q: dict[str, list[str]] = {
        "actor": list(f.actors),
        "scope": [f.actor_scope] if f.actors and f.actor_scope != "side" else [],
        "theme": list(f.themes),
        "theatre": list(f.theatres),
        "kind": list(f.kinds),
        "origin": list(f.origins),
        "from": [f.date_from.isoformat()] if f.date_from else [],
        "to": [f.date_to.isoformat()] if f.date_to else [],
        "dates": ["overlapping"] if f.date_match == "overlapping" else [],
        "article": [f.doc_id] if f.doc_id else [],
        "records": ["all"] if f.all_records else [],
    }
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
) -> tuple[Filters, list[str]]:
    """Filters from query parameters, keeping only known values; the second item says what was dropped.
    `also_known(key)` is true for parameters that are not filters but a page's own (checked there)."""
    notices: list[str] = []

    def known(key: str, allowed, what: str) -> tuple[str, ...]:
        values = [v for v in params.get(key, []) if isinstance(v, str)][:MAX_VALUES]
        kept = tuple(dict.fromkeys(v for v in values if v in allowed))
        for v in values:
            if v not in allowed:
                notices.append(f"unknown {what} {v[:60]!r}")
        return kept

    def one_date(key: str) -> dt.date | None:
        values = params.get(key, [])
        if not values:
            return None
        text = str(values[-1])
        try:
            if len(text) != 10:  # fromisoformat also takes week dates and times; a link holds YYYY-MM-DD
                raise ValueError(text)
            return dt.date.fromisoformat(text)
        except ValueError:
            notices.append(f"'{key}' is not a date (YYYY-MM-DD): {str(values[-1])[:30]!r}")
            return None

    for key in params:
        if key not in QUERY_KEYS and not also_known(key):
            notices.append(f"unknown parameter {key[:40]!r}")
    scope = (params.get("scope") or ["side"])[-1]
    if scope not in SCOPES:
        notices.append(f"unknown actor scope {scope[:20]!r}")
        scope = "side"
    date_from, date_to = one_date("from"), one_date("to")
    if date_from and date_to and date_from > date_to:
        notices.append("'from' was after 'to': swapped them")
        date_from, date_to = date_to, date_from
    date_match = (params.get("dates") or ["start"])[-1]
    if date_match not in DATE_MATCHES:
        notices.append(f"'dates' is 'start' or 'overlapping', not {str(date_match)[:20]!r}")
        date_match = "start"
    records = (params.get("records") or ["confident"])[-1]
    if records not in RECORDS:
        notices.append(f"'records' is 'confident' or 'all', not {str(records)[:20]!r}")
        records = "confident"
    doc_id = None
    if params.get("article"):
        candidate = str(params["article"][-1])
        if len(candidate) <= 64 and candidate.isalnum() and article_exists(candidate):
            doc_id = candidate
        else:
            notices.append(f"unknown article {candidate[:30]!r}")
    f = Filters(
        actors=known("actor", set(actors), "actor"),
        actor_scope=scope,
        themes=known("theme", set(themes), "theme"),
        theatres=known("theatre", set(theatres), "theatre"),
        kinds=known("kind", set(KINDS), "kind"),
        origins=known("origin", set(origins), "origin"),
        date_from=date_from,
        date_to=date_to,
        date_match=date_match,
        doc_id=doc_id,
        all_records=records == "all",
    )
    return f, notices
