-- Records per month and kind: the Overview's and the Timeline's monthly bars. What happened only:
-- a planned item ("a summit next June") enters no tally (the Diplomacy page and the Timeline's
-- "Each record" tab show it).
SELECT date_trunc('month', r.date)::DATE AS month, r.kind, count(*) AS records
FROM record_facts r
WHERE {where} AND r.date IS NOT NULL AND r.factuality IS DISTINCT FROM 'planned'
GROUP BY ALL
ORDER BY month, r.kind
