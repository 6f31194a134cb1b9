-- The aid ledger: one row per commitment with at least one report matching the filters, the
-- counted ones first, then by USD value: the Aid page's listing and its CSV.
WITH hit AS (
    SELECT DISTINCT s.commitment_id
    FROM aid_ledger_sources s JOIN record_facts r ON r.record_id = s.record_id
    WHERE {where}
)
SELECT c.date, c.donor, c.recipient, c.stage, c.aid_type, c.amount, c.currency, c.amount_usd, c.amount_eur,
       c.rate_date, c.counted, c.excluded_reason, c.n_reports, c.n_articles, c.n_outlets, c.series, c.materiel,
       c.revises, c.line_id, c.corrected, c.commitment_id
FROM aid_commitments c JOIN hit USING (commitment_id)
ORDER BY c.counted DESC, c.amount_usd DESC NULLS LAST, c.date, c.commitment_id
{limit}
