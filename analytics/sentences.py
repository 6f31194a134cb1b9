"""Sentence splitting with character offsets, on spaCy's blank English tokenizer.

spaCy's tokenizer already keeps "U.S.", "Gen." and "Mr." whole; on top of it we split at
line breaks (titles, paragraphs), keep closing quotes with the sentence they close, start a
new sentence at an opening quote, and do not split before a lower-case word.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import spacy
from spacy.attrs import IS_LOWER, IS_SPACE, ORTH, SPACY
from spacy.tokens import Doc

TERMINALS = {".", "!", "?", "…", "...", "!?", "?!"}
CLOSERS = {'"', "”", "’", "'", ")", "]", "»"}
OPENERS = {'"', "“", "‘", "'", "(", "[", "«"}
# Abbreviations the tokenizer leaves as a separate "." token in some contexts.
# No real sentence is this long; a longer run (a page pasted as one line) is cut in pieces.
MAX_SENTENCE_TOKENS = 250
ABBREVIATIONS = {
    "mr",
    "mrs",
    "ms",
    "dr",
    "gen",
    "lt",
    "col",
    "maj",
    "sgt",
    "capt",
    "st",
    "no",
    "vs",
    "approx",
}


@dataclass(frozen=True)
class Sentence:
    index: int
    start: int
    end: int
    text: str


@functools.cache
def nlp():
    english = spacy.blank("en")
    # The blank tokenizer keeps no per-character model state, so spaCy's 1M-character guard
    # (meant for the parser and NER) would only refuse long articles; the size limit on
    # files (corpus.max_article_bytes) is the guard here.
    english.max_length = 10**9
    # "of SBU.A photo was shared", "a war symbol.More on this": pages that lost the space after a
    # full stop. Two letters before it and a capital after it split the token, so the sentences part;
    # "U.S.A." and "e.g." keep theirs (one letter before each dot).
    infixes = [*english.Defaults.infixes, r"(?<=[a-z]{2})\.(?=[A-Z])", r"(?<=[A-Z]{2})\.(?=[A-Z])"]
    english.tokenizer.infix_finditer = spacy.util.compile_infix_regex(infixes).finditer
    return english


def tokenize(text: str) -> Doc:
    return nlp()(text)


def _starts(doc: Doc) -> list[int]:
    """Token indices that start a sentence.

    Works on the token attribute arrays rather than Token objects: building a Python object
    per token costs more than the tokenizer itself on a large corpus.
    """
    arr = doc.to_array([ORTH, IS_SPACE, IS_LOWER, SPACY]).tolist()
    strings = doc.vocab.strings
    terminals = {strings.add(t) for t in TERMINALS}
    closers = {strings.add(t) for t in CLOSERS}
    openers = {strings.add(t) for t in OPENERS}
    abbreviations = {strings.add(a) for a in ABBREVIATIONS} | {strings.add(a.title()) for a in ABBREVIATIONS}
    period = strings.add(".")
    starts = []
    boundary = True  # next real token starts a sentence
    seen_terminal = False
    n = len(arr)
    for i in range(n):
        orth, is_space, is_lower, _ = arr[i]
        if is_space:
            if "\n" in strings[orth]:
                boundary = True
                seen_terminal = False
            continue
        if seen_terminal:
            # Closing quotes/brackets glued to the terminal stay with it.
            if orth in closers and not arr[i - 1][3] and not arr[i - 1][1]:
                continue
            if orth in terminals:
                continue
            if is_lower and orth not in openers:
                seen_terminal = False  # "… the U.S. and …": no split before a lower-case word
            else:
                boundary = True
                seen_terminal = False
        if not boundary and starts and i - starts[-1] >= MAX_SENTENCE_TOKENS:
            boundary = True  # a run-on line with no punctuation: cut it so work stays linear
        if boundary:
            starts.append(i)
            boundary = False
        if orth in terminals:
            if (
                orth == period
                and i > 0
                and arr[i - 1][0] in abbreviations
                and not arr[i - 1][3]
                and i + 1 < n
            ):
                continue
            seen_terminal = True
    return starts


def split(text: str) -> list[Sentence]:
    """Sentences of `text` with offsets such that text[start:end] == sentence text."""
    return split_doc(tokenize(text))


def split_doc(doc: Doc, text: str | None = None) -> list[Sentence]:
    """Sentences of a tokenised text; pass `text` when at hand (doc.text rebuilds it)."""
    text = doc.text if text is None else text
    starts = _starts(doc)
    out: list[Sentence] = []
    for k, s in enumerate(starts):
        e = starts[k + 1] if k + 1 < len(starts) else len(doc)
        span = doc[s:e]
        a = span.start_char
        b = span.end_char
        b = a + len(text[a:b].rstrip())
        if b > a:
            out.append(Sentence(index=len(out), start=a, end=b, text=text[a:b]))
    return out
