"""What every data file in `analytics/data/` may hold, checked when it is loaded, with errors naming file, entry and field.

The loaders keep their own rules (an alias naming two actors, a place in an unknown theatre);
these models catch what a loader would otherwise pass over or trip on with a traceback: a
misspelt key (`aliasses:`), a word YAML read as something else (`off` is false, `040` is 32), a
missing field, a regular expression that does not compile. Each model is written from what its
loader reads: a field the loader requires is required here, one it reads with `.get` is optional.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import types
import typing
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, ValidationError


class DataFileError(ValueError):
    """A data file cannot be used; the message names the file, the entry and the field, and what to do."""


ActorKind = Literal[
    "state",
    "armed forces",
    "armed group",
    "government body",
    "person",
    "international organisation",
    "company",
    "media",
    "think tank",
]
ACTOR_KINDS: tuple[str, ...] = typing.get_args(ActorKind)
# analytics.kinds.KINDS, spelt out for the type checker (a test keeps the two equal).
RecordKind = Literal["event", "aid", "diplomacy", "statement"]


def _number_as_text(value: Any) -> Any:
    # The loaders take a number in a word list as its text (str(w)); true/false never: that is
    # YAML reading an unquoted yes/no/on/off, and the word is lost.
    return str(value) if isinstance(value, int | float) and not isinstance(value, bool) else value


def _not_a_bool(value: Any) -> Any:
    if isinstance(value, bool):
        raise ValueError("a number is needed, not true/false")
    return value


def _compiles(pattern: str) -> str:
    try:
        re.compile(pattern)
    except re.error as exc:
        raise ValueError(f"not a valid regular expression ({exc})") from None
    return pattern


def _written(pattern: str, example: str):
    """Text that must fullmatch `pattern`, with an error that shows the form (`example`), not the regex."""
    compiled = re.compile(pattern)

    def check(value: str) -> str:
        if not compiled.fullmatch(value):
            raise ValueError(f"must be written {example}")
        return value

    return AfterValidator(check)


Text = Annotated[str, Field(min_length=1)]
Word = Annotated[str, BeforeValidator(_number_as_text), Field(min_length=1)]
Regex = Annotated[str, AfterValidator(_compiles)]
Number = Annotated[float, BeforeValidator(_not_a_bool)]
Count = Annotated[int, BeforeValidator(_not_a_bool), Field(ge=0)]


class _Model(BaseModel):
    # forbid: a misspelt key would otherwise be read as absent, and the entry silently lose it.
    model_config = ConfigDict(extra="forbid", frozen=True)


# --- the vocabularies (analytics/vocab.py) ------------------------------------------------------


class Actor(_Model):
    name: Text
    kind: ActorKind
    country: str | None = None
    represents: str | None = None
    aliases: list[Word] | None = None
    exact: list[Word] | None = None
    role: str | None = None
    fights_for: str | None = None


class ActorsFile(_Model):
    actors: list[Actor]


class Place(_Model):
    name: Text
    kind: Text = "city"
    country: str | None = None
    admin1: str | None = None
    theatre: str | None = None
    lat: Annotated[Number, Field(ge=-90, le=90)] | None = None
    lon: Annotated[Number, Field(ge=-180, le=180)] | None = None
    aliases: list[Word] | None = None
    exact: list[Word] | None = None
    population: Annotated[Number, Field(ge=0)] | None = None


class PlacesFile(_Model):
    places: list[Place]


class Region(_Model):
    name: Text
    country: Text
    code: Annotated[str, _written(r"[A-Z]{2}\.\w+", "as GeoNames' country.admin1 code, e.g. UA.05")]
    theatre: str | None = None
    keep_only: list[Word] | None = None


class OblastsFile(_Model):
    regions: list[Region]
    gazetteer_stoplist: list[Word] | None = None


class Theatre(_Model):
    name: Text
    description: str = ""
    colour: Annotated[str, _written(r"#[0-9a-fA-F]{6}", "#rrggbb, e.g. #d1495b")] | None = None


class TheatresFile(_Model):
    theatres: list[Theatre]


class Theme(_Model):
    name: Text
    description: str = ""
    cues: list[Word] | None = None


class ThemesFile(_Model):
    themes: list[Theme]


# --- extraction (analytics/extract, analytics/dates.py, analytics/outlets.py) -------------------


class AttributionCue(_Model):
    cue: Regex
    stance: Text
    before: bool = False


class EventCue(_Model):
    cue: Regex
    type: Text
    subtype: str | None = None
    weak: bool = False
    place_object: bool = False
    place_subject: bool = False
    civil: bool = False  # people do it, not soldiers ("marched across")


class DiplomacyCue(_Model):
    type: Text
    cue: Regex
    place_object: bool = False
    presence: bool = False  # "was in Kyiv": a visit only by a person, at a named place


class CuesFile(_Model):
    attribution: list[AttributionCue]
    events: list[EventCue]
    diplomacy: list[DiplomacyCue]
    aid_context: list[Regex]
    aid_exclude: list[Regex] | None = None
    aid_type: dict[str, list[Regex]]
    aid_record_type: dict[str, list[Regex]]
    approximate: list[Word]  # plain words: the loader escapes them
    dollar_donors: dict[str, Annotated[str, _written(r"[A-Z]{3}", "as a currency code, e.g. CAD")]] | None = (
        None
    )
    materiel: list[Regex]
    materiel_verbs: list[Regex]


# A lexicon word list (an empty key is an empty list): a set, since the extractor asks only
# whether a word is in it; LowerWords lower-cased, as it is matched against lower-cased lemmas.
WordSet = Annotated[frozenset[Word], BeforeValidator(lambda words: [] if words is None else words)]
LowerWords = Annotated[WordSet, AfterValidator(lambda words: frozenset(w.lower() for w in words))]


class LexiconFile(_Model):
    """lexicon.yaml; `analytics.extract.lexicon.Lexicon` is this model with the maps and patterns built from it."""

    speech_acts: dict[str, list[Word]]
    speech_act_nouns: dict[str, list[Word]] | None = None
    said_content: dict[str, list[Regex]] | None = None
    weak_stances: LowerWords = frozenset()
    light_verbs: LowerWords = frozenset()
    denial_objects: LowerWords = frozenset()
    modals_future: LowerWords = frozenset()
    modals_hypothetical: LowerWords = frozenset()
    intent_verbs: LowerWords = frozenset()
    scheduling_verbs: LowerWords = frozenset()
    hypothetical_heads: LowerWords = frozenset()
    hypothetical_modifiers: LowerWords = frozenset()
    negators: LowerWords = frozenset()
    conditional_marks: LowerWords = frozenset()
    unreal_predicates: LowerWords = frozenset()
    dispositions: LowerWords = frozenset()
    hostile_acts: LowerWords = frozenset()
    topic_nouns: LowerWords = frozenset()
    non_violent_modifiers: LowerWords = frozenset()
    defended_things: LowerWords = frozenset()
    credit_verbs: LowerWords = frozenset()
    negative_verbs: LowerWords = frozenset()
    hedges: LowerWords = frozenset()
    naming_verbs: LowerWords = frozenset()
    saying_verbs: LowerWords = frozenset()
    expecting_verbs: LowerWords = frozenset()
    calling_verbs: LowerWords = frozenset()
    addressees: LowerWords = frozenset()
    hostile_events: LowerWords = frozenset()
    habitual_adverbs: LowerWords = frozenset()
    allege_verbs: LowerWords = frozenset()
    weapons: LowerWords = frozenset()
    military_targets: LowerWords = frozenset()
    figurative_objects: LowerWords = frozenset()
    figurative_subjects: LowerWords = frozenset()
    domestic_acts: LowerWords = frozenset()
    topic_verbs: LowerWords = frozenset()
    item_verbs: LowerWords = frozenset()
    conduct_verbs: LowerWords = frozenset()
    occurring_verbs: LowerWords = frozenset()
    war_sides: WordSet = frozenset()
    other_wars: WordSet = frozenset()
    supply_verbs: LowerWords = frozenset()
    extendable_items: LowerWords = frozenset()
    manner_nouns: LowerWords = frozenset()
    outcome_nouns: LowerWords = frozenset()
    casualty_words: LowerWords = frozenset()
    remote_weapons: LowerWords = frozenset()
    air_weapons: LowerWords = frozenset()
    wrongdoing_verbs: LowerWords = frozenset()
    praise_names: LowerWords = frozenset()
    announcing_verbs: LowerWords = frozenset()
    aid_nouns: LowerWords = frozenset()
    future_frames: LowerWords = frozenset()
    background_adverbs: LowerWords = frozenset()
    threat_objects: LowerWords = frozenset()
    particle_free: LowerWords = frozenset()
    non_acts: LowerWords = frozenset()
    furniture: list[Regex]
    statistics: list[Regex]
    habitual_phrases: list[Regex]


class AnchorsFile(_Model):
    anchors: dict[str, Annotated[dt.date, Field(strict=True)]]
    history_before: Annotated[dt.date, Field(strict=True)] | None = None
    history_phrases: list[Regex] | None = None
    background_days: Count | None = None


def _names_the_outlet(pattern: str) -> str:
    if "outlet" not in re.compile(pattern).groupindex:
        raise ValueError("needs a named group (?P<outlet>...) saying where the outlet's name is")
    return pattern


class TextRule(_Model):
    where: Literal["start", "anywhere"] = "anywhere"
    pattern: Annotated[Regex, AfterValidator(_names_the_outlet)]


class OutletsFile(_Model):
    text_rules: list[TextRule] | None = None
    names: dict[str, str] | None = None


# --- counting once (analytics/derive) -----------------------------------------------------------


class IncidentSettings(_Model):
    dataset_origins: list[Text] | None = None
    families: dict[str, Text] | None = None
    slack_days: Count | None = None
    max_span_days: Count | None = None
    nearest_candidates: Annotated[Count, Field(ge=1)] | None = None
    coarse_place_kinds: list[Text] | None = None
    unknown_place_kinds: list[Text] | None = None


class LedgerSettings(_Model):
    rounding_same_currency: Annotated[Number, Field(ge=0)] | None = None
    rounding_other_currency: Annotated[Number, Field(ge=0)] | None = None
    commitment_days: Count | None = None
    line_days: Count | None = None
    stage_cues: dict[str, list[Regex]] | None = None
    recipient_connectors: Regex | None = None
    not_aid_cues: list[Regex] | None = None


class ContestedSettings(_Model):
    assert_stances: list[Text] | None = None
    counter_stances: list[Text] | None = None
    answer_required_stances: list[Text] | None = None
    answer_words: Regex | None = None
    window_days: Count | None = None
    same_article_sentences: Count | None = None


class DeriveFile(_Model):
    incidents: IncidentSettings
    ledger: LedgerSettings
    contested: ContestedSettings


# --- dataset imports (analytics/importers) ------------------------------------------------------


class CameoEntry(_Model):
    # Quoted text: YAML reads an unquoted 040 as the octal number 32 and 04 as 4.
    code: Annotated[str, _written(r"\d{2,4}", 'as 2 to 4 digits in quotes, e.g. "040"')]
    kind: RecordKind
    type: Text
    subtype: str | None = None
    label: str | None = None
    themes: list[Text] | None = None


class GroupActor(_Model):
    actor: Text
    role: Literal["actor", "target"] = "actor"


class EyesOnRussiaGroup(_Model):
    match: list[Regex] | None = None
    event_type: Text
    sub_event_type: str | None = None
    themes: list[Text] | None = None
    actors: list[GroupActor] | None = None


class UnmatchedGroup(_Model):
    event_type: Text
    sub_event_type: str | None = None


Names = dict[str, str] | None


class ImportMappingsFile(_Model):
    actors: Names = None
    places: Names = None
    countries: Names = None
    acled_inter: dict[int, str | None] | None = None
    acled_time_precision: dict[int, Literal["day", "week", "month"]] | None = None
    acled_themes: dict[str, list[Text]] | None = None
    gdelt_countries: Names = None
    gdelt_military: Names = None
    gdelt_groups: Names = None
    gdelt_region_countries: Names = None
    cameo: list[CameoEntry] | None = None
    eyes_on_russia: list[EyesOnRussiaGroup] | None = None
    eyes_on_russia_unmatched: UnmatchedGroup | None = None


SCHEMAS: dict[str, type[BaseModel]] = {
    "actors.yaml": ActorsFile,
    "places.yaml": PlacesFile,
    "oblasts.yaml": OblastsFile,
    "theatres.yaml": TheatresFile,
    "themes.yaml": ThemesFile,
    "cues.yaml": CuesFile,
    "lexicon.yaml": LexiconFile,
    "anchors.yaml": AnchorsFile,
    "outlets.yaml": OutletsFile,
    "derive.yaml": DeriveFile,
    "import_mappings.yaml": ImportMappingsFile,
}


# --- validation and its messages ----------------------------------------------------------------


def validate(name: str, data: Any, path: str | Path) -> Any:
    """`data` (what yaml.safe_load gave for the file `name`, read from `path`) unchanged, or a
    DataFileError naming the file, the entry and the field of its first problem."""
    parse(name, data, path)
    return data


M = typing.TypeVar("M", bound=BaseModel)


def parse(name: str, data: Any, path: str | Path, model: type[M] | None = None) -> M:
    """`data` read as the file `name`'s model (or `model`, a subclass of it that a loader builds
    on), with `validate`'s errors."""
    model = model or SCHEMAS[name]
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise DataFileError(_message(exc, data, path, model)) from None


