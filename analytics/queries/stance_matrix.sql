-- Who says what: per side and stance, the records a side speaks or is cited in that way
-- (statements by their speaker, other records by the sides the text attributes them to).
WITH r AS (SELECT r.record_id FROM record_facts r WHERE {where}),
said AS (
    SELECT s.speaker AS side, s.stance, s.record_id FROM statements s
    WHERE s.record_id IN (SELECT record_id FROM r) AND s.speaker IS NOT NULL
    UNION
    SELECT rs.actor, rs.stance, rs.record_id FROM record_sources rs
    WHERE rs.record_id IN (SELECT record_id FROM r)
)
SELECT side AS speaker, stance, count(DISTINCT record_id) AS records
FROM said
GROUP BY ALL
ORDER BY records DESC, speaker, stance
