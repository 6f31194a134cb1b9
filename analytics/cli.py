"""The command line: extract one article, ingest many, export tables, rebuild from seeds/."""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from pathlib import Path

from analytics.corpus import ArticleError, read_document


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


def cmd_ingest(args) -> int:
    from analytics.database import DatabaseBusy, connect, db_path
    from analytics.derive import status as derive_status
    from analytics.ingest import ingest_paths, summary

    missing = [p for p in args.paths if not Path(p).exists()]
    for p in missing:
        print(f"failed: {p}: no such file or folder", file=sys.stderr)
    try:
        con = connect(args.db)
    except DatabaseBusy as exc:
        return _err(str(exc))
    try:
        results = ingest_paths(con, [p for p in args.paths if Path(p).exists()], published=args.published,
                               progress=_progress_bar())  # fmt: skip
        derived = derive_status(con)
    finally:
        con.close()
    for r in results:
        if r.status == "failed":
            print(f"failed: {r.reason}", file=sys.stderr)
    print(summary(results) + f"\n{derived}\ndatabase: {db_path(args.db)}")
    return 1 if missing or any(r.status == "failed" for r in results) else 0


def _date(s: str) -> dt.date:
    try:
        return dt.date.fromisoformat(s)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{s!r} is not a date; use YYYY-MM-DD") from None


def cmd_export(args) -> int:
    from analytics.database import DatabaseBusy, connect, ensure_database
    from analytics.export import ExportError, export
    from analytics.filters import Filters

    filters = Filters(
        actors=tuple(args.actor or ()), actor_scope=args.actor_scope, themes=tuple(args.theme or ()),
        theatres=tuple(args.theatre or ()), kinds=tuple(args.kind or ()), date_from=args.since,
        date_to=args.until, doc_id=args.article, origins=tuple(args.origin or ()),
    )  # fmt: skip
    out = Path(args.out) if args.out else None
    try:
        con = connect(ensure_database(args.db))
    except DatabaseBusy as exc:
        return _err(str(exc))
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
    from analytics.database import DatabaseBusy, connect, db_path
    from analytics.derive import status as derive_status
    from analytics.importers import ImportFormatError, import_file

    try:
        con = connect(args.db)
    except DatabaseBusy as exc:
        return _err(str(exc))
    try:
        result = import_file(con, args.format, Path(args.file))
        derived = derive_status(con)
    except ImportFormatError as exc:
        return _err(f"{exc} (nothing was imported)")
    finally:
        con.close()
    print(result.message + f"\n{derived}\ndatabase: {db_path(args.db)}")
    return 0


def cmd_rebuild(args) -> int:
    from analytics.database import DatabaseBusy, connect, db_path, ensure_database
    from analytics.derive import corrections, derive

    path = db_path(args.db)
    # Analysts' split/join decisions outlive the file: kept aside (in a sidecar, in case the rebuild
    # dies half-way) and re-applied to the new database.
    side = corrections.sidecar(path)
    saved = json.loads(side.read_text(encoding="utf-8")) if side.exists() else []
    if path.exists():
        try:
            import duckdb

            old = duckdb.connect(str(path))  # fails if another process holds it
        except duckdb.IOException:
            return _err(str(DatabaseBusy(f"{path} is open in another process; stop the dashboard first")))
        try:
            known = {r["correction_id"] for r in saved}
            saved += [r for r in corrections.dump(old) if r["correction_id"] not in known]
        finally:
            old.close()
        if saved:
            corrections.save_sidecar(path, saved)
        path.unlink()
        Path(str(path) + ".wal").unlink(missing_ok=True)
    ensure_database(path, progress=_progress_bar())
    if saved:
        con = connect(path)
        try:
            corrections.restore(con, saved)
            derive(con)
        finally:
            con.close()
    side.unlink(missing_ok=True)
    print(f"rebuilt {path} from seeds/" + (f"; {len(saved)} analyst corrections re-applied" if saved else ""))
    return 0


