-- Incidents (each occurrence once, however many reports) with at least one report matching the
-- filters, newest first: the incidents listing of the Timeline and Theatres pages and its CSV.
WITH hit AS (
    SELECT DISTINCT ir.incident_id
    FROM incident_reports ir JOIN record_facts r ON r.record_id = ir.record_id
    WHERE {where}
)
SELECT i.date, i.date_precision, i.event_type, i.sub_event_type, i.location, i.theatre, i.n_reports,
       i.n_articles, i.n_outlets, array_to_string(i.sides, ', ') AS sides,
       array_to_string(i.claimed_by, ', ') AS claimed_by, array_to_string(i.denied_by, ', ') AS denied_by,
       i.n_corroborating, i.origin, i.corrected, i.incident_id
FROM incidents i JOIN hit USING (incident_id)
ORDER BY i.date DESC NULLS LAST, i.incident_id
{limit}
