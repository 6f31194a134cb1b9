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

from analytics.importers.common import (
    Check,
    ImportFormatError,
    ImportResult,
    csv_error,
    first_failure,
    read_header,
    register_table,
    sql_ident,
    sql_literal,
    write_staged,
)

ORIGIN = "eyes-on-russia"
# The file's field -> our column.
FIELDS = {
    "entry": "entry", "date": "date", "event_group": "event_group", "title": "title",
    "brief description": "description", "lat": "lat", "lon": "lon", "country": "country",
    "province": "province", "district": "district", "town/city": "town", "arms/munition": "arms",
    "violence level": "violence_level", "link": "link", "geolocation": "geolocation",
}  # fmt: skip
REQUIRED = ("entry", "date", "event_group", "lat", "lon", "country")
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]

CHECKS = [
    Check("date", "date IS NOT NULL AND _date IS NULL", "{v!r} is not a date (YYYY-MM-DD)"),
    Check("lat", "lat IS NULL OR NOT coalesce(_lat BETWEEN -90 AND 90, false)",
          "{v!r} is not a latitude (a number from -90 to 90)"),
    Check("lon", "lon IS NULL OR NOT coalesce(_lon BETWEEN -180 AND 180, false)",
          "{v!r} is not a longitude (a number from -180 to 180)"),
]  # fmt: skip


def _header_map(fields: list[str], name: str, what: str) -> dict[str, str]:
    by_lower = {f.strip().lower(): f for f in fields}
    missing = [c for c in REQUIRED if c not in by_lower]
    if missing:
        hint = ""
        if "event_id_cnty" in by_lower:
            hint = " (it looks like an ACLED export; import it as acled)"
        elif len(fields) >= 57:
            hint = " (it looks like a GDELT events file; import it as gdelt)"
        raise ImportFormatError(f"{name}: missing required {what}(s) {', '.join(missing)}; "
                                f"is this an Eyes on Russia export?{hint}")  # fmt: skip
    return by_lower


def _read_csv(con: duckdb.DuckDBPyConnection, path: Path, name: str) -> str:
    fields, delim = read_header(path, name)
    header = _header_map(fields, name, "column")
    spec = "{" + ", ".join(f"{sql_literal(f)}: 'VARCHAR'" for f in fields) + "}"
    source = (f"read_csv({sql_literal(str(path))}, header=true, auto_detect=false, delim={sql_literal(delim)}, "
              f"quote='\"', escape='\"', columns={spec})")  # fmt: skip
    picked = ", ".join(
        f"nullif(trim({sql_ident(header[f])}), '') AS {col}" if f in header
        else f"NULL::VARCHAR AS {col}" for f, col in FIELDS.items()
    )  # fmt: skip
    try:
        con.execute(f"""CREATE OR REPLACE TEMP TABLE _imp_src AS
                        SELECT row_number() OVER () + 1 AS source_row, {picked} FROM {source}""")  # noqa: S608
    except duckdb.InvalidInputException:
        raise csv_error(con, source, name) from None
    return "row"


