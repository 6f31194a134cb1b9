"""Eyes on Russia (Centre for Information Resilience) events, as CSV or GeoJSON, into the events table.

The real file has flaws this keeps rather than refuses: entries without an id or a date, ids
used twice (for the same event with other links, or for different events), countries misspelt
("Belaurs", "Russa"). Every row becomes an event: a repeated id gets "#2", "#3" in file order, a
missing one the md5 of its row; a missing date stays null; the country is normalised through
`countries:` in import_mappings.yaml while import_details keeps it as written. A date that is
there but not a date, or coordinates that are not coordinates, stop the import.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb

from analytics.importers import common

ORIGIN = "eyes-on-russia"
# The file's field -> our column.
FIELDS = {
    "entry": "entry", "date": "date", "event_group": "event_group", "title": "title",
    "brief description": "description", "lat": "lat", "lon": "lon", "country": "country",
    "province": "province", "district": "district", "town/city": "town", "arms/munition": "arms",
    "violence level": "violence_level", "link": "link", "geolocation": "geolocation",
}  # fmt: skip
# Other spellings of those fields in other snapshots and re-saves (compared lower-case, "_" as " ").
FIELD_ALIASES = {
    "id": "entry", "entry id": "entry", "event group": "event_group", "category": "event_group",
    "description": "brief description", "latitude": "lat", "longitude": "lon", "long": "lon", "lng": "lon",
    "city": "town/city", "town": "town/city", "town / city": "town/city", "arms / munition": "arms/munition",
    "violence_level": "violence level", "source": "link", "url": "link", "geolocation link": "geolocation",
}  # fmt: skip
REQUIRED = ("entry", "date", "event_group", "lat", "lon", "country")
EXPECTED = "an Eyes on Russia export: a header row (or GeoJSON properties) with " + ", ".join(REQUIRED)
# Fallback formats when a value is not in the file's own date format.
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]

CHECKS = [
    common.parsed("date", "_date", "a date (this file's dates are {fmt})"),
    common.Check("date", "NOT year(_date) BETWEEN 1900 AND 2100",
                 "{v!r} is not a date of these years (this file's dates are {fmt}); write the year in four digits"),
    *common.coordinates("lat", "lon"),
]  # fmt: skip


def looks_like(text: str, first_line: str) -> bool:
    """Detection (analytics/import_formats.py): the map's GeoJSON, or a CSV export whose header
    has the event group and an entry number or coordinates."""
    if text.startswith("{") and '"FeatureCollection"' in text:
        return True
    lowered = first_line.lower()
    return ("event_group" in lowered or "event group" in lowered) and ("entry" in lowered or "lat" in lowered)


def field_key(field: str) -> str:
    key = " ".join(field.strip().lower().replace("_", " ").split())
    key = FIELD_ALIASES.get(key, key)
    return "event_group" if key == "event group" else key


def _header_map(fields: list[str], name: str, what: str) -> dict[str, int]:
    """Our field -> its position among `fields` (the first of two spellings wins)."""
    by_lower: dict[str, int] = {}
    for i, f in enumerate(fields):
        if not common.is_blank_field(f):
            by_lower.setdefault(field_key(f), i)
    missing = [c for c in REQUIRED if c not in by_lower]
    if missing:
        hint = ""
        if "event_id_cnty" in {f.strip().lower() for f in fields}:
            hint = " (it looks like an ACLED export; import it as acled)"
        elif len(fields) >= 57:
            hint = " (it looks like a GDELT events file; import it as gdelt)"
        raise common.ImportFormatError(f"{name}: missing required {what}(s) {', '.join(missing)}; "
                                       f"is this an Eyes on Russia export? Expected {EXPECTED}{hint}")  # fmt: skip
    return by_lower


def _read_csv(con: duckdb.DuckDBPyConnection, path: Path, name: str, notes: list[str]) -> str:
    fields, delim = common.read_header(path, name)
    header = _header_map(fields, name, "column")
    picked = ", ".join(
        f"nullif(trim(c{header[f]}), '') AS {col}" if f in header
        else f"NULL::VARCHAR AS {col}" for f, col in FIELDS.items()
    )  # fmt: skip
    used = {header[f] for f in FIELDS if f in header}
    note = common.load_mapped_csv(con, path, fields, delim, name, "_imp_src", picked, used, EXPECTED)
    if note:
        notes.append(note)
    return "row"


def _read_geojson(con: duckdb.DuckDBPyConnection, path: Path, name: str, notes: list[str]) -> str:
    """A FeatureCollection of Point features whose properties carry the CSV's fields; the point's
    coordinates win over lat/lon properties. Features are numbered from 1."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise common.ImportFormatError(f"{name}: not a GeoJSON file ({exc})") from None
    if (
        not isinstance(doc, dict)
        or doc.get("type") != "FeatureCollection"
        or not isinstance(doc.get("features"), list)
    ):
        raise common.ImportFormatError(
            f"{name}: expected a GeoJSON FeatureCollection of Eyes on Russia events"
        )
    rows: dict[str, list] = {"source_row": [], **{col: [] for col in FIELDS.values()}, "extra_fields": []}
    seen: set[str] = set()
    for i, feat in enumerate(doc["features"], start=1):
        props = feat.get("properties") if isinstance(feat, dict) else None
        if not isinstance(props, dict):
            raise common.ImportFormatError(f"{name}: feature {i}: no properties object")
        lowered = {field_key(str(k)): v for k, v in props.items()}
        seen |= set(lowered)
        geom = feat.get("geometry") or {}
        coords = geom.get("coordinates") if isinstance(geom, dict) else None
        if geom and (geom.get("type") != "Point" or not isinstance(coords, list) or len(coords) < 2):
            raise common.ImportFormatError(
                f"{name}: feature {i}, column geometry: expected a Point with [lon, lat]"
            )
        if coords:
            lowered["lon"], lowered["lat"] = coords[0], coords[1]
        rows["source_row"].append(i)
        for f, col in FIELDS.items():
            v = lowered.get(f)
            rows[col].append(None if v is None or str(v).strip() == "" else str(v).strip())
        extra = {str(k): v for k, v in props.items() if field_key(str(k)) not in FIELDS}
        rows["extra_fields"].append(json.dumps(extra, ensure_ascii=False) if extra else None)
    if doc["features"]:
        _header_map(sorted(seen | {"lat", "lon"}), name, "propertie")
    common.register_table(con, "_imp_src", rows)
    return "feature"


