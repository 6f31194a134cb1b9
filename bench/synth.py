# ruff: noqa: S608 - SQL here interpolates only module constants and integers, never input
"""Synthetic records at scale, for benchmarks only: built in SQL inside DuckDB, seeded, never in seeds/.

Every row is marked synthetic: documents have origin 'synthetic' and names 'synthetic-…', records
have origin 'synthetic', and the files live only in bench/out/ (git-ignored).

For `events` events there are 5% as many aid figures, 10% diplomatic items and 15% statements,
one document per ~20 records with 24 short synthetic sentences whose offsets index into the
document's text, and the actor, theme, place and date links the pages filter on. Names come from
the real vocabularies (analytics/data/), so every filter the dashboard offers finds rows.

Choices use DuckDB's `hash(i, salt)`: the same size and seed give the same database for a given
DuckDB version (pinned in requirements.txt).
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd
import yaml

from analytics.store import connect, sync_vocabulary
from analytics.store.writer import rebuild_record_facts

GENERATOR_VERSION = "2"  # 2: record_facts is a table (migration 6), filled here
SEED = 20220224
OUT_DIR = Path(__file__).resolve().parent / "out"
RECORDS_PER_DOCUMENT = 20
SENTENCES_PER_DOCUMENT = 24  # the title (sentence 0) and 23 body sentences
MIX = yaml.safe_load((Path(__file__).resolve().parent / "synth_mix.yaml").read_text(encoding="utf-8"))


def _pairs(name: str) -> list[tuple]:
    return [tuple(row) for row in MIX[name]]


SHARE = MIX["share"]  # records of the other kinds, as a fraction of the number of events
SLOTS = 10_000  # weighted choices: a table of SLOTS names, drawn uniformly
FIRST_DAY, LAST_DAY = MIX["first_day"], MIX["last_day"]
BURSTS = _pairs("bursts")  # (date, share of documents around it); the rest spread over the period
EVENT_TYPES = _pairs("event_types")  # ACLED (event_type, sub_event_type, cue, weight)
AID_RECORD_TYPES = _pairs("aid_record_types")
AID_TYPES = _pairs("aid_types")
CURRENCIES = _pairs("currencies")
DIPLOMACY_TYPES = _pairs("diplomacy_types")
DIPLOMACY_STATUS = _pairs("diplomacy_status")
STANCES = _pairs("stances")
SOURCE_STANCES = _pairs("source_stances")
PRECISIONS = _pairs("precisions")
THEATRE_SHARE = _pairs("theatre_share")
THEMES_BY_KIND = {kind: [tuple(row) for row in rows] for kind, rows in MIX["themes_by_kind"].items()}
DONORS = MIX["donors"]


@dataclass(frozen=True)
class SynthInfo:
    path: Path
    events: int
    seconds: float  # build time; 0 when an existing file was reused
    counts: dict
    size_bytes: int


def _slots(weighted: list[tuple[str, float]], kind: str = "") -> pd.DataFrame:
    """SLOTS rows (kind, slot, value) whose values appear in proportion to their weights."""
    total = sum(w for _, w in weighted)
    values, acc, i = [], 0.0, 0
    for slot in range(SLOTS):
        while i < len(weighted) - 1 and (slot + 0.5) / SLOTS > (acc + weighted[i][1]) / total:
            acc += weighted[i][1]
            i += 1
        values.append(weighted[i][0])
    return pd.DataFrame({"kind": kind, "slot": range(SLOTS), "value": values})


def _zipf(names: list[str], total: float, s: float = 1.1) -> list[tuple[str, float]]:
    """`total` spread over `names` with weight 1/rank^s: a few dominate, a long tail follows."""
    norm = sum(1 / (r + 1) ** s for r in range(len(names)))
    return [(n, total * (1 / (r + 1) ** s) / norm) for r, n in enumerate(names)]


def _choice_tables(con: duckdb.DuckDBPyConnection) -> dict[str, pd.DataFrame]:
    """Weighted choice tables over the real vocabularies."""
    actors = con.execute("SELECT name, kind, represents FROM actors ORDER BY rowid").fetchall()
    russia = [n for n, k, r in actors if r == "Russia" and n != "Russia"]
    ukraine = [n for n, k, r in actors if r == "Ukraine" and n != "Ukraine"]
    others = [n for n, k, r in actors if r not in ("Russia", "Ukraine")]
    combatants = ([("Russia", 28), ("Ukraine", 27)] + _zipf(russia, 20) + _zipf(ukraine, 20)
                  + [("Wagner Group", 3), ("Belarus", 1)] + _zipf(others, 1))  # fmt: skip
    states_first = sorted(others, key=lambda n: [k for a, k, _ in actors if a == n][0] != "state")
    speakers = ([("Russia", 14), ("Ukraine", 14), ("United States", 8)] + _zipf(russia, 14) + _zipf(ukraine, 14)
                + _zipf([n for n in states_first if n != "United States"], 36))  # fmt: skip
    known = {n for n, _, _ in actors}
    donors = _zipf([d for d in DONORS if d in known], 100, s=1.0)
    places = con.execute(
        "SELECT name, theatre FROM places WHERE lat IS NOT NULL AND theatre IS NOT NULL ORDER BY rowid"
    ).fetchall()
    event_places = []
    for theatre, share in THEATRE_SHARE:
        event_places += _zipf([n for n, t in places if t == theatre], share, s=1.0)
    international = _zipf([n for n, t in places if t == "International"], 100, s=1.0)
    pick = {
        "combatant": _slots(combatants),
        "speaker": _slots(speakers),
        "donor": _slots(donors),
        "event_place": _slots(event_places),
        "intl_place": _slots(international),
        "event_type": _slots([(f"{t}|{s}|{c}", w) for t, s, c, w in EVENT_TYPES]),
        "aid_record_type": _slots(AID_RECORD_TYPES),
        "aid_type": _slots(AID_TYPES),
        "currency": _slots(CURRENCIES),
        "diplomacy_type": _slots(DIPLOMACY_TYPES),
        "diplomacy_status": _slots(DIPLOMACY_STATUS),
        "stance": _slots(STANCES),
        "source_stance": _slots(SOURCE_STANCES),
        "precision": _slots(PRECISIONS),
    }
    choices = pd.concat([frame.assign(kind=name) for name, frame in pick.items()]
                        + [_slots(w, f"theme_{k}") for k, w in THEMES_BY_KIND.items()])  # fmt: skip
    return {"choices": choices, "bursts": pd.DataFrame(BURSTS, columns=["day", "share"])}


def db_file(events: int) -> Path:
    return OUT_DIR / f"synthetic-{events}.duckdb"


def _stamp(events: int, seed: int) -> str:
    return json.dumps({"generator": GENERATOR_VERSION, "events": events, "seed": seed,
                       "duckdb": duckdb.__version__})  # fmt: skip


def counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    tables = ["documents", "sentences", "events", "aid_figures", "diplomatic_items", "statements",
              "record_actors", "record_themes", "record_sources"]  # fmt: skip
    return {t: con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0] for t in tables}  # noqa: S608


def build(events: int, path: Path | None = None, seed: int = SEED, reuse: bool = True) -> SynthInfo:
    """The synthetic database for `events` events; an existing file with the same stamp is reused."""
    path = Path(path or db_file(events))
    if reuse and path.exists():
        con = duckdb.connect(str(path), read_only=True)
        try:
            row = con.execute("SELECT value FROM meta WHERE key = 'synthetic'").fetchall()
            if row and row[0][0] == _stamp(events, seed):
                return SynthInfo(path, events, 0.0, counts(con), path.stat().st_size)
        finally:
            con.close()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".building")
    for leftover in (tmp, Path(str(tmp) + ".wal")):
        leftover.unlink(missing_ok=True)
    started = time.perf_counter()
    con = connect(tmp)
    try:
        con.execute("SET enable_progress_bar = false")
        sync_vocabulary(con)
        _generate(con, events, seed)
        con.execute("INSERT OR REPLACE INTO meta VALUES ('synthetic', ?)", [_stamp(events, seed)])
        con.execute("CHECKPOINT")
        found = counts(con)
    finally:
        con.close()
    os.replace(tmp, path)  # built aside and renamed, so a half-built file is never reused
    return SynthInfo(path, events, time.perf_counter() - started, found, path.stat().st_size)


def _generate(con: duckdb.DuckDBPyConnection, events: int, seed: int) -> None:
    tables = _choice_tables(con)
    n_aid, n_dip, n_stmt = (round(events * SHARE[k]) for k in ("aid", "diplomacy", "statement"))
    n_records = events + n_aid + n_dip + n_stmt
    n_docs = max(1, -(-n_records // RECORDS_PER_DOCUMENT))
    con.register("_choices", tables["choices"])
    con.register("_bursts", tables["bursts"])
    con.execute("CREATE TEMP TABLE pick AS SELECT kind, slot::INTEGER AS slot, value FROM _choices")
    con.execute("CREATE TEMP TABLE bursts AS SELECT day::DATE AS day, share FROM _bursts")
    con.unregister("_choices")
    con.unregister("_bursts")
    # u(i, salt): a uniform draw in [0, 1), the same for the same i, salt and seed.
    con.execute(f"CREATE TEMP MACRO u(i, salt) AS hash(i, salt, {int(seed)}) / 18446744073709551616.0")
    con.execute(f"CREATE TEMP MACRO slot(i, salt) AS floor(u(i, salt) * {SLOTS})::INTEGER")
    # A value of choice table `k` for row i: a scalar subquery DuckDB turns into a hash join.
    con.execute(
        "CREATE TEMP MACRO pick1(k, i, salt) AS (SELECT value FROM pick WHERE kind = k AND slot = slot(i, salt))"
    )
    span = f"date_diff('day', DATE '{FIRST_DAY}', DATE '{LAST_DAY}')"

    # Documents: a publication date (bursts around key dates, else spread over the period).
    con.execute(f"""
        CREATE TEMP TABLE doc AS
        WITH b AS (SELECT day, sum(share) OVER (ORDER BY day) AS hi, share FROM bursts)
        SELECT d AS doc_no,
               coalesce(
                   (SELECT b.day + CAST(round((u(d, 2) + u(d, 3) - 1) * 20) AS INTEGER) FROM b
                     WHERE u(d, 1) < b.hi AND u(d, 1) >= b.hi - b.share),
                   DATE '{FIRST_DAY}' + CAST(floor(u(d, 4) * ({span} + 1)) AS INTEGER)) AS published
        FROM range({n_docs}) t(d)""")
    con.execute(f"""
        CREATE TEMP TABLE sent AS
        SELECT doc_no, s AS sentence_no,
               CASE WHEN s = 0 THEN 'Synthetic article ' || doc_no || ' (benchmark data, not news)'
                    ELSE 'Synthetic sentence ' || s || ' of article ' || doc_no || ': '
                         || (['forces reported shelling near the front.', 'officials announced new support.',
                              'the ministry said talks would continue.', 'a spokesman denied the report.',
                              'drones were shot down overnight.', 'leaders met to discuss sanctions.'])
                            [1 + floor(u(doc_no * 64 + s, 5) * 6)::INTEGER]
               END AS text
        FROM range({n_docs}) d(doc_no), range({SENTENCES_PER_DOCUMENT}) x(s)""")
    con.execute("""
        CREATE TEMP TABLE sent_off AS
        SELECT *, (sum(length(text) + 1) OVER (PARTITION BY doc_no ORDER BY sentence_no) - length(text) - 1)::INTEGER
                  AS start_char
        FROM sent""")
    con.execute("""
        CREATE TEMP TABLE doc_text AS
        SELECT doc_no, first(text ORDER BY sentence_no) AS title,
               -- the title line, then the body: offsets count one separator character after each sentence
               title || chr(10) || string_agg(text, ' ' ORDER BY sentence_no) FILTER (WHERE sentence_no > 0) AS text
        FROM sent_off GROUP BY doc_no""")
    con.execute(
        """
        INSERT INTO documents (doc_id, content_hash, name, title, published, published_precision, published_basis,
                               source, url, origin, text, n_sentences, extractor_version)
        SELECT left(h, 16), h, 'synthetic-' || lpad(doc_no::VARCHAR, 8, '0') || '.txt', t.title, d.published, 'day',
               'synthetic', 'Synthetic source ' || (doc_no % 12), NULL, 'synthetic', t.text, ?, 'synthetic'
        FROM (SELECT *, sha256(text) AS h FROM doc_text) t JOIN doc d USING (doc_no)""",
        [SENTENCES_PER_DOCUMENT],
    )
    con.execute(
        "CREATE TEMP TABLE doc_ids AS SELECT d.doc_no, x.doc_id, d.published FROM doc d "
        "JOIN documents x ON x.name = 'synthetic-' || lpad(d.doc_no::VARCHAR, 8, '0') || '.txt'"
    )
    con.execute("""
        INSERT INTO sentences SELECT i.doc_id, s.sentence_no, s.start_char, s.start_char + length(s.text), s.text
        FROM sent_off s JOIN doc_ids i USING (doc_no)""")

    # Records: one row per record of any kind, the common columns drawn here.
    con.execute(f"""
        CREATE TEMP TABLE rec AS
        WITH base AS (
            SELECT g, CASE WHEN g < {events} THEN 'event' WHEN g < {events + n_aid} THEN 'aid'
                           WHEN g < {events + n_aid + n_dip} THEN 'diplomacy' ELSE 'statement' END AS kind,
                   floor(u(g, 10) * {n_docs})::BIGINT AS doc_no,
                   1 + floor(u(g, 11) * {SENTENCES_PER_DOCUMENT - 1})::INTEGER AS sentence_no,
                   pick1('precision', g, 12) AS date_precision
            FROM range({n_records}) t(g)
        )
        SELECT b.*, i.doc_id, s.start_char, s.start_char + length(s.text) AS end_char,
               'syn-' || left(b.kind, 3) || '-' || lpad(g::VARCHAR, 10, '0') AS record_id,
               CASE b.date_precision
                   WHEN 'day' THEN i.published - floor(u(g, 13) * 4)::INTEGER
                   WHEN 'week' THEN date_trunc('week', i.published)::DATE
                   WHEN 'month' THEN date_trunc('month', i.published)::DATE
                   ELSE date_trunc('year', i.published)::DATE END AS date,
               CASE WHEN u(g, 14) < 0.6 THEN 'text' ELSE 'document' END AS date_basis,
               u(g, 15) < 0.04 AS unverified
        FROM base b JOIN doc_ids i USING (doc_no) JOIN sent_off s USING (doc_no, sentence_no)""")
    common = "record_id, doc_id, sentence_no, start_char, end_char"
    dated = "date, date_precision, date_basis"
    con.execute(f"""
        INSERT INTO events ({common}, event_type, sub_event_type, location, theatre, {dated}, unverified, cue, origin)
        SELECT {common}, split_part(t, '|', 1), split_part(t, '|', 2), place, p.theatre, {dated}, unverified,
               split_part(t, '|', 3), 'synthetic'
        FROM (SELECT *, pick1('event_type', g, 20) AS t,
                     CASE WHEN u(g, 21) < 0.85 THEN pick1('event_place', g, 22) END AS place
              FROM rec WHERE kind = 'event') r
        LEFT JOIN places p ON p.name = r.place""")
    con.execute(f"""
        INSERT INTO aid_figures ({common}, record_type, donor, recipient, amount, currency, aid_type, approximate,
                                 {dated}, unverified, cue, origin)
        SELECT {common}, pick1('aid_record_type', g, 30), pick1('donor', g, 31),
               CASE WHEN u(g, 32) < 0.95 THEN 'Ukraine' END, amount, currency, pick1('aid_type', g, 34),
               u(g, 35) < 0.2, {dated}, unverified,
               currency || ' ' || round(amount / 1e6, 1) || ' million', 'synthetic'
        FROM (SELECT *, round(pow(10, 6 + 3.5 * u(g, 33))) AS amount, pick1('currency', g, 36) AS currency
              FROM rec WHERE kind = 'aid')""")
    con.execute(f"""
        INSERT INTO diplomatic_items ({common}, item_type, status, location, theatre, {dated}, span_start, span_end,
                                      unverified, cue, origin)
        SELECT {common}, item_type, pick1('diplomacy_status', g, 41), place, p.theatre, {dated},
               CASE WHEN item_type = 'extension' THEN date END,
               CASE WHEN item_type = 'extension' THEN date + 60 END, unverified, item_type, 'synthetic'
        FROM (SELECT *, pick1('diplomacy_type', g, 40) AS item_type,
                     CASE WHEN u(g, 42) < 0.6 THEN pick1('intl_place', g, 43) END AS place
              FROM rec WHERE kind = 'diplomacy') r
        LEFT JOIN places p ON p.name = r.place""")
    con.execute(f"""
        INSERT INTO statements ({common}, speaker, stance, location, theatre, {dated}, unverified, cue, origin)
        SELECT {common}, a.represents, stance, place, p.theatre, {dated}, unverified, stance, 'synthetic'
        FROM (SELECT *, pick1('speaker', g, 50) AS speaker_actor, pick1('stance', g, 51) AS stance,
                     CASE WHEN u(g, 52) < 0.2 THEN pick1('event_place', g, 53) END AS place
              FROM rec WHERE kind = 'statement') r
        JOIN actors a ON a.name = r.speaker_actor
        LEFT JOIN places p ON p.name = r.place""")

    # Who takes part: the acting side first, then (often) the other side or a second participant.
    con.execute("""
        CREATE TEMP TABLE ra AS
        SELECT record_id, g, kind, 0 AS position,
               CASE kind WHEN 'event' THEN pick1('combatant', g, 60) WHEN 'aid' THEN pick1('donor', g, 31)
                         ELSE pick1('speaker', g, 50) END AS actor,
               CASE kind WHEN 'event' THEN 'actor' WHEN 'aid' THEN 'donor' WHEN 'diplomacy' THEN 'participant'
                         ELSE 'speaker' END AS role
        FROM rec
        UNION ALL
        SELECT record_id, g, kind, 1,
               CASE kind WHEN 'aid' THEN 'Ukraine' WHEN 'event' THEN pick1('combatant', g, 61)
                         ELSE pick1('speaker', g, 62) END,
               CASE kind WHEN 'event' THEN 'target' WHEN 'aid' THEN 'recipient' WHEN 'diplomacy' THEN 'participant'
                         ELSE 'target' END
        FROM rec WHERE u(g, 63) < 0.7
        UNION ALL
        SELECT record_id, g, kind, 2, pick1('speaker', g, 64), 'participant'
        FROM rec WHERE kind = 'diplomacy' AND u(g, 65) < 0.4""")
    con.execute("""
        INSERT INTO record_actors
        SELECT ra.record_id, ra.position, ra.actor, a.represents, ra.role, ra.actor
        FROM ra JOIN actors a ON a.name = ra.actor""")
    con.execute("""
        INSERT INTO record_themes
        SELECT DISTINCT record_id, theme FROM (
            SELECT record_id, pick1('theme_' || kind, g, 70) AS theme FROM rec
            UNION ALL
            SELECT record_id, pick1('theme_' || kind, g, 71) FROM rec WHERE u(g, 72) < 0.35)""")
    # Attribution: a quarter of events and some other records are reported, claimed or denied by a side;
    # a few are denied by the other side too (contested).
    con.execute("""
        INSERT INTO record_sources
        SELECT DISTINCT record_id, actor, stance FROM (
            SELECT record_id, CASE WHEN u(g, 80) < 0.5 THEN 'Russia' WHEN u(g, 80) < 0.95 THEN 'Ukraine'
                                   ELSE 'United States' END AS actor, pick1('source_stance', g, 81) AS stance
            FROM rec WHERE (kind = 'event' AND u(g, 82) < 0.25) OR (kind <> 'event' AND u(g, 82) < 0.1)
            UNION ALL
            SELECT record_id, CASE WHEN u(g, 80) < 0.5 THEN 'Ukraine' ELSE 'Russia' END, 'denies'
            FROM rec WHERE kind = 'event' AND u(g, 82) < 0.25 AND u(g, 83) < 0.2)""")
    for t in ("pick", "bursts", "doc", "sent", "sent_off", "doc_text", "doc_ids", "rec", "ra"):
        con.execute(f"DROP TABLE {t}")
    # Written in bulk by SQL above, so the filters' and aggregates' table is built once at the end.
    rebuild_record_facts(con)
