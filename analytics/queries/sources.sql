-- Articles per source (publisher). Imported datasets' rows are left out: their sources are
-- listed in import_details, and the Overview counts them by origin.
SELECT coalesce(outlet, source, 'outlet not recorded') AS source, count(*) AS articles,
       min(published) AS first_published, max(published) AS last_published
FROM documents
WHERE origin = 'extracted'
GROUP BY ALL
ORDER BY articles DESC, source
LIMIT 50
