"""The aid ledger: one row per commitment (like the Kiel Support Tracker), every report of it a source.

Rules (settings in data/derive.yaml):

1. Each money figure gets a donor side (the donor actor rolled up to the side it represents), a
   recipient (the actor named right after the figure, "$14bn to Israel", else the extractor's),
   a stage (the extractor's `request` or `delivery`, else cue words in its sentence, else
   announced) and USD and EUR values at the ECB reference rate of its date.
2. Kept apart and never counted as aid to Ukraine: a donor equal to the recipient (dropped, with
   the reason), a recipient other than Ukraine, a figure whose sentence names other recipients
   beside Ukraine without giving Ukraine's share, a figure without a donor, the donor's own
   budget, and requests (stage requested) until a later stage of the same line.
3. Same donor, amounts equal within rounding (`rounding_same_currency`, or after conversion
   `rounding_other_currency`), compatible aid types and dates within `commitment_days` of the
   commitment's first report: one commitment, whatever the stage each report describes; its
   stage is the furthest any report gives.
4. A requested commitment and the first later commitment of the same donor and amount within
   `line_days` form one line; only the line's furthest commitment is counted.
5. Running totals (record type cumulative) are a series per donor: deduplicated the same way,
   the latest marked, never summed. Corrections form their own series, each linked to the
   donor's previous correction it revises.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

import duckdb
import pandas as pd

from analytics.derive.common import Clusters, factuality_expr, frame, outlet_expr, settings

UKRAINE = "Ukraine"
STAGES = ("requested", "announced", "committed", "allocated", "delivered")
STAGE_RANK = {s: i for i, s in enumerate(STAGES)}
RATE_SOURCE = "ECB reference rate (currencyconverter package)"
FOLLOW_CHARS = 60  # how far after a figure its recipient is looked for
MONEY_START = re.compile(r"[$€£¥]|\b\d")


@lru_cache(maxsize=1)
def _converter():
    from currency_converter import CurrencyConverter

    return CurrencyConverter(fallback_on_missing_rate=True)


def convert(
    amount: float | None, currency: str | None, on: dt.date | None
) -> tuple[float | None, float | None, dt.date | None]:
    """(USD, EUR, the rate date used) for an amount on a day; None where the ECB has no rate."""
    if amount is None or not currency or on is None:
        return None, None, None
    c = _converter()
    if currency not in c.currencies:
        return None, None, None
    first, last = c.bounds[currency]
    day = min(max(on, first), last)  # outside the file's range: its nearest day, said in rate_date
    try:
        return c.convert(amount, currency, "USD", date=day), c.convert(amount, currency, "EUR", date=day), day
    except (ValueError, KeyError, LookupError):  # RateNotFoundError subclasses LookupError
        return None, None, None


def load_aid(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Aid figures that count (not alleged), with the donor's side, sentence and outlet."""
    fact = factuality_expr(con, "aid_figures", "a")
    sql = f"""
        SELECT a.record_id, a.doc_id, a.sentence_no, a.cue, a.record_type,
               coalesce(da.represents, a.donor) AS donor, coalesce(ra.represents, a.recipient) AS recipient,
               a.amount, a.currency, a.aid_type, a.materiel, coalesce(a.date, d.published) AS date,
               a.date_precision, s.text AS sentence, {outlet_expr("d")} AS outlet, {fact} AS factuality
        FROM aid_figures a
        JOIN documents d ON d.doc_id = a.doc_id
        LEFT JOIN sentences s ON s.doc_id = a.doc_id AND s.sentence_no = a.sentence_no
        LEFT JOIN actors da ON da.name = a.donor
        LEFT JOIN actors ra ON ra.name = a.recipient
        WHERE coalesce({fact}, 'asserted') IN ('asserted', 'planned') AND a.amount IS NOT NULL
        ORDER BY a.record_id
    """  # noqa: S608 - fact is a fixed expression
    df = frame(con, sql)
    return df.astype(object).where(df.notna(), None)


