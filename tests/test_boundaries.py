"""The shipped country borders and oblast outlines: the real file, where its lines are, and how the map draws them."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
import yaml

from analytics import boundaries, charts
from analytics.config import DATA_DIR

# Well-known coordinates (lon, lat), independent of the file under test.
KYIV, SEVASTOPOL, SIMFEROPOL = (30.52, 50.45), (33.52, 44.60), (34.10, 44.95)
KHARKIV, CHUHUIV, BROVARY_EAST = (36.23, 49.99), (36.69, 49.84), (31.10, 50.45)
# Pairs of towns on either side of one of Ukraine's land borders.
ACROSS_BORDERS = {
    "Poland": ((23.99, 49.84), (22.00, 50.04)),  # Lviv - Rzeszow
    "Belarus": ((30.52, 50.45), (27.56, 53.90)),  # Kyiv - Minsk
    "Russia": ((36.23, 49.99), (36.59, 50.60)),  # Kharkiv - Belgorod
    "Moldova": ((30.73, 46.48), (28.86, 47.01)),  # Odesa - Chisinau
    "Slovakia": ((22.30, 48.62), (21.26, 48.72)),  # Uzhhorod - Kosice
    "Hungary": ((22.64, 48.21), (21.72, 47.96)),  # Berehove - Nyiregyhaza
    "Romania": ((25.94, 48.29), (26.25, 47.65)),  # Chernivtsi - Suceava
}


@pytest.fixture(scope="module")
def shipped() -> boundaries.Boundaries:
    return boundaries.load()


def crossings(layer: boundaries.Layer, a: tuple[float, float], b: tuple[float, float]) -> int:
    """How many of the layer's segments the straight segment a-b crosses."""
    x0, y0, x1, y1 = layer.lon[:-1], layer.lat[:-1], layer.lon[1:], layer.lat[1:]
    ok = ~(np.isnan(x0) | np.isnan(x1))  # no segment across the gap between two lines
    x0, y0, x1, y1 = x0[ok], y0[ok], x1[ok], y1[ok]
    (ax, ay), (bx, by) = a, b

    def side(px, py, qx, qy, rx, ry):
        return np.sign((qx - px) * (ry - py) - (qy - py) * (rx - px))

    return int(
        np.sum(
            (side(ax, ay, bx, by, x0, y0) != side(ax, ay, bx, by, x1, y1))
            & (side(x0, y0, x1, y1, ax, ay) != side(x0, y0, x1, y1, bx, by))
        )
    )


def test_the_shipped_file_has_ukraines_27_units_under_the_gazetteers_names(shipped):
    regions = yaml.safe_load((DATA_DIR / "oblasts.yaml").read_text(encoding="utf-8"))["regions"]
    ukraine = {r["name"] for r in regions if r["country"] == "Ukraine"}
    assert set(shipped.oblast_labels) == ukraine
    assert sum(name.endswith(" Oblast") for name in shipped.oblast_labels) == 24
    assert {"Crimea", "Kyiv", "Sevastopol"} <= set(shipped.oblast_labels)
    assert shipped.oblasts.lines > 0 and np.isfinite(shipped.oblasts.lon).sum() > 500


def test_the_shipped_file_names_its_source_licence_and_date(shipped):
    assert "Natural Earth" in shipped.about["source"]
    assert "public domain" in shipped.about["licence"]
    assert shipped.about["built"][:2] == "20"
    assert boundaries.BOUNDARIES_FILE.stat().st_size < 300_000


def test_ukraines_neighbours_are_there_and_each_land_border_is_drawn(shipped):
    assert set(ACROSS_BORDERS) | {"Ukraine"} <= set(shipped.countries)
    for country, (inside, outside) in ACROSS_BORDERS.items():
        assert crossings(shipped.borders, inside, outside) >= 1, country
    # The Black Sea coast: Crimea is land ringed by coast, so Sevastopol to the open sea crosses it.
    assert crossings(shipped.borders, SEVASTOPOL, (33.0, 43.8)) == 1
    assert crossings(shipped.borders, KHARKIV, CHUHUIV) == 0  # no border inside an oblast


def test_oblast_outlines_put_kyiv_and_sevastopol_inside_their_own_units(shipped):
    # Kyiv city is an island in Kyiv Oblast: going east from its centre crosses its outline once.
    assert crossings(shipped.oblasts, KYIV, BROVARY_EAST) == 1
    assert crossings(shipped.oblasts, SEVASTOPOL, SIMFEROPOL) == 1
    assert crossings(shipped.oblasts, KHARKIV, CHUHUIV) == 0
    assert crossings(shipped.oblasts, KHARKIV, (35.05, 48.47)) >= 1  # Kharkiv - Dnipro: two oblasts
    # A label point sits in its own unit: Kyiv's is nearer Kyiv's centre than Kyiv Oblast's is.
    kyiv, oblast = np.array(shipped.oblast_labels["Kyiv"]), np.array(shipped.oblast_labels["Kyiv Oblast"])
    assert np.hypot(*(kyiv - KYIV)) < 0.25 < np.hypot(*(oblast - KYIV))


