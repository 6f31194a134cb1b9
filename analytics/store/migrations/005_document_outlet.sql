-- Migration 5: the outlet (publisher) of every article, found at ingest, so exports can cite it.
-- `source` stays as the metadata said it; `outlet` is what citations use (analytics/outlets.py).
ALTER TABLE documents ADD COLUMN IF NOT EXISTS outlet VARCHAR;
ALTER TABLE documents ADD COLUMN IF NOT EXISTS outlet_basis VARCHAR;
ALTER TABLE documents ADD COLUMN IF NOT EXISTS outlet_country VARCHAR;
COMMENT ON COLUMN documents.outlet IS 'The publisher: front matter, catalogue, page metadata, the url''s host, or the text naming itself (outlet_basis says which); null when nothing names it';
COMMENT ON COLUMN documents.outlet_basis IS 'front matter | catalogue | page metadata | url host | text | dataset';
COMMENT ON COLUMN documents.outlet_country IS 'ISO 3166 code of the outlet''s country when the file name carries it (20220125T090000Z_GB_en_….txt)';

-- Articles stored before this migration: their metadata source, else their url's host; the text
-- rules run at ingest (rebuild, or ingest again into a new file, to apply them).
UPDATE documents SET outlet = source, outlet_basis = CASE WHEN origin = 'extracted' THEN 'front matter' ELSE 'dataset' END
WHERE outlet IS NULL AND nullif(trim(source), '') IS NOT NULL;
UPDATE documents SET outlet = regexp_replace(regexp_extract(url, '^[a-z]+://([^/:]+)', 1), '^www\.', ''), outlet_basis = 'url host'
WHERE outlet IS NULL AND nullif(regexp_extract(url, '^[a-z]+://([^/:]+)', 1), '') IS NOT NULL;
UPDATE documents SET outlet_country = regexp_extract(name, '^\d{8}T\d{6}Z_([A-Z]{2})_', 1)
WHERE outlet_country IS NULL AND regexp_matches(name, '^\d{8}T\d{6}Z_[A-Z]{2}_');
