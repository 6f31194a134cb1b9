-- As timeline_monthly, but events counted as incidents (by the incident's canonical date) rather
-- than as reports; other kinds stay records. An incident counts when any report matches the filters.
WITH m AS (SELECT r.record_id, r.kind, r.date FROM record_facts r
           WHERE {where} AND r.factuality IS DISTINCT FROM 'planned'),  -- what happened only
inc AS (
    SELECT DISTINCT ir.incident_id FROM incident_reports ir JOIN m ON m.record_id = ir.record_id
)
SELECT date_trunc('month', i.date)::DATE AS month, 'event' AS kind, count(*) AS records
FROM incidents i JOIN inc USING (incident_id)
WHERE i.date IS NOT NULL
GROUP BY ALL
UNION ALL
SELECT date_trunc('month', m.date)::DATE, m.kind, count(*)
FROM m
WHERE m.kind <> 'event' AND m.date IS NOT NULL
GROUP BY ALL
ORDER BY month, kind
