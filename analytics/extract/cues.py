"""The cue patterns of `analytics/data/cues.yaml`, compiled once."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from analytics import config, schemas
from analytics.extract.mentions import cue_regex

CUES_PATH = Path(__file__).resolve().parent.parent / "data" / "cues.yaml"


@dataclass(frozen=True)
class Cue:
    pattern: re.Pattern
    attrs: dict


@dataclass(frozen=True)
class CueSet:
    """Cues of one family, with one combined pattern that rules out most sentences at once."""

    cues: tuple[Cue, ...]
    any: re.Pattern

    def __iter__(self):
        return iter(self.cues)


@dataclass(frozen=True)
class Cues:
    attribution: CueSet
    events: CueSet
    diplomacy: CueSet
    aid_context: re.Pattern
    aid_exclude: re.Pattern
    aid_type: tuple[tuple[str, re.Pattern], ...]
    aid_record_type: tuple[tuple[str, re.Pattern], ...]
    approximate: re.Pattern
    dollar_donors: dict
    materiel: re.Pattern
    materiel_verbs: re.Pattern
    materiel_item: re.Pattern  # a kind of item, counted or not


def _cues(items) -> CueSet:
    cues = tuple(Cue(cue_regex([i["cue"]]), {k: v for k, v in i.items() if k != "cue"}) for i in items)
    return CueSet(cues, cue_regex([i["cue"] for i in items]))


def load_cues(path: Path | None = None) -> Cues:
    """The cues of `path`, else of cues.yaml in $DASHBOARD_VOCAB_DIR when that folder has one, else the packaged file."""
    return _load_cues(Path(path) if path else config.vocabulary_file("cues.yaml"))


@functools.cache
def _load_cues(path: Path) -> Cues:
    d = schemas.validate("cues.yaml", yaml.safe_load(path.read_text(encoding="utf-8")), path)
    return Cues(
        attribution=_cues(d["attribution"]),
        events=_cues(d["events"]),
        diplomacy=_cues(d["diplomacy"]),
        aid_context=cue_regex(d["aid_context"]),
        aid_exclude=cue_regex(d.get("aid_exclude") or ["(?!x)x"]),
        aid_type=tuple((k, cue_regex(v)) for k, v in d["aid_type"].items()),
        aid_record_type=tuple((k, cue_regex(v)) for k, v in d["aid_record_type"].items()),
        dollar_donors=dict(d.get("dollar_donors") or {}),
        materiel=re.compile(
            r"(?<![\w,.])(?P<n>\d{1,3}(?:,\d{3})+|\d+|two|three|four|five|six|seven|eight|nine|ten|dozens of|hundreds of)"
            r"\s(?:[\w-]+\s){0,4}?(?P<item>" + "|".join(d["materiel"]) + r")(?!\w)",
            re.I,
        ),
        materiel_verbs=cue_regex(d["materiel_verbs"]),
        materiel_item=cue_regex(d["materiel"]),
        approximate=re.compile(r"(?:^|\W)(?:" + "|".join(map(re.escape, d["approximate"])) + r")\s*$", re.I),
    )
