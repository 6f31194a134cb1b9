"""Diplomatic items: summits, talks, visits, sanctions, agreements and their extensions.

A cue of `cues.yaml` names the type; the parse decides whether the item took place (held),
is under way (ongoing) or is planned. Negated, hypothetical and habitual items ("have not
signed", "talks look impossible", "has travelled to many countries") yield nothing, and a
visit needs a party that travels ("weapons had arrived" is no visit).
"""

from __future__ import annotations

import re

from analytics.extract import factuality as fy
from analytics.extract import speakers
from analytics.extract.parse import objects_of, subtree_chars
from analytics.extract.records import Record, mention_rows, sides
from analytics.extract.view import SentenceView

ONGOING = re.compile(r"\b(?:are|is) (?:convening|meeting|holding|visiting|negotiating|attending)\b", re.I)
# A plural or vague object makes a present-perfect visit a career, not an item.
# Words that name an agreement as a noun; as a verb ("to deal with") they are other words.
ITEM_NOUNS = {"deal", "accord", "pact", "treaty", "memorandum", "agreement"}

# Types named by a noun that also serves as a mere reference ("the deal", "sanctions").
NOMINAL_TYPES = {"agreement", "sanctions", "peace initiative", "extension"}
VAGUE = {"many", "several", "numerous", "various", "multiple", "countless", "dozens"}


# "three rounds of talks": the container counts the items; "a three-day visit" is one visit.
COUNTED_IN = {"round", "rounds"}
MEETINGS = {
    "meeting",
    "talk",
    "talks",
    "round",
    "visit",
    "summit",
    "session",
    "negotiation",
    "conference",
    "trip",
}
MANY_NOUNS = {"dozens", "hundreds", "scores"}  # "dozens of meetings": the noun is the count
DURATIONS = {"minute", "hour", "day", "week", "month", "year"}


def _many(tok) -> bool:
    """A count of more than one: "three", "a dozen", "several", "dozens" (a year or "second" is no count)."""
    low = tok.lower_
    if low in VAGUE or low in MANY_NOUNS or low == "dozen":
        return True
    after = tok.doc[tok.i + 1].lower_ if tok.i + 1 < len(tok.doc) else ""
    if {low.strip("-").rstrip("s"), after.strip("-").rstrip("s")} & DURATIONS:
        return False  # "a three-day visit" is one visit
    return tok.tag_ == "CD" and low not in ("one", "1") and not (low.isdigit() and len(low) == 4)


def _a_tally(head) -> bool:
    """ "has convened almost a dozen meetings", "hosted three rounds of talks", "had dozens of
    meetings": items counted are a record of many past ones, no item of the news."""
    if head.pos_ in fy.VERBAL:
        # "convened a dozen meetings" ("blacklisted 22 individuals" counts targets, not items)
        return any(_a_tally(c) for c in head.children if c.dep_ == "dobj" and c.lemma_.lower() in MEETINGS)
    nouns = [head]
    if head.dep_ == "pobj" and head.head.lower_ == "of":
        nouns.append(head.head.head)  # "rounds of talks", "dozens of meetings"
    return any(
        (n is not head and n.lower_ in MANY_NOUNS)
        or ((n is head or n.lemma_.lower() in COUNTED_IN)
            and any(c.dep_ in ("nummod", "amod", "det", "quantmod") and _many(c) for c in n.children))
        for n in nouns
    )  # fmt: skip


def _parties(v: SentenceView, head) -> list:
    """Actors named as the item's subject or its counterpart ("with X", "between X and Y")."""
    verb = fy.anchor_verb(head)
    if verb is not head and head.dep_ not in ("dobj", "nsubj", "nsubjpass", "attr"):
        return []  # "during his visit, Xi praised Putin": the noun frames another act
    subj = speakers.subject_of(verb) if verb.pos_ in fy.VERBAL else None
    phrases = ([subj] if subj is not None else []) + objects_of(head, "with", "between")
    if verb is not head:
        phrases += objects_of(verb, "with", "between")
    return [m for p in phrases for m in v.actors_under(p)]


