"""Shared machinery of the dataset imports: reading a file into a staging table, checking it in SQL,
and writing the staged rows into the record tables in one transaction.

Each format module fills three temporary tables and hands over to `write_staged`:

- `_imp_rows`: one row per record, with the columns of STAGED_COLUMNS plus any import_details
  column it knows (country, admin1, cameo_event_code, ...);
- `_imp_actors` (record_id, position, role, mention, actor): the actors a row names; `actor`
  already canonical, or null to be looked up by `mention`;
- `_imp_themes` (record_id, theme) and, optionally, `_imp_sources` (record_id, mention).

Everything is set-based SQL: a million ACLED rows never pass through a Python loop.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa
import yaml

from analytics import config, schemas
from analytics.store import writer
from analytics.store.files import backup_live
from analytics.store.writer import IMPORTED_CONFIDENCE, IMPORTED_FACTUALITY, KIND_TABLES, LINK_TABLES

MAPPINGS_FILE = "import_mappings.yaml"
__all__ = ["KIND_TABLES", "LINK_TABLES"]  # declared once, in analytics.store.writer

# The columns every format puts in _imp_rows.
STAGED_COLUMNS = (
    "record_id", "content_hash", "external_id", "version", "source_row", "title", "text", "url", "source",
    "published", "published_precision", "kind", "type", "subtype", "location", "theatre", "date",
    "date_precision", "lat", "lon",
)  # fmt: skip

# How an external name is compared with a vocabulary name: case-insensitive, ACLED's period in
# brackets dropped ("Military Forces of Russia (2000-) Air Force"), spaces collapsed.
# This stays SQL because it runs over a whole dataset in DuckDB; the vocabulary's own matching is
# Vocabulary.actor_for (analytics/vocab.py), and tests/test_alias_matching.py checks the two agree
# on every actor name and alias (as written, upper-cased, spaced out, with ACLED's period).
_NORM = (
    r"lower(trim(regexp_replace(regexp_replace({x}, '\s*\(\d{{4}}-\d{{0,4}}\)', '', 'g'), '\s+', ' ', 'g')))"
)


def norm_sql(expr: str) -> str:
    return _NORM.format(x=expr)


class ImportFormatError(ValueError):
    """The file is not in the format asked for, or a row is malformed; the message names the row and column."""


@dataclass
class ImportResult:
    origin: str
    file: str
    rows: int = 0  # data rows read from the file
    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    skipped: int = 0  # rows read but not imported (GDELT codes outside the mapped kinds)
    notes: list[str] = field(default_factory=list)

    @property
    def summary(self) -> str:
        line = (
            f"{self.added} added, {self.updated} updated, {self.removed} removed, {self.unchanged} unchanged"
        )
        if self.skipped:
            line += f", {self.skipped} skipped"
        return line

    @property
    def message(self) -> str:
        lines = [f"{self.file} ({self.origin}, {self.rows} rows): {self.summary}"]
        lines += [f"  note: {n}" for n in self.notes]
        return "\n".join(lines)


@dataclass(frozen=True)
class Check:
    """One rule a staged row must meet: `bad` is a SQL condition true for a bad row."""

    column: str
    bad: str
    reason: str  # formatted with {v}: the raw value


def present(column: str, needs: str) -> Check:
    """A column every row fills: `needs` says why ("every event needs its id")."""
    return Check(column, f"{column} IS NULL", f"no value; {needs}")


def parsed(column: str, value: str, what: str) -> Check:
    """A column that, where filled, reads as `value` (its parsed staging column): "{v!r} is not `what`"."""
    return Check(column, f"{column} IS NOT NULL AND {value} IS NULL", f"{{v!r}} is not {what}")


def coordinates(lat: str, lon: str, *, required: bool = True) -> list[Check]:
    """Latitude and longitude (parsed into the staging columns _lat and _lon) on the globe; a blank one is
    an error when `required`, else it only has to be right where it is filled."""

    def on_globe(column: str, value: str, limit: int, what: str) -> Check:
        outside = f"NOT coalesce({value} BETWEEN -{limit} AND {limit}, false)"
        bad = f"{column} IS NULL OR {outside}" if required else f"{column} IS NOT NULL AND {outside}"
        return Check(column, bad, f"{{v!r}} is not a {what} (a number from -{limit} to {limit})")

    return [on_globe(lat, "_lat", 90, "latitude"), on_globe(lon, "_lon", 180, "longitude")]


# ---------------------------------------------------------------------------------------------
# Mapping data


def mappings_path() -> Path:
    """import_mappings.yaml from DASHBOARD_VOCAB_DIR when it has one, else the packaged file."""
    return config.vocabulary_file(MAPPINGS_FILE)


def load_mappings(path: Path | None = None) -> dict:
    path = path or mappings_path()
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ImportFormatError(f"{path}: cannot read the import mappings ({exc})") from exc
    if not isinstance(doc, dict):
        raise ImportFormatError(f"{path}: expected a mapping at the top level")
    return schemas.validate(MAPPINGS_FILE, doc, path)


def register_table(con: duckdb.DuckDBPyConnection, name: str, columns: dict[str, list]) -> None:
    """A small temporary table from Python lists (mapping data), typed as text unless given otherwise."""
    arrow = pa.table({k: pa.array(v, type=pa.string()) if all(isinstance(x, str | None) for x in v)
                      else pa.array(v) for k, v in columns.items()})  # fmt: skip
    # DuckDB refuses register() while an earlier execute() on this connection has rows unread
    # (a caller's fetchone()); a finished statement clears that.
    con.execute("SELECT 1").fetchall()
    con.register("_imp_arrow", arrow)
    try:
        con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT * FROM _imp_arrow")  # noqa: S608 - fixed names
    finally:
        con.unregister("_imp_arrow")


def build_lookups(con: duckdb.DuckDBPyConnection, mappings: dict) -> None:
    """_imp_actor_lookup(key, actor), _imp_place_lookup(key, place), _imp_country_lookup(key, place):
    the data file's entries first, then the vocabulary's own names and aliases."""
    actors = {str(k): str(v) for k, v in (mappings.get("actors") or {}).items()}
    register_table(con, "_imp_actor_map", {"name": list(actors), "actor": list(actors.values())})
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE _imp_actor_lookup AS
        WITH m AS (
            SELECT {norm_sql("name")} AS key, actor, 0 AS pri FROM _imp_actor_map
            UNION ALL SELECT {norm_sql("alias")}, actor, 1 FROM actor_aliases
        )
        SELECT key, first(actor ORDER BY pri, actor) AS actor FROM m GROUP BY key
    """)  # noqa: S608 - fixed expressions
    places = {str(k): str(v) for k, v in (mappings.get("places") or {}).items()}
    register_table(con, "_imp_place_map", {"name": list(places), "place": list(places.values())})
    # Every name a place goes by, with its priority: the data file's entries, the vocabulary's
    # names, then its aliases.
    names = """
            SELECT lower(trim(name)) AS key, place, 0 AS pri FROM _imp_place_map
            UNION ALL SELECT lower(name), name, 1 FROM places
            UNION ALL SELECT lower(alias), place, 2 FROM place_aliases"""
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE _imp_place_lookup AS
        WITH m AS ({names})
        SELECT key, first(place ORDER BY pri, place) AS place FROM m GROUP BY key
    """)  # noqa: S608 - fixed expressions
    # Every place a name may stand for (namesakes kept), for matching by name and coordinates.
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE _imp_place_names AS
        SELECT DISTINCT key, place, min(pri) OVER (PARTITION BY key, place) AS pri FROM ({names})
    """)  # noqa: S608 - fixed expressions
    countries = {str(k): str(v) for k, v in (mappings.get("countries") or {}).items()}
    register_table(con, "_imp_country_map", {"name": list(countries), "place": list(countries.values())})
    con.execute("""
        CREATE OR REPLACE TEMP TABLE _imp_country_lookup AS
        WITH m AS (
            SELECT lower(trim(name)) AS key, place, 0 AS pri FROM _imp_country_map
            UNION ALL SELECT lower(name), name, 1 FROM places WHERE kind = 'country'
            UNION ALL SELECT lower(a.alias), a.place, 2 FROM place_aliases a JOIN places p ON p.name = a.place
                      WHERE p.kind = 'country'
        )
        SELECT key, first(place ORDER BY pri, place) AS place FROM m GROUP BY key
    """)