def stage(con: duckdb.DuckDBPyConnection, path: Path, name: str, mappings: dict) -> common.ImportResult:
    head = path.read_bytes()[:4096].decode("utf-8-sig", errors="replace").lstrip()
    geojson = path.suffix.lower() in (".geojson", ".json") or head.startswith("{")
    notes: list[str] = []
    row_word = (_read_geojson if geojson else _read_csv)(con, path, name, notes)
    fmt, fmt_label = common.pick_date_format(con, "_imp_src", "date")
    fallback = "[" + ", ".join(common.sql_literal(f) for f in DATE_FORMATS) + "]"
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE _imp_raw AS
        SELECT *, coalesce({common.date_sql(fmt, "date")}, try_strptime(date, {fallback})::DATE) AS _date,
               TRY_CAST(lat AS DOUBLE) AS _lat, TRY_CAST(lon AS DOUBLE) AS _lon,
               md5(concat_ws('|', {", ".join(FIELDS.values())})) AS _row_md5
        FROM _imp_src
    """)  # noqa: S608 - fixed column names
    result = common.checked(con, ORIGIN, name, CHECKS, row_word=row_word, notes=notes, date_format=fmt_label)

    # Event groups: the first entry with a pattern found in the group's name, per distinct name.
    groups = mappings.get("eyes_on_russia") or []
    unmatched = mappings.get("eyes_on_russia_unmatched") or {"event_type": "Strategic developments",
                                                               "sub_event_type": "Other"}  # fmt: skip
    patterns = [(i, str(p)) for i, g in enumerate(groups) for p in g.get("match") or ()]
    common.register_table(
        con, "_imp_group_patterns", {"idx": [i for i, _ in patterns], "pattern": [p for _, p in patterns]}
    )
    common.register_table(con, "_imp_groups", {
        "idx": [*range(len(groups)), -1],
        "event_type": [g["event_type"] for g in groups] + [unmatched["event_type"]],
        "sub_event_type": [g.get("sub_event_type") for g in groups] + [unmatched.get("sub_event_type")],
    })  # fmt: skip
    links = [
        (i, a["actor"], a.get("role", "actor")) for i, g in enumerate(groups) for a in g.get("actors") or ()
    ]
    common.register_table(con, "_imp_group_actors", {"idx": [i for i, _, _ in links], "actor": [a for _, a, _ in links],
                                                     "role": [r for _, _, r in links]})  # fmt: skip
    themes = [(i, t) for i, g in enumerate(groups) for t in g.get("themes") or ()]
    common.register_table(
        con, "_imp_theme_map", {"idx": [i for i, _ in themes], "theme": [t for _, t in themes]}
    )
    con.execute("""
        CREATE OR REPLACE TEMP TABLE _imp_group_of AS
        SELECT g.event_group, coalesce(min(p.idx), -1) AS _group
        FROM (SELECT DISTINCT event_group FROM _imp_raw) g
        LEFT JOIN _imp_group_patterns p ON regexp_matches(lower(coalesce(g.event_group, '')), lower(p.pattern))
        GROUP BY 1
    """)
    con.execute("""
        CREATE OR REPLACE TEMP TABLE _imp_keyed AS
        WITH k AS (SELECT *, coalesce(entry, 'row-' || _row_md5) AS _key FROM _imp_raw),
        n AS (SELECT *, row_number() OVER (PARTITION BY _key ORDER BY source_row) AS _nth FROM k)
        SELECT n.*, CASE WHEN _nth = 1 THEN _key ELSE _key || '#' || _nth END AS _external_id, g._group
        FROM n LEFT JOIN _imp_group_of g ON g.event_group IS NOT DISTINCT FROM n.event_group
    """)
    repeated = con.execute("SELECT count(*) FILTER (WHERE _nth > 1), count(*) FILTER (WHERE entry IS NULL), "
                           "count(*) FILTER (WHERE _date IS NULL) FROM _imp_keyed").fetchall()[0]  # fmt: skip
    for n, what in zip(repeated, ("row(s) repeat an entry id already used above; they are stored as id#2, id#3...",
                                  "row(s) have no entry id; they are identified by the md5 of the row",
                                  "row(s) have no date; they are stored undated"), strict=True):  # fmt: skip
        if n:
            result.notes.append(f"{n} {what}")
    untyped = con.execute("SELECT event_group, count(*) FROM _imp_keyed WHERE _group = -1 "
                          "GROUP BY 1 ORDER BY 2 DESC, 1").fetchall()  # fmt: skip
    if untyped:
        shown = "; ".join(f"{g or '(none)'} ({n})" for g, n in untyped[:5])
        result.notes.append(
            f"{sum(n for _, n in untyped)} row(s) in {len(untyped)} event group(s) that no entry of "
            f"{common.MAPPINGS_FILE} names, typed {unmatched['event_type']}/{unmatched.get('sub_event_type')}: {shown}"
        )

    # Places: the row's coordinates, country and province decide (common.resolve_places).
    con.execute("""
        CREATE OR REPLACE TEMP TABLE _imp_geo AS
        SELECT r.source_row, r.town AS name, r.town AS own_name, r.province AS admin_name,
               cl.place AS country_place, NULL::VARCHAR AS region, r._lat AS lat, r._lon AS lon, true AS point
        FROM _imp_keyed r LEFT JOIN _imp_country_lookup cl ON cl.key = lower(r.country)
    """)
    common.resolve_places(con)
    con.execute("""
        CREATE OR REPLACE TEMP TABLE _imp_rows AS
        SELECT left(sha1('eyes-on-russia:' || r._external_id), 16) AS record_id,
               sha256('eyes-on-russia:' || r._external_id) AS content_hash,
               r._external_id AS external_id, r._row_md5 AS version, r.source_row,
               coalesce(r.title, r.description, r.event_group, r._external_id) AS title,
               coalesce(r.description, r.title, r.event_group, r._external_id) AS text,
               r.link AS url, 'Eyes on Russia' AS source, r._date AS published, 'day' AS published_precision,
               'event' AS kind, m.event_type AS type, m.sub_event_type AS subtype,
               p.location, p.theatre,
               r._date AS date, 'day' AS date_precision, r._lat AS lat, r._lon AS lon,
               r.country, cl.place AS country_place, r.province AS admin1, r.district AS admin2,
               r.town AS location_name, r.event_group, r.violence_level, r.arms AS arms_munition,
               r.geolocation AS geolocation_url, r.extra_fields, r._group
        FROM _imp_keyed r
        LEFT JOIN _imp_groups m ON m.idx = r._group
        LEFT JOIN _imp_placed p USING (source_row)
        LEFT JOIN _imp_country_lookup cl ON cl.key = lower(r.country)
    """)
    con.execute("""
        CREATE OR REPLACE TEMP TABLE _imp_actors AS
        SELECT r.record_id, row_number() OVER (PARTITION BY r.record_id ORDER BY a.actor) - 1 AS position,
               a.role, r.event_group AS mention, a.actor
        FROM _imp_rows r JOIN _imp_group_actors a ON a.idx = r._group
    """)
    con.execute("""CREATE OR REPLACE TEMP TABLE _imp_themes AS
                   SELECT r.record_id, t.theme FROM _imp_rows r JOIN _imp_theme_map t ON t.idx = r._group""")
    gone = con.execute(f"SELECT d.external_id FROM ({REMOVAL_SQL}) g JOIN import_details d USING (record_id) "  # noqa: S608
                       "ORDER BY d.external_id").fetchall()  # fmt: skip
    if gone:
        shown = ", ".join(x for (x,) in gone[:8]) + (", ..." if len(gone) > 8 else "")
        result.notes.append(
            f"{len(gone)} event(s) an earlier snapshot had are not in this one and are removed: {shown}"
        )
    return result


# A snapshot is the whole map as it stood (Eyes on Russia publishes no partial exports): stored
# events it covers, i.e. dated up to its last date or undated, that it no longer lists were
# renumbered, merged or withdrawn upstream. Events dated after it came from a newer snapshot
# imported earlier and stay.
REMOVAL_SQL = """
    SELECT d.record_id FROM import_details d JOIN events e USING (record_id)
    WHERE d.origin = 'eyes-on-russia' AND EXISTS (SELECT 1 FROM _imp_rows)  -- an empty file is no snapshot
      AND (e.date IS NULL OR e.date <= (SELECT max(date) FROM _imp_rows))
      AND d.record_id NOT IN (SELECT record_id FROM _imp_rows)
"""