_LABEL_KEYS = ("name", "code", "cue", "match", "type", "event_type", "actor")


def _label(entry: dict) -> str:
    for key in _LABEL_KEYS:
        value = entry.get(key)
        if value not in (None, "", []):
            text = str(value)
            return f" ({key}: {text[:50] + '…' if len(text) > 50 else text})"
    # No naming key (it may be the one missing): what else the entry says, to find it by.
    said = [f"{k}: {v}" for k, v in entry.items() if isinstance(v, str | int | float)][:2]
    return f" ({', '.join(said)})" if said else ""


def _unwrap(ann: Any) -> Any:
    """The type inside Annotated[...] and X | None."""
    while True:
        origin = typing.get_origin(ann)
        if origin is Annotated:
            ann = typing.get_args(ann)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(ann) if a is not type(None)]
            ann = args[0] if len(args) == 1 else Any
        else:
            return ann


def _is_model(ann: Any) -> bool:
    return isinstance(ann, type) and issubclass(ann, BaseModel)


def _where(loc: tuple, data: Any, model: type[BaseModel]) -> tuple[str, type[BaseModel] | None]:
    """'section 'actors', entry 13 (name: Pentagon), field 'kind'' for a pydantic location, and
    the model whose field the last step names (for suggesting a known field)."""
    parts: list[str] = []
    node, ann, parent = data, model, None
    for depth, key in enumerate(loc):
        ann = _unwrap(ann)
        if key == "[key]":
            parts.append("its key")
            break
        if isinstance(node, list) and isinstance(key, int):
            item = node[key] if 0 <= key < len(node) else None
            parts.append(f"entry {key + 1}{_label(item)}" if isinstance(item, dict) else f"item {key + 1}")
            node, ann = item, (typing.get_args(ann) or (Any,))[0]
        elif isinstance(node, dict):
            if _is_model(ann):
                parent = ann
                parts.append(f"section '{key}'" if depth == 0 else f"field '{key}'")
                field = ann.model_fields.get(key) if isinstance(key, str) else None
                ann = field.annotation if field else Any
            else:
                parts.append(f"key '{key}'")
                args = typing.get_args(ann)
                ann = args[1] if len(args) == 2 else Any
            node = node.get(key)
        else:  # a union's member name, past the data: the location is complete
            break
    return ", ".join(parts) or "the top level", parent