# ---------------------------------------------------------------------------------------------
# Reading


def sql_literal(text: str) -> str:
    """A file path as a SQL string literal (read_csv takes no bound parameter for its file)."""
    return "'" + text.replace("'", "''") + "'"


def sql_ident(name: str) -> str:
    """A column name as written in a file's header, quoted for SQL."""
    return '"' + name.replace('"', '""') + '"'


def read_header(path: Path, name: str) -> tuple[list[str], str]:
    """The first line's fields and the delimiter they were split on, for format checks before reading."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(1 << 16)
    except OSError as exc:
        raise ImportFormatError(f"{name}: cannot read the file ({exc.strerror})") from exc
    if not head.strip():
        raise ImportFormatError(f"{name}: the file is empty")
    if head.startswith(b"PK\x03\x04") or b"\x00" in head[:4096]:
        raise ImportFormatError(
            f"{name}: this is not a text file (a spreadsheet or archive?); export it as CSV"
        )
    text = head.decode("utf-8-sig", errors="replace")
    first = text.splitlines()[0] if text.splitlines() else ""
    # Tabs (GDELT), commas, or semicolons (a spreadsheet in a decimal-comma locale).
    delim = max(("\t", ",", ";"), key=lambda d: (first.count(d), d == ","))
    import csv

    fields = next(csv.reader([first], delimiter=delim), [])
    return [f.strip() for f in fields], delim


def csv_error(con: duckdb.DuckDBPyConnection, source_sql: str, name: str, row_word: str = "row",
              fields: list[str] | None = None) -> ImportFormatError:  # fmt: skip
    """A read that failed, read again keeping the rejected rows, to name the first bad row and column
    (`fields`: the header's names for the positional columns c0, c1, ... of csv_source)."""
    try:
        con.execute("DROP TABLE IF EXISTS _imp_rejects; DROP TABLE IF EXISTS _imp_reject_scans")
        rejecting = (
            source_sql.rstrip(")") + ", store_rejects=true, rejects_table='_imp_rejects', "
            "rejects_scan='_imp_reject_scans')"
        )
        # Every column read (a count(*) would skip parsing them and find nothing).
        con.execute(f"CREATE OR REPLACE TEMP TABLE _imp_scratch AS SELECT * FROM {rejecting}")  # noqa: S608
        row = con.execute(
            "SELECT line, column_name, error_type, error_message, csv_line FROM _imp_rejects ORDER BY line LIMIT 1"
        ).fetchall()
    except duckdb.Error as exc:
        return ImportFormatError(f"{name}: cannot be read as CSV ({_first_line(str(exc))})")
    finally:
        con.execute(
            "DROP TABLE IF EXISTS _imp_rejects; DROP TABLE IF EXISTS _imp_reject_scans; "
            "DROP TABLE IF EXISTS _imp_scratch"
        )
    if not row:
        return ImportFormatError(f"{name}: cannot be read as CSV")
    line, column, error_type, message, raw = row[0]
    if (
        fields
        and column
        and column.startswith("c")
        and column[1:].isdigit()
        and int(column[1:]) < len(fields)
    ):
        column = fields[int(column[1:])].strip() or f"{int(column[1:]) + 1} (no name)"
    where = f"{row_word} {line}" + (f", column {column}" if column else "")
    if error_type in ("TOO MANY COLUMNS", "MISSING COLUMNS"):
        detail = message.replace("Expected Number of Columns:", "expected").replace(
            " Found:", " columns, found"
        )
    elif error_type == "INVALID UNICODE":
        detail = "not UTF-8 text; save the file as UTF-8"
    elif error_type == "UNQUOTED VALUE":
        detail = "a quote inside a field that is not quoted"
    else:
        detail = message
    return ImportFormatError(f"{name}: {where}: {detail}" + (f" ({raw[:80]!r})" if raw else ""))


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else text


def first_failure(con: duckdb.DuckDBPyConnection, table: str, checks: list[Check], name: str,
                  row_word: str = "row") -> ImportFormatError | None:  # fmt: skip
    """The first row (in file order) that breaks a check, as an error naming row, column and value."""
    if not checks:
        return None
    case = " ".join(f"WHEN {c.bad} THEN {i}" for i, c in enumerate(checks))
    found = con.execute(
        f"SELECT source_row, check_no FROM (SELECT source_row, CASE {case} END AS check_no FROM {table}) "  # noqa: S608
        "WHERE check_no IS NOT NULL ORDER BY source_row LIMIT 1"
    ).fetchall()
    if not found:
        return None
    source_row, i = found[0]
    check = checks[i]
    cur = con.execute(f"SELECT * FROM {table} WHERE source_row = ?", [source_row])  # noqa: S608
    row = dict(zip([d[0] for d in cur.description], cur.fetchall()[0], strict=True))
    value = row[check.column]
    shown = value if value is None or len(value) <= 60 else value[:57] + "..."
    # A reason may name other columns of the row ("{year}") beside the value.
    reason = check.reason.format(**{**row, "v": shown})
    return ImportFormatError(f"{name}: {row_word} {source_row}, column {check.column}: {reason}")


def checked(con: duckdb.DuckDBPyConnection, origin: str, name: str, checks: list[Check], key: str | None = None,
            row_word: str = "row", notes: list[str] | None = None, date_format: str = "") -> ImportResult:  # fmt: skip
    """The staged rows (`_imp_raw`) checked before anything is written: the first row that breaks a
    check, or a `key` value found twice, is raised as an ImportFormatError naming row, column and
    value; else the import's result, with the rows counted. `date_format` (how the file writes its
    dates, from pick_date_format) fills the reasons' {fmt}."""
    checks = [Check(c.column, c.bad, c.reason.replace("{fmt}", date_format)) for c in checks]
    err = first_failure(con, "_imp_raw", checks, name, row_word)
    if err is None and key is not None:
        err = repeated_key(con, "_imp_raw", key, name, row_word)
    if err:
        raise err
    rows = con.execute("SELECT count(*) FROM _imp_raw").fetchall()[0][0]
    return ImportResult(origin, name, rows=rows, notes=list(notes or []))


def repeated_key(con: duckdb.DuckDBPyConnection, table: str, column: str, name: str,
                 row_word: str = "row") -> ImportFormatError | None:  # fmt: skip
    dup = con.execute(
        f'SELECT "{column}" FROM {table} GROUP BY 1 HAVING count(*) > 1 LIMIT 1'  # noqa: S608 - fixed names
    ).fetchall()
    if not dup:
        return None
    dup = dup[0]
    ((first, again),) = con.execute(
        f'SELECT min(source_row), (SELECT min(source_row) FROM {table} t WHERE "{column}" = ? '  # noqa: S608
        f'AND source_row > (SELECT min(source_row) FROM {table} WHERE "{column}" = ?)) FROM {table} WHERE "{column}" = ?',
        [dup[0], dup[0], dup[0]],
    ).fetchall()
    return ImportFormatError(
        f"{name}: {row_word} {again}, column {column}: {dup[0]!r} repeats the id of {row_word} {first}"
    )


# A header field that names no column: the index pandas writes (",a,b" or "Unnamed: 0") and the
# empty columns a spreadsheet leaves after the last one.
_BLANK_FIELD = r"(unnamed: ?\d+|index|level_0)?"


def is_blank_field(field: str) -> bool:
    import re

    return re.fullmatch(_BLANK_FIELD, field.strip().lower()) is not None


def csv_source(path: Path, fields: list[str], delim: str, quoted: bool = True, header: bool = True) -> str:
    """read_csv of every column as text under positional names c0, c1, ...: a header with blank,
    repeated or odd names (a pandas index column, a spreadsheet's trailing empties) cannot break
    the read, and the caller maps its own names to positions."""
    spec = "{" + ", ".join(f"'c{i}': 'VARCHAR'" for i in range(len(fields))) + "}"
    quote = "quote='\"', escape='\"'" if quoted else "quote='', escape=''"
    return (f"read_csv({sql_literal(str(path))}, header={'true' if header else 'false'}, auto_detect=false, "
            f"delim={sql_literal(delim)}, {quote}, columns={spec})")  # fmt: skip


def numbered(name: str, select_sql: str, first_row: int) -> str:
    """SQL that stores `select_sql`'s rows in the temp table <name>_rows and makes the view <name>
    over it with source_row first: the file row of each, counted from `first_row`. A fresh table's
    rowid numbers its rows in the order they were read, which costs nothing; row_number() OVER ()
    held a million rows in one ordered window (2-3 s of a 1M-row import)."""
    view = f"SELECT rowid + {int(first_row)} AS source_row, * FROM {name}_rows"  # noqa: S608 - our names
    return f"CREATE OR REPLACE TEMP TABLE {name}_rows AS {select_sql}; CREATE OR REPLACE TEMP VIEW {name} AS {view}"


def load_csv(con: duckdb.DuckDBPyConnection, path: Path, fields: list[str], delim: str, name: str,
             create_sql, expected: str) -> str | None:  # fmt: skip
    """Run `create_sql(source)` over the file read by csv_source. A file that is not UTF-8 is read
    again as Windows-1252 (a spreadsheet's "CSV" on Windows; DuckDB's own Latin-1 refuses its
    curly quotes and dashes), through a UTF-8 copy; returns a note saying so, else None. A
    malformed row is an ImportFormatError naming it; any other failure one naming what was expected."""
    source = csv_source(path, fields, delim)
    try:
        con.execute(create_sql(source))
        return None
    except duckdb.InvalidInputException as exc:
        if "utf-8" not in str(exc).lower() and "unicode" not in str(exc).lower():
            raise csv_error(con, source, name, fields=fields) from None
    except duckdb.Error as exc:
        raise ImportFormatError(f"{name}: cannot be read as {expected} ({_first_line(str(exc))})") from None
    import tempfile

    fd, tmp = tempfile.mkstemp(suffix=".csv", prefix="import-utf8-")
    try:
        with open(path, encoding="cp1252", errors="replace", newline="") as src, \
                os.fdopen(fd, "w", encoding="utf-8", newline="") as dst:  # fmt: skip
            while chunk := src.read(1 << 20):
                dst.write(chunk)
        copy = csv_source(Path(tmp), fields, delim)
        try:
            con.execute(create_sql(copy))
        except duckdb.InvalidInputException:
            raise csv_error(con, copy, name, fields=fields) from None
        except duckdb.Error as exc:
            raise ImportFormatError(
                f"{name}: cannot be read as {expected} ({_first_line(str(exc))})"
            ) from None
    finally:
        os.unlink(tmp)
    return "the file is not UTF-8; it was read as Windows-1252 (a spreadsheet's CSV on Windows)"


def load_mapped_csv(con: duckdb.DuckDBPyConnection, path: Path, fields: list[str], delim: str, name: str,
                    table: str, picked: str, used: set[int], expected: str) -> str | None:  # fmt: skip
    """A file with a header row into the numbered view `table` (source_row 2 for the first row
    under the header): the `picked` columns (SQL over the positional c0, c1, ...) and extra_fields,
    the columns at positions not in `used`. Returns load_csv's note on the encoding, else None."""
    return load_csv(
        con,
        path,
        fields,
        delim,
        name,
        lambda source: numbered(
            table,
            f"SELECT {picked}, {extra_fields_sql(fields, used)} AS extra_fields FROM {source}",  # noqa: S608 - positional column names, the path quoted
            first_row=2,
        ),
        expected,
    )


def extra_fields_sql(fields: list[str], used: set[int]) -> str:
    """A JSON object of the columns at positions not in `used` (and not blank), keyed by their header:
    what a layout carries beyond the columns we map, kept in import_details.extra_fields."""
    pairs = [f"{sql_literal(f.strip())}, nullif(trim(c{i}), '')" for i, f in enumerate(fields)
             if i not in used and not is_blank_field(f)]  # fmt: skip
    if not pairs:
        return "NULL::VARCHAR"
    return f"json_object({', '.join(pairs)})::VARCHAR"


# ---------------------------------------------------------------------------------------------
# Dates: one format per file, decided from the whole column

# (strptime format, how the message names it). Order breaks ties: ACLED's own formats first, then
# a spreadsheet's; month-first slashes before day-first, as a US-locale spreadsheet writes them,
# when no day in the file is above 12 to tell them apart.
DATE_FORMATS = [
    ("%Y-%m-%d", "YYYY-MM-DD"), ("%d %B %Y", "15 April 2022"), ("%d %b %Y", "15 Apr 2022"),
    ("%d-%B-%Y", "15-April-2022"), ("%d-%b-%Y", "15-Apr-2022"), ("%d-%b-%y", "15-Apr-22"),
    ("%d %b %y", "15 Apr 22"), ("%B %d, %Y", "April 15, 2022"), ("%b %d, %Y", "Apr 15, 2022"),
    ("%m/%d/%Y", "4/15/2022"), ("%d/%m/%Y", "15/04/2022"), ("%m/%d/%y", "4/15/22"), ("%d/%m/%y", "15/04/22"),
    ("%d.%m.%Y", "15.04.2022"), ("%Y/%m/%d", "2022/04/15"), ("%Y%m%d", "20220415"),
    ("%Y-%m-%d %H:%M:%S", "2022-04-15 00:00:00"), ("%Y-%m-%dT%H:%M:%S", "2022-04-15T00:00:00"),
    ("%m/%d/%Y %H:%M", "4/15/2022 0:00"), ("%d/%m/%Y %H:%M", "15/04/2022 0:00"),
]  # fmt: skip
EXCEL_SERIAL = (
    "excel"  # days since 1899-12-30, what a spreadsheet leaves when a date cell is saved as a number
)
# Years outside this range are a misread (a two-digit year read by %Y as the year 20).
PLAUSIBLE_YEARS = (1900, 2100)


def date_sql(fmt: str, col: str) -> str:
    """The SQL expression reading text column `col` as a DATE in `fmt` (null when it does not parse)."""
    if fmt == EXCEL_SERIAL:
        return (f"CASE WHEN regexp_full_match({col}, '[0-9]{{4,5}}(\\.0+)?') "
                f"THEN DATE '1899-12-30' + TRY_CAST(TRY_CAST({col} AS DOUBLE) AS INTEGER) END")  # fmt: skip
    return f"try_strptime({col}, {sql_literal(fmt)})::DATE"


def pick_date_format(con: duckdb.DuckDBPyConnection, table: str, col: str,
                     year_col: str | None = None) -> tuple[str, str]:  # fmt: skip
    """(format, its description) that reads the most of the column's distinct values as dates
    with a plausible year, ties going to the one agreeing most with the file's year column, then
    to the list's order. One format per file: '9-May-20' and '30-Apr-20' are read alike."""
    lo, hi = PLAUSIBLE_YEARS
    candidates = [*DATE_FORMATS, (EXCEL_SERIAL, "a spreadsheet's day number")]
    year = f"TRY_CAST({year_col} AS INTEGER)" if year_col else "NULL::INTEGER"
    scores = []
    for i, (fmt, _) in enumerate(candidates):
        d = date_sql(fmt, "v")
        scores.append(f"count(*) FILTER (WHERE year({d}) BETWEEN {lo} AND {hi}) AS n{i}, "
                      f"count(*) FILTER (WHERE year({d}) = y) AS y{i}")  # fmt: skip
    row = con.execute(
        f"SELECT {', '.join(scores)} FROM (SELECT DISTINCT {col} AS v, {year} AS y FROM {table} "  # noqa: S608
        f"WHERE {col} IS NOT NULL)"
    ).fetchall()[0]
    best = max(range(len(candidates)), key=lambda i: (row[2 * i], row[2 * i + 1], -i))
    return candidates[best]


# ---------------------------------------------------------------------------------------------
# Places: a row's coordinates and admin names decide which place it is

MATCH_KM = 50.0  # a vocabulary place of the row's name farther than this is a namesake
NEAREST_KM = 75.0  # the nearest vocabulary place within this gives a theatre to an unknown place
REGION_KM = 100.0  # a region stands for a row naming no place only if drawn this near its coordinates
# The point kinds a name may match; regions and countries come from the admin and country fields.
POINT_KINDS = ("city", "town", "village", "site", "front", "sea", "river")


def km_sql(lat1: str, lon1: str, lat2: str, lon2: str) -> str:
    """Great-circle distance in km (haversine)."""
    return (f"(2 * 6371.0 * asin(sqrt(pow(sin(radians({lat2} - {lat1}) / 2), 2) + cos(radians({lat1})) "
            f"* cos(radians({lat2})) * pow(sin(radians({lon2} - {lon1}) / 2), 2))))")  # fmt: skip


def _region_keys(expr: str) -> str:
    return (
        f"(lower(trim({expr})), lower(trim({expr})) || ' oblast', "
        f"regexp_replace(lower(trim({expr})), '\\s+(oblast|region|province|krai|kray)$', ''))"
    )


def resolve_places(con: duckdb.DuckDBPyConnection) -> None:
    """_imp_geo (source_row, name, own_name, admin_name, country_place, region, lat, lon, point) -> _imp_placed
    (source_row, location, theatre, place, region). `name` is matched against the vocabulary, `own_name`
    stored when nothing matches; `region` may be null, then the admin name gives it; `point` is false
    where the coordinates are an area's centre (GDELT's country- and state-level events), which the
    nearest town must not give a theatre.

    A name matches a vocabulary place (its names and aliases, namesakes all tried) only when that
    place is within MATCH_KM of the row's coordinates, in the row's country and region where the
    row gives them; without coordinates, country and region must agree. Otherwise the row keeps its
    own name (with its region added when the vocabulary uses that name for another place, so "New
    York" in Donetsk oblast is not counted as New York) and takes the theatre of its region, else
    of the nearest vocabulary place within NEAREST_KM in its country, else of its country; a row
    in a country the vocabulary does not know is International."""
    point_kinds = ", ".join(sql_literal(k) for k in POINT_KINDS)
    con.execute("""
        CREATE OR REPLACE TEMP TABLE _imp_geo_keys AS
        SELECT DISTINCT name, own_name, admin_name, country_place, region AS given_region, region, lat, lon, point
        FROM _imp_geo
    """)
    # Every region an admin name may stand for ("Kyiv" is the oblast in ACLED's Ukraine, "Moscow"
    # the federal city): a place in any of them is in the row's region.
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE _imp_geo_admin AS
        SELECT a.admin_name, p.name AS region, p.country,
               min((n.key <> lower(trim(a.admin_name)))::INTEGER * 10 + n.pri) AS rank
        FROM (SELECT DISTINCT admin_name FROM _imp_geo_keys WHERE admin_name IS NOT NULL) a
        JOIN _imp_place_names n ON n.key IN {_region_keys("a.admin_name")}
        JOIN places p ON p.name = n.place AND (p.kind IN ('oblast', 'region') OR p.name = p.admin1)
        GROUP BY ALL
    """)  # noqa: S608 - fixed expressions
    # A row's region, when the format did not give it: the admin name as written first.
    con.execute("""
        UPDATE _imp_geo_keys k SET region = (
            SELECT arg_min(a.region, (a.rank, a.region)) FROM _imp_geo_admin a
            WHERE a.admin_name = k.admin_name AND (k.country_place IS NULL OR a.country = k.country_place))
        WHERE k.region IS NULL AND k.admin_name IS NOT NULL
    """)
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE _imp_geo_match AS
        SELECT k.name, k.admin_name, k.country_place, k.region, k.lat, k.lon,
               arg_min(p.name, (coalesce({km_sql("k.lat", "k.lon", "p.lat", "p.lon")}, 0), n.pri)) AS place
        FROM _imp_geo_keys k
        JOIN _imp_place_names n ON n.key = lower(trim(k.name))
        JOIN places p ON p.name = n.place
        WHERE p.kind IN ({point_kinds})
          AND (k.country_place IS NULL OR p.country IS NULL OR p.country = k.country_place)
          AND CASE WHEN p.admin1 IS NULL THEN true
                   WHEN k.given_region IS NOT NULL THEN p.admin1 = k.given_region
                   WHEN EXISTS (SELECT 1 FROM _imp_geo_admin a WHERE a.admin_name = k.admin_name)
                        THEN EXISTS (SELECT 1 FROM _imp_geo_admin a WHERE a.admin_name = k.admin_name
                                     AND a.region = p.admin1)
                   ELSE true END  -- an admin name the vocabulary does not know: the distance decides
          AND CASE WHEN k.lat IS NULL OR k.lon IS NULL
                   THEN k.country_place IS NOT NULL OR k.region IS NOT NULL
                   ELSE p.lat IS NOT NULL AND {km_sql("k.lat", "k.lon", "p.lat", "p.lon")} <= {MATCH_KM} END
        GROUP BY ALL
    """)  # noqa: S608 - fixed expressions
    # The nearest place with a theatre, per distinct point: a band join first (about NEAREST_KM
    # in latitude, wider in longitude towards the pole), then the exact distance.
    band = NEAREST_KM / 111.0
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE _imp_geo_near AS
        SELECT k.lat, k.lon, k.country_place,
               arg_min(p.theatre, {km_sql("k.lat", "k.lon", "p.lat", "p.lon")}) AS theatre
        FROM (SELECT DISTINCT lat, lon, country_place FROM _imp_geo_keys k
              WHERE lat IS NOT NULL AND lon IS NOT NULL AND point AND region IS NULL  -- nothing else places it
                AND NOT EXISTS (SELECT 1 FROM _imp_geo_match m WHERE m.name = k.name AND m.lat = k.lat
                                AND m.lon = k.lon AND m.country_place IS NOT DISTINCT FROM k.country_place)) k
        JOIN places p ON p.lat BETWEEN k.lat - {band} AND k.lat + {band}
                     AND p.lon BETWEEN k.lon - {band} / greatest(cos(radians(least(abs(k.lat), 80))), 0.2)
                                   AND k.lon + {band} / greatest(cos(radians(least(abs(k.lat), 80))), 0.2)
        WHERE p.theatre IS NOT NULL AND p.kind IN ('city', 'town', 'village', 'site', 'oblast', 'region')
          AND (k.country_place IS NULL OR p.country = k.country_place)
          AND {km_sql("k.lat", "k.lon", "p.lat", "p.lon")} <= {NEAREST_KM}
        GROUP BY ALL
    """)  # noqa: S608 - fixed expressions
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE _imp_geo_done AS
        SELECT k.*, m.place,
               CASE WHEN m.place IS NOT NULL THEN m.place
                    -- No place name: the region (or country) stands for the event only where its
                    -- drawing point is near enough to the event's own.
                    WHEN k.name IS NULL AND k.region IS NOT NULL AND (k.lat IS NULL OR rp.lat IS NULL
                         OR {km_sql("k.lat", "k.lon", "rp.lat", "rp.lon")} <= {REGION_KM}) THEN k.region
                    WHEN k.own_name IS NULL THEN NULL
                    WHEN EXISTS (SELECT 1 FROM _imp_place_names n WHERE n.key = lower(trim(k.own_name)))
                         THEN k.own_name || ' (' || coalesce(k.admin_name, k.region, k.country_place, '?') || ')'
                    ELSE k.own_name END AS location,
               coalesce(mp.theatre, rp.theatre, nr.theatre, cp.theatre,
                        CASE WHEN k.country_place IS NULL AND nr.lat IS NULL AND rp.name IS NULL
                              AND k.lat IS NOT NULL THEN 'International' END) AS theatre
        FROM _imp_geo_keys k
        LEFT JOIN _imp_geo_match m ON m.name IS NOT DISTINCT FROM k.name AND m.admin_name IS NOT DISTINCT FROM k.admin_name
             AND m.country_place IS NOT DISTINCT FROM k.country_place AND m.region IS NOT DISTINCT FROM k.region
             AND m.lat IS NOT DISTINCT FROM k.lat AND m.lon IS NOT DISTINCT FROM k.lon
        LEFT JOIN places mp ON mp.name = m.place
        LEFT JOIN places rp ON rp.name = k.region
        LEFT JOIN _imp_geo_near nr ON nr.lat = k.lat AND nr.lon = k.lon
             AND nr.country_place IS NOT DISTINCT FROM k.country_place
        LEFT JOIN places cp ON cp.name = k.country_place
    """)  # noqa: S608 - fixed expressions
    con.execute("""
        CREATE OR REPLACE TEMP TABLE _imp_placed AS
        SELECT g.source_row, d.location, d.theatre, d.place, d.region
        FROM _imp_geo g JOIN _imp_geo_done d
          ON d.name IS NOT DISTINCT FROM g.name AND d.own_name IS NOT DISTINCT FROM g.own_name
         AND d.admin_name IS NOT DISTINCT FROM g.admin_name AND d.country_place IS NOT DISTINCT FROM g.country_place
         AND d.given_region IS NOT DISTINCT FROM g.region AND d.lat IS NOT DISTINCT FROM g.lat
         AND d.lon IS NOT DISTINCT FROM g.lon AND d.point IS NOT DISTINCT FROM g.point
    """)


