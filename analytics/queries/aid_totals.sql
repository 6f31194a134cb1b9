-- Aid amounts per record type and currency. New aid (announcements) is kept apart from running
-- totals, deliveries and corrections: they are reported beside it, never summed into it.
-- The same figure from the same donor to the same recipient counts once however many articles
-- report it (`reports` says how many records did); materiel counted in items has no currency
-- and is left out of money totals.
WITH figures AS (
    SELECT a.donor, a.recipient, a.record_type, a.currency, a.amount, count(*) AS reports
    FROM record_facts r JOIN aid_figures a USING (record_id)
    WHERE r.kind = 'aid' AND a.currency IS NOT NULL AND {where}
    GROUP BY ALL
)
SELECT record_type, currency, sum(amount) AS total, count(*) AS figures, sum(reports) AS reports
FROM figures
GROUP BY ALL
ORDER BY record_type, total DESC NULLS LAST
