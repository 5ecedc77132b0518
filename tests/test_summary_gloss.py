"""A summary line that opens with a resolved pronoun names the speaker in brackets, in every view of the result; the
stored summary stays the article's own sentences. Articles written for these tests."""

from __future__ import annotations

from bot.render.result_embeds import summary_lines
from bot.render.summary_gloss import glossed
from bot.report import render_report

TEXT = ("Fed nears a cut\n\n"
        "The Fed will cut rates in March, economists said on Monday. Inflation fell to 2.1 per cent in February. "
        '"These are the numbers we have waited for," said Marcus Hale, chief U.S. economist at Goldman Sachs. '
        '"The committee has room to move now." He added that the bank now saw two cuts next year rather than one. '
        "Markets rose.")


def test_an_opening_pronoun_is_glossed_with_its_speaker(engine):
    result = engine.analyze(TEXT, sentences=2)
    he = next(s for s in result.summary if s.text.startswith("He added"))
    assert TEXT[he.start : he.end] == he.text  # the contract's sentence is untouched
    assert glossed(result, he) == "He (Marcus Hale) added that the bank now saw two cuts next year rather than one."
    assert "He (Marcus Hale) added" in render_report(TEXT, result)
    assert "He (Marcus Hale) added" in summary_lines(result, per_sentence=300, budget=2000)[0]


def test_no_gloss_when_the_summary_already_named_the_speaker(engine):
    result = engine.analyze(TEXT, sentences=4)
    assert any("Marcus Hale" in s.text for s in result.summary)
    assert all("(Marcus Hale)" not in glossed(result, s) for s in result.summary)


def test_an_unresolved_pronoun_is_left_alone(engine):
    text = "Talks resume\n\nHe said the road would stay closed until June. Crews worked through the night."
    result = engine.analyze(text, sentences=1)
    [only] = result.summary
    assert glossed(result, only) == only.text
