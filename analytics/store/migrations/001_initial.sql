-- Migration 1: the schema of the first release (a database file made before schema_info
-- existed is this version). Every statement is idempotent (IF NOT EXISTS), so it also completes
-- files made before the materiel and lat/lon columns. Relations are documented in the comments
-- rather than as FOREIGN KEY constraints: DuckDB cannot delete or update a referenced row, and
-- vocabularies are refreshed in place when their files change.

CREATE TABLE IF NOT EXISTS meta (
    key VARCHAR PRIMARY KEY,
    value VARCHAR
);
COMMENT ON TABLE meta IS 'Database bookkeeping: schema version and the hash of the vocabulary files loaded.';

CREATE TABLE IF NOT EXISTS documents (
    doc_id VARCHAR PRIMARY KEY,              -- first 16 hex digits of content_hash
    content_hash VARCHAR NOT NULL UNIQUE,    -- sha256 of the text: the article's identity
    name VARCHAR NOT NULL,                   -- file name as ingested (no directories)
    title VARCHAR,
    published DATE,
    published_precision VARCHAR,             -- day | week | month | year
    published_basis VARCHAR,                 -- front matter | catalogue | file name | inferred | given | ...
    source VARCHAR,
    url VARCHAR,
    origin VARCHAR NOT NULL DEFAULT 'extracted',  -- extracted | acled | gdelt | eyes-on-russia
    text VARCHAR NOT NULL,                   -- the text record offsets index into
    n_sentences INTEGER NOT NULL,
    extractor_version VARCHAR,
    ingested_at TIMESTAMP NOT NULL DEFAULT current_timestamp
);
COMMENT ON TABLE documents IS 'One row per article (or imported dataset row group), identified by the hash of its text; published_basis says where the date came from.';

CREATE TABLE IF NOT EXISTS sentences (
    doc_id VARCHAR NOT NULL,                 -- documents.doc_id
    sentence_no INTEGER NOT NULL,            -- 0-based, in reading order; the title line is sentence 0
    start_char INTEGER NOT NULL,             -- documents.text[start_char:end_char] = text
    end_char INTEGER NOT NULL,
    text VARCHAR NOT NULL,
    PRIMARY KEY (doc_id, sentence_no)
);
COMMENT ON TABLE sentences IS 'Every sentence of every article with its character offsets: the provenance of each record.';

CREATE TABLE IF NOT EXISTS theatres (
    name VARCHAR PRIMARY KEY,
    description VARCHAR,
    sort_order INTEGER
);
COMMENT ON TABLE theatres IS 'Theatres of the war (fronts, seas, rear, international), from data/theatres.yaml.';

CREATE TABLE IF NOT EXISTS actors (
    name VARCHAR PRIMARY KEY,                -- canonical name
    kind VARCHAR NOT NULL,                   -- state | armed forces | armed group | government body | person | international organisation
    country VARCHAR,
    represents VARCHAR NOT NULL              -- actors.name of the side it speaks or acts for (itself for states)
);
COMMENT ON TABLE actors IS 'Canonical actors from data/actors.yaml; represents rolls a person or body up to its side (Pentagon -> United States).';

CREATE TABLE IF NOT EXISTS actor_aliases (
    alias VARCHAR NOT NULL,
    actor VARCHAR NOT NULL,                  -- actors.name
    PRIMARY KEY (alias, actor)
);
COMMENT ON TABLE actor_aliases IS 'Surface forms that name an actor in text (Kyiv, Zelenskyy, Wagner''s forces).';

CREATE TABLE IF NOT EXISTS places (
    name VARCHAR PRIMARY KEY,
    kind VARCHAR,                            -- country | oblast | city | town | village | suburb | front | sea | region
    country VARCHAR,
    admin1 VARCHAR,                          -- oblast or first-level region
    theatre VARCHAR,                         -- theatres.name
    lat DOUBLE,
    lon DOUBLE
);
COMMENT ON TABLE places IS 'Places with coordinates, oblast and theatre: curated entries plus GeoNames cities of Ukraine, Russia and Belarus.';

CREATE TABLE IF NOT EXISTS place_aliases (
    alias VARCHAR NOT NULL,
    place VARCHAR NOT NULL,                  -- places.name
    PRIMARY KEY (alias, place)
);
COMMENT ON TABLE place_aliases IS 'Spellings and transliterations of places (Kiev, Kharkov, Artemivsk).';

CREATE TABLE IF NOT EXISTS themes (
    name VARCHAR PRIMARY KEY,
    description VARCHAR
);
COMMENT ON TABLE themes IS 'Themes a record can carry (sanctions, grain and food, strikes...), from data/themes.yaml.';

CREATE TABLE IF NOT EXISTS theme_cues (
    theme VARCHAR NOT NULL,                  -- themes.name
    cue VARCHAR NOT NULL,
    PRIMARY KEY (theme, cue)
);
COMMENT ON TABLE theme_cues IS 'Words that give a sentence a theme; a trailing * matches any ending.';

