"""The benchmark's synthetic data at a small size: counts, proportions, provenance and the records view (no timings)."""

from __future__ import annotations

import duckdb
import pytest

from bench import synth

EVENTS = 2_000


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    info = synth.build(EVENTS, path=tmp_path_factory.mktemp("synth") / "synthetic.duckdb", reuse=False)
    c = duckdb.connect(str(info.path), read_only=True)
    yield c
    c.close()


def one(con, sql: str):
    return con.execute(sql).fetchall()[0][0]


def test_counts_and_proportions(con):
    counts = synth.counts(con)
    assert counts["events"] == EVENTS
    assert counts["aid_figures"] == EVENTS * 5 // 100
    assert counts["diplomatic_items"] == EVENTS * 10 // 100
    assert counts["statements"] == EVENTS * 15 // 100
    records = EVENTS * 130 // 100
    assert counts["documents"] == -(-records // synth.RECORDS_PER_DOCUMENT)
    assert counts["sentences"] == counts["documents"] * synth.SENTENCES_PER_DOCUMENT
    assert records <= counts["record_actors"] <= 3 * records
    assert records <= counts["record_themes"] <= 2 * records


def test_everything_is_marked_synthetic(con):
    assert (
        one(con, "SELECT count(*) FROM documents WHERE origin <> 'synthetic' OR name NOT LIKE 'synthetic-%'")
        == 0
    )
    assert one(con, "SELECT count(*) FROM records WHERE origin <> 'synthetic'") == 0


def test_records_view_joins_with_consistent_offsets(con):
    assert one(con, "SELECT count(*) FROM records") == EVENTS * 130 // 100
    assert one(con, "SELECT count(*) FROM records WHERE sentence IS NULL OR article IS NULL") == 0
    bad = one(
        con,
        """SELECT count(*) FROM records r JOIN documents d USING (doc_id)
                      WHERE d.text[r.start_char + 1:r.end_char] <> r.sentence""",
    )
    assert bad == 0


def test_realistic_skew(con):
    top = con.execute(
        "SELECT side FROM record_actors GROUP BY side ORDER BY count(*) DESC LIMIT 2"
    ).fetchall()
    assert {s for (s,) in top} == {"Russia", "Ukraine"}
    east_south = one(
        con,
        """SELECT avg(CASE WHEN theatre IN ('Eastern front', 'Southern front') THEN 1 ELSE 0 END)
                             FROM events WHERE theatre IS NOT NULL""",
    )
    assert east_south > 0.6
    assert one(con, "SELECT min(date) >= DATE '2022-01-01' AND max(date) <= DATE '2024-12-31' FROM records")
    # Every filter value the vocabularies offer that the pages filter on exists in the data.
    assert one(con, "SELECT count(DISTINCT theme) FROM record_themes") >= 15


def test_deterministic(tmp_path):
    a = synth.build(300, path=tmp_path / "a.duckdb", reuse=False)
    b = synth.build(300, path=tmp_path / "b.duckdb", reuse=False)
    q = "SELECT string_agg(record_id || side, ',' ORDER BY record_id, position) FROM record_actors"
    with duckdb.connect(str(a.path), read_only=True) as ca, duckdb.connect(str(b.path), read_only=True) as cb:
        assert one(ca, q) == one(cb, q)


def test_a_partial_run_replaces_its_own_sections_and_keeps_the_others():
    from bench.__main__ import merge_sections

    report = "# Benchmark report\n\n- Date: old\n\n## Ingest\n\nold ingest\n\n## Search\n\nold search\n"
    merged = merge_sections(
        report, ["## Ingest", "", "new ingest", "", "## Export", "", "new export"], "Re-run alone."
    )
    assert merged.index("## Ingest") < merged.index("## Search") < merged.index("## Export")
    assert "new ingest" in merged and "old ingest" not in merged
    assert "old search" in merged and "- Date: old" in merged
    assert merged.count("Re-run alone.") == 2  # on each replaced or added section, not on kept ones


@pytest.mark.parametrize(
    ("fmt", "name"),
    [("eyes-on-russia", "eyes-on-russia-events-2022.csv"), ("gdelt", "gdelt2-20190121220000.export.CSV")],
)
def test_a_real_export_repeated_keeps_its_columns_and_gives_each_copy_its_own_ids(tmp_path, fmt, name):
    from bench.import_acled import READ_OPTIONS, REPLICA, replicate
    from tests.conftest import SHARED

    read, id_column = READ_OPTIONS[fmt], REPLICA[fmt][1]

    source = SHARED / "data" / name
    if not source.exists():
        pytest.skip(f"{source} is absent (it lives beside the repository)")
    out = tmp_path / f"{fmt}.csv"
    db = duckdb.connect()

    def most_repeated(path) -> int:  # the most rows one id has
        return db.execute(f"SELECT max(n) FROM (SELECT count(*) AS n FROM read_csv('{path}'{read}) "
                          f"WHERE {id_column} IS NOT NULL GROUP BY {id_column})").fetchone()[0]  # fmt: skip

    rows = db.execute(f"SELECT count(*) FROM read_csv('{source}'{read})").fetchone()[0]
    replicate(source, out, rows * 2 + 5, fmt)  # more than two copies' worth
    assert db.execute(f"SELECT count(*) FROM read_csv('{out}'{read})").fetchone()[0] == rows * 2 + 5
    assert most_repeated(out) == most_repeated(source)  # each copy's ids are its own
    columns = [db.execute(f"SELECT * FROM read_csv('{p}'{read}) LIMIT 1").description for p in (source, out)]
    assert [c[0] for c in columns[0]] == [c[0] for c in columns[1]]
