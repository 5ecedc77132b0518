"""Extractive summary. PLACEHOLDER: lead-N only, to be replaced by the real summariser."""

from __future__ import annotations

from spacy.tokens import Doc

from bot.analysis.segment import Sentence


def default_length(n_sentences: int) -> int:
    """Pick a summary length from the article length."""
    return max(1, min(5, n_sentences // 8 + 2)) if n_sentences else 0


def summarize(doc: Doc, sents: list[Sentence], method: str, n: int) -> list[int]:
    """Return the indices of the chosen sentences, in document order."""
    return list(range(min(n, len(sents))))
