"""ACLED export CSVs into the record tables: every row an event, re-imports updating by timestamp.

Layouts are recognised by their header (upper or lower case, in any column order):
- current exports (31 columns: disorder_type, civilian_targeting, tags);
- 2019-2022 exports (data_id, event_id_no_cnty, iso3; sub_event_type but no disorder_type);
- 2016-era exports (GWNO, ALLY_ACTOR_1/2, event types such as "Battle-No change of territory");
- any of them re-saved by pandas (a leading unnamed index column, integers written as "3.0") or
  by a spreadsheet (dates as "15-Apr-22", "4/15/2022" or day numbers, trailing empty columns).
Columns outside our mapping are kept, as written, in import_details.extra_fields.

Dates: one format per file, the one that reads the whole event_date column (never a two-digit
year read as the year 20); a date whose year is not the row's own `year` is an error naming the
row. Places: see common.resolve_places (the row's coordinates and admin1 decide, not the name).

Re-importing: an event_id_cnty not stored yet is added; one stored with another timestamp is
replaced (record and links); one stored before but absent from the new file is removed when the
new file covers it, i.e. its country is among the file's countries and its date within the
file's first and last event_date. ACLED deletes events between exports; an event outside the
new file's countries or dates may simply not have been asked for, so it stays.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from analytics.importers import common

ORIGIN = "acled"
COLUMNS = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type",
    "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction", "civilian_targeting",
    "iso", "region", "country", "admin1", "admin2", "admin3", "location", "latitude", "longitude", "geo_precision",
    "source", "source_scale", "notes", "fatalities", "tags", "timestamp", "ally_actor_1", "ally_actor_2",
)  # fmt: skip
REQUIRED = ("event_id_cnty", "event_date", "event_type", "actor1", "country", "latitude", "longitude")
EXPECTED = ("an ACLED export: a header row with " + ", ".join(REQUIRED)
            + " (the current 31-column layout, the 2019-2022 or the 2016-era one, also re-saved by pandas or a "
            "spreadsheet)")  # fmt: skip
# Integer columns pandas writes as "3.0" when the column had a gap.
INTEGER_COLUMNS = ("year", "time_precision", "geo_precision", "inter1", "inter2", "interaction", "iso",
                   "fatalities", "timestamp")  # fmt: skip

CHECKS = [
    common.present("event_id_cnty", "every event needs its id"),
    common.present("event_date", "every event needs its date"),
    common.Check("event_date", "_date IS NULL", "{v!r} is not a date in this file's format ({fmt}) or any other"),
    common.Check("event_date", "NOT year(_date) BETWEEN 1900 AND 2100",
                 "{v!r} read as {fmt} is not a date of ACLED's years; write the year in four digits"),
    common.Check("event_date", "_year IS NOT NULL AND year(_date) <> _year",
                 "{v!r} read as {fmt} is in another year than the row's year column ({year}); fix the date or the year"),
    common.present("event_type", "every event needs its type"),
    *common.coordinates("latitude", "longitude"),
    common.Check("fatalities", "fatalities IS NOT NULL AND (_fat IS NULL OR _fat < 0)",
                 "{v!r} is not a count of fatalities (a whole number, 0 or more)"),
    common.parsed("timestamp", "_ts", "a timestamp (whole seconds since 1970)"),
    common.parsed("time_precision", "_tp", "a time precision (1, 2 or 3)"),
    common.Check("geo_precision", "geo_precision IS NOT NULL AND coalesce(TRY_CAST(geo_precision AS INTEGER), 0) NOT IN (1, 2, 3)",
                 "{v!r} is not a geo precision (1, 2 or 3)"),
    *(common.Check(inter, f"{inter} IS NOT NULL AND regexp_full_match({inter}, '[0-9]+') AND NOT _{inter}_known",
                   "{v!r} is not an ACLED inter code (0-8, or its text)") for inter in ("inter1", "inter2")),
]  # fmt: skip


def layout_name(header: dict[str, int]) -> str:
    """Which ACLED vintage a header is, for the import's notes."""
    if "disorder_type" in header or "civilian_targeting" in header:
        return "current ACLED layout"
    if "sub_event_type" in header:
        return "ACLED 2019-2022 layout"
    if "ally_actor_1" in header or "gwno" in header or "sub_event_type" not in header:
        return "ACLED 2016-era layout"
    return "ACLED layout"


