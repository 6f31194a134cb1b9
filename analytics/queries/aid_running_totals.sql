-- Running totals per donor as the texts report them (each donor's latest marked): shown, never summed.
WITH hit AS (
    SELECT DISTINCT s.commitment_id
    FROM aid_ledger_sources s JOIN record_facts r ON r.record_id = s.record_id
    WHERE {where}
)
SELECT t.donor, t.date, t.amount, t.currency, t.amount_usd, t.is_latest, t.n_reports, t.commitment_id
FROM aid_running_totals t JOIN hit USING (commitment_id)
ORDER BY t.donor, t.date DESC, t.commitment_id
