"""GDELT 2.0 event imports: CAMEO codes as text, kinds by code, QuadClass and Goldstein kept, bad input."""
from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from analytics.importers import ImportFormatError, import_file

FIX = Path(__file__).parent / "fixtures" / "imports"
GDELT = FIX / "gdelt_small.export.CSV"


def rid(gid: str) -> str:
    return hashlib.sha1(f"gdelt:{gid}".encode()).hexdigest()[:16]


def test_cameo_codes_map_to_kinds_and_keep_leading_zeros(db):
    r = import_file(db, "gdelt", GDELT)
    assert (r.rows, r.added, r.skipped) == (8, 7, 1)  # 061 (material cooperation) maps to no kind
    assert "roots 06 (1)" in r.message
    kinds = dict(db.execute("""SELECT d.cameo_event_code, r.kind || '/' || r.type FROM import_details d
                               JOIN records r USING (record_id)""").fetchall())
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
    eu = db.execute("SELECT actor FROM record_actors WHERE record_id = ? ORDER BY position", [rid("1100000006")]).fetchall()
    assert eu == [("European Union",), ("Russia",)]
    ev = db.execute("SELECT location, theatre, lat, lon, url, origin FROM records WHERE record_id = ?",
                    [rid("1100000004")]).fetchall()  # fmt: skip
    assert ev == [("Kharkiv", "Eastern front", 49.9808, 36.2527, "https://example.org/kharkiv-shelling", "gdelt")]
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
    with pytest.raises(ImportFormatError, match="expected 61 tab-separated columns.*import it as acled"):
        import_file(db, "gdelt", FIX / "acled_small.csv")
    lines = GDELT.read_text().splitlines()
    short = tmp_path / "short.CSV"
    short.write_text("\n".join(lines[:4] + ["\t".join(lines[4].split("\t")[:40])] + lines[5:]) + "\n")
    with pytest.raises(ImportFormatError, match=r"short.CSV: row 5.*expected 61 columns, found 40"):
        import_file(db, "gdelt", short)
    assert db.execute("SELECT count(*) FROM documents").fetchall() == [(0,)]
