"""What extraction produces: records tied to their sentence, and the article they came from."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field, fields

from analytics.corpus import Document
from analytics.kinds import KINDS  # noqa: F401 - re-exported for extraction
from analytics.sentences import Sentence

# Fields that steer extraction itself and are not part of the printed record.
_INTERNAL = {"anaphoric", "subordinate", "clause"}


@dataclass
class Record:
    kind: str
    type: str | None = None
    subtype: str | None = None
    actors: list[str] = field(default_factory=list)
    location: str | None = None
    theatre: str | None = None
    themes: list[str] = field(default_factory=list)
    date: str | None = None
    date_precision: str | None = None
    sources: list[dict] = field(default_factory=list)
    donor: str | None = None
    recipient: str | None = None
    amount: float | None = None
    currency: str | None = None
    aid_type: str | None = None
    approximate: bool = False
    materiel: str | None = None  # aid counted in items: what is counted ("howitzers"); amount is the count
    speaker: str | None = None
    stance: str | None = None
    # Beyond the contract's minimum (the contract allows additions).
    sentence: int = 0
    start: int = 0
    end: int = 0
    quote: str = ""
    record_id: str = ""
    date_basis: str | None = None
    span_start: str | None = None
    span_end: str | None = None
    status: str | None = None  # diplomacy: planned | ongoing | held
    factuality: str = "asserted"  # asserted | alleged | planned
    confidence: float = 0.5  # how sure the rules are, 0-1
    unverified: bool = False
    cue: str | None = None
    mentions: list[dict] = field(default_factory=list)  # {actor, side, role, text}
    # Told by a pronoun ("he also visited") or a determined noun ("on the visit"): may re-tell an item.
    anaphoric: bool = False
    clause: tuple[int, int] | None = None  # its own clause in the sentence (character offsets)
    subordinate: int = 0  # how deep in framing clauses it is told ("while the UN chief was visiting")

    def contract(self) -> dict:
        d = {f.name: getattr(self, f.name) for f in fields(self) if f.name not in _INTERNAL}
        d["id"] = d.pop("record_id")
        d["sources"] = [dict(s) for s in self.sources]
        d["mentions"] = [dict(m) for m in self.mentions]
        return d


@dataclass
class Extraction:
    document: Document
    sentences: list[Sentence]
    records: list[Record]
    published: dt.date | None
    published_precision: str | None
    published_basis: str | None

    def contract(self) -> dict:
        return {
            "document": {
                "title": self.document.title,
                "published": self.published.isoformat() if self.published else None,
                "published_precision": self.published_precision,
                "published_basis": self.published_basis,
                "sentences": len(self.sentences),
                "content_hash": self.document.content_hash,
                "name": self.document.name,
            },
            "records": [r.contract() for r in self.records],
        }


def record_id(content_hash: str, sentence: int, kind: str, position: int) -> str:
    """Stable across rebuilds: the article's content, the sentence, the kind and its ordinal."""
    return hashlib.sha1(f"{content_hash}:{sentence}:{kind}:{position}".encode()).hexdigest()[:16]


def mention_rows(mentions, role: str) -> list[dict]:
    return [
        {"actor": m.name, "side": m.side, "role": role, "text": m.text} for m in mentions if m is not None
    ]


def sides(mentions) -> list[str]:
    out: list[str] = []
    for m in mentions:
        if m is not None and m.side not in out:
            out.append(m.side)
    return out
