-- Headline counts under the filters: records of each kind and the articles they come from
-- (every article when no filter is set). Imported rows are documents too, but not articles.
WITH r AS (SELECT r.kind, r.doc_id, r.origin FROM record_facts r WHERE {where})
SELECT
    (SELECT count(*) FROM r WHERE kind = 'event') AS events,
    (SELECT count(*) FROM r WHERE kind = 'aid') AS figures,
    (SELECT count(*) FROM r WHERE kind = 'diplomacy') AS items,
    (SELECT count(*) FROM r WHERE kind = 'statement') AS statements,
    CASE WHEN ? THEN (SELECT count(*) FROM documents WHERE origin = 'extracted')
         ELSE (SELECT count(DISTINCT doc_id) FROM r WHERE origin = 'extracted') END AS articles
