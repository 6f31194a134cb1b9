"""Eyes on Russia imports: CSV and GeoJSON, the real file's flaws kept, counts by country against the file."""

from __future__ import annotations

import csv
import hashlib
from collections import Counter
from pathlib import Path

import pytest

from analytics.importers import ImportFormatError, import_file
from tests.conftest import SHARED, needs_shared

FIX = Path(__file__).parent / "fixtures" / "imports"
REAL = SHARED / "data" / "eyes-on-russia-events-2022.csv"


def rid(key: str) -> str:
    return hashlib.sha1(f"eyes-on-russia:{key}".encode()).hexdigest()[:16]


def test_csv_rows_become_events_flaws_kept(db):
    r = import_file(db, "eyes-on-russia", FIX / "eor_small.csv")
    assert (r.rows, r.added) == (5, 5)
    assert any("repeat an entry id" in n for n in r.notes) and any("no date" in n for n in r.notes)
    ids = {x for (x,) in db.execute("SELECT external_id FROM import_details").fetchall()}
    assert {"UW9001", "UW9002", "UW9002#2", "UW9004"} <= ids and sum(i.startswith("row-") for i in ids) == 1
    first = db.execute("""SELECT type, subtype, location, theatre, lat, lon, url, sentence FROM records
                          WHERE record_id = ?""", [rid("UW9001")]).fetchall()[0]  # fmt: skip
    assert first == (
        "Explosions/Remote violence",
        "Shelling/artillery/missile attack",
        "Kharkiv",
        "Eastern front",
        49.9935,
        36.2304,
        "https://example.org/eor/9001",
        "Missile strike on the regional administration building, Freedom Square",
    )
    details = db.execute("SELECT country, country_place, violence_level, arms_munition, geolocation_url "
                         "FROM import_details WHERE record_id = ?", [rid("UW9001")]).fetchall()  # fmt: skip
    assert details == [("Ukraine", "Ukraine", "3", "Kalibr", "https://example.org/eor/9001-geo")]
    # Misspelt countries are normalised, as written kept.
    assert db.execute(
        "SELECT country, country_place FROM import_details WHERE external_id = 'UW9002'"
    ).fetchall() == [("Belaurs", "Belarus")]
    assert db.execute(
        "SELECT actor, role FROM record_actors WHERE record_id = ?", [rid("UW9002#2")]
    ).fetchall() == [("Russian Armed Forces", "target")]
    assert db.execute("SELECT date FROM events WHERE record_id = ?", [rid("UW9004")]).fetchall() == [(None,)]


def test_geojson_points_in_the_same_shape(db):
    r = import_file(db, "eyes-on-russia", FIX / "eor_small.geojson")
    assert r.added == 3
    rows = db.execute("""SELECT d.external_id, e.event_type, e.location, e.theatre, e.lat, e.lon FROM events e
                         JOIN import_details d USING (record_id) ORDER BY 1""").fetchall()
    assert rows == [
        ("UW9001", "Explosions/Remote violence", "Kharkiv", "Eastern front", 49.9935, 36.2304),
        ("UW9010", "Battles", "Donetsk", "Eastern front", 48.0159, 37.8029),
        ("UW9011", "Explosions/Remote violence", "Shebekino", "Russia", 50.4, 36.9),
    ]
    # The same entry from the CSV is the same record: a CSV import afterwards updates it, not doubles it.
    again = import_file(db, "eyes-on-russia", FIX / "eor_small.csv")
    assert again.updated == 1 and again.added == 4


