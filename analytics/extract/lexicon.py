"""The word lists of `analytics/data/lexicon.yaml`, loaded once into sets and maps."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from analytics import schemas
from analytics.extract.mentions import cue_regex

LEXICON_PATH = Path(__file__).resolve().parent.parent / "data" / "lexicon.yaml"


PARTICLES = {"down", "up", "off", "out", "away", "in", "over"}


@dataclass(frozen=True)
class Lexicon:
    # lemma -> stance; multiword entries ("call_on") as (lemma, particle) -> stance
    speech_verbs: dict[str, str]
    speech_phrasal: dict[tuple[str, str], str]
    speech_nouns: dict[str, str]
    said_content: tuple[tuple[str, re.Pattern], ...]
    weak_stances: frozenset[str]
    light_verbs: frozenset[str]
    denial_objects: frozenset[str]
    modals_future: frozenset[str]
    modals_hypothetical: frozenset[str]
    intent_verbs: frozenset[str]
    scheduling_verbs: frozenset[str]
    hypothetical_heads: frozenset[str]
    hypothetical_modifiers: frozenset[str]
    negators: frozenset[str]
    conditional_marks: frozenset[str]
    unreal_predicates: frozenset[str]
    dispositions: frozenset[str]
    negative_verbs: frozenset[str]
    defended_things: frozenset[str]
    hostile_acts: frozenset[str]
    topic_nouns: frozenset[str]
    non_violent_modifiers: frozenset[str]
    habitual_adverbs: frozenset[str]
    allege_verbs: frozenset[str]
    weapons: frozenset[str]
    military_targets: frozenset[str]
    figurative_objects: frozenset[str]
    figurative_subjects: frozenset[str]
    domestic_acts: frozenset[str]
    topic_verbs: frozenset[str]
    item_verbs: frozenset[str]
    war_sides: frozenset[str]
    supply_verbs: frozenset[str]
    extendable_items: frozenset[str]
    manner_nouns: frozenset[str]
    future_frames: frozenset[str]
    background_adverbs: frozenset[str]
    threat_objects: frozenset[str]
    particle_free: frozenset[str]
    non_acts: frozenset[str]
    furniture: re.Pattern
    statistics: re.Pattern
    habitual: re.Pattern

    def speech_stance(self, lemma: str, particles: set[str]) -> str | None:
        for p in particles:
            stance = self.speech_phrasal.get((lemma, p))
            if stance:
                return stance
        if lemma in self.particle_free and particles & PARTICLES:
            return None  # "backed down"
        return self.speech_verbs.get(lemma)


def _words(d: dict, key: str) -> frozenset[str]:
    return frozenset(str(w).lower() for w in d.get(key) or [])


@functools.cache
def load_lexicon(path: Path = LEXICON_PATH) -> Lexicon:
    d = schemas.validate("lexicon.yaml", yaml.safe_load(path.read_text(encoding="utf-8")), path)
    verbs: dict[str, str] = {}
    phrasal: dict[tuple[str, str], str] = {}
    for stance, words in d["speech_acts"].items():
        for w in words:
            w = str(w).lower()
            if "_" in w:
                lemma, particle = w.split("_", 1)
                phrasal[(lemma, particle)] = stance
            else:
                verbs[w] = stance
    nouns = {str(w).lower(): stance for stance, ws in (d.get("speech_act_nouns") or {}).items() for w in ws}
    return Lexicon(
        speech_verbs=verbs,
        speech_phrasal=phrasal,
        speech_nouns=nouns,
        said_content=tuple((k, cue_regex(v)) for k, v in (d.get("said_content") or {}).items()),
        weak_stances=_words(d, "weak_stances"),
        light_verbs=_words(d, "light_verbs"),
        denial_objects=_words(d, "denial_objects"),
        modals_future=_words(d, "modals_future"),
        modals_hypothetical=_words(d, "modals_hypothetical"),
        intent_verbs=_words(d, "intent_verbs"),
        scheduling_verbs=_words(d, "scheduling_verbs"),
        hypothetical_heads=_words(d, "hypothetical_heads"),
        hypothetical_modifiers=_words(d, "hypothetical_modifiers"),
        negators=_words(d, "negators"),
        conditional_marks=_words(d, "conditional_marks"),
        unreal_predicates=_words(d, "unreal_predicates"),
        dispositions=_words(d, "dispositions"),
        negative_verbs=_words(d, "negative_verbs"),
        defended_things=_words(d, "defended_things"),
        hostile_acts=_words(d, "hostile_acts"),
        topic_nouns=_words(d, "topic_nouns"),
        non_violent_modifiers=_words(d, "non_violent_modifiers"),
        habitual_adverbs=_words(d, "habitual_adverbs"),
        allege_verbs=_words(d, "allege_verbs"),
        weapons=_words(d, "weapons"),
        military_targets=_words(d, "military_targets"),
        figurative_objects=_words(d, "figurative_objects"),
        figurative_subjects=_words(d, "figurative_subjects"),
        domestic_acts=_words(d, "domestic_acts"),
        topic_verbs=_words(d, "topic_verbs"),
        item_verbs=_words(d, "item_verbs"),
        war_sides=frozenset(d.get("war_sides") or []),
        supply_verbs=_words(d, "supply_verbs"),
        extendable_items=_words(d, "extendable_items"),
        manner_nouns=_words(d, "manner_nouns"),
        future_frames=_words(d, "future_frames"),
        background_adverbs=_words(d, "background_adverbs"),
        threat_objects=_words(d, "threat_objects"),
        particle_free=_words(d, "particle_free"),
        non_acts=_words(d, "non_acts"),
        furniture=re.compile(r"^\W*(?:" + "|".join(d["furniture"]) + ")", re.I),
        statistics=cue_regex(d["statistics"]),
        habitual=cue_regex(d["habitual_phrases"]),
    )
