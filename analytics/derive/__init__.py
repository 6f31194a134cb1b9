"""Counting each real thing once: incidents, the aid ledger and contested claims, derived from the records.

`derive(con)` rebuilds every derived table from the record tables in one transaction, then
re-applies analysts' corrections (derive_corrections); it is deterministic and idempotent, and
ids are hashes of their members, so the same records always give the same ids. Ingest, import
and rebuild call it when they finish; `python -m analytics derive` runs it by hand.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from analytics.derive import contested, incidents, ledger
from analytics.derive.common import Clusters, settings, stable_id
from analytics.store.writer import transaction

INCIDENT_SUMMARY = (Path(__file__).parent / "incident_summary.sql").read_text(encoding="utf-8")
DERIVED_TABLES = ("incident_clusters", "incident_reports", "incident_matches", "aid_ledger", "aid_ledger_sources",
                  "contested_pairs")  # fmt: skip


@dataclass(frozen=True)
class DeriveSummary:
    events: int
    incidents: int
    news_incidents: int
    matches: int
    aid_figures: int
    commitments: int
    contested: int
    corrections: int
    seconds: float
    cluster_seconds: float

    def message(self) -> str:
        return (f"{self.events} event records -> {self.incidents} incidents ({self.news_incidents} from news, "
                f"{self.matches} corroborated by datasets); {self.aid_figures} aid figures -> {self.commitments} "
                f"ledger rows; {self.contested} contested pairs; {self.corrections} corrections applied "
                f"({self.seconds:.2f} s, clustering {self.cluster_seconds:.2f} s)")  # fmt: skip


def load_corrections(con: duckdb.DuckDBPyConnection, kind: str) -> list[tuple]:
    return con.execute(
        "SELECT action, record_ids, analyst, made_at, why FROM derive_corrections WHERE kind = ? "
        "ORDER BY made_at, correction_id",
        [kind],
    ).fetchall()


def apply_corrections(clusters: Clusters, corrections: list[tuple]) -> int:
    for action, record_ids, analyst, made_at, why in corrections:
        reason = f"analyst {action} by {analyst} on {made_at:%Y-%m-%d %H:%M}: {why}"
        if action == "split":
            clusters.split(set(record_ids), reason)
        else:
            clusters.join(set(record_ids), reason)
    return len(corrections)


def _incident_rows(events: pd.DataFrame, clusters: Clusters) -> tuple[pd.DataFrame, dict[str, str]]:
    cols = ["incident_id", "record_id", "doc_id", "sentence_no", "reason", "corrected"]
    ids, corrected = {}, set()
    for cid, members in clusters.groups():
        iid = stable_id("inc", members)
        for m in members:
            ids[m] = iid
        if cid in clusters.corrected:
            corrected.update(members)
    rows = events[["record_id", "doc_id", "sentence_no"]].copy()
    rows["incident_id"] = rows.record_id.map(ids)
    rows["reason"] = rows.record_id.map(clusters.reason)
    rows["corrected"] = rows.record_id.isin(corrected)
    return rows.dropna(subset=["incident_id"])[cols].reset_index(drop=True), ids


def compute(con: duckdb.DuckDBPyConnection) -> dict:
    """Every derived table as data frames (nothing written), plus timings and counts."""
    cfg = settings()
    t0 = time.perf_counter()
    events = incidents.load_events(con)
    t1 = time.perf_counter()
    clusters = incidents.cluster_incidents(events, cfg["incidents"])
    incidents.dataset_incidents(events, clusters, cfg["incidents"])
    n_corr = apply_corrections(clusters, load_corrections(con, "incident"))
    reports, ids = _incident_rows(events, clusters)
    cluster_seconds = time.perf_counter() - t1
    matches = incidents.corroboration(events, ids, cfg["incidents"])
    families = incidents.families_of(events, cfg["incidents"]["families"])
    figures = ledger.load_figures(con, cfg["ledger"])
    aid_clusters = ledger.cluster_ledger(figures, cfg["ledger"]) if not figures.empty else Clusters()
    n_corr += apply_corrections(aid_clusters, load_corrections(con, "commitment"))
    aid_rows, aid_sources = (
        ledger.summarise(figures, aid_clusters, cfg["ledger"])
        if not figures.empty
        else (ledger._empty_ledger(), pd.DataFrame())
    )
    return {
        "events": events,
        "reports": reports,
        "matches": matches,
        "figures": figures,
        "aid_rows": aid_rows,
        "aid_sources": aid_sources,
        "corrections": n_corr,
        "t0": t0,
        "cluster_seconds": cluster_seconds,
        "families": dict(zip(events.record_id.tolist(), families, strict=True)),
    }


def _insert(con: duckdb.DuckDBPyConnection, table: str, df: pd.DataFrame, columns: list[str]) -> None:
    if df is None or df.empty:
        return
    con.register("_derived", df[columns])
    try:
        cols = ", ".join(columns)
        con.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM _derived")  # noqa: S608 - fixed names
    finally:
        con.unregister("_derived")


def contested_corrections(pairs: pd.DataFrame, corrections: list[tuple]) -> pd.DataFrame:
    """Analysts' decisions on pairs: split = not contested; join = contested, whatever the rules said."""
    for action, record_ids, analyst, made_at, why in corrections:
        ids = set(record_ids)
        reason = f"analyst {action} by {analyst} on {made_at:%Y-%m-%d %H:%M}: {why}"
        if action == "split":
            pairs = pairs[~(pairs.claim_record_id.isin(ids) & pairs.counter_record_id.isin(ids))]
        elif len(record_ids) >= 2:
            a, b = record_ids[0], record_ids[1]
            row = {"pair_id": stable_id("con", [a, b]), "claim_record_id": a, "counter_record_id": b,
                   "claim_stance": None, "counter_stance": None, "claim_speaker": None, "counter_speaker": None,
                   "incident_id": None, "shared_themes": [], "reason": reason}  # fmt: skip
            pairs = pd.concat(
                [pairs[pairs.pair_id != row["pair_id"]], pd.DataFrame([row])], ignore_index=True
            )
    return pairs


