"""Actor, place and theme mentions in a tokenised text, from the vocabularies.

Aliases are matched with spaCy's PhraseMatcher on NORM (lower-cased, apostrophes and
British/American spellings folded), except short all-caps aliases ("US", "UN") and an
actor's `exact` aliases, which match on ORTH so "us" the pronoun is never the United States.
Overlaps keep the longest match ("Russian Defense Ministry" over "Russian").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc
from spacy.util import filter_spans

from analytics.sentences import nlp
from analytics.vocab import Vocabulary, is_case_sensitive

# A place named after one of these words is where something happens, not who does it.
# ("from", "of", "to", "at" are not among them: "envoys from Turkey" act.)
PLACE_PREPOSITIONS = {
    "in", "across", "throughout", "inside", "near", "around", "within", "into", "outside",
    "over", "towards", "toward", "through", "along", "beyond",
    # "in Bavaria, southern Germany": a compass word before a country names the place.
    "northern", "southern", "eastern", "western", "central", "north", "south", "east", "west",
    "northeastern", "northwestern", "southeastern", "southwestern", "neighbouring", "neighboring",
}  # fmt: skip


@dataclass(frozen=True)
class Mention:
    kind: str  # actor | place
    name: str  # canonical entity (actor or place)
    side: str | None  # for actors: the side it represents
    start: int  # token index in the document
    end: int
    start_char: int
    end_char: int
    text: str


class MentionFinder:
    """Finds actor and place mentions in a spaCy Doc."""

    def __init__(self, vocab: Vocabulary):
        self.vocab = vocab
        shared = nlp()
        self._norm = PhraseMatcher(shared.vocab, attr="NORM")
        self._orth = PhraseMatcher(shared.vocab, attr="ORTH")
        self._labels: dict[int, tuple[str, str, str | None]] = {}
        for a in vocab.actors:
            self._add("actor", a.name, a.represents, a.aliases, a.exact_aliases)
        for p in vocab.places:
            self._add("place", p.name, None, p.aliases or (p.name,), p.exact_aliases)
        self.places = {p.name: p for p in vocab.places}
        self.themes = ThemeMatcher([t for t in vocab.themes if t.cues])

    def _add(self, kind: str, name: str, side: str | None, aliases, exact) -> None:
        key = f"{kind}:{name}"
        self._labels[shared_strings_add(key)] = (kind, name, side)
        loose = [a for a in aliases if not is_case_sensitive(a)]
        strict = [a for a in aliases if is_case_sensitive(a)] + list(exact)
        if loose:
            self._norm.add(key, list(nlp().tokenizer.pipe(loose)))
        if strict:
            self._orth.add(key, list(nlp().tokenizer.pipe(strict)))

    def find(self, doc: Doc) -> list[Mention]:
        from spacy.tokens import Span

        spans = []
        for match_id, s, e in list(self._norm(doc)) + list(self._orth(doc)):
            spans.append(Span(doc, s, e, label=match_id))
        kept = {(sp.start, sp.end) for sp in filter_spans(spans)}
        out, seen = [], set()
        # Every label on a kept span survives: "Ukraine" is both an actor and a place.
        for sp in sorted(spans, key=lambda x: (x.start, x.label)):
            kind, name, side = self._labels[sp.label]
            if (sp.start, sp.end) not in kept or (sp.start, kind, name) in seen:
                continue
            seen.add((sp.start, kind, name))
            out.append(Mention(kind, name, side, sp.start, sp.end, sp.start_char, sp.end_char, sp.text))
        return out


def shared_strings_add(key: str) -> int:
    return nlp().vocab.strings.add(key)


_FINDERS: dict[int, tuple[Vocabulary, MentionFinder]] = {}


def finder(vocab: Vocabulary) -> MentionFinder:
    """One matcher per vocabulary object (building it costs far more than using it)."""
    hit = _FINDERS.get(id(vocab))
    if hit is None or hit[0] is not vocab:
        hit = _FINDERS[id(vocab)] = (vocab, MentionFinder(vocab))
    return hit[1]


def cue_regex(words) -> re.Pattern:
    """One case-insensitive regex matching any of `words` (regex fragments) as whole words."""
    alts = sorted(words, key=len, reverse=True)
    return re.compile(r"(?<![\w-])(?:" + "|".join(alts) + r")(?![\w-])", re.I)


def theme_regex(cues) -> re.Pattern:
    """Theme cues: plain words, a trailing * matching any ending."""
    parts = [re.escape(c[:-1]) + r"\w*" if c.endswith("*") else re.escape(c) for c in cues]
    return cue_regex(parts)


_WORD = re.compile(r"[\w-]+")


class ThemeMatcher:
    """Which themes a sentence carries. Single-word cues are looked up in a set of the
    sentence's words (one pass, whatever the number of cues); only multi-word cues and
    prefix cues ("sanction*") need more, and those are few."""

    def __init__(self, themes):
        self.exact: dict[str, set[str]] = {}
        self.prefixes: list[tuple[str, str]] = []
        self.phrases: list[tuple[str, str, re.Pattern]] = []
        for t in themes:
            for cue in t.cues:
                c = cue.lower().replace("’", "'")
                if " " in c or not _WORD.fullmatch(c.rstrip("*")):
                    # Checked with a substring test first, the regex only to confirm.
                    self.phrases.append((t.name, c.rstrip("*"), theme_regex([cue])))
                elif c.endswith("*"):
                    self.prefixes.append((c[:-1], t.name))
                else:
                    self.exact.setdefault(c, set()).add(t.name)
        self.order = [t.name for t in themes]
        self.prefix_tuple = tuple(p for p, _ in self.prefixes)

    def __call__(self, text: str) -> list[str]:
        found: set[str] = set()
        low = text.lower().replace("’", "'")
        for w in _WORD.findall(low):
            hit = self.exact.get(w)
            if hit:
                found |= hit
            if w.startswith(self.prefix_tuple):
                found.update(name for p, name in self.prefixes if w.startswith(p))
        for name, literal, rx in self.phrases:
            if name not in found and literal in low and rx.search(text):
                found.add(name)
        return [n for n in self.order if n in found]
