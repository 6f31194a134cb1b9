"""Shared fixtures: a seed database (alone, or with an ACLED import) in a temporary file, and ../shared."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# The shared material beside the repository; DASHBOARD_SHARED points elsewhere (a worktree's tests).
SHARED = Path(os.environ.get("DASHBOARD_SHARED") or ROOT.parent / "shared")
CORPUS = SHARED / "corpora" / "news-2022-2024"
SEED = ROOT / "seeds" / "000_c923938833431758.txt"


def needs_shared(path: Path = SHARED):
    return pytest.mark.skipif(not path.exists(), reason=f"{path} is absent (it lives beside the repository)")


@pytest.fixture(scope="session")
def seed_db(tmp_path_factory) -> Path:
    """A real DuckDB file built from seeds/ by the real ingest. Tests must not write to it."""
    from analytics.ingest import ensure_database

    path = tmp_path_factory.mktemp("seeddb") / "seed.duckdb"
    ensure_database(path)
    return path


@pytest.fixture(scope="session")
def imported_db(seed_db, tmp_path_factory) -> Path:
    """The seed database plus the small ACLED fixture imported beside it. Tests must not write to it."""
    import shutil

    from analytics.importers import import_file
    from analytics.store import connect

    path = tmp_path_factory.mktemp("importeddb") / "imported.duckdb"
    shutil.copyfile(seed_db, path)
    con = connect(path)
    try:
        import_file(con.cursor(), "acled", ROOT / "tests" / "fixtures" / "imports" / "acled_small.csv")
    finally:
        con.close()
    return path


@pytest.fixture(scope="session")
def planned_db(seed_db, tmp_path_factory) -> Path:
    """The seed database plus one article whose only item is planned (a summit next month, dated
    July 2023 against the seed's May). Tests must not write to it."""
    import shutil

    from analytics.ingest import ingest_paths
    from analytics.store import connect

    folder = tmp_path_factory.mktemp("planned")
    path = folder / "planned.duckdb"
    shutil.copyfile(seed_db, path)
    (folder / "articles").mkdir()
    (folder / "articles" / "planned.md").write_text(
        "---\npublished: 2023-06-01\n---\nLeaders plan a summit\n\n"
        "The leaders of NATO and Ukraine will hold a summit in Vilnius next month.\n",
        encoding="utf-8",
    )
    con = connect(path)
    try:
        ingest_paths(con, [folder / "articles"])
        planned = con.cursor().sql("SELECT count(*) FROM record_facts WHERE factuality = 'planned'")
        assert planned.fetchall() == [(1,)]
    finally:
        con.close()
    return path


@pytest.fixture
def db(tmp_path):
    """A fresh, empty database file with the schema applied; yields an open connection."""
    from analytics.store import connect

    con = connect(tmp_path / "test.duckdb")
    yield con
    con.close()


@pytest.fixture(autouse=True)
def _release_dashboard_connection():
    """AppTest runs the dashboard in this process, where its cached read-write connection would stop
    other tests from opening the same file read-only: close it after each test."""
    yield
    if "ui.db" in sys.modules:
        sys.modules["ui.db"].release()


# Whole files that start processes, read the corpus, or drill crashes and faults: `make test` runs
# them, `make test-fast` (pytest -m "not slow") leaves them out. Browser tests are slow too.
SLOW_FILES = {
    "test_crash.py", "test_cli.py", "test_store_faults.py", "test_hostile_input.py", "test_injection_params.py",
    "test_upload_journal.py", "test_cluster.py", "test_dataset.py", "test_snapshots.py", "test_bench_smoke.py",
    "test_bench_cluster.py", "test_corpus.py", "test_gold.py", "test_query_timeout.py",
}  # fmt: skip


# Single tests of over about 5 s elsewhere (measured with --durations): big files, every date
# format of a real export, a rebuild.
SLOW_TESTS = {
    "test_a_multi_megabyte_single_line_is_stored_in_bounded_sentences", "test_every_date_format_reads_the_same_dates",
    "test_a_split_made_by_an_analyst_survives_rebuild", "test_spreadsheet_resave_reads_april_and_may_alike_never_year_20",
    "test_vocabulary_override_folder_reaches_the_alias_table", "test_successive_snapshots_leave_exactly_the_last_files_rows",
    "test_record_ids_are_stable_across_rebuilds", "test_a_snapshot_keeps_events_dated_after_it",
    # Real subprocesses of the CLI and whole re-imports: each over 2 s, each path also covered fast.
    "test_cli_import_and_bad_input", "test_cli_on_a_previous_release_file_migrates_then_works",
    "test_cli_says_the_one_line_and_exits_2", "test_geojson_points_in_the_same_shape", "test_reimport_is_unchanged",
    "test_reimport_adds_updates_removes", "test_windows_1252_and_semicolon_spreadsheet_saves",
}  # fmt: skip


def pytest_collection_modifyitems(config, items):
    for item in items:
        path = Path(str(item.fspath))
        if (path.name in SLOW_FILES or path.parent.name == "browser" or item.get_closest_marker("corpus")
                or item.originalname in SLOW_TESTS):  # fmt: skip
            item.add_marker(pytest.mark.slow)