def looks_like(text: str, first_line: str) -> bool:
    """Detection (analytics/import_formats.py): every ACLED layout's header names event_id_cnty."""
    return "event_id_cnty" in first_line.lower()


def check_header(fields: list[str], delim: str, name: str) -> dict[str, int]:
    """Our column name -> its position in the file. Raises when the file is not an ACLED export."""
    if delim == "\t" and len(fields) >= 57 and fields[0].isdigit():
        raise common.ImportFormatError(f"{name}: this looks like a GDELT events file (tab-separated, no header), "
                                       "not an ACLED export; import it as gdelt")  # fmt: skip
    by_lower: dict[str, int] = {}
    for i, f in enumerate(fields):
        key = f.strip().lower()
        if common.is_blank_field(key):
            continue  # pandas' index, a spreadsheet's empty column
        if key in by_lower:
            raise common.ImportFormatError(
                f"{name}: row 1: column {key} appears twice in the header; expected {EXPECTED}"
            )
        by_lower[key] = i
    missing = [c for c in REQUIRED if c not in by_lower]
    if missing:
        hint = (
            " (it looks like an Eyes on Russia file; import it as eyes-on-russia)"
            if {"entry", "event_group"} <= set(by_lower)
            else ""
        )
        raise common.ImportFormatError(f"{name}: missing required column(s) {', '.join(missing)}; is this an ACLED export? "
                                       f"Expected {EXPECTED}{hint}")  # fmt: skip
    return by_lower


def _picked(header: dict[str, int], delim: str) -> str:
    out = []
    for c in COLUMNS:
        if c not in header:
            out.append(f"NULL::VARCHAR AS {c}")
            continue
        v = f"nullif(trim(c{header[c]}), '')"
        if c in INTEGER_COLUMNS:  # "3.0" -> "3"
            v = f"regexp_replace({v}, '^(-?[0-9]+)\\.0+$', '\\1')"
        elif c in ("latitude", "longitude") and delim == ";":  # a European spreadsheet's decimal comma
            v = f"replace({v}, ',', '.')"
        out.append(f"{v} AS {c}")
    return ", ".join(out)


