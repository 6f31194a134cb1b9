"""Did it happen? The factuality of a predicate on the dependency parse.

A record of something that happened needs its predicate asserted (directly, or by a named
source). Negated ("have not signed"), hypothetical ("would strike", "if Russia attacks",
"the threat of an offensive"), planned ("will visit", "plans to strike", "preparing an
attack") and habitual ("has often travelled") predicates are told apart from the parse, not
from words near a cue, so "made possible after Ukrainian forces retook" stays asserted.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Token

from analytics.extract.lexicon import Lexicon

ASSERTED, ALLEGED, PLANNED, HYPOTHETICAL, NEGATED, HABITUAL, TOPIC, BACKGROUND = (
    "asserted", "alleged", "planned", "hypothetical", "negated", "habitual", "topic", "background",
)  # fmt: skip
# Kept as records (planned ones never enter tallies); the others yield nothing.
KEPT = {ASSERTED, ALLEGED, PLANNED}
# Lemmas that only attribute what they govern to a source: climbing stops there.
ATTRIBUTION_LEMMAS = {"say", "tell", "report", "state", "write", "note", "add", "post", "explain", "announce",
                      "confirm", "quote", "cite", "believe", "think", "estimate", "indicate", "show", "argue"}  # fmt: skip
# Dependency relations through which a head governs what its child means.
COMPLEMENTS = {"xcomp", "ccomp", "dobj", "pobj", "pcomp", "prep", "acl", "advcl", "attr", "oprd", "nsubjpass",
               "compound", "amod", "nmod", "poss", "agent"}  # fmt: skip
# Relations that start another clause with its own factuality.
# "accused Washington …, as explosions rocked Crimea": a clause marked so tells its own fact
# beside the speech act, not what was said.
# What an act asks for or threatens has not happened: "requested a meeting" holds none,
# "threatened to impose sanctions" imposes none. The relations through which the act governs it.
UNREAL_CONTENT = {
    "urges": {"dobj", "xcomp", "ccomp", "prep", "pcomp", "pobj"},
    "threatens": {"xcomp", "dobj"},
}
CIRCUMSTANCE_MARKS = {"as", "while", "when", "after", "before", "since", "amid", "because"}
CLAUSE_BREAKS = {"relcl", "parataxis", "appos", "npadvmod", "dep", "ROOT"}
VERBAL = {"VERB", "AUX"}


@dataclass(frozen=True)
class Factuality:
    value: str
    reason: str | None = None
    governor: Token | None = None  # the speech-act or attributing verb whose content this is


def forms(tok: Token) -> set[str]:
    """The lemma and the plain forms of a word: the lemmatizer reads "hopes" as "hop" now and
    then, so lists are matched against the word with its inflection taken off too."""
    low = tok.lower_
    out = {tok.lemma_.lower(), low}
    for suffix in ("ing", "ed", "es", "s", "d"):
        if low.endswith(suffix) and len(low) - len(suffix) >= 3:
            stem = low[: -len(suffix)]
            out |= {stem, stem + "e"}
            if suffix in ("ing", "ed") and len(stem) > 3 and stem[-1] == stem[-2]:
                out.add(stem[:-1])  # "planned" -> "plan"
            if suffix in ("es", "ed") and stem.endswith("i"):
                out.add(stem[:-1] + "y")  # "denies", "denied" -> "deny"
    return out


def span_head(tokens: list[Token]) -> Token:
    """The syntactic head of a span: its token whose head lies outside it."""
    ids = {t.i for t in tokens}
    for t in tokens:
        if t.head.i not in ids or t.head.i == t.i:
            return t
    return tokens[0]


# Prepositions that make a noun the time frame of another item: "during a call with …".
FRAMING_PREPOSITIONS = {"during", "after", "before", "following", "amid", "ahead", "since", "at"}


ORDINALS = {"first", "second", "third", "last", "only", "latest"}


def ordinal_noun(tok: Token, objects: tuple[str, ...] = ("attr", "oprd", "dobj")) -> Token | None:
    """ "the first leader to visit", "became the only one to sign": the noun an infinitive hangs on
    when an ordinal marks it (an infinitive after an ordinal tells what someone did, not a purpose
    or a plan), else None."""
    if not infinitive(tok):
        return None
    noun = tok.head
    if tok.dep_ in ("xcomp", "advcl") and noun.pos_ in VERBAL:
        noun = next((c for c in noun.children if c.dep_ in objects), noun)
    return noun if any(c.lower_ in ORDINALS for c in noun.children) else None


def subordinate(tok: Token) -> int:
    """How deep an item is told as the frame of another predicate: adverbial clauses ("while
    X was visiting", "as Y began") and time phrases ("during a call with Z") it stands in."""
    return sum(
        t.dep_ == "advcl"
        or (
            t.dep_ == "prep"
            and (t.lower_ in FRAMING_PREPOSITIONS or any(c.dep_ == "mark" for c in t.children))
        )
        for t in [tok, *tok.ancestors]  # "while on a visit to Kyiv": a marked phrase frames too
    )


def infinitive(tok: Token) -> bool:
    """ "to strike", "to approve": the verb carries its infinitive marker."""
    return any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children)


