-- Articles that hold records matching the filters (every article when none is set), newest
-- first: the choices of the article reader. Imported dataset rows are stored as documents too,
-- but they are not articles: a large ACLED import would otherwise crowd the articles out.
-- The placeholder in braces is TRUE with no filter set, else ARTICLES_MATCHING in analytics/queries.py (articles
-- holding a matching record): a "? OR doc_id IN (…)" clause ran the subquery even when the
-- parameter made it moot, 20 ms at a million records on every page's sidebar.
SELECT d.doc_id, d.title, d.published, d.n_sentences
FROM documents d
WHERE d.origin = 'extracted' AND {matching}
ORDER BY d.published DESC NULLS LAST, d.title
LIMIT ?