-- The four record tables share their provenance and date columns.
CREATE TABLE IF NOT EXISTS events (
    record_id VARCHAR PRIMARY KEY,           -- stable: hash of the article, sentence, kind and position
    doc_id VARCHAR NOT NULL,                 -- documents.doc_id
    sentence_no INTEGER NOT NULL,            -- sentences.sentence_no
    start_char INTEGER NOT NULL,
    end_char INTEGER NOT NULL,
    event_type VARCHAR NOT NULL,             -- ACLED event_type
    sub_event_type VARCHAR,                  -- ACLED sub_event_type
    location VARCHAR,                        -- places.name
    theatre VARCHAR,                         -- theatres.name
    date DATE,
    date_precision VARCHAR,                  -- day | week | month | year
    date_basis VARCHAR,                      -- text (a date in the sentence) | document (publication date)
    span_start DATE,
    span_end DATE,
    unverified BOOLEAN NOT NULL DEFAULT false,  -- the text hedges it ("could not be independently verified")
    cue VARCHAR,                             -- the words that made it an event
    origin VARCHAR NOT NULL DEFAULT 'extracted',
    fatalities INTEGER                       -- from imports that carry it; null when extracted
);
COMMENT ON TABLE events IS 'Things done on the ground or in the air, typed with ACLED''s event_type and sub_event_type.';

CREATE TABLE IF NOT EXISTS aid_figures (
    record_id VARCHAR PRIMARY KEY,
    doc_id VARCHAR NOT NULL,
    sentence_no INTEGER NOT NULL,
    start_char INTEGER NOT NULL,
    end_char INTEGER NOT NULL,
    record_type VARCHAR NOT NULL,            -- announcement | cumulative | delivery | correction
    donor VARCHAR,                           -- actors.name (the side)
    recipient VARCHAR,                       -- actors.name (the side)
    amount DOUBLE,                           -- in units of currency, e.g. 3000000000
    currency VARCHAR,                        -- ISO 4217
    aid_type VARCHAR,                        -- military | financial | humanitarian | unspecified
    approximate BOOLEAN NOT NULL DEFAULT false,
    materiel VARCHAR,                        -- for figures counted in items: what is counted (howitzers); amount is the count, currency null
    location VARCHAR,
    theatre VARCHAR,
    date DATE,
    date_precision VARCHAR,
    date_basis VARCHAR,
    span_start DATE,
    span_end DATE,
    unverified BOOLEAN NOT NULL DEFAULT false,
    cue VARCHAR,                             -- the figure as written ("$3 billion")
    origin VARCHAR NOT NULL DEFAULT 'extracted'
);
COMMENT ON TABLE aid_figures IS 'Money and materiel figures; corrections and running totals are typed apart so they are never summed as new aid.';

CREATE TABLE IF NOT EXISTS diplomatic_items (
    record_id VARCHAR PRIMARY KEY,
    doc_id VARCHAR NOT NULL,
    sentence_no INTEGER NOT NULL,
    start_char INTEGER NOT NULL,
    end_char INTEGER NOT NULL,
    item_type VARCHAR NOT NULL,              -- summit | talks | visit | sanctions | agreement | extension | peace initiative | expulsion
    status VARCHAR,                          -- planned | ongoing | held
    location VARCHAR,
    theatre VARCHAR,
    date DATE,
    date_precision VARCHAR,
    date_basis VARCHAR,
    span_start DATE,                         -- e.g. a two-month extension runs span_start..span_end
    span_end DATE,
    unverified BOOLEAN NOT NULL DEFAULT false,
    cue VARCHAR,
    origin VARCHAR NOT NULL DEFAULT 'extracted'
);
COMMENT ON TABLE diplomatic_items IS 'Summits, talks, visits, sanctions, agreements and extensions, peace initiatives; participants are in record_actors.';

CREATE TABLE IF NOT EXISTS statements (
    record_id VARCHAR PRIMARY KEY,
    doc_id VARCHAR NOT NULL,
    sentence_no INTEGER NOT NULL,
    start_char INTEGER NOT NULL,
    end_char INTEGER NOT NULL,
    speaker VARCHAR,                         -- actors.name (the side)
    stance VARCHAR NOT NULL,                 -- claims | denies | acknowledges | urges | threatens | accuses | rejects | warns | announces
    location VARCHAR,
    theatre VARCHAR,
    date DATE,
    date_precision VARCHAR,
    date_basis VARCHAR,
    span_start DATE,
    span_end DATE,
    unverified BOOLEAN NOT NULL DEFAULT false,
    cue VARCHAR,
    origin VARCHAR NOT NULL DEFAULT 'extracted'
);
COMMENT ON TABLE statements IS 'Verbal acts that are news in themselves: who claims, denies, urges, threatens, accuses or warns.';

