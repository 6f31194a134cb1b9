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
TABLES = (
    "documents",
    "sentences",
    "events",
    "aid_figures",
    "diplomatic_items",
    "statements",
    "record_actors",
    "record_themes",
    "record_sources",
    "import_details",
)


def counts(con) -> dict[str, int]:
    return {t: con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0] for t in TABLES}


def rid(key: str) -> str:
    return hashlib.sha1(key.encode()).hexdigest()[:16]


def test_small_export_becomes_events_with_provenance(db):
    r = import_file(db, "acled", FIX / "acled_small.csv")
    assert (r.rows, r.added, r.updated, r.removed, r.unchanged) == (5, 5, 0, 0, 0)
    row = db.execute(
        """SELECT kind, type, subtype, location, theatre, date, origin, lat, lon, sentence, article_file, published
           FROM records WHERE record_id = ?""",
        [rid("acled:UKR100001")],
    ).fetchall()[0]
    assert row[:7] == (
        "event",
        "Explosions/Remote violence",
        "Shelling/artillery/missile attack",
        "Kharkiv",
        "Eastern front",
        __import__("datetime").date(2023, 5, 14),
        "acled",
    )
    assert row[7:9] == (49.9935, 36.2304)
    assert row[9].startswith('On 14 May 2023, Russian forces shelled Kharkiv city, "damaging" houses')
    assert row[10] == "UKR100001"
    doc = db.execute("""SELECT d.origin, d.published_basis, d.source, s.start_char, s.end_char, length(d.text)
                        FROM documents d JOIN sentences s USING (doc_id) WHERE d.name = 'UKR100001'""").fetchall()[
        0
    ]
    assert doc == ("acled", "dataset", "Ukrainska Pravda; General Staff of Ukraine", 0, doc[5], doc[5])
    assert db.execute(
        "SELECT fatalities FROM events WHERE record_id = ?", [rid("acled:UKR100001")]
    ).fetchall() == [(2,)]


def test_actors_places_and_precision_are_reconciled(db):
    import_file(db, "acled", FIX / "acled_small.csv")
    actors = db.execute("SELECT actor, side, role FROM record_actors WHERE record_id = ? ORDER BY position",
                        [rid("acled:UKR100002")]).fetchall()  # fmt: skip
    assert actors == [
        ("Armed Forces of Ukraine", "Ukraine", "actor"),
        ("National Guard of Ukraine", "Ukraine", "actor"),
        ("Azov Brigade", "Ukraine", "actor"),
        ("Wagner Group", "Wagner Group", "target"),
    ]
    kyiv = db.execute("SELECT location, date_precision, e.lat FROM events e WHERE record_id = ?",
                      [rid("acled:UKR100003")]).fetchall()  # fmt: skip
    assert kyiv == [("Kyiv", "week", 50.4501)]  # "Kyiv City" through import_mappings.yaml
    air = db.execute(
        "SELECT actor FROM record_actors WHERE record_id = ?", [rid("acled:UKR100003")]
    ).fetchall()
    assert air == [("Russian Aerospace Forces",)]
    # A place the vocabulary lacks keeps the dataset's own name and coordinates.
    assert db.execute("SELECT location, lat, lon FROM events WHERE record_id = ?",
                      [rid("acled:UKR100004")]).fetchall() == [("Novyi Yarychiv", 49.9, 24.3)]  # fmt: skip
    detail = db.execute("SELECT country, country_place, admin1, geo_precision, inter1, external_timestamp "
                        "FROM import_details WHERE external_id = 'RUS200001'").fetchall()  # fmt: skip
    assert detail == [("Russia", "Russia", "Belgorod", "1", "State forces", 1684800000)]
    themes = db.execute(
        "SELECT theme FROM record_themes WHERE record_id = ?", [rid("acled:UKR100002")]
    ).fetchall()
    assert themes == [("ground combat",)]
    assert ("General Staff of Ukraine", "reports") in db.execute(
        "SELECT actor, stance FROM record_sources WHERE record_id = ?", [rid("acled:UKR100001")]
    ).fetchall()


def test_upper_case_headers_numeric_inter_codes_and_written_dates(db):
    r = import_file(db, "acled", FIX / "acled_old_upper.csv")
    assert r.added == 2
    rows = db.execute("""SELECT d.external_id, d.inter1, d.inter2, e.location, e.date, e.fatalities
                         FROM import_details d JOIN events e USING (record_id) ORDER BY 1""").fetchall()
    import datetime as dt

    assert rows == [
        ("UKR9001", "External/Other forces", "State forces", "Hostomel", dt.date(2022, 2, 24), 10),
        ("UKR9002", "External/Other forces", "Civilians", "Kharkiv", dt.date(2022, 2, 25), None),
    ]


