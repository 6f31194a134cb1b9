"""ACLED imports: mapping, old and new export shapes, re-import diffs, bad input, atomicity, the CLI."""
from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
import yaml

from analytics.importers import ImportFormatError, detect_format, import_file
from analytics.importers.common import load_mappings

FIX = Path(__file__).parent / "fixtures" / "imports"
TABLES = ("documents", "sentences", "events", "aid_figures", "diplomatic_items", "statements", "record_actors",
          "record_themes", "record_sources", "import_details")


def counts(con) -> dict[str, int]:
    return {t: con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0] for t in TABLES}


def rid(key: str) -> str:
    return hashlib.sha1(key.encode()).hexdigest()[:16]


def test_small_export_becomes_events_with_provenance(db):
    r = import_file(db, "acled", FIX / "acled_small.csv")
    assert (r.rows, r.added, r.updated, r.removed, r.unchanged) == (5, 5, 0, 0, 0)
    row = db.execute(
        """SELECT kind, type, subtype, location, theatre, date, origin, lat, lon, sentence, article_file, published
           FROM records WHERE record_id = ?""", [rid("acled:UKR100001")]).fetchall()[0]
    assert row[:7] == ("event", "Explosions/Remote violence", "Shelling/artillery/missile attack", "Kharkiv",
                       "Eastern front", __import__("datetime").date(2023, 5, 14), "acled")
    assert row[7:9] == (49.9935, 36.2304)
    assert row[9].startswith("On 14 May 2023, Russian forces shelled Kharkiv city, \"damaging\" houses")
    assert row[10] == "UKR100001"
    doc = db.execute("""SELECT d.origin, d.published_basis, d.source, s.start_char, s.end_char, length(d.text)
                        FROM documents d JOIN sentences s USING (doc_id) WHERE d.name = 'UKR100001'""").fetchall()[0]
    assert doc == ("acled", "dataset", "Ukrainska Pravda; General Staff of Ukraine", 0, doc[5], doc[5])
    assert db.execute("SELECT fatalities FROM events WHERE record_id = ?", [rid("acled:UKR100001")]).fetchall() == [(2,)]


def test_actors_places_and_precision_are_reconciled(db):
    import_file(db, "acled", FIX / "acled_small.csv")
    actors = db.execute("SELECT actor, side, role FROM record_actors WHERE record_id = ? ORDER BY position",
                        [rid("acled:UKR100002")]).fetchall()  # fmt: skip
    assert actors == [("Armed Forces of Ukraine", "Ukraine", "actor"), ("National Guard of Ukraine", "Ukraine", "actor"),
                      ("Azov Brigade", "Ukraine", "actor"), ("Wagner Group", "Wagner Group", "target")]
    kyiv = db.execute("SELECT location, date_precision, e.lat FROM events e WHERE record_id = ?",
                      [rid("acled:UKR100003")]).fetchall()  # fmt: skip
    assert kyiv == [("Kyiv", "week", 50.4501)]  # "Kyiv City" through import_mappings.yaml
    air = db.execute("SELECT actor FROM record_actors WHERE record_id = ?", [rid("acled:UKR100003")]).fetchall()
    assert air == [("Russian Aerospace Forces",)]
    # A place the vocabulary lacks keeps the dataset's own name and coordinates.
    assert db.execute("SELECT location, lat, lon FROM events WHERE record_id = ?",
                      [rid("acled:UKR100004")]).fetchall() == [("Novyi Yarychiv", 49.9, 24.3)]  # fmt: skip
    detail = db.execute("SELECT country, country_place, admin1, geo_precision, inter1, external_timestamp "
                        "FROM import_details WHERE external_id = 'RUS200001'").fetchall()  # fmt: skip
    assert detail == [("Russia", "Russia", "Belgorod", "1", "State forces", 1684800000)]
    themes = db.execute("SELECT theme FROM record_themes WHERE record_id = ?", [rid("acled:UKR100002")]).fetchall()
    assert themes == [("ground combat",)]
    assert ("General Staff of Ukraine", "reports") in db.execute(
        "SELECT actor, stance FROM record_sources WHERE record_id = ?", [rid("acled:UKR100001")]).fetchall()


