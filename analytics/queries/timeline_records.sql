-- One row per record to draw on the timeline: its period (start..end), whether it is a stated
-- span, its first theme for colouring, and a shortened sentence and the article for hovering.
WITH f AS (
    SELECT * FROM record_facts r
    WHERE {where} AND r.date IS NOT NULL
    ORDER BY r.period_start, r.kind, r.record_id
    {limit}
),
-- Provenance only for the rows kept (see records.sql).
r AS (
    SELECT f.*, {sentence_of:f} AS sentence, d.title AS article, d.published
    FROM f JOIN documents d USING (doc_id)
)
SELECT r.record_id, r.kind, r.type, r.date, r.date_precision, r.period_start, r.period_end,
       r.span_start IS NOT NULL AS is_span,
       coalesce(r.themes[1], 'no theme') AS theme,  -- themes are sorted: the first is the least
       CASE WHEN length(r.sentence) > 160 THEN left(r.sentence, 157) || '...' ELSE r.sentence END AS sentence,
       r.article, r.published, r.doc_id, r.sentence_no
FROM r
ORDER BY r.period_start, r.kind, r.record_id
