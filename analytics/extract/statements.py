"""Statements: a speech act by a named party, read from the parse.

The act is a verb of `lexicon.yaml`'s speech_acts (or one of its nouns after a light verb:
"issued a warning"); the speaker is its grammatical subject resolved to an actor; the act
must be asserted (not "did not deny", "would reject", "will warn").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Token

from analytics.extract import factuality as fy
from analytics.extract import speakers
from analytics.extract.parse import subtree_chars
from analytics.extract.records import Record, mention_rows, sides
from analytics.extract.view import SentenceView

# Statement stance -> how the same act attributes a record (sources[].stance).
SOURCE_STANCE = {
    "claims": "claims",
    "denies": "denies",
    "acknowledges": "acknowledges",
    "announces": "announces",
}


@dataclass
class Act:
    token: Token
    stance: str
    speaker_token: Token | None


def speech_acts(v: SentenceView) -> list[Act]:
    """Every speech act in the sentence, in text order, whoever the speaker."""
    lex = v.ex.lexicon
    out = []
    for t in v.parsed.doc:
        stance = None
        if t.pos_ in fy.VERBAL:
            stance = fy.speech_stance(t, lex) or _naming_or_expecting(t, v)
            if stance == "denies" and not _is_denial(t, lex):
                stance = None
            if stance in ("claims", "acknowledges") and not _has_content(t, lex):
                stance = None  # "maintained robust connections" is no claim
            if stance == "threatens" and not (_is_threat(t, lex) and _a_party_threatens(t, v)):
                stance = None  # "the invasion threatens global security" only endangers
            if stance == "threatens" and t.lemma_.lower() in PROMISES and not _hostile(t, lex):
                # "has sworn that there would be no US troops": a pledge; "vowed to defend the
                # constitution": an oath, no item
                stance = "announces" if any(c.dep_ == "ccomp" for c in t.children) else None
            if stance == "urges" and t.lemma_.lower() in SUPPORTING and _passive(t):
                stance = None  # "regimes backed by China", "a plan endorsed by the EU": support had
            if stance == "urges" and t.lemma_.lower() in SUPPORTING and _backs_a_party(t, v):
                stance = None  # "China is backing Russia": support, not a call
            if stance == "urges" and t.lemma_.lower() in PRESSING and not _presses_someone(t, v):
                stance = None  # "press home its advantage", "push ahead": no one is pressed
            if stance == "announces" and t.lemma_.lower() in PROCLAIMING and _proclaims_a_thing(t):
                stance = None  # "declared war", "declared Donbas independent": an act, not words
            if stance == "announces" and _conditional_harm(t, lex):
                stance = "threatens"  # 'announced "hard reactions and sanctions" in the case of aggression'
            said = _said_content(t, v, lex) if stance in lex.weak_stances else None
            if stance == "claims" and said not in STRONG_CONTENT and _after_its_quote(t):
                stance = None  # '"It will not be easy for Russia," Truss emphasized': a quote, told with a manner of saying
            elif said in (*STRONG_CONTENT, "urges"):
                stance = said  # "Beijing claims that it does not send military aid": a denial
            if (
                stance == "rejects"
                and t.lemma_.lower() in REFUSALS
                and any(c.dep_ == "xcomp" for c in t.children)
            ):
                stance = (
                    None  # "declined to comment", "refuses to join the sanctions": a stance kept, not an act
                )
            if t.lemma_.lower() == "defend" and not any(
                c.dep_ == "dobj" and c.lemma_.lower() in lex.defended_things for c in t.children
            ):
                stance = None  # "defended the decision" claims; "helping Ukraine defend itself" fights
            if stance and _object_relative(t):
                stance = None  # "aggression, which France condemns": a standing view told of a thing
            if stance:
                out.append(Act(t, stance, _act_subject(t, lex)))
            elif _says(t, lex) and (content := said or _said_content(t, v, lex)):
                if _a_whole_quote_told(t):
                    continue  # '"We do not want war …," he said': a quote told plainly is the speaker's words
                out.append(Act(t, content, speakers.subject_of(t)))
        elif t.pos_ == "NOUN" and t.lemma_.lower() in lex.speech_nouns:
            if t.lemma_.lower() in CALLS and not _a_call_to_act(t):
                continue  # "made a call to Zelensky" is a phone call
            stance = lex.speech_nouns[t.lemma_.lower()]
            poss = next((c for c in t.children if c.dep_ == "poss"), None)
            if (
                poss is not None
                and poss.lower_ in POSSESSIVES
                and t.dep_ == "dobj"
                and t.head.pos_ in fy.VERBAL
            ):
                out.append(Act(t, stance, speakers.subject_of(t.head)))  # "PACE reiterates its call": PACE's
            elif t.dep_ == "dobj" and t.head.lemma_.lower() in lex.light_verbs:
                out.append(Act(t, stance, speakers.subject_of(t.head)))
    return out


def _act_subject(t: Token, lex) -> Token | None:
    """The verb's subject; but a speech act the parser joined to the clause a saying verb reports
    ("Stoltenberg said the counterattack had been effective, but warned nations …": "warned" hung on
    "been") is the saying verb's speaker's second act."""
    head = t.head
    if (
        t.dep_ == "conj"
        and not any(c.dep_ in ("nsubj", "nsubjpass") for c in t.children)
        and head.dep_ == "ccomp"
        and head.head.i != head.i
        and (_says(head.head, lex) or fy.speech_stance(head.head, lex))
    ):
        return speakers.subject_of(head.head)
    return speakers.subject_of(t)


def _naming_or_expecting(t: Token, v: SentenceView) -> str | None:
    """ "called Putin 'a war criminal'": naming a party so accuses it (naming anything else is a
    claim); "expects China not to politicise the war": a demand on that party."""
    lemma, lex = t.lemma_.lower(), v.ex.lexicon
    kids = list(t.children)
    naming = any(c.dep_ == "oprd" and c.pos_ in ("NOUN", "PROPN") for c in kids) or any(
        c.dep_ == "prep" and c.lower_ == "as" and any(g.dep_ == "pobj" for g in c.children) for c in kids
    )  # "called Putin 'a war criminal'", "described the draft as 'a dirty spectacle'"
    if lemma in lex.naming_verbs and naming:
        obj = next((c for c in kids if c.dep_ == "dobj"), None)
        name = [g for c in kids if c.dep_ in ("oprd", "prep") for g in c.subtree]
        if any(g.lemma_.lower() in lex.praise_names for g in name):
            return None  # "called the President of China a 'dear friend'": praise
        if obj is not None:
            return "accuses" if v.actors_under(obj) else "claims"
    if lemma in lex.calling_verbs:
        obj = next((c for c in kids if c.dep_ == "dobj"), None)
        to_act = any(c.dep_ in ("xcomp", "ccomp", "advcl") and fy.infinitive(c) for c in kids)
        if obj is not None and to_act and (v.actors_on(obj) or obj.lemma_.lower() in lex.addressees):
            return "urges"  # "called all the parties to promote", "asked Congress to approve"
    if lemma in lex.expecting_verbs:
        for c in kids:
            if c.lemma_.lower() in FORECAST:
                continue  # "expects Russia to grow 3.2% this year": a forecast
            if c.dep_ in ("ccomp", "xcomp") and fy.infinitive(c):
                subj = next((g for g in c.children if g.dep_ == "nsubj"), None)
                if subj is not None and v.actors_on(subj):
                    return "urges"  # the party itself ("expects China to"), not "shipments under a UN deal"
    return None


# What is forecast, not asked of anyone: "expects the economy to grow", "expects prices to fall".
FORECAST = {"grow", "rise", "fall", "shrink", "increase", "decrease", "decline", "expand", "contract", "reach",
            "remain", "recover", "slow", "drop", "climb", "exceed", "last", "continue"}  # fmt: skip


REFUSALS = {
    "refuse",
    "decline",
}  # with an infinitive: a standing refusal to act, not a rejection of something said
PROMISES = {"vow", "swear"}  # a threat only when what is vowed is hostile
SUPPORTING = {"back", "endorse"}  # a call for a plan or bid; support when a party is backed


def _hostile(t: Token, lex) -> bool:
    """ "vowed to retaliate", "swore revenge": what is vowed harms someone."""
    for c in t.children:
        if c.dep_ == "ccomp" and any(
            g.lemma_.lower() in lex.hostile_acts | lex.threat_objects or g.lower_ == "price"
            for g in c.subtree
        ):
            return True  # "vowed that Germany would pay a high price", "swore that Russia would respond"
    acts = [c for c in t.children if c.dep_ in ("xcomp", "dobj")]
    return any(a.lemma_.lower() in lex.hostile_acts for a in acts)


def _backs_a_party(t: Token, v: SentenceView) -> bool:
    obj = next((c for c in t.children if c.dep_ == "dobj"), None)
    return obj is not None and bool(
        v.in_chars(v.actor_mentions, obj.idx, obj.idx + len(obj))
    )  # the object itself


def _passive(t: Token) -> bool:
    return t.tag_ == "VBN" and (t.dep_ == "acl" or any(c.dep_ in ("auxpass", "agent") for c in t.children))


PROCLAIMING = {"declare", "proclaim"}


def _proclaims_a_thing(t: Token) -> bool:
    """ "declared war on Ukraine", "declared the regions independent", "declared any invasion a red
    line": what is declared is an object (a proclamation); "declared that …" says something."""
    kids = list(t.children)
    small = [
        c for c in kids if c.dep_ == "ccomp" and c.pos_ in ("ADJ", "NOUN", "PROPN")
    ]  # "Donbas independent"
    said = [c for c in kids if c.dep_ in ("ccomp", "parataxis") and c not in small]
    return bool(small or any(c.dep_ in ("dobj", "oprd") for c in kids)) and not said


