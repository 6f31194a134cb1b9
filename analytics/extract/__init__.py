"""Rule-based extraction of events, aid figures, diplomatic items and statements.

Each sentence is read once: actor and place mentions come from the vocabularies, cue
patterns from `data/cues.yaml`, and every record keeps the sentence it came from. The rules
are about how news is written ("X said", "according to X", "X denied", "$N billion in
military aid"), never about one article.
"""
from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import re
from dataclasses import asdict, dataclass, field

from spacy.attrs import IDX

from analytics import dates
from analytics.corpus import Document
from analytics.extract.cues import CueSet, load_cues
from analytics.extract.mentions import PLACE_PREPOSITIONS, Mention, finder
from analytics.extract.money import NUMBER_WORDS, find_amounts
from analytics.sentences import Sentence, split_doc, tokenize
from analytics.vocab import Vocabulary, load_vocabulary

KINDS = ("event", "aid", "diplomacy", "statement")
DEFAULT_RECIPIENT = "Ukraine"
# Statement stance -> how the same act attributes a record (sources[].stance).
SOURCE_STANCE = {"claims": "claims", "denies": "denies", "acknowledges": "acknowledges", "announces": "announces"}
CLAUSE_WORDS = {
    ";", ":", "—", "–", "while", "but", "whereas", "although", "though", "as", "after", "when",
    "because", "who", "which", "that", "since", "despite", "however",
}  # fmt: skip
PERSON_PRONOUNS = {"he", "she", "his", "her"}
BODY_PRONOUNS = {"it", "they", "its", "their"}
# Words before a capital that make it the place something happened to, not an actor.
OBJECT_WORDS = {
    "to", "at", "on", "from", "of", "capital", "hit", "hits", "struck", "strikes", "attacked", "attacking",
    "shelled", "shelling", "targeted", "targeting", "bombed", "bombing", "pounded", "visited", "visiting",
    "entered", "reached", "liberated", "captured", "encircled", "besieged",
}  # fmt: skip
# "the government said …": the body last named.
BODY_NOUNS = {"government", "ministry", "administration", "country", "authorities", "kremlin"}
# "the president said …": the person last named.
PERSON_NOUNS = {"president", "minister", "chancellor", "premier", "leader", "spokesman", "spokeswoman",
                "spokesperson", "secretary", "taoiseach", "envoy", "ambassador", "commander"}  # fmt: skip
PLACE_RANK = {"suburb": 0, "village": 1, "town": 1, "city": 1, "district": 2, "oblast": 3, "front": 4,
              "region": 4, "sea": 4, "country": 5}  # fmt: skip
DEIXIS = re.compile(r"\b(?:the (?:city|town|village|settlement|area)|there)\b", re.I)
PLANNED = re.compile(r"\b(?:will|would|plans? to|planned|planning|to be held|next (?:week|month|year)|upcoming|is due|are due|set to|scheduled)\b", re.I)
ONGOING = re.compile(r"\b(?:are|is) (?:convening|meeting|holding|visiting|negotiating|attending)\b", re.I)
UNVERIFIED = re.compile(
    r"\b(?:without (?:providing|offering|giving) (?:any )?evidence|could not (?:be )?(?:independently )?verif\w*|"
    r"unverified|unconfirmed|not (?:be )?independently verified)\b",
    re.I,
)


@dataclass
class Record:
    kind: str
    sentence: int
    start: int
    end: int
    quote: str
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
    # Fields beyond the contract's minimum (the contract allows additions).
    record_id: str = ""
    date_basis: str | None = None
    span_start: str | None = None
    span_end: str | None = None
    status: str | None = None  # diplomacy: planned | ongoing | held
    unverified: bool = False
    cue: str | None = None
    mentions: list[dict] = field(default_factory=list)  # {actor, side, role, text}

    def contract(self) -> dict:
        d = asdict(self)
        d["id"] = d.pop("record_id")
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


