-- Who claims, denies, acknowledges or urges what: every statement, and every record the text
-- attributes to a side, contested ones (claimed by one side, denied by another) first.
-- The Claims & sources page's table and CSV.
WITH r AS (
    SELECT * FROM record_facts r
    WHERE {where}
      AND (r.kind = 'statement' OR r.cited)
),
src AS (
    SELECT record_id,
           list_distinct(list(actor) FILTER (WHERE stance <> 'denies')) AS claimants,
           list_distinct(list(actor) FILTER (WHERE stance = 'denies')) AS deniers,
           list_distinct(list(actor)) AS everyone
    FROM record_sources
    WHERE record_id IN (SELECT record_id FROM r)
    GROUP BY record_id
),
c AS (
    SELECT r.*, s.speaker, s.stance,
           coalesce(len(src.claimants) > 0 AND len(src.deniers) > 0 AND len(src.everyone) > 1, false) AS contested,
           array_to_string(list_sort(src.claimants), ', ') AS claimed_by,
           array_to_string(list_sort(src.deniers), ', ') AS denied_by
    FROM r LEFT JOIN src USING (record_id) LEFT JOIN statements s USING (record_id)
    ORDER BY contested DESC, r.date DESC NULLS LAST, r.doc_id, r.sentence_no, r.record_id
    {limit}
),
-- Provenance and targets only for the rows kept (see records.sql).
tg AS (
    SELECT record_id, string_agg(DISTINCT side, ', ' ORDER BY side) AS targets FROM record_actors
    WHERE record_id IN (SELECT record_id FROM c) AND role IN ('target', 'participant', 'recipient')
    GROUP BY record_id
),
p AS (
    SELECT c.*, s.text AS sentence, d.title AS article, d.published, tg.targets
    FROM c JOIN documents d USING (doc_id) LEFT JOIN sentences s USING (doc_id, sentence_no)
    LEFT JOIN tg USING (record_id)
)
SELECT c.contested, c.date, c.kind, c.type, c.speaker, c.stance, c.targets,
       c.claimed_by, c.denied_by, c.unverified, c.confidence, c.factuality, c.origin, c.article, c.published, c.sentence, c.doc_id, c.sentence_no,
       c.start_char, c.end_char, c.record_id
FROM p AS c
ORDER BY c.contested DESC, c.date DESC NULLS LAST, c.doc_id, c.sentence_no, c.record_id
