-- Articles per source (publisher), and per origin when the source is not recorded.
SELECT coalesce(source, 'source not recorded (' || origin || ')') AS source, count(*) AS articles,
       min(published) AS first_published, max(published) AS last_published
FROM documents
GROUP BY ALL
ORDER BY articles DESC, source
LIMIT 50
