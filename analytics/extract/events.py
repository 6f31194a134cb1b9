"""Events on the ground or in the air: a conflict predicate whose arguments make it one.

Cue patterns (`cues.yaml` events) name the candidate and its ACLED type; the parse decides
whether it is an event of the war: the predicate is asserted (see factuality), it is not the
content of someone's accusation or claim (the statement is the record then), it is not used
figuratively ("fighting corruption", "happiness fell"), and its clause holds an armed actor,
a place, a weapon or a military target.
"""

from __future__ import annotations

from analytics.extract import factuality as fy
from analytics.extract import speakers
from analytics.extract.parse import objects_of, subtree_chars
from analytics.extract.records import Record, mention_rows, sides
from analytics.extract.view import SentenceView


def _hits(v: SentenceView):
    cues = v.ex.cues
    if not cues.events.any.search(v.text):
        return []
    hits = []
    for cue in cues.events:
        for m in cue.pattern.finditer(v.text):
            hits.append((bool(cue.attrs.get("weak")), m.start(), -(m.end() - m.start()), m, cue))
    return [h[3:] for h in sorted(hits, key=lambda h: h[:3])]


def _figurative(head, lex) -> bool:
    # What the trigger itself acts on ("fighting corruption", "a battle against inflation") …
    for c in head.children:
        if c.dep_ in ("dobj", "pobj") and c.lemma_.lower() in lex.figurative_objects:
            return True
        if c.dep_ == "prep":
            if any(g.dep_ == "pobj" and g.lemma_.lower() in lex.figurative_objects for g in c.children):
                return True
    # … or who does it ("happiness fell", "prices surged").
    verb = fy.anchor_verb(head)
    return any(
        c.dep_ in ("nsubj", "nsubjpass") and c.lemma_.lower() in lex.figurative_subjects
        for t in (head, verb)
        for c in t.children
    )


def _manner(head, lex) -> bool:
    """ "closed their offices in protest": the noun tells why another thing was done."""
    return (head.lower_ in lex.manner_nouns and head.dep_ == "pobj" and head.head.lower_ == "in"
            and not any(c.dep_ == "det" for c in head.children))  # fmt: skip