def _read_geojson(con: duckdb.DuckDBPyConnection, path: Path, name: str) -> str:
    """A FeatureCollection of Point features whose properties carry the CSV's fields; the point's
    coordinates win over lat/lon properties. Features are numbered from 1."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise ImportFormatError(f"{name}: not a GeoJSON file ({exc})") from None
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection" or not isinstance(doc.get("features"), list):
        raise ImportFormatError(f"{name}: expected a GeoJSON FeatureCollection of Eyes on Russia events")
    rows: dict[str, list] = {"source_row": [], **{col: [] for col in FIELDS.values()}}
    seen: set[str] = set()
    for i, feat in enumerate(doc["features"], start=1):
        props = feat.get("properties") if isinstance(feat, dict) else None
        if not isinstance(props, dict):
            raise ImportFormatError(f"{name}: feature {i}: no properties object")
        lowered = {str(k).strip().lower(): v for k, v in props.items()}
        seen |= set(lowered)
        geom = feat.get("geometry") or {}
        coords = geom.get("coordinates") if isinstance(geom, dict) else None
        if geom and (geom.get("type") != "Point" or not isinstance(coords, list) or len(coords) < 2):
            raise ImportFormatError(f"{name}: feature {i}, column geometry: expected a Point with [lon, lat]")
        if coords:
            lowered["lon"], lowered["lat"] = coords[0], coords[1]
        rows["source_row"].append(i)
        for f, col in FIELDS.items():
            v = lowered.get(f)
            rows[col].append(None if v is None or str(v).strip() == "" else str(v).strip())
    if doc["features"]:
        _header_map(sorted(seen | {"lat", "lon"}), name, "propertie")
    register_table(con, "_imp_src", rows)
    return "feature"


def stage(con: duckdb.DuckDBPyConnection, path: Path, name: str, mappings: dict) -> ImportResult:
    head = path.read_bytes()[:4096].decode("utf-8-sig", errors="replace").lstrip()
    geojson = path.suffix.lower() in (".geojson", ".json") or head.startswith("{")
    row_word = _read_geojson(con, path, name) if geojson else _read_csv(con, path, name)
    formats = "[" + ", ".join(sql_literal(f) for f in DATE_FORMATS) + "]"
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE _imp_raw AS
        SELECT *, try_strptime(date, {formats})::DATE AS _date,
               TRY_CAST(lat AS DOUBLE) AS _lat, TRY_CAST(lon AS DOUBLE) AS _lon,
               md5(concat_ws('|', {', '.join(FIELDS.values())})) AS _row_md5
        FROM _imp_src
    """)  # noqa: S608 - fixed column names
    err = first_failure(con, "_imp_raw", CHECKS, name, row_word)
    if err:
        raise err
    result = ImportResult(ORIGIN, name, rows=con.execute("SELECT count(*) FROM _imp_raw").fetchall()[0][0])

    groups = mappings.get("eyes_on_russia") or []
    register_table(con, "_imp_groups", {
        "idx": list(range(len(groups))), "starts": [str(g.get("starts") or "") for g in groups],
        "event_type": [g["event_type"] for g in groups], "sub_event_type": [g.get("sub_event_type") for g in groups],
    })  # fmt: skip
    links = [(i, a["actor"], a.get("role", "actor")) for i, g in enumerate(groups) for a in g.get("actors") or ()]
    register_table(con, "_imp_group_actors", {"idx": [i for i, _, _ in links], "actor": [a for _, a, _ in links],
                                              "role": [r for _, _, r in links]})  # fmt: skip
    themes = [(i, t) for i, g in enumerate(groups) for t in g.get("themes") or ()]
    register_table(con, "_imp_theme_map", {"idx": [i for i, _ in themes], "theme": [t for _, t in themes]})

    con.execute("""
        CREATE OR REPLACE TEMP TABLE _imp_keyed AS
        WITH k AS (SELECT *, coalesce(entry, 'row-' || _row_md5) AS _key FROM _imp_raw),
        n AS (SELECT *, row_number() OVER (PARTITION BY _key ORDER BY source_row) AS _nth FROM k),
        g AS (SELECT r.source_row, min(m.idx) AS _group
              FROM _imp_raw r JOIN _imp_groups m ON starts_with(lower(coalesce(r.event_group, '')), lower(m.starts))
              GROUP BY 1)
        SELECT n.*, CASE WHEN _nth = 1 THEN _key ELSE _key || '#' || _nth END AS _external_id, g._group
        FROM n LEFT JOIN g USING (source_row)
    """)
    repeated = con.execute("SELECT count(*) FILTER (WHERE _nth > 1), count(*) FILTER (WHERE entry IS NULL), "
                           "count(*) FILTER (WHERE _date IS NULL) FROM _imp_keyed").fetchall()[0]  # fmt: skip
    for n, what in zip(repeated, ("row(s) repeat an entry id already used above; they are stored as id#2, id#3...",
                                  "row(s) have no entry id; they are identified by the md5 of the row",
                                  "row(s) have no date; they are stored undated"), strict=True):  # fmt: skip
        if n:
            result.notes.append(f"{n} {what}")
    con.execute("""
        CREATE OR REPLACE TEMP TABLE _imp_rows AS
        SELECT left(sha1('eyes-on-russia:' || r._external_id), 16) AS record_id,
               sha256('eyes-on-russia:' || r._external_id) AS content_hash,
               r._external_id AS external_id, r._row_md5 AS version, r.source_row,
               coalesce(r.title, r.description, r.event_group, r._external_id) AS title,
               coalesce(r.description, r.title, r.event_group, r._external_id) AS text,
               r.link AS url, 'Eyes on Russia' AS source, r._date AS published, 'day' AS published_precision,
               'event' AS kind, m.event_type AS type, m.sub_event_type AS subtype,
               coalesce(pt.place, r.town, pp.place, r.province) AS location,
               coalesce(p1.theatre, p2.theatre, pc.theatre) AS theatre,
               r._date AS date, 'day' AS date_precision, r._lat AS lat, r._lon AS lon,
               r.country, cl.place AS country_place, r.province AS admin1, r.district AS admin2,
               r.town AS location_name, r.event_group, r.violence_level, r.arms AS arms_munition,
               r.geolocation AS geolocation_url, r._group
        FROM _imp_keyed r
        LEFT JOIN _imp_groups m ON m.idx = r._group
        LEFT JOIN _imp_place_lookup pt ON pt.key = lower(r.town)
        LEFT JOIN places p1 ON p1.name = pt.place
        LEFT JOIN _imp_place_lookup pp ON pp.key = lower(r.province)
        LEFT JOIN places p2 ON p2.name = pp.place
        LEFT JOIN _imp_country_lookup cl ON cl.key = lower(r.country)
        LEFT JOIN places pc ON pc.name = cl.place
    """)
    con.execute("""
        CREATE OR REPLACE TEMP TABLE _imp_actors AS
        SELECT r.record_id, row_number() OVER (PARTITION BY r.record_id ORDER BY a.actor) - 1 AS position,
               a.role, r.event_group AS mention, a.actor
        FROM _imp_rows r JOIN _imp_group_actors a ON a.idx = r._group
    """)
    con.execute("""CREATE OR REPLACE TEMP TABLE _imp_themes AS
                   SELECT r.record_id, t.theme FROM _imp_rows r JOIN _imp_theme_map t ON t.idx = r._group""")
    return result


def write(con: duckdb.DuckDBPyConnection, name: str, result: ImportResult) -> ImportResult:
    return write_staged(con, ORIGIN, name, result)
