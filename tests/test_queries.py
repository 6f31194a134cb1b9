"""The query layer on a seed database built by the real ingest, and on an empty one."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import duckdb
import pandas as pd
import pytest

from analytics import queries, reader
from analytics.filters import Filters, from_query, to_query

WAGNER = Filters(actors=("Wagner Group",))


@pytest.fixture(scope="module")
def seed(seed_db):
    con = duckdb.connect(str(seed_db), read_only=True)
    yield con
    con.close()


@pytest.fixture
def empty(db):
    return db


def rows(con, table: str) -> int:
    """How many rows the seed's extraction put in a table: the figures follow the extractor."""
    return con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def test_overview_counts_follow_filters(seed):
    assert queries.overview_counts(seed, Filters()) == {
        "events": rows(seed, "events"), "figures": rows(seed, "aid_figures"), "items": rows(seed, "diplomatic_items"),
        "planned_items": 0, "statements": rows(seed, "statements"), "articles": 1,
    }  # fmt: skip
    assert 0 < queries.overview_counts(seed, WAGNER)["events"] < rows(seed, "events")


def test_views_list_a_page_and_count_all(seed):
    for view in queries.VIEWS:
        total = queries.view_count(seed, view, Filters())
        page = queries.view_rows(seed, view, Filters(), limit=3)
        assert len(page) == min(3, total)
        if view not in queries.DERIVED_VIEWS:  # those list incidents, commitments and pairs, not records
            assert {
                "article",
                "published",
                "sentence",
                "doc_id",
                "sentence_no",
                "start_char",
                "end_char",
            } <= set(page)


def test_csv_holds_exactly_the_rows_of_the_view(seed):
    rows = list(csv.DictReader(io.StringIO(queries.view_csv(seed, "events", WAGNER).decode())))
    assert len(rows) == queries.view_count(seed, "events", WAGNER) > 0
    assert all("Wagner Group" in r["actors"] for r in rows)
    assert (
        queries.view_filename(
            "events", WAGNER.with_(date_from=dt.date(2023, 5, 1), date_to=dt.date(2023, 5, 31))
        )
        == "events_actor-Wagner-Group_2023-05-01_2023-05-31.csv"
    )
    assert queries.view_filename("aid", Filters()) == "aid_all.csv"


def test_csv_neutralises_formulas(db):
    from analytics.export import csv_bytes

    out = csv_bytes(db, "SELECT '=HYPERLINK(\"x\")' AS a, '-1+2' AS b, 'plain' AS c, 3 AS n", []).decode()
    assert out.splitlines() == ["a,b,c,n", '"\'=HYPERLINK(""x"")",\'-1+2,plain,3']


def test_correction_is_not_new_aid(seed):
    summary = queries.aid_summary(queries.aid_totals(seed, Filters()))
    assert "announcement" not in summary
    assert summary["correction"] == [("USD", 3e9, 1)]
    assert len(queries.aid_corrections(seed, Filters())) == 1


@pytest.mark.parametrize("dimension", ["donor", "recipient", "aid_type", "record_type"])
def test_aid_tally_by_dimension(seed, dimension):
    tally = queries.aid_tally(seed, Filters(), dimension)
    assert tally["figures"].sum() == 1


def test_aid_tally_refuses_unknown_dimension(seed):
    with pytest.raises(ValueError):
        queries.aid_tally(seed, Filters(), "amount; DROP TABLE events")


def test_timeline_marks_spans_and_precision(seed):
    t = queries.timeline_records(seed, Filters())
    extension = t[t["type"] == "extension"].iloc[0]
    assert bool(extension["is_span"]) and str(extension["period_end"])[:10] == "2023-07-19"
    assert set(t["date_precision"]) == {"day"}


def test_theatres_and_map(seed):
    places = queries.theatre_places(seed, Filters())
    assert places["events"].sum() == rows(seed, "events") > 0  # unplaced ones under "Theatre not known"
    assert "Eastern front" in queries.theatres_of(places)
    points = queries.map_places(seed, Filters())
    assert "Bakhmut" in set(points["place"]) and points["lat"].notna().all()


