"""Rule-based extraction of events, aid figures, diplomatic items and statements.

Each sentence is read once. Cheap patterns pick the sentences that can yield a record; those
are parsed (spaCy's small English pipeline) in one batch. Actor and place mentions come from
the vocabularies; per kind, a module decides what the sentence holds (events, aid,
diplomacy, statements), factuality decides whether it happened, and the date comes from the
record's own clause before the publication date. The rules are about how news is written,
never about one article.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import re

from spacy.attrs import IDX

from analytics import dates
from analytics.corpus import Document, filename_time
from analytics.extract import aid, diplomacy, events, statements
from analytics.extract import factuality as fy
from analytics.extract.cues import load_cues
from analytics.extract.lexicon import load_lexicon
from analytics.extract.mentions import finder
from analytics.extract.money import AMOUNT_HINT
from analytics.extract.parse import irregular_forms, parse_many
from analytics.extract.records import KINDS, Extraction, Record, record_id
from analytics.extract.view import SentenceView
from analytics.sentences import Sentence, split_doc, tokenize
from analytics.vocab import Vocabulary, load_vocabulary

__all__ = ["KINDS", "Extraction", "Extractor", "Record", "extract", "record_id"]

UNVERIFIED = re.compile(
    r"\b(?:without (?:providing|offering|giving) (?:any )?evidence|could not (?:be )?(?:independently )?verif\w*|"
    r"unverified|unconfirmed|not (?:be )?independently verified)\b",
    re.I,
)
# Records the rules are less sure of than this are not kept: measured on tests/gold and
# tests/gold-heldout, fewer than half of them were right.
# Fighting and strikes need more evidence, their words being the most often figurative or
# generic: on the 79 development articles, keeping them from 0.65 up (not 0.6) dropped 7 wrong
# records for 3 right ones (precision 0.78 -> 0.80, recall 0.69 -> 0.68). Arrests and other
# developments keep the common floor.
MIN_CONFIDENCE = {"Battles": 0.65, "Explosions/Remote violence": 0.65, "*": 0.6}
QUESTION = re.compile(r"\?[\"”’']?\s*$")
FINITE = {"VBD", "VBZ", "VBP", "MD"}  # Penn tags of a finite verb
# Background older than this, told as history, is no record of the news.
BACKGROUND_DAYS = 35
# Determiners that make a noun a re-mention of an item already told ("the withdrawal").
DETERMINER = re.compile(r"(?:the|this|these|that|those|such|some)\s+", re.I)


class Extractor:
    def __init__(self, document: Document, vocab: Vocabulary | None = None):
        self.document = document
        self.vocab = vocab or load_vocabulary()
        self.cues = load_cues()
        self.lexicon = load_lexicon()
        self.finder = finder(self.vocab)
        self.doc = tokenize(document.text)
        self._tok_starts = self.doc.to_array([IDX]).tolist()
        self.themes = self.finder.themes
        self._candidate = _candidate_for(self.cues, self.lexicon)

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
        self.news_day = _news_day(d.name, published) if precision == "day" else None
        sentences = split_doc(self.doc, d.text)
        wanted = [s for s in sentences if not self._skip(s) and self._candidate.search(s.text)]
        parsed = dict(zip((s.index for s in wanted), parse_many([s.text for s in wanted]), strict=True))
        mentions = self.finder.find(self.doc)
        starts = [m.start_char for m in mentions]
        context: dict = {"last_person": None, "last_body": None, "last_city": None}
        records: list[Record] = []
        text = d.text
        for s in sentences:
            lo = bisect.bisect_left(starts, s.start)
            hi = bisect.bisect_left(starts, s.end)
            if s.start > 0 and "\n\n" in text[max(0, s.start - 3) : s.start]:
                context["last_city"] = None  # a new paragraph: "the city" refers afresh
            view = SentenceView(self, s, mentions[lo:hi], context, parsed.get(s.index))
            view.quoted = s.text[:1] in '“"‘' or _inside_quote(text, s.start)
            if view.parsed is not None:
                records.extend(self._records(view, published, precision, records))
            for m in view.actor_mentions:
                actor = self.vocab.actor(m.name)
                if actor is not None:
                    context["last_person" if actor.kind == "person" else "last_body"] = m
            subject = self._subject_person(view)
            if subject is not None:
                context["last_person"] = subject  # "Truss met Lavrov. She warned …": she is the subject
            for m in view.place_mentions:
                p = self.finder.places[m.name]
                if p.kind in ("city", "town", "village"):
                    context["last_city"] = p
        return Extraction(d, sentences, records, published, precision, basis)

    def _skip(self, s: Sentence) -> bool:
        """Title, page furniture and all-caps promo lines restate or advertise; they are no record."""
        text = s.text.strip()
        if self.lexicon.furniture_pattern.match(text):
            return True
        letters = [c for c in text if c.isalpha()]
        if len(letters) > 20 and sum(c.isupper() for c in letters) > 0.7 * len(letters):
            return True
        words = [w for w in text.split() if w[:1].isalpha()]
        if (
            len(words) >= 6
            and sum(w[0].isupper() for w in words) > 0.7 * len(words)
            and not text.endswith(".")
        ):
            return True  # a Title Case line: a headline or a list of other stories (a sentence full of names ends in ".")
        doc_text = self.document.text
        own_line = doc_text[max(0, s.start - 1) : s.start] in ("", "\n") and doc_text[s.end : s.end + 1] in (
            "",
            "\n",
        )
        if own_line and len(words) < 15 and not text.endswith((".", "!", "?", "”", '"', "…", ":")):
            return True  # a subhead ("– Russia fights for Donbas, Ukraine for Kherson –")
        return (
            s.start == len(doc_text) - len(doc_text.lstrip())
            and not text.endswith((".", "!", "?", "”", '"', "…"))
            and doc_text[s.end : s.end + 1] in ("\n", "")
        )

    # -- records -------------------------------------------------------------------------
    def _records(self, v: SentenceView, published, precision, earlier: list[Record]) -> list[Record]:
        text = v.text
        if QUESTION.search(text) or not _a_clause(v.parsed.doc):
            return []  # a question asks, and a line with no clause is a headline or caption
        out: list[Record] = [r for r in aid.find(v) if not _restated(r, earlier)]
        # A sentence in quotation marks is the speaker's rhetoric or a witness's account: only
        # what they say (a statement) or a figure they give is coded from it.
        if not v.quoted:
            event = events.find(v, repeats=lambda r, view: self._re_mention(r, view, earlier))
            if event:
                out.append(event)
            item = diplomacy.find(v)
            if item and not self._same_item(item, v, earlier):
                out.append(item)
        kinds = {r.kind for r in out}
        if {"event", "diplomacy"} <= kinds:
            # One item per sentence is the norm: a second told deeper in framing clauses is context.
            least = min(r.subordinate for r in out if r.kind in ("event", "diplomacy"))
            out = [r for r in out if r.kind not in ("event", "diplomacy") or r.subordinate == least]
        statement = statements.find(v, weak_allowed=not out)
        if statement and statement.stance == "urges" and any(r.type == "request" for r in out):
            statement = None  # "requested $8.5bn": the request is the aid record already
        if statement and _said_again(statement, v.text, earlier):
            statement = None  # the same speaker's same act told again (a lead and its body, a quote after it)
        if statement:
            # "During a call with Zelensky, Biden warned …", "pressed Xi at a summit in Paris": the
            # call or summit frames the statement, and both are items an analyst keeps.
            out.append(statement)
        if not out:
            return out
        if self.lexicon.habitual_pattern.search(text):
            out = [r for r in out if r.kind != "event"]  # "killing 1,000 troops every day": a rate
            if not out:
                return out
        sentence_when = {
            prefer: dates.resolve(text, published, precision, prefer) for prefer in ("past", "future")
        }
        dated: list[tuple[Record, dates.DateInfo]] = []
        for r in out:
            when = self._date(r, v, published, precision, sentence_when)
            if when is not None and when.basis == "document" and when.date == published and self.news_day:
                when = dataclasses.replace(when, date=self.news_day)  # an overnight story tells yesterday
            if when is not None:
                dated.append((r, when))
        themes = self.themes(text)
        unverified = bool(UNVERIFIED.search(text))
        positions: dict[str, int] = {}
        out = []
        for r, when in dated:
            out.append(r)
            r.sentence, r.start, r.end, r.quote = v.sent.index, v.sent.start, v.sent.end, text
            r.themes = themes
            r.date = when.date.isoformat() if when.date else None
            r.date_precision = when.precision
            r.date_basis = when.basis
            r.span_start = when.span_start.isoformat() if when.span_start else None
            r.span_end = when.span_end.isoformat() if when.span_end else None
            r.unverified = unverified or r.factuality == fy.ALLEGED
            if not r.sources:
                r.sources = [{"actor": s["actor"], "stance": s["stance"]} for s in v.sources]
            place = None if r.kind == "aid" else v.location(allow_context=r.kind != "statement")
            if place is not None and r.location is None:
                r.location, r.theatre = place.name, place.theatre
            war_source = any(src["_mention"].side in self.lexicon.war_sides for src in v.sources)
            if r.kind == "event" and r.theatre in (None, "International") and not set(r.actors) & self.lexicon.war_sides \
                    and not self._war_country_named(v) and not war_source:  # fmt: skip
                r.kind = ""  # fighting elsewhere (Sudan, Gaza, Cuba in 1962) is not an event of this war
                continue
            if r.kind != "aid" and self._another_war(v):
                # "NATO condemned the Iranian attack on Israel": news of another conflict (a package
                # for Israel and Taiwan passed with Ukraine's is the aid module's to tell)
                r.kind = ""
                continue
            pos = positions.get(r.kind, 0)
            positions[r.kind] = pos + 1
            r.record_id = record_id(self.document.content_hash, v.sent.index, r.kind, pos)
        kept = [
            r for r in out if r.kind and r.confidence >= MIN_CONFIDENCE.get(r.type or "", MIN_CONFIDENCE["*"])
        ]
        for r in kept:
            if r.unverified:  # how sure the rules are that it happened, not only that it was said
                r.confidence = round(r.confidence * 0.8, 2)
        return kept

    def _subject_person(self, v: SentenceView):
        """The person named as the subject of the sentence's main verb, if any: the likeliest
        antecedent of a "he" or "she" opening the next sentence."""
        if v.parsed is None:
            return None
        root = next((t for t in v.parsed.doc if t.dep_ == "ROOT"), None)
        subj = next((c for c in root.children if c.dep_ == "nsubj"), None) if root is not None else None
        if subj is None:
            return None
        named = v.actors_under(subj)
        return next((m for m in named if getattr(self.vocab.actor(m.name), "kind", None) == "person"), None)

    def _another_war(self, v: SentenceView) -> bool:
        """The sentence names a party to another conflict (`other_wars`) and no party, place or
        source of this one."""
        sides = {m.side for m in v.actor_mentions} | {src["_mention"].side for src in v.sources}
        sides |= {getattr(self.vocab.place(p.name), "country", None) for p in v.place_mentions}
        return bool(sides & self.lexicon.other_wars) and not (
            sides & self.lexicon.war_sides or self._war_country_named(v)
        )

    def _war_country_named(self, v: SentenceView) -> bool:
        """The sentence names a place in a country at war ("volunteers who went to fight in Ukraine")."""
        return any(
            getattr(self.vocab.place(p.name), "country", None) in self.lexicon.war_sides
            for p in v.place_mentions
        )

    @staticmethod
    def _date(r: Record, v: SentenceView, published, precision, sentence_when: dict) -> dates.DateInfo | None:
        """The record's date from its own clause, else from its sentence, else the publication
        date; None when the date says it is no record (background, or a future for something
        that should have happened)."""
        prefer = "future" if r.factuality == fy.PLANNED else "past"
        when = sentence_when[prefer]
        cumulative = r.kind == "aid" and r.type == "cumulative"
        if r.clause is not None:
            told = v.text[r.clause[0] : r.clause[1]]
            own = dates.resolve(told, published, precision, prefer)
            if own.basis == "text":
                when = own
            if (
                r.kind == "event"
                and when.expression
                and when.expression in told
                and _dated_out(r, v.text, when, published, cumulative)
            ):
                # "has begun mobilising ahead of exercises scheduled for Feb. 10-20": a date told in
                # a clause on one of its nouns is that noun's (the exercises'), not the record's
                proper = v.without_noun_clauses(*r.clause, r.cue)
                if when.expression not in proper:
                    own = dates.resolve(proper, published, precision, prefer)
                    when = (
                        own
                        if own.basis == "text"
                        else dates.DateInfo(published, precision or "day", "document", None, None, None)
                    )
        if (dates.is_history(v.text, when, published) or _background(when, published)) and not cumulative:
            return None
        future = (
            when.basis == "text" and when.date is not None and published is not None and when.date > published
        )
        if r.factuality == fy.PLANNED and r.kind == "diplomacy":
            return when if future else None  # a plan is an item only when it is scheduled
        if future:
            if r.kind not in ("aid", "statement") and r.factuality != fy.PLANNED:
                return None  # an event dated ahead has not happened
            return dates.DateInfo(published, precision or "day", "document", None, None, None)
        return when

    def _re_mention(self, event: Record, v: SentenceView, earlier: list[Record]) -> bool:
        """A noun with a definite or vague determiner ("the withdrawal", "some withdrawals")
        that repeats an event already coded in the article, with nothing new: same type,
        compatible actors and place."""
        cue = event.cue or ""
        cue_at = v.text.find(cue)
        if cue_at >= 0 and DETERMINER.match(cue):  # the cue itself may open with "the"
            cue_at += DETERMINER.match(cue).end()
        det = v.determiner_before(cue_at) if cue_at >= 0 else None
        if det is None or v.in_chars(v.actor_mentions, det.start(), cue_at):
            return False  # no determiner, or it opens a subject that names its actor
        place = v.location()
        for r in earlier:
            if r.kind != "event" or r.type != event.type:
                continue
            if place is not None and r.location not in (None, place.name):
                continue
            return True  # the actors may differ: "Guterres was shocked by the strikes"
        return False

    def _people(self, names: set[str]) -> set[str]:
        return {n for n in names if getattr(self.vocab.actor(n), "kind", None) == "person"}

    def _same_item(self, item: Record, v: SentenceView, earlier: list[Record]) -> bool:
        """One visit, meeting or package is told over several sentences: later ones with the
        same type and a shared participant, or told by a pronoun ("he also visited") or a
        determiner ("accompanied him on the visit"), describe the item already coded."""
        if item.type not in ("visit", "talks", "summit"):
            return False  # sanctions and agreements come in many packages; meetings are told at length
        same_type = [r for r in earlier if r.kind == "diplomacy" and r.type == item.type]
        if not same_type:
            # "during the meeting with Liz Truss" after her visit was told: one trip, told by
            # a determiner, whatever type its first telling had.
            meetings = [
                r for r in earlier if r.kind == "diplomacy" and r.type in ("visit", "talks", "summit")
            ]
            return item.anaphoric and any(set(item.actors) & set(r.actors) for r in meetings)
        parties = {m["actor"] for m in item.mentions if m["role"] != "source"}
        for r in same_type:
            earlier_parties = {m["actor"] for m in r.mentions if m["role"] != "source"}
            shared = parties & earlier_parties
            # A visit is one trip whoever the visitor meets, and so are a leader's meetings on it;
            # talks with another named person are another meeting ("Putin met Xi … Macron met Putin").
            if shared and (
                item.type == "visit"
                or not (self._people(parties - shared) and self._people(earlier_parties - shared))
            ):
                return True
        if item.type == "visit":
            # "The Irish premier also visited Moschun": the same country's visit is one trip, told
            # stop by stop (the warring countries, visited by everyone, say nothing here).
            own = set(item.actors) - self.lexicon.war_sides
            if any(own & (set(r.actors) - self.lexicon.war_sides) for r in same_type):
                return True
        return item.anaphoric


def _a_clause(doc) -> bool:
    """A finite verb, or a root verb with a subject (the tagger reads "a car bomb detonated in
    Donetsk" as a participle now and then)."""
    return any(t.tag_ in FINITE or (t.dep_ == "ROOT" and t.pos_ in fy.VERBAL
                                    and any(c.dep_ in ("nsubj", "nsubjpass") for c in t.children)) for t in doc)  # fmt: skip


_CONTENT_WORD = re.compile(r"[a-z][a-z'-]{3,}")
_STOP = frozenset("that this with from have been they their there which would could will said says about "
                  "also what when were than them into over more after before against".split())  # fmt: skip


def _words(text: str) -> set[str]:
    return {w for w in _CONTENT_WORD.findall(text.lower()) if w not in _STOP}


def _said_again(statement: Record, text: str, earlier: list[Record]) -> bool:
    """An earlier statement of the same speaker and stance that shares much of this one's wording."""
    mine = _words(text)
    for r in earlier:
        if r.kind != "statement" or r.speaker != statement.speaker or r.stance != statement.stance:
            continue
        theirs = _words(r.quote)
        if mine and theirs and len(mine & theirs) / min(len(mine), len(theirs)) >= RESTATED_OVERLAP:
            return True
    return False


RESTATED_OVERLAP = 0.5  # half the shorter one's content words


# A story stamped before this hour (UTC) is the night's or the morning's report of the day before:
# on tests/gold, 18 of the 21 undated items of such stories were the previous day's.
NEWS_DAY_STARTS_UTC = 8


def _news_day(name: str, published: dt.date | None) -> dt.date | None:
    """The day an undated item of the story happened, when it is not the publication date: the
    day before, for a story stamped in the early UTC hours. None when the name carries no time."""
    stamped = filename_time(name)
    if stamped is None or published is None or stamped.date() != published:
        return None
    return published - dt.timedelta(days=1) if stamped.hour < NEWS_DAY_STARTS_UTC else None


def _dated_out(r: Record, text: str, when: dates.DateInfo, published, cumulative: bool) -> bool:
    """The date would make the record none: background, or ahead for an event that should have happened."""
    if (dates.is_history(text, when, published) or _background(when, published)) and not cumulative:
        return True
    ahead = when.basis == "text" and when.date is not None and published is not None and when.date > published
    return ahead and r.kind not in ("aid", "statement") and r.factuality != fy.PLANNED


def _background(when: dates.DateInfo, published: dt.date | None) -> bool:
    """The record's own date ends more than about a month before publication ("in 2020",
    "last April"); a date of year or month precision counts to the end of its period."""
    if when.basis != "text" or when.date is None or published is None:
        return False
    end = when.date
    if "ago" in (when.expression or "").lower().split():
        # "two months ago" counts back from publication: its date is the estimate, not a period's start
        return (published - end).days > BACKGROUND_DAYS
    if when.precision == "year":
        end = end.replace(month=12, day=31)
    elif when.precision == "month":
        end = dates.add_months(end.replace(day=1), 1) - dt.timedelta(days=1)
    elif when.precision == "week":
        end = end + dt.timedelta(days=6)
    return (published - end).days > BACKGROUND_DAYS


def _restated(figure: Record, earlier: list[Record]) -> bool:
    """An aid figure already given earlier in the article (the same amount and currency, or the
    same count of the same item) restates that figure; it is not a second commitment."""
    return any(
        r.kind == "aid"
        and r.amount == figure.amount
        and r.currency == figure.currency
        and r.materiel == figure.materiel
        and figure.amount is not None
        for r in earlier
    )


def _inside_quote(text: str, start: int) -> bool:
    """Whether a sentence starts inside a quotation opened earlier in its paragraph."""
    para = text.rfind("\n", 0, start) + 1
    before = text[para:start]
    return before.count("“") > before.count("”") or before.count('"') % 2 == 1


# A saying verb and a quote that opens with a capitalised word: an order may follow ("Stop …").
QUOTED_ORDER = r"\b(?:said|says|tweeted|wrote|posted|told \w+)[,:]\s*(?:external:\s*)?[\"“‘][A-Z]"


MODALS = r"(?:must|should|would|will|could|may|might|needs?|needed)"


def _forms(lemma: str) -> set[str]:
    """Regex stems that find a lemma's forms: its regular stem and its irregular forms ("swore")."""
    stem = lemma[:-1] if lemma.endswith(("e", "y")) and len(lemma) > 3 else lemma
    return {re.escape(stem), *(re.escape(form) for form in irregular_forms().get(lemma, ()))}


_CANDIDATES: dict[tuple[int, int], tuple[object, object, re.Pattern]] = {}


def _candidate_for(cues, lexicon) -> re.Pattern:
    """The candidate pattern of these (cached) word lists, built once rather than per document."""
    key = (id(cues), id(lexicon))
    if key not in _CANDIDATES:  # the lists are kept beside it, so their ids stay theirs
        _CANDIDATES[key] = (cues, lexicon, _candidate_pattern(cues, lexicon))
    return _CANDIDATES[key][2]


def _candidate_pattern(cues, lexicon) -> re.Pattern:
    """Sentences worth parsing: any cue of any kind, a money figure, or a speech-act word."""
    stems = set()
    for lemma in (
        list(lexicon.speech_verbs)
        + [k[0] for k in lexicon.speech_phrasal]
        + list(lexicon.speech_nouns)
        + list(lexicon.naming_verbs)
        + list(lexicon.expecting_verbs)
        + list(lexicon.calling_verbs)
    ):
        stems |= _forms(lemma)
    # A plain saying verb yields a statement only with a demand or warning in what is said, and
    # those need a modal ("said Russia must", "said any attack would"): only then is it worth a parse.
    saying = "|".join(sorted(set().union(*(_forms(w.split("_")[0]) for w in lexicon.saying_verbs))))
    said_with_modal = rf"\b(?:{saying})\w*\b.*\b{MODALS}\b|\b{MODALS}\b.*\b(?:{saying})\w*"
    # … or a denial of harm by the speaker's side ("said its military did not carry out the attack").
    harm = "|".join(sorted(lexicon.hostile_events | lexicon.hostile_acts))
    said_denial = rf"\b(?:{saying})\w*\b(?=.*(?:\bnot\b|n't|\bnever\b))(?=.*\b(?:{harm})\w*)"
    # … or a wrong charged to another party ("said Moscow had deported thousands").
    wrongs = "|".join(sorted(set().union(*(_forms(w) for w in lexicon.wrongdoing_verbs))))
    said_blame = rf"\b(?:{saying})\w*\b.*\b(?:{wrongs})\w*"
    parts = [cues.events.any.pattern, cues.diplomacy.any.pattern,
             cues.materiel.pattern, AMOUNT_HINT, r"\b(?:" + "|".join(sorted(stems)) + r")\w*",
             *(rx.pattern for _, rx in lexicon.said_content_patterns), QUOTED_ORDER, said_with_modal, said_denial,
             said_blame]  # fmt: skip
    return re.compile("|".join(f"(?:{p})" for p in parts), re.I)


def extract(document: Document, vocab: Vocabulary | None = None) -> Extraction:
    return Extractor(document, vocab).run()
