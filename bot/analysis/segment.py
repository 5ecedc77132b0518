"""Sentence spans over the exact input, trimmed of surrounding white space.

A line break always ends a sentence (see ``nlp.newline_boundaries``); this module turns spaCy's
sentences into the trimmed, non-empty ``[start, end)`` spans that the contract indexes.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence: its position among the sentences and its character range."""

    index: int
    start: int
    end: int
    token_start: int
    token_end: int


def sentences(doc: Doc) -> list[Sentence]:
    """Return the trimmed, non-blank sentences of ``doc`` in order."""
    out: list[Sentence] = []
    for sent in doc.sents:
        trimmed = _trim(sent)
        if trimmed is None:
            continue
        first, last = trimmed
        out.append(Sentence(len(out), first.idx, last.idx + len(last.text), first.i, last.i + 1))
    return out


def _trim(sent: Span) -> tuple[Token, Token] | None:
    tokens = [t for t in sent if not t.is_space]
    if not tokens:
        return None
    return tokens[0], tokens[-1]


def title(text: str, sents: list[Sentence]) -> str | None:
    """Return the first line as a title when it looks like a headline (short, no final stop)."""
    if not sents:
        return None
    first = sents[0]
    line = text[first.start : first.end]
    if "\n" in text[first.end :] and len(line) <= 200 and not line.endswith((".", "?", "!", '"', "”")):
        return line
    return None
