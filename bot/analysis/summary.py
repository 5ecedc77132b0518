"""Extractive summary: choose whole input sentences, returned in document order.

Methods: ``byline`` (default; see ``centrality``), ``lead`` (the first sentences), and sumy's
``lexrank``, ``textrank``, ``lsa`` and ``luhn`` run on our own sentences and words (``sumy_adapter``).
A headline (first line without a full stop) is never chosen: it is the title, shown apart, and it
is rarely a sentence that stands on its own.
"""

from __future__ import annotations

import math

from spacy.tokens import Doc

from bot.analysis import centrality, sumy_adapter
from bot.analysis.doctext import doc_text
from bot.analysis.heading import heading_end
from bot.analysis.segment import Sentence
from bot.config import SUMMARY_METHODS
from bot.errors import ConfigError

# The config validates names against this same tuple; the tests check every name has an implementation.
METHODS: tuple[str, ...] = SUMMARY_METHODS

MIN_LENGTH = 1
MAX_LENGTH = 7


def default_length(n_sentences: int) -> int:
    """Pick a summary length that grows with the article, slowly (about log2 of its sentence count).

    1-3 sentences -> 1, 4-7 -> 2, 8-15 -> 3, 16-31 -> 4, then one more per doubling, up to 7.
    """
    if n_sentences <= 0:
        return 0
    return max(MIN_LENGTH, min(MAX_LENGTH, int(math.log2(n_sentences))))


def eligible(doc: Doc, sents: list[Sentence]) -> list[int]:
    """Indices of the sentences a summary may use: all but those of the heading (the page furniture above it, the
    headline, one or the parts it was split into, and a deck; see ``heading``), and those without a word (a lone "!",
    a row of dashes, a list's "1."): they say nothing."""
    text = doc_text(doc)
    after = heading_end(doc, text, sents, strict=True)
    return [s.index for s in worded(text, sents) if s.start >= after]


def worded(text: str, sents: list[Sentence]) -> list[Sentence]:
    """The sentences that hold at least one letter."""
    return [s for s in sents if any(ch.isalpha() for ch in text[s.start : s.end])]


def summarize(doc: Doc, sents: list[Sentence], method: str, n: int) -> list[int]:
    """Return the indices of ``n`` chosen sentences (fewer if the text is short), in document order."""
    if method not in METHODS:
        raise ConfigError(f"analysis.summary_method: unknown summary method {method!r}; "
                          f"choose one of {', '.join(METHODS)}")
    pool = eligible(doc, sents) or [s.index for s in worded(doc_text(doc), sents)] or list(range(len(sents)))
    if n <= 0 or not pool:
        return []
    if method == "lead":
        return pool[:n]
    if method == "byline":
        return centrality.rank(doc, sents, pool, n)
    return sumy_adapter.summarize(doc, sents, pool, method, n)
