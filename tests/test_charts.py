"""Chart builders return figures whose traces say what is drawn."""

from __future__ import annotations

import duckdb
import pandas as pd
import plotly.graph_objects as go
import pytest

from analytics import charts, queries
from analytics.filters import Filters


@pytest.fixture(scope="module")
def seed(seed_db):
    con = duckdb.connect(str(seed_db), read_only=True)
    yield con
    con.close()


def test_timeline_draws_points_for_days_and_bars_for_spans(seed):
    records = queries.timeline_records(seed, Filters())
    fig = charts.timeline_figure(records, "kind")
    bars = [t for t in fig.data if isinstance(t, go.Bar)]
    points = [t for t in fig.data if isinstance(t, go.Scatter)]
    assert len(bars) == 1 and bars[0].name == "Diplomatic items (period or span)"
    assert bars[0].x[0] == 62 * charts.DAY_MS  # 19 May to 19 July inclusive
    assert sum(len(t.x) for t in points) == len(records) - 1 > 0  # every record but the span is a point
    # Hover carries the sentence and the article it came from.
    assert all(len(row[1]) > 20 and row[2] for t in points for row in t.customdata)


def test_month_precision_is_a_bar_over_the_month():
    import pandas as pd

    rec = pd.DataFrame([{"record_id": "r", "kind": "event", "type": "Battles", "date": "2023-05-01",
                         "date_precision": "month", "period_start": "2023-05-01", "period_end": "2023-05-31",
                         "is_span": False, "theme": "ground combat", "sentence": "s", "article": "a"}])  # fmt: skip
    fig = charts.timeline_figure(rec, "theme")
    assert len(fig.data) == 1 and isinstance(fig.data[0], go.Bar)
    assert fig.data[0].x[0] == 31 * charts.DAY_MS


def test_aid_chart_never_stacks_corrections(seed):
    fig = charts.aid_tally_figure(queries.aid_tally(seed, Filters(), "donor"), "donor", "USD")
    assert fig.layout.barmode == "group"
    assert [t.name for t in fig.data] == ["Corrections (revisions, not new aid)"]


def test_treemap_map_and_others(seed):
    places = queries.theatre_places(seed, Filters())
    tree = charts.theatre_treemap(places)
    assert "Eastern front" in tree.data[0].labels and "Bakhmut" in tree.data[0].labels
    drill = charts.places_bar(places, "Eastern front")
    assert list(drill.data[0].y) == ["Bakhmut"]
    m = charts.events_map(queries.map_places(seed, Filters()), queries.map_landmarks(seed))
    assert all(isinstance(t, go.Scatter) for t in m.data)  # no geo or tile traces: works offline
    assert "Bakhmut" in [p for t in m.data if t.mode == "markers" for p in t.text]
    assert charts.diplomacy_types_figure(queries.diplomacy_by_type(seed, Filters())).data
    assert charts.participants_figure(queries.diplomacy_by_participant(seed, Filters())).data
    assert charts.stance_heatmap(queries.stance_matrix(seed, Filters())).data[0].z.sum() > 0
    assert charts.monthly_figure(queries.timeline_monthly(seed, Filters())).data


def test_empty_inputs_give_a_message_figure(db):
    f = Filters()
    for fig in (charts.timeline_figure(queries.timeline_records(db, f)),
                charts.monthly_figure(queries.timeline_monthly(db, f)),
                charts.aid_tally_figure(queries.aid_tally(db, f, "donor"), "donor", "USD"),
                charts.theatre_treemap(queries.theatre_places(db, f)),
                charts.stance_heatmap(queries.stance_matrix(db, f))):  # fmt: skip
        assert not fig.data and fig.layout.annotations
    empty_map = charts.events_map(queries.map_places(db, f))
    assert all(t.mode == "lines" for t in empty_map.data)  # the outlines, and no dots


def test_timeline_hover_shows_an_articles_markup_as_text():
    row = {"record_id": "r1", "kind": "event", "type": "Battles", "date": pd.Timestamp("2023-05-01"),
           "date_precision": "day", "period_start": "2023-05-01", "period_end": "2023-05-01", "is_span": False,
           "theme": "t", "sentence": 'Shelled <a href="https://evil.example">here</a> & <b>x</b>', "article": "<i>A</i>"}  # fmt: skip
    [trace] = charts.timeline_figure(pd.DataFrame([row])).data
    assert trace.customdata[0][0] == "r1"  # the id a selection hands back is untouched
    assert (
        trace.customdata[0][1]
        == 'Shelled &lt;a href="https://evil.example"&gt;here&lt;/a&gt; &amp; &lt;b&gt;x&lt;/b&gt;'
    )
    assert trace.customdata[0][2] == "&lt;i&gt;A&lt;/i&gt;"


