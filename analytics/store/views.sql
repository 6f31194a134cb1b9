-- The views the query layer reads, recreated after every migration (CREATE OR REPLACE), so a
-- migration that adds a column to the record tables adds it here too and nowhere else.

-- Every record of every kind, without provenance text: what filters and aggregates read.
-- Joining sentences and documents costs more than the aggregate itself at a million records,
-- so counts, tallies and timelines read this view and only listings read `records`.
CREATE OR REPLACE VIEW record_facts AS
WITH r AS (
    SELECT record_id, 'event' AS kind, event_type AS type, sub_event_type AS subtype, doc_id, sentence_no,
           start_char, end_char, location, theatre, date, date_precision, date_basis, span_start, span_end,
           unverified, origin, confidence, factuality, lat, lon FROM events
    UNION ALL
    SELECT record_id, 'aid', record_type, aid_type, doc_id, sentence_no, start_char, end_char, location, theatre,
           date, date_precision, date_basis, span_start, span_end, unverified, origin, confidence, factuality,
           NULL::DOUBLE, NULL::DOUBLE FROM aid_figures
    UNION ALL
    SELECT record_id, 'diplomacy', item_type, status, doc_id, sentence_no, start_char, end_char, location, theatre,
           date, date_precision, date_basis, span_start, span_end, unverified, origin, confidence, factuality,
           NULL::DOUBLE, NULL::DOUBLE FROM diplomatic_items
    UNION ALL
    SELECT record_id, 'statement', stance, NULL, doc_id, sentence_no, start_char, end_char, location, theatre,
           date, date_precision, date_basis, span_start, span_end, unverified, origin, confidence, factuality,
           NULL::DOUBLE, NULL::DOUBLE FROM statements
)
SELECT r.*,
       -- The whole period a record may cover: its span, else its date widened by its precision.
       coalesce(r.span_start, r.date) AS period_start,
       coalesce(r.span_end, CASE r.date_precision
           WHEN 'week' THEN r.date + INTERVAL 6 DAY
           WHEN 'month' THEN last_day(r.date)
           WHEN 'year' THEN make_date(year(r.date), 12, 31)
           ELSE r.date END)::DATE AS period_end
FROM r;

-- Every record of every kind with its provenance (sentence, article): what listings and exports read.
CREATE OR REPLACE VIEW records AS
SELECT r.* EXCLUDE (lat, lon, period_start, period_end), r.period_start, r.period_end,
       s.text AS sentence, d.title AS article, d.name AS article_file, d.published, d.url,
       r.lat, r.lon  -- imported events' own coordinates; null otherwise (use places.lat/lon)
FROM record_facts r
JOIN documents d USING (doc_id)
LEFT JOIN sentences s USING (doc_id, sentence_no);