def test_diplomacy_and_claims(seed):
    assert queries.diplomacy_by_type(seed, Filters())["items"].sum() == rows(seed, "diplomatic_items") > 0
    sides = queries.diplomacy_by_participant(seed, Filters(), top=2)
    assert sides["participants"].nunique() == 2
    claims = queries.view_rows(seed, "claims", Filters())
    assert list(claims["contested"]) == sorted(claims["contested"], reverse=True)
    assert {"claims", "denies"} <= set(queries.stance_matrix(seed, Filters())["stance"])


def test_article_reader_escapes_and_marks(seed):
    doc_id = queries.articles(seed, Filters())["doc_id"][0]
    sentences = queries.article_sentences(seed, doc_id)
    markers = reader.record_markers(sentences)
    assert len(markers) == sum(
        rows(seed, t) for t in ("events", "aid_figures", "diplomatic_items", "statements")
    )
    md = reader.article_markdown(queries.article(seed, doc_id)["text"], sentences, markers)
    assert ":orange-background[" in md and ":blue-badge[E1 event]" in md
    assert "U\\.S\\." in md  # punctuation escaped


def test_escape_markdown_leaves_no_live_markup():
    md = reader.escape_markdown("<script>alert(1)</script> [x](javascript:y) *b* $x$ :smile:")
    # Every markup character arrives backslash-escaped, so Markdown shows it as written.
    assert re.search(r"(?<!\\)[<>\[\]()*$:]", md) is None
    assert md.replace("\\", "") == "<script>alert(1)</script> [x](javascript:y) *b* $x$ :smile:"


def test_url_round_trip_and_validation():
    f = Filters(actors=("Russia",), actor_scope="country", themes=("sanctions",), kinds=("event",),
                date_from=dt.date(2023, 5, 1), date_to=dt.date(2023, 5, 31))  # fmt: skip
    back, notices = from_query(to_query(f), actors={"Russia"}, themes={"sanctions"}, theatres=set())
    assert back == f and notices == []
    bad, notices = from_query({"actor": ["Nobody"], "to": ["yesterday"], "kind": ["x"], "zz": ["1"]},
                              actors={"Russia"}, themes=set(), theatres=set())  # fmt: skip
    assert bad == Filters() and len(notices) == 4


def test_empty_database_returns_empty_results(empty):
    f = Filters()
    assert queries.overview_counts(empty, f) == {"events": 0, "figures": 0, "items": 0, "planned_items": 0,
                                                 "statements": 0, "articles": 0}  # fmt: skip
    for view in queries.VIEWS:
        assert queries.view_count(empty, view, f) == 0
        assert queries.view_csv(empty, view, f).count(b"\n") == 1  # the header only
    assert queries.timeline_records(empty, f).empty and queries.map_places(empty, f).empty
    assert queries.vocabulary(empty)["actors"] == []
    assert queries.table_count(empty, "events", f) == 0


# ---- imported records beside extracted ones ------------------------------------------------------

ACLED = Filters(origins=("acled",))


@pytest.fixture(scope="module")
def imported(imported_db):
    con = duckdb.connect(str(imported_db), read_only=True)
    yield con
    con.close()


def test_map_places_imported_events_at_their_own_coordinates(imported):
    points = queries.map_places(imported, ACLED)
    at = {p: (lat, lon) for p, lat, lon in zip(points["place"], points["lat"], points["lon"], strict=True)}
    # Novyi Yarychiv and Shebekino are not in the places vocabulary: mapped at ACLED's coordinates.
    assert at["Novyi Yarychiv"] == (49.9, 24.3)
    assert at["Shebekino"] == (50.4, 36.9)
    assert at["Kharkiv"] == (49.9935, 36.2304)
    assert points["events"].sum() == 5
    assert (
        queries.map_places(imported, Filters(origins=("extracted",)))["events"].sum()
        == queries.map_places(imported, Filters())["events"].sum() - 5
    )