def _destination(v: SentenceView, head):
    """Where a visit went: the place its verb or noun takes ("visited Russia", "arrived in Uganda",
    "a trip to Beijing", "came to the capital of Serbia"), the most specific one named."""
    objs = objects_of(head, "to", "in")
    if head.pos_ in fy.VERBAL:
        objs += [c for c in head.children if c.dep_ == "dobj"]
    for obj in objs:
        places = v.places_under(obj)
        if places:
            return places[0]
    return None


def _extends_an_item(head, lex) -> bool:
    """ "extended the sanctions", "the deal was renewed", "an extension of the mandate", "the
    sanctions extension": what is extended is a diplomatic item, not an invitation or an offensive."""
    verb = fy.anchor_verb(head)
    near = [*head.children, *(verb.children if head.pos_ not in fy.VERBAL else ())]
    near += [g for c in head.children if c.dep_ == "prep" for g in c.children]
    if head.pos_ not in fy.VERBAL:
        near.append(head.head)  # "the sanctions extension" -> compound head, or the noun it modifies
    return any(
        t.lemma_.lower() in lex.extendable_items or t.lower_ in lex.extendable_items
        for t in near
        if t.dep_ in ("dobj", "nsubjpass", "nsubj", "pobj", "compound", "attr") or t is head.head
    )


def _at_home(v: SentenceView, head, visitors) -> bool:
    """ "Zelensky visited the front lines in Odesa": a leader touring their own country makes no
    diplomatic visit. True when every place visited lies in the visitors' own country."""
    lo, hi = subtree_chars(head)
    holder = _holder(head)
    subj_lo, subj_hi = subtree_chars(holder) if holder is not None else (lo, lo)
    places = [
        p
        for p in v.in_chars(v.place_mentions, lo, hi)
        if not subj_lo <= p.start_char - v.sent.start < subj_hi
    ]
    countries = {getattr(v.ex.vocab.place(p.name), "country", None) for p in places}
    sides = {m.side for m in visitors}
    return bool(places) and None not in countries and bool(sides) and countries <= sides


def _to_a_place(v: SentenceView, head) -> bool:
    """ "came to the capital of Serbia": the object of "to" names a place."""
    for obj in objects_of(head, "to"):
        named = v.in_chars(v.place_mentions + v.dual_places + v.actor_mentions, *subtree_chars(obj))
        if any(m in v.place_mentions or m in v.dual_places or _a_state(v, m) for m in named):
            return True
    return False


def _a_person_at_a_place(v: SentenceView, head) -> bool:
    """ "Italian Prime Minister Giorgia Meloni was in Kyiv": a named person, or an office-holder,
    present at a named place (whether abroad is _at_home's question)."""
    if not any(
        v.in_chars(v.place_mentions + v.dual_places, *subtree_chars(o)) for o in objects_of(head, "in")
    ):
        return False
    subj = speakers.subject_of(head)
    if subj is None:
        return False
    people = [m for m in v.actors_under(subj)
              if getattr(v.ex.vocab.actor(m.name), "kind", None) == "person"]  # fmt: skip
    titled = any(
        c.dep_ in ("compound", "appos") and c.lemma_.lower() in speakers.PERSON_NOUNS for c in subj.children
    )
    return bool(people) or titled or subj.lemma_.lower() in speakers.PERSON_NOUNS  # "Prime Minister Sánchez"


def _two_sides(verb) -> bool:
    """ "Russia and Ukraine agreed to …", "the two sides agreed …", "agreed with Kyiv to …"."""
    subj = speakers.subject_of(verb)
    if any(c.dep_ == "prep" and c.lower_ == "with" for c in verb.children):
        return True
    return subj is not None and (
        any(c.dep_ == "conj" for c in subj.children)
        or any(c.lower_ in ("two", "both", "all") for c in subj.children)
        or subj.lower_ in ("they", "sides", "parties", "leaders", "countries", "ministers", "both")
    )


def _a_state(v: SentenceView, m) -> bool:
    actor = v.ex.vocab.actor(m.name)
    return actor is not None and actor.kind == "state"