def past_perfect(v: Token) -> bool:
    """ "had pressed", "had been captured": told as background to the story's own past."""
    return any(c.dep_ in ("aux", "auxpass") and c.lower_ == "had" for c in v.children)


def anchor_verb(tok: Token) -> Token:
    """The verb a noun is an argument of (the token itself for a verb)."""
    cur, steps = tok, 0
    while cur.pos_ not in VERBAL and cur.head.i != cur.i and steps < 4:
        if cur.dep_ in CLAUSE_BREAKS:
            break
        cur, steps = cur.head, steps + 1
    return cur


def _own_marks(v: Token, lex: Lexicon, subject_of: Token | None = None) -> Factuality | None:
    """Negation, modality, a condition or a habit marked on one predicate."""
    for c in v.children:
        low, dep = c.lower_, c.dep_
        if dep == "neg" or (dep == "det" and low == "no") or (dep == "advmod" and low in ("never", "hardly")):
            return Factuality(NEGATED, f"{low} {v.text}")
        if dep in ("aux", "auxpass"):
            if low in lex.modals_hypothetical:
                return Factuality(HYPOTHETICAL, f"{low} {v.text}")
            if low in lex.modals_future or c.lemma_ in lex.modals_future:
                return Factuality(PLANNED, f"{low} {v.text}")
        if dep == "xcomp" and v.lemma_ in lex.future_frames and v.pos_ in VERBAL \
                and infinitive(c):  # fmt: skip
            return Factuality(PLANNED, f"{v.text} to {c.text}")  # "talks are to be held"
        if dep == "advcl" and v.pos_ in VERBAL and not speech_stance(v, lex) and any(g.dep_ == "mark" and g.lower_ in ("if", "unless")
                                                         for g in c.children):  # fmt: skip
            return Factuality(HYPOTHETICAL, f"if … {v.text}")  # "if Russia attacks, it begins with bombing"
        if dep == "mark" and low in lex.conditional_marks:
            return Factuality(HYPOTHETICAL, f"{low} …")
        if dep == "advmod" and c.lower_ in lex.background_adverbs:
            return Factuality(BACKGROUND, f"{low} {v.text}")  # "has previously warned": old news retold
        if (
            dep == "advmod" or (dep == "amod" and v.pos_ not in VERBAL)
        ) and c.lemma_.lower() in lex.habitual_adverbs:
            return Factuality(HABITUAL, f"{low} {v.text}")
        if dep in ("acomp", "oprd") and low in lex.unreal_predicates and subject_of is not None:
            return Factuality(HYPOTHETICAL, f"{v.text} {low}")
        if dep in ("amod", "advmod") and low in lex.hypothetical_modifiers and v.pos_ not in VERBAL:
            return Factuality(HYPOTHETICAL, f"{low} {v.text}")
    return None


def classify_speech(tok: Token, lex: Lexicon) -> Factuality:
    """A speech act's factuality. "She warned that …, allies would introduce sanctions": the parser
    may hang the opening "X warned" on a later clause; a speech verb with its own subject that
    comes first is the main predicate, whatever that clause says."""
    if (
        tok.dep_ in ("ccomp", "parataxis")
        and tok.i < tok.head.i
        and any(c.dep_ == "nsubj" for c in tok.children)
    ):
        return _own_marks(tok, lex) or Factuality(ASSERTED)
    if tok.dep_ == "conj" and any(c.dep_ == "nsubj" for c in tok.children):
        # '"… will be in danger if …," the secretary of state has warned': a clause of its own,
        # which the parser joined to what it reports; the report's "will" is not the warning's.
        return _own_marks(tok, lex) or Factuality(ASSERTED)
    return classify(tok, lex)


