-- The reports behind one incident (parameter: its incident_id), with why each joined it.
SELECT r.date, r.date_precision, r.type, r.subtype, r.location, ir.reason, r.sentence, r.article, r.published,
       r.doc_id, r.sentence_no, r.record_id
FROM incident_reports ir JOIN records r ON r.record_id = ir.record_id
WHERE ir.incident_id = ?
ORDER BY r.published, r.doc_id, r.sentence_no
