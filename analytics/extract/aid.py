"""Aid figures: money or materiel given to a party, typed by the clause around the figure.

Types: announcement (a new package or pledge), cumulative (a running total), delivery,
correction (a revaluation), and request (asked for or proposed: kept, never counted). A
figure in a negated or hypothetical clause, or money that is not aid (budgets, assets,
prices), yields nothing.
"""

from __future__ import annotations

from analytics.extract import factuality as fy
from analytics.extract import speakers
from analytics.extract.mentions import Mention
from analytics.extract.money import NUMBER_WORDS, find_amounts
from analytics.extract.records import Record, mention_rows, sides
from analytics.extract.view import SentenceView

DEFAULT_RECIPIENT = "Ukraine"
# Governing lemmas that make a figure something asked for or proposed, not given.
REQUEST_LEMMAS = {"request", "ask", "seek", "propose", "want", "call", "urge", "demand", "need", "appeal",
                  "proposal", "plea", "lobby", "press"}  # fmt: skip


MAYBE = {"might", "may", "could"}  # modals of possibility: a figure under them is not given


def _governed(head, lex) -> tuple[str | None, str]:
    """(request? or component?, factuality) of the clause a figure stands in."""
    cur, steps = head, 0
    while cur.head.i != cur.i and steps < 8:
        if fy.forms(cur.head) & REQUEST_LEMMAS:
            return "request", fy.ASSERTED
        if steps < 2 and cur.head.lemma_.lower() in ("include", "including"):
            return "component", fy.ASSERTED  # "including $30m towards …": part of a package
        if cur.dep_ in fy.CLAUSE_BREAKS:
            break
        cur, steps = cur.head, steps + 1
    fact = fy.classify(head, lex)
    reason = fact.reason or ""
    if fact.value == fy.HYPOTHETICAL and reason.split(" ")[0].lower() in MAYBE:
        return None, fy.HYPOTHETICAL  # "Congress might soon vote on a $61bn package": not yet given
    if fact.value == fy.PLANNED or (fact.value == fy.HYPOTHETICAL and not reason.endswith("…")):
        # "will provide", "pledged to send", "would be heading to the front": pledges are told
        # in the future. Only a condition ("if Congress approves") or a wish ("hopes to send")
        # keeps a figure unreal.
        return None, fy.ASSERTED
    return None, fact.value


def find(v: SentenceView) -> list[Record]:
    text = v.text
    amounts = find_amounts(text)
    if not amounts:
        return _materiel(v)
    cues = v.ex.cues
    if not cues.aid_context.search(text):
        return []
    out = []
    donor_m, recipient, recipient_side = parties(v)
    lex = v.ex.lexicon
    for i, a in enumerate(amounts):
        # Words about this figure: up to the neighbouring figures, at most 60 characters off.
        lo = max(amounts[i - 1].end if i else 0, a.start - 60)
        hi = min(amounts[i + 1].start if i + 1 < len(amounts) else len(text), a.end + 60)
        window = text[lo:hi]
        if cues.aid_exclude.search(window):
            continue
        if _for_another_war(v, a.end, min(hi, a.end + 32)):
            continue  # "$61bn to Ukraine and $14bn to Israel": the second figure is not this war's aid
        if i and text[amounts[i - 1].end : a.start].strip() in (
            "(",
            "or",
            "/",
            "about",
            "roughly",
            "or about",
        ):
            continue  # "$61bn (£49bn)": the same figure in another currency
        rtype = None
        factuality = fy.ASSERTED
        if v.parsed is not None:
            tokens = v.parsed.span_tokens(a.start, a.end)
            if tokens:
                request, factuality = _governed(fy.span_head(tokens), lex)
                if factuality in (fy.NEGATED, fy.HYPOTHETICAL, fy.HABITUAL, fy.TOPIC):
                    continue
                if request == "component" and (out or i > 0):
                    continue  # a part of the figure just given
                rtype = None if request == "component" else request
        if rtype is None:
            rtype = next((k for k, rx in cues.aid_record_type if rx.search(window)), None)
        if rtype is None:
            rtype = next((k for k, rx in cues.aid_record_type if rx.search(text)), "announcement")
            if rtype == "cumulative" and len(amounts) > 1:
                rtype = "announcement"  # the total is said of another figure in the sentence
        aid_type = next((k for k, rx in cues.aid_type if rx.search(window)), None)
        aid_type = aid_type or next((k for k, rx in cues.aid_type if rx.search(text)), "unspecified")
        donor_m = parties(v, (a.start, a.end))[0] if i == 0 or donor_m is None else donor_m
        currency = a.currency
        if a.text.lstrip("~ ").startswith("$") and donor_m is not None:
            currency = cues.dollar_donors.get(donor_m.side, currency)
        confidence = 0.55 + 0.2 * (donor_m is not None) + 0.1 * (aid_type != "unspecified")
        out.append(
            Record(
                kind="aid",
                type=rtype,
                actors=sides([donor_m, recipient]),
                donor=donor_m.side if donor_m else None,
                recipient=recipient_side,
                amount=a.value,
                currency=currency,
                aid_type=aid_type,
                approximate=a.approximate or bool(cues.approximate.search(text[: a.start])),
                factuality=fy.PLANNED if rtype == "request" else fy.ASSERTED,
                confidence=round(confidence, 2),
                cue=a.text,
                mentions=mention_rows([donor_m], "donor")
                + mention_rows([recipient], "recipient")
                + v.source_rows(),
            )
        )
    return out