def _problem(error: dict, parent: type[BaseModel] | None, loc: tuple) -> str:
    kind, value = error["type"], error.get("input")
    if kind == "missing":
        return "required but missing"
    if kind == "extra_forbidden":
        known = sorted(parent.model_fields) if parent else []
        close = difflib.get_close_matches(str(loc[-1]), known, n=1)
        hint = f"did you mean '{close[0]}'? " if close else ""
        what = "section" if len(loc) == 1 else "field"
        return f"not a known {what}, the loader would ignore it ({hint}known: {', '.join(known)})"
    if kind == "model_type" and not loc:
        return f"the file must hold named sections at the top level, not {type(value).__name__}"
    msg = error["msg"].removeprefix("Value error, ")
    msg = msg[:1].lower() + msg[1:]
    if isinstance(value, dict | list):
        got = f"a {'mapping' if isinstance(value, dict) else 'list'}"
    else:
        got = repr(value)
        got = got[:60] + "…" if len(got) > 60 else got
    msg += f" (got {got})"
    if isinstance(value, bool):
        msg += "; YAML reads an unquoted yes/no/on/off/true/false as true or false: put the word in quotes"
    elif isinstance(value, int | float) and kind in ("string_type", "string_pattern_mismatch"):
        msg += "; put it in quotes so that YAML keeps it as written"
    return msg


def _message(exc: ValidationError, data: Any, path: str | Path, model: type[BaseModel]) -> str:
    problems: dict[str, str] = {}
    # A misspelt key first: it explains the "missing" one that follows from it.
    for error in sorted(exc.errors(), key=lambda e: e["type"] != "extra_forbidden"):
        where, parent = _where(error["loc"], data, model)
        # A union's members each report the same value: the first one speaks for it.
        problems.setdefault(where, _problem(error, parent, error["loc"]))
    n = len(problems) - 1
    more = f" (and {n} more problem{'s' if n > 1 else ''})" if n else ""
    where, problem = next(iter(problems.items()))
    return f"{path}: {where}: {problem}{more}. Fix the entry or remove it."
