-- The Aid and Overview headline: aid to Ukraine counted once (USD, EUR), and what is kept apart.
WITH hit AS (
    SELECT DISTINCT s.commitment_id
    FROM aid_ledger_sources s JOIN record_facts r ON r.record_id = s.record_id
    WHERE {where}
),
c AS (SELECT l.* FROM aid_ledger l JOIN hit USING (commitment_id))
SELECT coalesce(sum(amount_usd) FILTER (WHERE counted), 0) AS counted_usd,
       coalesce(sum(amount_eur) FILTER (WHERE counted), 0) AS counted_eur,
       count(*) FILTER (WHERE counted) AS counted,
       count(*) FILTER (WHERE series = 'commitment' AND stage = 'requested') AS requests,
       coalesce(sum(amount_usd) FILTER (WHERE series = 'commitment' AND stage = 'requested'), 0) AS requests_usd,
       count(DISTINCT donor) FILTER (WHERE series = 'running total') AS total_donors,
       count(*) FILTER (WHERE NOT counted AND series = 'commitment' AND stage <> 'requested') AS apart,
       count(*) FILTER (WHERE series = 'correction') AS corrections
FROM c