def _for_another_war(v: SentenceView, lo: int, hi: int) -> bool:
    """The figure goes "to" or "for" a party of neither side of this war (Israel, Taiwan): the
    party named right after it ("$14bn in military aid to Israel"), not one a clause later ("a
    $95bn measure that also included assistance for Israel")."""
    doc, sides_of_war = v.doc, v.ex.lexicon.war_sides
    for m in v.in_chars(v.actor_mentions, lo, hi):
        if m.start > v.tok_lo and doc[m.start - 1].lower_ in ("to", "for"):
            return m.side not in sides_of_war
    return False


def _materiel(v: SentenceView) -> list[Record]:
    """Aid counted in items ("providing 120 Bushmaster vehicles"), one record a sentence."""
    cues = v.ex.cues
    text = v.text
    m = cues.materiel.search(text)
    if m is None or not cues.materiel_verbs.search(text):
        return _announced(v)
    if cues.aid_exclude.search(text[max(0, m.start() - 60) : m.end() + 60]):
        return _announced(v)  # "the destruction of 579 tanks": losses counted, not aid
    n = m.group("n").lower().replace(",", "")
    count = int(n) if n.isdigit() else NUMBER_WORDS.get(n)
    donor_m, recipient, recipient_side = parties(v, (m.start("item"), m.end("item")))
    if donor_m is None:
        return []  # "six missiles were fired" is no aid: a donor must be named
    if recipient is None and not cues.aid_context.search(text):
        return []  # "Iskander divisions were transferred into positions": a force moved, no one given aid
    if v.parsed is not None:
        tokens = v.parsed.span_tokens(m.start("item"), m.end("item"))
        if tokens and _governed(fy.span_head(tokens), v.ex.lexicon)[1] in (fy.NEGATED, fy.HYPOTHETICAL):
            return []
    rtype = next((k for k, rx in cues.aid_record_type if rx.search(text)), "announcement")
    item = m.group("item").lower()
    return [
        Record(
            kind="aid",
            type=rtype,
            actors=sides([donor_m, recipient]),
            donor=donor_m.side,
            recipient=recipient_side,
            amount=count,
            materiel=item,
            aid_type=_item_aid_type(item),
            approximate=count is None or bool(cues.approximate.search(text[: m.start()])),
            confidence=0.6,
            cue=m.group(0),
            mentions=mention_rows([donor_m], "donor") + v.source_rows(),
        )
    ]


def _item_aid_type(item: str) -> str:
    return "humanitarian" if item.lower() in ("generators", "ambulances") else "military"


