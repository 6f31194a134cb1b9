-- Records per month and kind: the small Overview timeline, and the Timeline when too many
-- records match to draw one by one.
SELECT date_trunc('month', r.date)::DATE AS month, r.kind, count(*) AS records
FROM record_facts r
WHERE {where} AND r.date IS NOT NULL
GROUP BY ALL
ORDER BY month, r.kind