def classify(tok: Token, lex: Lexicon) -> Factuality:
    """The factuality of the predicate or event noun `tok`."""
    own = _own_marks(tok, lex)
    if own:
        return own
    verb = anchor_verb(tok)
    if verb.i != tok.i:
        subj = tok if tok.dep_ in ("nsubj", "nsubjpass") else None
        own = _own_marks(verb, lex, subject_of=subj)
        if own:
            return own
    cur, steps = tok, 0
    while cur.head.i != cur.i and steps < 10:
        rel, head = cur.dep_, cur.head
        if rel in CLAUSE_BREAKS or (rel == "acl" and cur.tag_ == "VBN"):
            break  # "the two soldiers killed today": a participle states its own fact
        words = forms(head)
        if ordinal_noun(cur) is not None:
            break  # "became the first royal to visit Ukraine": the visit happened
        if rel == "advcl" and infinitive(cur):
            return Factuality(HYPOTHETICAL, f"to {cur.text}")  # a purpose: "used gas to win gains"
        if rel == "xcomp" and infinitive(cur) \
                and words & lex.future_frames:  # fmt: skip
            return Factuality(PLANNED, f"{head.text} to {cur.text}")  # "is to visit", "is due to sign"
        if rel == "xcomp" and head.lemma_.lower() in lex.hedges:
            return Factuality(
                HYPOTHETICAL, f"{head.text} to {cur.text}"
            )  # "appeared to signal": not told as fact
        if rel == "xcomp" and head.lemma_.lower() == "look" and any(c.lower_ == "to" for c in cur.children):
            return Factuality(HYPOTHETICAL, f"looking to {cur.text}")  # "are looking to stage protests"
        if rel == "xcomp" and head.lemma_.lower() in lex.negative_verbs:
            return Factuality(
                NEGATED, f"{head.text} to {cur.text}"
            )  # "refused to criticise", "failed to take"
        if rel == "xcomp" and head.pos_ in VERBAL:
            marks = _own_marks(head, lex)
            if marks and marks.value == NEGATED:
                return marks  # "does not undertake to introduce sanctions"
        if rel == "pcomp" and head.lower_ == "for":
            if head.head.lemma_.lower() in lex.credit_verbs:
                break  # "thanked the army for liberating the town", "blamed Russia for shelling": done
            return Factuality(HYPOTHETICAL, f"for {cur.text}")  # "an arsenal for attacking Ukraine"
        if rel == "pobj" and head.lower_ == "about" and head.head.lemma_.lower() in lex.topic_nouns:
            return Factuality(
                TOPIC, f"about {cur.text}"
            )  # "statements about the attacks", "fears about a deal"
        if rel in ("prep", "xcomp") and head.pos_ == "ADJ" and head.lower_ in lex.dispositions:
            return Factuality(HYPOTHETICAL, f"{head.text} {cur.text}")  # "open to talks", "ready for a deal"
        if rel == "acl" and head.lower_ == "case" and head.dep_ == "pobj" and head.head.lower_ == "in":
            return Factuality(HYPOTHETICAL, f"in case {cur.text}")  # "in case Russia attacks"
        if rel == "conj":
            # Coordinated predicates share their first conjunct's auxiliaries and context.
            marks = _own_marks(head, lex) if head.pos_ in VERBAL else None
            if marks and marks.value != HABITUAL:
                return marks
        elif rel in COMPLEMENTS:
            marked = (rel == "advcl" and any(c.dep_ == "mark" and c.lower_ in CIRCUMSTANCE_MARKS for c in cur.children)
                      # "pressed Xi at a summit in Paris": the phrase frames the act, it is not what was urged
                      or (rel == "prep" and cur.lower_ in FRAMING_PREPOSITIONS))  # fmt: skip
            stance = speech_stance(head, lex) if head.pos_ in VERBAL else None
            if rel == "dobj" and stance in lex.weak_stances:
                stance = None  # "maintain an attack", "claimed the town": the verb acts on the thing
            if rel == "prep" and head.pos_ in VERBAL:
                marks = _own_marks(head, lex)
                if marks and marks.value == HYPOTHETICAL:
                    return marks  # "in the context of a withdrawal, I would support this"
                if marks and marks.value == PLANNED and cur.lower_ not in FRAMING_PREPOSITIONS:
                    return marks  # "by liberating Crimea, we will put an end to …": the means of a future act
            if rel == "attr" and head.lemma_ == "be" and _names_the_unreal(head, lex):
                # "one of the scenarios is an attack on Kyiv"
                return Factuality(HYPOTHETICAL, f"{head.text} {cur.text}")
            if not marked and rel in UNREAL_CONTENT.get(stance, ()):
                return Factuality(HYPOTHETICAL, f"{head.text} …", governor=head)
            if stance and not marked:
                value = ALLEGED if words & lex.allege_verbs else ASSERTED
                marks = _own_marks(head, lex)
                if marks and marks.value in (NEGATED, HYPOTHETICAL):
                    return marks
                return Factuality(value, f"{head.text} …", governor=head)
            if head.pos_ in VERBAL and words & ATTRIBUTION_LEMMAS and rel in ("ccomp", "xcomp"):
                return Factuality(ASSERTED, f"{head.text} …", governor=head)
            if head.pos_ in VERBAL and words & lex.topic_verbs and rel in ("dobj", "prep") and not marked:
                return Factuality(TOPIC, f"{head.text} …")  # "informed him about the attacks"
            if words & lex.intent_verbs and rel in (
                "xcomp",
                "ccomp",
                "dobj",
                "prep",
                "pcomp",
                "acl",
                "oprd",
                "nsubjpass",
            ):
                value = PLANNED if words & lex.scheduling_verbs else HYPOTHETICAL
                return Factuality(value, f"{head.text} …")
            if (
                head.pos_ not in VERBAL
                and words & lex.hypothetical_heads
                and rel in ("prep", "acl", "compound")
            ):
                return Factuality(HYPOTHETICAL, f"{head.text} …")
            if head.pos_ not in VERBAL and head.lower_ in lex.hypothetical_modifiers:
                return Factuality(HYPOTHETICAL, f"{head.text} …")
            if rel in ("xcomp", "ccomp", "advcl") and head.pos_ in VERBAL:
                marks = _own_marks(head, lex)
                temporal = rel == "advcl" and any(c.dep_ == "mark" and c.lower_ in ("when", "once", "until", "before", "after")
                                                  for c in cur.children)  # fmt: skip
                if marks and marks.value in (HYPOTHETICAL, PLANNED) and (rel != "advcl" or temporal):
                    return marks  # "talks will continue when Sunak meets Scholz": the meeting is ahead too
        cur, steps = head, steps + 1
    return Factuality(ASSERTED)


