"""The text of a spaCy Doc, its quotations and its name words, each computed once per document.

``Doc.text`` joins every token on each access, so reading it per cue made attribution quadratic
in text length. Every module of the attribution finder reads the text through ``doc_text``.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable
from typing import TypeVar

from spacy.tokens import Doc
from spacy.tokens import Span as Tokens

from bot.analysis.quotes import Quote, QuoteIndex, find_quotes
from bot.analysis.result import Span

_KEY = "byline_text"
_QUOTES_KEY = "byline_quotes"
_QUOTE_INDEX_KEY = "byline_quote_index"
_NAMES_KEY = "byline_name_words"
_ENTS_KEY = "byline_entities"
_SENT_STARTS_KEY = "byline_sentence_starts"
_PER_SENTENCE_KEY = "byline_per_sentence"

T = TypeVar("T")


def doc_text(doc: Doc) -> str:
    """Return ``doc.text``, cached in the doc's ``user_data``."""
    text = doc.user_data.get(_KEY)
    if text is None:
        text = doc.text
        doc.user_data[_KEY] = text
    return text


def tokens_of(doc: Doc, span: Span | None) -> Tokens | None:
    """The tokens under a character span of the result (a cue, a source, a claim), widened to whole tokens."""
    return doc.char_span(span.start, span.end, alignment_mode="expand") if span is not None else None


def doc_quotes(doc: Doc) -> list[Quote]:
    """Return the document's quotations, found once and shared by the attribution finder and the flags."""
    quotes = doc.user_data.get(_QUOTES_KEY)
    if quotes is None:
        quotes = doc.user_data[_QUOTES_KEY] = find_quotes(doc_text(doc))
    return quotes


def quote_index(doc: Doc) -> QuoteIndex:
    """Return the index of the document's quotations ("which quote holds this offset?"), built once per doc."""
    index = doc.user_data.get(_QUOTE_INDEX_KEY)
    if index is None:
        index = doc.user_data[_QUOTE_INDEX_KEY] = QuoteIndex(doc_quotes(doc))
    return index


def name_words(doc: Doc) -> dict[str, int]:
    """Where each word that can stand for a named person or body is first usable: the last word of a person's
    or organisation's name, or a person's first name, mapped to the token index where that name ends.

    Built once per document, so looking a surname up is O(1) instead of a scan of every entity.
    """
    index = doc.user_data.get(_NAMES_KEY)
    if index is None:
        index = {}
        for ent in doc.ents:
            if ent.label_ in ("PERSON", "ORG"):
                index.setdefault(ent[-1].text, ent.end)
            if ent.label_ == "PERSON" and len(ent) > 1:
                index.setdefault(ent[0].text, ent.end)  # a first name, as features use them
        doc.user_data[_NAMES_KEY] = index
    return index


def entities_in(doc: Doc, lo: int, hi: int) -> list[Tokens]:
    """The named entities that start at token ``lo`` or later and before token ``hi``, in order.

    ``Doc.ents`` builds a new tuple of spans on every access; the rules that look back for a name read a
    slice of one cached list instead, so each look-up costs O(log n) plus what it returns.
    """
    cached = doc.user_data.get(_ENTS_KEY)
    if cached is None:
        ents = list(doc.ents)
        cached = doc.user_data[_ENTS_KEY] = (ents, [e.start for e in ents])
    ents, starts = cached
    return ents[bisect_left(starts, lo) : bisect_left(starts, hi)]


def sentence_of(doc: Doc, i: int) -> Tokens:
    """spaCy's sentence holding token ``i``, the span ``doc[i].sent`` gives, found by a binary search in a per-doc
    list of sentence starts (``Token.sent`` walks token by token to both ends of the sentence, so asking it for
    every cue of one long sentence was quadratic)."""
    starts = doc.user_data.get(_SENT_STARTS_KEY)
    if starts is None:
        starts = doc.user_data[_SENT_STARTS_KEY] = [s.start for s in doc.sents]
    k = bisect_right(starts, i) - 1
    return doc[starts[k] : starts[k + 1] if k + 1 < len(starts) else len(doc)]


def per_sentence(doc: Doc, i: int, name: str, compute: Callable[[Tokens], T]) -> T:
    """``compute`` of the sentence holding token ``i`` (see ``sentence_of``), worked out once per sentence and
    ``name``: a question about a whole sentence, asked for each of its cues, then costs its length only once."""
    sent = sentence_of(doc, i)
    memo: dict[tuple[str, int], T] = doc.user_data.setdefault(_PER_SENTENCE_KEY, {})
    key = (name, sent.start)
    if key not in memo:
        memo[key] = compute(sent)
    return memo[key]
