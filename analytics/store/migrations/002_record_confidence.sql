-- Migration 2: how sure the rules are of a record, and whether the text asserts, alleges or
-- plans it; and the schema version moves from meta to schema_info (the marker this tool
-- checks before writing).
ALTER TABLE events ADD COLUMN IF NOT EXISTS confidence DOUBLE;
ALTER TABLE events ADD COLUMN IF NOT EXISTS factuality VARCHAR;
ALTER TABLE aid_figures ADD COLUMN IF NOT EXISTS confidence DOUBLE;
ALTER TABLE aid_figures ADD COLUMN IF NOT EXISTS factuality VARCHAR;
ALTER TABLE diplomatic_items ADD COLUMN IF NOT EXISTS confidence DOUBLE;
ALTER TABLE diplomatic_items ADD COLUMN IF NOT EXISTS factuality VARCHAR;
ALTER TABLE statements ADD COLUMN IF NOT EXISTS confidence DOUBLE;
ALTER TABLE statements ADD COLUMN IF NOT EXISTS factuality VARCHAR;

COMMENT ON COLUMN events.confidence IS '0-1: how sure the extraction rules are of this record; 1 for imported datasets; null when extracted before the rules said';
COMMENT ON COLUMN events.factuality IS 'asserted | alleged | planned: whether the text states it, attributes it, or announces it for later; asserted for imported datasets';
COMMENT ON COLUMN aid_figures.confidence IS '0-1: how sure the extraction rules are of this record; 1 for imported datasets';
COMMENT ON COLUMN aid_figures.factuality IS 'asserted | alleged | planned';
COMMENT ON COLUMN diplomatic_items.confidence IS '0-1: how sure the extraction rules are of this record; 1 for imported datasets';
COMMENT ON COLUMN diplomatic_items.factuality IS 'asserted | alleged | planned';
COMMENT ON COLUMN statements.confidence IS '0-1: how sure the extraction rules are of this record; 1 for imported datasets';
COMMENT ON COLUMN statements.factuality IS 'asserted | alleged | planned';

-- Records a dataset import wrote before these columns existed are the dataset's own assertions.
UPDATE events SET confidence = 1.0, factuality = 'asserted' WHERE origin <> 'extracted' AND confidence IS NULL;
UPDATE aid_figures SET confidence = 1.0, factuality = 'asserted' WHERE origin <> 'extracted' AND confidence IS NULL;
UPDATE diplomatic_items SET confidence = 1.0, factuality = 'asserted' WHERE origin <> 'extracted' AND confidence IS NULL;
UPDATE statements SET confidence = 1.0, factuality = 'asserted' WHERE origin <> 'extracted' AND confidence IS NULL;

DELETE FROM meta WHERE key = 'schema_version';
COMMENT ON TABLE meta IS 'Database bookkeeping: the hash of the vocabulary files loaded (the schema version is in schema_info).';
