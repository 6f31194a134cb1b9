-- Who claims, denies, acknowledges or urges what: every statement, and every record the text
-- attributes to a side, contested ones (claimed by one side, denied by another) first.
-- The Claims & sources page's table and CSV.
WITH r AS (
    SELECT * FROM record_facts r
    WHERE {where}
      AND (r.kind = 'statement' OR r.record_id IN (SELECT record_id FROM record_sources))
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
-- Provenance only for the rows kept (see records.sql).
p AS (
    SELECT c.*, s.text AS sentence, d.title AS article, d.published
    FROM c JOIN documents d USING (doc_id) LEFT JOIN sentences s USING (doc_id, sentence_no)
)
SELECT c.contested, c.date, c.kind, c.type, c.speaker, c.stance,
       (SELECT string_agg(DISTINCT ra.side, ', ' ORDER BY ra.side) FROM record_actors ra
         WHERE ra.record_id = c.record_id AND ra.role IN ('target', 'participant', 'recipient')) AS targets,
       c.claimed_by, c.denied_by, c.unverified, c.confidence, c.factuality, c.origin, c.article, c.published, c.sentence, c.doc_id, c.sentence_no,
       c.start_char, c.end_char, c.record_id
FROM p AS c
ORDER BY c.contested DESC, c.date DESC NULLS LAST, c.doc_id, c.sentence_no, c.record_id
