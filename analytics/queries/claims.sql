-- Who claims, denies, acknowledges or urges what: every statement, and every record the text
-- attributes to a side, contested ones (claimed by one side, denied by another) first.
-- The Claims & sources page's table and CSV. Who claims and denies each record is kept with it
-- (record_facts): working it out from record_sources for every matching record before the sort
-- cost seconds at a million records.
WITH c AS (
    SELECT * FROM record_facts r
    WHERE {where}
      AND (r.kind = 'statement' OR r.cited)
    ORDER BY r.contested DESC, r.date DESC NULLS LAST, r.doc_id, r.sentence_no, r.record_id
    {limit}
),
-- Speaker, targets and provenance only for the rows kept (see records.sql).
tg AS (
    SELECT record_id, string_agg(DISTINCT side, ', ' ORDER BY side) AS targets FROM record_actors
    WHERE record_id IN (SELECT record_id FROM c) AND role IN ('target', 'participant', 'recipient')
    GROUP BY record_id
),
p AS (
    SELECT c.*, st.speaker, st.stance, {sentence_of:c} AS sentence, d.title AS article, d.published, tg.targets
    FROM c JOIN documents d USING (doc_id)
    LEFT JOIN statements st USING (record_id) LEFT JOIN tg USING (record_id)
)
SELECT c.contested, c.date, c.kind, c.type, c.speaker, c.stance, c.targets,
       c.claimed_by, c.denied_by, c.unverified, c.confidence, c.factuality, c.origin, c.article, c.published, c.sentence, c.doc_id, c.sentence_no,
       c.start_char, c.end_char, c.record_id
FROM p AS c
ORDER BY c.contested DESC, c.date DESC NULLS LAST, c.doc_id, c.sentence_no, c.record_id