def test_bad_geojson_and_bad_rows(db, tmp_path):
    bad = tmp_path / "bad.geojson"
    bad.write_text(
        '{"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": '
        '{"type": "LineString", "coordinates": [[1, 2], [3, 4]]}, "properties": {"entry": "x"}}]}'
    )
    with pytest.raises(ImportFormatError, match="feature 1, column geometry: expected a Point"):
        import_file(db, "eyes-on-russia", bad)
    lines = (FIX / "eor_small.csv").read_text().splitlines()
    bad_date = tmp_path / "bad.csv"
    bad_date.write_text(
        "\n".join(lines[:2] + [lines[2].replace("2022-03-02", "March 2nd")] + lines[3:]) + "\n"
    )
    with pytest.raises(ImportFormatError, match=r"bad.csv: row 3, column date: 'March 2nd' is not a date"):
        import_file(db, "eyes-on-russia", bad_date)
    with pytest.raises(
        ImportFormatError, match="missing required column.*is this an Eyes on Russia export.*acled"
    ):
        import_file(db, "eyes-on-russia", FIX / "acled_small.csv")
    assert db.execute("SELECT count(*) FROM documents").fetchall() == [(0,)]


@pytest.mark.corpus
@needs_shared(REAL)
def test_real_file_counts_by_country_match_the_file(db):
    with REAL.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    expected = Counter((r["country"].strip() or None) for r in rows)
    result = import_file(db, "eyes-on-russia", REAL)
    assert result.rows == result.added == len(rows) == 6650
    stored = Counter(
        dict(
            db.execute(
                "SELECT country, count(*) FROM import_details WHERE origin = 'eyes-on-russia' GROUP BY 1"
            ).fetchall()
        )
    )
    assert stored == expected
    assert db.execute("SELECT count(*) FROM records WHERE origin = 'eyes-on-russia'").fetchall() == [
        (len(rows),)
    ]
    # Every row keeps its link as provenance and its own coordinates.
    linked = sum(1 for r in rows if r["link"].strip())
    assert db.execute(
        "SELECT count(url), count(lat) FROM records WHERE origin = 'eyes-on-russia'"
    ).fetchall() == [(linked, len(rows))]
    # A second import of the same file changes nothing.
    again = import_file(db, "eyes-on-russia", REAL)
    assert (again.added, again.updated, again.unchanged) == (0, 0, len(rows))


def test_early_2022_group_names_are_typed(db):
    r = import_file(db, "eyes-on-russia", FIX / "eor_snapshot_2022-02.csv")
    assert not any("no entry of" in n for n in r.notes), r.notes
    rows = db.execute("""SELECT d.event_group, e.event_type, e.sub_event_type FROM events e
                         JOIN import_details d USING (record_id) ORDER BY d.source_row""").fetchall()
    assert rows == [
        ("Russian Military Movements", "Strategic developments", "Change to group/activity"),
        ("Bombing, shelling or explosion", "Explosions/Remote violence", "Shelling/artillery/missile attack"),
        ("Gunfire, fighting, battle", "Battles", "Armed clash"),
        ("Russian Allies Movements/Losses", "Strategic developments", "Change to group/activity"),
        ("Civilian Casualty", "Violence against civilians", "Attack"),
    ]
    assert db.execute("""SELECT a.actor, a.role FROM record_actors a JOIN import_details d USING (record_id)
                         WHERE d.external_id = 'UW0001'""").fetchall() == [("Russian Armed Forces", "actor")]
    themes = {t for (t,) in db.execute("SELECT DISTINCT theme FROM record_themes").fetchall()}
    assert {"strikes", "ground combat", "war crimes and accountability"} <= themes


def test_an_unknown_group_is_typed_other_and_said(db, tmp_path):
    lines = (FIX / "eor_snapshot_2022-02.csv").read_text().splitlines()
    odd = tmp_path / "odd.csv"
    odd.write_text(
        "\n".join([lines[0], lines[1].replace("Russian Military Movements", "Zeppelin sightings")]) + "\n"
    )
    r = import_file(db, "eyes-on-russia", odd)
    assert any(
        "1 row(s) in 1 event group(s) that no entry of import_mappings.yaml names" in n
        and "Zeppelin sightings (1)" in n
        for n in r.notes
    )
    assert db.execute("SELECT event_type, sub_event_type FROM events").fetchall() == [
        ("Strategic developments", "Other")
    ]


def _stored(db) -> set[tuple]:
    return set(
        db.execute("""SELECT d.external_id, e.date, e.event_type, e.lat, e.lon, d.event_group FROM events e
                             JOIN import_details d USING (record_id) WHERE e.origin = 'eyes-on-russia'""").fetchall()
    )


