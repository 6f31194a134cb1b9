-- The views the query layer reads, recreated after every migration (CREATE OR REPLACE), so a
-- migration that adds a column to the record tables adds it here too and nowhere else.

-- The last day a record may cover: its span's end, else its date widened by its precision.
-- Declared once here; the views and the derivation (incidents) call it.
CREATE OR REPLACE MACRO period_end(d, precision, span_end) AS
    coalesce(span_end, CASE precision
        WHEN 'week' THEN d + INTERVAL 6 DAY
        WHEN 'month' THEN last_day(d)
        WHEN 'year' THEN make_date(year(d), 12, 31)
        ELSE d END)::DATE;

-- `record_facts` (every record of every kind with its period, sides and themes, without provenance
-- text) is a table since migration 6, kept by the writer: what filters and aggregates read.

-- Every record of every kind with its provenance (sentence, article): what listings and exports read.
CREATE OR REPLACE VIEW records AS
SELECT r.* EXCLUDE (lat, lon, period_start, period_end, actor_names, sides, themes, cited, contested,
                   claimed_by, denied_by, said), r.period_start,
       r.period_end,
       s.text AS sentence, d.title AS article, d.name AS article_file, d.published, d.url,
       r.lat, r.lon  -- imported events' own coordinates; null otherwise (use places.lat/lon)
FROM record_facts r
JOIN documents d USING (doc_id)
LEFT JOIN sentences s USING (doc_id, sentence_no);

-- The derived tables as analysts read them (tables in migration 4, filled by analytics.derive).
CREATE OR REPLACE VIEW incidents AS
SELECT * FROM incident_clusters;

CREATE OR REPLACE VIEW aid_commitments AS
SELECT * EXCLUDE (is_latest) FROM aid_ledger WHERE series <> 'running total';

CREATE OR REPLACE VIEW aid_running_totals AS
SELECT commitment_id, donor, recipient, aid_type, date, amount, currency, amount_usd, amount_eur, rate_date,
       rate_source, n_reports, n_articles, n_outlets, is_latest, corrected
FROM aid_ledger WHERE series = 'running total';

-- Any record can be a side of a pair (an incident's sources are events); `records` gives its sentence.
CREATE OR REPLACE VIEW contested_claims AS
SELECT p.pair_id, coalesce(p.claim_speaker, cs.speaker) AS claim_speaker, coalesce(p.claim_stance, c.type) AS claim_stance,
       c.date AS claim_date, c.sentence AS claim_sentence, c.article AS claim_article,
       coalesce(p.counter_speaker, ks.speaker) AS counter_speaker, coalesce(p.counter_stance, k.type) AS counter_stance,
       k.date AS counter_date, k.sentence AS counter_sentence, k.article AS counter_article, p.incident_id,
       p.shared_themes, p.reason, p.claim_record_id, p.counter_record_id
FROM contested_pairs p
JOIN records c ON c.record_id = p.claim_record_id
JOIN records k ON k.record_id = p.counter_record_id
LEFT JOIN statements cs ON cs.record_id = p.claim_record_id
LEFT JOIN statements ks ON ks.record_id = p.counter_record_id;

COMMENT ON VIEW incidents IS 'Each occurrence once: event reports clustered across sentences and articles (reports in incident_reports, dataset matches in incident_matches).';
COMMENT ON VIEW aid_commitments IS 'The aid ledger: one row per commitment; only rows with counted = true are summed as aid to Ukraine; excluded_reason says why the others are not.';
COMMENT ON VIEW aid_running_totals IS 'Running totals per donor as the texts report them, the latest marked; shown, never summed.';
COMMENT ON VIEW contested_claims IS 'A claim or accusation and its denial or rejection, with who said each, when, the sentences and why they were linked.';

-- What an export cites for each record (analytics/citations.py adds these columns to every
-- export): the record, its sides and themes, its sentence, its article with outlet and url, and
-- the incident or commitment it was counted in.
CREATE OR REPLACE VIEW record_citations AS
SELECT r.record_id, r.kind, r.type, r.date, r.date_precision, a.actors, r.location, r.theatre, t.themes,
       s.text AS sentence, coalesce(d.title, d.name) AS article, d.outlet, d.outlet_country, d.url, d.published,
       r.origin, ir.incident_id, ls.commitment_id, r.doc_id, r.sentence_no
FROM record_facts r
JOIN documents d USING (doc_id)
LEFT JOIN sentences s USING (doc_id, sentence_no)
LEFT JOIN (SELECT record_id, string_agg(DISTINCT side, ', ' ORDER BY side) AS actors FROM record_actors
           GROUP BY record_id) a USING (record_id)
LEFT JOIN (SELECT record_id, string_agg(DISTINCT theme, ', ' ORDER BY theme) AS themes FROM record_themes
           GROUP BY record_id) t USING (record_id)
LEFT JOIN (SELECT record_id, min(incident_id) AS incident_id FROM incident_reports GROUP BY record_id) ir USING (record_id)
LEFT JOIN (SELECT record_id, min(commitment_id) AS commitment_id FROM aid_ledger_sources GROUP BY record_id) ls
       USING (record_id);
COMMENT ON VIEW record_citations IS 'Per record: what a citation needs (sides, themes, sentence, article, outlet, url, publication date, origin, incident and commitment).';
