-- Aid to Ukraine counted once: commitments per donor and stage (only counted rows: one per line,
-- never a request, a running total, another recipient's share), in USD and EUR at each
-- commitment's ECB reference rate.
WITH hit AS (
    SELECT DISTINCT s.commitment_id
    FROM aid_ledger_sources s JOIN record_facts r ON r.record_id = s.record_id
    WHERE {where}
)
SELECT c.donor, c.stage, count(*) AS commitments, sum(c.n_reports) AS reports, sum(c.amount_usd) AS usd,
       sum(c.amount_eur) AS eur
FROM aid_commitments c JOIN hit USING (commitment_id)
WHERE c.counted
GROUP BY ALL
ORDER BY usd DESC NULLS LAST, c.donor, c.stage