POSSESSIVES = {"its", "their", "his", "her", "our", "my"}
PRESSING = {"press", "push", "lobby"}  # a call only when someone is pressed or something pressed for


def _presses_someone(t: Token, v: SentenceView) -> bool:
    if any(c.dep_ == "prep" and c.lower_ in ("for", "on") for c in t.children):
        return True
    return any(c.dep_ == "dobj" and v.actors_under(c) for c in t.children)


CALLS = {"call"}  # nouns that are a speech act only with what they call for


def _a_call_to_act(t: Token) -> bool:
    """ "renewed calls for talks", "calls to boost Nato": the next words say what is called for."""
    doc = t.doc
    nxt = doc[t.i + 1] if t.i + 1 < len(doc) else None
    if nxt is None:
        return False
    if nxt.lower_ in ("for", "on"):
        return True  # "calls for talks", "its call on member states to …"
    return nxt.lower_ == "to" and t.i + 2 < len(doc) and doc[t.i + 2].tag_ == "VB"


# What a quote's own words must do for "…," X stressed to be an act: a demand or a mere view is
# told by the quote, and a careful coder leaves a quote uncoded.
STRONG_CONTENT = {"denies", "accuses", "threatens", "warns", "rejects"}
QUOTE_TAIL = re.compile(r"""(?:[”"]\s*,?|\s[-–])\s*(?:[\w.'’-]+\s+){0,6}$""")


