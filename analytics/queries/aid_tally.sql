-- Aid per value of one dimension (donor, recipient, aid type or record type; allow-listed),
-- split by record type and currency, so a chart can stack them without adding corrections to new aid.
-- A figure reported by several articles counts once (see aid_totals.sql); items without a
-- currency are not money and are left out.
WITH figures AS (
    SELECT DISTINCT coalesce(CAST(a.{dimension} AS VARCHAR), 'not stated') AS value, a.donor, a.recipient,
           a.record_type, a.currency, a.amount
    FROM record_facts r JOIN aid_figures a USING (record_id)
    WHERE r.kind = 'aid' AND a.currency IS NOT NULL AND {where}
)
SELECT value, record_type, currency, sum(amount) AS total, count(*) AS figures
FROM figures
GROUP BY ALL
ORDER BY total DESC NULLS LAST, value
