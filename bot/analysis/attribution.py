"""Attribution finder. PLACEHOLDER: finds nothing yet."""

from __future__ import annotations

from spacy.tokens import Doc

from bot.analysis.result import Attribution
from bot.analysis.segment import Sentence


def find_attributions(doc: Doc, sents: list[Sentence]) -> list[Attribution]:
    """Return every reported claim in ``doc``."""
    return []