def test_reimport_adds_updates_removes(db):
    import_file(db, "acled", FIX / "acled_small.csv")
    r = import_file(db, "acled", FIX / "acled_newer.csv")
    assert (r.added, r.updated, r.removed, r.unchanged) == (1, 1, 1, 3)
    assert r.summary == "1 added, 1 updated, 1 removed, 3 unchanged"
    ids = {x for (x,) in db.execute("SELECT external_id FROM import_details").fetchall()}
    assert ids == {"UKR100001", "UKR100002", "UKR100003", "UKR100005", "RUS200001"}
    assert db.execute(
        "SELECT fatalities FROM events WHERE record_id = ?", [rid("acled:UKR100001")]
    ).fetchall() == [(3,)]
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
        (
            "acled_bad_latitude.csv",
            "acled_bad_latitude.csv: row 5, column latitude: '49,9' is not a latitude",
        ),
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
    with pytest.raises(
        ImportFormatError,
        match=r"twice.csv: row 7, column event_id_cnty: 'UKR100002' repeats the id of row 3",
    ):
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
    assert (
        err.startswith("error: acled_bad_date.csv: row 4, column event_date")
        and "nothing was imported" in err
    )
    assert main(["import", "acled", str(FIX / "acled_small.csv"), "--db", str(db)]) == 0
    assert "5 added, 0 updated, 0 removed, 0 unchanged" in capsys.readouterr().out


def test_mapping_file_names_only_known_vocabulary():
    from analytics.vocab import load_vocabulary

    vocab = load_vocabulary()
    m = load_mappings()
    actors = {a.name for a in vocab.actors}
    places = {p.name for p in vocab.places}
    themes = {t.name for t in vocab.themes}
    named_actors = (
        set(m["actors"].values())
        | set(m["gdelt_countries"].values())
        | set(m["gdelt_military"].values())
        | set(m["gdelt_groups"].values())
        | {a["actor"] for g in m["eyes_on_russia"] for a in g.get("actors") or ()}
    )
    assert named_actors <= actors, named_actors - actors
    assert set(m["places"].values()) | set(m["countries"].values()) <= places
    named_themes = {t for v in m["acled_themes"].values() for t in v} | {
        t for e in m["cameo"] + m["eyes_on_russia"] for t in e.get("themes") or ()
    }
    assert named_themes <= themes, named_themes - themes
    codes = [str(e["code"]) for e in m["cameo"]]
    assert len(codes) == len(set(codes)) and all(c.isdigit() and len(c) in (2, 3, 4) for c in codes)
    yaml.safe_dump(m)  # plain data, no tags


# --- Vintages and re-saves -------------------------------------------------------------------


def _with_dates(tmp_path, fmt) -> Path:
    """acled_small.csv with its event_date column rewritten by `fmt` (a date -> text function)."""
    import csv
    import datetime as dt

    rows = list(csv.reader((FIX / "acled_small.csv").open()))
    for r in rows[1:]:
        r[1] = fmt(dt.date.fromisoformat(r[1]))
    out = tmp_path / "dates.csv"
    with out.open("w", newline="") as fh:
        csv.writer(fh).writerows(rows)
    return out


@pytest.mark.parametrize(
    "fmt",
    [
        lambda d: d.isoformat(),  # 2023-05-14
        lambda d: f"{d.day} {d:%B %Y}",  # 14 May 2023
        lambda d: f"{d.day:02d} {d:%b %Y}",  # 14 May 2023 (abbreviated month)
        lambda d: f"{d.day}-{d:%b-%y}",  # 14-May-23, a spreadsheet's re-save
        lambda d: f"{d.month}/{d.day}/{d.year}",  # 5/14/2023
        lambda d: f"{d:%d/%m/%Y}",  # 14/05/2023
        lambda d: str((d - __import__("datetime").date(1899, 12, 30)).days),  # 45060, a day number
    ],
    ids=["iso", "long", "abbrev", "dd-mon-yy", "m/d/y", "d/m/y", "excel-serial"],
)
def test_every_date_format_reads_the_same_dates(db, tmp_path, fmt):
    import datetime as dt

    import_file(db, "acled", _with_dates(tmp_path, fmt))
    dates = [d for (d,) in db.execute("SELECT date FROM events ORDER BY date").fetchall()]
    assert dates == [dt.date(2023, 5, d) for d in (14, 15, 16, 17, 18)]


