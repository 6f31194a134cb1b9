"""CSV extracts never hand a spreadsheet a formula: a text cell starting with = + - @, tab or carriage
return gets a leading ', through the CLI export and through the dashboard's CSV builder alike. Numbers,
and text with those characters further in, are left as they are."""

from __future__ import annotations

import csv
import io

import pytest

from analytics import export, queries
from analytics.filters import Filters
from analytics.ingest import ingest_uploads

LEADING = {  # id -> a hostile cell
    "equals": '=HYPERLINK("http://evil.example","click")',
    "plus": "+cmd|' /C calc'!A0",
    "minus": "-2+3",
    "at": "@SUM(1+1)",
    "tab": "\t=1+1",
    "carriage-return": "\r=1+1",
}
HARMLESS = "Kyiv = capital; 2+2 @ noon - ok"  # formula characters further in


def put_document(con, title: str, n: int = -2) -> None:
    con.execute(
        "INSERT INTO documents (doc_id, content_hash, name, title, source, text, n_sentences) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        [f"d{abs(hash(title)) % 10**12}", f"h{abs(hash(title))}", "f.txt", title, HARMLESS, title, n],
    )


def via_cli_export(con, tmp_path) -> list[dict]:
    out = tmp_path / "documents.csv"
    export.export(con, "documents", Filters(), "csv", out)
    return list(csv.DictReader(io.StringIO(out.read_bytes().decode("utf-8"), newline="")))


def via_dashboard(con) -> list[dict]:
    return list(
        csv.DictReader(io.StringIO(queries.table_csv(con, "documents", Filters()).decode(), newline=""))
    )


@pytest.mark.parametrize("build", ["cli", "dashboard"])
@pytest.mark.parametrize("cell", LEADING.values(), ids=LEADING.keys())
def test_a_cell_starting_with_a_formula_character_is_prefixed(db, tmp_path, build, cell):
    put_document(db, cell)
    [row] = via_cli_export(db, tmp_path) if build == "cli" else via_dashboard(db)
    assert row["title"] == "'" + cell and row["text"] == "'" + cell
    assert row["source"] == HARMLESS  # formula characters later in a cell: untouched
    assert row["n_sentences"] == "-2"  # a negative number is a number, not a formula
    assert row["name"] == "f.txt"


def test_the_dashboard_builder_leaves_numbers_and_plain_text_alone(db):
    out = export.csv_bytes(db, "SELECT ? AS t, -5 AS i, -1.5::DOUBLE AS x, DATE '2023-05-01' AS d, ? AS plain",
                           ["-5", HARMLESS]).decode()  # fmt: skip
    [row] = list(csv.DictReader(io.StringIO(out)))
    assert row == {"t": "'-5", "i": "-5", "x": "-1.5", "d": "2023-05-01", "plain": HARMLESS}


def test_view_csv_neutralises_sentences_an_article_carried(db):
    text = ('Kherson attack\n\n=HYPERLINK("http://evil.example","x") Ukraine accused Russia of shelling Kherson.\n\n'
            "+cmd|' /C calc'!A0 The Kremlin denied the reports.\n\n@SUM(1+1) Russia warned the West.\n\n"
            "-2+3 Zelensky urged allies to send tanks.\n")  # fmt: skip
    [r] = ingest_uploads(db, [("formulas.txt", text.encode())])
    assert r.status == "added" and r.records > 0
    rows = list(csv.DictReader(io.StringIO(queries.view_csv(db, "records", Filters()).decode())))
    cells = [c for row in rows for c in row.values() if c]
    assert not [c for c in cells if c[0] in "=+-@\t\r"]
    assert any(c.startswith("'=HYPERLINK") or c.startswith("'+cmd") or c.startswith("'@SUM") or c.startswith("'-2+3")
               for c in cells)  # fmt: skip
