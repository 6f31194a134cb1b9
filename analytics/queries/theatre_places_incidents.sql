-- Incidents per theatre and place (the incident's canonical place), for the treemap and drill-down
-- when counting occurrences rather than reports. Column `events` keeps the chart's contract.
WITH inc AS (
    SELECT DISTINCT ir.incident_id
    FROM incident_reports ir JOIN record_facts r ON r.record_id = ir.record_id
    WHERE r.kind = 'event' AND {where}
)
SELECT coalesce(i.theatre, 'Theatre not known') AS theatre, coalesce(i.location, 'No place named') AS place,
       count(*) AS events
FROM incidents i JOIN inc USING (incident_id)
GROUP BY ALL
ORDER BY events DESC, theatre, place