def _place_subject(v: SentenceView, head) -> bool:
    """ "The city of Kreminna has fallen": the subject names a place."""
    subj = next((c for c in head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    return subj is not None and bool(v.in_chars(v.place_mentions, *subtree_chars(subj)))


# "the village of X": the text says X is a place, even one too small for the gazetteer.
PLACE_KINDS = {
    "town",
    "towns",
    "city",
    "cities",
    "village",
    "villages",
    "settlement",
    "settlements",
    "hamlet",
}


def _names_a_place(v: SentenceView, m) -> bool:
    return bool(v.in_chars(v.place_mentions + v.dual_places, m.start(), m.end())) or bool(
        PLACE_KINDS & set(m.group(0).lower().split())
    )


def _supplied(head, lex) -> bool:
    """Weapons handed over, not used: "furnished Russia with attack drones and artillery shells"."""
    return head.pos_ not in fy.VERBAL and bool(fy.forms(fy.anchor_verb(head)) & lex.supply_verbs)


def _describes_a_thing(head) -> bool:
    """An event told in a relative clause ("the bridge where Russian forces bombed civilians")
    describes the place or thing the sentence is about; it is background, not the news."""
    return any(t.dep_ == "relcl" for t in [head, *head.ancestors])


def _arguments(v: SentenceView, head) -> tuple[list, list, bool]:
    """Actors and places in the trigger's clause, and whether a weapon or target is named."""
    lex = v.ex.lexicon
    lo, hi = v.clause_chars(head)
    actors = v.in_chars(v.actor_mentions, lo, hi)
    places = v.in_chars(v.place_mentions + v.dual_places, lo, hi)
    words = {t.lemma_.lower() for t in v.parsed.doc if lo <= t.idx < hi}
    return actors, places, bool(words & (lex.weapons | lex.military_targets))


def _named_in_passing(v: SentenceView, head) -> bool:
    """An event noun that hangs on another noun is a thing the sentence talks about, not news it
    reports: "the anniversary of Russia's assault", "victory in the battle for Kyiv", "optimism
    around a counteroffensive", or listed beside non-events ("a speech marked by … clashes").
    Outcome nouns ("the death toll from the shelling") and other event nouns ("shelling and
    strikes") still report it."""
    lex = v.ex.lexicon
    if head.dep_ == "pobj":
        owner = head.head.head
    elif head.dep_ == "conj":
        owner = head.head
    else:
        return False
    if owner.pos_ not in ("NOUN", "PROPN") or owner.lower_ in lex.outcome_nouns:
        return False
    return not v.ex.cues.events.any.search(owner.text)


def _time_reference(head) -> bool:
    """ "Prior to the assault, Moscow assembled 150,000 troops": a known event named to date another."""
    prep = head.head if head.dep_ == "pobj" else None
    if prep is None or not any(c.dep_ in ("det", "poss") for c in head.children):
        return False
    if prep.lower_ in ("before", "since"):
        return True
    return prep.lower_ == "to" and prep.head.lower_ in (
        "prior",
        "ahead",
        "up",
    )  # "prior to", "ahead of", "up to"


def _a_backdrop(head) -> bool:
    """The event's clause is a while-clause hung on another: it sets the scene for the news."""
    verb = fy.anchor_verb(head)  # the head itself when it is a verb
    for t in [verb, *verb.ancestors]:
        if t.dep_ == "advcl" and any(
            c.dep_ == "mark" and c.lower_ in ("while", "whilst") for c in t.children
        ):
            return True
        if t.dep_ in ("ccomp", "relcl"):
            return False
    return False


def _judged(head) -> bool:
    """An event noun that is the subject of a judgement ("the build-up is the largest since the Cold
    War", "the counterattack had been very effective", "the concentration of troops is a threat"):
    the sentence weighs a known event; it does not report one."""
    if head.dep_ != "nsubj" or head.head.lemma_ != "be":
        return False
    said = [c for c in head.head.children if c.dep_ in ("acomp", "attr", "advmod")]
    if any(c.lemma_.lower() in UNDER_WAY for c in said):
        return False  # "street fights are underway", "fighting was fierce": it is going on
    return any(c.dep_ in ("acomp", "attr") for c in said)


def _going_on(head, lex) -> bool:
    """The event noun is the subject of what says it is happening: "fighting continues", "clashes
    erupted", "fighting has been particularly heavy"."""
    if head.dep_ != "nsubj":
        return False
    verb = head.head
    if verb.lemma_.lower() in lex.occurring_verbs:
        return True
    return verb.lemma_ == "be" and any(
        c.dep_ in ("acomp", "attr", "advmod") and c.lemma_.lower() in UNDER_WAY for c in verb.children
    )


# What a copula says of an event that tells it is happening, not a judgement of it.
UNDER_WAY = {
    "underway",
    "ongoing",
    "continuing",
    "intense",
    "heavy",
    "fierce",
    "raging",
    "unabated",
    "constant",
}


ASSAULTS = {"attack", "assault"}  # the weak cue: a war's name when what is attacked is a country


def _a_country_attacked(v: SentenceView, head) -> bool:
    """ "Russia's attack on Ukraine", "Russia attacked Ukraine in 2022", "Iran's attack on Israel":
    a whole country attacked is the war (or another war) named as background; an attack on a
    city, a district or a unit is an event ("attacks of Russian forces on Kiev")."""
    if head.lemma_.lower() not in ASSAULTS:
        return False
    if head.pos_ in fy.VERBAL:
        targets = [c for c in head.children if c.dep_ == "dobj"]
    else:
        targets = objects_of(head, "on", "against")
    if not targets:
        return False
    finder = v.ex.finder
    for target in targets:
        places = v.in_chars(v.place_mentions + v.dual_places, target.idx, target.idx + len(target))
        if places and all(finder.places[m.name].kind == "country" for m in places):
            continue
        if not places and target.pos_ == "PROPN" and v.actors_on(target):
            continue  # a state named as an actor only ("attack on Israel")
        return False
    return True


def _soldiers_do_it(v: SentenceView, head) -> bool:
    verb = fy.anchor_verb(head)
    subj = speakers.subject_of(verb) if verb.pos_ in fy.VERBAL else None
    return subj is not None and subj.lemma_.lower() in v.ex.lexicon.military_targets


def _harm_from_afar(v: SentenceView, head) -> bool:
    """ "Russian attacks killed at least six", "four injuries from 51 attacks on Tuesday": attacks
    counted by the people they killed or hurt, with no ground fighting named (lexicon's
    casualty_words says why this is shelling in this war's reports)."""
    if head.pos_ in fy.VERBAL or head.lemma_.lower() not in ASSAULTS or head.tag_ != "NNS":
        return False
    return any(t.lemma_.lower() in v.ex.lexicon.casualty_words for t in v.parsed.doc)


# Generic words of fighting: what they were fought with says whether it was from afar.
GENERIC_FIGHTING = ASSAULTS | {"battle", "fight"}


def _fought_from_afar(head, lex) -> str | None:
    """ "brought the battle to Russian soil through drone and missile attacks", "missile attacks on the
    port": a generic attack or battle made with weapons that strike from afar is remote violence. The
    weapon must be in the word's own phrase or in a with/through/by phrase of the verb a noun hangs
    on. Returns the subtype (an air or drone strike, else shelling or a missile attack), or None."""
    if head.lemma_.lower() not in GENERIC_FIGHTING:
        return None
    phrase = list(head.subtree)  # a verb's own phrases are in its subtree
    verb = fy.anchor_verb(head)
    if verb is not head:
        phrase += [t for c in verb.children if c.dep_ == "prep" and c.lower_ in ("with", "through", "by")
                   for t in c.subtree]  # fmt: skip
    words = {t.lemma_.lower() for t in phrase} | {t.lower_ for t in phrase}
    if not words & lex.remote_weapons:
        return None
    if words & lex.air_weapons:
        return "Air/drone strike"
    return "Shelling/artillery/missile attack"


def find(v: SentenceView, repeats=lambda record, view: False) -> Record | None:
    """The sentence's event: of the cues that pass every test and are no re-mention, the surest
    (the first among equals)."""
    lex = v.ex.lexicon
    best: Record | None = None
    if lex.statistics_pattern.search(v.text):
        return None  # survey findings and report aggregates count a population, not an event
    for m, cue in _hits(v):
        tokens = v.parsed.span_tokens(m.start(), m.end())
        if not tokens:
            continue
        head = fy.span_head(tokens)
        fact = fy.classify(head, lex)
        if fact.value not in (fy.ASSERTED, fy.ALLEGED):
            continue
        gov = fact.governor
        stance = fy.speech_stance(gov, lex) if gov is not None else None
        if stance and stance not in lex.weak_stances:
            continue  # the content of an accusation, denial or warning: the statement is the record
        if speakers.said_by_analysts(gov):
            continue  # "analysts say Russia could strike": analysis, not a report
        if head.pos_ not in fy.VERBAL and _time_reference(head):
            continue  # "prior to the assault", "before the invasion": when something else happened
        if (
            head.pos_ in fy.VERBAL
            and head.dep_ == "advcl"
            and any(c.dep_ == "mark" and c.lower_ in ("since", "before", "until") for c in head.children)
        ):
            continue  # "since Russia captured Crimea": the time of what the sentence tells
        if _a_backdrop(head):
            continue  # "While Russia was achieving gains in the east, Johnson stressed …": the scene of the news
        if head.pos_ in fy.VERBAL and gov is None and head.dep_ != "ccomp" and fy.past_perfect(head):
            continue  # "territory had been captured": background ("said it had shot down": reported, so kept)
        if head.pos_ in fy.VERBAL and fy.speech_stance(head, lex) not in (None, *lex.weak_stances):
            continue  # "has blasted the war", "slammed the attack": words, not a blast
        if v.in_brackets(m.start()):
            continue  # "(Moscow confirms attack on Kyiv, 29 April)": an aside, often a link to another story
        if any(
            c.dep_ in ("amod", "compound") and c.lemma_.lower() in lex.non_violent_modifiers
            for t in tokens
            for c in [t, *t.children]
        ):
            continue  # "cyber attacks", "verbal attacks", "price war"
        if head.pos_ in ("ADJ", "PROPN") or head.dep_ in ("compound", "amod"):
            continue  # "offensive military aid", "battle tanks", "the occupied territories": a quality or a kind of thing
        if _figurative(head, lex) or _describes_a_thing(head) or _supplied(head, lex) or _manner(head, lex):
            continue
        if all(t.pos_ not in fy.VERBAL for t in tokens) and _named_in_passing(v, head):
            continue
        if head.pos_ not in fy.VERBAL and _judged(head):
            continue
        if cue.attrs.get("weak") and _a_country_attacked(v, head):
            continue
        actors_in_clause, places, weapon = _arguments(v, head)
        if cue.attrs.get("place_subject") and not _place_subject(v, head):
            continue
        if cue.attrs.get("civil") and _soldiers_do_it(v, head):
            continue  # "troops marched across the border" is no march of protest
        if cue.attrs.get("place_object") and not _names_a_place(v, m):
            continue  # "captured Zelensky in a good mood" takes no ground
        if not (actors_in_clause or places or weapon):
            continue
        if head.pos_ in fy.VERBAL and head.lemma_.lower() == "fight" and not (places or weapon):
            continue  # "Russia is fighting an imperial war", "both are fighting to win": a description
        kind, subtype = cue.attrs["type"], cue.attrs.get("subtype")
        if cue.attrs.get("weak") and _harm_from_afar(v, head):
            kind, subtype = "Explosions/Remote violence", "Shelling/artillery/missile attack"
        elif kind == "Battles" and (afar := _fought_from_afar(head, lex)):
            kind, subtype = "Explosions/Remote violence", afar
        trigger = v.tok(m.start())
        actors = v.ordered_actors(trigger)
        # "Ukraine's military has reported advances", "Wagner claims to be making progress":
        # with no other actor between the attributing verb and the cue, the source acted.
        own = [s["_mention"] for s in v.sources if s["_mention"].end <= trigger]
        if own and not any(own[-1].end <= a.start < trigger for a in actors):
            actors = own[-1:] + [a for a in actors if a.side != own[-1].side]
        confidence = 0.45 + 0.15 * bool(actors_in_clause) + 0.15 * bool(places) + 0.1 * weapon
        acted = (
            head.pos_ in fy.VERBAL
            or (head.dep_ == "dobj" and head.head.lemma_.lower() in lex.conduct_verbs)
            or _going_on(head, lex)
        )
        confidence += 0.1 * acted - 0.1 * bool(cue.attrs.get("weak"))
        record = Record(
            kind="event",
            type=kind,
            subtype=subtype,
            actors=sides(actors),
            factuality=fact.value,
            confidence=round(min(confidence, 0.95), 2),
            cue=m.group(0),
            subordinate=fy.subordinate(head),
            clause=v.clause_chars(head),
            mentions=mention_rows(actors, "actor") + v.source_rows(),
        )
        if repeats(record, v):
            continue
        if best is None or record.confidence > best.confidence:
            best = record  # "missiles launched struck …, 10 people were injured": the surest reading
    return best