def load_state_aliases(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """alias -> side, for actors that can receive aid (states and international organisations)."""
    rows = con.execute(
        """SELECT al.alias, a.represents FROM actor_aliases al JOIN actors a ON a.name = al.actor
           WHERE a.kind IN ('state', 'international organisation') AND length(al.alias) > 1"""
    ).fetchall()
    return {alias: side for alias, side in rows}


class _Text:
    """Recipient and stage rules over a figure's sentence."""

    def __init__(self, aliases: dict[str, str], cfg: dict):
        names = sorted(aliases, key=len, reverse=True)
        # Short aliases (US, UK, EU) only in capitals, so "us" and "eu-" in words are not donors.
        alt = "|".join(f"(?-i:{re.escape(n)})" if len(n) <= 3 else re.escape(n) for n in names) or "(?!)"
        self.aliases = {n.lower(): s for n, s in aliases.items()}
        conn = cfg.get("recipient_connectors", "(?:to|for|towards)(?: \\w+){0,2} ")
        # The sentence is scanned once for names (the big alternation); the rules then look only at the
        # few words before or between names.
        self.anywhere = re.compile(rf"(?<!\w)(?P<name>{alt})(?!\w)", re.I)
        self.connector_before = re.compile(rf"\b{conn}(?:the )?$", re.I)
        self.recipient_before = re.compile(r"\b(?:to|for|and|&)\s+(?:the\s+)?$", re.I)
        self.joiner = re.compile(r"^\W*(?:,|and|&)\s+(?:the\s+)?$", re.I)
        self.possessive = re.compile(r"^['’]s\b")
        self._names: dict[str, list[tuple[int, int, str]]] = {}
        self.stages = [(stage, re.compile(r"\b(?:" + "|".join(cues) + r")\b", re.I))
                       for stage, cues in cfg.get("stage_cues", {}).items()]  # fmt: skip
        self.not_aid = re.compile(r"\b(?:" + "|".join(cfg.get("not_aid_cues", [])) + r")\b", re.I) \
            if cfg.get("not_aid_cues") else None  # fmt: skip

    def side(self, name: str) -> str | None:
        return self.aliases.get(name.lower())

    def names(self, sentence: str) -> list[tuple[int, int, str]]:
        """(start, end, side) of every state or organisation named, once per sentence."""
        found = self._names.get(sentence)
        if found is None:
            found = [(m.start(), m.end(), s) for m in self.anywhere.finditer(sentence)
                     if (s := self.side(m.group("name")))]  # fmt: skip
            self._names[sentence] = found
        return found

    def recipient_after(self, sentence: str, end: int) -> tuple[str | None, str | None]:
        """The actor named right after the figure ("$14bn to Israel"), and another one joined to it
        ("for Ukraine and Israel")."""
        tail = sentence[end : end + FOLLOW_CHARS]
        nxt = MONEY_START.search(tail)
        limit = end + (nxt.start() if nxt else len(tail))  # the next figure has its own recipient
        names = self.names(sentence)
        for i, (start, stop, side) in enumerate(names):
            if start < end or stop > limit or not self.connector_before.search(sentence[end:start]):
                continue
            after = names[i + 1] if i + 1 < len(names) else None
            joined = after[2] if after and self.joiner.match(sentence[stop : after[0]]) else None
            return side, joined
        return None, None

    def sides_named(self, sentence: str) -> frozenset[str]:
        """Every state or organisation the sentence names, as sides."""
        return frozenset(side for _, _, side in self.names(sentence))

    def recipients_in(self, sentence: str) -> set[str]:
        """Names standing as a recipient anywhere in the sentence: after to / for / and, not possessive."""
        return {side for start, stop, side in self.names(sentence)
                if self.recipient_before.search(sentence[max(0, start - 12):start])
                and not self.possessive.match(sentence[stop:])}  # fmt: skip

    def stage(self, record_type: str | None, sentence: str) -> tuple[str, bool]:
        """The stage a figure's sentence gives, and whether it says so (False: announced by default)."""
        if record_type == "request":
            return "requested", True
        if record_type == "delivery":
            return "delivered", True
        for stage, rx in self.stages:
            if rx.search(sentence):
                return stage, True
        return "announced", False


def classify(df: pd.DataFrame, aliases: dict[str, str], cfg: dict) -> pd.DataFrame:
    """Per figure: series, recipient, stage, why it is not counted, USD and EUR."""
    text = _Text(aliases, cfg)
    out = []
    for r in df.itertuples(index=False):
        sentence = r.sentence or ""
        recipient, why_recipient = r.recipient, "as extracted"
        # Where the figure ends in its sentence: its cue ("$61bn"), else nowhere (no recipient after it).
        pos = sentence.find(r.cue) if r.cue else -1
        after, joined = text.recipient_after(sentence, pos + len(r.cue)) if pos >= 0 else (None, None)
        if after:
            recipient, why_recipient = after, f"named right after the figure ({after})"
        series = {"cumulative": "running total", "correction": "correction"}.get(r.record_type, "commitment")
        if not r.currency:
            series = "materiel"
        excluded = None
        if not r.donor:
            excluded = "no donor named"
        elif r.donor == recipient:
            excluded = f"dropped: donor equals recipient ({r.donor})"
        elif recipient and recipient != UKRAINE:
            excluded = f"recipient is {recipient}, not Ukraine"
        elif text.not_aid and text.not_aid.search(sentence):
            excluded = "the sentence gives the donor's own budget or spending, not aid"
        else:
            others = ({joined} if joined else set()) | (set() if after else text.recipients_in(sentence))
            others -= {UKRAINE, r.donor, None}
            if others:
                excluded = (
                    f"covers other recipients too ({', '.join(sorted(others))}); no Ukraine share given"
                )
        date = r.date if isinstance(r.date, dt.date) else None
        stage, stage_said = text.stage(r.record_type, sentence)
        usd, eur, rate_date = (
            convert(r.amount, r.currency, date) if series != "materiel" else (None, None, None)
        )
        out.append({
            "record_id": r.record_id, "doc_id": r.doc_id, "sentence_no": r.sentence_no, "donor": r.donor,
            "recipient": recipient, "recipient_basis": why_recipient, "series": series,
            "stage": stage, "stage_said": stage_said, "aid_type": r.aid_type or "unspecified",
            "day_precise": r.date_precision == "day",
            "amount": r.amount, "currency": r.currency, "materiel": r.materiel, "date": date,
            "amount_usd": usd, "amount_eur": eur, "rate_date": rate_date, "excluded": excluded,
            "outlet": r.outlet, "named": text.sides_named(sentence),
        })  # fmt: skip
    return pd.DataFrame(
        out,
        columns=[
            "record_id",
            "doc_id",
            "sentence_no",
            "donor",
            "recipient",
            "recipient_basis",
            "series",
            "stage",
            "stage_said",
            "day_precise",
            "aid_type",
            "amount",
            "currency",
            "materiel",
            "date",
            "amount_usd",
            "amount_eur",
            "rate_date",
            "excluded",
            "outlet",
            "named",
        ],
    )


def same_amount(a: dict, b: dict, cfg: dict) -> str | None:
    """Why two figures are the same amount, or None."""
    if a["currency"] == b["currency"] or a["amount_usd"] is None or b["amount_usd"] is None:
        if a["currency"] != b["currency"] or not a["amount"] or not b["amount"]:
            return None
        rel = abs(a["amount"] - b["amount"]) / max(a["amount"], b["amount"])
        return "same amount within rounding" if rel <= cfg.get("rounding_same_currency", 0.025) else None
    rel = abs(a["amount_usd"] - b["amount_usd"]) / max(a["amount_usd"], b["amount_usd"])
    if rel <= cfg.get("rounding_other_currency", 0.08):
        return f"same amount after conversion ({a['currency']} / {b['currency']})"
    return None


def _types_agree(a: str, b: str) -> bool:
    return a == b or "unspecified" in (a, b)


@dataclass
class _Commitment:
    cid: int
    first: dict
    date: dt.date
    types: set = field(default_factory=set)


def cluster_ledger(fig: pd.DataFrame, cfg: dict) -> Clusters:
    """Figures clustered into commitments, per (series, donor, recipient, exclusion), in date order."""
    clusters = Clusters()
    days = int(cfg.get("commitment_days", 60))
    fig = fig.assign(_d=fig.date.map(lambda d: d or dt.date.min), _ex=fig.excluded.fillna(""))
    fig = fig.sort_values(["series", "donor", "_d", "record_id"], na_position="first", kind="stable")
    open_by: dict[tuple, list[_Commitment]] = {}
    closed: list[_Commitment] = []
    for r in fig.to_dict("records"):
        key = (
            r["series"],
            r["donor"],
            r["recipient"],
            r["_ex"],
            r["materiel"] if r["series"] == "materiel" else "",
        )
        best, why = None, None
        for c in open_by.get(key, []):
            if r["date"] and c.date and (r["date"] - c.date).days > days:
                continue
            if not any(_types_agree(r["aid_type"], t) for t in c.types):
                continue
            reason = same_amount(c.first, r, cfg)
            if reason:
                best, why = c, reason
                break
        if best is None:
            cid = clusters.new(r["record_id"], "first report")
            open_by.setdefault(key, []).append(_Commitment(cid, r, r["date"], {r["aid_type"]}))
            # Commitments whose window has passed can no longer take reports: set aside.
            if r["date"]:
                closed.extend(c for c in open_by[key] if c.date and (r["date"] - c.date).days > days)
                open_by[key] = [c for c in open_by[key] if not c.date or (r["date"] - c.date).days <= days]
        else:
            clusters.add(best.cid, r["record_id"], f"same donor, {why}, within {days} days")
            best.types.add(r["aid_type"])
    _merge_named_donors(clusters, [c for cs in open_by.values() for c in cs] + closed, fig, cfg, days)
    return clusters


def _merge_named_donors(
    clusters: Clusters, commitments: list[_Commitment], fig: pd.DataFrame, cfg: dict, days: int
) -> None:
    """A figure credited to one donor whose sentence names another donor giving the same amount at the same
    time ("Stoltenberg welcomed the U.S. Congress's $61bn package") is that donor's commitment: moved into it.
    Blocked by (series, recipient, exclusion, donor): each commitment looks up only the donors its sentences name."""
    named = fig.groupby("record_id")["named"].first().to_dict() if len(fig) else {}
    live = {c.cid: c for c in commitments if c.cid in clusters.members}
    index: dict[tuple, list[_Commitment]] = {}
    for c in live.values():
        f = c.first
        index.setdefault((f["series"], f["recipient"], f["_ex"], f["donor"]), []).append(c)
    # Smallest first, so a stray report moves into the well-reported commitment, not the other way round.
    for c in sorted(live.values(), key=lambda c: (len(clusters.members[c.cid]), c.cid)):
        if c.cid not in clusters.members:
            continue
        f = c.first
        sides = set().union(*(named.get(m, frozenset()) for m in clusters.members[c.cid])) - {
            f["donor"],
            f["recipient"],
        }
        targets = [o for s in sorted(sides) for o in index.get((f["series"], f["recipient"], f["_ex"], s), [])
                   if o.cid in clusters.members and o.cid != c.cid
                   and len(clusters.members[o.cid]) >= len(clusters.members[c.cid])
                   and (not c.date or not o.date or abs((c.date - o.date).days) <= days)
                   and same_amount(o.first, f, cfg)]  # fmt: skip
        if targets:
            best = max(targets, key=lambda o: (len(clusters.members[o.cid]), -o.cid))
            clusters.merge(c.cid, best.cid, f"the sentence names {best.first['donor']}, giving the same amount within "
                                            f"{days} days: that donor's commitment")  # fmt: skip


def summarise(fig: pd.DataFrame, clusters: Clusters, cfg: dict) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(aid_ledger rows, aid_ledger_sources rows) from the clusters, with lines, counted and latest."""
    from analytics.derive.common import stable_id

    by_id = fig.set_index("record_id").to_dict("index")
    rows, sources = [], []
    for cid, members in clusters.groups():
        recs = [by_id[m] | {"record_id": m} for m in members if m in by_id]
        if not recs:
            continue
        commitment_id = stable_id("aid", members)
        # Canonical figure: the most reported (amount, currency); ties: the earliest report.
        counts: dict[tuple, int] = {}
        for x in recs:
            counts[(x["amount"], x["currency"])] = counts.get((x["amount"], x["currency"]), 0) + 1
        # Date of announcement: the earliest report dated to the day, else the earliest report.
        dated = sorted(recs, key=lambda x: (not x["day_precise"], x["date"] or dt.date.max, x["record_id"]))
        first_seen = {}
        for i, x in enumerate(dated):
            first_seen.setdefault((x["amount"], x["currency"]), i)
        amount, currency = min(counts, key=lambda k: (-counts[k], first_seen[k]))
        canon = dated[first_seen[(amount, currency)]]
        donors = [x["donor"] for x in recs if x["donor"]]
        donor = min(set(donors), key=lambda d: (-donors.count(d), d)) if donors else None
        date = dated[0]["date"]
        usd, eur, rate_date = (
            convert(amount, currency, date) if canon["series"] != "materiel" else (None, None, None)
        )
        types = [x["aid_type"] for x in recs if x["aid_type"] != "unspecified"]
        aid_type = max(sorted(set(types)), key=types.count) if types else "unspecified"
        # The furthest stage a report says; "announced" only when none says one.
        said = [x["stage"] for x in recs if x["stage_said"]] or ["announced"]
        stage = max(said, key=STAGE_RANK.get)
        rows.append({
            "commitment_id": commitment_id, "series": canon["series"], "donor": donor,
            "recipient": canon["recipient"], "stage": stage, "aid_type": aid_type, "date": date, "amount": amount,
            "currency": currency, "materiel": canon["materiel"], "amount_usd": usd, "amount_eur": eur,
            "rate_date": rate_date, "rate_source": RATE_SOURCE if rate_date else None, "n_reports": len(recs),
            "n_articles": len({x["doc_id"] for x in recs}), "n_outlets": len({x["outlet"] for x in recs}),
            "excluded": canon["excluded"], "corrected": cid in clusters.corrected,
        })  # fmt: skip
        for m in members:
            x = by_id[m]
            sources.append({"commitment_id": commitment_id, "record_id": m, "doc_id": x["doc_id"],
                            "sentence_no": x["sentence_no"], "stage": x["stage"], "amount": x["amount"],
                            "currency": x["currency"],
                            "reason": clusters.reason[m] + f"; recipient {x['recipient_basis']}"})  # fmt: skip
    ledger = pd.DataFrame(rows)
    if ledger.empty:
        return _empty_ledger(), pd.DataFrame(sources)
    ledger = _lines(ledger, cfg)
    return ledger, pd.DataFrame(sources)


LEDGER_COLUMNS = ["commitment_id", "line_id", "series", "donor", "recipient", "stage", "aid_type", "date", "amount",
                  "currency", "materiel", "amount_usd", "amount_eur", "rate_date", "rate_source", "n_reports",
                  "n_articles", "n_outlets", "counted", "excluded_reason", "revises", "is_latest", "corrected"]  # fmt: skip


def _empty_ledger() -> pd.DataFrame:
    return pd.DataFrame(columns=LEDGER_COLUMNS)


def _lines(ledger: pd.DataFrame, cfg: dict) -> pd.DataFrame:
    """Link requests to their later stage, pick what is counted, mark latest totals, link revisions."""
    line_days = int(cfg.get("line_days", 400))
    ledger = ledger.sort_values(["date", "commitment_id"], na_position="last", kind="stable").reset_index(
        drop=True
    )
    ledger["line_id"] = ledger.commitment_id
    ledger["revises"] = None
    recs = ledger.astype(object).where(ledger.notna(), None).to_dict("records")
    by_donor: dict[str, list[dict]] = {}  # each donor's commitments in date order: the only candidates
    for r in recs:
        if r["series"] == "commitment":
            by_donor.setdefault(r["donor"], []).append(r)
    for rows in by_donor.values():
        for i, r in enumerate(rows):
            if r["stage"] == "requested" and r["line_id"] == r["commitment_id"]:
                _link_request(r, rows[i + 1 :], cfg, line_days)
    last_correction: dict[str, dict] = {}
    for r in recs:
        if r["series"] == "correction" and r["donor"]:
            prev = last_correction.get(r["donor"])
            if prev and r["date"] and prev["date"] and (r["date"] - prev["date"]).days <= line_days:
                r["revises"] = prev["commitment_id"]
            last_correction[r["donor"]] = r
    # Counted: aid to Ukraine, one commitment per line (its furthest stage, then latest), never a request.
    best_of_line: dict[str, dict] = {}
    for r in recs:
        if r["series"] == "commitment" and not r["excluded"]:
            cur = best_of_line.get(r["line_id"])
            if cur is None or (STAGE_RANK[r["stage"]], r["date"] or dt.date.min) > \
                    (STAGE_RANK[cur["stage"]], cur["date"] or dt.date.min):  # fmt: skip
                best_of_line[r["line_id"]] = r
    counted_ids = {r["commitment_id"] for r in best_of_line.values() if r["stage"] != "requested"}
    latest: dict[str, dict] = {}
    for r in recs:
        if r["series"] == "running total" and not r["excluded"]:
            cur = latest.get(r["donor"])
            if cur is None or (r["date"] or dt.date.min) >= (cur["date"] or dt.date.min):
                latest[r["donor"]] = r
    latest_ids = {r["commitment_id"] for r in latest.values()}
    line_sizes = Counter(r["line_id"] for r in recs)
    for r in recs:
        r["counted"] = r["commitment_id"] in counted_ids
        r["is_latest"] = r["commitment_id"] in latest_ids
        if r["counted"]:
            r["excluded_reason"] = None
        elif r["excluded"]:
            r["excluded_reason"] = r["excluded"]
        elif r["series"] != "commitment":
            r["excluded_reason"] = f"a {r['series']}, never summed as new aid"
        elif r["stage"] == "requested":
            r["excluded_reason"] = ("a request; its line's later stage is counted" if line_sizes[r["line_id"]] > 1
                                    else "a request, not aid")  # fmt: skip
        else:
            r["excluded_reason"] = "an earlier stage of a line counted at its later stage"
    return pd.DataFrame(recs)[LEDGER_COLUMNS]


def _link_request(request: dict, later_rows: list[dict], cfg: dict, line_days: int) -> None:
    """The first later commitment of the same donor, recipient and amount within line_days joins the request's line."""
    for later in later_rows:
        if later["stage"] == "requested":
            continue
        if request["date"] and later["date"] and (later["date"] - request["date"]).days > line_days:
            return
        if later["recipient"] == request["recipient"] and later["excluded"] == request["excluded"] and \
                _types_agree(request["aid_type"], later["aid_type"]) and same_amount(request, later, cfg):  # fmt: skip
            later["line_id"] = request["line_id"]
            return


def load_figures(con: duckdb.DuckDBPyConnection, cfg: dict | None = None) -> pd.DataFrame:
    cfg = cfg if cfg is not None else settings()["ledger"]
    return classify(load_aid(con), load_state_aliases(con), cfg)
