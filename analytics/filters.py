"""Analyst filters (actor, theme, theatre, kind, dates, article, origin) as bound SQL.

Every value goes in as a bound parameter; nothing from a user ever becomes an identifier.
The same `Filters` drive the pages, the CLI export and the dashboard's CSV downloads.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

KINDS = ("event", "aid", "diplomacy", "statement")


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
    doc_id: str | None = None
    origins: tuple[str, ...] = ()
    extra: dict = field(default_factory=dict, compare=False)

    def with_(self, **changes) -> Filters:
        return replace(self, **changes)

    def is_empty(self) -> bool:
        return not (self.actors or self.themes or self.theatres or self.kinds or self.date_from
                    or self.date_to or self.doc_id or self.origins)  # fmt: skip

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
        if self.date_from or self.date_to:
            parts.append(str(self.date_from or "start"))
            parts.append(str(self.date_to or "end"))
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
            clauses.append(
                """r.record_id IN (
                SELECT ra.record_id FROM record_actors ra
                LEFT JOIN actors act ON act.name = ra.actor
                WHERE ra.actor IN (SELECT unnest(?::VARCHAR[])) OR ra.side IN (SELECT unnest(?::VARCHAR[]))
                   OR act.country IN (SELECT country FROM actors WHERE name IN (SELECT unnest(?::VARCHAR[]))))"""
            )
            params += [list(f.actors)] * 3
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
    if f.date_from:
        # A record counts when any part of its period falls in the range.
        clauses.append("r.period_end >= ?")
        params.append(f.date_from)
    if f.date_to:
        clauses.append("r.period_start <= ?")
        params.append(f.date_to)
    if f.doc_id:
        clauses.append("r.doc_id = ?")
        params.append(f.doc_id)
    return (" AND ".join(clauses) or "TRUE"), params