CONDITION = re.compile(r"\b(?:if|unless|should|in (?:the )?(?:case|event) of)\b", re.I)


def _conditional_harm(t: Token, lex) -> bool:
    """What is announced is harm, on a condition: a threat ('announced sanctions in the case of
    aggression'); sanctions announced with no condition are imposed (diplomacy's record)."""
    harm = any(c.dep_ == "dobj" and (c.lemma_.lower() in lex.threat_objects
                                     or any(g.dep_ == "conj" and g.lemma_.lower() in lex.threat_objects for g in c.children))
               for c in t.children)  # fmt: skip
    return harm and bool(CONDITION.search(t.doc.text[t.idx : t.sent.end_char]))


def _after_its_quote(t: Token) -> bool:
    """The verb comes after the words it reports: '"…," the minister stressed', '… - he stressed'."""
    sent = t.sent
    return bool(QUOTE_TAIL.search(t.doc.text[sent.start_char : t.idx]))


QUOTE_OPENING = re.compile(r"""^\W{0,3}[“"‘]""")


def _a_whole_quote_told(t: Token) -> bool:
    """The sentence is a quotation and the plain saying verb only tells whose it is ('"…," he said',
    '… - said the Kremlin spokesman'); a paraphrase with a quoted phrase in it ('Russian forces
    must be pushed out of "the whole of Ukraine", Truss said') is the reporter's own telling. A
    quotation can open sentences earlier: a closing mark with no opening one before it in the sentence."""
    sent = t.sent
    before = t.doc.text[sent.start_char : t.idx]
    tail = QUOTE_TAIL.search(before)
    if not tail:
        return False
    if not re.match(r"""[”"]""", tail.group(0).lstrip()):
        return True  # "… - he said": the dash closes a quotation
    mark = tail.start()
    closing = before[mark] == "”" or (mark > 0 and not before[mark - 1].isspace())
    if closing and not re.search(r"""[“‘]|(?:^|\s)["']""", before[:mark]):
        return True  # the quotation began in an earlier sentence
    return bool(QUOTE_OPENING.match(before))


