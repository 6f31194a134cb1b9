-- The rows of one kind that a listing keeps (the filters, newest first, one page), then the
-- article and sentence behind each. Not a query of its own: a listing of one kind writes
-- `WITH {listed_rows:KIND}` and goes on with its SELECT from r (analytics/queries.py fills it in).
f AS (
    SELECT * FROM record_facts r
    WHERE r.kind = '{kind}' AND {where}
    ORDER BY r.date DESC NULLS LAST, r.doc_id, r.sentence_no, r.record_id
    {limit}
),
-- Provenance only for the rows kept: joining every record to its sentence before the sort
-- and limit cost seconds at a million records. The sentence is cut from the article's text at
-- the record's offsets (SENTENCE_OF in analytics/queries.py).
r AS (
    SELECT f.*, {sentence_of:f} AS sentence, d.title AS article, d.name AS article_file, d.published, d.url
    FROM f JOIN documents d USING (doc_id)
)
