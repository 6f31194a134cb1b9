-- Events matching the filters with their place, theatre, sides and provenance. The Theatres
-- page's table and CSV.
WITH f AS (
    SELECT * FROM record_facts r
    WHERE r.kind = 'event' AND {where}
    ORDER BY r.date DESC NULLS LAST, r.doc_id, r.sentence_no, r.record_id
    {limit}
),
-- Provenance only for the rows kept: joining every record to its sentence before the sort
-- and limit cost seconds at a million records.
r AS (
    SELECT f.*, s.text AS sentence, d.title AS article, d.name AS article_file, d.published, d.url
    FROM f JOIN documents d USING (doc_id) LEFT JOIN sentences s USING (doc_id, sentence_no)
)
SELECT r.date, r.date_precision, e.event_type, e.sub_event_type, r.location, r.theatre,
       array_to_string(r.sides, ', ') AS actors,
       e.fatalities, r.unverified, r.confidence, r.factuality, r.origin, r.article, r.published, r.sentence, r.doc_id, r.sentence_no,
       r.start_char, r.end_char, r.record_id
FROM r JOIN events e USING (record_id)
ORDER BY r.date DESC NULLS LAST, r.doc_id, r.sentence_no, r.record_id
