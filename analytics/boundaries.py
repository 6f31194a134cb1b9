"""The map's country borders and oblast outlines: the shipped Natural Earth lines, read once per process.

`analytics/data/boundaries.geojson` (built by tools/build_boundaries.py, public domain) holds two
MultiLineString layers and a label point per oblast. Reading it needs no geometry library: the lines
become one x and one y array per layer, with NaN between lines, which plotly draws as one trace
with gaps (one trace per layer keeps the map as fast as one polygon-less trace).
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from analytics.config import DATA_DIR

BOUNDARIES_FILE = DATA_DIR / "boundaries.geojson"
BORDERS, OBLASTS = "country borders", "oblast outlines"
REBUILD = "restore it from the repository or rebuild it with tools/build_boundaries.py (see its docstring)"


class BoundaryFileError(ValueError):
    """The boundary file is missing or not what the build writes; the message is one line naming it."""


@dataclass(frozen=True)
class Layer:
    lon: np.ndarray  # read-only; NaN between lines
    lat: np.ndarray
    lines: int


@dataclass(frozen=True)
class Boundaries:
    borders: Layer
    oblasts: Layer
    oblast_labels: dict[str, tuple[float, float]]  # name as in oblasts.yaml -> (lon, lat) inside it
    countries: tuple[str, ...]
    about: dict


def _layer(path: Path, lines: list) -> Layer:
    lon, lat = [], []
    for line in lines:
        if not isinstance(line, list) or len(line) < 2:
            raise BoundaryFileError(f"{path}: a line with fewer than two points; {REBUILD}")
        for point in line:
            if not (
                isinstance(point, list) and len(point) == 2 and all(isinstance(v, int | float) for v in point)
            ):
                raise BoundaryFileError(f"{path}: a point that is not [lon, lat] ({point!r:.40}); {REBUILD}")
            lon.append(point[0])
            lat.append(point[1])
        lon.append(np.nan)
        lat.append(np.nan)
    # float32 holds the file's 3 decimals exactly enough (~4e-6 degrees) and halves what a map sends to the browser.
    arrays = [np.asarray(values, dtype=np.float32) for values in (lon, lat)]
    for array in arrays:
        array.flags.writeable = False  # shared by every map this process draws
    return Layer(*arrays, lines=len(lines))


@functools.lru_cache(maxsize=4)
def load(path: Path = BOUNDARIES_FILE) -> Boundaries:
    """The boundary file's layers; BoundaryFileError (one line, naming the file) when it is missing or damaged."""
    try:
        collection = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BoundaryFileError(f"{path}: the map's boundary file is missing; {REBUILD}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise BoundaryFileError(f"{path}: cannot be read ({exc.__class__.__name__}); {REBUILD}") from None
    except json.JSONDecodeError as exc:
        raise BoundaryFileError(f"{path}: not JSON ({exc.msg} at line {exc.lineno}); {REBUILD}") from None
    if not isinstance(collection, dict) or collection.get("type") != "FeatureCollection":
        raise BoundaryFileError(f"{path}: not a GeoJSON FeatureCollection; {REBUILD}")
    features = collection.get("features")
    if not isinstance(features, list) or not all(isinstance(f, dict) for f in features):
        raise BoundaryFileError(f"{path}: not a GeoJSON FeatureCollection; {REBUILD}")
    layers, labels, countries = {}, {}, ()
    for feature in features:
        properties = feature.get("properties") or {}
        geometry = feature.get("geometry") or {}
        if properties.get("layer") in (BORDERS, OBLASTS) and geometry.get("type") == "MultiLineString":
            layers[properties["layer"]] = _layer(path, geometry.get("coordinates") or [])
            if properties["layer"] == BORDERS:
                countries = tuple(properties.get("countries") or ())
        elif properties.get("layer") == "oblast" and geometry.get("type") == "Point":
            labels[properties.get("name")] = tuple(geometry.get("coordinates") or ())
    missing = [name for name in (BORDERS, OBLASTS) if not layers.get(name) or not layers[name].lines]
    if missing:
        raise BoundaryFileError(f"{path}: no {' and no '.join(missing)} lines; {REBUILD}")
    return Boundaries(layers[BORDERS], layers[OBLASTS], labels, countries, collection.get("about") or {})
