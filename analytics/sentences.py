"""Sentence splitting with character offsets, on spaCy's blank English tokenizer.

spaCy's tokenizer already keeps "U.S.", "Gen." and "Mr." whole; on top of it we split at
line breaks (titles, paragraphs), keep closing quotes with the sentence they close, start a
new sentence at an opening quote, and do not split before a lower-case word.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass

import spacy
from spacy.tokens import Doc

TERMINALS = {".", "!", "?", "…", "...", "!?", "?!"}
CLOSERS = {'"', "”", "’", "'", ")", "]", "»"}
OPENERS = {'"', "“", "‘", "'", "(", "[", "«"}
# Abbreviations the tokenizer leaves as a separate "." token in some contexts.
ABBREVIATIONS = {"mr", "mrs", "ms", "dr", "gen", "lt", "col", "maj", "sgt", "capt", "st", "no", "vs", "approx"}


@dataclass(frozen=True)
class Sentence:
    index: int
    start: int
    end: int
    text: str


@functools.cache
def nlp():
    return spacy.blank("en")


def tokenize(text: str) -> Doc:
    return nlp()(text)


def _starts(doc: Doc) -> list[int]:
    """Token indices that start a sentence."""
    starts = []
    boundary = True  # next real token starts a sentence
    seen_terminal = False
    n = len(doc)
    for i, tok in enumerate(doc):
        if tok.is_space:
            if "\n" in tok.text:
                boundary = True
                seen_terminal = False
            continue
        if seen_terminal:
            # Closing quotes/brackets glued to the terminal stay with it.
            prev = doc[i - 1]
            if tok.text in CLOSERS and not prev.whitespace_ and not prev.is_space:
                continue
            if tok.text in TERMINALS:
                continue
            if tok.is_lower and tok.text not in OPENERS:
                seen_terminal = False  # "… the U.S. and …": no split before a lower-case word
            else:
                boundary = True
                seen_terminal = False
        if boundary:
            starts.append(i)
            boundary = False
        if tok.text in TERMINALS or (tok.text.endswith(("!", "?")) and len(tok.text) > 1 and tok.is_punct):
            before = doc[i - 1].lower_ if i > 0 else ""
            if tok.text == "." and before in ABBREVIATIONS and i + 1 < n and not doc[i - 1].whitespace_:
                continue
            seen_terminal = True
    return starts


def split(text: str) -> list[Sentence]:
    """Sentences of `text` with offsets such that text[start:end] == sentence text."""
    return split_doc(tokenize(text))


def split_doc(doc: Doc) -> list[Sentence]:
    text = doc.text
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
