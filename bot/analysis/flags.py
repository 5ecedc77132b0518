"""Source flags. PLACEHOLDER: flags nothing yet."""

from __future__ import annotations

from spacy.tokens import Doc

from bot.analysis.result import Attribution, Flag
from bot.analysis.segment import Sentence


def make_flags(attributions: list[Attribution], doc: Doc, sents: list[Sentence]) -> list[Flag]:
    """Return the flags a reader should check."""
    return []