def test_spreadsheet_resave_reads_april_and_may_alike_never_year_20(db):
    import datetime as dt

    r = import_file(db, "acled", FIX / "acled_2020_spreadsheet.csv")  # BOM, CRLF, "30-Apr-20", "9-May-20"
    assert (
        r.added == 3
        and "read as the ACLED 2019-2022 layout" in r.notes
        and "dates read as 15-Apr-22" in r.notes
    )
    rows = db.execute("""SELECT d.external_id, e.date, d.inter1, d.inter2, d.extra_fields FROM events e
                         JOIN import_details d USING (record_id) ORDER BY 1""").fetchall()
    assert [(x[0], x[1]) for x in rows] == [
        ("RUS5003", dt.date(2020, 5, 12)),
        ("UKR5001", dt.date(2020, 4, 30)),
        ("UKR5002", dt.date(2020, 5, 9)),
    ]
    # Numeric inter codes as current exports write them (singular); code 0 (no second actor) is null.
    assert rows[1][2:4] == ("Rebel group", "State forces") and rows[0][3] is None
    # Columns we do not map are kept as written.
    import json

    assert json.loads(rows[1][4]) == {"data_id": "7001001", "event_id_no_cnty": "5001", "iso3": "UKR"}


def test_a_date_in_another_year_than_the_year_column_names_the_row(db, tmp_path):
    lines = (FIX / "acled_small.csv").read_text().splitlines()
    lines[2] = lines[2].replace("2023-05-15,2023,", "2023-05-15,2022,")
    bad = tmp_path / "year.csv"
    bad.write_text("\n".join(lines) + "\n")
    with pytest.raises(
        ImportFormatError,
        match=r"year.csv: row 3, column event_date: '2023-05-15' read as "
        r"YYYY-MM-DD is in another year than the row's year column \(2022\)",
    ):
        import_file(db, "acled", bad)
    assert counts(db)["events"] == 0


def test_pandas_resave_of_a_2016_export_keeps_allies_and_types_old_event_types(db):
    import datetime as dt
    import json

    r = import_file(db, "acled", FIX / "acled_2016_pandas.csv")  # ",GWNO,..." index column, "3.0", dd/mm/yyyy
    assert r.added == 3 and "read as the ACLED 2016-era layout" in r.notes
    assert any("index" in n for n in r.notes)
    rows = db.execute("""SELECT d.external_id, e.date, e.fatalities, d.ally_actor_1, d.ally_actor_2, d.inter1,
                                d.inter2, d.extra_fields, e.theatre, e.location
                         FROM events e JOIN import_details d USING (record_id) ORDER BY 1""").fetchall()
    assert rows[0][:7] == (
        "SOM1001",
        dt.date(2016, 1, 18),
        3,
        "Hizbul Islam",
        "AMISOM: African Union Mission in Somalia (2007-)",
        "Rebel group",
        "State forces",
    )
    assert json.loads(rows[0][7]) == {"GWNO": "520", "EVENT_ID_NO_CNTY": "1001.0"}
    assert rows[0][8:] == ("International", "Marka")
    assert (rows[1][1], rows[1][2], rows[2][1], rows[2][6]) == (
        dt.date(2016, 2, 5),
        None,
        dt.date(2016, 2, 23),
        None,
    )
    themes = dict(
        db.execute("""SELECT d.external_id, string_agg(t.theme, ', ' ORDER BY t.theme) FROM record_themes t
                                JOIN import_details d USING (record_id) GROUP BY 1""").fetchall()
    )
    assert themes == {"SOM1001": "ground combat", "SOM1002": "strikes", "SOM1003": "domestic politics"}


@pytest.mark.parametrize("index", ["", "Unnamed: 0"])
def test_pandas_index_column_on_a_current_export_imports(db, tmp_path, index):
    lines = (FIX / "acled_small.csv").read_text().splitlines()
    out = tmp_path / "pandas.csv"
    out.write_text("\n".join([f"{index}," + lines[0]] + [f"{i},{x}" for i, x in enumerate(lines[1:])]) + "\n")
    r = import_file(db, "acled", out)
    assert r.added == 5
    assert db.execute("SELECT count(*) FROM import_details WHERE extra_fields IS NOT NULL").fetchall() == [
        (0,)
    ]


