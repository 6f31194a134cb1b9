"""GDELT 2.0 event imports: CAMEO codes as text, kinds by code, QuadClass and Goldstein kept, bad input."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from analytics.importers import ImportFormatError, import_file
from tests.conftest import SHARED, needs_shared

FIX = Path(__file__).parent / "fixtures" / "imports"
GDELT = FIX / "gdelt_small.export.CSV"
REAL = SHARED / "data" / "gdelt2-20190121220000.export.CSV"


def rid(gid: str) -> str:
    return hashlib.sha1(f"gdelt:{gid}".encode()).hexdigest()[:16]


def test_cameo_codes_map_to_kinds_and_keep_leading_zeros(db):
    r = import_file(db, "gdelt", GDELT)
    assert (r.rows, r.added, r.skipped) == (8, 7, 1)  # 061 (material cooperation) maps to no kind
    assert "roots 06 (1)" in r.message
    kinds = dict(
        db.execute("""SELECT d.cameo_event_code, r.kind || '/' || r.type FROM import_details d
                               JOIN records r USING (record_id)""").fetchall()
    )
    assert kinds == {
        "042": "diplomacy/visit", "073": "aid/announcement", "0871": "diplomacy/peace initiative",
        "194": "event/Explosions/Remote violence", "112": "statement/accuses", "163": "diplomacy/sanctions",
        "057": "diplomacy/agreement",
    }  # fmt: skip
    detail = db.execute("SELECT cameo_root_code, cameo_base_code, quad_class, goldstein, num_mentions FROM import_details "
                        "WHERE external_id = '1100000003'").fetchall()  # fmt: skip
    assert detail == [("08", "087", 2, 9.0, 10)]


def test_actors_sides_places_and_urls(db):
    import_file(db, "gdelt", GDELT)
    aid = db.execute("SELECT donor, recipient, aid_type, location FROM aid_figures").fetchall()
    assert aid == [("United States", "Ukraine", "humanitarian", "Kyiv")]
    strike = db.execute("SELECT actor, side, role FROM record_actors WHERE record_id = ? ORDER BY position",
                        [rid("1100000004")]).fetchall()  # fmt: skip
    assert strike == [("Russian Armed Forces", "Russia", "actor"), ("Ukraine", "Ukraine", "target")]
    assert db.execute("SELECT speaker, stance FROM statements").fetchall() == [("Ukraine", "accuses")]
    eu = db.execute(
        "SELECT actor FROM record_actors WHERE record_id = ? ORDER BY position", [rid("1100000006")]
    ).fetchall()
    assert eu == [("European Union",), ("Russia",)]
    ev = db.execute("SELECT location, theatre, lat, lon, url, origin FROM records WHERE record_id = ?",
                    [rid("1100000004")]).fetchall()  # fmt: skip
    assert ev == [
        ("Kharkiv", "Eastern front", 49.9808, 36.2527, "https://example.org/kharkiv-shelling", "gdelt")
    ]
    themes = {t for (t,) in db.execute("SELECT theme FROM record_themes").fetchall()}
    assert {"sanctions", "humanitarian", "strikes", "peace talks"} <= themes


def test_reimport_is_unchanged(db):
    import_file(db, "gdelt", GDELT)
    r = import_file(db, "gdelt", GDELT)
    assert (r.added, r.updated, r.unchanged) == (0, 0, 7)


def test_bad_code_names_row_and_column_and_stores_nothing(db):
    with pytest.raises(ImportFormatError, match=r"row 3, column EventCode: 'fire' is not a CAMEO event code"):
        import_file(db, "gdelt", FIX / "gdelt_bad_code.export.CSV")
    assert db.execute("SELECT count(*) FROM documents").fetchall() == [(0,)]


def test_wrong_format_and_short_rows(db, tmp_path):
    with pytest.raises(
        ImportFormatError,
        match="expected a GDELT events file: tab-separated, no header, 61 columns "
        r"\(GDELT 2.0\) or 58 or 57 \(GDELT 1.0.*found 31 comma-separated.*import it as acled",
    ):
        import_file(db, "gdelt", FIX / "acled_small.csv")
    lines = GDELT.read_text().splitlines()
    short = tmp_path / "short.CSV"
    short.write_text("\n".join(lines[:4] + ["\t".join(lines[4].split("\t")[:40])] + lines[5:]) + "\n")
    with pytest.raises(ImportFormatError, match=r"short.CSV: row 5.*expected 61 columns, found 40"):
        import_file(db, "gdelt", short)
    assert db.execute("SELECT count(*) FROM documents").fetchall() == [(0,)]


def _gdelt_row(**values) -> str:
    """One GDELT 2.0 row: the first fixture row with some fields replaced."""
    from analytics.importers.gdelt import COLUMNS

    fields = GDELT.read_text().splitlines()[0].split("\t")
    for k, v in values.items():
        fields[COLUMNS.index(k)] = v
    return "\t".join(fields)


@pytest.mark.parametrize(
    "drop_url, layout", [(False, "GDELT 1.0 (58 columns)"), (True, "GDELT 1.0 backfile (57 columns)")]
)
def test_gdelt_1_files_are_read_by_their_own_layout(db, tmp_path, drop_url, layout):
    from analytics.importers.gdelt import COLUMNS

    keep = [
        i for i, c in enumerate(COLUMNS) if not c.endswith("ADM2Code") and not (drop_url and c == "SOURCEURL")
    ]
    out = tmp_path / "v1.CSV"
    out.write_text(
        "".join(
            "\t".join(line.split("\t")[i] for i in keep) + "\n" for line in GDELT.read_text().splitlines()
        )
    )
    r = import_file(db, "gdelt", out)
    assert (r.rows, r.added) == (8, 7) and f"read as {layout}" in r.notes
    url = db.execute("SELECT url FROM records WHERE origin = 'gdelt' AND location = 'Kharkiv'").fetchall()
    assert url == [(None if drop_url else "https://example.org/kharkiv-shelling",)]


def test_action_geo_places_by_country_region_and_coordinates(db, tmp_path):
    rows = [
        # A US state called Georgia (ADM1 level): not the country Georgia.
        _gdelt_row(
            GLOBALEVENTID="2000000001",
            ActionGeo_Type="2",
            ActionGeo_FullName="Georgia, United States",
            ActionGeo_CountryCode="US",
            ActionGeo_ADM1Code="USGA",
            ActionGeo_Lat="32.9866",
            ActionGeo_Long="-83.6487",
        ),
        # Donetsk Oblast by its ADM1 code, at the oblast's centre.
        _gdelt_row(
            GLOBALEVENTID="2000000002",
            ActionGeo_Type="5",
            ActionGeo_FullName="Donets'ka Oblast', Ukraine",
            ActionGeo_CountryCode="UP",
            ActionGeo_ADM1Code="UP05",
            ActionGeo_Lat="48",
            ActionGeo_Long="37.8",
        ),
        # A town named like a Russian one, in Ukraine by its code and coordinates.
        _gdelt_row(
            GLOBALEVENTID="2000000003",
            ActionGeo_Type="4",
            ActionGeo_FullName="Novomoskovsk, Dnipropetrovs'ka Oblast', Ukraine",
            ActionGeo_CountryCode="UP",
            ActionGeo_ADM1Code="UP04",
            ActionGeo_Lat="48.6333",
            ActionGeo_Long="35.2167",
        ),
        # A country as a whole: its theatre; the country as location only where we draw it near
        # GDELT's centre (Russia's centre is in Siberia, ours west of the Volga).
        _gdelt_row(
            GLOBALEVENTID="2000000004",
            ActionGeo_Type="1",
            ActionGeo_FullName="Russia",
            ActionGeo_CountryCode="RS",
            ActionGeo_ADM1Code="RS",
            ActionGeo_Lat="60",
            ActionGeo_Long="100",
        ),
        _gdelt_row(
            GLOBALEVENTID="2000000005",
            ActionGeo_Type="1",
            ActionGeo_FullName="Ukraine",
            ActionGeo_CountryCode="UP",
            ActionGeo_ADM1Code="UP",
            ActionGeo_Lat="49",
            ActionGeo_Long="32",
        ),
    ]
    out = tmp_path / "geo.CSV"
    out.write_text("\n".join(rows) + "\n")
    import_file(db, "gdelt", out)
    got = dict(db.execute("""SELECT d.external_id, (r.location, r.theatre, d.country_place) FROM records r
                             JOIN import_details d USING (record_id)""").fetchall())  # fmt: skip
    assert got["2000000001"] == ("Georgia, United States", "International", "United States")
    assert got["2000000002"] == ("Donetsk Oblast", "Eastern front", "Ukraine")
    assert got["2000000003"] == (
        "Novomoskovsk, Dnipropetrovs'ka Oblast', Ukraine",
        "Ukrainian rear",
        "Ukraine",
    )
    assert got["2000000004"] == (None, "Russia", "Russia")
    assert got["2000000005"] == ("Ukraine", None, "Ukraine")


@pytest.mark.corpus
@needs_shared(REAL)
def test_real_gdelt_2_export_imports(db):
    rows = REAL.read_text(encoding="utf-8", errors="replace").count("\n")
    r = import_file(db, "gdelt", REAL)
    assert r.rows == rows and r.added + r.skipped == rows and r.added > 0
    # Georgia the US state is never the country Georgia.
    assert (
        db.execute("""SELECT count(*) FROM records r JOIN import_details d USING (record_id)
                         WHERE d.location_name LIKE '%, United States' AND r.location = 'Georgia'""").fetchall()
        == [(0,)]
    )
    from analytics.importers.common import km_sql

    # No record of any kind is placed far from its own coordinates.
    placed, far = (
        db.execute(f"""SELECT count(*), count(*) FILTER (WHERE {km_sql("d.lat", "d.lon", "p.lat", "p.lon")} > 100)
                                 FROM records r JOIN import_details d USING (record_id)
                                 JOIN places p ON p.name = r.location""").fetchall()[0]
    )
    assert placed > 0 and far == 0
    again = import_file(db, "gdelt", REAL)
    assert (again.added, again.updated) == (0, 0)
