"""CSV that cites: the outlet found at ingest, and the citation columns on every CLI and page export."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest

from analytics import outlets
from analytics.citations import CITATION_COLUMNS
from analytics.corpus import build_document

# What a reader of an exported row needs to find and cite it (the list, in our names).
MUST_CITE = {"record_id", "kind", "type", "date", "date_precision", "actors", "location", "theatre", "themes",
             "sentence", "article", "outlet", "url", "published", "origin"}  # fmt: skip


def test_citation_columns_cover_the_list():
    assert MUST_CITE | {"incident_id", "commitment_id"} <= set(CITATION_COLUMNS)


@pytest.mark.parametrize(("name", "text", "meta", "outlet", "basis"), [
    ("a.md", "---\noutlet: Kyiv Independent\nsource: wire\n---\nTitle\n\nBody.", None, "Kyiv Independent", "front matter"),
    ("a.md", "---\nsource: The Guardian\n---\nTitle\n\nBody.", None, "The Guardian", "front matter"),
    ("a.txt", "Title\n\nBody.", {"source": "Notes from Poland"}, "Notes from Poland", "catalogue"),
    ("a.md", "---\nurl: https://www.theguardian.com/world/x\n---\nTitle\n\nBody.", None, "The Guardian", "url host"),
    ("a.md", "---\nurl: https://news.example.net/x\n---\nT\n\nBody.", None, "news.example.net", "url host"),
    # The outlet naming itself: an agency dateline, its own app advertised.
    ("a.txt", "Lukashenko meets envoy\nMINSK, 28 January (BelTA) – The President said...", None, "BelTA", "text"),
    ("a.txt", "Title\n\nSenators spoke.\nGET THE FOX NEWS APP\nMore text.", None, "Fox News", "text"),
    ("a.txt", "Title\n\nCAPRI, Italy (AP) — Ministers met.", None, "Associated Press", "text"),
    # Another outlet quoted is not the publisher.
    ("a.txt", 'Title\n\nAn official told CNN that talks failed, as reported by Reuters.', None, None, None),
])  # fmt: skip
def test_outlet_is_read_in_order_and_only_where_it_names_itself(name, text, meta, outlet, basis):
    doc = build_document(name, text.encode(), meta=meta)
    assert (doc.outlet, doc.outlet_basis) == (outlet, basis)


def test_corpus_file_names_give_the_outlets_country():
    assert outlets.country_from_name("20220125T090000Z_GB_en_7d015e6984.txt") == "GB"
    assert outlets.country_from_name("notes.txt") is None


@pytest.fixture(scope="module")
def cited_db(seed_db, tmp_path_factory) -> Path:
    """The seed plus two articles with a url (one of them naming its outlet in front matter)."""
    from analytics.ingest import ingest_paths
    from analytics.store import connect
    from tests.browser.articles import article

    folder = tmp_path_factory.mktemp("cited-articles")
    for i in range(2):
        name, raw = article(i, paragraphs=8)
        raw = raw.replace(b"source: test wire\n", f"url: https://www.example.org/news/{i}\n".encode())
        (folder / name).write_bytes(raw)
    path = tmp_path_factory.mktemp("citeddb") / "cited.duckdb"
    shutil.copyfile(seed_db, path)
    con = connect(path)
    try:
        ingest_paths(con, [folder])
    finally:
        con.close()
    return path


def _rows(data: bytes | str) -> list[dict]:
    text = data.decode("utf-8") if isinstance(data, bytes) else data
    return list(csv.DictReader(io.StringIO(text)))


@pytest.mark.parametrize("table", ["events", "aid_figures", "diplomatic_items", "statements", "records",
                                   "incidents", "aid_commitments", "contested_claims", "record_actors"])  # fmt: skip
def test_cli_export_carries_the_citation(cited_db, tmp_path, table, capsys):
    from analytics.cli import main

    out = tmp_path / f"{table}.csv"
    assert main(["export", table, "--db", str(cited_db), "--format", "csv", "--out", str(out)]) == 0
    rows = _rows(out.read_text(encoding="utf-8"))
    assert rows, f"{table}: the fixture has rows of every kind"
    assert MUST_CITE <= set(rows[0]), MUST_CITE - set(rows[0])
    cited = [r for r in rows if r["url"]]
    assert cited and all(r["outlet"] == "example.org" and r["url"].startswith("https://www.example.org/")
                         for r in cited)  # fmt: skip
    assert all(r["sentence"] and r["article"] for r in rows)
    if table in ("incidents", "aid_commitments"):
        assert all(r["record_id"] in r["report_ids"].split() for r in rows)  # its first report, of all listed
    if table == "events":
        assert any(r["incident_id"] for r in rows)


def test_every_page_view_csv_cites(cited_db):
    import duckdb

    from analytics import queries
    from analytics.filters import Filters

    with duckdb.connect(str(cited_db), read_only=True) as con:
        for view in queries.VIEWS:
            rows = _rows(queries.view_csv(con, view, Filters()))
            assert rows and MUST_CITE <= set(rows[0]), (view, MUST_CITE - set(rows[0]))
            assert any(r["outlet"] == "example.org" for r in rows), view
        themed = _rows(queries.view_csv(con, "events", Filters(themes=("ground combat",))))
        assert themed and all("ground combat" in r["themes"] for r in themed)


def test_listing_rows_link_to_their_sentence(cited_db):
    import duckdb

    from analytics import citations, queries
    from analytics.filters import Filters

    with duckdb.connect(str(cited_db), read_only=True) as con:
        for view in queries.VIEWS:
            frame = queries.view_rows(con, view, Filters(), limit=20)
            links = citations.reader_targets(con, frame)
            assert links.notna().all(), view
            assert all(link.startswith("reader?doc=") and "&sentence=" in link for link in links), view