def _records(rows: list[tuple[str, str, str, str, bool]]) -> pd.DataFrame:
    """Timeline rows: (kind, theme, period_start, period_end, is_span), each dated at its start."""
    frame = pd.DataFrame(rows, columns=["kind", "theme", "period_start", "period_end", "is_span"])
    frame["date"] = pd.to_datetime(frame["period_start"])
    frame["date_precision"] = "day"
    for c, v in {
        "record_id": "r",
        "sentence": "A sentence long enough to read.",
        "article": "A",
        "type": "t",
    }.items():
        frame[c] = [f"{v}{i}" if c == "record_id" else v for i in range(len(frame))]
    return frame


def test_timeline_on_one_day_shows_days_not_milliseconds():
    fig = charts.timeline_figure(_records([("event", "no theme", "2023-05-19", "2023-05-19", False)] * 3))
    lo, hi = (pd.Timestamp(x) for x in fig.layout.xaxis.range)
    assert hi - lo >= pd.Timedelta(days=charts.MIN_WINDOW_DAYS)  # plotly then ticks in days
    assert lo <= pd.Timestamp("2023-05-19") < hi


def test_a_long_span_does_not_stretch_the_timeline():
    records = _records(
        [
            ("event", "no theme", "2023-05-01", "2023-05-01", False),
            ("statement", "no theme", "2023-05-09", "2103-05-09", True),
        ]
    )  # "80 years since"
    fig = charts.timeline_figure(records)
    lo, hi = (pd.Timestamp(x) for x in fig.layout.xaxis.range)
    assert lo == pd.Timestamp("2023-05-01") and hi < pd.Timestamp("2024-01-01")
    assert any(isinstance(t, go.Bar) for t in fig.data)  # the span is still drawn, as a bar to the edge
    # A span that began long before its record ("since 2014", said in 2022) does not stretch it either.
    since = _records([("event", "no theme", "2022-02-19", "2022-02-19", False),
                      ("statement", "no theme", "2014-01-01", "2022-02-19", True)])  # fmt: skip
    since.loc[1, "date"] = pd.Timestamp("2022-02-19")  # the record's own date; its span starts in 2014
    lo, _ = (pd.Timestamp(x) for x in charts.timeline_figure(since).layout.xaxis.range)
    assert pd.Timestamp("2021-10-01") < lo <= pd.Timestamp("2022-02-19")
    # A filter's range sets the window.
    fig = charts.timeline_figure(records, date_from="2023-04-01", date_to="2023-06-30")
    assert [str(x)[:10] for x in fig.layout.xaxis.range] == ["2023-04-01", "2023-07-01"]


def test_a_theme_spelled_like_a_kind_keeps_its_name():
    fig = charts.timeline_figure(
        _records([("diplomacy", "diplomacy", "2023-05-01", "2023-05-01", False)]), "theme"
    )
    assert [t.name for t in fig.data] == ["diplomacy (day)"]
    fig = charts.timeline_figure(
        _records([("diplomacy", "diplomacy", "2023-05-01", "2023-05-01", False)]), "kind"
    )
    assert [t.name for t in fig.data] == ["Diplomatic items (day)"]


def test_monthly_chart_draws_source_articles_with_their_gaps(seed):
    import datetime as dt

    per_month = queries.articles_per_month(seed, dt.date(2023, 4, 1), dt.date(2023, 6, 30))
    fig = charts.monthly_figure(queries.timeline_monthly(seed, Filters()), articles=per_month)
    line = next(t for t in fig.data if t.yaxis == "y2")
    assert list(line.y) == [0, 1, 0]  # April and June: no source article, drawn as zero, not left out
    assert fig.layout.yaxis2.overlaying == "y"


