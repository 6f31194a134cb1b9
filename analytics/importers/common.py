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

from analytics.store import writer
from analytics.store.files import backup_live
from analytics.store.writer import IMPORTED_CONFIDENCE, IMPORTED_FACTUALITY, KIND_TABLES, LINK_TABLES
from analytics.vocab import DATA_DIR

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
_NORM = r"lower(trim(regexp_replace(regexp_replace({x}, '\s*\(\d{{4}}-\d{{0,4}}\)', '', 'g'), '\s+', ' ', 'g')))"


def norm_sql(expr: str) -> str:
    return _NORM.format(x=expr)


class ImportFormatError(ValueError):
    """The file is not in the format asked for, or a row is malformed; the message names the row and column."""


@dataclass
class ImportResult:
    origin: str
    file: str
    rows: int = 0            # data rows read from the file
    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    skipped: int = 0         # rows read but not imported (GDELT codes outside the mapped kinds)
    notes: list[str] = field(default_factory=list)

    @property
    def summary(self) -> str:
        line = f"{self.added} added, {self.updated} updated, {self.removed} removed, {self.unchanged} unchanged"
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


# ---------------------------------------------------------------------------------------------
# Mapping data

def mappings_path() -> Path:
    """import_mappings.yaml from DASHBOARD_VOCAB_DIR when it has one, else the packaged file."""
    override = os.environ.get("DASHBOARD_VOCAB_DIR")
    if override and (Path(override) / MAPPINGS_FILE).exists():
        return Path(override) / MAPPINGS_FILE
    return DATA_DIR / MAPPINGS_FILE


