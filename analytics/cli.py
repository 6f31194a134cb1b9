"""The command line: extract one article, ingest many, import datasets, export tables, rebuild, back up, restore."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from analytics import config
from analytics.corpus import ArticleError, read_document
from analytics.filters import DIMENSIONS
from analytics.import_formats import FORMATS as IMPORT_FORMATS
from analytics.kinds import KINDS

if TYPE_CHECKING:
    import duckdb


def _err(msg: str) -> int:
    print(f"error: {msg}", file=sys.stderr)
    return 2


def cmd_extract(args) -> int:
    from analytics.extract import extract

    try:
        doc = read_document(Path(args.file), published=args.published)
    except ArticleError as exc:
        return _err(str(exc))
    result = extract(doc).contract()
    json.dump(result, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return 0


def _progress_bar():
    from tqdm import tqdm

    bar = None

    def update(done: int, total: int, name: str) -> None:
        nonlocal bar
        if bar is None:
            bar = tqdm(total=total, unit="article", file=sys.stderr, disable=total < 20 or None, leave=False)
        bar.n = done
        bar.set_postfix_str(name[:40], refresh=True)
        if done >= total:
            bar.close()

    return update


def _publish(con, db, by: str) -> None:
    """A snapshot for read-only dashboards after committed writes (skipped when the newest is current).
    Its failure is a warning: what was written stays written."""
    from analytics.store import StoreError, db_path, snapshots

    try:
        snapshots.publish(con, db_path(db), by)
    except StoreError as exc:
        print(f"warning: {exc.message}", file=sys.stderr)


def _publish_file(db, by: str) -> None:
    from analytics.store import StoreError, db_path, snapshots

    try:
        snapshots.publish_from_file(db_path(db), by)
    except StoreError as exc:
        print(f"warning: {exc.message}", file=sys.stderr)


def _publishing_progress(con, db, by: str, update):
    """The progress callback, also publishing a snapshot every DASHBOARD_SNAPSHOT_EVERY seconds of a
    long ingest (it is called between articles, when no transaction is open)."""
    import time

    from analytics.store.snapshots import interval

    every, last = interval(), time.monotonic()

    def progress(done: int, total: int, name: str) -> None:
        nonlocal last
        if every > 0 and 0 < done < total and time.monotonic() - last >= every:
            _publish(con, db, by)
            last = time.monotonic()
        update(done, total, name)

    return progress


def cmd_ingest(args) -> int:
    from analytics.derive import status as derive_status
    from analytics.ingest import ingest_paths, summary
    from analytics.store import connect, db_path

    missing = [p for p in args.paths if not Path(p).exists()]
    for p in missing:
        print(f"failed: {p}: no such file or folder", file=sys.stderr)
    if args.batch_size is not None and args.batch_size < 1:
        return _err(f"--batch-size {args.batch_size}: a batch holds at least one article")
    paths = [p for p in args.paths if Path(p).exists()]
    if args.cluster:
        from analytics.cluster import ClusterError, local_workers

        try:
            local_workers(args.cluster)
        except ClusterError as exc:
            return _err(str(exc))
    con = connect(args.db)
    extra = ""
    try:
        _publish(
            con, args.db, "`ingest`, at its start"
        )  # readers beside a long ingest need something to read
        if args.cluster:
            from analytics.cluster import ClusterError
            from analytics.dataset import DatasetError

            try:
                results, extra = _ingest_on_cluster(con, paths, args)
            except (ClusterError, DatasetError) as exc:
                return _err(f"{exc} (nothing was loaded into the database)")
        else:
            results = ingest_paths(con, paths, published=args.published,
                                   progress=_publishing_progress(con, args.db, "`ingest`, under way",
                                                                 _progress_bar()))  # fmt: skip
        derived = derive_status(con)
        _publish(con, args.db, "`ingest`")
    finally:
        con.close()
    for r in results:
        if r.status == "failed":
            print(f"failed: {r.reason}", file=sys.stderr)
    print(summary(results) + extra + f"\n{derived}\ndatabase: {db_path(args.db)}")
    return 1 if missing or any(r.status == "failed" for r in results) else 0


def dataset_path(args) -> Path:
    """--dataset, else a folder beside the database: data/dashboard.duckdb -> data/dashboard.parquet/."""
    from analytics.store import db_path

    if args.dataset:
        return Path(args.dataset)
    db = db_path(args.db)
    return db.with_name(db.stem + ".parquet")


def _ingest_on_cluster(con, paths, args):
    """ingest_paths on a Dask cluster through a Parquet dataset: (results, lines for the summary)."""
    from analytics.cluster import BATCH_SIZE, client_for, ingest_on_cluster

    root = dataset_path(args)
    print(f"starting {args.cluster}" if args.cluster.startswith("local") else f"connecting to {args.cluster}",
          file=sys.stderr)  # fmt: skip
    with client_for(args.cluster) as client:
        out = ingest_on_cluster(con, paths, client, root, published=args.published, batch_size=args.batch_size or BATCH_SIZE,
                                progress=_progress_bar())  # fmt: skip
    loaded = out.loaded
    extra = (f"\ncluster: {out.workers} workers; {out.batches} batches written to {root}"
             f"\nloaded into the database: {loaded.articles} articles ({loaded.records} records) "
             f"from {loaded.batches} batches")  # fmt: skip
    return out.results, extra


def _date(s: str) -> dt.date:
    try:
        return dt.date.fromisoformat(s)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{s!r} is not a date; use YYYY-MM-DD") from None


def _filter_options(parser) -> None:
    """One option per filter dimension that declares one (analytics/filters.py)."""
    for d in DIMENSIONS:
        if not d.cli:
            continue
        flag, common = "--" + d.cli, {"dest": d.name, "help": d.cli_help}
        if not (d.kind == "choice" and d.widget == "toggle"):
            common["metavar"] = None if d.kind == "choice" or d.vocabulary == "kinds" else d.cli.upper()
        if d.kind == "many":
            parser.add_argument(
                flag, action="append", choices=KINDS if d.vocabulary == "kinds" else None, **common
            )
        elif d.kind == "date":
            parser.add_argument(flag, type=_date, **common)
        elif d.kind == "choice" and d.widget == "toggle":
            parser.add_argument(flag, action="store_const", const=d.on, default=d.default, **common)
        elif d.kind == "choice":
            parser.add_argument(flag, choices=list(d.values), default=d.default, **common)
        else:
            parser.add_argument(flag, **common)


def _filter_value(d, value):
    return tuple(value or ()) if d.kind == "many" else value


def cmd_export(args) -> int:
    from analytics.export import ExportError, export
    from analytics.filters import Filters
    from analytics.ingest import ensure_database
    from analytics.store.files import open_for_reading

    filters = Filters(**{d.name: _filter_value(d, getattr(args, d.name)) for d in DIMENSIONS if d.cli})
    out = Path(args.out) if args.out else None
    con = open_for_reading(ensure_database(args.db))
    try:
        target = out or Path(_tmp_out(args.format))
        n = export(con, args.table, filters, args.format, target)
    except ExportError as exc:
        return _err(str(exc))
    finally:
        con.close()
    if out is None:
        sys.stdout.buffer.write(target.read_bytes())
        target.unlink()
    else:
        print(f"{n} rows written to {out}", file=sys.stderr)
    return 0


def _tmp_out(fmt: str) -> str:
    import tempfile

    fd, name = tempfile.mkstemp(suffix="." + fmt)
    os.close(fd)
    return name


def cmd_import(args) -> int:
    from analytics.derive import status as derive_status
    from analytics.importers import ImportFormatError, import_file
    from analytics.store import connect, db_path

    con = connect(args.db)
    try:
        result = import_file(con, args.format, Path(args.file))
        derived = derive_status(con)
        _publish(con, args.db, "`import`")
    except ImportFormatError as exc:
        return _err(f"{exc} (nothing was imported)")
    finally:
        con.close()
    print(result.message + f"\n{derived}\ndatabase: {db_path(args.db)}")
    return 0


def cmd_rebuild(args) -> int:
    from analytics.derive import corrections, derive
    from analytics.ingest import build_from_seeds
    from analytics.store import db_path, rebuild

    # Analysts' split/join decisions outlive the file: read from the old one (when it is ours and
    # can be read) and re-applied to the new one before it is swapped in.
    saved = corrections.saved_in(db_path(args.db))
    seed = build_from_seeds(_progress_bar())

    def fill(con) -> None:
        seed(con)
        if saved:
            corrections.restore(con, saved)
            derive(con)

    path, kept = rebuild(args.db, fill, force=args.force)
    _publish_file(path, "`rebuild`")
    _index_search(path)
    print(f"rebuilt {path} from seeds/" + (f"; {len(saved)} analyst corrections re-applied" if saved else "")
          + (f"; the previous file is kept as {kept}" if kept else ""))  # fmt: skip
    return 0


def _index_search(path) -> None:
    """The search index of a file built aside is brought in step once the file is in place."""
    from analytics.search import refresh
    from analytics.store import connect

    con = connect(path)
    try:
        result = refresh(con)
    finally:
        con.close()
    if result is not None:
        print(result.message())


def cmd_backup(args) -> int:
    from analytics.store import backup

    print(f"backed up to {backup(args.db, args.out)}")
    return 0


def cmd_restore(args) -> int:
    from analytics.store import restore

    path, kept = restore(args.backup, args.db)
    _publish_file(path, "`restore`")
    _index_search(path)
    print(f"restored {path} from {args.backup}" + (f"; the previous file is kept as {kept}" if kept else ""))


def _connect_existing(db) -> tuple[Path, duckdb.DuckDBPyConnection | None]:
    """The database's path and a connection to it, or None for the connection when there is no
    file yet (connect would make an empty one)."""
    from analytics.store import connect, db_path

    path = db_path(db)
    return path, (connect(path) if path.exists() else None)


def cmd_derive(args) -> int:
    from analytics.derive import derive

    path, con = _connect_existing(args.db)
    if con is None:
        return _err(f"{path}: no database yet; ingest articles or run 'python -m analytics rebuild' first")
    try:
        print(derive(con).message())
        _publish(con, path, "`derive`")
    finally:
        con.close()
    return 0


def cmd_correct(args) -> int:
    from analytics.derive import corrections, derive

    path, con = _connect_existing(args.db)
    if con is None:
        return _err(f"{path}: no database yet")
    try:
        cid = corrections.record(con, args.action, args.ids, analyst=args.by, why=args.why, records=args.records,
                                 kind=args.kind)  # fmt: skip
        summary = derive(con)
        _publish(con, path, "`correct`")
    except corrections.CorrectionError as exc:
        return _err(f"{exc} (nothing was recorded)")
    finally:
        con.close()
    print(f"correction {cid} recorded and applied\n{summary.message()}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m analytics",
        description="Ukraine war news as data: extract records from articles and keep them in DuckDB.",
        epilog="The database is data/dashboard.duckdb unless --db or DASHBOARD_DB says otherwise.",
    )
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")
    e = sub.add_parser("extract", help="print one article's records as JSON, touching no database")
    e.add_argument("file", help="an article: .txt, .md or .html")
    e.add_argument("--published", help="publication date YYYY-MM-DD, overriding the file's own")
    e.set_defaults(func=cmd_extract)

    i = sub.add_parser("ingest", help="add article files or folders to the database")
    i.add_argument("paths", nargs="+", metavar="PATH", help="files (.txt, .md, .html) or folders of them")
    i.add_argument("--db", help="database file")
    i.add_argument("--published", help="publication date for every file given, YYYY-MM-DD")
    i.add_argument("--cluster", metavar="ADDRESS",
                   help="run reading, parsing and extraction on a Dask cluster: a scheduler address "
                   "(tcp://host:8786), or local / local:N to start N worker processes here (default: one per core); "
                   "records go to the Parquet dataset first, then into the database")  # fmt: skip
    i.add_argument("--dataset", metavar="DIR",
                   help="with --cluster: the Parquet dataset folder, reachable by every worker "
                   "(default: beside the database, NAME.parquet/)")  # fmt: skip
    i.add_argument(
        "--batch-size",
        type=int,
        metavar="N",
        help="with --cluster: articles per task and per Parquet batch (default 32)",
    )
    i.set_defaults(func=cmd_ingest)

    x = sub.add_parser("export", help="write a table or view, filtered, as CSV, Parquet or JSON")
    x.add_argument("table", metavar="TABLE_OR_VIEW", help="records, events, aid_figures, diplomatic_items, "
                   "statements, incidents, aid_commitments, aid_running_totals, contested_claims, documents, "
                   "sentences, actors, places, ...")  # fmt: skip
    x.add_argument("--format", choices=("csv", "parquet", "json"), default="csv")
    x.add_argument("--out", help="output file (default: standard output)")
    _filter_options(x)
    x.add_argument("--db", help="database file")
    x.set_defaults(func=cmd_export)

    m = sub.add_parser("import", help="import an ACLED, GDELT 2.0 or Eyes on Russia file into the database")
    m.add_argument("format", choices=list(IMPORT_FORMATS), help="the file's dataset")
    m.add_argument("file", help="ACLED export CSV, GDELT 2.0 events file, Eyes on Russia CSV or GeoJSON")
    m.add_argument("--db", help="database file")
    m.set_defaults(func=cmd_import)

    r = sub.add_parser("rebuild", help="rebuild the database from seeds/ in a new file, then swap it in",
                       description="Builds a new database from seeds/ beside the old one and renames it into place. "
                       "The old file is backed up first (backups/ beside it). A file that is not this tool's "
                       "database (another schema, damaged, not DuckDB) is never replaced unless --force is given, "
                       "and then it is renamed aside (NAME.set-aside-TIME), never deleted.")  # fmt: skip
    r.add_argument("--db", help="database file")
    r.add_argument("--force", action="store_true",
                   help="replace a file that is not this tool's database, after renaming it aside")  # fmt: skip
    r.set_defaults(func=cmd_rebuild)

    b = sub.add_parser("backup", help="copy the database to backups/ beside it (or --out)")
    b.add_argument("--db", help="database file")
    b.add_argument("--out", help="where to write the copy (default: backups/NAME-TIME-manual.duckdb)")
    b.set_defaults(func=cmd_backup)

    s = sub.add_parser("restore", help="put a backup in place of the database (the current file is kept)")
    s.add_argument("backup", help="a backup file, e.g. data/backups/dashboard-20260101T120000Z-manual.duckdb")
    s.add_argument("--db", help="database file")
    s.set_defaults(func=cmd_restore)

    d = sub.add_parser(
        "derive", help="rebuild incidents, the aid ledger and contested claims from the records"
    )
    d.add_argument("--db", help="database file")
    d.set_defaults(func=cmd_derive)

    c = sub.add_parser(
        "correct", help="split or join incidents, aid commitments or contested pairs (kept across rebuilds)"
    )
    c.add_argument("action", choices=("split", "join"))
    c.add_argument("ids", nargs="+", metavar="ID", help="split: one inc_/aid_/con_ id; join: two or more ids of one "
                   "kind (for --kind contested: the claim's and the denial's statement record ids)")  # fmt: skip
    c.add_argument(
        "--records", nargs="+", metavar="RECORD_ID", help="split: the reports that leave the cluster"
    )
    c.add_argument(
        "--kind", choices=("incident", "commitment", "contested"), help="only needed to link two statements"
    )
    c.add_argument("--by", required=True, help="who decides (kept with the decision)")
    c.add_argument("--why", required=True, help="why (kept with the decision)")
    c.add_argument("--db", help="database file")
    c.set_defaults(func=cmd_correct)
    return p


def main(argv=None) -> int:
    """Run one command. A fault with the database file or a data file ends in its one-line message
    and exit 2, never a traceback; the full error of a database fault is in the log file it names."""
    import duckdb

    from analytics.schemas import DataFileError
    from analytics.store import StoreError, db_path
    from analytics.store.errors import named

    args = build_parser().parse_args(argv)
    problems = config.check()
    if problems:
        return _err("; ".join(problems))
    try:
        return args.func(args)
    except DataFileError as exc:  # an edited data file: which file, entry and field, and nothing was written
        return _err(str(exc))
    except StoreError as exc:
        if exc.log is None:
            exc.log = named(exc, db_path(getattr(args, "db", None))).log
        return _err(exc.message)
    except (duckdb.Error, OSError) as exc:
        return _err(named(exc, db_path(getattr(args, "db", None))).message)