def test_treemap_draws_a_theatres_top_places_and_one_tile_for_the_rest():
    places = pd.DataFrame({"theatre": ["Eastern front"] * 40 + ["Crimea"],
                           "place": [f"Place {i:02d}" for i in range(40)] + ["Sevastopol"],
                           "events": list(range(40, 0, -1)) + [3]})  # fmt: skip
    tree = charts.theatre_treemap(places).data[0]
    eastern = [
        label for label, parent in zip(tree.labels, tree.parents, strict=True) if parent == "t/Eastern front"
    ]
    rest = 40 - charts.TREEMAP_PLACES
    assert len(eastern) == charts.TREEMAP_PLACES + 1 and eastern[-1] == f"{rest} other places"
    assert "Place 00" in eastern and "Place 39" not in eastern
    values = dict(zip(tree.ids, tree.values, strict=True))
    assert values["t/Eastern front"] == sum(range(1, 41))  # the theatre still counts every place
    assert values[f"t/Eastern front/{rest} other places"] == sum(range(1, rest + 1))


def test_a_theatre_keeps_its_colour_on_every_chart_whatever_the_filters():
    from analytics.vocab import theatre_colours

    declared = theatre_colours()
    assert declared["Eastern front"] != declared["Southern front"]
    both = pd.DataFrame({"theatre": ["Southern front", "Eastern front"], "place": ["Kherson", "Bakhmut"],
                         "events": [5, 9], "lat": [46.6, 48.6], "lon": [32.6, 38.0]})  # fmt: skip
    alone = both[both["theatre"] == "Eastern front"].reset_index(drop=True)
    for places in (both, alone):
        tree = charts.theatre_treemap(places).data[0]
        assert (
            dict(zip(tree.ids, tree.marker.colors, strict=True))["t/Eastern front"]
            == declared["Eastern front"]
        )
        bar = charts.places_bar(places).data[0]
        assert dict(zip(bar.y, bar.marker.color, strict=True))["Eastern front"] == declared["Eastern front"]
        dots = {t.name: t.marker.color for t in charts.events_map(places).data}
        assert dots["Eastern front"] == declared["Eastern front"]


def test_kinds_and_themes_keep_their_colours_whatever_else_is_drawn():
    one = charts.timeline_figure(_records([("aid", "sanctions", "2023-05-01", "2023-05-01", False)]), "theme")
    two = charts.timeline_figure(
        _records(
            [
                ("aid", "energy", "2023-05-01", "2023-05-01", False),
                ("aid", "sanctions", "2023-05-02", "2023-05-02", False),
            ]
        ),
        "theme",
    )
    colour = {t.name: t.marker.color for t in two.data}
    assert one.data[0].marker.color == colour["sanctions (day)"]
    kinds = charts.timeline_figure(_records([("aid", "x", "2023-05-01", "2023-05-01", False)]), "kind")
    assert kinds.data[0].marker.color == charts.KIND_COLOURS["aid"]


def test_the_monthly_chart_names_its_two_axes_and_keeps_the_legend_off_the_right_one():
    import datetime as dt

    monthly = pd.DataFrame({"month": [dt.date(2023, 1, 1), dt.date(2023, 2, 1)], "kind": ["event", "event"],
                            "records": [5, 7]})  # fmt: skip
    articles = pd.DataFrame({"month": [dt.date(2023, 1, 1), dt.date(2023, 2, 1)], "outlet": ["x", "y"],
                             "articles": [3, 4]})  # fmt: skip
    fig = charts.monthly_figure(monthly, articles=articles)
    assert fig.layout.yaxis.title.text == "Records" and fig.layout.yaxis2.title.text == "Articles"
    assert fig.layout.yaxis2.tickformat == ",d"  # no "28.1 articles"
    assert fig.layout.legend.orientation == "h"  # above the plot, not over the right axis's labels


def test_diplomacy_charts_give_each_status_and_type_its_own_colour():
    by_type = pd.DataFrame({"item_type": ["talks", "talks", "summit"], "status": ["held", "planned", "ongoing"],
                            "items": [5, 2, 1]})  # fmt: skip
    colours = [t.marker.color for t in charts.diplomacy_types_figure(by_type).data]
    assert len(set(colours)) == 3, colours  # held and planned were both red
    types = list(charts.DIPLOMACY_TYPE_COLOURS) + ["ceasefire talks", "prisoner exchange"]
    by_participant = pd.DataFrame({"participants": ["Russia"] * len(types), "item_type": types,
                                   "items": [1] * len(types)})  # fmt: skip
    colours = [t.marker.color for t in charts.participants_figure(by_participant).data]
    assert len(set(colours)) == len(types), colours  # visit and sanctions were both orange
