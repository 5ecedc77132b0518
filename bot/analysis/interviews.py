"""Question-and-answer interviews: whose "I" an answer is.

A Q&A prints the interviewer's lines after "Q:" and the interviewee's after "A:", and names the interviewee only
in the headline and the introduction. Each "I think ..." in an answer is then theirs, though no sentence says so;
outside an interview a bare "I" is the writer, and stays unresolved.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace

from spacy.tokens import Doc

from bot.analysis.coref import clean_name
from bot.analysis.doctext import doc_text
from bot.analysis.result import Attribution

_TURN = re.compile(r"^[ \t]*([QA])[ \t]*[:.][ \t]", re.MULTILINE)
MIN_TURNS = 2  # questions and answers each, so one stray "A:" line is not an interview
ANSWERING = {"i", "we"}  # the interviewee speaking in an answer
ADDRESSED = {"you"}  # the interviewee addressed in a question ("You promised 5,000 homes")


def interviewee(doc: Doc) -> str | None:
    """The person a Q&A interviews: the one its headline and introduction name most often (first on a tie)."""
    text = doc_text(doc)
    turns = list(_TURN.finditer(text))
    labels = Counter(m.group(1) for m in turns)
    if labels["Q"] < MIN_TURNS or labels["A"] < MIN_TURNS:
        return None
    intro_end = turns[0].start()
    people = [e for e in doc.ents if e.label_ == "PERSON" and e.end_char <= intro_end]
    if not people:
        return None
    names = [name for name in (clean_name(e.text) for e in people) if name]
    if not names:
        return None
    surname = Counter(name.split()[-1] for name in names).most_common(1)[0][0]
    # the fullest form of that name the introduction gives ("Hannah Celik" rather than "Celik"), the first on a tie
    return max((name for name in names if name.split()[-1] == surname), key=lambda name: len(name.split()))


def voice_answers(attributions: list[Attribution], doc: Doc) -> list[Attribution]:
    """Give each unresolved "I" or "we" in an answer, and "you" in a question, the interviewee's name."""
    name = interviewee(doc)
    if name is None:
        return attributions
    text = doc_text(doc)
    out = []
    for a in attributions:
        if a.speaker is None and a.source is not None and a.source.text.lower() in ANSWERING | ADDRESSED:
            line_start = text.rfind("\n", 0, a.cue.start) + 1
            turn = _TURN.match(text, line_start)
            who = "A" if a.source.text.lower() in ANSWERING else "Q"
            if turn is not None and turn.group(1) == who:
                a = replace(a, speaker=name)
        out.append(a)
    return out
