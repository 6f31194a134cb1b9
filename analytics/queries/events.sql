-- Events matching the filters with their place, theatre, sides and provenance. The Theatres
-- page's table and CSV.
WITH {listed_rows:event}
SELECT r.date, r.date_precision, e.event_type, e.sub_event_type, r.location, r.theatre,
       array_to_string(r.sides, ', ') AS actors,
       e.fatalities, r.unverified, r.confidence, r.factuality, r.origin, r.article, r.published, r.sentence, r.doc_id, r.sentence_no,
       r.start_char, r.end_char, r.record_id
FROM r JOIN events e USING (record_id)
ORDER BY r.date DESC NULLS LAST, r.doc_id, r.sentence_no, r.record_id
