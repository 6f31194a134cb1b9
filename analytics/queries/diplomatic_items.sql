-- Diplomatic items matching the filters with their dates, span, status, participants and
-- provenance. The Diplomacy page's table and CSV.
WITH {listed_rows:diplomacy}
SELECT r.date, r.date_precision, r.span_start, r.span_end, d.item_type, d.status, r.location,
       array_to_string(r.sides, ', ') AS participants,
       r.unverified, r.confidence, r.factuality, r.origin, r.article, r.published, r.sentence, r.doc_id, r.sentence_no, r.start_char, r.end_char,
       r.record_id
FROM r JOIN diplomatic_items d USING (record_id)
ORDER BY r.date DESC NULLS LAST, r.doc_id, r.sentence_no, r.record_id
