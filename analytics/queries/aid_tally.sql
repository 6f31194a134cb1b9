-- Aid per value of one dimension (donor, recipient, aid type or record type; allow-listed),
-- split by record type and currency, so a chart can stack them without adding corrections to new aid.
SELECT coalesce(CAST(a.{dimension} AS VARCHAR), 'not stated') AS value, a.record_type, a.currency,
       sum(a.amount) AS total, count(*) AS figures
FROM records r JOIN aid_figures a USING (record_id)
WHERE r.kind = 'aid' AND {where}
GROUP BY ALL
ORDER BY total DESC NULLS LAST, value
