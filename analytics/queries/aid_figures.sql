-- Aid figures matching the filters, each with the figure as written and the sentence behind
-- it. The Aid page's table and CSV.
WITH {listed_rows:aid}
SELECT r.date, r.date_precision, a.record_type, a.donor, a.recipient, a.amount, a.currency, a.aid_type,
       a.approximate, a.cue, r.unverified, r.confidence, r.factuality, r.origin, r.article, r.published, r.sentence, r.doc_id, r.sentence_no,
       r.start_char, r.end_char, r.record_id
FROM r JOIN aid_figures a USING (record_id)
ORDER BY r.date DESC NULLS LAST, r.doc_id, r.sentence_no, r.record_id