def _announced(v: SentenceView) -> list[Record]:
    """A package announced or pledged with no figure ("Lithuania announced a delivery of Stinger
    missiles", "Germany pledged to supply Kyiv with a third Patriot battery"): aid an analyst
    keeps, with no amount, rather than a statement that something was announced. The donor is
    the one who announces; what is given must be named as aid or handed over."""
    if v.parsed is None:
        return []
    cues, lex = v.ex.cues, v.ex.lexicon
    recipient = _recipient(v)
    skip = recipient.side if recipient else DEFAULT_RECIPIENT
    for t in v.parsed.doc:
        if t.pos_ != "VERB" or t.lemma_.lower() not in lex.announcing_verbs:
            continue
        after = [c for c in t.subtree if c.i > t.i]
        if not after:
            continue
        content = v.parsed.doc[after[0].i : after[-1].i + 1].text
        item = cues.materiel_item.search(content)
        aid_type = next((k for k, rx in cues.aid_type if rx.search(content)), None)
        if aid_type is None and item is not None:
            aid_type = _item_aid_type(item.group(0))
        given = any(c.lower_ in lex.aid_nouns or (c.pos_ == "VERB" and cues.materiel_verbs.fullmatch(c.text))
                    for c in after)  # fmt: skip
        if aid_type is None or not given:
            continue
        if fy.classify(t, lex).value not in (fy.ASSERTED, fy.ALLEGED):
            continue
        subj = speakers.subject_of(t)
        donors = [m for m in v.actors_under(subj) if m.side != skip] if subj else []
        if not donors:
            continue
        rtype = next((k for k, rx in cues.aid_record_type if rx.search(content)), "announcement")
        return [
            Record(
                kind="aid",
                type="announcement" if rtype == "cumulative" else rtype,
                actors=sides([donors[0], recipient]),
                donor=donors[0].side,
                recipient=recipient.side if recipient else DEFAULT_RECIPIENT,
                materiel=item.group(0).lower() if item else None,
                aid_type=aid_type,
                confidence=0.6,  # the floor: no figure, so less sure than a counted package
                cue=t.text,
                mentions=mention_rows([donors[0]], "donor")
                + mention_rows([recipient], "recipient")
                + v.source_rows(),
            )
        ]
    return []


def parties(
    v: SentenceView, at: tuple[int, int] | None = None
) -> tuple[Mention | None, Mention | None, str | None]:
    """Donor and recipient mentions of an aid sentence, and the recipient's side: aid in war
    news goes to Ukraine unless the sentence names someone else. `at` (the figure's characters)
    lets the donor be the subject of the verb that gives it."""
    recipient = _recipient(v)
    donor = _giver(v, recipient, at) or _donor(v, recipient)
    side = recipient.side if recipient else None
    if side is None and (donor is None or donor.side != DEFAULT_RECIPIENT):
        side = DEFAULT_RECIPIENT
    if donor is not None and donor.side == side:
        donor = None  # nobody gives aid to itself: the donor is someone the sentence does not name
    return donor, recipient, side


def _recipient(v: SentenceView) -> Mention | None:
    doc, vocab = v.doc, v.ex.vocab
    for m in v.actor_mentions + v.place_mentions:
        if m.start > v.tok_lo and doc[m.start - 1].lower_ in ("to", "for"):
            if m.kind == "actor" or vocab.actor(m.name) is not None:
                return m if m.kind == "actor" else _as_actor(m, vocab)
    for m in v.actor_mentions + v.place_mentions:
        if m.name == DEFAULT_RECIPIENT:
            return m if m.kind == "actor" else _as_actor(m, vocab)
    return None


def _giver(v: SentenceView, recipient: Mention | None, at: tuple[int, int] | None) -> Mention | None:
    """The subject (or passive agent) of the verb the figure is an argument of: "after the UK
    pledged 14 tanks" gives the UK, whatever actor the sentence names first."""
    if at is None or v.parsed is None:
        return None
    tokens = v.parsed.span_tokens(*at)
    if not tokens:
        return None
    verb = fy.anchor_verb(fy.span_head(tokens))
    if verb.pos_ not in fy.VERBAL:
        return None
    subj = speakers.subject_of(verb)
    if subj is None:
        return None
    skip = recipient.side if recipient else None
    found = [m for m in v.actors_under(subj) if m.side != skip]
    return found[0] if found else None


def _donor(v: SentenceView, recipient: Mention | None) -> Mention | None:
    skip = recipient.side if recipient else None
    for s in v.sources:
        if s["actor"] != skip:
            return s["_mention"]
    for m in v.actor_mentions:
        if m.side != skip:
            return m
    return None


def _as_actor(place_mention: Mention, vocab) -> Mention:
    actor = vocab.actor(place_mention.name)
    return Mention("actor", actor.name, actor.represents, place_mention.start, place_mention.end,
                   place_mention.start_char, place_mention.end_char, place_mention.text)  # fmt: skip
