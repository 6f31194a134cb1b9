"""Money figures in a sentence: "$3 billion", "€1.5bn", "£2.3 billion", "USD 500 million",
"400 million euros". Amounts come back as plain numbers with an ISO 4217 code."""

from __future__ import annotations

import re
from dataclasses import dataclass

SYMBOLS = {"$": "USD", "us$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₴": "UAH", "₽": "RUB",
           "c$": "CAD", "a$": "AUD", "ca$": "CAD", "au$": "AUD"}  # fmt: skip
CODES = ("USD", "EUR", "GBP", "UAH", "RUB", "JPY", "CAD", "AUD", "CHF", "SEK", "NOK", "DKK", "PLN", "CZK")
WORDS = {"dollars": "USD", "dollar": "USD", "euros": "EUR", "euro": "EUR", "us dollars": "USD", "pounds": "GBP",
         "sterling": "GBP", "hryvnias": "UAH", "hryvnia": "UAH", "hryvnas": "UAH", "roubles": "RUB",
         "rubles": "RUB", "yen": "JPY", "zlotys": "PLN", "zloty": "PLN", "kroner": "NOK", "kronor": "SEK",
         "francs": "CHF"}  # fmt: skip
MULTIPLIERS = {"trillion": 1e12, "tn": 1e12, "tr": 1e12, "billion": 1e9, "bn": 1e9, "b": 1e9,
               "million": 1e6, "mn": 1e6, "mln": 1e6, "m": 1e6, "thousand": 1e3, "k": 1e3}  # fmt: skip

NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
                "nine": 9, "ten": 10, "twenty": 20, "fifty": 50, "a hundred": 100, "one hundred": 100,
                "a": 1, "half a": 0.5, "an additional": 1, "an extra": 1, "a further": 1}  # fmt: skip
_WORDNUM = "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))
_NUM = rf"(?P<num>\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?|(?:{_WORDNUM})(?= (?:trillion|billion|million)))"
_MULT = r"(?:\s?(?P<mult>trillion|billion|million|thousand|bn|mn|mln|tn|m|b|k)(?![\w]))?"
_SYM = r"(?P<sym>US\$|CA?\$|AU?\$|\$|€|£|¥|₴|₽)"
_PATTERNS = [
    re.compile(rf"(?P<approx>~\s?)?{_SYM}\s?{_NUM}{_MULT}", re.I),
    re.compile(rf"\b(?P<code>{'|'.join(CODES)})\s?{_NUM}{_MULT}"),
    re.compile(rf"\b{_NUM}{_MULT}\s(?P<code>{'|'.join(CODES)})\b"),
    re.compile(rf"\b{_NUM}{_MULT}\s(?P<word>{'|'.join(sorted(WORDS, key=len, reverse=True))})\b", re.I),
]


@dataclass(frozen=True)
class Amount:
    value: float
    currency: str
    start: int
    end: int
    text: str
    approximate: bool = False


def find_amounts(text: str) -> list[Amount]:
    found: list[Amount] = []
    taken: list[tuple[int, int]] = []
    for pat in _PATTERNS:
        for m in pat.finditer(text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            g = m.groupdict()
            num = g["num"].lower()
            value = float(NUMBER_WORDS[num]) if num in NUMBER_WORDS else float(num.replace(",", ""))
            mult = (g.get("mult") or "").lower()
            value *= MULTIPLIERS.get(mult, 1)
            if g.get("sym"):
                currency = SYMBOLS[g["sym"].lower()]
            elif g.get("code"):
                currency = g["code"].upper()
            else:
                currency = WORDS[g["word"].lower()]
            if value.is_integer():
                value = int(value)
            taken.append((m.start(), m.end()))
            found.append(Amount(value, currency, m.start(), m.end(), m.group(0), bool(g.get("approx"))))
    return sorted(found, key=lambda a: a.start)


# A cheap test that a sentence may hold a figure (a currency sign, code or word near a digit),
# used to pick the sentences worth parsing.
AMOUNT_HINT = (
    r"[$€£¥₴₽]\s?\d|\d\s?(?:bn|mn|m)\b|\b(?:" + "|".join(CODES) + r")\b|\b(?:" + "|".join(WORDS) + r")\b"
)