def load_mappings(path: Path | None = None) -> dict:
    path = path or mappings_path()
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ImportFormatError(f"{path}: cannot read the import mappings ({exc})") from exc
    if not isinstance(doc, dict):
        raise ImportFormatError(f"{path}: expected a mapping at the top level")
    return doc


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
            SELECT {norm_sql('name')} AS key, actor, 0 AS pri FROM _imp_actor_map
            UNION ALL SELECT {norm_sql('alias')}, actor, 1 FROM actor_aliases
        )
        SELECT key, first(actor ORDER BY pri, actor) AS actor FROM m GROUP BY key
    """)  # noqa: S608 - fixed expressions
    places = {str(k): str(v) for k, v in (mappings.get("places") or {}).items()}
    register_table(con, "_imp_place_map", {"name": list(places), "place": list(places.values())})
    con.execute("""
        CREATE OR REPLACE TEMP TABLE _imp_place_lookup AS
        WITH m AS (
            SELECT lower(trim(name)) AS key, place, 0 AS pri FROM _imp_place_map
            UNION ALL SELECT lower(name), name, 1 FROM places
            UNION ALL SELECT lower(alias), place, 2 FROM place_aliases
        )
        SELECT key, first(place ORDER BY pri, place) AS place FROM m GROUP BY key
    """)
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
        raise ImportFormatError(f"{name}: this is not a text file (a spreadsheet or archive?); export it as CSV")
    text = head.decode("utf-8-sig", errors="replace")
    first = text.splitlines()[0] if text.splitlines() else ""
    delim = "\t" if first.count("\t") > first.count(",") else ","
    import csv

    fields = next(csv.reader([first], delimiter=delim), [])
    return [f.strip() for f in fields], delim


def csv_error(con: duckdb.DuckDBPyConnection, source_sql: str, name: str, row_word: str = "row") -> ImportFormatError:
    """A read that failed, read again keeping the rejected rows, to name the first bad row and column."""
    try:
        con.execute("DROP TABLE IF EXISTS _imp_rejects; DROP TABLE IF EXISTS _imp_reject_scans")
        rejecting = source_sql.rstrip(")") + ", store_rejects=true, rejects_table='_imp_rejects', " \
            "rejects_scan='_imp_reject_scans')"
        # Every column read (a count(*) would skip parsing them and find nothing).
        con.execute(f"CREATE OR REPLACE TEMP TABLE _imp_scratch AS SELECT * FROM {rejecting}")  # noqa: S608
        row = con.execute(
            "SELECT line, column_name, error_type, error_message, csv_line FROM _imp_rejects ORDER BY line LIMIT 1"
        ).fetchall()
    except duckdb.Error as exc:
        return ImportFormatError(f"{name}: cannot be read as CSV ({_first_line(str(exc))})")
    finally:
        con.execute("DROP TABLE IF EXISTS _imp_rejects; DROP TABLE IF EXISTS _imp_reject_scans; "
                    "DROP TABLE IF EXISTS _imp_scratch")
    if not row:
        return ImportFormatError(f"{name}: cannot be read as CSV")
    line, column, error_type, message, raw = row[0]
    where = f"{row_word} {line}" + (f", column {column}" if column else "")
    if error_type in ("TOO MANY COLUMNS", "MISSING COLUMNS"):
        detail = message.replace("Expected Number of Columns:", "expected").replace(" Found:", " columns, found")
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
    value = con.execute(f'SELECT "{check.column}" FROM {table} WHERE source_row = ?', [source_row]).fetchall()[0][0]  # noqa: S608
    shown = value if value is None or len(value) <= 60 else value[:57] + "..."
    return ImportFormatError(f"{name}: {row_word} {source_row}, column {check.column}: {check.reason.format(v=shown)}")


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
        any_before = con.execute("SELECT count(*) FROM import_details WHERE origin = ?", [origin]).fetchall()[0][0]
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
                result.removed = con.execute("SELECT count(*) FROM _imp_gone").fetchall()[0][0] - counts.get("updated", 0)
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
                                  published_basis, source, url, origin, text, n_sentences, extractor_version)
           SELECT left(content_hash, 16), content_hash, external_id, title, published, published_precision,
                  'dataset', source, url, ?, text, 1, NULL FROM _imp_new""",
        [origin],
    )
    con.execute("""INSERT INTO sentences (doc_id, sentence_no, start_char, end_char, text)
                   SELECT left(content_hash, 16), 0, 0, length(text), text FROM _imp_new""")
    # Actors: the ones a format could not name itself are looked up once per distinct name.
    con.execute(f"""CREATE OR REPLACE TEMP TABLE _imp_actor_names AS
                    SELECT m.mention, l.actor FROM (SELECT DISTINCT mention FROM _imp_actors
                                                    WHERE actor IS NULL AND mention IS NOT NULL) m
                    LEFT JOIN _imp_actor_lookup l ON l.key = {norm_sql('m.mention')}""")  # noqa: S608
    con.execute(f"""CREATE OR REPLACE TEMP TABLE _imp_resolved AS
                    SELECT a.record_id, a.position, a.role, a.mention, coalesce(a.actor, n.actor) AS actor
                    FROM _imp_actors a {new_filter} LEFT JOIN _imp_actor_names n USING (mention)""")  # noqa: S608
    # Kind columns a format fills only for some kinds (donor, speaker...): the acting sides of
    # the record's first actor and target when the format did not set them.
    side = {
        col: (col if col in staged else f"(SELECT a.side FROM _imp_sides a WHERE a.record_id = r.record_id AND a.role = '{role}')")  # noqa: S608
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
                   SELECT {common}, type, {side['donor']}, {side['recipient']}, NULL, NULL, subtype, false, NULL,
                          {dated} FROM _imp_new r WHERE kind = 'aid'""",  # noqa: S608 - fixed column lists
        "diplomacy": f"""INSERT INTO diplomatic_items (record_id, doc_id, sentence_no, start_char, end_char,
                         item_type, status, location, theatre, date, date_precision, date_basis, span_start,
                         span_end, unverified, cue, origin, confidence, factuality)
                         SELECT {common}, type, subtype, {dated} FROM _imp_new r WHERE kind = 'diplomacy'""",  # noqa: S608 - fixed column lists
        "statement": f"""INSERT INTO statements (record_id, doc_id, sentence_no, start_char, end_char, speaker,
                         stance, location, theatre, date, date_precision, date_basis, span_start, span_end,
                         unverified, cue, origin, confidence, factuality)
                         SELECT {common}, {side['speaker']}, type, {dated} FROM _imp_new r WHERE kind = 'statement'""",  # noqa: S608 - fixed column lists
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
                        JOIN _imp_actor_lookup l ON l.key = {norm_sql('m.mention')}""")  # noqa: S608
        con.execute(f"""INSERT INTO record_sources (record_id, actor, stance)
                        SELECT DISTINCT s.record_id, n.actor, 'reports' FROM _imp_sources s {new_filter}
                        JOIN _imp_source_names n USING (mention)""")  # noqa: S608
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
        total = con.execute("SELECT count(DISTINCT mention) FROM _imp_resolved WHERE actor IS NULL").fetchall()[0][0]
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