def test_an_unknown_layout_is_refused_naming_what_was_expected(db, tmp_path):
    odd = tmp_path / "odd.csv"
    odd.write_text(",id,when,what,lat,lon\n0,1,2022-01-01,x,50,30\n")
    with pytest.raises(ImportFormatError) as err:
        import_file(db, "acled", odd)
    msg = str(err.value)
    assert "\n" not in msg and msg.startswith("odd.csv: missing required column(s) event_id_cnty, event_date")
    assert "Expected an ACLED export: a header row with event_id_cnty" in msg


def test_places_are_decided_by_coordinates_not_by_name_alone(db):
    import_file(db, "acled", FIX / "acled_namesakes.csv")
    rows = dict(db.execute("""SELECT d.external_id, (e.location, e.theatre) FROM events e
                              JOIN import_details d USING (record_id)""").fetchall())  # fmt: skip
    # Villages named like a place elsewhere keep their own name (told apart by their oblast) and
    # take the theatre of where they are.
    assert rows["UKR7001"] == ("New York (Donetsk)", "Eastern front")
    assert rows["UKR7002"] == ("Novomoskovsk (Dnipropetrovsk)", "Ukrainian rear")
    assert rows["UKR7003"] == ("Zolochiv (Kharkiv)", "Eastern front")
    assert rows["UKR7004"] == ("Dobryanka (Chernihiv)", "Northern front")
    # Where the vocabulary's place is the one meant, it is used.
    assert rows["UKR7005"] == ("Kharkiv", "Eastern front")
    assert rows["UKR7006"] == ("Zolochiv", "Ukrainian rear")
    # No event sits at a vocabulary place far from its own coordinates.
    far = db.execute(f"""SELECT count(*) FROM events e JOIN places p ON p.name = e.location
                         WHERE {
        __import__("analytics.importers.common", fromlist=["km_sql"]).km_sql(
            "e.lat", "e.lon", "p.lat", "p.lon"
        )
    } > 50""").fetchall()
    assert far == [(0,)]


def test_windows_1252_and_semicolon_spreadsheet_saves(db, tmp_path):
    import csv
    import io

    text = (
        (FIX / "acled_small.csv").read_text(encoding="utf-8").replace("Kharkiv city,", "Kharkiv city – café,")
    )
    cp1252 = tmp_path / "windows.csv"
    cp1252.write_bytes(text.encode("cp1252"))
    r = import_file(db, "acled", cp1252)
    assert r.added == 5 and any("read as Windows-1252" in n for n in r.notes)
    assert db.execute("SELECT count(*) FROM documents WHERE text LIKE '%city – café,%'").fetchall() == [(1,)]
    # A decimal-comma locale: semicolons between fields, commas in the coordinates.
    rows = list(csv.reader(io.StringIO(text)))
    for row in rows[1:]:
        row[22], row[23] = row[22].replace(".", ","), row[23].replace(".", ",")
    semi = tmp_path / "semicolon.csv"
    with semi.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh, delimiter=";").writerows(rows)
    again = import_file(db, "acled", semi)
    assert (again.added, again.updated, again.unchanged) == (0, 0, 5)
    assert db.execute("SELECT lat, lon FROM events WHERE location = 'Shebekino'").fetchall() == [(50.4, 36.9)]


def test_a_two_digit_year_among_four_digit_ones_is_an_error_not_the_year_20(db, tmp_path):
    lines = (FIX / "acled_small.csv").read_text().splitlines()
    lines[3] = lines[3].replace("2023-05-16,2023,", "23-05-16,2023,")
    bad = tmp_path / "short_year.csv"
    bad.write_text("\n".join(lines) + "\n")
    with pytest.raises(
        ImportFormatError,
        match=r"short_year.csv: row 4, column event_date: '23-05-16' read as "
        r"YYYY-MM-DD is not a date of ACLED's years",
    ):
        import_file(db, "acled", bad)


def test_refresh_false_leaves_the_derived_tables_and_search_index_to_the_caller(db):
    """What the benchmark times apart, and a caller importing several files in a row does once."""
    from analytics import search
    from analytics.derive import refresh

    import_file(db, "acled", FIX / "acled_small.csv", refresh=False)
    assert db.execute("SELECT count(*) FROM events").fetchone()[0] == 5
    assert db.execute("SELECT count(*) FROM incident_clusters").fetchone()[0] == 0
    assert not search.index_path(search.database_file(db)).exists()
    refresh(db)
    search.refresh(db)
    assert db.execute("SELECT count(*) FROM incident_clusters").fetchone()[0] == 5
    assert search.sentence_hits(db, "Kharkiv").total > 0