# ---------------------------------------------------------------------------------------------
# Writing


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    return [r[0] for r in con.execute(f"DESCRIBE {table}").fetchall()]  # noqa: S608 - fixed names


def write_staged(
    con: duckdb.DuckDBPyConnection,
    origin: str,
    file_name: str,
    result: ImportResult,
    removal_sql: str | None = None,
    removal_params: list | None = None,
) -> ImportResult:
    """Store _imp_rows and its links in one transaction: new records added, changed ones (another
    version) replaced with their links, the ones `removal_sql` selects deleted. All or nothing.
    When the dataset is in the database already (rows may be replaced) a backup is made first."""
    staged = set(_columns(con, "_imp_rows"))
    has_sources = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE temporary AND table_name = '_imp_sources'"
    ).fetchall()[0][0]
    if con.execute("SELECT count(*) FROM import_details WHERE origin = ?", [origin]).fetchall()[0][0]:
        backup_live(con, f"before-{origin}-import")

    with writer.transaction(con, what="this import"):
        any_before = con.execute("SELECT count(*) FROM import_details WHERE origin = ?", [origin]).fetchall()[
            0
        ][0]
        if any_before:
            con.execute(
                """CREATE OR REPLACE TEMP TABLE _imp_status AS
                   SELECT r.record_id, CASE WHEN d.record_id IS NULL THEN 'added'
                                            WHEN d.version IS DISTINCT FROM r.version THEN 'updated'
                                            ELSE 'unchanged' END AS status
                   FROM _imp_rows r LEFT JOIN import_details d ON d.record_id = r.record_id AND d.origin = ?""",
                [origin],
            )
            counts = dict(con.execute("SELECT status, count(*) FROM _imp_status GROUP BY 1").fetchall())
            con.execute("CREATE OR REPLACE TEMP TABLE _imp_gone (record_id VARCHAR)")
            con.execute("INSERT INTO _imp_gone SELECT record_id FROM _imp_status WHERE status = 'updated'")
            if removal_sql:
                con.execute(f"INSERT INTO _imp_gone {removal_sql}", removal_params or [])  # noqa: S608 - module SQL
                result.removed = con.execute("SELECT count(*) FROM _imp_gone").fetchall()[0][0] - counts.get(
                    "updated", 0
                )
            _delete_records(con)
            con.execute("""CREATE OR REPLACE TEMP VIEW _imp_new AS
                           SELECT r.* FROM _imp_rows r SEMI JOIN
                           (SELECT record_id FROM _imp_status WHERE status <> 'unchanged') s USING (record_id)""")
            new_filter = "SEMI JOIN _imp_new n USING (record_id)"
        else:
            counts = {"added": con.execute("SELECT count(*) FROM _imp_rows").fetchall()[0][0]}
            con.execute("CREATE OR REPLACE TEMP VIEW _imp_new AS SELECT * FROM _imp_rows")
            new_filter = ""
        result.added, result.updated = counts.get("added", 0), counts.get("updated", 0)
        result.unchanged = counts.get("unchanged", 0)
        _insert_new(con, origin, file_name, staged, new_filter, bool(has_sources), result)
    return result


