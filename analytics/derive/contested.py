"""Contested claims: a claim or accusation linked to its denial or rejection, across sentences and articles.

A pair needs opposing stances (data/derive.yaml: assert_stances vs counter_stances; a rejection
counts only when its sentence speaks of a claim, `answer_words`), two different speakers, periods at most `window_days` apart, and one of these links, tried in this
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
claims AS (SELECT * FROM st WHERE stance IN (SELECT unnest($assert::VARCHAR[]))),
counters AS (
    SELECT st.* FROM st JOIN sentences x ON x.doc_id = st.doc_id AND x.sentence_no = st.sentence_no
    WHERE st.stance IN (SELECT unnest($counter::VARCHAR[]))
      AND (st.stance NOT IN (SELECT unnest($answer_required::VARCHAR[])) OR regexp_matches(x.text, $answer_words, 'i'))
),
-- Weeks a claim's period covers, and weeks a denial's period widened by the window covers: a pair
-- within the window shares at least one week. With the theme and the side these are the keys of
-- equi-joins, so candidates are blocked by incident, by (side, theme, week) or by article.
weeks_c AS (SELECT record_id, unnest(range(date_diff('day', DATE '2000-01-03', ps) // 7,
                                           date_diff('day', DATE '2000-01-03', pe) // 7 + 1)) AS week FROM claims),
weeks_k AS (SELECT record_id, unnest(range(date_diff('day', DATE '2000-01-03', ps) // 7 - $window // 7 - 1,
                                           date_diff('day', DATE '2000-01-03', pe) // 7 + $window // 7 + 2)) AS week
            FROM counters),
claims_th AS (SELECT c.record_id, c.speaker, w.week, unnest(c.themes) AS theme
              FROM claims c JOIN weeks_c w USING (record_id)),
counters_th AS (SELECT k.record_id, k.speaker, w.week, unnest(k.themes) AS theme
                FROM counters k JOIN weeks_k w USING (record_id)),
claims_tt AS (SELECT record_id, week, theme, unnest(targets) AS target
              FROM (SELECT c.record_id, c.targets, w.week, unnest(c.themes) AS theme
                    FROM claims c JOIN weeks_c w USING (record_id))),
counters_tt AS (SELECT record_id, week, theme, unnest(targets) AS target
                FROM (SELECT k.record_id, k.targets, w.week, unnest(k.themes) AS theme
                      FROM counters k JOIN weeks_k w USING (record_id))),
links AS (
    SELECT c.record_id AS cid, k.record_id AS kid, 1 AS rule
    FROM claims c JOIN counters k ON k.incident_id = c.incident_id
    UNION ALL
    SELECT c.record_id, k.record_id, 2 FROM claims_tt c JOIN counters_th k
        ON k.speaker = c.target AND k.theme = c.theme AND k.week = c.week
    UNION ALL
    SELECT c.record_id, k.record_id, 3 FROM counters_tt k JOIN claims_th c
        ON c.speaker = k.target AND c.theme = k.theme AND c.week = k.week
    UNION ALL
    SELECT c.record_id, k.record_id, 4 FROM claims c JOIN counters k ON k.doc_id = c.doc_id
    WHERE k.sentence_no > c.sentence_no AND k.sentence_no - c.sentence_no <= $same_article
),
best AS (SELECT cid, kid, min(rule) AS rule FROM links GROUP BY ALL)
SELECT c.record_id AS claim_record_id, k.record_id AS counter_record_id, c.stance AS claim_stance,
       k.stance AS counter_stance, c.speaker AS claim_speaker, k.speaker AS counter_speaker,
       CASE WHEN b.rule = 1 THEN c.incident_id END AS incident_id,
       list_sort(list_intersect(c.themes, k.themes)) AS shared_themes,
       CASE b.rule WHEN 1 THEN 'same incident'
                   WHEN 2 THEN 'the accused answers: ' || k.speaker || ' is a target of the claim, shared theme'
                   WHEN 3 THEN 'the accuser is answered: ' || c.speaker || ' is a target of the denial, shared theme'
                   ELSE 'the answer follows in the same article' END AS reason
FROM best b JOIN claims c ON c.record_id = b.cid JOIN counters k ON k.record_id = b.kid
WHERE c.record_id <> k.record_id
  AND (c.speaker IS NULL OR k.speaker IS NULL OR c.speaker <> k.speaker)
  AND k.ps <= c.pe + to_days($window) AND k.pe >= c.ps - to_days($window)
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
    statements = frame(con, STATEMENT_PAIRS, params | {
        "window": int(cfg.get("window_days", 14)), "same_article": int(cfg.get("same_article_sentences", 3)),
        "answer_required": list(cfg.get("answer_required_stances", [])),
        "answer_words": r"\b" + cfg.get("answer_words", "(?!)"),
    })  # fmt: skip
    sources = frame(con, SOURCE_PAIRS, params)
    pairs = pd.concat([statements, sources], ignore_index=True)
    if pairs.empty:
        return pd.DataFrame(columns=COLUMNS)
    pairs["pair_id"] = [stable_id("con", [a, b]) for a, b in zip(pairs.claim_record_id, pairs.counter_record_id,
                                                                strict=True)]  # fmt: skip
    return pairs.drop_duplicates("pair_id")[COLUMNS]
