"""Frames where a verb of saying or believing reports nobody's claim (``bot/analysis/non_reports.py``), each beside a
sentence where the same word does report one. Sentences written for these tests."""

from __future__ import annotations

import pytest

from tests.test_attribution import find


def cue_words(nlp, text: str) -> list[str]:
    return [a.cue.text for a in find(nlp, text)]


@pytest.mark.parametrize(
    "text",
    [
        "Don't forget that the fund closes in May.",
        "Ask yourself: which ward will the council shut next?",
        "Perhaps go a step further, and ask whether the harbour can pay for itself.",
    ],
)
def test_an_order_to_the_reader_is_the_writer_talking(nlp, text):
    assert not any(w.lower().endswith(("forget", "ask")) for w in cue_words(nlp, text))


def test_a_person_who_asks_still_reports(nlp):
    found = find(nlp, "The mayor asked whether the fund was safe.")
    assert [(a.cue.text, a.source.text if a.source else None) for a in found] == [("asked", "The mayor")]


def test_a_body_pressed_against_a_thing_is_not_pressed_for_an_answer(nlp):
    assert cue_words(nlp, "Fans were pressed against the barrier, waiting for the band.") == []
    assert cue_words(nlp, "The minister was pressed on why the plan left out fathers.") == ["was pressed"]


def test_assuming_sets_a_condition(nlp):
    assert cue_words(nlp, "The bill would raise $2 billion, assuming that the rate stays at 5 percent.") == []


@pytest.mark.parametrize(
    "text",
    [
        "The mayor has never been charged with any crime.",
        "Neither the mayor nor his aides have been charged with any offence.",
        "The mayor was not accused of anything.",
    ],
)
def test_a_denied_accusation_reports_no_claim(nlp, text):
    assert cue_words(nlp, text) == []


def test_an_accusation_made_without_an_accuser_is_still_found(nlp):
    found = find(nlp, "The mayor has been charged with fraud.")
    assert [(a.cue.text, a.source_kind) for a in found] == [("been charged", "none")]


@pytest.mark.parametrize(
    "text", ["It is a seemingly random list of towns.", "The council has seemingly 12 different plans for the harbour."]
)
def test_seemingly_inside_a_description_is_the_writers_word(nlp, text):
    assert cue_words(nlp, text) == []


def test_seemingly_about_a_person_or_an_event_is_still_a_hedge(nlp):
    assert cue_words(nlp, "The mayor is seemingly unaware of the audit.") == ["seemingly"]