def _delete_records(con: duckdb.DuckDBPyConnection) -> None:
    writer.delete_records(con, "_imp_gone")


def _insert_new(con, origin: str, file_name: str, staged: set[str], new_filter: str, has_sources: bool,
                result: ImportResult) -> None:  # fmt: skip
    con.execute(
        """INSERT INTO documents (doc_id, content_hash, name, title, published, published_precision,
                                  published_basis, source, url, origin, text, n_sentences, extractor_version,
                                  outlet, outlet_basis)
           SELECT left(content_hash, 16), content_hash, external_id, title, published, published_precision,
                  'dataset', source, url, ?, text, 1, NULL,
                  -- The dataset's own source field names the outlets behind the row; else the url's host.
                  coalesce(nullif(trim(source), ''), nullif(regexp_replace(regexp_extract(url, '^[a-z]+://([^/:]+)', 1), '^www[.]', ''), '')),
                  CASE WHEN nullif(trim(source), '') IS NOT NULL THEN 'dataset'
                       WHEN nullif(regexp_extract(url, '^[a-z]+://([^/:]+)', 1), '') IS NOT NULL THEN 'url host' END
           FROM _imp_new""",
        [origin],
    )
    con.execute("""INSERT INTO sentences (doc_id, sentence_no, start_char, end_char, text)
                   SELECT left(content_hash, 16), 0, 0, length(text), text FROM _imp_new""")
    # Actors: the ones a format could not name itself are looked up once per distinct name.
    con.execute(f"""CREATE OR REPLACE TEMP TABLE _imp_actor_names AS
                    SELECT m.mention, l.actor FROM (SELECT DISTINCT mention FROM _imp_actors
                                                    WHERE actor IS NULL AND mention IS NOT NULL) m
                    LEFT JOIN _imp_actor_lookup l ON l.key = {norm_sql("m.mention")}""")  # noqa: S608
    con.execute(f"""CREATE OR REPLACE TEMP TABLE _imp_resolved AS
                    SELECT a.record_id, a.position, a.role, a.mention, coalesce(a.actor, n.actor) AS actor
                    FROM _imp_actors a {new_filter} LEFT JOIN _imp_actor_names n USING (mention)""")  # noqa: S608
    # Kind columns a format fills only for some kinds (donor, speaker...): the acting sides of
    # the record's first actor and target when the format did not set them.
    side = {
        col: (
            col
            if col in staged
            else f"(SELECT a.side FROM _imp_sides a WHERE a.record_id = r.record_id AND a.role = '{role}')"  # noqa: S608 - fixed names, quoted values
        )  # noqa: S608
        for col, role in (("donor", "donor"), ("recipient", "recipient"), ("speaker", "speaker"))
    }
    con.execute("""CREATE OR REPLACE TEMP TABLE _imp_sides AS
                   SELECT r.record_id, r.role, first(a.represents ORDER BY r.position) AS side
                   FROM _imp_resolved r JOIN actors a ON a.name = r.actor
                   WHERE r.role IN ('donor', 'recipient', 'speaker') GROUP BY ALL""")
    fat = "fatalities" if "fatalities" in staged else "NULL"
    common = "record_id, left(content_hash, 16), 0, 0, length(text)"
    # The dataset's rows are its own assertions: confidence 1, factuality asserted (the two
    # values are bound parameters, after origin).
    dated = "location, theatre, date, date_precision, 'dataset', NULL, NULL, false, NULL, ?, ?, ?"
    inserts = {
        "event": f"""INSERT INTO events (record_id, doc_id, sentence_no, start_char, end_char, event_type,
                     sub_event_type, location, theatre, date, date_precision, date_basis, span_start, span_end,
                     unverified, cue, origin, confidence, factuality, fatalities, lat, lon)
                     SELECT {common}, type, subtype, {dated}, {fat}, lat, lon FROM _imp_new r WHERE kind = 'event'""",  # noqa: S608 - fixed column lists
        "aid": f"""INSERT INTO aid_figures (record_id, doc_id, sentence_no, start_char, end_char, record_type,
                   donor, recipient, amount, currency, aid_type, approximate, materiel, location, theatre, date,
                   date_precision, date_basis, span_start, span_end, unverified, cue, origin, confidence, factuality)
                   SELECT {common}, type, {side["donor"]}, {side["recipient"]}, NULL, NULL, subtype, false, NULL,
                          {dated} FROM _imp_new r WHERE kind = 'aid'""",  # noqa: S608 - fixed column lists
        "diplomacy": f"""INSERT INTO diplomatic_items (record_id, doc_id, sentence_no, start_char, end_char,
                         item_type, status, location, theatre, date, date_precision, date_basis, span_start,
                         span_end, unverified, cue, origin, confidence, factuality)
                         SELECT {common}, type, subtype, {dated} FROM _imp_new r WHERE kind = 'diplomacy'""",  # noqa: S608 - fixed column lists
        "statement": f"""INSERT INTO statements (record_id, doc_id, sentence_no, start_char, end_char, speaker,
                         stance, location, theatre, date, date_precision, date_basis, span_start, span_end,
                         unverified, cue, origin, confidence, factuality)
                         SELECT {common}, {side["speaker"]}, type, {dated} FROM _imp_new r WHERE kind = 'statement'""",  # noqa: S608 - fixed column lists
    }
    kinds = [k for (k,) in con.execute("SELECT DISTINCT kind FROM _imp_new").fetchall()]
    for kind in kinds:
        con.execute(inserts[kind], [origin, IMPORTED_CONFIDENCE, IMPORTED_FACTUALITY])
    con.execute("""INSERT INTO record_actors (record_id, position, actor, side, role, mention)
                   SELECT r.record_id, r.position, r.actor, a.represents, r.role, r.mention
                   FROM _imp_resolved r JOIN actors a ON a.name = r.actor""")
    con.execute(f"""INSERT INTO record_themes (record_id, theme)
                    SELECT DISTINCT t.record_id, t.theme FROM _imp_themes t {new_filter}
                    JOIN themes th ON th.name = t.theme""")  # noqa: S608
    if has_sources:
        con.execute(f"""CREATE OR REPLACE TEMP TABLE _imp_source_names AS
                        SELECT m.mention, l.actor FROM (SELECT DISTINCT mention FROM _imp_sources) m
                        JOIN _imp_actor_lookup l ON l.key = {norm_sql("m.mention")}""")  # noqa: S608
        con.execute(f"""INSERT INTO record_sources (record_id, actor, stance)
                        SELECT DISTINCT s.record_id, n.actor, 'reports' FROM _imp_sources s {new_filter}
                        JOIN _imp_source_names n USING (mention)""")  # noqa: S608
    # The filters' and aggregates' table, for the records just written (replaced ones left it in delete_records).
    writer.sync_record_facts(con, "SELECT record_id FROM _imp_new")
    writer.wrote(
        con, "SELECT left(content_hash, 16) FROM _imp_new"
    )  # their keys are checked before the commit
    detail_cols = [c for c in _columns(con, "import_details")
                   if c in staged and c not in ("record_id", "origin", "external_id", "version", "import_file",
                                                "source_row")]  # fmt: skip
    extra = "".join(f", {c}" for c in detail_cols)
    con.execute(
        f"""INSERT INTO import_details (record_id, origin, external_id, version, import_file, source_row{extra})
            SELECT record_id, ?, external_id, version, ?, source_row{extra} FROM _imp_new""",  # noqa: S608
        [origin, file_name],
    )
    unmatched = con.execute(
        "SELECT mention, count(*) AS n FROM _imp_resolved WHERE actor IS NULL GROUP BY 1 ORDER BY n DESC, 1 LIMIT 6"
    ).fetchall()
    if unmatched:
        total = con.execute(
            "SELECT count(DISTINCT mention) FROM _imp_resolved WHERE actor IS NULL"
        ).fetchall()[0][0]
        shown = "; ".join(f"{m} ({n})" for m, n in unmatched[:5])
        result.notes.append(
            f"{total} actor name(s) not in the vocabulary, kept only as the dataset's text "
            f"(add them to {MAPPINGS_FILE} to link them): {shown}"
        )


def drop_temp(con: duckdb.DuckDBPyConnection) -> None:
    """Drop the staging tables and views of an import (they live only in this connection)."""
    try:
        rows = con.execute(
            "SELECT table_name, 'TABLE' FROM duckdb_tables() WHERE temporary AND table_name LIKE '\\_imp\\_%' ESCAPE '\\' "
            "UNION ALL SELECT view_name, 'VIEW' FROM duckdb_views() WHERE temporary AND view_name LIKE '\\_imp\\_%' ESCAPE '\\'"
        ).fetchall()
        for name, kind in rows:
            con.execute(f'DROP {kind} IF EXISTS "{name}"')
    except duckdb.Error:
        pass
