"""Labels and descriptions of every column, dimension and measure the dashboard shows, declared once.

Charts take their axis titles from here, the Data page its `column_config`, and pages their
metric captions, so a column is called the same thing everywhere it appears.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Field:
    label: str
    description: str
    kind: str = "text"  # text | number | date | bool | money | long_text


FIELDS: dict[str, Field] = {
    # Records, all kinds
    "record_id": Field(
        "Record", "Stable identifier of the record (hash of article, sentence, kind, position)."
    ),
    "kind": Field("Kind", "Event, aid figure, diplomatic item or statement."),
    "type": Field("Type", "ACLED event type, aid record type, diplomatic item type or stance."),
    "subtype": Field("Sub-type", "ACLED sub-event type, aid type, or status of a diplomatic item."),
    "event_type": Field("Event type", "ACLED event type (Battles, Explosions/Remote violence, ...)."),
    "sub_event_type": Field("Sub-event type", "ACLED sub-event type."),
    "date": Field("Date", "Date the record refers to (start of its period when imprecise).", "date"),
    "date_precision": Field("Precision", "How precise the date is: day, week, month or year."),
    "date_basis": Field("Date basis", "'text': a date in the sentence; 'document': the publication date."),
    "period_start": Field("From", "First day the record may cover (span start, or its date).", "date"),
    "period_end": Field(
        "To", "Last day the record may cover (span end, or date widened by precision).", "date"
    ),
    "span_start": Field("Span start", "Start of a stated span, e.g. a two-month extension.", "date"),
    "span_end": Field("Span end", "End of a stated span.", "date"),
    "location": Field("Place", "Place named in the sentence."),
    "theatre": Field("Theatre", "Theatre of the war the place belongs to."),
    "unverified": Field("Unverified", "The text hedges it ('could not be independently verified').", "bool"),
    "confidence": Field(
        "Confidence",
        "How sure the extraction rules are of the record, 0-1 (from the evidence "
        "they found: a named actor, a place, a verb rather than a noun); imported "
        "rows 1. Below 0.7 a record is shown only with 'Confident records only' off.",
        "number",
    ),
    "factuality": Field(
        "Factuality",
        "asserted: the text states it happened; alleged: a named source claims it; "
        "planned: announced for later (never counted as done).",
    ),
    "cue": Field("Cue", "The words that made it a record."),
    "origin": Field(
        "Origin",
        "Where the record comes from: 'extracted' from an article's text, or the dataset "
        "it was imported from (acled, gdelt, eyes-on-russia).",
    ),
    "actors": Field("Actors", "Sides taking part, as the text names them rolled up to the side."),
    "themes": Field("Themes", "Themes of the record."),
    "fatalities": Field("Fatalities", "Fatalities, from imports that carry them.", "number"),
    # Provenance
    "sentence": Field("Sentence", "The sentence the record was extracted from.", "long_text"),
    "article": Field("Article", "Title of the article."),
    "article_file": Field("Article file", "File name of the article as ingested."),
    "published": Field("Published", "Publication date of the article.", "date"),
    "url": Field("URL", "Where the article was published, when known."),
    "doc_id": Field("Article id", "Identifier of the article (first 16 hex digits of its text hash)."),
    "sentence_no": Field(
        "Sentence no.", "0-based sentence number in the article (0 is the title).", "number"
    ),
    "start_char": Field("Start", "Character offset of the sentence start in the article text.", "number"),
    "end_char": Field("End", "Character offset of the sentence end in the article text.", "number"),
    # Aid
    "record_type": Field(
        "Record type",
        "announcement (new aid), cumulative (running total reported), "
        "delivery, or correction (revises an earlier figure).",
    ),
    "donor": Field("Donor", "Side giving the aid."),
    "recipient": Field("Recipient", "Side receiving the aid."),
    "amount": Field("Amount", "Amount in units of the currency.", "money"),
    "currency": Field("Currency", "ISO 4217 currency code."),
    "aid_type": Field("Aid type", "military, financial, humanitarian or unspecified."),
    "approximate": Field("Approx.", "The figure is given as approximate ('about', '~').", "bool"),
    "total": Field("Total", "Sum of amounts (per currency; never across currencies).", "money"),
    "figures": Field("Figures", "Number of aid figures.", "number"),
    # Diplomacy and statements
    "item_type": Field("Item type", "summit, talks, visit, sanctions, agreement, extension, ..."),
    "status": Field("Status", "planned, ongoing or held."),
    "participants": Field("Participants", "Sides taking part."),
    "speaker": Field("Speaker", "Side that speaks."),
    "stance": Field("Stance", "claims, denies, acknowledges, urges, threatens, accuses, ..."),
    "targets": Field("About", "Sides the statement is about or addressed to."),
    "claimed_by": Field("Claimed by", "Sides the text says report, claim, announce or acknowledge it."),
    "denied_by": Field("Denied by", "Sides the text says deny it."),
    "contested": Field("Contested", "Claimed by one side and denied by another.", "bool"),
    # Aggregates and places
    "records": Field("Records", "Number of records.", "number"),
    "events": Field("Events", "Number of events.", "number"),
    "items": Field("Items", "Number of diplomatic items.", "number"),
    "statements": Field("Statements", "Number of statements.", "number"),
    "articles": Field("Articles", "Number of articles.", "number"),
    "month": Field("Month", "Calendar month of the record's date.", "date"),
    "place": Field("Place", "Place named in the sentence."),
    "lat": Field("Latitude", "Latitude of the place.", "number"),
    "lon": Field("Longitude", "Longitude of the place.", "number"),
    "source": Field("Source", "Publisher of the article, when known."),
    "outlet": Field(
        "Outlet", "Publisher of the article: its metadata, its url's host, or the text naming itself."
    ),
    "match": Field("Match", "The sentence, with the words the search found in «».", "long_text"),
    "rank": Field("Rank", "Best match first (BM25 over the sentence's words).", "number"),
    "title": Field("Title", "Title of the article."),
    "name": Field("Name", "Name."),
    "description": Field("Description", "Description."),
    "first_published": Field("First published", "Earliest publication date.", "date"),
    "last_published": Field("Last published", "Latest publication date.", "date"),
    "n_sentences": Field("Sentences", "Number of sentences in the article.", "number"),
    "marker": Field(
        "#", "Marker of the record in the article text (E event, A aid, D diplomacy, S statement)."
    ),
    # Counted once (analytics/derive)
    "incidents": Field("Incidents", "Occurrences: reports of the same event clustered into one.", "number"),
    "reports": Field("Reports", "Records (sentences) behind it.", "number"),
    "incident_id": Field("Incident", "Stable identifier: hash of the reports it holds."),
    "n_reports": Field("Reports", "Records (sentences) reporting it.", "number"),
    "n_articles": Field("Articles", "Articles reporting it.", "number"),
    "n_outlets": Field(
        "Outlets", "Outlets reporting it (an article without a source counts as its own).", "number"
    ),
    "sides": Field("Sides", "Acting sides its reports name."),
    "n_corroborating": Field(
        "Datasets", "Imported dataset incidents (ACLED, Eyes on Russia) that match it.", "number"
    ),
    "corrected": Field("Corrected", "An analyst's split or join changed it.", "bool"),
    "commitment_id": Field("Commitment", "Stable identifier: hash of the reports it holds."),
    "line_id": Field("Line", "The commitment that opens its line (a request and its later appropriation)."),
    "stage": Field("Stage", "requested, announced, committed, allocated or delivered."),
    "amount_usd": Field("USD", "In US dollars at the ECB reference rate of the rate date.", "money"),
    "amount_eur": Field("EUR", "In euros at the ECB reference rate of the rate date.", "money"),
    "rate_date": Field("Rate date", "The day whose ECB reference rate converted it.", "date"),
    "counted": Field(
        "Counted", "Summed as aid to Ukraine (one commitment per line; never requests or totals).", "bool"
    ),
    "excluded_reason": Field("Why not counted", "Why it is kept apart from aid to Ukraine."),
    "is_latest": Field("Latest", "The donor's latest running total (shown, never summed).", "bool"),
    "pair_id": Field("Pair", "Stable identifier of a claim and its denial."),
    "claim_speaker": Field("Claimed by", "Side making the claim or accusation."),
    "claim_stance": Field("Claim", "claims, accuses, announces or acknowledges."),
    "claim_date": Field("Claim date", "Date of the claim.", "date"),
    "claim_sentence": Field("Claim sentence", "The sentence of the claim.", "long_text"),
    "claim_article": Field("Claim article", "Title of the claim's article."),
    "counter_speaker": Field("Denied by", "Side denying or rejecting it."),
    "counter_stance": Field("Denial", "denies or rejects."),
    "counter_date": Field("Denial date", "Date of the denial.", "date"),
    "counter_sentence": Field("Denial sentence", "The sentence of the denial.", "long_text"),
    "counter_article": Field("Denial article", "Title of the denial's article."),
    "reason": Field("Why linked", "The rule (or analyst) that joined them."),
    "shared_themes": Field("Shared themes", "Themes both statements carry."),
    "usd": Field("USD", "Sum in US dollars at each commitment's ECB reference rate.", "money"),
    "eur": Field("EUR", "Sum in euros at each commitment's ECB reference rate.", "money"),
    "commitments": Field("Commitments", "Number of commitments.", "number"),
}

KIND_LABELS = {
    "event": "Events",
    "aid": "Aid figures",
    "diplomacy": "Diplomatic items",
    "statement": "Statements",
}

# Where records come from: 'extracted' from article text, or the dataset a file was imported from.
ORIGIN_LABELS = {
    "extracted": "Extracted from articles",
    "acled": "ACLED import",
    "gdelt": "GDELT import",
    "eyes-on-russia": "Eyes on Russia import",
}


def origin_label(origin: str) -> str:
    return ORIGIN_LABELS.get(origin, f"{origin} import")


# Aid measures. New aid is only what is announced as new; running totals, deliveries and
# corrections are reported beside it, never added to it.
AID_NEW_TYPES = ("announcement",)
AID_RECORD_TYPE_LABELS = {
    "announcement": "New aid announced",
    "delivery": "Deliveries reported",
    "cumulative": "Running totals reported by the text",
    "correction": "Corrections (revisions, not new aid)",
}
AID_RECORD_TYPES = tuple(AID_RECORD_TYPE_LABELS)  # in the order the charts and tables show them

# Dimensions an analyst may tally aid by: the allow-list for identifiers in aid queries.
AID_DIMENSIONS = ("donor", "recipient", "aid_type", "record_type")


def label(name: str) -> str:
    f = FIELDS.get(name)
    return f.label if f else name.replace("_", " ").capitalize()


def description(name: str) -> str:
    f = FIELDS.get(name)
    return f.description if f else ""


def count_of(n: int | float | None, noun: str, plural: str | None = None) -> str:
    """'1 figure', '2 figures', '1,204 reports': a count and its noun, which agree."""
    n = int(n or 0)
    return f"{n:,} {noun if n == 1 else plural or noun + 's'}"


def size_text(n_bytes: int) -> str:
    """'20 MB' for 20 MiB, '1.5 MB', '800 kB': the way a file size limit reads, never '20.9715 MB'."""
    if n_bytes >= 2**20:
        return f"{round(n_bytes / 2**20, 1):g} MB"
    return f"{round(n_bytes / 2**10):g} kB"


def money(amount: float | None, currency: str | None) -> str:
    """$3.0 bn, £118.1 bn, 43.0 m UAH: compact, with the currency always stated."""
    if amount is None or amount != amount:
        return "amount not stated"
    symbol = {"USD": "$", "GBP": "£", "EUR": "€"}.get(currency or "", "")
    for size, suffix in ((1e12, " tn"), (1e9, " bn"), (1e6, " m"), (1e3, " k")):
        if abs(amount) >= size:
            text = f"{amount / size:,.1f}{suffix}"
            break
    else:
        text = f"{amount:,.0f}"
    return f"{symbol}{text}" if symbol else f"{text} {currency or ''}".strip()
