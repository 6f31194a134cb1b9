"""Analysts' split and join decisions on incidents, aid commitments and contested pairs.

A decision is stored by the record ids it concerns (stable across rebuilds), not by cluster ids
(which change when membership changes), with who, when and why; `derive` re-applies every
decision in order after each derivation. Nothing extracted is edited.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import duckdb

PREFIX_KIND = {"inc": "incident", "aid": "commitment", "con": "contested"}
MEMBER_TABLES = {
    "incident": ("incident_reports", "incident_id"),
    "commitment": ("aid_ledger_sources", "commitment_id"),
}
COLUMNS = ["correction_id", "action", "kind", "target_ids", "record_ids", "analyst", "made_at", "why"]


class CorrectionError(ValueError):
    """A correction that cannot be recorded; the message says what to do."""


def kind_of(ids: list[str], explicit: str | None = None) -> str:
    if explicit:
        return explicit
    kinds = {PREFIX_KIND.get(i.split("_", 1)[0]) for i in ids}
    if len(kinds) != 1 or None in kinds:
        raise CorrectionError(
            "ids must all be incidents (inc_…), all aid commitments (aid_…) or all contested pairs (con_…); "
            "to link two statements as contested, pass their record ids with --kind contested"
        )
    return kinds.pop()


def _members(con: duckdb.DuckDBPyConnection, kind: str, cluster_id: str) -> list[str]:
    table, col = MEMBER_TABLES[kind]
    rows = con.execute(f"SELECT record_id FROM {table} WHERE {col} = ? ORDER BY record_id",  # noqa: S608 - fixed names
                       [cluster_id]).fetchall()  # fmt: skip
    if not rows:
        raise CorrectionError(f"no {kind} {cluster_id!r}; list them with 'python -m analytics export "
                              f"{'incidents' if kind == 'incident' else 'aid_commitments'}'")  # fmt: skip
    return [r[0] for r in rows]


def record(
    con: duckdb.DuckDBPyConnection,
    action: str,
    ids: list[str],
    *,
    analyst: str,
    why: str,
    records: list[str] | None = None,
    kind: str | None = None,
    now: dt.datetime | None = None,
) -> str:
    """Store one decision and return its id. Raises CorrectionError, storing nothing, when it is invalid."""
    if action not in ("split", "join"):
        raise CorrectionError(f"unknown action {action!r}; use split or join")
    if not analyst.strip() or not why.strip():
        raise CorrectionError("say who decides (--by) and why (--why): both are kept with the decision")
    if not ids:
        raise CorrectionError("name the incident, commitment or pair to correct")
    kind = kind_of(ids, kind)
    if kind == "contested":
        if action == "split":
            rows = con.execute(
                "SELECT claim_record_id, counter_record_id FROM contested_pairs WHERE pair_id IN (SELECT unnest(?))",
                [ids],
            ).fetchall()
            if len(rows) != len(set(ids)):
                raise CorrectionError(
                    "no such contested pair; list them with 'python -m analytics export contested_claims'"
                )
            record_ids = sorted({r for row in rows for r in row})
        else:
            if len(ids) != 2:
                raise CorrectionError(
                    "to link a claim and its denial, give the two statements' record ids, claim first"
                )
            found = con.execute(
                "SELECT count(*) FROM statements WHERE record_id IN (SELECT unnest(?))", [ids]
            ).fetchall()[0][0]
            if found != 2:
                raise CorrectionError(
                    "both ids must be statement record ids (see 'python -m analytics export statements')"
                )
            record_ids = list(ids)
    elif action == "split":
        if len(ids) != 1:
            raise CorrectionError("split one cluster at a time")
        members = _members(con, kind, ids[0])
        chosen = list(dict.fromkeys(records or []))
        if not chosen:
            raise CorrectionError(
                f"say which reports leave {ids[0]} (--records); its reports are: {', '.join(members)}"
            )
        stray = [r for r in chosen if r not in members]
        if stray:
            raise CorrectionError(
                f"{', '.join(stray)} not in {ids[0]}; its reports are: {', '.join(members)}"
            )
        if len(chosen) == len(members):
            raise CorrectionError("a split must leave some reports behind; name only those that leave")
        record_ids = sorted(chosen)
    else:
        if len(set(ids)) < 2:
            raise CorrectionError("join needs two or more ids")
        record_ids = sorted({m for i in ids for m in _members(con, kind, i)})
    now = now or dt.datetime.now(dt.UTC).replace(tzinfo=None)
    cid = hashlib.sha1(json.dumps([action, kind, sorted(ids), record_ids, analyst, now.isoformat(), why]).encode()
                       ).hexdigest()[:16]  # fmt: skip
    con.execute("INSERT INTO derive_corrections VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [cid, action, kind, list(ids), record_ids, analyst.strip(), now, why.strip()])  # fmt: skip
    return cid


def dump(con: duckdb.DuckDBPyConnection) -> list[dict]:
    """Every decision, oldest first, as JSON-ready dicts (kept across a rebuild)."""
    try:
        rows = con.execute(f"SELECT {', '.join(COLUMNS)} FROM derive_corrections ORDER BY made_at, correction_id"  # noqa: S608
                           ).fetchall()  # fmt: skip
    except duckdb.CatalogException:
        return []  # a database made before corrections existed
    return [dict(zip(COLUMNS, [v.isoformat() if isinstance(v, dt.datetime) else v for v in row], strict=True))
            for row in rows]  # fmt: skip


def restore(con: duckdb.DuckDBPyConnection, rows: list[dict]) -> int:
    for r in rows:
        con.execute("INSERT OR REPLACE INTO derive_corrections VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [r["correction_id"], r["action"], r["kind"], r["target_ids"], r["record_ids"], r["analyst"],
                     dt.datetime.fromisoformat(r["made_at"]), r["why"]])  # fmt: skip
    return len(rows)


def saved_in(db: Path) -> list[dict]:
    """The decisions held in an existing database file, read-only; none when there is no file or
    it cannot be read (a rebuild then refuses or replaces it on its own terms)."""
    if not db.exists():
        return []
    try:
        con = duckdb.connect(str(db), read_only=True)
    except duckdb.Error:
        return []
    try:
        return dump(con)
    except duckdb.Error:
        return []
    finally:
        con.close()
