-- Diplomatic items per participating side and item type, the most active sides first.
WITH r AS (
    SELECT r.record_id, d.item_type FROM record_facts r JOIN diplomatic_items d USING (record_id)
    WHERE r.kind = 'diplomacy' AND {where}
),
p AS (
    SELECT DISTINCT ra.side, r.item_type, r.record_id FROM r JOIN record_actors ra USING (record_id)
),
t AS (
    SELECT side, item_type, count(*) AS items, sum(count(*)) OVER (PARTITION BY side) AS side_total
    FROM p GROUP BY side, item_type
)
SELECT side AS participants, item_type, items, side_total
FROM t
QUALIFY dense_rank() OVER (ORDER BY side_total DESC, side) <= ?
ORDER BY side_total DESC, side, items DESC
