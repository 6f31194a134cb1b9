"""ACLED export CSVs into the record tables: every row an event, re-imports updating by timestamp.

Headers may be lower or upper case; inter1/inter2 may be text or the older numeric codes.
Re-importing: an event_id_cnty not stored yet is added; one stored with another timestamp is
replaced (record and links); one stored before but absent from the new file is removed when the
new file covers it, i.e. its country is among the file's countries and its date within the
file's first and last event_date. ACLED deletes events between exports; an event outside the
new file's countries or dates may simply not have been asked for, so it stays.
"""
from __future__ import annotations

from pathlib import Path

import duckdb

from analytics.importers.common import (
    Check,
    ImportFormatError,
    ImportResult,
    csv_error,
    first_failure,
    read_header,
    register_table,
    repeated_key,
    sql_ident,
    sql_literal,
    write_staged,
)

ORIGIN = "acled"
COLUMNS = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type",
    "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction", "civilian_targeting",
    "iso", "region", "country", "admin1", "admin2", "admin3", "location", "latitude", "longitude", "geo_precision",
    "source", "source_scale", "notes", "fatalities", "tags", "timestamp",
)  # fmt: skip
REQUIRED = ("event_id_cnty", "event_date", "event_type", "actor1", "country", "latitude", "longitude")
DATE_FORMATS = ["%Y-%m-%d", "%d %B %Y", "%d-%B-%Y", "%d %b %Y"]

CHECKS = [
    Check("event_id_cnty", "event_id_cnty IS NULL", "no value; every event needs its id"),
    Check("event_date", "event_date IS NULL", "no value; every event needs its date"),
    Check("event_date", "_date IS NULL", "{v!r} is not a date (YYYY-MM-DD or '24 February 2022')"),
    Check("event_type", "event_type IS NULL", "no value; every event needs its type"),
    Check("latitude", "_lat IS NULL OR NOT _lat BETWEEN -90 AND 90", "{v!r} is not a latitude (a number from -90 to 90)"),
    Check("longitude", "_lon IS NULL OR NOT _lon BETWEEN -180 AND 180",
          "{v!r} is not a longitude (a number from -180 to 180)"),
    Check("fatalities", "fatalities IS NOT NULL AND (_fat IS NULL OR _fat < 0)",
          "{v!r} is not a count of fatalities (a whole number, 0 or more)"),
    Check("timestamp", "timestamp IS NOT NULL AND _ts IS NULL", "{v!r} is not a timestamp (whole seconds since 1970)"),
    Check("time_precision", "time_precision IS NOT NULL AND _tp IS NULL", "{v!r} is not a time precision (1, 2 or 3)"),
    Check("geo_precision", "geo_precision IS NOT NULL AND coalesce(TRY_CAST(geo_precision AS INTEGER), 0) NOT IN (1, 2, 3)",
          "{v!r} is not a geo precision (1, 2 or 3)"),
    Check("inter1", "inter1 IS NOT NULL AND regexp_full_match(inter1, '[0-9]+') AND _inter1 IS NULL",
          "{v!r} is not an ACLED inter code (1-8, or its text)"),
    Check("inter2", "inter2 IS NOT NULL AND regexp_full_match(inter2, '[0-9]+') AND _inter2 IS NULL",
          "{v!r} is not an ACLED inter code (1-8, or its text)"),
]  # fmt: skip


def check_header(fields: list[str], delim: str, name: str) -> dict[str, str]:
    """Our column name -> the header as written. Raises when the file is not an ACLED export."""
    if delim == "\t" and len(fields) >= 57 and fields[0].isdigit():
        raise ImportFormatError(f"{name}: this looks like a GDELT events file (tab-separated, no header), "
                                "not an ACLED export; import it as gdelt")  # fmt: skip
    by_lower = {}
    for f in fields:
        key = f.strip().lower()
        if key in by_lower:
            raise ImportFormatError(f"{name}: row 1: column {key} appears twice in the header")
        by_lower[key] = f
    missing = [c for c in REQUIRED if c not in by_lower]
    if missing:
        hint = " (it looks like an Eyes on Russia file; import it as eyes-on-russia)" if {
            "entry", "event_group"} <= set(by_lower) else ""
        raise ImportFormatError(f"{name}: missing required column(s) {', '.join(missing)}; is this an ACLED export?{hint}")
    return by_lower