def _said_content(t: Token, v: SentenceView, lex) -> str | None:
    """The stance of what a plain 'said' clause says, when it is an act itself: an accusation,
    a denial, a threat by its wording, or an order in the imperative (tweeted: "Stop issuing visas")."""
    if _imperative_quote(t):
        return "urges"
    clause = next((c for c in t.children if c.dep_ in ("ccomp", "parataxis")), None)
    if clause is not None:
        words = " ".join(w.text for w in clause.subtree)
    else:  # "told her at a meeting that Russia had no plans …": the parser hung the clause elsewhere
        words = " ".join(w.text for w in t.subtree if w.i > t.i)
    if not words:
        return None
    if clause is not None and _a_demand(clause, v):
        # "said the world had to declare Russia a sponsor of terrorism": what it asks comes first
        return "urges"
    said = next((stance for stance, rx in lex.said_content_patterns if rx.search(words)), None)
    if said is None and clause is not None and _denies_own_act(t, clause, v, lex):
        return "denies"
    if said is None and clause is not None and _blames_another(t, clause, v, lex):
        return "accuses"
    return said or (_content_act(clause, v, lex) if clause is not None else None)


OWN_WORDS = {"we", "it", "its", "our", "us"}
OWN_OR_THIRD = OWN_WORDS | {"his", "her", "their"}  # "said his country must …": the speaker's too


def _conditional(clause: Token) -> bool:
    """An if- or unless-clause hangs on the said clause: what it says holds only on a condition."""
    return any(g.dep_ == "mark" and g.lower_ in ("if", "unless") for c in clause.children for g in c.children)