def stage(con: duckdb.DuckDBPyConnection, path: Path, name: str, mappings: dict) -> common.ImportResult:
    fields, delim = common.read_header(path, name)
    header = check_header(fields, delim, name)
    # Every column is read as text under its position (types checked below, so a bad value is
    # named); columns ACLED added or dropped over the years are null when absent.
    inter = {
        str(k): (None if v in (None, "") else str(v)) for k, v in (mappings.get("acled_inter") or {}).items()
    }
    common.register_table(con, "_imp_inter", {"code": list(inter), "label": list(inter.values())})
    prec = {int(k): str(v) for k, v in (mappings.get("acled_time_precision") or {}).items()}
    common.register_table(con, "_imp_time_prec", {"code": list(prec), "label": list(prec.values())})
    mapped = {header[c] for c in COLUMNS if c in header}
    encoding_note = common.load_mapped_csv(con, path, fields, delim, name, "_imp_read", _picked(header, delim), mapped,
                                           EXPECTED)  # fmt: skip
    fmt, fmt_label = common.pick_date_format(
        con, "_imp_read", "event_date", "year" if "year" in header else None
    )
    # A view: the checks and _imp_rows each read it once, cheaper than another copy of the file.
    con.execute(f"""
        CREATE OR REPLACE TEMP VIEW _imp_raw AS
        SELECT r.*,
               {common.date_sql(fmt, "event_date")} AS _date, TRY_CAST(r.year AS INTEGER) AS _year,
               TRY_CAST(latitude AS DOUBLE) AS _lat, TRY_CAST(longitude AS DOUBLE) AS _lon,
               TRY_CAST(fatalities AS INTEGER) AS _fat, TRY_CAST(timestamp AS BIGINT) AS _ts,
               tp.label AS _tp,
               CASE WHEN regexp_full_match(inter1, '[0-9]+') THEN i1.label ELSE inter1 END AS _inter1,
               CASE WHEN regexp_full_match(inter2, '[0-9]+') THEN i2.label ELSE inter2 END AS _inter2,
               i1.code IS NOT NULL AS _inter1_known, i2.code IS NOT NULL AS _inter2_known
        FROM _imp_read r
        LEFT JOIN _imp_time_prec tp ON tp.code = TRY_CAST(r.time_precision AS INTEGER)
        LEFT JOIN _imp_inter i1 ON i1.code = r.inter1
        LEFT JOIN _imp_inter i2 ON i2.code = r.inter2
    """)  # noqa: S608 - fixed column names
    result = common.checked(con, ORIGIN, name, CHECKS, key="event_id_cnty", date_format=fmt_label)
    if encoding_note:
        result.notes.append(encoding_note)
    layout = layout_name(header)
    if layout != "current ACLED layout":
        result.notes.append(f"read as the {layout}")
    if fmt != "%Y-%m-%d" and result.rows:
        result.notes.append(f"dates read as {fmt_label}")
    if common.is_blank_field(fields[0]) and len(fields) > 1:
        result.notes.append("the first column has no name (an index a re-save added) and was left out")

    # Places: the row's coordinates, country and admin1 decide (common.resolve_places).
    con.execute("""
        CREATE OR REPLACE TEMP TABLE _imp_geo AS
        SELECT r.source_row, r.location AS name, r.location AS own_name, r.admin1 AS admin_name,
               cl.place AS country_place, NULL::VARCHAR AS region, r._lat AS lat, r._lon AS lon, true AS point
        FROM _imp_raw r
        LEFT JOIN _imp_country_lookup cl ON cl.key = lower(r.country)
    """)
    common.resolve_places(con)
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
               p.location, p.theatre,
               r._date AS date, coalesce(r._tp, 'day') AS date_precision, r._lat AS lat, r._lon AS lon,
               r._fat AS fatalities,
               r.country, cl.place AS country_place, r.admin1, r.admin2, r.admin3, r.location AS location_name,
               r.geo_precision, TRY_CAST(r.time_precision AS INTEGER) AS time_precision,
               r.actor1, r.assoc_actor_1, r.actor2, r.assoc_actor_2, r.ally_actor_1, r.ally_actor_2,
               r._inter1 AS inter1, r._inter2 AS inter2,
               r.interaction, r.civilian_targeting, r.disorder_type, r.source_scale, r.tags, r.extra_fields
        FROM _imp_raw r
        LEFT JOIN _imp_placed p USING (source_row)
        LEFT JOIN _imp_country_lookup cl ON cl.key = lower(r.country)
    """)
    # actor1 and its associates (allies in older layouts) act; actor2 and its associates are acted
    # on. Associates are a '; '-separated list; positions leave room so the export's order is kept.
    con.execute("""
        CREATE OR REPLACE TEMP TABLE _imp_actors AS
        SELECT record_id, 0 AS position, 'actor' AS role, actor1 AS mention, NULL::VARCHAR AS actor
        FROM _imp_rows WHERE actor1 IS NOT NULL
        UNION ALL
        SELECT record_id, 200, 'target', actor2, NULL FROM _imp_rows WHERE actor2 IS NOT NULL
        UNION ALL
        SELECT record_id, base + i, role, trim(m), NULL FROM (
            SELECT record_id, 1 AS base, 'actor' AS role, unnest(l) AS m, generate_subscripts(l, 1) AS i
            FROM (SELECT record_id, string_split(coalesce(assoc_actor_1, ally_actor_1), ';') AS l FROM _imp_rows
                  WHERE coalesce(assoc_actor_1, ally_actor_1) IS NOT NULL)
            UNION ALL
            SELECT record_id, 201, 'target', unnest(l), generate_subscripts(l, 1)
            FROM (SELECT record_id, string_split(coalesce(assoc_actor_2, ally_actor_2), ';') AS l FROM _imp_rows
                  WHERE coalesce(assoc_actor_2, ally_actor_2) IS NOT NULL)
        ) WHERE trim(m) <> ''
    """)
    themes = [(str(k), str(t)) for k, v in (mappings.get("acled_themes") or {}).items() for t in v]
    common.register_table(
        con, "_imp_theme_map", {"key": [k for k, _ in themes], "theme": [t for _, t in themes]}
    )
    con.execute("""
        CREATE OR REPLACE TEMP TABLE _imp_themes AS
        SELECT r.record_id, m.theme FROM _imp_rows r JOIN _imp_theme_map m ON lower(m.key) = lower(r.subtype)
        UNION SELECT r.record_id, m.theme FROM _imp_rows r JOIN _imp_theme_map m ON lower(m.key) = lower(r.type)
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
