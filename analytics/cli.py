"""The command line: extract, ingest, export, rebuild."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from analytics.corpus import ArticleError, read_document


def cmd_extract(args) -> int:
    from analytics.extract import extract

    try:
        doc = read_document(Path(args.file), published=args.published)
    except ArticleError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    result = extract(doc).contract()
    json.dump(result, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m analytics", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True)
    e = sub.add_parser("extract", help="print the records one article holds, as JSON (no database)")
    e.add_argument("file", help="an article: .txt, .md or .html")
    e.add_argument("--published", help="publication date YYYY-MM-DD, overriding the file's own")
    e.set_defaults(func=cmd_extract)
    return p


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)