def cmd_derive(args) -> int:
    from analytics.database import DatabaseBusy, connect, db_path
    from analytics.derive import derive

    path = db_path(args.db)
    if not path.exists():
        return _err(f"{path}: no database yet; ingest articles or run 'python -m analytics rebuild' first")
    try:
        con = connect(path)
    except DatabaseBusy as exc:
        return _err(str(exc))
    try:
        print(derive(con).message())
    finally:
        con.close()
    return 0


def cmd_correct(args) -> int:
    from analytics.database import DatabaseBusy, connect, db_path
    from analytics.derive import corrections, derive

    path = db_path(args.db)
    if not path.exists():
        return _err(f"{path}: no database yet")
    try:
        con = connect(path)
    except DatabaseBusy as exc:
        return _err(str(exc))
    try:
        cid = corrections.record(con, args.action, args.ids, analyst=args.by, why=args.why, records=args.records,
                                 kind=args.kind)  # fmt: skip
        summary = derive(con)
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
    i.set_defaults(func=cmd_ingest)

    x = sub.add_parser("export", help="write a table or view, filtered, as CSV, Parquet or JSON")
    x.add_argument("table", metavar="TABLE_OR_VIEW", help="records, events, aid_figures, diplomatic_items, "
                   "statements, incidents, aid_commitments, aid_running_totals, contested_claims, documents, "
                   "sentences, actors, places, ...")  # fmt: skip
    x.add_argument("--format", choices=("csv", "parquet", "json"), default="csv")
    x.add_argument("--out", help="output file (default: standard output)")
    x.add_argument("--actor", action="append", help="canonical actor name (repeatable)")
    x.add_argument("--actor-scope", choices=("side", "country"), default="side",
                   help="side: the actor and whoever speaks for it; country: also actors based in its country")
    x.add_argument("--theme", action="append", help="theme name (repeatable)")
    x.add_argument("--theatre", action="append", help="theatre name (repeatable)")
    x.add_argument("--kind", action="append", choices=("event", "aid", "diplomacy", "statement"))
    x.add_argument("--origin", action="append", help="extracted, acled, gdelt, eyes-on-russia")
    x.add_argument("--since", type=_date, help="records on or after YYYY-MM-DD")
    x.add_argument("--until", type=_date, help="records on or before YYYY-MM-DD")
    x.add_argument("--article", help="doc_id of one article")
    x.add_argument("--db", help="database file")
    x.set_defaults(func=cmd_export)

    m = sub.add_parser("import", help="import an ACLED, GDELT 2.0 or Eyes on Russia file into the database")
    m.add_argument("format", choices=("acled", "gdelt", "eyes-on-russia"), help="the file's dataset")
    m.add_argument("file", help="ACLED export CSV, GDELT 2.0 events file, Eyes on Russia CSV or GeoJSON")
    m.add_argument("--db", help="database file")
    m.set_defaults(func=cmd_import)

    r = sub.add_parser("rebuild", help="rebuild the database from seeds/")
    r.add_argument("--db", help="database file")
    r.set_defaults(func=cmd_rebuild)

    d = sub.add_parser("derive", help="rebuild incidents, the aid ledger and contested claims from the records")
    d.add_argument("--db", help="database file")
    d.set_defaults(func=cmd_derive)

    c = sub.add_parser("correct", help="split or join incidents, aid commitments or contested pairs (kept across rebuilds)")
    c.add_argument("action", choices=("split", "join"))
    c.add_argument("ids", nargs="+", metavar="ID", help="split: one inc_/aid_/con_ id; join: two or more ids of one "
                   "kind (for --kind contested: the claim's and the denial's statement record ids)")  # fmt: skip
    c.add_argument("--records", nargs="+", metavar="RECORD_ID", help="split: the reports that leave the cluster")
    c.add_argument("--kind", choices=("incident", "commitment", "contested"), help="only needed to link two statements")
    c.add_argument("--by", required=True, help="who decides (kept with the decision)")
    c.add_argument("--why", required=True, help="why (kept with the decision)")
    c.add_argument("--db", help="database file")
    c.set_defaults(func=cmd_correct)
    return p


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)