def _denies_own_act(t: Token, clause: Token, v: SentenceView, lex) -> bool:
    """ "Ukraine said its military did not carry out the attack", "Makei said Belarus is not going to
    take part in the war": the speaker's side says it did or will do no harm. A condition ("would
    not attack if …") leaves it a view."""
    if not any(c.dep_ == "neg" for c in clause.children) or _conditional(clause):
        return False
    harm = lex.hostile_events | lex.hostile_acts
    # The harm is what the clause does: its verb, the verb it governs, or their objects
    # ("did not carry out the attack", "not going to take part in this war"), not a word deep in it.
    near = [clause, *(c for c in clause.children if c.dep_ in ("xcomp", "dobj", "prep"))]
    near += [g for c in near[1:] for g in c.children if g.dep_ in ("dobj", "pobj", "prep")]
    near += [g for c in near if c.dep_ == "prep" for g in c.children if g.dep_ == "pobj"]
    if not any(w.lemma_.lower() in harm for w in near):
        return False
    subj = next((c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    return subj is not None and _own_side(t, subj, v, OWN_WORDS)


DEMAND_MODALS = {"must", "should"}
OBLIGING_VERBS = {"need", "needs", "have", "has", "had"}  # "needs to", "has to", "had to"


def _a_demand(clause: Token, v: SentenceView) -> bool:
    """The said clause puts a named party or the world under an obligation: "Moscow must withdraw",
    "the US should keep supporting Ukraine", "Russia needs to make concessions", "the world had to
    make its choice". A negation or a condition leaves it a view."""
    kids = list(clause.children)
    if any(c.dep_ == "neg" for c in kids) or _conditional(clause):
        return False
    aux = {c.lower_ for c in kids if c.dep_ in ("aux", "auxpass")}
    obliged = clause.lower_ in OBLIGING_VERBS and any(
        c.dep_ == "xcomp" and any(g.lower_ == "to" for g in c.children) for c in kids
    )
    subj = next((c for c in kids if c.dep_ in ("nsubj", "nsubjpass")), None)
    party = subj is not None and (bool(v.actors_on(subj)) or subj.lemma_.lower() in v.ex.lexicon.addressees)
    # The speaker's own side obliged ("said his country must defend its flank", "maintains that Russia
    # had to respond") is resolve or a justification, not a demand on anyone.
    return (
        bool(aux & DEMAND_MODALS or obliged) and party and not _own_side(clause.head, subj, v, OWN_OR_THIRD)
    )


def _own_side(verb: Token, subj: Token, v: SentenceView, possessives: set[str]) -> bool:
    """The subject of a said clause is the speaker's own side: "we", "its military" (a possessive of
    `possessives`), or an actor on the side of the one who says it."""
    if subj.lower_ in OWN_WORDS or any(c.dep_ == "poss" and c.lower_ in possessives for c in subj.children):
        return True
    speaker = speakers.subject_of(verb)
    own = {m.side for m in v.actors_under(speaker)} if speaker is not None else set()
    return bool(own & {m.side for m in v.actors_on(subj)})


def _blames_another(t: Token, clause: Token, v: SentenceView, lex) -> bool:
    """ "Ukraine said Moscow had forcibly deported thousands", "Kyiv says Russian forces shelled the
    plant": the said clause tells, as done, a wrong by a party other than the speaker's side. A negation,
    a modal or a condition (what may come is a warning's question) leaves it no charge."""
    if clause.lemma_.lower() not in lex.wrongdoing_verbs:
        return False
    if fy.classify(clause, lex).value not in (fy.ASSERTED, fy.ALLEGED):
        return False
    subj = next((c for c in clause.children if c.dep_ == "nsubj"), None)
    if subj is None or not v.actors_on(subj):
        return False
    return not _own_side(t, subj, v, OWN_OR_THIRD)


def _content_act(clause: Token, v: SentenceView, lex) -> str | None:
    """What the said clause does, read from its parse: a demand on a named party ("said the US must
    keep supporting Ukraine", "said Moscow needs to make concessions"), or a warning of harm that
    would follow ("said any attack would lead to tough sanctions", "said an invasion could begin
    any time"). A condition or a negation in the clause leaves it a view, not an act."""
    kids = list(clause.children)
    aux = {c.lower_ for c in kids if c.dep_ in ("aux", "auxpass")}
    negated, conditional = any(c.dep_ == "neg" for c in kids), _conditional(clause)
    if conditional and aux & {"will", "would", "'ll"} and not negated:
        if any(t.lemma_.lower() in lex.hostile_events for t in clause.subtree):
            return "warns"  # "told the BBC there will be a 'Third World War' if Ukraine loses"
    if negated or conditional:
        return None
    if _a_demand(clause, v):
        return "urges"
    subj = next((c for c in kids if c.dep_ in ("nsubj", "nsubjpass")), None)
    hostile = [t for t in clause.subtree if t.lemma_.lower() in lex.hostile_events]
    if aux & {"would", "will"} and any(
        any(c.lower_ in ("any", "further") for c in h.children) for h in hostile
    ):  # fmt: skip
        return "warns"  # the harm that follows an act: "any attack would lead to sanctions"
    if (
        aux & {"could", "may", "might", "would", "will"}
        and subj is not None
        and subj.lemma_.lower() in lex.hostile_events
    ):
        return "warns"  # "an invasion could begin at any time"
    return None


def _says(t: Token, lex) -> bool:
    """A saying verb, or a two-word one ("made clear": make_clear in the list)."""
    if fy.forms(t) & lex.saying_verbs:
        return True
    lemma = t.lemma_.lower()
    nxt = (
        [t.doc[t.i + 1]] if t.i + 1 < len(t.doc) else []
    )  # "made clear the US would …": clear may hang on the clause
    return any(f"{lemma}_{c.lower_}" in lex.saying_verbs for c in [*t.children, *nxt])


QUOTE_OPENERS = {'"', "“", "‘"}


def _imperative_quote(t: Token) -> bool:
    """The saying verb is followed by ':' or ',' and a quote that opens with a bare verb."""
    doc, i = t.doc, t.i + 1
    while i < len(doc) and (
        doc[i].is_punct and doc[i].text not in QUOTE_OPENERS or doc[i].lower_ == "external"
    ):
        i += 1  # "tweeted, external:" (a link label left in the page text)
    if i + 1 >= len(doc) or doc[i].text not in QUOTE_OPENERS:
        return False
    first = doc[i + 1]
    return first.tag_ == "VB" and first.pos_ == "VERB" and first.text[:1].isupper()


def _is_threat(t: Token, lex) -> bool:
    """ "threatened to strike", "threatened Kyiv with retaliation", "threatened the cancellation"."""
    for c in t.children:
        if c.dep_ in ("xcomp", "ccomp"):
            return True
        if c.dep_ == "prep" and c.lower_ == "with":
            return True
        if c.dep_ == "dobj" and c.lemma_.lower() in lex.threat_objects:
            return True
        if c.dep_ == "dative":
            return True  # "threatened the Baltic states the end of their statehood"
    return False


def _a_party_threatens(t: Token, v: SentenceView) -> bool:
    """ "Russia threatened to …", "Russian officials threaten …": a party threatens. "The latest
    moves by Russia are threatening a new war", "the conflict threatens to boil over": a thing
    endangers, nobody threatens."""
    subj = speakers.subject_of(t)
    if subj is None or subj.pos_ != "NOUN":
        return True  # a name or a pronoun
    own = [subj, *(c for c in subj.children if c.dep_ in ("compound", "amod", "poss", "nmod", "appos"))]
    return (
        any(v.actors_on(c) for c in own) or subj.lemma_.lower() in speakers.PERSON_NOUNS | speakers.BODY_NOUNS
    )


def _object_relative(t: Token) -> bool:
    """The act is a relative clause on what it is about ("which France condemns", "the tanks that
    Kyiv has long asked for", "referendums that were dismissed by Kyiv"): its relative pronoun is not
    its active subject; or a past participle hung on its noun ("referendums dismissed by Kyiv")."""
    if t.dep_ == "acl" and t.tag_ == "VBN":
        return True
    if t.dep_ != "relcl":
        return False
    return not any(c.dep_ == "nsubj" and c.lower_ in ("who", "which", "that") for c in t.children)


def _has_content(t: Token, lex) -> bool:
    """A claim or admission says something: a clause, a quote, or a claim-like object."""
    kids = list(t.children)
    if any(c.dep_ in ("ccomp", "xcomp", "parataxis") for c in kids) or t.dep_ in ("parataxis", "ccomp"):
        return True
    obj = next((c for c in kids if c.dep_ == "dobj"), None)
    if obj is not None and t.lemma_.lower() == "defend":
        return (
            obj.lemma_.lower() in lex.defended_things
        )  # "defended its decision" says the decision was right
    return obj is not None and (obj.lemma_.lower() in lex.denial_objects or obj.pos_ == "VERB")


def _is_denial(t: Token, lex) -> bool:
    """'Deny' as a denial, not as 'prevent' ("deny Russia the means")."""
    kids = list(t.children)
    if any(c.dep_ == "dative" for c in kids):
        return False
    obj = next((c for c in kids if c.dep_ == "dobj"), None)
    if obj is None or any(c.dep_ in ("ccomp", "xcomp") for c in kids):
        return True
    return obj.lemma_.lower() in lex.denial_objects or obj.pos_ == "VERB"


def _participle_aside(t: Token) -> bool:
    return t.tag_ == "VBG" and t.dep_ == "advcl" and not any(c.dep_ in ("nsubj", "mark") for c in t.children)


def _standing(t: Token) -> bool:
    """A perfect with a since-phrase ("has denied since 2014", "have called for it since the war
    began"): a position held over time, told as background to what is new."""
    perfect = any(c.dep_ == "aux" and c.lemma_ == "have" for c in t.children)
    since = any(
        c.lower_ == "since"
        and c.dep_ == "prep"
        or any(g.dep_ == "mark" and g.lower_ == "since" for g in c.children)
        for c in t.children
        if c.dep_ in ("prep", "advcl")
    )
    return perfect and since


def find(v: SentenceView, weak_allowed: bool) -> Record | None:
    """The sentence's statement: strong stances first, the first in text order among equals."""
    acts = speech_acts(v)
    lex = v.ex.lexicon
    # Strong stances first; among them the main clause's act before a participle hung on it
    # ("Deploring 'western hysteria', the Kremlin denies …": the denial is the news).
    ranked = sorted(acts, key=lambda a: (a.stance in lex.weak_stances, _participle_aside(a.token), a.token.i))
    for act in ranked:
        if act.stance in lex.weak_stances and not weak_allowed:
            continue
        if v.in_brackets(act.token.idx):
            continue  # an aside in brackets
        if act.token.tag_ in ("VBN", "VBG") and fy.past_perfect(act.token):
            continue  # "had pressed for six months", "had been denying": the past perfect tells background
        if _standing(act.token):
            continue  # "has denied any involvement since 2014": a position held, not news
        fact = fy.classify_speech(act.token, lex)
        if fact.value not in (fy.ASSERTED, fy.ALLEGED, fy.HABITUAL):
            continue
        if speakers.said_by_analysts(fact.governor):
            continue  # "analysts note that Girkin had criticised Putin": analysis, not a report
        if _told_inside(act.token, fact.governor, lex):
            continue  # "the American side claims that Moscow has asked China …": the claim is the act told
        if act.speaker_token is None or act.speaker_token.lower_ == "you":
            continue  # "you have confirmed": the audience's act, told by the speaker
        context = dict(v.context, quote_speaker=v.sources[0]["_mention"] if v.sources else None)
        subject = v.past_dateline(act.speaker_token, act.token)
        speaker = speakers.resolve(subject, v.actor_mentions, v.sent.start, context, _kind_of(v))
        if speaker is None:
            continue
        lo, hi = subtree_chars(act.token)
        after = act.token.idx
        others = [m for m in v.in_chars(v.actor_mentions, lo, hi)
                  if m.side != speaker.side and m.start_char >= v.sent.start + after]  # fmt: skip
        named = (
            speaker.start_char >= 0
            and act.speaker_token.lower_ not in speakers.PERSON_PRONOUNS | speakers.BODY_PRONOUNS
        )
        confidence = 0.9 if named else 0.7
        if act.stance in lex.weak_stances:
            confidence -= 0.15
        return Record(
            kind="statement",
            type=act.stance,
            actors=sides([speaker] + others),
            speaker=speaker.side,
            stance=act.stance,
            sources=[{"actor": speaker.side, "stance": SOURCE_STANCE.get(act.stance, "reports")}],
            cue=act.token.text,
            confidence=round(confidence, 2),
            clause=v.clause_chars(act.token),
            mentions=mention_rows([speaker], "speaker") + mention_rows(others, "target"),
        )
    return None


def _told_inside(t: Token, governor: Token | None, lex) -> bool:
    """The act is what another speech act says (its clausal content), not a second act of the same
    speaker hung on it ("ordered citizens to leave, warning of arrests")."""
    if governor is None or governor.i == t.i or not fy.speech_stance(governor, lex):
        return False
    cur = t
    while cur.head.i not in (governor.i, cur.i):
        cur = cur.head
    return cur.head.i == governor.i and cur.dep_ == "ccomp"


def _kind_of(v: SentenceView):
    vocab = v.ex.vocab

    def kind(name: str) -> str | None:
        a = vocab.actor(name)
        return a.kind if a else None

    return kind
