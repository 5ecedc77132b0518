"""The text of a spaCy Doc, computed once.

``Doc.text`` joins every token on each access, so reading it per cue made attribution quadratic
in text length. Every module of the attribution finder reads the text through ``doc_text``.
"""

from __future__ import annotations

from spacy.tokens import Doc

_KEY = "byline_text"


def doc_text(doc: Doc) -> str:
    """Return ``doc.text``, cached in the doc's ``user_data``."""
    text = doc.user_data.get(_KEY)
    if text is None:
        text = doc.text
        doc.user_data[_KEY] = text
    return text