def _names_the_unreal(copula: Token, lex: Lexicon) -> bool:
    """The copula's subject is a noun of what has not happened ("the risk is …", "one of the
    scenarios is …"), so what it equates it with has not happened either."""
    for subj in (c for c in copula.children if c.dep_ == "nsubj"):
        nouns = [subj] + [g for c in subj.children if c.dep_ == "prep" and c.lower_ == "of"
                          for g in c.children if g.dep_ == "pobj"]  # fmt: skip
        if any(forms(n) & lex.hypothetical_heads for n in nouns):
            return True
    return False


# "called on Tuesday": a preposition of time is no particle of the verb ("called on Kyiv").
TIME_WORDS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january",
              "february", "march", "april", "may", "june", "july", "august", "september", "october",
              "november", "december", "day", "week", "weekend", "month", "year", "morning", "afternoon",
              "evening", "night", "occasion", "eve", "anniversary", "sidelines"}  # fmt: skip


def _particles(v: Token) -> set[str]:
    out = {c.lower_ for c in v.children if c.dep_ == "prt"}
    out |= {c.lower_ for c in v.children if c.dep_ == "prep"
            and not any(g.dep_ == "pobj" and (g.lower_ in TIME_WORDS or g.like_num) for g in c.children)}  # fmt: skip
    # "called for partners to support Ukraine": the parser hangs "for" on the clause it opens.
    out |= {g.lower_ for c in v.children if c.dep_ in ("advcl", "xcomp", "ccomp")
            for g in c.children if g.dep_ == "mark" and g.lower_ == "for" and g.i == v.i + 1}  # fmt: skip
    return out


def speech_stance(v: Token, lex: Lexicon) -> str | None:
    """The stance of a speech-act verb ("denied" -> denies), or None."""
    particles = _particles(v)
    for form in sorted(forms(v), key=lambda f: f != v.lemma_.lower()):
        stance = lex.speech_stance(form, particles)
        if stance:
            return stance
    return None
