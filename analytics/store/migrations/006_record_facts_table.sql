-- Migration 6: `record_facts` becomes a table, one row per record of every kind with its sides and
-- themes folded in, kept by the one writer (analytics/store/writer.py: sync_record_facts) on every
-- write. It was a view over the four kind tables, and the aggregates and listings joined the link
-- tables at read time: at a million records that join cost seconds per page (bench/REPORT.md).
-- The rows of a file made before this migration are filled right after it (schema.POST_MIGRATION),
-- from the same SQL the writer uses (analytics/store/record_facts.sql).
DROP VIEW IF EXISTS record_facts;
CREATE TABLE record_facts (
    record_id VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,
    type VARCHAR,
    subtype VARCHAR,
    doc_id VARCHAR NOT NULL,
    sentence_no INTEGER,
    start_char INTEGER,
    end_char INTEGER,
    location VARCHAR,
    theatre VARCHAR,
    date DATE,
    date_precision VARCHAR,
    date_basis VARCHAR,
    span_start DATE,
    span_end DATE,
    unverified BOOLEAN,
    origin VARCHAR,
    confidence DOUBLE,
    factuality VARCHAR,
    lat DOUBLE,
    lon DOUBLE,
    period_start DATE,
    period_end DATE,
    actor_names VARCHAR[],   -- every actor and side named in record_actors: what the actor filter matches
    sides VARCHAR[],         -- its sides, distinct and sorted: the listings' actors, Diplomacy's participants
    themes VARCHAR[],        -- its themes, distinct and sorted; null when it has none
    cited BOOLEAN NOT NULL,  -- the text attributes it to a side (a row in record_sources)
    contested BOOLEAN NOT NULL,  -- claimed by one side and denied by another (record_sources)
    claimed_by VARCHAR,      -- the sides it is attributed to without a denial, sorted, ', '-joined
    denied_by VARCHAR,       -- the sides that deny it
    said STRUCT(side VARCHAR, stance VARCHAR)[]  -- who says it how: a statement's speaker and stance,
                             -- and each side the text attributes it to (record_sources), distinct
);
COMMENT ON TABLE record_facts IS 'Every record of every kind with its period, sides and themes, without provenance text: what filters and aggregates read (kept by the writer).';
