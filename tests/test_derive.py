"""Counting each real thing once: incidents, the aid ledger, contested claims and analysts' corrections.

Articles are written here, ingested with the project's own ingest into a real DuckDB file, then
derived. Where a rule must not depend on what the extractor makes of a sentence, records are
stored directly (`_store`), as the ingest would store them.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io

import pytest

from analytics.cli import main
from analytics.derive import derive
from analytics.ingest import ingest_paths
from analytics.store import connect, sync_vocabulary
from analytics.store.writer import insert_tables


def _article(folder, name: str, published: str, source: str, body: str, title: str | None = None):
    path = folder / f"{name}.md"
    path.write_text(f"---\ntitle: {title or name}\npublished: {published}\nsource: {source}\n---\n{body}\n",
                    encoding="utf-8")  # fmt: skip
    return path


STRIKE_REPORTS = [
    (
        "2023-05-16",
        "Russian missiles struck Kharkiv on Tuesday, killing three people, the regional governor said.",
    ),
    (
        "2023-05-16",
        "Three people were killed when Russian missiles struck Kharkiv on Tuesday, officials said.",
    ),
    ("2023-05-17", "Russian missiles struck Kharkiv on Tuesday, local authorities said."),
    ("2023-05-17", "Rescuers cleared rubble after Russian missiles struck Kharkiv on Tuesday."),
    ("2023-05-16", "Russian missiles struck Kharkiv on Tuesday, damaging homes near the centre."),
]


def _strike_articles(folder):
    return [_article(folder, f"strike{i}", day, f"outlet{i}", text, title=f"Kharkiv report {i}")
            for i, (day, text) in enumerate(STRIKE_REPORTS)]  # fmt: skip


def _incidents(con, where: str = "TRUE", params=()):
    return con.execute(f"SELECT incident_id, location, n_reports, n_articles, n_outlets, date, corrected "  # noqa: S608
                       f"FROM incidents WHERE {where} ORDER BY date, incident_id", list(params)).fetchall()  # fmt: skip


def test_five_articles_reporting_one_strike_make_one_incident(db, tmp_path):
    results = ingest_paths(db, _strike_articles(tmp_path))  # ingest derives when it has added articles
    assert [r.status for r in results] == ["added"] * 5
    rows = _incidents(db, "location = 'Kharkiv'")
    assert len(rows) == 1
    _, _, n_reports, n_articles, n_outlets, date, _ = rows[0]
    assert (n_reports, n_articles, n_outlets) == (5, 5, 5)
    assert date == dt.date(2023, 5, 16)
    reasons = [r[0] for r in db.execute("SELECT reason FROM incident_reports ORDER BY reason").fetchall()]
    assert reasons.count("first report") == 1 and all(
        "same place (Kharkiv)" in r for r in reasons if r != "first report"
    )


def test_two_strikes_on_one_city_a_week_apart_stay_two(db, tmp_path):
    paths = [
        _article(
            tmp_path,
            "first",
            "2023-05-16",
            "a",
            "Russian missiles struck Kharkiv on Tuesday, killing three people.",
        ),
        _article(
            tmp_path,
            "second",
            "2023-05-23",
            "b",
            "Russian missiles struck Kharkiv on Tuesday, injuring ten people.",
        ),
    ]
    ingest_paths(db, paths)
    rows = _incidents(db, "location = 'Kharkiv'")
    assert [r[5] for r in rows] == [dt.date(2023, 5, 16), dt.date(2023, 5, 23)]
    assert [r[2] for r in rows] == [1, 1]


def test_derive_is_deterministic_and_idempotent(db, tmp_path):
    ingest_paths(db, _strike_articles(tmp_path))
    tables = ("incident_clusters", "incident_reports", "aid_ledger", "contested_pairs")
    before = {t: db.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in tables}  # noqa: S608
    derive(db)
    derive(db)
    assert {t: db.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in tables} == before  # noqa: S608


def test_the_same_package_in_dollars_and_pounds_is_one_commitment(db, tmp_path):
    ingest_paths(db, [
        _article(tmp_path, "usd", "2024-04-21", "outletA",
                 "The United States Congress approved a $61bn package of military aid for Ukraine on Saturday."),
        _article(tmp_path, "gbp", "2024-04-22", "outletB",
                 "US lawmakers passed a £49bn package of military aid for Ukraine."),
    ])  # fmt: skip
    rows = db.execute("SELECT donor, n_reports, currency, amount, amount_usd, counted, rate_date, stage "
                      "FROM aid_commitments").fetchall()  # fmt: skip
    assert len(rows) == 1
    donor, n_reports, currency, amount, usd, counted, rate_date, stage = rows[0]
    assert (donor, n_reports, counted, stage) == ("United States", 2, True, "committed")
    assert abs(usd - 61e9) / 61e9 < 0.01 and rate_date is not None
    reasons = {r[0] for r in db.execute("SELECT reason FROM aid_ledger_sources").fetchall()}
    assert any("after conversion" in r for r in reasons)


# ---- records stored directly: the derivation must not depend on what the extractor makes of a sentence ----


def _store(con, doc: str, published: dt.date, sentence: str, kind_rows: dict[str, list[dict]], source: str = "x",
           origin: str = "extracted"):  # fmt: skip
    """One article of one sentence, and the given record rows pointing at it."""
    if not con.execute("SELECT count(*) FROM actors").fetchall()[0][0]:
        sync_vocabulary(con)
    doc_id = hashlib.sha1(doc.encode()).hexdigest()[:16]
    tables = {
        "documents": [{"doc_id": doc_id, "content_hash": doc_id * 4, "name": doc, "title": doc, "published": published,
                       "source": source, "origin": origin, "text": sentence, "n_sentences": 1}],
        "sentences": [{"doc_id": doc_id, "sentence_no": 0, "start_char": 0, "end_char": len(sentence), "text": sentence}],
    }  # fmt: skip
    for table, rows in kind_rows.items():
        tables[table] = [{"doc_id": doc_id, "sentence_no": 0, "start_char": 0, "end_char": len(sentence),
                          "date": published, "date_precision": "day", "origin": origin} | r for r in rows]  # fmt: skip
    insert_tables(con, tables)
    return doc_id


def _aid(record_id: str, **kw) -> dict:
    return {
        "record_id": record_id,
        "record_type": "announcement",
        "aid_type": "military",
        "approximate": False,
    } | kw


def test_a_request_and_its_later_appropriation_are_two_stages_of_one_line_counted_once(db):
    _store(db, "request", dt.date(2023, 10, 20), "The president asked Congress for $61bn in aid for Ukraine.",
           {"aid_figures": [_aid("r1", record_type="request", donor="United States", recipient="Ukraine",
                                 amount=61e9, currency="USD", cue="$61bn")]})  # fmt: skip
    _store(db, "appropriation", dt.date(2024, 4, 20), "Congress approved $60.8bn in aid for Ukraine.",
           {"aid_figures": [_aid("r2", donor="United States", recipient="Ukraine", amount=60.8e9, currency="USD",
                                 cue="$60.8bn")]})  # fmt: skip
    derive(db)
    rows = db.execute(
        "SELECT stage, line_id, counted, excluded_reason FROM aid_commitments ORDER BY date"
    ).fetchall()
    assert [r[0] for r in rows] == ["requested", "committed"]
    assert rows[0][1] == rows[1][1], "one line"
    assert [r[2] for r in rows] == [False, True]
    assert "request" in rows[0][3]
    total = db.execute("SELECT sum(amount_usd) FROM aid_commitments WHERE counted").fetchone()[0]
    assert total == pytest.approx(60.8e9)


def test_a_request_alone_is_never_counted(db):
    _store(db, "ask", dt.date(2022, 4, 28), "Biden asked Congress for $33bn for Ukraine.",
           {"aid_figures": [_aid("q1", record_type="request", donor="United States", recipient="Ukraine",
                                 amount=33e9, currency="USD", cue="$33bn")]})  # fmt: skip
    derive(db)
    assert db.execute("SELECT count(*) FROM aid_commitments WHERE counted").fetchone()[0] == 0


def test_donor_equal_to_recipient_is_dropped_and_other_recipients_kept_apart(db):
    text = "The legislation includes $60.8bn to replenish Ukraine's war chest and $26.3bn for Israel."
    _store(db, "bill", dt.date(2024, 4, 24), text, {"aid_figures": [
        _aid("u1", donor="Ukraine", recipient="Israel", amount=60.8e9, currency="USD", cue="$60.8bn"),
        _aid("u2", donor="United States", recipient="Ukraine", amount=26.3e9, currency="USD", cue="$26.3bn"),
    ]})  # fmt: skip
    derive(db)
    rows = dict(db.execute("SELECT recipient, excluded_reason FROM aid_commitments").fetchall())
    assert rows["Ukraine"].startswith("dropped: donor equals recipient")
    assert rows["Israel"] == "recipient is Israel, not Ukraine"
    assert db.execute("SELECT count(*) FROM aid_commitments WHERE counted").fetchone()[0] == 0


def test_a_figure_credited_to_one_donor_whose_sentence_names_the_giver_joins_the_givers_commitment(db):
    for i in range(2):
        _store(db, f"us{i}", dt.date(2024, 4, 20 + i), f"The US approved $61bn in military aid for Ukraine ({i}).",
               {"aid_figures": [_aid(f"us{i}", donor="United States", recipient="Ukraine", amount=61e9, currency="USD",
                                     cue="$61bn")]})  # fmt: skip
    _store(
        db,
        "nato",
        dt.date(2024, 4, 18),
        "Stoltenberg welcomed signs that the U.S. Congress might vote on a "
        "$61 billion aid package for Ukraine.",
        {
            "aid_figures": [
                _aid("n1", donor="NATO", recipient="Ukraine", amount=61e9, currency="USD", cue="$61 billion")
            ]
        },
    )
    _store(
        db,
        "de",
        dt.date(2024, 4, 19),
        "Germany pledged $61bn more for Ukraine.",  # names no other donor
        {
            "aid_figures": [
                _aid("de1", donor="Germany", recipient="Ukraine", amount=61e9, currency="USD", cue="$61bn")
            ]
        },
    )
    derive(db)
    rows = db.execute("SELECT donor, n_reports FROM aid_commitments ORDER BY donor").fetchall()
    assert rows == [("Germany", 1), ("United States", 3)]
    reason = db.execute("SELECT reason FROM aid_ledger_sources WHERE record_id = 'n1'").fetchone()[0]
    assert reason.startswith("the sentence names United States")


def test_running_totals_are_a_series_with_the_latest_marked_never_counted(db):
    for i, (day, amount) in enumerate([(dt.date(2022, 8, 9), 9.1e9), (dt.date(2023, 1, 9), 24e9)]):
        _store(db, f"total{i}", day, f"US aid to Ukraine totals ${amount / 1e9:g}bn so far.",
               {"aid_figures": [_aid(f"t{i}", record_type="cumulative", donor="United States", recipient="Ukraine",
                                     amount=amount, currency="USD")]})  # fmt: skip
    derive(db)
    rows = db.execute("SELECT amount, is_latest FROM aid_running_totals ORDER BY date").fetchall()
    assert rows == [(9.1e9, False), (24e9, True)]
    assert db.execute("SELECT count(*) FROM aid_commitments").fetchone()[0] == 0


def test_a_dataset_row_is_its_own_incident_linked_as_corroboration(db):
    event = {"event_type": "Explosions/Remote violence", "sub_event_type": "Shelling/artillery/missile attack",
             "location": "Kharkiv", "unverified": False}  # fmt: skip
    _store(
        db,
        "news",
        dt.date(2023, 5, 16),
        "Missiles struck Kharkiv.",
        {"events": [event | {"record_id": "n1"}]},
    )
    _store(db, "acled-row", dt.date(2023, 5, 16), "Shelling in Kharkiv.", {"events": [event | {"record_id": "d1"}]},
           origin="acled")  # fmt: skip
    derive(db)
    origins = sorted(r[0] for r in db.execute("SELECT origin FROM incidents").fetchall())
    assert origins == ["acled", "extracted"]
    assert db.execute("SELECT count(*), min(dataset) FROM incident_matches").fetchone() == (1, "acled")
    assert db.execute("SELECT n_corroborating FROM incidents WHERE origin = 'extracted'").fetchone()[0] == 1


def test_a_claim_and_its_denial_in_different_articles_form_one_contested_pair(db, tmp_path):
    ingest_paths(db, [
        _article(tmp_path, "claim", "2023-06-06", "outletC", "Russia accused Ukraine of blowing up the Kakhovka dam on Tuesday."),
        _article(tmp_path, "denial", "2023-06-07", "outletD", "Ukraine denied blowing up the Kakhovka dam and blamed Russian forces."),
    ])  # fmt: skip
    rows = db.execute("SELECT claim_speaker, claim_stance, counter_speaker, counter_stance, claim_article, "
                      "counter_article, reason FROM contested_claims").fetchall()  # fmt: skip
    assert len(rows) == 1
    assert rows[0][:6] == ("Russia", "accuses", "Ukraine", "denies", "claim", "denial")


def test_a_split_made_by_an_analyst_survives_rebuild(tmp_path, monkeypatch, capsys):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    _strike_articles(seeds)
    monkeypatch.setattr("analytics.ingest.SEEDS_DIR", seeds)
    db_file = tmp_path / "db.duckdb"
    assert main(["rebuild", "--db", str(db_file)]) == 0
    con = connect(db_file)
    try:
        ((iid, *_),) = _incidents(con, "location = 'Kharkiv'")
        members = [r[0] for r in con.execute("SELECT record_id FROM incident_reports WHERE incident_id = ? "
                                             "ORDER BY doc_id", [iid]).fetchall()]  # fmt: skip
    finally:
        con.close()
    assert len(members) == 5
    leaving = members[:2]
    code = main(["correct", "split", iid, "--records", *leaving, "--by", "analyst A", "--why", "two strikes that day",
                 "--db", str(db_file)])  # fmt: skip
    assert code == 0
    for _ in range(2):  # after the split, and again after a rebuild
        con = connect(db_file)
        try:
            rows = _incidents(con, "location = 'Kharkiv'")
            assert sorted(r[2] for r in rows) == [2, 3]
            assert all(r[6] for r in rows), "both halves are marked corrected"
            moved = con.execute(
                "SELECT reason FROM incident_reports WHERE record_id = ?", [leaving[0]]
            ).fetchone()[0]
            assert "analyst split by analyst A" in moved and "two strikes that day" in moved
        finally:
            con.close()
        assert main(["rebuild", "--db", str(db_file)]) == 0
    assert "1 analyst corrections re-applied" in capsys.readouterr().out
    assert not (tmp_path / "db.duckdb.corrections.json").exists()


def test_bad_corrections_store_nothing_and_say_what_to_do(db, tmp_path, capsys):
    ingest_paths(db, _strike_articles(tmp_path))
    from analytics.derive.corrections import CorrectionError, record

    ((iid, *_),) = _incidents(db, "location = 'Kharkiv'")
    with pytest.raises(CorrectionError, match="--records"):
        record(db, "split", [iid], analyst="a", why="b")
    with pytest.raises(CorrectionError, match="not in"):
        record(db, "split", [iid], analyst="a", why="b", records=["nope"])
    with pytest.raises(CorrectionError, match="join needs two"):
        record(db, "join", [iid], analyst="a", why="b")
    with pytest.raises(CorrectionError, match="who decides"):
        record(db, "join", [iid, iid], analyst=" ", why="b")
    assert db.execute("SELECT count(*) FROM derive_corrections").fetchone()[0] == 0


def test_export_of_a_derived_view_takes_the_same_filters(tmp_path, capsysbinary):
    db_file = tmp_path / "x.duckdb"
    con = connect(db_file)
    try:
        ingest_paths(
            con,
            _strike_articles(tmp_path)
            + [
                _article(
                    tmp_path,
                    "odesa",
                    "2023-05-16",
                    "o",
                    "Russian missiles struck Odesa on Tuesday, killing two people.",
                )
            ],
        )
    finally:
        con.close()
    assert main(["export", "incidents", "--format", "csv", "--db", str(db_file)]) == 0
    rows = list(csv.DictReader(io.StringIO(capsysbinary.readouterr().out.decode())))
    assert sorted(r["location"] for r in rows) == ["Kharkiv", "Odesa"]
    assert (
        main(["export", "incidents", "--format", "csv", "--theatre", "Eastern front", "--db", str(db_file)])
        == 0
    )
    rows = list(csv.DictReader(io.StringIO(capsysbinary.readouterr().out.decode())))
    assert [(r["location"], r["n_reports"]) for r in rows] == [("Kharkiv", "5")]


# ---- the dashboard's query layer and pages over the derived tables --------------------------------


@pytest.fixture
def fixture_db(tmp_path):
    """A real database of the fixtures above: one strike in five articles, one in Odesa, a package in two
    currencies, a claim and its denial. Yields its path (closed, so a dashboard can open it)."""
    path = tmp_path / "fixtures.duckdb"
    con = connect(path)
    try:
        ingest_paths(con, _strike_articles(tmp_path) + [
            _article(tmp_path, "odesa", "2023-05-16", "o", "Russian missiles struck Odesa on Tuesday, killing two people."),
            _article(tmp_path, "usd", "2024-04-21", "outletA",
                     "The United States Congress approved a $61bn package of military aid for Ukraine on Saturday."),
            _article(tmp_path, "gbp", "2024-04-22", "outletB", "US lawmakers passed a £49bn package of military aid for Ukraine."),
            _article(tmp_path, "claim", "2023-06-06", "outletC", "Russia accused Ukraine of blowing up the Kakhovka dam on Tuesday."),
            _article(tmp_path, "denial", "2023-06-07", "outletD", "Ukraine denied blowing up the Kakhovka dam and blamed Russian forces."),
        ])  # fmt: skip
    finally:
        con.close()
    return path


def test_queries_count_incidents_or_reports(fixture_db):
    from analytics import charts, queries
    from analytics.filters import Filters

    con = connect(fixture_db)
    try:
        f = Filters()
        counts = queries.incident_count(con, f)
        assert counts == {"incidents": 2, "reports": 6}
        monthly = queries.timeline_monthly_by(con, f, "incidents")
        assert monthly[monthly.kind == "event"]["records"].sum() == 2
        assert queries.timeline_monthly_by(con, f, "reports").query("kind == 'event'")["records"].sum() == 6
        places = queries.theatre_places_by(con, f, "incidents")
        assert dict(zip(places.place, places.events, strict=True)) == {"Kharkiv": 1, "Odesa": 1}
        assert queries.view_count(con, "incidents", f) == 2
        assert queries.view_count(con, "incidents", Filters(theatres=("Eastern front",))) == 1
        with pytest.raises(ValueError, match="unknown count unit"):
            queries.theatre_places_by(con, f, "events; DROP TABLE events")
        head = queries.aid_headline(con, f)
        assert head["counted"] == 1 and head["counted_usd"] == pytest.approx(61e9, rel=0.01)
        by_stage = queries.aid_by_donor_stage(con, f)
        assert list(by_stage.donor) == ["United States"] and list(by_stage.reports) == [2]
        fig = charts.aid_ledger_figure(by_stage)
        assert [t.name for t in fig.data] == ["Committed"] and fig.data[0].y[0] == pytest.approx(
            61e9, rel=0.01
        )
        assert queries.view_count(con, "contested", f) == 1
        assert queries.view_count(con, "contested", Filters(actors=("Wagner Group",))) == 0
        csv_rows = list(csv.DictReader(io.StringIO(queries.view_csv(con, "aid_commitments", f).decode())))
        assert len(csv_rows) == 1 and csv_rows[0]["donor"] == "United States"
    finally:
        con.close()


def test_pages_read_the_derived_tables(fixture_db, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from tests.test_app import APP

    monkeypatch.setenv("DASHBOARD_DB", str(fixture_db))
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception
    assert (at.metric[0].label, at.metric[0].value) == ("Incidents", "2")
    assert at.metric[1].label == "Aid to Ukraine" and at.metric[1].value.startswith("$61")
    at.switch_page("pages/claims.py").run()
    assert not at.exception
    assert at.subheader[0].value == "Contested claims"
    assert not at.dataframe  # the listing is built when opened
    at.session_state["open_contested"] = True
    at.run()
    pair = at.dataframe[0].value
    assert list(pair["claim_speaker"]) == ["Russia"] and list(pair["counter_speaker"]) == ["Ukraine"]
    at.switch_page("pages/aid.py").run()
    assert not at.exception
    assert at.metric[0].value.startswith("$61")


def test_corrections_link_to_the_correction_they_revise_and_are_never_counted(db):
    for rid, day, amount in (("c1", dt.date(2023, 5, 18), 3e9), ("c2", dt.date(2023, 6, 20), 6.2e9)):
        _store(db, rid, day, f"The Pentagon said it had overvalued weapons sent to Ukraine by ${amount / 1e9:g}bn.",
               {"aid_figures": [_aid(rid, record_type="correction", donor="United States", recipient="Ukraine",
                                     amount=amount, currency="USD")]})  # fmt: skip
    derive(db)
    rows = db.execute(
        "SELECT commitment_id, amount, revises, counted, series FROM aid_commitments ORDER BY date"
    ).fetchall()
    assert [(r[1], r[3], r[4]) for r in rows] == [(3e9, False, "correction"), (6.2e9, False, "correction")]
    assert rows[0][2] is None and rows[1][2] == rows[0][0]


def test_an_analyst_join_and_a_contested_split_are_applied(db, tmp_path):
    ingest_paths(db, [
        _article(tmp_path, "first", "2023-05-16", "a", "Russian missiles struck Kharkiv on Tuesday, killing three people."),
        _article(tmp_path, "second", "2023-05-23", "b", "Russian missiles struck Kharkiv on Tuesday, injuring ten people."),
        _article(tmp_path, "claim", "2023-06-06", "c", "Russia accused Ukraine of blowing up the Kakhovka dam on Tuesday."),
        _article(tmp_path, "denial", "2023-06-07", "d", "Ukraine denied blowing up the Kakhovka dam and blamed Russian forces."),
    ])  # fmt: skip
    from analytics.derive.corrections import record

    ids = [r[0] for r in _incidents(db, "location = 'Kharkiv'")]
    record(db, "join", ids, analyst="B", why="one campaign")
    (pair,) = db.execute("SELECT pair_id FROM contested_pairs").fetchall()
    record(db, "split", [pair[0]], analyst="C", why="different dams")
    derive(db)
    rows = _incidents(db, "location = 'Kharkiv'")
    assert [(r[2], r[6]) for r in rows] == [(2, True)]
    assert db.execute("SELECT count(*) FROM contested_pairs").fetchone()[0] == 0
    reasons = [r[0] for r in db.execute("SELECT reason FROM incident_reports").fetchall()]
    assert any(r.startswith("analyst join by B") and "one campaign" in r for r in reasons)


def test_a_failing_derivation_never_costs_the_ingest(db, tmp_path, monkeypatch, capsys):
    import duckdb

    import analytics.derive as derive_module

    def broken(con):
        raise duckdb.ConversionException("simulated failure")

    monkeypatch.setattr(derive_module, "derive", broken)
    results = ingest_paths(db, _strike_articles(tmp_path)[:1])
    assert [r.status for r in results] == ["added"]
    assert db.execute("SELECT count(*) FROM events").fetchone()[0] == 1
    err = capsys.readouterr().err
    assert "were not refreshed: simulated failure" in err and "python -m analytics derive" in err
