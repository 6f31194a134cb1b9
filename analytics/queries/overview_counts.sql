-- Headline counts under the filters: records of each kind and the articles they come from
-- (every article when no filter is set). Imported rows are documents too, but not articles.
-- Diplomatic items count what was held or is going on; planned ones ("a summit next June") are
-- counted apart, as the monthly tallies leave them out.
WITH r AS (SELECT r.kind, r.doc_id, r.origin, r.factuality FROM record_facts r WHERE {where})
SELECT
    (SELECT count(*) FROM r WHERE kind = 'event') AS events,
    (SELECT count(*) FROM r WHERE kind = 'aid') AS figures,
    (SELECT count(*) FROM r WHERE kind = 'diplomacy' AND factuality IS DISTINCT FROM 'planned') AS items,
    (SELECT count(*) FROM r WHERE kind = 'diplomacy' AND factuality = 'planned') AS planned_items,
    (SELECT count(*) FROM r WHERE kind = 'statement') AS statements,
    CASE WHEN ? THEN (SELECT count(*) FROM documents WHERE origin = 'extracted')
         ELSE (SELECT count(DISTINCT doc_id) FROM r WHERE origin = 'extracted') END AS articles
