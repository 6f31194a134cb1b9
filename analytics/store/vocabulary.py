"""The vocabulary tables (actors, places, themes, theatres and their aliases), kept in step with the YAML files.

The database remembers the hash of the files it loaded; when the folder actually read
(`DASHBOARD_VOCAB_DIR`, else the packaged `analytics/data/`) hashes otherwise, the tables are
reloaded in one transaction.
"""

from __future__ import annotations

import hashlib
import os

import duckdb

from analytics.store.writer import insert_rows, transaction
from analytics.vocab import Vocabulary, load_vocabulary, source_files, vocabulary_dir


def vocabulary_hash(data_dir: str | os.PathLike | None = None) -> str:
    """Hash of the vocabulary files read for `data_dir` (default: the folder in use), names included,
    so pointing DASHBOARD_VOCAB_DIR at another folder, or editing a file there, changes it."""
    h = hashlib.sha256()
    for p in source_files(data_dir):
        h.update(p.name.encode() + b"\0")
        if p.exists():
            h.update(p.read_bytes())
        h.update(b"\0")
    return h.hexdigest()[:16]


def sync_vocabulary(
    con: duckdb.DuckDBPyConnection, vocab: Vocabulary | None = None, force: bool = False
) -> bool:
    """Load the vocabulary tables when the files changed since the last load. True if loaded."""
    import pandas as pd

    folder = vocabulary_dir()
    digest = vocabulary_hash(folder)
    row = con.execute("SELECT value FROM meta WHERE key = 'vocabulary_hash'").fetchone()
    if row and row[0] == digest and not force:
        return False
    if vocab is None:
        # The files changed since this process read them (or the folder did): read them again,
        # for the tables here and for the extractor, which shares the cache.
        load_vocabulary.cache_clear()
        vocab = load_vocabulary(str(folder))
    frames = {
        "theatres": pd.DataFrame(
            [(t.name, t.description, t.sort) for t in vocab.theatres],
            columns=["name", "description", "sort_order"],
        ),
        "actors": pd.DataFrame(
            [(a.name, a.kind, a.country, a.represents) for a in vocab.actors],
            columns=["name", "kind", "country", "represents"],
        ),
        "actor_aliases": pd.DataFrame(
            sorted({(al, a.name) for a in vocab.actors for al in a.aliases + (a.name,)}),
            columns=["alias", "actor"],
        ),
        "places": pd.DataFrame(
            [(p.name, p.kind, p.country, p.admin1, p.theatre, p.lat, p.lon) for p in vocab.places],
            columns=["name", "kind", "country", "admin1", "theatre", "lat", "lon"],
        ).drop_duplicates("name"),
        "place_aliases": pd.DataFrame(
            sorted({(al, p.name) for p in vocab.places for al in p.aliases + (p.name,)}),
            columns=["alias", "place"],
        ),
        "themes": pd.DataFrame(
            [(t.name, t.description) for t in vocab.themes], columns=["name", "description"]
        ),
        "theme_cues": pd.DataFrame(
            sorted({(t.name, c) for t in vocab.themes for c in t.cues}), columns=["theme", "cue"]
        ),
    }
    with transaction(con, what="the vocabulary update"):
        for table, frame in frames.items():
            con.execute(f"DELETE FROM {table}")  # noqa: S608 - table names are the fixed keys above
            insert_rows(con, table, frame)
        con.execute("INSERT OR REPLACE INTO meta VALUES ('vocabulary_hash', ?)", [digest])
    return True
