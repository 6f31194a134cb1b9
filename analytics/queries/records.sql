-- Every record matching the filters, newest first, with its sides, themes and provenance
-- (article, published date, sentence, offsets). What the Timeline table and CSV show.
WITH f AS (
    SELECT * FROM record_facts r
    WHERE {where}
    ORDER BY r.date DESC NULLS LAST, r.kind, r.doc_id, r.sentence_no, r.record_id
    {limit}
),
-- Provenance only for the rows kept: joining every record to its sentence before the sort
-- and limit cost seconds at a million records. Sides and themes come with the row (record_facts):
-- a subquery per row over the link tables was aggregated for every record first (5 s at 1M).
-- The sentence is cut from the article's text at the record's offsets (SENTENCE_OF in
-- analytics/queries.py).
r AS (
    SELECT f.*, {sentence_of:f} AS sentence, d.title AS article, d.name AS article_file, d.published, d.url
    FROM f JOIN documents d USING (doc_id)
)
SELECT r.kind, r.type, r.subtype, r.date, r.date_precision, r.period_start, r.period_end,
       r.location, r.theatre,
       array_to_string(r.sides, ', ') AS actors, array_to_string(r.themes, ', ') AS themes,
       r.unverified, r.confidence, r.factuality, r.origin, r.article, r.published, r.sentence, r.doc_id, r.sentence_no, r.start_char, r.end_char,
       r.record_id
FROM r
ORDER BY r.date DESC NULLS LAST, r.kind, r.doc_id, r.sentence_no, r.record_id
