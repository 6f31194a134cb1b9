-- Incidents and the event reports behind them, under the filters (an incident counts when any of
-- its reports matches).
WITH m AS (SELECT r.record_id FROM record_facts r WHERE r.kind = 'event' AND {where})
SELECT (SELECT count(DISTINCT ir.incident_id) FROM incident_reports ir JOIN m USING (record_id)) AS incidents,
       (SELECT count(*) FROM m) AS reports
