"""The word lists of `analytics/data/lexicon.yaml`, loaded once, with the maps and patterns built from them."""

from __future__ import annotations

import functools
import re
from pathlib import Path

import yaml

from analytics import config, schemas
from analytics.extract.mentions import cue_regex

LEXICON_PATH = Path(__file__).resolve().parent.parent / "data" / "lexicon.yaml"


PARTICLES = {"down", "up", "off", "out", "away", "in", "over"}


class Lexicon(schemas.LexiconFile):
    """The file's word lists as its schema declares them (each a lower-cased set), and what the
    extractor builds from them: a stance per speech verb, phrasal verb and noun, and the patterns."""

    @functools.cached_property
    def _speech(self) -> tuple[dict[str, str], dict[tuple[str, str], str]]:
        verbs: dict[str, str] = {}
        phrasal: dict[tuple[str, str], str] = {}
        for stance, words in self.speech_acts.items():
            for w in words:
                w = w.lower()
                if "_" in w:  # "call_on": (lemma, particle)
                    lemma, particle = w.split("_", 1)
                    phrasal[(lemma, particle)] = stance
                else:
                    verbs[w] = stance
        return verbs, phrasal

    @property
    def speech_verbs(self) -> dict[str, str]:
        return self._speech[0]

    @property
    def speech_phrasal(self) -> dict[tuple[str, str], str]:
        return self._speech[1]

    @functools.cached_property
    def speech_nouns(self) -> dict[str, str]:
        return {w.lower(): stance for stance, ws in (self.speech_act_nouns or {}).items() for w in ws}

    @functools.cached_property
    def said_content_patterns(self) -> tuple[tuple[str, re.Pattern], ...]:
        return tuple((stance, cue_regex(rx)) for stance, rx in (self.said_content or {}).items())

    @functools.cached_property
    def furniture_pattern(self) -> re.Pattern:
        return re.compile(r"^\W*(?:" + "|".join(self.furniture) + ")", re.I)

    @functools.cached_property
    def statistics_pattern(self) -> re.Pattern:
        return cue_regex(self.statistics)

    @functools.cached_property
    def habitual_pattern(self) -> re.Pattern:
        return cue_regex(self.habitual_phrases)

    def speech_stance(self, lemma: str, particles: set[str]) -> str | None:
        for p in particles:
            stance = self.speech_phrasal.get((lemma, p))
            if stance:
                return stance
        if lemma in self.particle_free and particles & PARTICLES:
            return None  # "backed down"
        return self.speech_verbs.get(lemma)


def load_lexicon(path: Path | None = None) -> Lexicon:
    """The lexicon of `path`, else lexicon.yaml in $DASHBOARD_VOCAB_DIR when that folder has one, else the packaged file."""
    return _load_lexicon(Path(path) if path else config.vocabulary_file("lexicon.yaml"))


@functools.cache
def _load_lexicon(path: Path) -> Lexicon:
    lexicon = schemas.parse("lexicon.yaml", yaml.safe_load(path.read_text(encoding="utf-8")), path, Lexicon)
    # Built now, not on the first sentence: a bad pattern fails at load, and workers that load
    # the lexicon before forking share the built maps.
    for name in (
        "_speech",
        "speech_nouns",
        "said_content_patterns",
        "furniture_pattern",
        "statistics_pattern",
        "habitual_pattern",
    ):
        getattr(lexicon, name)
    return lexicon
