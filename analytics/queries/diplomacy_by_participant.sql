-- Diplomatic items per participating side and item type, the most active sides first.
-- A record's sides are kept with it (record_facts), so no join to record_actors at read time.
WITH p AS (
    SELECT unnest(r.sides) AS side, r.type AS item_type, r.record_id FROM record_facts r
    WHERE r.kind = 'diplomacy' AND {where}
),
t AS (
    SELECT side, item_type, count(*) AS items, sum(count(*)) OVER (PARTITION BY side) AS side_total
    FROM p GROUP BY side, item_type
)
SELECT side AS participants, item_type, items, side_total
FROM t
QUALIFY dense_rank() OVER (ORDER BY side_total DESC, side) <= ?
ORDER BY side_total DESC, side, items DESC