def derive(con: duckdb.DuckDBPyConnection) -> DeriveSummary:
    """Rebuild every derived table from the records, in one transaction; corrections re-applied."""
    data = compute(con)
    cfg = settings()
    with transaction(con, what="the derived tables"):
        for table in DERIVED_TABLES:
            con.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed names
        reports = data["reports"].assign(family=data["reports"].record_id.map(data["families"]))
        con.register("_members", reports)
        try:
            con.execute("INSERT INTO incident_reports SELECT incident_id, record_id, doc_id, sentence_no, reason "
                        "FROM _members")  # fmt: skip
            _insert(
                con,
                "incident_matches",
                data["matches"],
                ["incident_id", "dataset_incident_id", "dataset", "reason"],
            )
            con.execute(INCIDENT_SUMMARY)
        finally:
            con.unregister("_members")
        _insert(con, "aid_ledger", data["aid_rows"], ledger.LEDGER_COLUMNS)
        _insert(
            con,
            "aid_ledger_sources",
            data["aid_sources"],
            ["commitment_id", "record_id", "doc_id", "sentence_no", "stage", "amount", "currency", "reason"],
        )
        pairs = contested.contested_pairs(con, cfg["contested"])
        pairs = contested_corrections(pairs, load_corrections(con, "contested"))
        _insert(con, "contested_pairs", pairs, contested.COLUMNS)
        datasets = list(cfg["incidents"].get("dataset_origins", incidents.DEFAULT_DATASETS))
        counts = con.execute(
            """SELECT (SELECT count(*) FROM incident_clusters), (SELECT count(*) FROM incident_clusters
               WHERE origin NOT IN (SELECT unnest(?::VARCHAR[]))), (SELECT count(DISTINCT incident_id) FROM incident_matches),
               (SELECT count(*) FROM aid_ledger), (SELECT count(*) FROM contested_pairs)""",
            [datasets],
        ).fetchall()[0]
    return DeriveSummary(
        events=len(data["events"]), incidents=counts[0], news_incidents=counts[1], matches=counts[2],
        aid_figures=len(data["figures"]), commitments=counts[3], contested=counts[4],
        corrections=data["corrections"], seconds=time.perf_counter() - data["t0"],
        cluster_seconds=data["cluster_seconds"],
    )  # fmt: skip


def status(con: duckdb.DuckDBPyConnection) -> str:
    """One line on what the derived tables hold now (for the CLI after an ingest or import)."""
    n = con.execute(
        """SELECT (SELECT count(*) FROM incident_clusters), (SELECT coalesce(sum(n_reports), 0) FROM incident_clusters),
                  (SELECT count(*) FROM aid_ledger), (SELECT count(*) FROM aid_ledger WHERE counted),
                  (SELECT count(*) FROM contested_pairs)"""
    ).fetchall()[0]
    return (f"derived: {n[0]} incidents from {n[1]} event reports; {n[2]} aid ledger rows ({n[3]} counted as aid to "
            f"Ukraine); {n[4]} contested pairs")  # fmt: skip


def refresh(con: duckdb.DuckDBPyConnection) -> DeriveSummary | None:
    """derive() after a write (ingest, import, rebuild). The records are already stored: a failure
    here is reported in one line on stderr and leaves the previous derived tables, never the records."""
    import sys

    try:
        return derive(con)
    except (duckdb.Error, ValueError, KeyError, TypeError) as exc:
        print(f"warning: derived tables (incidents, aid ledger, contested claims) were not refreshed: {exc}; "
              "run 'python -m analytics derive'", file=sys.stderr)  # fmt: skip
        return None
