-- The rows of the record_facts table for the records {ids} lists (a fixed SELECT of record_id):
-- each record of every kind with its period, and its sides and themes folded in from the link
-- tables, so filters and aggregates read one table and never join the links at read time.
-- The writer runs this for the records a write touched (analytics/store/writer.py).
WITH ids AS ({ids}),
r AS (
    SELECT record_id, 'event' AS kind, event_type AS type, sub_event_type AS subtype, doc_id, sentence_no,
           start_char, end_char, location, theatre, date, date_precision, date_basis, span_start, span_end,
           unverified, origin, confidence, factuality, lat, lon FROM events SEMI JOIN ids USING (record_id)
    UNION ALL
    SELECT record_id, 'aid', record_type, aid_type, doc_id, sentence_no, start_char, end_char, location, theatre,
           date, date_precision, date_basis, span_start, span_end, unverified, origin, confidence, factuality,
           NULL::DOUBLE, NULL::DOUBLE FROM aid_figures SEMI JOIN ids USING (record_id)
    UNION ALL
    SELECT record_id, 'diplomacy', item_type, status, doc_id, sentence_no, start_char, end_char, location, theatre,
           date, date_precision, date_basis, span_start, span_end, unverified, origin, confidence, factuality,
           NULL::DOUBLE, NULL::DOUBLE FROM diplomatic_items SEMI JOIN ids USING (record_id)
    UNION ALL
    SELECT record_id, 'statement', stance, NULL, doc_id, sentence_no, start_char, end_char, location, theatre,
           date, date_precision, date_basis, span_start, span_end, unverified, origin, confidence, factuality,
           NULL::DOUBLE, NULL::DOUBLE FROM statements SEMI JOIN ids USING (record_id)
),
-- The actor filter matches a record when any of its actors or sides is chosen; nulls dropped.
a AS (
    SELECT record_id, list_sort(list_distinct(list(actor) || list(side))) AS actor_names,
           list_sort(list_distinct(list(side))) AS sides
    FROM record_actors SEMI JOIN ids USING (record_id)
    GROUP BY record_id
),
t AS (
    SELECT record_id, list_sort(list_distinct(list(theme))) AS themes
    FROM record_themes SEMI JOIN ids USING (record_id)
    GROUP BY record_id
),
-- Who the text attributes the record to, and who denies it: the Claims page sorts contested ones first.
s AS (
    SELECT record_id,
           list_distinct(list(actor) FILTER (WHERE stance <> 'denies')) AS claimants,
           list_distinct(list(actor) FILTER (WHERE stance = 'denies')) AS deniers,
           list_distinct(list(actor)) AS everyone
    FROM record_sources SEMI JOIN ids USING (record_id)
    GROUP BY record_id
),
-- The Claims page's stance matrix counts records per (side, stance) of these pairs.
said AS (
    SELECT record_id, list_sort(list(DISTINCT {'side': side, 'stance': stance})) AS said FROM (
        SELECT record_id, speaker AS side, stance FROM statements SEMI JOIN ids USING (record_id)
        WHERE speaker IS NOT NULL
        UNION ALL
        SELECT record_id, actor, stance FROM record_sources SEMI JOIN ids USING (record_id))
    GROUP BY record_id
)
SELECT r.*,
       -- The whole period a record may cover: its span, else its date widened by its precision.
       coalesce(r.span_start, r.date) AS period_start,
       period_end(r.date, r.date_precision, r.span_end) AS period_end,
       a.actor_names, a.sides, t.themes, s.record_id IS NOT NULL AS cited,
       coalesce(len(s.claimants) > 0 AND len(s.deniers) > 0 AND len(s.everyone) > 1, false) AS contested,
       array_to_string(list_sort(s.claimants), ', ') AS claimed_by,
       array_to_string(list_sort(s.deniers), ', ') AS denied_by, said.said
FROM r
LEFT JOIN a USING (record_id)
LEFT JOIN t USING (record_id)
LEFT JOIN s USING (record_id)
LEFT JOIN said USING (record_id)