class _SentenceView:
    """One sentence with its mentions split into sources, content actors and places."""

    def __init__(self, ex: Extractor, sent: Sentence, mentions: list[Mention], context: dict):
        self.ex = ex
        self.sent = sent
        self.text = sent.text
        self.doc = ex.doc
        self.tok_lo = ex.token_at(sent.start)
        self.tok_hi = ex.token_at(sent.end - 1) + 1
        self.context = context
        self.actor_mentions: list[Mention] = []
        self.place_mentions: list[Mention] = []
        self.dual_places: list[Mention] = []
        by_span: dict[tuple[int, int], list[Mention]] = {}
        for m in mentions:
            by_span.setdefault((m.start, m.end), []).append(m)
        for group in by_span.values():
            actors = [m for m in group if m.kind == "actor"]
            places = [m for m in group if m.kind == "place"]
            prev = self.doc[group[0].start - 1].lower_ if group[0].start > self.tok_lo else ""
            if places and (not actors or prev in PLACE_PREPOSITIONS):
                self.place_mentions.extend(places)
            else:
                self.actor_mentions.extend(actors)
                # "Russia hit Kyiv", "a trip to Kyiv": a capital named as an actor may still be
                # where it happened when it stands as an object, not as the one acting.
                if prev in OBJECT_WORDS:
                    self.dual_places.extend(places)
        self.source_tokens: set[int] = set()
        self.sources: list[dict] = []
        self._attribute()

    # -- token helpers -------------------------------------------------------------------
    def tok(self, rel_char: int) -> int:
        return self.ex.token_at(self.sent.start + rel_char)

    def clause_start(self, tok_index: int) -> int:
        i = tok_index - 1
        while i >= self.tok_lo:
            if self.doc[i].lower_ in CLAUSE_WORDS:
                return i + 1
            i -= 1
        return self.tok_lo

    def actors_in(self, lo: int, hi: int) -> list[Mention]:
        return [m for m in self.actor_mentions if m.start >= lo and m.end <= hi]

    def nearest_actor_before(self, tok_index: int) -> Mention | None:
        before = [m for m in self.actor_mentions if m.end <= tok_index]
        return before[-1] if before else None

    # -- attribution ---------------------------------------------------------------------
    def _attribute(self) -> None:
        if not self.ex.cues.attribution.any.search(self.text):
            return
        seen = set()
        for cue in self.ex.cues.attribution:
            for m in cue.pattern.finditer(self.text):
                v_lo, v_hi = self.tok(m.start()), self.tok(m.end() - 1) + 1
                lo, hi = self._source_window(v_lo, v_hi, cue.attrs.get("before", False))
                found = self.actors_in(lo, hi)
                if not found and not cue.attrs.get("before"):
                    found = self._pronoun_speaker(lo, hi)
                for a in found:
                    if a.start >= 0:
                        self.source_tokens.update(range(a.start, a.end))
                    key = (a.side, cue.attrs["stance"])
                    if key not in seen:
                        seen.add(key)
                        self.sources.append({"actor": a.side, "stance": cue.attrs["stance"], "_mention": a})

    def _source_window(self, v_lo: int, v_hi: int, before: bool) -> tuple[int, int]:
        doc = self.doc
        if before:  # "according to X": X follows, up to the next comma
            hi = v_hi
            while hi < self.tok_hi and hi - v_hi < 10 and doc[hi].text not in {",", ";", ".", "—"}:
                hi += 1
            return v_hi, hi
        # Post-posed ("…, X said." / "…, said X."): a comma or closing quote shortly before the
        # verb and little after it.
        tail = [t for t in doc[v_hi : self.tok_hi] if not t.is_punct]
        if len(tail) <= 6:
            i = v_lo - 1
            while i >= self.tok_lo and v_lo - i <= 10:
                if doc[i].text in {",", "”", '"', "’"}:
                    return i + 1, self.tok_hi
                i -= 1
        return self.clause_start(v_lo), v_lo

    def _pronoun_speaker(self, lo: int, hi: int) -> list[Mention]:
        """He/she: the last person named before; it/they: the last body or state named."""
        tokens = [t.lower_ for t in self.doc[lo:hi]]
        words = set(tokens)
        m = None
        pairs = list(zip(tokens, tokens[1:], strict=False))
        if words & PERSON_PRONOUNS or any(a == "the" and b in PERSON_NOUNS for a, b in pairs):
            m = self.context.get("last_person")
        elif words & BODY_PRONOUNS or any(a == "the" and b in BODY_NOUNS for a, b in pairs):
            m = self.context.get("last_body")
        if m is None:
            return []
        return [Mention(m.kind, m.name, m.side, -1, -1, -1, -1, m.text)]

    def in_quotes(self, rel_char: int) -> bool:
        before = self.text[:rel_char]
        return before.count("“") > before.count("”") or before.count('"') % 2 == 1

    # -- shared record fields ------------------------------------------------------------
    def content_actors(self) -> list[Mention]:
        return [m for m in self.actor_mentions if m.start not in self.source_tokens]

    def location(self, allow_context: bool = True):
        places = [self.ex.finder.places[m.name] for m in self.place_mentions]
        if allow_context:
            # A capital named as an actor ("Russia hit Kyiv") still says where, when nothing
            # more specific does; a country named as an actor does not.
            dual = [self.ex.finder.places[m.name] for m in self.dual_places if m.start not in self.source_tokens]
            places += [p for p in dual if p.kind != "country"]
        if places:
            return min(places, key=lambda p: PLACE_RANK.get(p.kind, 3))
        if allow_context and DEIXIS.search(self.text):
            return self.context.get("last_city")
        return None