def test_map_places_extracted_events_keep_the_places_coordinates(seed, imported):
    before = queries.map_places(seed, Filters())
    after = queries.map_places(imported, Filters(origins=("extracted",)))
    assert before.equals(after)


def test_theatre_breakdown_counts_imported_events(imported):
    places = queries.theatre_places(imported, ACLED)
    assert places["events"].sum() == 5
    assert set(places["theatre"]) <= set(queries.vocabulary(imported)["theatres"]) | {"Theatre not known"}
    extracted = queries.theatre_places(imported, Filters(origins=("extracted",)))["events"].sum()
    assert queries.theatre_places(imported, Filters())["events"].sum() == extracted + 5


def test_origin_filter_narrows_every_view(imported):
    assert queries.vocabulary(imported)["origins"] == ["extracted", "acled"]
    assert queries.view_count(imported, "events", ACLED) == 5
    assert queries.view_count(imported, "records", ACLED) == 5
    rows = queries.view_rows(imported, "records", ACLED)
    assert set(rows["origin"]) == {"acled"}
    for view in set(queries.VIEWS) - set(queries.DERIVED_VIEWS) | {"incidents"}:
        assert "origin" in queries.view_rows(imported, view, Filters(), limit=1).columns
    assert queries.overview_counts(imported, ACLED) == {"events": 5, "figures": 0, "items": 0, "planned_items": 0,
                                                        "statements": 0, "articles": 0}  # fmt: skip
    assert queries.view_filename("events", ACLED) == "events_origin-acled.csv"


def test_coverage_counts_articles_apart_from_imported_rows(seed, imported):
    assert queries.coverage(imported)["articles"] == queries.coverage(seed)["articles"] == 1
    assert queries.coverage(imported)["records"] == queries.coverage(seed)["records"] + 5
    summary = queries.origin_summary(queries.coverage_by_origin(imported))
    assert summary[0] == (
        "extracted",
        1,
        {
            "event": rows(seed, "events"),
            "diplomacy": rows(seed, "diplomatic_items"),
            "statement": rows(seed, "statements"),
            "aid": rows(seed, "aid_figures"),
        },
    )
    assert summary[1] == ("acled", 5, {"event": 5})
    assert list(queries.sources(imported)["articles"]) == list(queries.sources(seed)["articles"])


def test_origin_in_a_link_is_checked_against_the_database():
    f = Filters(origins=("acled",))
    assert to_query(f) == {"origin": ["acled"]}
    back, notices = from_query(to_query(f), actors=(), themes=(), theatres=(), origins=("extracted", "acled"))
    assert back == f and notices == []
    bad, notices = from_query({"origin": ["gdelt", "<script>"]}, actors=(), themes=(), theatres=(),
                              origins=("extracted", "acled"))  # fmt: skip
    assert bad == Filters() and notices == ["unknown origin 'gdelt'", "unknown origin '<script>'"]


def test_confident_records_only_by_default_and_all_on_request(seed):
    from analytics.filters import CONFIDENT

    confident = seed.execute(
        "SELECT count(*) FROM events WHERE coalesce(confidence, 1) >= ?", [CONFIDENT]
    ).fetchone()[0]
    assert queries.overview_counts(seed, Filters())["events"] == confident
    assert queries.overview_counts(seed, Filters(all_records=True))["events"] == rows(seed, "events")
    listing = queries.view_rows(seed, "events", Filters(all_records=True))
    assert listing["confidence"].between(0, 1).all() and set(listing["factuality"]) <= {
        "asserted",
        "alleged",
        "planned",
    }


def test_all_records_travel_in_the_link():
    f = Filters(all_records=True)
    assert to_query(f) == {"records": ["all"]}
    back, notices = from_query(to_query(f), actors=[], themes=[], theatres=[])
    assert back.all_records and not notices
    same, notices = from_query({"records": ["everything"]}, actors=[], themes=[], theatres=[])
    assert not same.all_records and "'records' is 'confident' or 'all'" in notices[0]


# ---- dates: a record is in a range when its own date is; "overlapping" on request --------------