# Verbs of talking that make talks only with a party on the other side ("spoke to reporters" does not).
MEETING_VERBS = {"meet", "discuss", "talk", "speak", "gather"}  # with someone, or several parties together


def _talks_with_someone(v: SentenceView, head, lex) -> bool:
    """Talks have a party on the other side. "Met survivors" or "met the press" is no meeting; a bare
    "the negotiations" is a reference unless an item verb holds them ("held negotiations")."""
    preps = ("with", "between", "to") if head.lemma_.lower() in ("talk", "speak") else ("with", "between")
    # The party may hang one phrase further down: "talked by phone with Scholz".
    near = [
        *head.children,
        *(g for c in head.children if c.dep_ == "prep" for p in c.children for g in p.children),
    ]
    with_obj = [g for c in near if c.dep_ == "prep" and c.lower_ in preps for g in c.children]
    if with_obj and _own_side(v, head, with_obj):
        return False  # "a meeting with Generals Zaluzhnyi and Syrskyi": a leader with their own staff
    if head.pos_ in fy.VERBAL:
        if head.lemma_.lower() not in MEETING_VERBS:
            return True
        others = [c for c in head.children if c.dep_ == "dobj"] + with_obj
        if not others:  # "Biden and Scholz met", "the Security Council met": the parties are the subject
            subj = speakers.subject_of(head)
            if subj is None or subj.dep_ != "nsubj":
                return False
            body = v.actors_on(subj)
            if len({m.side for m in v.actors_under(subj)}) >= 2:
                return True  # "Nato and European Union officials are meeting"
            return any(c.dep_ == "conj" for c in subj.children) or any(
                getattr(v.ex.vocab.actor(n), "kind", None) == "international organisation"
                for m in body
                for n in (m.name, m.side)  # the UN Security Council speaks for the UN
            )
        return any(v.actors_under(o) or _officials(o) for o in others)
    if with_obj or any(c.dep_ == "poss" for c in head.children):
        return True
    verb = fy.anchor_verb(head)
    return head.dep_ in ("nsubj", "nsubjpass") or bool(fy.forms(verb) & lex.item_verbs)


# Who a leader meets when no country is named: office-holders ("met with the heads of the security
# agencies", "met his counterparts"), not "survivors", "the press" or "representatives of our television".
OFFICIALS = {"counterpart", "minister", "leader", "head", "delegation", "envoy", "president", "premier",
             "chancellor", "ambassador", "foreign minister", "prime minister"}  # fmt: skip


def _officials(noun) -> bool:
    return noun.lemma_.lower() in OFFICIALS or any(c.dep_ == "conj" and _officials(c) for c in noun.children)


def _holder(head):
    """Who holds a meeting or makes a visit: the verb's subject, a noun's possessor ("Putin's
    visit"), or the subject of the verb the noun hangs on ("Putin paid a visit")."""
    if head.pos_ in fy.VERBAL:
        return speakers.subject_of(head)
    poss = next((c for c in head.children if c.dep_ == "poss"), None)
    if poss is not None:
        return poss
    by = [
        g
        for c in head.children
        if c.dep_ == "prep" and c.lower_ in ("of", "by")
        for g in c.children
        if g.dep_ == "pobj"
    ]
    if by:
        return by[0]  # "the visit of the First Lady to the United States"
    cur = head
    for _ in range(4):  # "following a meeting with X, Zelensky ordered": up through the phrase
        if cur.head.i == cur.i or cur.dep_ in ("relcl", "ccomp", "conj"):
            return None
        cur = cur.head
        if cur.pos_ in fy.VERBAL and (subj := speakers.subject_of(cur)) is not None:
            return None if head in subj.subtree else subj  # a subject holding the item names no holder
    return None


