-- Events matching the filters with their place, theatre, sides and provenance. The Theatres
-- page's table and CSV.
WITH r AS (
    SELECT * FROM records r
    WHERE r.kind = 'event' AND {where}
    ORDER BY r.date DESC NULLS LAST, r.doc_id, r.sentence_no, r.record_id
    {limit}
)
SELECT r.date, r.date_precision, e.event_type, e.sub_event_type, r.location, r.theatre,
       (SELECT string_agg(DISTINCT ra.side, ', ' ORDER BY ra.side) FROM record_actors ra
         WHERE ra.record_id = r.record_id) AS actors,
       e.fatalities, r.unverified, r.origin, r.article, r.published, r.sentence, r.doc_id, r.sentence_no,
       r.start_char, r.end_char, r.record_id
FROM r JOIN events e USING (record_id)
ORDER BY r.date DESC NULLS LAST, r.doc_id, r.sentence_no, r.record_id
