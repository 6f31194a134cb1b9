-- Articles that hold records matching the filters (every article when none is set), newest
-- first: the choices of the article reader.
SELECT d.doc_id, d.title, d.published, d.n_sentences
FROM documents d
WHERE ? OR d.doc_id IN (SELECT r.doc_id FROM records r WHERE {where})
ORDER BY d.published DESC NULLS LAST, d.title
LIMIT ?
