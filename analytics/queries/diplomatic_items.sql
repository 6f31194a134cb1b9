-- Diplomatic items matching the filters with their dates, span, status, participants and
-- provenance. The Diplomacy page's table and CSV.
WITH f AS (
    SELECT * FROM record_facts r
    WHERE r.kind = 'diplomacy' AND {where}
    ORDER BY r.date DESC NULLS LAST, r.doc_id, r.sentence_no, r.record_id
    {limit}
),
-- Provenance only for the rows kept: joining every record to its sentence before the sort
-- and limit cost seconds at a million records.
r AS (
    SELECT f.*, s.text AS sentence, d.title AS article, d.name AS article_file, d.published, d.url
    FROM f JOIN documents d USING (doc_id) LEFT JOIN sentences s USING (doc_id, sentence_no)
)
SELECT r.date, r.date_precision, r.span_start, r.span_end, d.item_type, d.status, r.location,
       array_to_string(r.sides, ', ') AS participants,
       r.unverified, r.confidence, r.factuality, r.origin, r.article, r.published, r.sentence, r.doc_id, r.sentence_no, r.start_char, r.end_char,
       r.record_id
FROM r JOIN diplomatic_items d USING (record_id)
ORDER BY r.date DESC NULLS LAST, r.doc_id, r.sentence_no, r.record_id
