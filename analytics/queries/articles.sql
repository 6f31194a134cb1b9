-- Articles that hold records matching the filters (every article when none is set), newest
-- first: the choices of the article reader. Imported dataset rows are stored as documents too,
-- but they are not articles: a large ACLED import would otherwise crowd the articles out.
SELECT d.doc_id, d.title, d.published, d.n_sentences
FROM documents d
WHERE d.origin = 'extracted' AND (? OR d.doc_id IN (SELECT r.doc_id FROM record_facts r WHERE {where}))
ORDER BY d.published DESC NULLS LAST, d.title
LIMIT ?
