-- Who says what: per side and stance, the records a side speaks or is cited in that way
-- (statements by their speaker, other records by the sides the text attributes them to).
-- Each record's distinct (side, stance) pairs are kept with it (record_facts.said), so one
-- record counts once per pair without a join to statements and record_sources at read time.
WITH said AS (SELECT unnest(r.said) AS s FROM record_facts r WHERE {where})
SELECT s.side AS speaker, s.stance AS stance, count(*) AS records
FROM said
GROUP BY ALL
ORDER BY records DESC, speaker, stance
