"""A summary line that opens with "He said ..." names who "he" is.

An extractive summary lifts whole sentences, so a chosen sentence can lean on one left out ("He added that the bank
now saw two cuts"). Where the engine resolved that opening pronoun to a named speaker, the reader sees the name in
brackets after it; the stored summary itself (the contract's whole input sentences) is left as it is.
"""

from __future__ import annotations

from bot.analysis.result import Result, SummarySentence

# How far into the sentence the pronoun may start: past an opening quote mark or a space, not further.
OPENING_REACH = 2


def glossed(result: Result, sentence: SummarySentence) -> str:
    """The sentence's text, with ``(Name)`` after an opening pronoun whose speaker the engine resolved and that no
    earlier summary sentence names."""
    for a in result.attributions:
        if a.source_kind != "pronoun" or a.source is None or not a.speaker:
            continue
        offset = a.source.start - sentence.start
        if not 0 <= offset <= OPENING_REACH or a.source.end > sentence.end:
            continue
        if _named_before(result, sentence, a.speaker):
            return sentence.text
        cut = a.source.end - sentence.start
        return f"{sentence.text[:cut]} ({a.speaker}){sentence.text[cut:]}"
    return sentence.text


def _named_before(result: Result, sentence: SummarySentence, name: str) -> bool:
    """Whether the summary already named the speaker, in this sentence or one before it."""
    surname = name.split()[-1]
    return any(surname in s.text for s in result.summary if s.start <= sentence.start)
