"""A Q&A's answers are the interviewee's words, though only its headline and introduction name them. Texts written
for these tests."""

from __future__ import annotations

import pytest

QA = ("'We are building for the next hundred years': Q&A with Mayor Hannah Celik\n\n"
      "Hannah Celik became mayor of Northbridge in May. Six months in, Celik sat down with us to talk about her "
      "first budget. The interview has been edited for length and clarity.\n\n"
      "Q: You promised 5,000 new homes in your first term. Are you on track?\n\n"
      "A: We're behind, and I won't pretend otherwise. But we've approved 1,100 homes since May. I think we'll get "
      "there.\n\n"
      "Q: What about the buses?\n\n"
      "A: Franchising. I believe it is the only way to get a network that runs for passengers.\n")


def test_an_answers_i_and_a_questions_you_are_the_interviewee(engine):
    result = engine.analyze(QA)
    voiced = {a.cue.text: a.speaker for a in result.attributions if a.source is not None
              and a.source.text.lower() in ("i", "you")}
    assert voiced == {"promised": "Hannah Celik", "think": "Hannah Celik", "believe": "Hannah Celik"}
    assert result.stats.resolved >= 3


@pytest.mark.parametrize("text", [
    ("Why I cycle to work\n\nHannah Celik became mayor of Northbridge in May.\n\n"
     "I think the city's buses are a disgrace. I believe franchising is the answer.\n"),  # a column: the writer's
    ("Budget day\n\nHannah Celik presented her budget on Monday.\n\n"
     "Q: Will taxes rise?\n\nA: I think they will.\n"),  # one stray answer line is not an interview
])
def test_an_i_outside_an_interview_stays_unresolved(engine, text):
    result = engine.analyze(text)
    mine = [a for a in result.attributions if a.source is not None and a.source.text.lower() == "i"]
    assert mine and all(a.speaker is None for a in mine)
