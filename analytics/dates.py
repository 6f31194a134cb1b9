"""Dates in a sentence, resolved against the article's publication date.

Finds temporal expressions with patterns (so "may" the verb and "a" the article are never
read as dates), parses them with dateparser relative to the publication date, and reports a
precision after ACLED's time_precision (day, week, month, year). Durations ("two-month
extension", "15-month-long invasion") are matched here too: dateparser does not read them.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from analytics import config, schemas

_MONTHS = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)"
)
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_YEAR = r"(?:19|20)\d{2}"
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

# Most specific first; each pattern has a named group `x` holding what dateparser reads.
_PATTERNS = [
    ("explicit", re.compile(rf"\b(?P<x>{_DAY} {_MONTHS},? {_YEAR})\b")),
    ("explicit", re.compile(rf"\b(?P<x>{_MONTHS} {_DAY},? {_YEAR})\b")),
    ("explicit", re.compile(rf"\b(?P<x>{_DAY} {_MONTHS})\b")),
    ("explicit", re.compile(rf"\b(?P<x>{_MONTHS} {_DAY})\b(?!\d)")),
    ("explicit", re.compile(rf"\b(?P<x>{_MONTHS},? (?:of )?{_YEAR})\b")),  # "March 2022", "May of 2023"
    # A bare month only after a word that makes it a time ("in May"), never "may" the verb.
    (
        "explicit",
        re.compile(rf"\b(?i:in|since|until|by|early|late|mid-|last|this|of|from|during) ?(?P<x>{_MONTHS})\b"),
    ),
    ("weekday", re.compile(r"\b(?P<x>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b")),
    (
        "relative",
        re.compile(
            r"\b(?P<x>yesterday|today|tonight|tomorrow|overnight|last night|this morning|"
            r"(?:earlier |later )?(?:this|last|next) (?:week|month|year)|(?:a|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|eighteen|twenty|thirty|\d{1,3}) "
            r"(?:days?|weeks?|months?|years?) ago)\b",
            re.I,
        ),
    ),
    ("explicit", re.compile(rf"\b(?i:in|since|during|by|of|until) (?i:early |late |mid-?)?(?P<x>{_YEAR})\b")),
]

_NUMBER_WORDS = {
    "a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "eighteen": 18, "twenty": 20,
    "thirty": 30, "sixty": 60, "ninety": 90, "120": 120,
}  # fmt: skip
_DURATION = re.compile(
    r"\b(?P<n>\d{1,3}|a|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|eighteen|"
    r"twenty|thirty|sixty|ninety)[- ](?P<unit>day|week|month|year)s?(?:[- ]long)?\s+(?P<noun>[a-z][a-z-]+(?: [a-z]+)?)",
    re.I,
)


_AGO = re.compile(r"(?P<n>\w+) (?P<unit>day|week|month|year)s? ago")


# "80 years since", "eight years of war", "two years into the invasion": a duration that ends
# at its anchor and counts back; "a two-month extension" runs forward from it.
_COUNTED_BACK = {"since", "ago", "of", "into", "after", "on"}
_SINCE = re.compile(r"\b(?:since|from)\s+(?:early |late |mid-)?$", re.I)
_DEADLINE = re.compile(r"\b(?:until|till|by)\s+$", re.I)
_YEARLESS_NOT = re.compile(r"\d{4}")  # a date with its year says which way it lies itself
_AHEAD = re.compile(
    r"\b(?:will|shall|is to|are to|plans? to|intends? to|aims? to|wants? to|expects? to|expected to|must|should)\b",
    re.I,
)
# "since Russia's invasion in 2022": the date of what a since-phrase counts from.
_SINCE_PHRASE = re.compile(
    r"\bsince\s+(?:(?:the|a|its|their|his|her|[\w-]+[’']s|[\w-]+)\s+){1,4}(?:in|of)\s+$", re.I
)


@dataclass(frozen=True)
class DateInfo:
    date: dt.date | None
    precision: str | None  # day | week | month | year
    basis: str  # text | document | none
    expression: str | None = None
    span_start: dt.date | None = None
    span_end: dt.date | None = None


@dataclass(frozen=True)
class Duration:
    n: int
    unit: str
    noun: str
    start: int
    end: int


def _anchor_file() -> dict:
    """anchors.yaml from $DASHBOARD_VOCAB_DIR when that folder has one, else the packaged file.
    Asked per sentence, so the folder is looked in once per setting, not on every call."""
    return _read_anchors(_anchors_path(str(config.get("DASHBOARD_VOCAB_DIR"))))


@functools.cache
def _anchors_path(folder: str) -> Path:
    return config.vocabulary_file("anchors.yaml", folder)


@functools.cache
def _read_anchors(path: Path) -> dict:
    return schemas.validate("anchors.yaml", yaml.safe_load(path.read_text(encoding="utf-8")), path)


def anchors() -> dict[str, dt.date]:
    return dict(_anchor_file()["anchors"])


def history_before() -> dt.date:
    return _anchor_file().get("history_before") or dt.date(2014, 1, 1)


def _history_phrases() -> re.Pattern:
    return _history_pattern(tuple(_anchor_file().get("history_phrases") or ["(?!x)x"]))


@functools.cache
def _history_pattern(phrases: tuple[str, ...]) -> re.Pattern:
    # keyed on the phrases, so an analyst's anchors.yaml is not answered from the packaged one's pattern
    return re.compile(r"\b(?:" + "|".join(phrases) + r")\b", re.I)


def is_history(sentence: str, when: DateInfo, published: dt.date | None = None) -> bool:
    """A sentence about history or old background, not news: dated before `history_before`,
    more than `background_days` before publication, or saying so ("the 18th century")."""
    if when.basis == "text" and when.date is not None:
        if when.date < history_before():
            return True
        days = _anchor_file().get("background_days")
        if published is not None and days and (published - when.date).days > days:
            return True
    return bool(_history_phrases().search(sentence))


@functools.cache
def _parser(base: dt.date, prefer: str = "past"):
    from dateparser.date import DateDataParser

    return DateDataParser(
        languages=["en"],
        settings={
            "RELATIVE_BASE": dt.datetime.combine(base, dt.time()),
            "PREFER_DATES_FROM": prefer,
            "RETURN_TIME_AS_PERIOD": True,
        },
    )


def add_months(d: dt.date, months: int) -> dt.date:
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    return dt.date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def shift(d: dt.date, n: int, unit: str) -> dt.date:
    unit = unit.lower()
    if unit == "day":
        return d + dt.timedelta(days=n)
    if unit == "week":
        return d + dt.timedelta(weeks=n)
    if unit == "month":
        return add_months(d, n)
    return add_months(d, 12 * n)


def _resolve(kind: str, expr: str, base: dt.date, prefer: str = "past") -> tuple[dt.date, str] | None:
    low = expr.lower()
    if kind == "weekday":
        # The latest such weekday on or before publication: news says "on Friday" of today too.
        if prefer == "future":  # "will meet on Friday": the next one, today included
            return base + dt.timedelta(days=(_WEEKDAYS.index(low) - base.weekday()) % 7), "day"
        back = (base.weekday() - _WEEKDAYS.index(low)) % 7
        return base - dt.timedelta(days=back), "day"
    if low in ("today", "tonight", "this morning"):
        return base, "day"
    if low in ("yesterday", "last night", "overnight"):
        return base - dt.timedelta(days=1), "day"
    ago = _AGO.fullmatch(low)
    if ago:  # "fifteen years ago": counted back here, since dateparser knows few number words
        n = int(ago["n"]) if ago["n"].isdigit() else _NUMBER_WORDS[ago["n"]]
        unit, d = ago["unit"], shift(base, -n, ago["unit"])
        if unit == "month":
            d = d.replace(day=1)
        elif unit == "year":
            d = d.replace(month=1, day=1)
        return d, unit  # the precision is the unit counted, as dateparser gives it
    quick = _strptime(expr, base, prefer)
    if quick is not None:
        return quick
    data = _parser(base, prefer).get_date_data(expr)
    if data is None or data.date_obj is None:
        return None
    d, period = data.date_obj.date(), data.period or "day"
    if period == "month":
        d = d.replace(day=1)
    elif period == "year":
        d = d.replace(month=1, day=1)
    return d, period


_FORMATS = (
    ("%d %B %Y", "day"),
    ("%B %d %Y", "day"),
    ("%d %b %Y", "day"),
    ("%b %d %Y", "day"),
    ("%B %Y", "month"),
    ("%b %Y", "month"),
    ("%Y", "year"),
)
_YEARLESS = (
    ("%d %B", "day"),
    ("%B %d", "day"),
    ("%d %b", "day"),
    ("%b %d", "day"),
    ("%B", "month"),
    ("%b", "month"),
)


def _strptime(expr: str, base: dt.date, prefer: str = "past") -> tuple[dt.date, str] | None:
    """The common written forms ("17 May 2023", "Feb. 24", "March 2022") without dateparser,
    which costs milliseconds a call; a date without a year is the latest one not after `base`."""
    e = re.sub(r"(?<=\d)(?:st|nd|rd|th)\b|[.,]", "", expr).strip()
    e = re.sub(r"\bSept\b", "Sep", e)
    e = re.sub(r"\s+of\s+(?=\d)", " ", e)  # "May of 2023"
    for fmt, precision in _FORMATS:
        try:
            d = dt.datetime.strptime(e, fmt).date()
            return d, precision
        except ValueError:
            continue
    for fmt, precision in _YEARLESS:
        try:
            d = dt.datetime.strptime(f"{e} {base.year}", f"{fmt} %Y").date()
        except ValueError:
            continue
        shift_years = -1 if prefer == "past" and d > base else 1 if prefer == "future" and d < base else 0
        if shift_years:
            try:
                d = d.replace(year=base.year + shift_years)
            except ValueError:  # 29 February
                d = d.replace(year=base.year + shift_years, day=28)
        if precision == "month":
            d = d.replace(day=1)
        return d, precision
    return None


def resolve(
    sentence: str, published: dt.date | None, published_precision: str | None = None, prefer: str = "past"
) -> DateInfo:
    """The date a sentence speaks of: its first temporal expression, else the publication date.
    `prefer` says which way a date without a year leans: "past" for what happened, "future"
    for what is planned ("talks will be held on 21 September")."""
    found = None
    running = None
    if published is not None:
        hits = []
        for kind, pat in _PATTERNS:
            for m in pat.finditer(sentence):
                hits.append((m.start("x"), -len(m.group("x")), kind, m.group("x")))
        for start, _, kind, expr in sorted(hits):
            # "is to take the area until May 9", "by March 1": a deadline without a year lies ahead.
            lean = prefer
            if (
                _DEADLINE.search(sentence[max(0, start - 8) : start])
                and not _YEARLESS_NOT.search(expr)
                and _AHEAD.search(sentence[:start])
            ):
                lean = "future"  # ... in a clause that looks ahead ("is to", "will", "wants to")
            r = _resolve(kind, expr, published, lean)
            if r is None:
                continue
            if _SINCE.search(sentence[max(0, start - 12) : start]) or _SINCE_PHRASE.search(
                sentence[max(0, start - 60) : start]
            ):
                # "since February 2022": a running state until publication, not a past date; a
                # later date in the sentence ("… since 2022, the palace said on Monday") is its own.
                running = running or DateInfo(published, published_precision or "day", "document", expr, r[0],
                                              published)  # fmt: skip
                continue
            found = (r[0], r[1], expr)
            break
        if found is None and running is not None:
            return running
    span = None
    for d in durations(sentence):
        if d.noun in anchors():
            continue  # "15-month-long invasion" dates the invasion, not this record
        start = found[0] if found else published
        if start is not None:
            span = (start, shift(start, d.n, d.unit))
            if d.noun in _COUNTED_BACK and published is not None and span[1] > published:
                # "80 years since", "eight years of war": what has happened counts back from
                # its anchor; only a planned item's span may reach past the publication date.
                span = (shift(published, -d.n, d.unit), published)
            break
    span_start, span_end = span or (None, None)
    if found:
        return DateInfo(found[0], found[1], "text", found[2], span_start, span_end)
    if published is not None:
        return DateInfo(published, published_precision or "day", "document", None, span_start, span_end)
    return DateInfo(None, None, "none")


def durations(sentence: str) -> list[Duration]:
    out = []
    for m in _DURATION.finditer(sentence):
        n = m.group("n").lower()
        value = int(n) if n.isdigit() else _NUMBER_WORDS[n]
        noun = m.group("noun").lower()
        head = noun.split()[0]
        # Keep "full-scale invasion" whole; otherwise the head noun is what is measured.
        noun = noun if noun in anchors() else head
        out.append(Duration(value, m.group("unit").lower(), noun, m.start(), m.end()))
    return out


def infer_published(text: str) -> tuple[dt.date, str] | None:
    """A publication month implied by an anchored duration ("15-month-long invasion")."""
    for d in durations(text):
        anchor = anchors().get(d.noun)
        if anchor is not None and d.unit in ("month", "year"):
            return shift(anchor, d.n, d.unit).replace(day=1), "month"
    return None