class Extractor:
    def __init__(self, document: Document, vocab: Vocabulary | None = None):
        self.document = document
        self.vocab = vocab or load_vocabulary()
        self.cues = load_cues()
        self.finder = finder(self.vocab)
        self.doc = tokenize(document.text)
        self._tok_starts = self.doc.to_array([IDX]).tolist()
        self.themes = self.finder.themes

    def token_at(self, char: int) -> int:
        return max(0, bisect.bisect_right(self._tok_starts, char) - 1)

    def run(self) -> Extraction:
        d = self.document
        published, precision, basis = d.published, d.published_precision, d.published_basis
        if published is None:
            inferred = dates.infer_published(d.text)
            if inferred:
                published, precision = inferred
                basis = "inferred from text"
        sentences = split_doc(self.doc, d.text)
        mentions = self.finder.find(self.doc)
        starts = [m.start_char for m in mentions]
        context: dict = {"last_person": None, "last_body": None, "last_city": None}
        records: list[Record] = []
        text = d.text
        seen_items: set = set()
        for s in sentences:
            lo = bisect.bisect_left(starts, s.start)
            hi = bisect.bisect_left(starts, s.end)
            if s.start > 0 and "\n\n" in text[max(0, s.start - 3) : s.start]:
                context["last_city"] = None  # a new paragraph: "the city" refers afresh
            view = _SentenceView(self, s, mentions[lo:hi], context)
            if not self._is_headline(s):
                for r in self._records(view, published, precision):
                    if r.kind == "diplomacy":
                        # One item per visit or meeting: later sentences describe the same one.
                        key = (r.type, frozenset(m["actor"] for m in r.mentions if m["role"] != "source"))
                        if key in seen_items:
                            continue
                        seen_items.add(key)
                    records.append(r)
            for m in view.actor_mentions:
                actor = self.vocab.actor(m.name)
                if actor is not None:
                    context["last_person" if actor.kind == "person" else "last_body"] = m
            for m in view.place_mentions:
                p = self.finder.places[m.name]
                if p.kind in ("city", "town", "village"):
                    context["last_city"] = p
        return Extraction(d, sentences, records, published, precision, basis)

    def _is_headline(self, s: Sentence) -> bool:
        """A first line without final punctuation is the title, which restates the body."""
        text = self.document.text
        return s.start == len(text) - len(text.lstrip()) and not s.text.rstrip().endswith(
            (".", "!", "?", "”", '"', "…")
        ) and text[s.end : s.end + 1] in ("\n", "")

    # -- records -------------------------------------------------------------------------
    def _records(self, v: _SentenceView, published, precision) -> list[Record]:
        text = v.text
        out: list[Record] = []
        aid = self._aid(v)
        out.extend(aid)
        # A sentence that is all quotation is the speaker's rhetoric: only what they say
        # (a statement) or a figure they give is coded from it.
        quoted = text[:1] in "“\"‘"
        event = None if quoted else self._event(v)
        if event:
            out.append(event)
        diplomacy = None if quoted else self._diplomacy(v)
        if diplomacy:
            out.append(diplomacy)
        statement = self._statement(v, weak_allowed=not out)
        if statement:
            out.append(statement)
        if not out:
            return out
        when = dates.resolve(text, published, precision, "future" if PLANNED.search(text) else "past")
        if dates.is_history(text, when, published):
            return []  # history told as background, not a record of the war
        if when.basis == "text" and when.date is not None:
            if published is not None and when.date > published:
                # A future date: a plan for diplomacy; for anything else it is when something
                # may happen, not when it did, so the record keeps its publication date.
                out = [r for r in out if r.kind != "event"]
                if any(r.kind != "diplomacy" for r in out):
                    when = dates.DateInfo(published, precision or "day", "document", None, when.span_start,
                                          when.span_end)  # fmt: skip
                if not out:
                    return out
        themes = self.themes(text)
        unverified = bool(UNVERIFIED.search(text))
        positions: dict[str, int] = {}
        for r in out:
            r.sentence, r.start, r.end, r.quote = v.sent.index, v.sent.start, v.sent.end, text
            r.themes = themes
            r.date = when.date.isoformat() if when.date else None
            r.date_precision = when.precision
            r.date_basis = when.basis
            r.span_start = when.span_start.isoformat() if when.span_start else None
            r.span_end = when.span_end.isoformat() if when.span_end else None
            r.unverified = unverified
            if not r.sources:
                r.sources = [{"actor": s["actor"], "stance": s["stance"]} for s in v.sources]
            place = None if r.kind == "aid" else v.location(allow_context=r.kind != "statement")
            if place is not None and r.location is None:
                r.location, r.theatre = place.name, place.theatre
            pos = positions.get(r.kind, 0)
            positions[r.kind] = pos + 1
            r.record_id = record_id(self.document.content_hash, v.sent.index, r.kind, pos)
        return out

    def _first_unhedged(self, cues: CueSet, text: str):
        """The first cue in the text that is not hedged; generic (weak) cues only if alone."""
        if not cues.any.search(text):
            return None
        hits = []
        for cue in cues:
            for m in cue.pattern.finditer(text):
                if not self.cues.hedge.search(text[max(0, m.start() - 60) : m.start()]):
                    hits.append((bool(cue.attrs.get("weak")), m.start(), -(m.end() - m.start()), m, cue))
        return min(hits, key=lambda h: h[:3])[3:] if hits else None

    @staticmethod
    def _sides(mentions: list[Mention]) -> list[str]:
        out: list[str] = []
        for m in mentions:
            if m.side not in out:
                out.append(m.side)
        return out

    @staticmethod
    def _mention_rows(mentions: list[Mention], role: str) -> list[dict]:
        return [{"actor": m.name, "side": m.side, "role": role, "text": m.text} for m in mentions]

    def _ordered_actors(self, v: _SentenceView, trigger_tok: int) -> list[Mention]:
        """Content actors, the acting side (the nearest one before the cue) first."""
        content = v.content_actors()
        clause = v.clause_start(trigger_tok)
        subject = [m for m in content if clause <= m.start < trigger_tok]
        first = subject[-1:] if subject else []
        return first + [m for m in content if m not in first]

    def _event(self, v: _SentenceView) -> Record | None:
        hit = self._first_unhedged(self.cues.events, v.text)
        if hit is None:
            return None
        m, cue = hit
        trigger = v.tok(m.start())
        actors = self._ordered_actors(v, trigger)
        # "Ukraine's military has reported advances", "Wagner claims to be making progress":
        # with no other actor between the attributing verb and the cue, the source acted.
        own = [s["_mention"] for s in v.sources if s["_mention"].end <= trigger]
        if own and not any(own[-1].end <= a.start < trigger for a in actors):
            actors = own[-1:] + [a for a in actors if a.side != own[-1].side]
        subtype = cue.attrs.get("subtype")
        sides = self._sides(actors)
        return Record(
            kind="event",
            sentence=0, start=0, end=0, quote="",
            type=cue.attrs["type"],
            subtype=subtype,
            actors=sides,
            cue=m.group(0),
            mentions=self._mention_rows(actors, "actor") + self._source_rows(v),
        )  # fmt: skip

    def _source_rows(self, v: _SentenceView) -> list[dict]:
        return [
            {"actor": s["_mention"].name, "side": s["actor"], "role": "source", "text": s["_mention"].text}
            for s in v.sources
        ]

    def _aid(self, v: _SentenceView) -> list[Record]:
        text = v.text
        amounts = find_amounts(text)
        if not amounts:
            return self._materiel(v)
        if not self.cues.aid_context.search(text):
            return []
        out = []
        donor_m, recipient, recipient_side = self._parties(v)
        for i, a in enumerate(amounts):
            # Words about this figure: up to the neighbouring figures, at most 60 characters off.
            lo = max(amounts[i - 1].end if i else 0, a.start - 60)
            hi = min(amounts[i + 1].start if i + 1 < len(amounts) else len(text), a.end + 60)
            window = text[lo:hi]
            if self.cues.aid_exclude.search(window):
                continue
            rtype = next((k for k, rx in self.cues.aid_record_type if rx.search(window)), None)
            if rtype is None:
                rtype = next((k for k, rx in self.cues.aid_record_type if rx.search(text)), "announcement")
                if rtype == "cumulative" and len(amounts) > 1:
                    rtype = "announcement"  # the total is said of another figure in the sentence
            aid_type = next((k for k, rx in self.cues.aid_type if rx.search(window)), None)
            aid_type = aid_type or next((k for k, rx in self.cues.aid_type if rx.search(text)), "unspecified")
            currency = a.currency
            if a.text.lstrip("~ ").startswith("$") and donor_m is not None:
                currency = self.cues.dollar_donors.get(donor_m.side, currency)
            out.append(
                Record(
                    kind="aid",
                    sentence=0, start=0, end=0, quote="",
                    type=rtype,
                    actors=self._sides([m for m in (donor_m, recipient) if m is not None]),
                    donor=donor_m.side if donor_m else None,
                    recipient=recipient_side,
                    amount=a.value,
                    currency=currency,
                    aid_type=aid_type,
                    approximate=a.approximate or bool(self.cues.approximate.search(text[: a.start])),
                    cue=a.text,
                    mentions=(self._mention_rows([donor_m], "donor") if donor_m else [])
                    + (self._mention_rows([recipient], "recipient") if recipient else [])
                    + self._source_rows(v),
                )  # fmt: skip
            )
        return out

    def _materiel(self, v: _SentenceView) -> list[Record]:
        """Aid counted in items ("providing 120 Bushmaster vehicles"), one record a sentence."""
        text = v.text
        m = self.cues.materiel.search(text)
        if m is None or not self.cues.materiel_verbs.search(text):
            return []
        n = m.group("n").lower().replace(",", "")
        count = int(n) if n.isdigit() else NUMBER_WORDS.get(n)
        donor_m, recipient, recipient_side = self._parties(v)
        if donor_m is None:
            return []  # "six missiles were fired" is no aid: a donor must be named
        rtype = next((k for k, rx in self.cues.aid_record_type if rx.search(text)), "announcement")
        return [
            Record(
                kind="aid",
                sentence=0, start=0, end=0, quote="",
                type=rtype,
                actors=self._sides([donor_m] + ([recipient] if recipient else [])),
                donor=donor_m.side,
                recipient=recipient_side,
                amount=count,
                currency=None,
                materiel=m.group("item").lower(),
                aid_type="military" if m.group("item").lower() not in ("generators", "ambulances") else "humanitarian",
                approximate=count is None or bool(self.cues.approximate.search(text[: m.start()])),
                cue=m.group(0),
                mentions=self._mention_rows([donor_m], "donor") + self._source_rows(v),
            )  # fmt: skip
        ]

    def _parties(self, v: _SentenceView) -> tuple[Mention | None, Mention | None, str | None]:
        """Donor and recipient mentions of an aid sentence, and the recipient's side: aid in war
        news goes to Ukraine unless the sentence names someone else."""
        recipient = self._recipient(v)
        donor = self._donor(v, recipient)
        side = recipient.side if recipient else None
        if side is None and (donor is None or donor.side != DEFAULT_RECIPIENT):
            side = DEFAULT_RECIPIENT
        return donor, recipient, side

    def _recipient(self, v: _SentenceView) -> Mention | None:
        doc = v.doc
        for m in v.actor_mentions + v.place_mentions:
            if m.start > v.tok_lo and doc[m.start - 1].lower_ in ("to", "for"):
                if m.kind == "actor" or self.vocab.actor(m.name) is not None:
                    return m if m.kind == "actor" else _as_actor(m, self.vocab)
        for m in v.actor_mentions + v.place_mentions:
            if m.name == "Ukraine":
                return m if m.kind == "actor" else _as_actor(m, self.vocab)
        return None

    def _donor(self, v: _SentenceView, recipient: Mention | None) -> Mention | None:
        skip = recipient.side if recipient else None
        for s in v.sources:
            if s["actor"] != skip:
                return s["_mention"]
        for m in v.actor_mentions:
            if m.side != skip:
                return m
        return None

    def _diplomacy(self, v: _SentenceView) -> Record | None:
        text = v.text
        if not self.cues.diplomacy.any.search(text):
            return None
        for cue in self.cues.diplomacy:
            m = cue.pattern.search(text)
            if m is None:
                continue
            actors = v.content_actors() or [s["_mention"] for s in v.sources]
            if not actors:
                return None
            status = "planned" if PLANNED.search(text) else "ongoing" if ONGOING.search(text) else "held"
            return Record(
                kind="diplomacy",
                sentence=0, start=0, end=0, quote="",
                type=cue.attrs["type"],
                actors=self._sides(actors),
                status=status,
                cue=m.group(0),
                mentions=self._mention_rows(actors, "participant") + self._source_rows(v),
            )  # fmt: skip
        return None

    def _statement(self, v: _SentenceView, weak_allowed: bool) -> Record | None:
        if not self.cues.statements.any.search(v.text):
            return None
        cues = tuple(c for c in self.cues.statements if weak_allowed or not c.attrs.get("weak"))
        hits = []
        for cue in cues:
            for m in cue.pattern.finditer(v.text):
                hits.append((m.start(), m, cue))
        for _, m, cue in sorted(hits, key=lambda h: h[0]):
            if self.cues.negation.search(v.text[max(0, m.start() - 40) : m.start()]):
                continue
            t = v.tok(m.start())
            window = v.actors_in(v.clause_start(t), t)
            speaker = window[-1] if window else None
            if speaker is None and v.sources and v.in_quotes(m.start()):
                speaker = v.sources[0]["_mention"]  # “I appeal to …,” he said.
            if speaker is None:
                speaker = v.nearest_actor_before(t)
            if speaker is None:
                # "He has since accused …": the pronoun may stand before a clause word.
                pron = v._pronoun_speaker(v.clause_start(t), t) or v._pronoun_speaker(v.tok_lo, t)
                speaker = pron[0] if pron else None
            if speaker is None:
                continue
            stance = cue.attrs["stance"]
            others = [a for a in v.actor_mentions if a.side != speaker.side and a.start > t]
            return Record(
                kind="statement",
                sentence=0, start=0, end=0, quote="",
                type=stance,
                actors=self._sides([speaker] + others),
                speaker=speaker.side,
                stance=stance,
                sources=[{"actor": speaker.side, "stance": SOURCE_STANCE.get(stance, "reports")}],
                cue=m.group(0),
                mentions=self._mention_rows([speaker], "speaker") + self._mention_rows(others, "target"),
            )  # fmt: skip
        return None


def _as_actor(place_mention: Mention, vocab: Vocabulary) -> Mention:
    actor = vocab.actor(place_mention.name)
    return Mention("actor", actor.name, actor.represents, place_mention.start, place_mention.end,
                   place_mention.start_char, place_mention.end_char, place_mention.text)  # fmt: skip


def extract(document: Document, vocab: Vocabulary | None = None) -> Extraction:
    return Extractor(document, vocab).run()
