"""What a pasted page brings with it: furniture above the headline, headlines with a full stop, decks, captions,
credits, time stamps and closing notes. None of it is the news, so none of it belongs in the summary.

The texts are our own, written in the shapes an editor's review of 24 pasted inputs found."""

from __future__ import annotations

import pytest

from bot.analysis import boilerplate, segment

BODY = (
    "Train drivers in the Aslef union will stage one-day strikes at 16 rail companies, the union has announced.\n"
    "The walkouts are likely to cause widespread disruption across the network.\n"
    "Drivers will also refuse to work overtime for a fortnight.\n"
)


def summary_of(engine, text: str, n: int | None = None) -> list[str]:
    return [s.text for s in engine.analyze(text, sentences=n).summary]


@pytest.mark.parametrize(
    "furniture",
    [
        "Home\nNews\n",
        "Skip to content\n",
        "FOR IMMEDIATE RELEASE\n\n",
        "Updated 3 hours ago\n",
        "Weather\nTOP STORY\n",
    ],
)
def test_page_furniture_above_the_headline_is_neither_title_nor_summary(engine, furniture):
    text = furniture + "Train drivers to strike on six days in February\n\n" + BODY
    result = engine.analyze(text, sentences=5)
    assert result.title == "Train drivers to strike on six days in February"
    picked = [s.text for s in result.summary]
    assert picked == [line for line in BODY.splitlines()]  # every body sentence, and nothing from above them


def test_a_short_headline_with_a_body_under_it_is_still_the_title(engine):
    text = "Rail strike\n" + BODY
    assert engine.analyze(text).title == "Rail strike"


def test_a_label_is_not_skipped_when_what_follows_is_the_body(engine):
    """A few words with no stop, followed by a sentence: that is the headline, not a label above one."""
    text = "Strike called\nTrain drivers will walk out in May, the union has announced.\nTalks have failed.\n"
    result = engine.analyze(text)
    assert result.title == "Strike called"


@pytest.mark.parametrize(
    ("heading", "title"),
    [
        ("Fed holds rates steady, signals two cuts later this year.\n\n",
         "Fed holds rates steady, signals two cuts later this year."),
        ("Is the four-day week going mainstream?\n"
         "A year after the biggest trial, most firms have kept it - but the picture is complicated\n\n",
         "Is the four-day week going mainstream?"),
    ],
)
def test_a_headline_with_a_stop_and_its_deck_are_the_heading(engine, heading, title):
    body = (
        "The US Federal Reserve left its benchmark rate unchanged on Wednesday.\n\n"
        "Officials signalled that they expect to cut borrowing costs twice before the end of the year.\n\n"
        "The decision comes amid pressure from the White House to lower rates faster.\n"
    )
    result = engine.analyze(heading + body, sentences=3)
    assert result.title == title
    assert [s.text for s in result.summary] == [line for line in body.splitlines() if line]


@pytest.mark.parametrize(
    "lede",
    [
        "The union has called a strike.\n\n",  # an auxiliary and a full stop: a lede, not a headline
        "Drivers walked out on Monday.\n\n",  # the past tense
        "LONDON (Wire) - Drivers strike today.\n\n",  # a dateline
    ],
)
def test_a_short_lede_is_still_summarised(engine, lede):
    text = lede + "Drivers at 16 companies will walk out in May after talks failed.\n\nThey want a pay rise.\n"
    assert lede.strip() in summary_of(engine, text, 3)


@pytest.mark.parametrize(
    "line",
    [
        "Train drivers to strike on six days in February",
        "Thames Water has been handed a 3bn pound emergency loan by its creditors",
        "10:42 GMT",
    ],
)
def test_a_short_line_with_no_stop_is_never_cut(nlp, line):
    text = f"Weather\n{line}\n\nThe union has announced strikes at 16 companies.\nThe loan was approved on Tuesday.\n"
    doc = nlp(text)
    assert line in [text[s.start : s.end] for s in segment.sentences(doc)]


def test_a_label_and_its_text_stay_one_sentence(nlp):
    text = (
        "The chancellor set out her plans:\n"
        "- Welfare: An extra 3.4bn pounds will be cut from the benefits bill by 2030.\n"
        "- Defence: Spending will rise to 2.5% of GDP by 2027, funded partly by cutting aid.\n"
        "PRESENTER: Good evening. The chancellor has spoken.\n"
    )
    doc = nlp(text)
    sents = [text[s.start : s.end] for s in segment.sentences(doc)]
    assert "- Defence: Spending will rise to 2.5% of GDP by 2027, funded partly by cutting aid." in sents
    assert "PRESENTER: Good evening." in sents