def test_every_coordinate_lies_inside_the_declared_window_which_holds_the_maps_view(shipped):
    window = shipped.about["window"]
    (lon0, lon1), (lat0, lat1) = window["lon"], window["lat"]
    assert lon0 <= 21.5 and lon1 >= 41.5 and lat0 <= 43.5 and lat1 >= 53.5  # the map's default view
    for layer in (shipped.borders, shipped.oblasts):
        lon, lat = layer.lon[~np.isnan(layer.lon)], layer.lat[~np.isnan(layer.lat)]
        assert lon.min() >= lon0 and lon.max() <= lon1 and lat.min() >= lat0 and lat.max() <= lat1
    for lon, lat in shipped.oblast_labels.values():
        assert 22 < lon < 41 and 44 < lat < 53  # inside Ukraine's box


def test_loading_twice_reads_the_file_once(shipped):
    assert boundaries.load() is shipped
    assert not shipped.borders.lon.flags.writeable  # shared by every map: nobody may change it


def test_the_map_draws_the_outlines_under_the_dots_without_hover():
    places = pd.DataFrame({"theatre": ["Eastern front"], "place": ["Bakhmut"], "events": [3], "lat": [48.6],
                           "lon": [38.0]})  # fmt: skip
    landmarks = pd.DataFrame({"place": ["Kyiv"], "lat": [50.45], "lon": [30.52]})
    fig = charts.events_map(places, landmarks)
    names = [t.name for t in fig.data]
    assert names == ["Oblast outlines", "Country borders", "Landmarks", "Eastern front"]
    outlines = fig.data[:2]
    assert all(t.mode == "lines" and t.hoverinfo == "skip" and t.hovertemplate is None for t in outlines)
    assert outlines[1].line.width > outlines[0].line.width  # borders darker and thicker than oblast lines
    assert fig.data[3].hovertemplate  # the dots keep their hover
    assert list(fig.layout.xaxis.range) == [21.5, 41.5] and fig.layout.yaxis.scaleratio == 1.5
    assert not fig.layout.annotations


@pytest.mark.parametrize(
    "content, says",
    [
        (None, "missing"),
        ('{"type": "FeatureCollection", "features": [', "not JSON"),
        ('{"type": "Topology"}', "not a GeoJSON FeatureCollection"),
        ('{"type": "FeatureCollection", "features": []}', "no country borders and no oblast outlines lines"),
        (
            '{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"layer": "country '
            'borders"}, "geometry": {"type": "MultiLineString", "coordinates": [[[30, 50], ["x", 51]]]}}]}',
            "not [lon, lat]",
        ),
    ],
)
def test_a_missing_or_damaged_file_gives_one_line_naming_it_and_the_map_still_shows_the_events(
    tmp_path, content, says
):
    path = tmp_path / "boundaries.geojson"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(boundaries.BoundaryFileError) as caught:
        boundaries.load(path)
    message = str(caught.value)
    assert str(path) in message and says in message and "tools/build_boundaries.py" in message
    assert "\n" not in message
    places = pd.DataFrame({"theatre": ["Eastern front"], "place": ["Bakhmut"], "events": [3], "lat": [48.6],
                           "lon": [38.0]})  # fmt: skip
    fig = charts.events_map(places, boundaries_file=path)
    assert [t.name for t in fig.data] == ["Eastern front"]  # the plain plane, as before the outlines
    [note] = fig.layout.annotations
    assert note.text.startswith("Outlines not drawn:") and "boundaries.geojson" in note.text


def test_the_shipped_file_is_plain_geojson_any_gis_tool_opens():
    collection = json.loads(boundaries.BOUNDARIES_FILE.read_text(encoding="utf-8"))
    assert collection["type"] == "FeatureCollection"
    kinds = [(f["properties"]["layer"], f["geometry"]["type"]) for f in collection["features"]]
    assert kinds[:2] == [("country borders", "MultiLineString"), ("oblast outlines", "MultiLineString")]
    assert {kind for kind in kinds[2:]} == {("oblast", "Point")}


def test_the_map_opens_on_the_war_when_most_events_are_there_and_counts_the_rest():
    points = pd.DataFrame({"place": ["Kyiv", "Bakhmut", "Washington"], "lat": [50.45, 48.6, 38.9],
                           "lon": [30.52, 38.0, -77.0], "events": [10, 8, 2], "theatre": ["North", "East", "Abroad"]})  # fmt: skip
    assert charts.outside_window(points) == 2
    fig = charts.events_map(points)
    assert tuple(fig.layout.xaxis.range) == charts.WAR_WINDOW[0]
    far = points.assign(events=[1, 1, 10])
    assert charts.events_map(far).layout.xaxis.range is None  # mostly elsewhere: the whole extent