def _own_side(v: SentenceView, head, others) -> bool:
    """Every named party met belongs to the holder's own side."""
    holder = _holder(head)
    if holder is None:
        return False
    lo, hi = subtree_chars(head)  # "Erdogan, who met Zelensky": the holder's clause holds the meeting
    own = {m.side for m in v.actors_under(holder)
           if not lo <= m.start_char - v.sent.start < hi}  # fmt: skip
    met = {m.side for o in others for m in v.actors_under(o)}
    return bool(own) and bool(met) and met <= own


def _first_to(head):
    """ "the first royal to visit Ukraine": the visitor is the noun the infinitive hangs on (and
    the subject of its "is"/"has become"); (subject, noun) or None."""
    noun = fy.ordinal_noun(head, objects=("attr", "oprd"))  # "has become the first member … to visit"
    if noun is None:
        return None
    verb = noun.head if noun.dep_ in ("attr", "oprd") else noun
    subj = speakers.subject_of(verb) if verb.pos_ in fy.VERBAL else None
    return (subj, noun) if subj is not None else None


def _a_state_of_being_sanctioned(head) -> bool:
    """A perfect or gerund passive tells a party's standing condition, not an act of sanctioning
    ("has been sanctioned since 2022"); "was sanctioned on Friday" stays an act."""
    if head.tag_ != "VBN" or not any(c.dep_ == "auxpass" for c in head.children):
        return False
    perfect = any(c.dep_ == "aux" and c.lemma_ == "have" for c in head.children)
    return perfect or any(c.dep_ == "auxpass" and c.tag_ == "VBG" for c in head.children)


def _who_sanctions(v: SentenceView, first, lex) -> bool:
    """A gerund that describes a party ("countries imposing sanctions") or hangs on a preposition
    ("after imposing sanctions"); "legislation barring imports" is the item itself."""
    if first.tag_ != "VBG":
        return False
    if first.dep_ == "pcomp":
        return True
    return first.dep_ == "acl" and bool(
        v.actors_on(first.head) or first.head.lemma_.lower() in lex.addressees
    )


