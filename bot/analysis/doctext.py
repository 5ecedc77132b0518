"""The text of a spaCy Doc, its quotations and its name words, each computed once per document.

``Doc.text`` joins every token on each access, so reading it per cue made attribution quadratic
in text length. Every module of the attribution finder reads the text through ``doc_text``.
"""

from __future__ import annotations

from spacy.tokens import Doc
from spacy.tokens import Span as Tokens

from bot.analysis.quotes import Quote, find_quotes
from bot.analysis.result import Span

_KEY = "byline_text"
_QUOTES_KEY = "byline_quotes"
_NAMES_KEY = "byline_name_words"


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
