"""Contested claims: a claim or accusation linked to its denial or rejection, across sentences and articles.

A pair needs opposing stances (data/derive.yaml: assert_stances vs counter_stances), two
different speakers, periods at most `window_days` apart, and one of these links, tried in this
order and named in `reason`:

1. same incident: both sentences report the same incident (incident_reports);
2. the accused answers: the denier is a target of the accusation, and the two share a theme;
3. the accuser is answered: the accuser is a target of the denial, sharing a theme;
4. the answer follows: in the same article, the denial comes at most `same_article_sentences`
   sentences after the claim.

Reports attributed by their text to opposing sides ("Russia claimed ...", "Kyiv denied ...") that
belong to the same incident form pairs too (sources of one incident: reason 'incident sources').
Candidate pairs are found by a range join on dates, never over all pairs.
"""
from __future__ import annotations

import duckdb
import pandas as pd

from analytics.derive.common import frame, stable_id

STATEMENT_PAIRS = """
WITH st AS (
    SELECT s.record_id, s.doc_id, s.sentence_no, s.speaker, s.stance,
           coalesce(s.span_start, s.date) AS ps, coalesce(s.span_end, s.date) AS pe,
           coalesce((SELECT list(DISTINCT side ORDER BY side) FROM record_actors ra
                     WHERE ra.record_id = s.record_id AND ra.role = 'target'), []) AS targets,
           coalesce((SELECT list(theme ORDER BY theme) FROM record_themes t WHERE t.record_id = s.record_id), [])
               AS themes,
           (SELECT min(ir.incident_id) FROM events e JOIN incident_reports ir ON ir.record_id = e.record_id
            WHERE e.doc_id = s.doc_id AND e.sentence_no = s.sentence_no) AS incident_id
    FROM statements s
    WHERE s.date IS NOT NULL
),
cand AS (
    SELECT c.record_id AS claim_record_id, k.record_id AS counter_record_id, c.stance AS claim_stance,
           k.stance AS counter_stance, c.speaker AS claim_speaker, k.speaker AS counter_speaker,
           CASE WHEN c.incident_id = k.incident_id THEN c.incident_id END AS incident_id,
           list_intersect(c.themes, k.themes) AS shared_themes,
           c.targets AS claim_targets, k.targets AS counter_targets,
           c.doc_id = k.doc_id AND k.sentence_no > c.sentence_no
               AND k.sentence_no - c.sentence_no <= $same_article AS follows
    FROM st c JOIN st k
      ON k.ps <= c.pe + to_days($window) AND k.pe >= c.ps - to_days($window)
    WHERE c.stance IN (SELECT unnest($assert::VARCHAR[])) AND k.stance IN (SELECT unnest($counter::VARCHAR[]))
      AND c.record_id <> k.record_id
      AND (c.speaker IS NULL OR k.speaker IS NULL OR c.speaker <> k.speaker)
)
SELECT claim_record_id, counter_record_id, claim_stance, counter_stance, claim_speaker, counter_speaker,
       incident_id, shared_themes,
       CASE WHEN incident_id IS NOT NULL THEN 'same incident'
            WHEN list_contains(claim_targets, counter_speaker) AND len(shared_themes) > 0
                THEN 'the accused answers: ' || counter_speaker || ' is a target of the claim'
            WHEN list_contains(counter_targets, claim_speaker) AND len(shared_themes) > 0
                THEN 'the accuser is answered: ' || claim_speaker || ' is a target of the denial, shared theme'
            WHEN follows THEN 'the answer follows in the same article'
       END AS reason
FROM cand
WHERE incident_id IS NOT NULL
   OR (list_contains(claim_targets, counter_speaker) AND len(shared_themes) > 0)
   OR (list_contains(counter_targets, claim_speaker) AND len(shared_themes) > 0)
   OR follows
ORDER BY claim_record_id, counter_record_id
"""

SOURCE_PAIRS = """
WITH src AS (
    SELECT ir.incident_id, rs.record_id, rs.actor, rs.stance
    FROM record_sources rs JOIN incident_reports ir ON ir.record_id = rs.record_id
)
SELECT c.record_id AS claim_record_id, k.record_id AS counter_record_id, c.stance AS claim_stance,
       k.stance AS counter_stance, c.actor AS claim_speaker, k.actor AS counter_speaker, c.incident_id,
       []::VARCHAR[] AS shared_themes,
       'incident sources: ' || c.actor || ' ' || c.stance || ', ' || k.actor || ' ' || k.stance AS reason
FROM src c JOIN src k ON k.incident_id = c.incident_id
WHERE c.stance IN (SELECT unnest($assert::VARCHAR[])) AND k.stance IN (SELECT unnest($counter::VARCHAR[]))
  AND c.actor <> k.actor
ORDER BY claim_record_id, counter_record_id
"""

COLUMNS = ["pair_id", "claim_record_id", "counter_record_id", "claim_stance", "counter_stance", "claim_speaker",
           "counter_speaker", "incident_id", "shared_themes", "reason"]  # fmt: skip


def contested_pairs(con: duckdb.DuckDBPyConnection, cfg: dict) -> pd.DataFrame:
    """Every contested pair; reads incident_reports, so incidents must be written first."""
    params = {"assert": list(cfg.get("assert_stances", [])), "counter": list(cfg.get("counter_stances", []))}
    statements = frame(con, STATEMENT_PAIRS, params | {"window": int(cfg.get("window_days", 14)),
                                                       "same_article": int(cfg.get("same_article_sentences", 3))})
    sources = frame(con, SOURCE_PAIRS, params)
    pairs = pd.concat([statements, sources], ignore_index=True)
    if pairs.empty:
        return pd.DataFrame(columns=COLUMNS)
    pairs["pair_id"] = [stable_id("con", [a, b]) for a, b in zip(pairs.claim_record_id, pairs.counter_record_id,
                                                                strict=True)]  # fmt: skip
    return pairs.drop_duplicates("pair_id")[COLUMNS]