def find(v: SentenceView) -> Record | None:
    cues = v.ex.cues.diplomacy
    if not cues.any.search(v.text):
        return None
    lex = v.ex.lexicon
    for cue in cues:
        for m in cue.pattern.finditer(v.text):
            tokens = v.parsed.span_tokens(m.start(), m.end())
            if not tokens:
                continue
            head = fy.span_head(tokens)
            if v.in_brackets(m.start()):
                continue  # an aside in brackets
            if head.pos_ == "PROPN":
                continue  # a name ("the Visit Ukraine site", "Operation Summit") names no item
            kind = cue.attrs["type"]
            if head.dep_ == "amod":
                continue  # "a negotiated settlement", "sanctioned oligarchs": a quality of a thing
            if any(c.dep_ == "prt" and c.lower_ == "up" for c in head.children):
                continue  # "signing up for the tours"
            if kind == "agreement" and head.pos_ in fy.VERBAL and head.lemma_.lower() in ITEM_NOUNS:
                continue  # "promised to deal with companies": the noun's word used as a verb names no deal
            if cue.attrs.get("presence") and not _a_person_at_a_place(v, head):
                continue  # "Russian troops were in the suburbs", "the talks are in their third day"
            if cue.attrs.get("place_object") and not _to_a_place(v, head):
                continue  # "came to power", "went to great lengths"
            if kind == "agreement" and head.lemma_.lower() == "agree" and any(c.dep_ == "xcomp" for c in head.children) \
                    and not _two_sides(head):  # fmt: skip
                continue  # "the EU agreed to accept sanctions": one party's decision; what it decided is the item
            if kind == "sanctions" and _a_state_of_being_sanctioned(head):
                continue  # "Russia has been heavily sanctioned by the West", "despite being sanctioned"
            if kind == "sanctions" and _who_sanctions(v, tokens[0], lex):
                continue  # "countries imposing sanctions on Russia", "after imposing sanctions": who they are
            if kind == "talks" and not _talks_with_someone(v, head, lex):
                continue
            if _a_tally(head):
                continue
            fact = fy.classify(head, lex)
            if fact.value not in (fy.ASSERTED, fy.ALLEGED, fy.PLANNED):
                continue
            if speakers.said_by_analysts(fact.governor):
                continue  # "lawyers argue that Nato signed …": analysis, not a report
            signed = [c for c in head.children if c.dep_ in ("dobj", "pobj", "prep", "nsubjpass")]
            if head.dep_ == "relcl":
                signed.append(head.head)  # "the $95bn package Biden signed on Wednesday"
            if cue.attrs["type"] == "agreement" and any(
                c.lemma_.lower() in lex.domestic_acts
                or any(g.lemma_.lower() in lex.domestic_acts for g in c.children)
                for c in signed
            ):
                continue  # "signed into law", "signed the bill", "the letter was signed by": a party's own act
            relcl = next((t for t in [head, *head.ancestors] if t.dep_ == "relcl"), None)
            if relcl is not None and not any(c.lower_ == "who" for c in relcl.children):
                continue  # "the convention, which Russia signed": it describes a thing ("Erdogan, who met …" tells an act)
            if (
                head.pos_ not in fy.VERBAL
                and head.dep_ == "pobj"
                and head.head.lower_ in ("before", "ahead", "until")
            ):
                continue  # "just before the summit": a time reference to an item, not a report of it
            if cue.attrs["type"] == "extension" and not _extends_an_item(head, lex):
                continue
            verb = fy.anchor_verb(head)
            if (
                head.pos_ not in fy.VERBAL
                and cue.attrs["type"] in NOMINAL_TYPES
                and (verb.pos_ not in fy.VERBAL or not fy.forms(verb) & lex.item_verbs)
            ):
                continue  # "under the grain deal", "the future of the agreement": a reference
            if any(t.lower_ in VAGUE for t in verb.subtree) and any(
                c.dep_ == "aux" and c.lemma_ == "have" for c in verb.children
            ):
                continue
            actors = v.content_actors() or [s["_mention"] for s in v.sources]
            # The parties the item's own phrase names ("Macron held a call with Putin, …, with the
            # Elysée saying Putin told him …") take part even when a later clause cites them.
            if actors:
                actors += [m for m in _parties(v, head) if m not in actors]
            if not actors:
                continue
            if cue.attrs["type"] == "visit" and head.pos_ in fy.VERBAL:
                subj = speakers.subject_of(head)
                visitors = v.actors_under(subj) if subj is not None else []
                first = _first_to(head) if not visitors else None  # "the first royal to visit Kyiv"
                subj = first[0] if first else subj
                if first:
                    noun = first[1]
                    visitors = [m for m in v.actors_under(noun)
                                if m.start_char - v.sent.start < head.idx]  # fmt: skip
                if subj is None or not (
                    visitors or subj.lower_ in speakers.PERSON_PRONOUNS | speakers.BODY_PRONOUNS
                ):
                    continue
                if _at_home(v, head, visitors):
                    continue
                by_pronoun = not visitors
            else:
                by_pronoun = False
                holder = _holder(head) if cue.attrs["type"] == "visit" else None
                if holder is not None and _at_home(v, head, v.actors_under(holder)):
                    continue  # "Putin paid a visit to a cemetery in St Petersburg"
            if fact.value == fy.PLANNED:
                status = "planned"
            else:
                status = "ongoing" if ONGOING.search(v.text) else "held"
            confidence = 0.6 + 0.2 * (len(sides(actors)) >= 2) + 0.1 * (status != "planned")
            where = _destination(v, head) if cue.attrs["type"] == "visit" else None
            return Record(
                location=where.name if where else None,
                theatre=where.theatre if where else None,
                kind="diplomacy",
                type=cue.attrs["type"],
                actors=sides(actors),
                status=status,
                factuality=fy.PLANNED if status == "planned" else fact.value,
                confidence=round(confidence, 2),
                cue=m.group(0),
                subordinate=fy.subordinate(head),
                anaphoric=by_pronoun
                or (head.pos_ not in fy.VERBAL and v.determiner_before(m.start()) is not None),
                clause=v.clause_chars(head),
                mentions=mention_rows(actors, "participant") + v.source_rows(),
            )
    return None