def test_successive_snapshots_leave_exactly_the_last_files_rows(db, tmp_path):
    last = FIX / "eor_snapshot_2022-11.csv"
    import_file(db, "eyes-on-russia", FIX / "eor_snapshot_2022-02.csv")
    june = import_file(db, "eyes-on-russia", FIX / "eor_snapshot_2022-06.csv")
    # UW0002 was renumbered UW0102; the row without an id changed its text (so its md5 key).
    assert june.removed == 3 and any("removed: UW0002, UW0004, row-" in n for n in june.notes), june.notes
    nov = import_file(db, "eyes-on-russia", last)
    assert (nov.removed, nov.added) == (2, 2)
    # Only the last snapshot's rows are left, and nothing else of the removed ones.
    fresh = tmp_path / "fresh.duckdb"
    from analytics.store import connect

    con = connect(fresh)
    try:
        import_file(con, "eyes-on-russia", last)
        expected = _stored(con)
    finally:
        con.close()
    assert _stored(db) == expected and len(expected) == 5
    for table in ("documents", "sentences", "events", "import_details"):
        assert db.execute(f"SELECT count(*) FROM {table}").fetchall() == [(5,)]


def test_a_snapshot_keeps_events_dated_after_it(db):
    # A newer snapshot imported first: the older one removes nothing dated after its own last date.
    import_file(db, "eyes-on-russia", FIX / "eor_snapshot_2022-11.csv")
    r = import_file(db, "eyes-on-russia", FIX / "eor_snapshot_2022-06.csv")
    ids = {x for (x,) in db.execute("SELECT external_id FROM import_details").fetchall()}
    assert "UW0400" in ids and "UW0301" not in ids and r.removed == 1


@pytest.mark.corpus
@needs_shared(REAL)
def test_real_file_is_typed_and_placed_where_its_coordinates_are(db):
    from analytics.importers.common import km_sql

    import_file(db, "eyes-on-russia", REAL)
    total, other = db.execute("SELECT count(*), count(*) FILTER (WHERE sub_event_type = 'Other') FROM events"
                              ).fetchall()[0]  # fmt: skip
    assert other / total < 0.05
    far = db.execute(f"""SELECT count(*) FROM events e JOIN places p ON p.name = e.location
                         WHERE {km_sql("e.lat", "e.lon", "p.lat", "p.lon")} > 100""").fetchall()
    assert far == [(0,)]


@pytest.mark.corpus
@needs_shared(REAL)
def test_real_file_as_three_snapshots_with_older_group_names(db, tmp_path):
    """Snapshot-like files cut from the real one by date, the first with February 2022's group names."""
    with REAL.open(newline="", encoding="utf-8") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        rows = list(reader)
    col = {h: i for i, h in enumerate(header)}
    early = {"Russian Military Presence": "Russian Military Movements", "Bombing or Explosion":
             "Bombing, shelling or explosion", "Ground Battle": "Gunfire, fighting, battle",
             "Russian Allies Presence/Losses": "Russian Allies Movements/Losses"}  # fmt: skip

    def cut(name, until, rename=False):
        out = tmp_path / name
        with out.open("w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow(header)
            for r in rows:
                if r[col["date"]] and r[col["date"]] <= until:
                    r = list(r)
                    for new, old in early.items() if rename else ():
                        if r[col["event_group"]].startswith(new):
                            r[col["event_group"]] = old
                    w.writerow(r)
        return out

    feb = import_file(db, "eyes-on-russia", cut("feb.csv", "2022-02-28", rename=True))
    other = db.execute(
        "SELECT count(*) FILTER (WHERE sub_event_type = 'Other') / count(*) FROM events"
    ).fetchall()
    assert feb.rows > 500 and other[0][0] < 0.05
    import_file(db, "eyes-on-russia", cut("jun.csv", "2022-06-30"))
    import_file(db, "eyes-on-russia", REAL)
    assert db.execute("SELECT count(*) FROM events").fetchall() == [(6650,)]
