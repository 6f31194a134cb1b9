-- Migration 3: what older and unknown dataset layouts carry. ACLED's 2016-era files name the
-- allies of each actor (later files call them assoc_actor_1/2); every column a file has that no
-- field takes is kept, by its header, as JSON.
ALTER TABLE import_details ADD COLUMN IF NOT EXISTS ally_actor_1 VARCHAR;
ALTER TABLE import_details ADD COLUMN IF NOT EXISTS ally_actor_2 VARCHAR;
ALTER TABLE import_details ADD COLUMN IF NOT EXISTS extra_fields VARCHAR;
COMMENT ON COLUMN import_details.ally_actor_1 IS 'ACLED 2016-era layouts: allies of actor1 (later assoc_actor_1)';
COMMENT ON COLUMN import_details.ally_actor_2 IS 'ACLED 2016-era layouts: allies of actor2 (later assoc_actor_2)';
COMMENT ON COLUMN import_details.extra_fields IS 'JSON: the file''s columns no field above takes, by their header';