def stage(con: duckdb.DuckDBPyConnection, path: Path, name: str, mappings: dict) -> ImportResult:
    fields, delim = read_header(path, name)
    header = check_header(fields, delim, name)
    # Every column of the file is read as text (types checked below, so a bad value is named);
    # columns ACLED added or dropped over the years are null when absent.
    spec = "{" + ", ".join(f"{sql_literal(f)}: 'VARCHAR'" for f in fields) + "}"
    source = (f"read_csv({sql_literal(str(path))}, header=true, auto_detect=false, delim={sql_literal(delim)}, "
              f"quote='\"', escape='\"', columns={spec})")  # fmt: skip
    picked = ", ".join(
        f"nullif(trim({sql_ident(header[c])}), '') AS {c}" if c in header else f"NULL::VARCHAR AS {c}" for c in COLUMNS
    )
    inter = {str(k): str(v) for k, v in (mappings.get("acled_inter") or {}).items()}
    register_table(con, "_imp_inter", {"code": list(inter), "label": list(inter.values())})
    prec = {int(k): str(v) for k, v in (mappings.get("acled_time_precision") or {}).items()}
    register_table(con, "_imp_time_prec", {"code": list(prec), "label": list(prec.values())})
    formats = "[" + ", ".join(sql_literal(f) for f in DATE_FORMATS) + "]"
    try:
        con.execute(f"""
            CREATE OR REPLACE TEMP TABLE _imp_raw AS
            SELECT r.*,
                   try_strptime(event_date, {formats})::DATE AS _date,
                   TRY_CAST(latitude AS DOUBLE) AS _lat, TRY_CAST(longitude AS DOUBLE) AS _lon,
                   TRY_CAST(fatalities AS INTEGER) AS _fat, TRY_CAST(timestamp AS BIGINT) AS _ts,
                   tp.label AS _tp,
                   CASE WHEN regexp_full_match(inter1, '[0-9]+') THEN i1.label ELSE inter1 END AS _inter1,
                   CASE WHEN regexp_full_match(inter2, '[0-9]+') THEN i2.label ELSE inter2 END AS _inter2
            FROM (SELECT row_number() OVER () + 1 AS source_row, {picked} FROM {source}) r
            LEFT JOIN _imp_time_prec tp ON tp.code = TRY_CAST(r.time_precision AS INTEGER)
            LEFT JOIN _imp_inter i1 ON i1.code = r.inter1
            LEFT JOIN _imp_inter i2 ON i2.code = r.inter2
        """)  # noqa: S608 - column names from the allow-list above, the path quoted
    except duckdb.InvalidInputException:
        raise csv_error(con, source, name) from None
    err = first_failure(con, "_imp_raw", CHECKS, name) or repeated_key(con, "_imp_raw", "event_id_cnty", name)
    if err:
        raise err
    result = ImportResult(ORIGIN, name, rows=con.execute("SELECT count(*) FROM _imp_raw").fetchall()[0][0])

    con.execute("""
        CREATE OR REPLACE TEMP TABLE _imp_rows AS
        SELECT left(sha1('acled:' || r.event_id_cnty), 16) AS record_id,
               sha256('acled:' || r.event_id_cnty) AS content_hash,
               r.event_id_cnty AS external_id,
               coalesce(r._ts::VARCHAR, md5(r.event_id_cnty || coalesce(r.notes, ''))) AS version,
               r._ts AS external_timestamp, r.source_row,
               concat_ws(' - ', coalesce(r.sub_event_type, r.event_type), r.location, r.country) AS title,
               coalesce(r.notes, concat_ws(' - ', coalesce(r.sub_event_type, r.event_type), r.location, r.country))
                   AS text,
               NULL::VARCHAR AS url, r.source, r._date AS published, coalesce(r._tp, 'day') AS published_precision,
               'event' AS kind, r.event_type AS type, r.sub_event_type AS subtype,
               coalesce(pl.place, r.location) AS location,
               coalesce(p.theatre, pa.theatre, pc.theatre) AS theatre,
               r._date AS date, coalesce(r._tp, 'day') AS date_precision, r._lat AS lat, r._lon AS lon,
               r._fat AS fatalities,
               r.country, cl.place AS country_place, r.admin1, r.admin2, r.admin3, r.location AS location_name,
               r.geo_precision, TRY_CAST(r.time_precision AS INTEGER) AS time_precision,
               r.actor1, r.assoc_actor_1, r.actor2, r.assoc_actor_2, r._inter1 AS inter1, r._inter2 AS inter2,
               r.interaction, r.civilian_targeting, r.disorder_type, r.source_scale, r.tags
        FROM _imp_raw r
        LEFT JOIN _imp_place_lookup pl ON pl.key = lower(r.location)
        LEFT JOIN places p ON p.name = pl.place
        LEFT JOIN _imp_place_lookup al ON al.key = lower(r.admin1) || ' oblast'
        LEFT JOIN _imp_place_lookup al1 ON al1.key = lower(r.admin1)
        LEFT JOIN places pa ON pa.name = coalesce(al.place, al1.place)
        LEFT JOIN _imp_country_lookup cl ON cl.key = lower(r.country)
        LEFT JOIN places pc ON pc.name = cl.place
    """)
    # actor1 and its associates act; actor2 and its associates are acted on. Associates are a
    # '; '-separated list; positions leave room so the order of the export is kept.
    con.execute("""
        CREATE OR REPLACE TEMP TABLE _imp_actors AS
        SELECT record_id, 0 AS position, 'actor' AS role, actor1 AS mention, NULL::VARCHAR AS actor
        FROM _imp_rows WHERE actor1 IS NOT NULL
        UNION ALL
        SELECT record_id, 200, 'target', actor2, NULL FROM _imp_rows WHERE actor2 IS NOT NULL
        UNION ALL
        SELECT record_id, base + i, role, trim(m), NULL FROM (
            SELECT record_id, 1 AS base, 'actor' AS role, unnest(l) AS m, generate_subscripts(l, 1) AS i
            FROM (SELECT record_id, string_split(assoc_actor_1, ';') AS l FROM _imp_rows WHERE assoc_actor_1 IS NOT NULL)
            UNION ALL
            SELECT record_id, 201, 'target', unnest(l), generate_subscripts(l, 1)
            FROM (SELECT record_id, string_split(assoc_actor_2, ';') AS l FROM _imp_rows WHERE assoc_actor_2 IS NOT NULL)
        ) WHERE trim(m) <> ''
    """)
    themes = [(str(k), str(t)) for k, v in (mappings.get("acled_themes") or {}).items() for t in v]
    register_table(con, "_imp_theme_map", {"key": [k for k, _ in themes], "theme": [t for _, t in themes]})
    con.execute("""
        CREATE OR REPLACE TEMP TABLE _imp_themes AS
        SELECT r.record_id, m.theme FROM _imp_rows r JOIN _imp_theme_map m ON m.key = r.subtype
        UNION SELECT r.record_id, m.theme FROM _imp_rows r JOIN _imp_theme_map m ON m.key = r.type
    """)
    con.execute("""
        CREATE OR REPLACE TEMP TABLE _imp_sources AS
        SELECT record_id, trim(unnest(string_split(source, ';'))) AS mention FROM _imp_rows WHERE source IS NOT NULL
    """)
    return result


# Stored ACLED events this file covers (its countries, its dates) but no longer lists.
REMOVAL_SQL = """
    SELECT d.record_id FROM import_details d JOIN events e USING (record_id)
    WHERE d.origin = 'acled'
      AND d.country IN (SELECT DISTINCT country FROM _imp_rows)
      AND e.date BETWEEN (SELECT min(date) FROM _imp_rows) AND (SELECT max(date) FROM _imp_rows)
      AND d.record_id NOT IN (SELECT record_id FROM _imp_rows)
"""


def write(con: duckdb.DuckDBPyConnection, name: str, result: ImportResult) -> ImportResult:
    return write_staged(con, ORIGIN, name, result, removal_sql=REMOVAL_SQL)
