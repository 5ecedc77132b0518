"""The text of a spaCy Doc and its quotations, each computed once per document.

``Doc.text`` joins every token on each access, so reading it per cue made attribution quadratic
in text length. Every module of the attribution finder reads the text through ``doc_text``.
"""

from __future__ import annotations

from spacy.tokens import Doc

from bot.analysis.quotes import Quote, find_quotes

_KEY = "byline_text"
_QUOTES_KEY = "byline_quotes"


def doc_text(doc: Doc) -> str:
    """Return ``doc.text``, cached in the doc's ``user_data``."""
    text = doc.user_data.get(_KEY)
    if text is None:
        text = doc.text
        doc.user_data[_KEY] = text
    return text


def doc_quotes(doc: Doc) -> list[Quote]:
    """Return the document's quotations, found once and shared by the attribution finder and the flags."""
    quotes = doc.user_data.get(_QUOTES_KEY)
    if quotes is None:
        quotes = doc.user_data[_QUOTES_KEY] = find_quotes(doc_text(doc))
    return quotes
