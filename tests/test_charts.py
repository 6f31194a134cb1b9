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
    assert "Bakhmut" in [p for t in m.data[1:] for p in t.text]
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
    assert not charts.events_map(queries.map_places(db, f)).data


def test_timeline_hover_shows_an_articles_markup_as_text():
    row = {"record_id": "r1", "kind": "event", "type": "Battles", "date": pd.Timestamp("2023-05-01"),
           "date_precision": "day", "period_start": "2023-05-01", "period_end": "2023-05-01", "is_span": False,
           "theme": "t", "sentence": 'Shelled <a href="https://evil.example">here</a> & <b>x</b>', "article": "<i>A</i>"}  # fmt: skip
    [trace] = charts.timeline_figure(pd.DataFrame([row])).data
    assert trace.customdata[0][0] == "r1"  # the id a selection hands back is untouched
    assert trace.customdata[0][1] == 'Shelled &lt;a href="https://evil.example"&gt;here&lt;/a&gt; &amp; &lt;b&gt;x&lt;/b&gt;'
    assert trace.customdata[0][2] == "&lt;i&gt;A&lt;/i&gt;"
