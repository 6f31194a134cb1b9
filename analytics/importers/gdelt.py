"""GDELT 2.0 event files (61 tab-separated columns, no header) into the record tables.

CAMEO codes stay text ("042", leading zero kept). The longest prefix listed under `cameo:` in
import_mappings.yaml gives the record kind: force to events, 07x aid to aid_figures, 04x/05x
and 163 to diplomatic_items, 10-13 verbal conflict to statements; rows with other codes are
counted as skipped. QuadClass, GoldsteinScale and the mention counts go to import_details.
Actors: a MIL actor of a listed country is its armed forces, a known group (NATO, EU, UN) the
organisation, else the country code's state; an actor none of them names is looked up by its
name (Actor1Name) like any other, and kept as text when the vocabulary lacks it.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from analytics import config, schemas
from analytics.importers import common

ORIGIN = "gdelt"
COLUMNS = (
    "GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate",
    "Actor1Code", "Actor1Name", "Actor1CountryCode", "Actor1KnownGroupCode", "Actor1EthnicCode",
    "Actor1Religion1Code", "Actor1Religion2Code", "Actor1Type1Code", "Actor1Type2Code", "Actor1Type3Code",
    "Actor2Code", "Actor2Name", "Actor2CountryCode", "Actor2KnownGroupCode", "Actor2EthnicCode",
    "Actor2Religion1Code", "Actor2Religion2Code", "Actor2Type1Code", "Actor2Type2Code", "Actor2Type3Code",
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
    "NumMentions", "NumSources", "NumArticles", "AvgTone",
    "Actor1Geo_Type", "Actor1Geo_FullName", "Actor1Geo_CountryCode", "Actor1Geo_ADM1Code", "Actor1Geo_ADM2Code",
    "Actor1Geo_Lat", "Actor1Geo_Long", "Actor1Geo_FeatureID",
    "Actor2Geo_Type", "Actor2Geo_FullName", "Actor2Geo_CountryCode", "Actor2Geo_ADM1Code", "Actor2Geo_ADM2Code",
    "Actor2Geo_Lat", "Actor2Geo_Long", "Actor2Geo_FeatureID",
    "ActionGeo_Type", "ActionGeo_FullName", "ActionGeo_CountryCode", "ActionGeo_ADM1Code", "ActionGeo_ADM2Code",
    "ActionGeo_Lat", "ActionGeo_Long", "ActionGeo_FeatureID", "DATEADDED", "SOURCEURL",
)  # fmt: skip

CHECKS = [
    common.Check("GLOBALEVENTID", "GLOBALEVENTID IS NULL OR NOT regexp_full_match(GLOBALEVENTID, '[0-9]+')",
                 "{v!r} is not a GDELT event id (digits)"),
    common.Check("SQLDATE", "_date IS NULL", "{v!r} is not a date (YYYYMMDD)"),
    common.Check("EventCode", "EventCode IS NULL OR NOT regexp_full_match(EventCode, '[0-9]{2,4}')",
                 "{v!r} is not a CAMEO event code (2 to 4 digits, leading zeros kept)"),
    common.Check("QuadClass", "QuadClass IS NOT NULL AND coalesce(TRY_CAST(QuadClass AS INTEGER), 0) NOT BETWEEN 1 AND 4",
                 "{v!r} is not a QuadClass (1 to 4)"),
    common.Check("GoldsteinScale", "GoldsteinScale IS NOT NULL AND NOT coalesce(TRY_CAST(GoldsteinScale AS DOUBLE) BETWEEN -10 AND 10, false)",
                 "{v!r} is not a Goldstein score (-10 to 10)"),
    *common.coordinates("ActionGeo_Lat", "ActionGeo_Long", required=False),
]  # fmt: skip

ROW_WORD = "row"  # no header: row 1 is the file's first line
# GDELT 1.0 event files lack the three ADM2 codes; its backfiles (before April 2013) the SOURCEURL too.
_ADM2 = ("Actor1Geo_ADM2Code", "Actor2Geo_ADM2Code", "ActionGeo_ADM2Code")
LAYOUTS = {
    len(COLUMNS): ("GDELT 2.0", COLUMNS),
    len(COLUMNS) - 3: ("GDELT 1.0", tuple(c for c in COLUMNS if c not in _ADM2)),
    len(COLUMNS) - 4: (
        "GDELT 1.0 backfile",
        tuple(c for c in COLUMNS if c not in _ADM2 and c != "SOURCEURL"),
    ),
}
EXPECTED = ("a GDELT events file: tab-separated, no header, 61 columns (GDELT 2.0) or 58 or 57 (GDELT 1.0 daily "
            "files and backfiles)")  # fmt: skip


def looks_like(text: str, first_line: str) -> bool:
    """Detection (analytics/import_formats.py): a GDELT 2.0 events line (row or header) has 61
    tab-separated fields; 57 leaves room for a file cut short of its last columns."""
    return first_line.count("\t") >= 56


def stage(con: duckdb.DuckDBPyConnection, path: Path, name: str, mappings: dict) -> common.ImportResult:
    fields, delim = common.read_header(path, name)
    header = bool(fields) and fields[0].upper() == "GLOBALEVENTID"
    if delim != "\t" or len(fields) not in LAYOUTS:
        looks = ""
        low = {f.lower() for f in fields}
        if "event_id_cnty" in low:
            looks = " (it looks like an ACLED export; import it as acled)"
        elif "event_group" in low:
            looks = " (it looks like an Eyes on Russia file; import it as eyes-on-russia)"
        raise common.ImportFormatError(
            f"{name}: row 1: expected {EXPECTED}; found {len(fields)}"
            f"{' comma-separated' if delim == ',' else ''} columns{looks}"
        )
    layout, present = LAYOUTS[len(fields)]
    source = common.csv_source(path, list(present), "\t", quoted=False, header=header)
    pos = {c: i for i, c in enumerate(present)}
    picked = ", ".join(
        f"nullif(trim(c{pos[c]}), '') AS {c}" if c in pos else f"NULL::VARCHAR AS {c}" for c in COLUMNS
    )
    first_row = 2 if header else 1
    try:
        con.execute(
            common.numbered(
                "_imp_raw",
                f"""
            SELECT r.*, try_strptime(SQLDATE, '%Y%m%d')::DATE AS _date,
                   TRY_CAST(ActionGeo_Lat AS DOUBLE) AS _lat, TRY_CAST(ActionGeo_Long AS DOUBLE) AS _lon
            FROM (SELECT {picked} FROM {source}) r""",  # noqa: S608 - fixed column names, the path quoted
                first_row=first_row,
            )
        )  # noqa: S608 - fixed column names, the path quoted
    except duckdb.InvalidInputException:
        err = common.csv_error(con, source, name, fields=list(present))
        raise common.ImportFormatError(f"{err} (read as {layout}, {len(present)} columns)") from None
    except duckdb.Error as exc:
        raise common.ImportFormatError(
            f"{name}: cannot be read as {EXPECTED} ({str(exc).splitlines()[0]})"
        ) from None
    result = common.checked(con, ORIGIN, name, CHECKS, key="GLOBALEVENTID")
    if layout != "GDELT 2.0":
        result.notes.append(f"read as {layout} ({len(present)} columns)")

    cameo = mappings.get("cameo") or []
    common.register_table(con, "_imp_cameo", {
        "code": [str(m["code"]) for m in cameo], "kind": [m["kind"] for m in cameo],
        "type": [m["type"] for m in cameo], "subtype": [m.get("subtype") for m in cameo],
        "label": [m.get("label") for m in cameo],
    })  # fmt: skip
    themes = [(str(m["code"]), t) for m in cameo for t in m.get("themes") or ()]
    common.register_table(
        con, "_imp_theme_map", {"key": [k for k, _ in themes], "theme": [t for _, t in themes]}
    )
    codes = []
    for kind, key in (("country", "gdelt_countries"), ("mil", "gdelt_military"), ("group", "gdelt_groups")):
        codes += [(kind, str(c), str(a)) for c, a in (mappings.get(key) or {}).items()]
    common.register_table(con, "_imp_codes", {"kind": [k for k, _, _ in codes], "code": [c for _, c, _ in codes],
                                              "actor": [a for _, _, a in codes]})  # fmt: skip

    # The longest listed prefix of the code wins: exact four-, then three-, then two-digit entries.
    con.execute("""
        CREATE OR REPLACE TEMP TABLE _imp_coded AS
        SELECT r.*, coalesce(m4.code, m3.code, m2.code) AS _map_code
        FROM _imp_raw r
        LEFT JOIN _imp_cameo m4 ON length(r.EventCode) = 4 AND m4.code = r.EventCode
        LEFT JOIN _imp_cameo m3 ON m3.code = left(r.EventCode, 3)
        LEFT JOIN _imp_cameo m2 ON m2.code = left(r.EventCode, 2)
    """)
    result.skipped = con.execute("SELECT count(*) FROM _imp_coded WHERE _map_code IS NULL").fetchall()[0][0]
    if result.skipped:
        top = con.execute("SELECT EventRootCode, count(*) FROM _imp_coded WHERE _map_code IS NULL "
                          "GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 5").fetchall()  # fmt: skip
        result.notes.append(f"{result.skipped} row(s) skipped: their CAMEO codes map to no record kind "
                            f"(roots {', '.join(f'{c} ({n})' for c, n in top)})")  # fmt: skip
    # Places. ActionGeo_Type 1 is a country, 2 and 5 a first-level region (a US state, an oblast):
    # their coordinates are the area's centre, so they are placed by code (the country, the
    # oblast, when drawn within REGION_KM of GDELT's centre; else the full name as text, or none
    # for a country), never by the nearest town. 3 and 4 are cities: matched by name within the country code, the ADM1 region and
    # MATCH_KM of the coordinates (common.resolve_places), so "Georgia, United States" is not the
    # country Georgia. Ukraine's, Russia's and Belarus's ADM1 codes are FIPS codes, which GeoNames
    # (oblasts.yaml) numbers alike: UP05 is UA.05, Donetsk Oblast.
    fips = {str(k): str(v) for k, v in (mappings.get("gdelt_region_countries") or {}).items()}
    codes = _region_codes()
    common.register_table(con, "_imp_region_codes", {
        "adm1": [f + c.split(".", 1)[1] for f, iso in fips.items() for c in codes if c.startswith(iso + ".")],
        "region": [codes[c] for f, iso in fips.items() for c in codes if c.startswith(iso + ".")],
    })  # fmt: skip
    con.execute("""
        CREATE OR REPLACE TEMP TABLE _imp_geo AS
        SELECT r.source_row,
               CASE WHEN r.ActionGeo_Type IN ('3', '4') THEN trim(split_part(r.ActionGeo_FullName, ',', 1)) END AS name,
               CASE WHEN r.ActionGeo_Type <> '1' THEN r.ActionGeo_FullName END AS own_name,
               NULL::VARCHAR AS admin_name, cl.place AS country_place,
               CASE WHEN r.ActionGeo_Type = '1' THEN cl.place ELSE rc.region END AS region,
               r._lat AS lat, r._lon AS lon, r.ActionGeo_Type IN ('3', '4') AS point
        FROM _imp_coded r
        LEFT JOIN _imp_country_lookup cl ON cl.key = lower(trim(regexp_extract(r.ActionGeo_FullName, '[^,]*$')))
        LEFT JOIN _imp_region_codes rc ON rc.adm1 = r.ActionGeo_ADM1Code
        WHERE r._map_code IS NOT NULL AND r.ActionGeo_FullName IS NOT NULL
    """)
    common.resolve_places(con)
    row_fields = ", ".join(f"t.{c}" for c in COLUMNS)
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE _imp_rows AS
        WITH t AS (
            SELECT r.*, m.kind, m.type, m.subtype,
                   concat_ws(' ', coalesce(r.Actor1Name, r.Actor1Code, 'someone'),
                             coalesce(m.label, 'event') || ' (CAMEO ' || r.EventCode || ')', r.Actor2Name)
                   || coalesce(', ' || r.ActionGeo_FullName, '') AS _title
            FROM _imp_coded r JOIN _imp_cameo m ON m.code = r._map_code
        )
        SELECT left(sha1('gdelt:' || t.GLOBALEVENTID), 16) AS record_id,
               sha256('gdelt:' || t.GLOBALEVENTID) AS content_hash,
               t.GLOBALEVENTID AS external_id,
               md5(concat_ws('|', {row_fields})) AS version,
               t.source_row, t._title AS title, t._title AS text, t.SOURCEURL AS url, NULL::VARCHAR AS source,
               coalesce(try_strptime(left(t.DATEADDED, 8), '%Y%m%d')::DATE, t._date) AS published,
               'day' AS published_precision, t.kind, t.type, t.subtype,
               pl.location, coalesce(pl.theatre, pc.theatre) AS theatre,
               t._date AS date, 'day' AS date_precision, t._lat AS lat, t._lon AS lon,
               t.ActionGeo_CountryCode AS country, pc.name AS country_place, t.ActionGeo_ADM1Code AS admin1,
               t.ActionGeo_ADM2Code AS admin2, t.ActionGeo_FullName AS location_name, t.ActionGeo_Type AS geo_precision,
               coalesce(t.Actor1Name, t.Actor1Code) AS actor1, coalesce(t.Actor2Name, t.Actor2Code) AS actor2,
               t.EventCode AS cameo_event_code, t.EventBaseCode AS cameo_base_code, t.EventRootCode AS cameo_root_code,
               TRY_CAST(t.QuadClass AS INTEGER) AS quad_class, TRY_CAST(t.GoldsteinScale AS DOUBLE) AS goldstein,
               TRY_CAST(t.NumMentions AS INTEGER) AS num_mentions, TRY_CAST(t.NumSources AS INTEGER) AS num_sources,
               TRY_CAST(t.NumArticles AS INTEGER) AS num_articles, TRY_CAST(t.AvgTone AS DOUBLE) AS avg_tone,
               t.Actor1Code, t.Actor1CountryCode, t.Actor1KnownGroupCode, t.Actor1Type1Code,
               t.Actor2Code, t.Actor2CountryCode, t.Actor2KnownGroupCode, t.Actor2Type1Code
        FROM t
        LEFT JOIN _imp_placed pl USING (source_row)
        LEFT JOIN _imp_country_lookup cl ON cl.key = lower(trim(regexp_extract(t.ActionGeo_FullName, '[^,]*$')))
        LEFT JOIN places pc ON pc.name = cl.place
    """)  # noqa: S608 - fixed column names
    # Who acts and who is acted on, in the roles each kind uses.
    con.execute("""
        CREATE OR REPLACE TEMP TABLE _imp_actors AS
        WITH slots AS (
            SELECT record_id, kind, 0 AS position, Actor1Code AS code, actor1 AS mention, Actor1CountryCode AS cc,
                   Actor1KnownGroupCode AS grp, Actor1Type1Code AS typ FROM _imp_rows
            UNION ALL
            SELECT record_id, kind, 1, Actor2Code, actor2, Actor2CountryCode, Actor2KnownGroupCode, Actor2Type1Code
            FROM _imp_rows
        )
        SELECT s.record_id, s.position,
               CASE s.kind WHEN 'aid' THEN ['donor', 'recipient'][s.position + 1]
                           WHEN 'statement' THEN ['speaker', 'target'][s.position + 1]
                           WHEN 'diplomacy' THEN 'participant'
                           ELSE ['actor', 'target'][s.position + 1] END AS role,
               coalesce(s.mention, s.code) AS mention,
               coalesce(CASE WHEN s.typ = 'MIL' THEN mil.actor END, g.actor, c.actor) AS actor
        FROM slots s
        LEFT JOIN _imp_codes mil ON mil.kind = 'mil' AND mil.code = s.cc
        LEFT JOIN _imp_codes g ON g.kind = 'group' AND g.code = s.grp
        LEFT JOIN _imp_codes c ON c.kind = 'country' AND c.code = s.cc
        WHERE s.code IS NOT NULL OR s.mention IS NOT NULL
    """)
    con.execute("""
        CREATE OR REPLACE TEMP TABLE _imp_themes AS
        SELECT r.record_id, m.theme FROM _imp_coded c JOIN _imp_rows r ON r.external_id = c.GLOBALEVENTID
        JOIN _imp_theme_map m ON m.key = c._map_code
    """)
    return result


def _region_codes() -> dict[str, str]:
    """GeoNames admin1 code ("UA.05") -> region name, from oblasts.yaml (an analyst's copy when
    DASHBOARD_VOCAB_DIR has one)."""
    import yaml

    path = config.vocabulary_file("oblasts.yaml")
    doc = schemas.validate("oblasts.yaml", yaml.safe_load(path.read_text(encoding="utf-8")) or {}, path)
    return {
        str(r["code"]): str(r["name"]) for r in doc.get("regions") or () if r.get("code") and r.get("name")
    }
