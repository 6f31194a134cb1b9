-- Aid amounts per record type and currency. New aid (announcements) is kept apart from running
-- totals, deliveries and corrections: they are reported beside it, never summed into it.
SELECT a.record_type, a.currency, sum(a.amount) AS total, count(*) AS figures
FROM records r JOIN aid_figures a USING (record_id)
WHERE r.kind = 'aid' AND {where}
GROUP BY ALL
ORDER BY a.record_type, total DESC NULLS LAST
