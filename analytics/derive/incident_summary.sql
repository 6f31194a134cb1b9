-- One incident_clusters row per incident from its reports (_members: incident_id, record_id,
-- family, corrected), by the canonical rules of analytics/derive/incidents.py:
-- date = the day most reports give (ties: earliest), else the earliest period start;
-- place = the most specific place given (a city before an oblast before a country), the most
-- reported among equals (ties: alphabetical); types = the most reported (ties: alphabetical).
INSERT INTO incident_clusters
WITH m AS (
    SELECT mb.incident_id, mb.family, mb.corrected, e.record_id, e.doc_id, e.event_type, e.sub_event_type,
           e.location, coalesce(e.theatre, p.theatre) AS theatre, e.date, e.date_precision, e.origin,
           coalesce(e.span_start, e.date) AS period_start,
           period_end(e.date, e.date_precision, e.span_end) AS period_end,
           CASE WHEN e.location IS NULL OR p.kind = 'country' THEN 3
                WHEN p.kind IN ('oblast', 'province', 'region', 'front', 'sea', 'river', 'peninsula') THEN 2
                ELSE 1 END AS place_rank,
           coalesce(nullif(d.outlet, ''), nullif(d.source, ''), nullif(regexp_extract(d.url, '^[a-z]+://([^/]+)', 1), ''),
                    'article:' || d.doc_id) AS outlet
    FROM _members mb
    JOIN events e ON e.record_id = mb.record_id
    JOIN documents d ON d.doc_id = e.doc_id
    LEFT JOIN places p ON p.name = e.location
),
day_votes AS (
    SELECT incident_id, date, count(*) AS n FROM m WHERE date_precision = 'day' GROUP BY ALL
),
canon_day AS (
    SELECT incident_id, first(date ORDER BY n DESC, date) AS date FROM day_votes GROUP BY ALL
),
place_votes AS (
    SELECT incident_id, location, any_value(theatre) AS theatre, min(place_rank) AS place_rank, count(*) AS n
    FROM m WHERE location IS NOT NULL GROUP BY incident_id, location
),
canon_place AS (
    SELECT incident_id, first(location ORDER BY place_rank, n DESC, location) AS location,
           first(theatre ORDER BY place_rank, n DESC, location) AS theatre
    FROM place_votes GROUP BY ALL
),
canon_type AS (
    SELECT incident_id, first(event_type ORDER BY n DESC, event_type) AS event_type
    FROM (SELECT incident_id, event_type, count(*) AS n FROM m GROUP BY ALL) GROUP BY ALL
),
canon_sub AS (
    SELECT incident_id, first(sub_event_type ORDER BY n DESC, sub_event_type) AS sub_event_type
    FROM (SELECT incident_id, sub_event_type, count(*) AS n FROM m WHERE sub_event_type IS NOT NULL GROUP BY ALL)
    GROUP BY ALL
),
agg AS (
    SELECT incident_id, min(origin) AS origin, min(family) AS family, min(period_start) AS period_start,
           max(period_end) AS period_end, count(*) AS n_reports, count(DISTINCT doc_id) AS n_articles,
           count(DISTINCT outlet) AS n_outlets, bool_or(corrected) AS corrected,
           CASE WHEN bool_or(date_precision = 'day') THEN 'day'
                WHEN bool_or(date_precision = 'week') THEN 'week'
                WHEN bool_or(date_precision = 'month') THEN 'month' ELSE 'year' END AS date_precision
    FROM m GROUP BY incident_id
),
sides AS (
    SELECT m.incident_id, list(DISTINCT ra.side ORDER BY ra.side) AS sides
    FROM m JOIN record_actors ra ON ra.record_id = m.record_id AND ra.role = 'actor' GROUP BY ALL
),
stances AS (
    SELECT m.incident_id,
           list(DISTINCT rs.actor ORDER BY rs.actor) FILTER (WHERE rs.stance IN ('claims', 'announces', 'acknowledges'))
               AS claimed_by,
           list(DISTINCT rs.actor ORDER BY rs.actor) FILTER (WHERE rs.stance = 'denies') AS denied_by
    FROM m JOIN record_sources rs ON rs.record_id = m.record_id GROUP BY ALL
),
corroboration AS (
    SELECT incident_id, count(*) AS n FROM incident_matches GROUP BY ALL
    UNION ALL
    SELECT dataset_incident_id, count(*) FROM incident_matches GROUP BY ALL
)
SELECT a.incident_id, a.origin, t.event_type, s.sub_event_type, a.family,
       coalesce(cd.date, a.period_start) AS date, a.date_precision, a.period_start, a.period_end,
       cp.location, cp.theatre, coalesce(sd.sides, []), a.n_reports, a.n_articles, a.n_outlets,
       coalesce(st.claimed_by, []), coalesce(st.denied_by, []), coalesce(c.n, 0), a.corrected
FROM agg a
JOIN canon_type t USING (incident_id)
LEFT JOIN canon_sub s USING (incident_id)
LEFT JOIN canon_day cd USING (incident_id)
LEFT JOIN canon_place cp USING (incident_id)
LEFT JOIN sides sd USING (incident_id)
LEFT JOIN stances st USING (incident_id)
LEFT JOIN corroboration c USING (incident_id)
ORDER BY a.incident_id;