def test_date_range_takes_a_span_by_its_start_unless_overlapping_is_asked(seed):
    t = queries.timeline_records(seed, Filters())
    extension = t[t["type"] == "extension"].iloc[0]  # the grain deal's two months from 19 May 2023
    june = Filters(date_from=dt.date(2023, 6, 1), date_to=dt.date(2023, 6, 30), all_records=True)
    by_start = queries.timeline_records(seed, june)
    overlapping = queries.timeline_records(seed, june.with_(date_match="overlapping"))
    assert extension["record_id"] not in set(by_start["record_id"])
    assert extension["record_id"] in set(overlapping["record_id"])
    # From its own start day on, it is in the range again.
    since = queries.timeline_records(seed, Filters(date_from=dt.date(2023, 5, 19), all_records=True))
    assert extension["record_id"] in set(since["record_id"])
    assert (pd.to_datetime(since["period_start"]) >= pd.Timestamp("2023-05-19")).all()


def test_date_match_travels_in_the_link_and_a_bad_value_is_named():
    f = Filters(date_from=dt.date(2023, 5, 1), date_match="overlapping")
    assert to_query(f)["dates"] == ["overlapping"]
    back, notices = from_query(to_query(f), actors=set(), themes=set(), theatres=set())
    assert back == f and notices == []
    assert "dates" not in to_query(f.with_(date_match="start"))
    bad, notices = from_query({"dates": ["sometimes"]}, actors=set(), themes=set(), theatres=set())
    assert bad.date_match == "start" and notices == ["'dates' is 'start' or 'overlapping', not 'sometimes'"]


def test_articles_per_month_keeps_empty_months_and_the_note_says_so(seed):
    per_month = queries.articles_per_month(seed, dt.date(2023, 3, 1), dt.date(2023, 6, 30))
    assert [str(m)[:7] for m in per_month["month"]] == ["2023-03", "2023-04", "2023-05", "2023-06"]
    assert per_month["articles"].tolist() == [0, 0, 1, 0]  # the seed article, published 19 May 2023
    note = queries.coverage_note(per_month, dt.date(2023, 3, 1), dt.date(2023, 6, 30))
    assert note.startswith("Only 1 source article was published between 2023-03-01 and 2023-06-30")
    none = queries.articles_per_month(seed, dt.date(2022, 1, 1), dt.date(2022, 12, 31))
    assert len(none) == 12 and none["articles"].sum() == 0
    assert queries.coverage_note(none, dt.date(2022, 1, 1), dt.date(2022, 12, 31)).startswith(
        "No source article was published between 2022-01-01 and 2022-12-31"
    )
    # The whole corpus (one article, one month) has no gap to report.
    assert queries.coverage_note(queries.articles_per_month(seed)) is None


def test_country_scope_never_puts_units_fighting_for_ukraine_on_wagners_side(tmp_path):
    """The anti-Kremlin Russian legions are based in Russia but fight for Ukraine (actors.yaml
    fights_for): counting Wagner or Russia with its country must not bring them in."""
    from analytics.ingest import ingest_paths
    from analytics.store import connect

    article = tmp_path / "20230523T120000Z_volunteers.txt"
    article.write_text("Volunteers at the front\n\nKYIV, May 23 (Reuters) - Fighters of the Russian Volunteer Corps "
                       "shelled positions near Bakhmut on Monday, the unit said.\n\nWagner Group fighters shelled "
                       "Bakhmut on Monday, Ukrainian officials said.\n")  # fmt: skip
    con = connect(tmp_path / "volunteers.duckdb")
    try:
        ingest_paths(con, [article])
        everything = queries.view_rows(con, "records", Filters(all_records=True))
        assert any("Russian Volunteer Corps" in a for a in everything["actors"])  # the record is there
        for actor in ("Wagner Group", "Russia"):
            found = queries.view_rows(con, "records", Filters(actors=(actor,), actor_scope="country",
                                                             all_records=True))  # fmt: skip
            assert len(found) and not any("Russian Volunteer Corps" in a for a in found["actors"]), actor
        legion = queries.view_rows(con, "records", Filters(actors=("Russian Volunteer Corps",),
                                                           actor_scope="country", all_records=True))  # fmt: skip
        assert not any("Wagner Group" in a for a in legion["actors"])
        reach = queries.actor_reach(con, ["Russia", "Wagner Group"])
        same = " ".join(reach[reach["relation"] == "same country"]["matches"])
        assert "Wagner Group" in same and "Russian Volunteer Corps" not in same and "Legion" not in same
    finally:
        con.close()