def test_upper_case_headers_numeric_inter_codes_and_written_dates(db):
    r = import_file(db, "acled", FIX / "acled_old_upper.csv")
    assert r.added == 2
    rows = db.execute("""SELECT d.external_id, d.inter1, d.inter2, e.location, e.date, e.fatalities
                         FROM import_details d JOIN events e USING (record_id) ORDER BY 1""").fetchall()
    import datetime as dt

    assert rows == [("UKR9001", "External/Other forces", "State forces", "Hostomel", dt.date(2022, 2, 24), 10),
                    ("UKR9002", "External/Other forces", "Civilians", "Kharkiv", dt.date(2022, 2, 25), None)]


def test_reimport_adds_updates_removes(db):
    import_file(db, "acled", FIX / "acled_small.csv")
    r = import_file(db, "acled", FIX / "acled_newer.csv")
    assert (r.added, r.updated, r.removed, r.unchanged) == (1, 1, 1, 3)
    assert r.summary == "1 added, 1 updated, 1 removed, 3 unchanged"
    ids = {x for (x,) in db.execute("SELECT external_id FROM import_details").fetchall()}
    assert ids == {"UKR100001", "UKR100002", "UKR100003", "UKR100005", "RUS200001"}
    assert db.execute("SELECT fatalities FROM events WHERE record_id = ?", [rid("acled:UKR100001")]).fetchall() == [(3,)]
    # Nothing of the removed event is left behind, and nothing is doubled.
    gone = rid("acled:UKR100004")
    for table in ("events", "record_actors", "record_themes", "import_details"):
        assert db.execute(f"SELECT count(*) FROM {table} WHERE record_id = ?", [gone]).fetchall() == [(0,)]
    c = counts(db)
    assert c["documents"] == c["sentences"] == c["events"] == c["import_details"] == 5
    again = import_file(db, "acled", FIX / "acled_newer.csv")
    assert (again.added, again.updated, again.removed, again.unchanged) == (0, 0, 0, 5)


def test_removal_only_within_the_new_files_coverage(db):
    import_file(db, "acled", FIX / "acled_small.csv")
    # A newer export of other dates (2022) removes none of the May 2023 events.
    r = import_file(db, "acled", FIX / "acled_old_upper.csv")
    assert r.removed == 0
    assert counts(db)["events"] == 7


def test_extracted_records_sit_beside_imported_ones(seed_db, tmp_path):
    from analytics.store import connect

    path = tmp_path / "copy.duckdb"
    shutil.copy(seed_db, path)
    con = connect(path)
    try:
        before = dict(con.execute("SELECT origin, count(*) FROM records GROUP BY 1").fetchall())
        import_file(con, "acled", FIX / "acled_small.csv")
        after = dict(con.execute("SELECT origin, count(*) FROM records GROUP BY 1").fetchall())
    finally:
        con.close()
    assert after == before | {"acled": 5}


@pytest.mark.parametrize(
    "fixture, message",
    [
        ("acled_bad_date.csv", "acled_bad_date.csv: row 4, column event_date: 'yesterday' is not a date"),
        ("acled_bad_latitude.csv", "acled_bad_latitude.csv: row 5, column latitude: '49,9' is not a latitude"),
        ("acled_missing_column.csv", "missing required column(s) event_id_cnty; is this an ACLED export?"),
        ("gdelt_small.export.CSV", "looks like a GDELT events file"),
        ("eor_small.csv", "import it as eyes-on-russia"),
    ],
)
def test_bad_input_names_row_and_column_and_stores_nothing(db, fixture, message):
    import_file(db, "acled", FIX / "acled_small.csv")
    before = counts(db)
    with pytest.raises(ImportFormatError) as err:
        import_file(db, "acled", FIX / fixture)
    assert message in str(err.value)
    assert counts(db) == before