def test_a_long_line_with_no_stop_is_still_left_to_the_parser(nlp):
    """A transcript of one long unpunctuated line must not become one sentence of hundreds of words."""
    words = " ".join(["so we went down to the river and the water was rising fast and we had to move the cars"] * 6)
    doc = nlp(words)
    assert len(words.split()) > 100
    assert len(segment.sentences(doc)) > 1


@pytest.mark.parametrize(
    "note",
    [
        "Updated 3 hours ago", "2 hours ago", "Published 1 day ago", "Photo: Vincent Clerc speaks at a conference.",
        "Getty Images", "(AFP via Getty Images)", "Photograph: Jo Roe/Reuters",
        "Reporting by Jo Roe; Editing by Al Smith", "About Solvane Energy", "Related topics", "More on this story",
        "Key events", "Here's what you need to know today.", "Unsubscribe | Manage preferences | View in browser",
        "That's all for today.",
    ],
)
def test_page_notes_are_boilerplate(note):
    assert boilerplate.is_boilerplate(note)


@pytest.mark.parametrize(
    "sentence",
    [
        "Shares fell 4% in early trading, according to Reuters.",
        "Reuters reported that the firm would cut 2,000 jobs.",
        "A man was seen near the station two hours ago.",
        "About 300 people came to the meeting.",
        "Here's what the union wants from the talks.",
    ],
)
def test_news_sentences_are_not_boilerplate(sentence):
    assert not boilerplate.is_boilerplate(sentence)


def test_a_caption_and_a_credit_are_not_summarised(engine):
    text = (
        "Maersk to cut 10,000 jobs\n\n"
        "Maersk said on Friday it would cut 10,000 jobs as freight rates fall.\n"
        "Photo: Vincent Clerc, Maersk's chief executive, speaks at a conference in Copenhagen on Maersk's jobs.\n"
        "Getty Images\n"
        "The cuts amount to 9% of Maersk's workforce, the company said.\n"
        "Shares in Maersk fell 4.2% in Copenhagen after the jobs news.\n"
    )
    picked = summary_of(engine, text, 3)
    assert not any(s.startswith(("Photo:", "Getty")) for s in picked)


def test_a_press_release_closing_note_is_not_summarised(engine):
    text = (
        "Solvane raises 450m euros for battery plant\n\n"
        "Solvane Energy today announced it has secured 450 million euros to build a battery plant in Porto.\n"
        "The plant will employ 1,200 people when it opens in 2027.\n"
        "Construction of the Solvane plant starts in the spring.\n"
        "About Solvane Energy\n"
        "Solvane Energy is a Lisbon-based company developing sodium-ion battery cells for energy storage.\n"
        "Solvane Energy was founded in 2019 and employs 300 people at its Lisbon battery research centre.\n"
    )
    picked = summary_of(engine, text, 3)
    assert not any(s.startswith(("About", "Solvane Energy is", "Solvane Energy was")) for s in picked)


def test_a_deck_set_as_its_own_paragraph_is_part_of_the_heading(engine):
    text = (
        "FOR IMMEDIATE RELEASE\n\n"
        "Solvane Secures 450 Million Euros to Build a Battery Plant\n\n"
        "Investment will create 1,200 jobs in northern Portugal; production to start in 2027\n\n"
        "LISBON -- Solvane today announced it has secured 450 million euros to build a battery plant in Porto.\n\n"
        "The plant will employ 1,200 people when it opens in 2027.\n\n"
        "Solvane makes sodium-ion battery cells for home storage.\n"
    )
    result = engine.analyze(text, sentences=3)
    assert result.title == "Solvane Secures 450 Million Euros to Build a Battery Plant"
    assert not any(s.text.startswith("Investment will") for s in result.summary)


def test_a_short_first_paragraph_that_ends_with_a_stop_is_no_deck(engine):
    text = ("Harbour plan approved\n\nThe council approved the harbour plan on Monday.\n\n"
            "Work starts in May and will take two years.\n\nThe cost is 4 million pounds.\n")
    picked = [s.text for s in engine.analyze(text, sentences=3).summary]
    assert "The council approved the harbour plan on Monday." in picked
