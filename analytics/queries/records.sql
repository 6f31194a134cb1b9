-- Every record matching the filters, newest first, with its sides, themes and provenance
-- (article, published date, sentence, offsets). What the Timeline table and CSV show.
WITH r AS (
    SELECT * FROM records r
    WHERE {where}
    ORDER BY r.date DESC NULLS LAST, r.kind, r.doc_id, r.sentence_no, r.record_id
    {limit}
)
SELECT r.kind, r.type, r.subtype, r.date, r.date_precision, r.period_start, r.period_end,
       r.location, r.theatre,
       (SELECT string_agg(DISTINCT ra.side, ', ' ORDER BY ra.side) FROM record_actors ra
         WHERE ra.record_id = r.record_id) AS actors,
       (SELECT string_agg(DISTINCT rt.theme, ', ' ORDER BY rt.theme) FROM record_themes rt
         WHERE rt.record_id = r.record_id) AS themes,
       r.unverified, r.origin, r.article, r.published, r.sentence, r.doc_id, r.sentence_no, r.start_char, r.end_char,
       r.record_id
FROM r
ORDER BY r.date DESC NULLS LAST, r.kind, r.doc_id, r.sentence_no, r.record_id
