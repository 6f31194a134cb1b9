"""One sentence as the rules see it: its mentions, who it is attributed to, and its parse."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from spacy.tokens import Token

from analytics.extract.factuality import anchor_verb
from analytics.extract.mentions import PLACE_PREPOSITIONS, Mention
from analytics.extract.parse import Parsed, subtree_chars
from analytics.extract.speakers import BODY_NOUNS, BODY_PRONOUNS, PERSON_NOUNS, PERSON_PRONOUNS
from analytics.sentences import Sentence

ANAPHORIC = re.compile(r"(?:\b(?:the|this|these|that|those|such|some)|\w[’']s)\s+(?:\w+\s+){0,3}$", re.I)

if TYPE_CHECKING:
    from analytics.extract import Extractor

# A dateline: "CAPRI, Italy (AP) —", "MOSCOW, 23 April (BelTA) -", "Dubai, United Arab Emirates (CNN)-",
# "KYIV, Ukraine —": a place, an agency in brackets or a capitalised city with a comma, then a dash.
DATELINE = re.compile(
    r"^\s*(?:[A-Z][\w.'’ -]{1,30}(?:,[^—–()\n]{1,40})?\s*\([A-Z][\w./]*(?: [A-Z][\w./]*){0,2}\)"
    r"|[A-Z][A-Z.'’ -]{2,30},[^—–()\n]{1,40}?)\s*[—–-]+\s*"
)
# A name made into a modifier: "Moscow-annexed", "Kremlin-backed", "Kyiv-based".
MODIFIER_AFTER = re.compile(
    r"[-‑–](?:annexed|backed|controlled|occupied|held|installed|led|allied|appointed|friendly|based|leaning|aligned)\b"
)
CLOSING_QUOTES = {"”", '"'}
CLAUSE_WORDS = {
    ";", ":", "—", "–", "while", "but", "whereas", "although", "though", "as", "after", "when",
    "because", "who", "which", "that", "since", "despite", "however",
}  # fmt: skip
# Words before a capital that make it the place something happened to, not an actor.
OBJECT_WORDS = {
    "to", "at", "on", "from", "of", "capital", "hit", "hits", "struck", "strikes", "attacked", "attacking",
    "shelled", "shelling", "targeted", "targeting", "bombed", "bombing", "pounded", "visited", "visiting",
    "entered", "reached", "liberated", "captured", "encircled", "besieged",
}  # fmt: skip
PLACE_RANK = {"suburb": 0, "village": 1, "town": 1, "city": 1, "district": 2, "oblast": 3, "front": 4,
              "region": 4, "sea": 4, "country": 5}  # fmt: skip
DEIXIS = re.compile(r"\b(?:the (?:city|town|village|settlement|area)|there)\b", re.I)


class SentenceView:
    """One sentence with its mentions split into sources, content actors and places."""

    def __init__(self, ex: Extractor, sent: Sentence, mentions: list[Mention], context: dict,
                 parsed: Parsed | None = None):  # fmt: skip
        self.ex = ex
        self.sent = sent
        self.text = sent.text
        self.doc = ex.doc
        self.parsed = parsed
        self.quoted = False  # set by the extractor: the sentence stands inside quotation marks
        self.tok_lo = ex.token_at(sent.start)
        self.tok_hi = ex.token_at(sent.end - 1) + 1
        self.context = context
        self.mentions = mentions
        self.actor_mentions: list[Mention] = []
        self.place_mentions: list[Mention] = []
        self.dual_places: list[Mention] = []
        by_span: dict[tuple[int, int], list[Mention]] = {}
        dateline = DATELINE.match(self.text)
        self.dateline_end = dateline.end() if dateline else 0  # sentence-relative characters
        for m in mentions:
            if dateline and m.kind == "actor" and m.end_char <= sent.start + dateline.end():
                continue  # "MOSCOW, 23 April (BelTA) -": where the story was filed, nobody who acts
            by_span.setdefault((m.start, m.end), []).append(m)
        for group in by_span.values():
            actors = [m for m in group if m.kind == "actor"]
            places = [m for m in group if m.kind == "place"]
            prev = self.doc[group[0].start - 1].lower_ if group[0].start > self.tok_lo else ""
            if places and MODIFIER_AFTER.match(self.ex.document.text, group[0].end_char):
                places = []  # "Moscow-annexed Crimea", "a Kyiv-based analyst": who, not where
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

    def in_chars(self, mentions: list[Mention], lo: int, hi: int) -> list[Mention]:
        """Mentions inside sentence-relative character offsets [lo, hi)."""
        base = self.sent.start
        return [m for m in mentions if m.start_char >= base + lo and m.end_char <= base + hi]

    def actors_on(self, tok: Token) -> list[Mention]:
        """Actor mentions within the token itself ("China", not the phrase it heads)."""
        return self.in_chars(self.actor_mentions, tok.idx, tok.idx + len(tok))

    def past_dateline(self, subj: Token, verb: Token) -> Token:
        """The subject of a verb when the parser took the dateline for it ("MOSCOW, 23 April (BelTA) -
        Belarus urged …" parses MOSCOW as the subject): the first actor named after the dateline and
        before the verb, else the token given."""
        if subj.idx >= self.dateline_end:
            return subj
        for m in self.actor_mentions:
            at = m.start_char - self.sent.start
            if self.dateline_end <= at < verb.idx and self.parsed is not None:
                return self.parsed.token_at(at)
        return subj

    def actors_under(self, tok: Token) -> list[Mention]:
        """Actor mentions within the phrase a token heads ("Russian officials", "the UK's envoy")."""
        return self.in_chars(self.actor_mentions, *subtree_chars(tok))

    def determiner_before(self, at: int) -> re.Match | None:
        """A definite or vague determiner ("the", "this", "some", "Russia's") just before a
        sentence offset, a few words back at most: what re-tells an item already named."""
        return ANAPHORIC.search(self.text[:at])

    def in_brackets(self, at: int) -> bool:
        """A sentence offset inside "( … )": an aside, often the headline of another story."""
        before = self.text[:at]
        return before.rfind("(") > before.rfind(")") and self.text.find(")", at) > 0

    def clause_chars(self, tok: Token) -> tuple[int, int]:
        """The character range of the clause a trigger stands in (its verb's subtree)."""
        return subtree_chars(anchor_verb(tok))

    def without_noun_clauses(self, lo: int, hi: int, cue: str | None) -> str:
        """The text of a clause with the clauses that describe its other nouns blanked out ("ahead
        of exercises scheduled to take place Feb. 10-20": the exercises' time, not the clause's);
        a clause on the cue or holding it ("an offensive to retake Kherson in August", "the
        treaty, signed in 1919") tells the record's own time and stays."""
        chars = list(self.text[lo:hi])
        at = self.text.find(cue, lo, hi) if cue else -1
        for t in self.parsed.doc:
            if t.dep_ in ("acl", "relcl") and t.head.pos_ in ("NOUN", "PROPN") and lo <= t.idx < hi:
                a, b = subtree_chars(t)
                if at >= 0 and (a <= at < b or at <= t.head.idx < at + len(cue)):
                    continue
                chars[max(a, lo) - lo : min(b, hi) - lo] = " " * (min(b, hi) - max(a, lo))
        return "".join(chars)

    def clause_text(self, tok: Token) -> str:
        lo, hi = self.clause_chars(tok)
        return self.text[lo:hi]

    # -- attribution ---------------------------------------------------------------------
    def _attribute(self) -> None:
        cues = self.ex.cues.attribution
        if not cues.any.search(self.text):
            return
        seen = set()
        for cue in cues:
            for m in cue.pattern.finditer(self.text):
                v_lo, v_hi = self.tok(m.start()), self.tok(m.end() - 1) + 1
                lo, hi = self._source_window(v_lo, v_hi, cue.attrs.get("before", False))
                found = self.actors_in(lo, hi)
                if not found and not cue.attrs.get("before"):
                    found = self.pronoun_speaker(lo, hi)
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
            return v_hi, self._phrase_end(v_hi, 10)
        # Post-posed ("…, X said." / "…, said X."): a comma or closing quote shortly before the
        # verb and little after it.
        tail = [t for t in doc[v_hi : self.tok_hi] if not t.is_punct]
        i = v_lo - 1
        while i >= self.tok_lo and v_lo - i <= 10:
            if len(tail) <= 6 and doc[i].text in {",", "’", *CLOSING_QUOTES}:
                return i + 1, self.tok_hi
            if doc[i].text in CLOSING_QUOTES:
                if i + 1 < v_lo:  # '"…," McGrath told CNN, adding …': between the quote and the verb
                    return i + 1, v_lo
                return v_hi, self._phrase_end(v_hi, 12)  # '"…," wrote the British prime minister, who …'
            i -= 1
        return self.clause_start(v_lo), v_lo

    def _phrase_end(self, start: int, most: int) -> int:
        """Where the phrase from token `start` ends: the next comma, semicolon, full stop or dash,
        `most` tokens on at the most, or the sentence's end."""
        hi = start
        while hi < self.tok_hi and hi - start < most and self.doc[hi].text not in {",", ";", ".", "—"}:
            hi += 1
        return hi

    def pronoun_speaker(self, lo: int, hi: int) -> list[Mention]:
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

    def source_rows(self) -> list[dict]:
        return [
            {"actor": s["_mention"].name, "side": s["actor"], "role": "source", "text": s["_mention"].text}
            for s in self.sources
        ]

    # -- shared record fields ------------------------------------------------------------
    def content_actors(self) -> list[Mention]:
        return [m for m in self.actor_mentions if m.start not in self.source_tokens]

    def ordered_actors(self, trigger_tok: int) -> list[Mention]:
        """Content actors, the acting side (the nearest one before the cue) first."""
        content = self.content_actors()
        clause = self.clause_start(trigger_tok)
        subject = [m for m in content if clause <= m.start < trigger_tok]
        first = subject[-1:] if subject else []
        return first + [m for m in content if m not in first]

    def places_under(self, tok: Token) -> list:
        """The places named within the phrase a token heads, as an actor or as a place ("to Russia",
        "in Kyiv"), most specific first."""
        named = [self.ex.finder.places[m.name] for m in self.in_chars(self.mentions, *subtree_chars(tok))
                 if m.kind == "place" and m.name in self.ex.finder.places]  # fmt: skip
        return sorted(named, key=lambda p: PLACE_RANK.get(p.kind, 3))

    def location(self, allow_context: bool = True):
        places = [self.ex.finder.places[m.name] for m in self.place_mentions]
        if allow_context:
            # A capital named as an actor ("Russia hit Kyiv") still says where, when nothing
            # more specific does; a country named as an actor does not.
            dual = [
                self.ex.finder.places[m.name] for m in self.dual_places if m.start not in self.source_tokens
            ]
            places += [p for p in dual if p.kind != "country"]
        if places:
            return min(places, key=lambda p: PLACE_RANK.get(p.kind, 3))
        if allow_context and DEIXIS.search(self.text):
            return self.context.get("last_city")
        return None
