"""The article reader's text: an article as Markdown with every character escaped, and the
sentences records came from highlighted and marked with their record numbers.

Article text never reaches the page as HTML or as live Markdown: every ASCII punctuation
character is backslash-escaped (CommonMark's escapes), so `<script>`, `[link](…)`, `*`, `$`
and `:emoji:` are shown as written.
"""

from __future__ import annotations

import re

import pandas as pd

KIND_LETTER = {"event": "E", "aid": "A", "diplomacy": "D", "statement": "S"}
_PUNCT = re.compile(r"([!-/:-@\[-`{-~])")


def escape_markdown(text: str) -> str:
    """Markdown that renders as exactly `text`: punctuation escaped, line breaks kept."""
    escaped = _PUNCT.sub(r"\\\1", text)
    # Keep paragraphs; a single newline becomes a hard line break. No other whitespace is meaningful.
    paragraphs = re.split(r"\n\s*\n", escaped)
    return "\n\n".join(p.strip().replace("\n", "  \n") for p in paragraphs if p.strip())


def record_markers(sentences: pd.DataFrame) -> dict[str, str]:
    """Record id -> marker (E1, S2, ...), numbered in reading order."""
    markers: dict[str, str] = {}
    for records in sentences["records"]:
        for rec in _records(records):
            markers[rec["record_id"]] = f"{KIND_LETTER.get(rec['kind'], 'R')}{len(markers) + 1}"
    return markers


def article_markdown(
    text: str, sentences: pd.DataFrame, markers: dict[str, str], focus: int | None = None
) -> str:
    """The article with sentences that produced records highlighted, each followed by its markers;
    the `focus` sentence (one a link opened) in its own colour and bold."""
    out: list[str] = []
    pos = 0
    for row in sentences.itertuples():
        records = _records(row.records)
        start, end = int(row.start_char), int(row.end_char)
        if start < pos or end > len(text):
            continue
        out.append(_plain(text[pos:start]))
        sentence = text[start:end]
        if focus is not None and int(row.sentence_no) == int(focus):
            tags = " ".join(f":blue-badge[{markers[r['record_id']]} {r['kind']}]" for r in records)
            body = escape_markdown(sentence).replace("\n", " ")
            out.append(f":red-background[**{body}**] :red-badge[opened sentence] {tags}".rstrip())
        elif records:
            tags = " ".join(f":blue-badge[{markers[r['record_id']]} {r['kind']}]" for r in records)
            body = escape_markdown(sentence).replace("\n", " ")
            out.append(f":orange-background[{body}] {tags}")
        else:
            out.append(_plain(sentence))
        pos = end
    out.append(_plain(text[pos:]))
    return "".join(out)


def context(sentences: pd.DataFrame, text: str, sentence_no: int, around: int = 1) -> list[tuple[int, str]]:
    """The sentence a link opens with `around` sentences either side: [(sentence_no, text)], in order."""
    rows = sentences[
        (sentences["sentence_no"] >= sentence_no - around)
        & (sentences["sentence_no"] <= sentence_no + around)
    ]
    return [(int(r.sentence_no), text[int(r.start_char) : int(r.end_char)]) for r in rows.itertuples()]


def _plain(segment: str) -> str:
    if not segment:
        return ""
    escaped = _PUNCT.sub(r"\\\1", segment)
    # Blank lines between paragraphs survive; other whitespace runs become one space.
    parts = re.split(r"\n\s*\n", escaped)
    return "\n\n".join(re.sub(r"\s+", " ", p) for p in parts)


def _records(value) -> list[dict]:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return []
    return list(value)


def with_markers(frame: pd.DataFrame, markers: dict[str, str]) -> pd.DataFrame:
    """The article's records table with the marker shown in the text, in reading order."""
    out = frame.assign(marker=frame["record_id"].map(markers))
    order = {m: i for i, m in enumerate(markers.values())}
    return out.sort_values("marker", key=lambda s: s.map(order)).reset_index(drop=True)
