"""Benchmark: importing N rows of a dataset export (synthetic ACLED, or a real Eyes-on-Russia or GDELT export repeated) against DuckDB's own read_csv of the same file.

    python -m bench.import_acled [--rows 1000000] [--file /tmp/acled-1m.csv]
    python -m bench.import_acled --format eyes-on-russia --from ../shared/data/eyes-on-russia-events-2022.csv
    python -m bench.import_acled --format gdelt --from ../shared/data/gdelt2-20190121220000.export.CSV

With --from, the file is a real export repeated to N rows, each copy with its own ids (`replicate`):
the other formats' rows as the sources wrote them, at the size issue 13 asks about.

Writes a synthetic ACLED export (31 columns, realistic actors, places and notes) when the file is
missing, then times, each on a fresh database file: SELECT count(*) FROM read_csv(...),
CREATE TABLE AS SELECT * FROM read_csv(...), and `python -m analytics import acled` (the
importer's whole path: vocabulary sync, checks, documents, sentences, events, links, details).
The target is the import within 2x of the CREATE TABLE AS.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import duckdb

ACTORS = ["Military Forces of Russia (2000-)", "Military Forces of Ukraine (2019-)", "Wagner Group",
          "Military Forces of Russia (2000-) Air Force", "Civilians (Ukraine)", "Protesters (Russia)"]  # fmt: skip
PLACES = [("Ukraine", "Kharkiv", "Kharkiv", 49.99, 36.23), ("Ukraine", "Donetsk", "Bakhmut", 48.59, 38.0),
          ("Ukraine", "Kherson", "Kherson", 46.63, 32.61), ("Ukraine", "Zaporizhia", "Orikhiv", 47.56, 35.78),
          ("Russia", "Belgorod", "Shebekino", 50.4, 36.9), ("Ukraine", "Kyiv City", "Kyiv", 50.45, 30.52),
          ("Ukraine", "Donetsk", "Avdiivka", 48.14, 37.74), ("Ukraine", "Luhansk", "Kreminna", 49.05, 38.21)]  # fmt: skip
TYPES = [("Explosions/Remote violence", "Shelling/artillery/missile attack"), ("Battles", "Armed clash"),
         ("Explosions/Remote violence", "Air/drone strike"), ("Strategic developments", "Looting/property destruction"),
         ("Protests", "Peaceful protest"), ("Violence against civilians", "Attack")]  # fmt: skip


def write_synthetic(path: Path, rows: int) -> None:
    """A synthetic ACLED export built in DuckDB SQL (a Python loop would take minutes)."""
    con = duckdb.connect()
    con.execute("CREATE TABLE a (i INTEGER, name VARCHAR)")
    con.executemany("INSERT INTO a VALUES (?, ?)", list(enumerate(ACTORS)))
    con.execute(
        "CREATE TABLE p (i INTEGER, country VARCHAR, admin1 VARCHAR, location VARCHAR, lat DOUBLE, lon DOUBLE)"
    )
    con.executemany("INSERT INTO p VALUES (?, ?, ?, ?, ?, ?)", [(i, *p) for i, p in enumerate(PLACES)])
    con.execute("CREATE TABLE t (i INTEGER, event_type VARCHAR, sub_event_type VARCHAR)")
    con.executemany("INSERT INTO t VALUES (?, ?, ?)", [(i, *t) for i, t in enumerate(TYPES)])
    con.execute(f"""
        COPY (
            SELECT CASE WHEN p.country = 'Russia' THEN 'RUS' ELSE 'UKR' END || (100000 + g.i) AS event_id_cnty,
                   strftime(DATE '2022-02-24' + (g.i % 700)::INTEGER, '%Y-%m-%d') AS event_date,
                   year(DATE '2022-02-24' + (g.i % 700)::INTEGER) AS year, 1 + g.i % 3 AS time_precision,
                   'Political violence' AS disorder_type, t.event_type, t.sub_event_type,
                   a1.name AS actor1, CASE WHEN g.i % 5 = 0 THEN 'Wagner Group' ELSE '' END AS assoc_actor_1,
                   'State forces' AS inter1, a2.name AS actor2, '' AS assoc_actor_2, 'Civilians' AS inter2,
                   'State forces-Civilians' AS interaction, '' AS civilian_targeting,
                   804 AS iso, 'Europe' AS region, p.country, p.admin1, '' AS admin2, '' AS admin3, p.location,
                   round(p.lat + (g.i % 100) / 1000.0, 4) AS latitude, round(p.lon + (g.i % 77) / 1000.0, 4) AS longitude,
                   1 + g.i % 3 AS geo_precision, 'Ukrainska Pravda; General Staff of Ukraine' AS source,
                   'National' AS source_scale,
                   'On ' || strftime(DATE '2022-02-24' + (g.i % 700)::INTEGER, '%d %B %Y') || ', ' || a1.name
                   || ' carried out ' || lower(t.sub_event_type) || ' in ' || p.location || ', ' || p.admin1
                   || ' region. Casualties: ' || (g.i % 4) || '. Reported by local authorities, event ' || g.i || '.' AS notes,
                   g.i % 4 AS fatalities, '' AS tags, 1700000000 + g.i % 1000 AS timestamp
            FROM range({rows}) g(i)
            JOIN a a1 ON a1.i = g.i % 4
            JOIN a a2 ON a2.i = 4 + g.i % 2
            JOIN p ON p.i = (g.i // 7) % {len(PLACES)}
            JOIN t ON t.i = (g.i // 3) % {len(TYPES)}
            ORDER BY g.i
        ) TO '{path}' (HEADER, DELIMITER ',')
    """)  # noqa: S608 - numbers and a path we chose
    con.close()


# How each format's export is read (GDELT's have no header), and how a copy's row gets an id of its own.
READ_OPTIONS = {"acled": "", "eyes-on-russia": "", "gdelt": ", header = false, delim = '\t'"}
REPLICA = {  # format -> (how a copy is written, the id column, the copy's id)
    "eyes-on-russia": ("HEADER true", "entry", "entry || '-' || k"),
    "gdelt": (
        "HEADER false, DELIMITER '\t'",
        "column00",
        "CAST(CAST(column00 AS BIGINT) + k * 10000000000 AS VARCHAR)",
    ),
}


def replicate(source: Path, path: Path, rows: int, fmt: str) -> None:
    """`rows` rows of a real export, copied as often as it takes, every copy's ids made its own."""
    write, id_column, new_id = REPLICA[fmt]
    src = str(source).replace("'", "''")
    con = duckdb.connect()
    con.execute(f"CREATE TABLE src AS SELECT * FROM read_csv('{src}', all_varchar = true{READ_OPTIONS[fmt]})")  # noqa: S608
    n = con.execute("SELECT count(*) FROM src").fetchone()[0]
    copies = -(-rows // n)
    con.execute(f"""COPY (SELECT src.* REPLACE ({new_id} AS {id_column})
                          FROM src, range({copies}) AS r(k) LIMIT {rows})
                    TO '{str(path).replace("'", "''")}' ({write})""")  # noqa: S608
    con.close()


def timed(label: str, fn) -> float:
    start = time.perf_counter()
    fn()
    took = time.perf_counter() - start
    print(f"{label:<58} {took:7.2f} s")
    return took


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--file", default=None, help="CSV to use or create (default /tmp/<format>-<rows>.csv)")
    ap.add_argument("--format", default="acled", choices=["acled", *REPLICA])
    ap.add_argument("--from", dest="source", type=Path, help="a real export to repeat to --rows rows")
    args = ap.parse_args(argv)
    if args.format != "acled" and not args.source:
        ap.error(f"--format {args.format} needs --from: a real export to repeat")
    m = measure(args.rows, Path(args.file) if args.file else None, fmt=args.format, source=args.source)
    print(m["message"])
    whole = m["import"] + m["derive"] + m["search"]
    print(f"import / CTAS = {m['import'] / m['ctas']:.2f}x   with the refreshes = {whole / m['ctas']:.2f}x   "
          f"import / count(*) = {m['import'] / m['count']:.2f}x")  # fmt: skip
    return 0


def measure(rows: int, path: Path | None = None, fmt: str = "acled", source: Path | None = None) -> dict:
    """Seconds for count(*) over read_csv, CREATE TABLE AS read_csv, and our import, of one file."""
    path = path or Path(tempfile.gettempdir()) / f"{fmt}-{rows}.csv"
    if not path.exists() and source is not None:
        timed(
            f"repeating {source.name} to {rows:,} rows in {path}", lambda: replicate(source, path, rows, fmt)
        )
    elif not path.exists():
        timed(f"writing {rows:,} synthetic ACLED rows to {path}", lambda: write_synthetic(path, rows))
    print(f"file: {path} ({path.stat().st_size / 1e6:.0f} MB)")

    from analytics.derive import refresh as refresh_derived
    from analytics.importers import import_file
    from analytics.search import refresh as refresh_search
    from analytics.store import connect, sync_vocabulary

    with tempfile.TemporaryDirectory() as tmp:
        quoted = str(path).replace("'", "''")
        options = READ_OPTIONS[fmt]

        def count():
            con = duckdb.connect(f"{tmp}/count.duckdb")
            con.execute(f"SELECT count(*) FROM read_csv('{quoted}'{options})").fetchall()  # noqa: S608
            con.close()

        def ctas():
            con = duckdb.connect(f"{tmp}/ctas.duckdb")
            con.execute(f"CREATE TABLE export AS SELECT * FROM read_csv('{quoted}'{options})")  # noqa: S608
            con.close()

        con = connect(f"{tmp}/import.duckdb")
        sync_vocabulary(con)  # as a real database has it already; the import checks it again

        result = {}

        def imp():
            result["r"] = import_file(con, fmt, path, refresh=False)
            con.execute("CHECKPOINT")

        def derived():
            refresh_derived(con)
            con.execute("CHECKPOINT")

        t_count = timed("SELECT count(*) FROM read_csv(file)", count)
        t_ctas = timed("CREATE TABLE AS SELECT * FROM read_csv(file)", ctas)
        t_imp = timed(f"import {fmt} (read, check, write, keys checked, commit)", imp)
        t_derive = timed("then: derived tables (incidents, ledger, contested)", derived)
        t_search = timed("then: search index (SQLite FTS5 beside the file)", lambda: refresh_search(con))
        con.close()
    return {
        "rows": rows,
        "mb": path.stat().st_size / 1e6,
        "count": t_count,
        "ctas": t_ctas,
        "import": t_imp,
        "derive": t_derive,
        "search": t_search,
        "message": result["r"].message,
    }


if __name__ == "__main__":
    raise SystemExit(main())