def test_the_records_table_lists_newest_first_and_pages_never_overlap(imported_db):
    con = duckdb.connect(str(imported_db), read_only=True)  # articles and dated ACLED rows
    try:
        total = queries.table_count(con, "records", Filters())
        first = queries.table_rows(con, "records", Filters(), limit=5)
        rest = queries.table_rows(con, "records", Filters(), limit=total, offset=5)
    finally:
        con.close()
    dates = list(first["date"].dropna()) + list(rest["date"].dropna())
    assert dates == sorted(dates, reverse=True)
    ids = list(first["record_id"]) + list(rest["record_id"])
    assert len(ids) == len(set(ids)) == total


@pytest.mark.parametrize(
    "filters",
    [
        Filters(),
        Filters(actors=("Russia",)),
        Filters(kinds=("event",)),
        Filters(date_from=dt.date(2023, 5, 1)),
    ],
    ids=["none", "actor", "kind", "from"],
)
def test_a_page_of_the_records_table_is_the_views_rows(imported_db, filters):
    """records_page.sql picks the page on record_facts and fetches it back by rowid: the same rows,
    columns and order as the `records` view it stands in for."""
    con = duckdb.connect(str(imported_db), read_only=True)
    try:
        clause, params = queries.where(filters, flat=True)
        order = "ORDER BY date DESC NULLS LAST, record_id"
        view = con.sql(
            f"SELECT * FROM records WHERE record_id IN (SELECT record_id FROM record_facts r WHERE {clause}) {order} "
            "LIMIT 7 OFFSET 3",
            params=params,
        )
        view = view.to_arrow_table().to_pandas()
        page = queries.table_rows(con, "records", filters, limit=7, offset=3)
    finally:
        con.close()
    assert len(page) == len(view) > 0
    pd.testing.assert_frame_equal(page, view)


def test_the_headline_counts_diplomatic_items_held_and_plans_apart(planned_db, seed):
    con = duckdb.connect(str(planned_db), read_only=True)
    try:
        counts = queries.overview_counts(con.cursor(), Filters())
    finally:
        con.close()
    # The seed's items; the planned summit is not one of them.
    assert counts["items"] == rows(seed, "diplomatic_items")
    assert counts["planned_items"] == 1


def test_monthly_counts_leave_out_what_is_only_planned(planned_db):
    con = duckdb.connect(str(planned_db), read_only=True)
    try:
        cur = con.cursor()
        for unit in ("reports", "incidents"):
            months = queries.timeline_monthly_by(cur, Filters(), unit)
            assert not (pd.to_datetime(months["month"]) >= pd.Timestamp("2023-07-01")).any(), unit
            assert months["records"].sum() > 0  # the seed's records are counted
    finally:
        con.close()


@pytest.mark.parametrize("view", ["records", "events", "aid", "diplomacy", "claims"])
def test_a_listings_sentence_is_the_stored_sentence_of_its_record(imported, view):
    # Listings cut the sentence from the article's text at the record's offsets; it must be the very
    # sentence stored for the record, for extracted and imported rows alike.
    listed = queries.view_rows(imported, view, Filters(all_records=True), limit=10_000)
    stored = imported.execute("SELECT doc_id, sentence_no, text FROM sentences").df()
    joined = listed.merge(stored, on=["doc_id", "sentence_no"], how="left")
    assert len(joined) == len(listed) > 0
    assert (joined["sentence"] == joined["text"]).all()
    if view == "events":
        assert set(listed["origin"]) == {"extracted", "acled"}  # both kinds of row were compared