def test_malformed_row_and_repeated_id(db, tmp_path):
    lines = (FIX / "acled_small.csv").read_text().splitlines()
    short = tmp_path / "short.csv"
    short.write_text("\n".join(lines[:3] + ["UKR1,2023-05-01,2023"] + lines[3:]) + "\n")
    with pytest.raises(ImportFormatError, match=r"short.csv: row 4.*expected 31 columns, found 3"):
        import_file(db, "acled", short)
    twice = tmp_path / "twice.csv"
    twice.write_text("\n".join(lines + [lines[2]]) + "\n")
    with pytest.raises(ImportFormatError, match=r"twice.csv: row 7, column event_id_cnty: 'UKR100002' repeats the id of row 3"):
        import_file(db, "acled", twice)
    assert counts(db)["documents"] == 0


def test_failure_in_the_middle_of_writing_leaves_nothing(db, monkeypatch):
    import analytics.importers.common as common

    real = common._columns

    def failing(con, table):
        if table == "import_details":  # asked for after documents, sentences, events and links are in
            raise RuntimeError("disk full")
        return real(con, table)

    monkeypatch.setattr(common, "_columns", failing)
    with pytest.raises(RuntimeError, match="disk full"):
        import_file(db, "acled", FIX / "acled_small.csv")
    assert set(counts(db).values()) == {0}


def test_upload_bytes_and_format_detection(db):
    data = (FIX / "acled_small.csv").read_bytes()
    assert detect_format(data) == "acled"
    assert detect_format(FIX / "gdelt_small.export.CSV") == "gdelt"
    assert detect_format(FIX / "eor_small.csv") == "eyes-on-russia"
    assert detect_format(FIX / "eor_small.geojson") == "eyes-on-russia"
    r = import_file(db, "acled", data, name="upload.csv")
    assert r.added == 5 and r.file == "upload.csv"
    assert db.execute("SELECT DISTINCT import_file FROM import_details").fetchall() == [("upload.csv",)]
    with pytest.raises(ImportFormatError, match="unknown format"):
        import_file(db, "csv", data)


def test_cli_import_and_bad_input(tmp_path, capsys):
    from analytics.cli import main

    db = tmp_path / "cli.duckdb"
    assert main(["import", "acled", str(FIX / "acled_bad_date.csv"), "--db", str(db)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: acled_bad_date.csv: row 4, column event_date") and "nothing was imported" in err
    assert main(["import", "acled", str(FIX / "acled_small.csv"), "--db", str(db)]) == 0
    assert "5 added, 0 updated, 0 removed, 0 unchanged" in capsys.readouterr().out


def test_mapping_file_names_only_known_vocabulary():
    from analytics.vocab import load_vocabulary

    vocab = load_vocabulary()
    m = load_mappings()
    actors = {a.name for a in vocab.actors}
    places = {p.name for p in vocab.places}
    themes = {t.name for t in vocab.themes}
    named_actors = set(m["actors"].values()) | set(m["gdelt_countries"].values()) | set(m["gdelt_military"].values()) \
        | set(m["gdelt_groups"].values()) | {a["actor"] for g in m["eyes_on_russia"] for a in g.get("actors") or ()}
    assert named_actors <= actors, named_actors - actors
    assert set(m["places"].values()) | set(m["countries"].values()) <= places
    named_themes = {t for v in m["acled_themes"].values() for t in v} | {
        t for e in m["cameo"] + m["eyes_on_russia"] for t in e.get("themes") or ()}
    assert named_themes <= themes, named_themes - themes
    codes = [str(e["code"]) for e in m["cameo"]]
    assert len(codes) == len(set(codes)) and all(c.isdigit() and len(c) in (2, 3, 4) for c in codes)
    yaml.safe_dump(m)  # plain data, no tags
