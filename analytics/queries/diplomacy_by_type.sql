-- Diplomatic items per item type and status.
SELECT d.item_type, coalesce(d.status, 'not stated') AS status, count(*) AS items
FROM record_facts r JOIN diplomatic_items d USING (record_id)
WHERE r.kind = 'diplomacy' AND {where}
GROUP BY ALL
ORDER BY items DESC, d.item_type
