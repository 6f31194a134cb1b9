"""Who speaks: the subject of a speech-act verb, resolved to a vocabulary actor.

The speaker is the grammatical subject of the verb (the agent of a passive, the subject a
coordinated or controlled verb shares), never merely the nearest name. A pronoun or a role
noun ("he", "it", "the president", "the ministry") takes the last person or body named,
first earlier in the same sentence, then in earlier sentences.
"""

from __future__ import annotations

from collections.abc import Callable

from spacy.tokens import Token

from analytics.extract.mentions import Mention

PERSON_PRONOUNS = {"he", "she", "him", "her"}
BODY_PRONOUNS = {"it", "they", "them", "we"}
PERSON_NOUNS = {"president", "minister", "chancellor", "premier", "leader", "spokesman", "spokeswoman",
                "spokesperson", "secretary", "taoiseach", "envoy", "ambassador", "commander", "chief",
                "head", "governor", "mayor", "official", "general", "pm", "king", "pope", "chairman",
                "politician", "diplomat", "lawmaker", "senator", "deputy", "adviser", "advisor", "director"}  # fmt: skip
BODY_NOUNS = {"government", "ministry", "administration", "country", "authorities", "kremlin", "army",
              "military", "cabinet", "office", "department", "parliament", "side", "state", "regime",
              "embassy", "alliance", "bloc", "union", "council", "command", "staff", "service"}  # fmt: skip
# Kinds of actor whose words are analysis or coverage, not a party's statement.
NOT_SPEAKERS = {"media", "think tank"}
# Subjects whose words are analysis whatever country names them ("the American Institute of ...",
# "US analysts", "a Ukrainian historian"): a name inside the phrase does not make them a party.
NOT_SPEAKER_HEADS = {"institute", "institution", "university", "foundation", "centre", "center", "think-tank",
                     "tank", "analyst", "expert", "researcher", "scholar", "academic", "historian", "professor",
                     "economist", "commentator", "columnist", "journalist", "correspondent", "newspaper",
                     "magazine", "pollster", "observer", "blogger", "strategist", "lawyer",
                     # private people and firms: no party of the war speaks through them
                     "company", "firm", "owner", "founder", "entrepreneur", "businessman", "businesswoman",
                     "resident", "residents", "voter", "voters", "student", "students"}  # fmt: skip


# "a former US assistant secretary", "ex-minister": one who once held office speaks for no party
# now, unless the vocabulary knows the person ("former president Medvedev" speaks for Russia).
FORMER = {"former", "ex", "retired", "onetime", "one-time", "erstwhile"}


def _former(subj: Token) -> bool:
    heads = [subj, *(c for c in subj.children if c.dep_ == "appos")]
    return any(
        c.dep_ in ("amod", "advmod", "compound") and c.lower_ in FORMER for h in heads for c in h.children
    )


def said_by_analysts(verb: Token | None) -> bool:
    """ "Analysts say …", "lawyers argue …": what such a verb governs is analysis, not a report."""
    said_by = subject_of(verb) if verb is not None else None
    return said_by is not None and said_by.lemma_.lower() in NOT_SPEAKER_HEADS


def subject_of(verb: Token) -> Token | None:
    """The subject of a verb: its own, the agent of a passive, or the one it shares."""
    cur, steps = verb, 0
    while steps < 4:
        subj = next((c for c in cur.children if c.dep_ in ("nsubj", "csubj")), None)
        if subj is not None:
            if subj.lower_ in ("who", "which", "that") and cur.dep_ == "relcl":
                return cur.head  # "Wagner's leadership, who are urging …": the noun the clause hangs on
            return subj
        if any(c.dep_ in ("nsubjpass", "auxpass") for c in cur.children):
            # A passive, its subject its own or shared ("… and have been blamed for abuses"):
            agent = next((c for c in cur.children if c.dep_ == "agent"), None)
            pobj = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent is not None else None
            return pobj  # "was accused by X": X speaks; without an agent, nobody named does
        if cur.dep_ in ("conj", "xcomp", "advcl") and cur.head.i != cur.i:
            cur, steps = cur.head, steps + 1  # "X said A and warned B", "X continued to deny"
            continue
        if (
            cur.dep_ == "pcomp"
            and cur.tag_ == "VBG"
            and cur.head.lower_ in GERUND_FRAMES
            and cur.head.head.i != cur.head.i
        ):
            cur, steps = cur.head.head, steps + 1  # "Tajani opened the session by calling for sanctions"
            continue
        if (
            cur.dep_ == "acl"
            and cur.tag_ == "VBG"
            and cur.head.lemma_.lower() in WRITINGS
            and cur.head.dep_ == "dobj"
        ):
            cur, steps = cur.head.head, steps + 1  # "Biggs sent a letter demanding …": who sent it speaks
            continue
        return None
    return None


# What a party sends or issues that says something: its gerund speaks for the sender ("sent a letter
# demanding", "issued a statement calling for").
WRITINGS = {"letter", "statement", "message", "note", "post", "video", "address", "declaration",
            "communique", "communiqué", "tweet", "resolution", "appeal", "petition"}  # fmt: skip


# Prepositions whose gerund is done by the subject of the verb they hang on ("by calling for", "while
# denying", "after warning").
GERUND_FRAMES = {"by", "while", "after", "in", "when"}


def resolve(
    subj: Token,
    mentions: list[Mention],
    sent_start: int,
    context: dict,
    kind_of: Callable[[str], str | None],
) -> Mention | None:
    """The actor mention standing for a subject token (mentions carry absolute offsets)."""
    # The subject phrase without the clauses it carries ("those who argue that Ukraine …").
    carried = {t.i for c in subj.children if c.dep_ in ("relcl", "acl") for t in c.subtree}
    words = [t for t in subj.subtree if t.i not in carried]
    inside = [m for m in mentions
              if any(t.idx + sent_start <= m.start_char < t.idx + len(t) + sent_start for t in words)]  # fmt: skip
    # Leave out names inside a relative clause or a quote the subject carries.
    head_lo, head_hi = subj.idx + sent_start, subj.idx + len(subj) + sent_start
    covering = [m for m in inside if m.start_char <= head_lo and m.end_char >= head_hi]
    described = [subj, *(c for c in subj.children if c.dep_ == "appos")]  # "Roe, owner of a UK firm,"
    if not covering and any(h.lemma_.lower() in NOT_SPEAKER_HEADS for h in described):
        return None
    if not covering and _former(subj) and not any(kind_of(m.name) == "person" for m in inside):
        return None  # "a former US official": no known person, so nobody's voice now
    pick = (covering or inside or [None])[0]
    if pick is None and subj.lower_ in ("i", "we") and context.get("quote_speaker") is not None:
        pick = context["quote_speaker"]  # “I appeal to …,” he said: the quote's speaker
    if pick is None:
        low = subj.lower_
        before = [m for m in mentions if m.end_char <= head_lo]
        if low in PERSON_PRONOUNS or low in PERSON_NOUNS:
            pick = _last(before, lambda m: kind_of(m.name) == "person") or context.get("last_person")
        elif low in BODY_PRONOUNS or low in BODY_NOUNS:
            pick = _last(before, lambda m: kind_of(m.name) != "person") or context.get("last_body")
        if pick is not None and pick.start_char < 0:
            return pick
        if pick is None:
            return None
    if kind_of(pick.name) in NOT_SPEAKERS:
        return None
    return pick


def _last(mentions: list[Mention], ok) -> Mention | None:
    for m in reversed(mentions):
        if m.kind == "actor" and ok(m):
            return m
    return None