CREATE TABLE IF NOT EXISTS record_actors (
    record_id VARCHAR NOT NULL,              -- a record of any of the four kinds
    position INTEGER NOT NULL,               -- order of mention; the acting side comes first
    actor VARCHAR NOT NULL,                  -- actors.name as mentioned (Pentagon)
    side VARCHAR NOT NULL,                   -- actors.name it represents (United States)
    role VARCHAR NOT NULL,                   -- actor | participant | donor | recipient | speaker | target | source
    mention VARCHAR,                         -- the words in the text
    PRIMARY KEY (record_id, position)
);
COMMENT ON TABLE record_actors IS 'Who takes part in a record, in which role, as named in the text and rolled up to a side.';

CREATE TABLE IF NOT EXISTS record_themes (
    record_id VARCHAR NOT NULL,
    theme VARCHAR NOT NULL,                  -- themes.name
    PRIMARY KEY (record_id, theme)
);
COMMENT ON TABLE record_themes IS 'Themes of each record.';

CREATE TABLE IF NOT EXISTS record_sources (
    record_id VARCHAR NOT NULL,
    actor VARCHAR NOT NULL,                  -- actors.name (the side the text attributes the record to)
    stance VARCHAR NOT NULL,                 -- reports | claims | acknowledges | denies | announces
    PRIMARY KEY (record_id, actor, stance)
);
COMMENT ON TABLE record_sources IS 'Who the text attributes a record to, and how (reports, claims, denies...).';

-- Columns added after the first release, for database files made before them.
ALTER TABLE aid_figures ADD COLUMN IF NOT EXISTS materiel VARCHAR;

-- Imported datasets (analytics/importers): exact coordinates on events, and what each dataset
-- says about a row beyond our common columns.
ALTER TABLE events ADD COLUMN IF NOT EXISTS lat DOUBLE;
ALTER TABLE events ADD COLUMN IF NOT EXISTS lon DOUBLE;
COMMENT ON COLUMN events.lat IS 'WGS84 latitude given by an imported dataset (ACLED, GDELT, Eyes on Russia); null for extracted events, which take places.lat';
COMMENT ON COLUMN events.lon IS 'WGS84 longitude given by an imported dataset; null for extracted events, which take places.lon';

CREATE TABLE IF NOT EXISTS import_details (
    record_id VARCHAR PRIMARY KEY,           -- the imported record (of any kind): sha1(origin:external_id)[:16]
    origin VARCHAR NOT NULL,                 -- acled | gdelt | eyes-on-russia
    external_id VARCHAR NOT NULL,            -- event_id_cnty | GLOBALEVENTID | entry (entry#2 for a repeated entry)
    version VARCHAR,                         -- ACLED timestamp, else md5 of the row: a re-import rewrites a record only when it changed
    external_timestamp BIGINT,               -- ACLED timestamp (Unix seconds of the row's last change upstream)
    import_file VARCHAR,                     -- file name the row came from
    source_row INTEGER,                      -- its row in that file (header = row 1; GDELT has none)
    country VARCHAR,                         -- country as the dataset spells it
    country_place VARCHAR,                   -- places.name of that country, when recognised
    admin1 VARCHAR,
    admin2 VARCHAR,
    admin3 VARCHAR,
    location_name VARCHAR,                   -- location as the dataset names it (events.location is ours)
    lat DOUBLE,
    lon DOUBLE,
    geo_precision VARCHAR,                   -- ACLED geo_precision 1-3; GDELT ActionGeo_Type 1-5
    time_precision INTEGER,                  -- ACLED time_precision 1-3 (day, week, month)
    actor1 VARCHAR,                          -- actors as the dataset names them
    assoc_actor_1 VARCHAR,
    actor2 VARCHAR,
    assoc_actor_2 VARCHAR,
    inter1 VARCHAR,                          -- ACLED inter codes as text (numeric codes translated)
    inter2 VARCHAR,
    interaction VARCHAR,
    civilian_targeting VARCHAR,
    disorder_type VARCHAR,
    source_scale VARCHAR,
    tags VARCHAR,
    cameo_event_code VARCHAR,                -- GDELT CAMEO codes as text, leading zeros kept ("042")
    cameo_base_code VARCHAR,
    cameo_root_code VARCHAR,
    quad_class INTEGER,                      -- GDELT QuadClass 1-4
    goldstein DOUBLE,                        -- GDELT GoldsteinScale -10..10
    num_mentions INTEGER,
    num_sources INTEGER,
    num_articles INTEGER,
    avg_tone DOUBLE,
    event_group VARCHAR,                     -- Eyes on Russia
    violence_level VARCHAR,                  -- Eyes on Russia: how graphic the footage is (1-5, GRAPHIC)
    arms_munition VARCHAR,
    geolocation_url VARCHAR                  -- Eyes on Russia: where the geolocation was shown
);
COMMENT ON TABLE import_details IS 'One row per imported record: its dataset, external id and version, and the dataset''s own fields (raw actor and place names, precision, CAMEO codes, QuadClass, Goldstein).';
COMMENT ON COLUMN import_details.version IS 'ACLED: the export timestamp; others: md5 of the row. A re-import rewrites a record only when this changed.';
