-- One page of the `records` view (views.sql), the same columns in the same order: the Data page's
-- default table. The page is chosen on record_facts alone, its rows fetched back by rowid (a fetch,
-- not a scan of every record), and only their articles' sentences read: selecting from the view
-- joined every record to its sentence first (0.1-0.3 s at a million records).
-- tests/test_queries.py checks it against the view.
WITH page AS (
    SELECT r.rowid AS row_no FROM record_facts r SEMI JOIN documents USING (doc_id)
    WHERE {where}
    ORDER BY r.date DESC NULLS LAST, r.record_id
    {limit}
),
kept AS (SELECT * FROM record_facts WHERE rowid IN (SELECT row_no FROM page)),
said AS (SELECT doc_id, sentence_no, text FROM sentences WHERE doc_id IN (SELECT doc_id FROM kept))
SELECT r.* EXCLUDE (lat, lon, period_start, period_end, actor_names, sides, themes, cited, contested,
                   claimed_by, denied_by, said), r.period_start,
       r.period_end,
       s.text AS sentence, d.title AS article, d.name AS article_file, d.published, d.url,
       r.lat, r.lon
FROM kept r
JOIN documents d USING (doc_id)
LEFT JOIN said s USING (doc_id, sentence_no)
ORDER BY r.date DESC NULLS LAST, r.record_id
