"""Which speaker a pronoun source stands for when the nearest fitting one is a name the small tagger took for a body,
a role with no name, or an unnamed paper: editors' cases and sentences written for these tests."""

from __future__ import annotations

import pytest

from tests.findings import flag_pairs


def _pronoun(engine, text: str, pronoun: str):
    """The one claim whose source is ``pronoun``, and the whole result."""
    result = engine.analyze(text)
    [found] = [a for a in result.attributions if a.source is not None and a.source.text == pronoun]
    return found, result


@pytest.mark.parametrize(("text", "pronoun", "speaker"), [
    pytest.param(
        'Dr Ruth Fenwick said such estimates were flawed. MacLeod is not sure what happens next. "We\'ll adapt," she '
        "said.", "she", "MacLeod",
        id="a_bare_surname_subject_before_the_pronoun_is_not_skipped"),
    pytest.param(
        "Kirsty MacLeod runs a dairy farm. Dr Ruth Fenwick said such estimates were flawed. MacLeod is not sure what "
        'happens next. "We\'ll adapt," she said.', "she", "Kirsty MacLeod",
        id="the_surname_is_the_full_name_given_before"),
    pytest.param(
        "Niamh Doherty runs the village shop. Councillor Sarah Quinn said the closure was regrettable. Doherty is "
        'furious about it. "Nobody asked us," she said.', "she", "Niamh Doherty",
        id="a_surname_again_after_another_woman"),
    pytest.param(
        "Professor Alan Reeve said the figures were wrong. Okafor is less certain about the plan. "
        '"We will wait and see," he said.', "he", "Okafor", id="an_untagged_surname_never_given_in_full"),
    pytest.param(
        "Mr Iain MacLeod runs a dairy farm. Dr Ruth Fenwick said such estimates were flawed. MacLeod is not sure what "
        'happens next. "We\'ll adapt," she said.', "she", "Dr Ruth Fenwick", id="not_a_surname_of_the_other_sex"),
    pytest.param(
        'Dr Ruth Fenwick said such estimates were flawed. Britain is not sure what happens next. "We\'ll adapt," she '
        "said.", "she", "Dr Ruth Fenwick", id="not_a_country"),
    pytest.param(
        'Kirsty MacLeod said the rules were unfair. "We\'ll adapt. We always have," she said.', "she", "Kirsty MacLeod",
        id="the_only_name_in_reach_though_tagged_as_a_body"),
    pytest.param(
        'Shona MacKinnon said the ferry timetable was a disgrace. "We were never asked. Nobody listens," she said.',
        "she", "Shona MacKinnon", id="the_only_name_in_reach_of_a_quote_of_two_sentences"),
    pytest.param(
        'Mr Iain MacLeod said the rules were unfair. "We\'ll adapt," he said.', "he", "Mr Iain MacLeod",
        id="a_titled_name_tagged_as_a_body"),
    pytest.param(
        'Mr Iain MacLeod said the rules were unfair. "We\'ll adapt," she said.', "she", None,
        id="but_not_of_the_other_sex"),
])
def test_a_name_the_tagger_took_for_a_body(engine, text, pronoun, speaker):
    assert _pronoun(engine, text, pronoun)[0].speaker == speaker


@pytest.mark.parametrize(("text", "pronoun", "role", "flags"), [
    pytest.param(
        "Maureen Holt said closing it would be cruel. Unison said it was seeking urgent talks with the council. "
        'A council spokeswoman said the authority faced difficult choices. "Every service is under review," she said.',
        "she", "A council spokeswoman", [], id="editors_council_spokeswoman"),
    pytest.param(
        "Tom Baxter said the plant would close. A Network Rail spokeswoman said the firm was reviewing its options. "
        '"No decision has been made," she said.', "she", "A Network Rail spokeswoman", [],
        id="a_named_bodys_spokeswoman"),
    pytest.param(
        "Tom Baxter said the plant would close. An Acme Foods spokesman said the firm was reviewing its options. "
        '"No decision has been made," he said.', "he", "An Acme Foods spokesman", [], id="a_named_bodys_spokesman"),
    pytest.param(
        'Ann Price said the ward was understaffed. A nurse who works there said morale was low. "We are exhausted," '
        "she said.", "she", "A nurse", [("A nurse", "medium"), ("she", "high")],
        id="an_anonymous_role_carries_its_flag"),
])
def test_a_role_with_no_name_is_the_nearest_speaker(engine, text, pronoun, role, flags):
    """The pronoun is the role's, so it names nobody (no earlier name is handed to it), and it carries the role's
    kind on: no flag after a body's spokeswoman, who is on record; the role's flag after an anonymous one."""
    found, result = _pronoun(engine, text, pronoun)
    [source] = [a for a in result.attributions if a.source is not None and a.source.text == role]
    assert found.speaker is None
    assert (source.source_kind == "named") == (not flags)
    assert flag_pairs(result) == flags


def test_a_spokesman_is_no_she(engine):
    text = ("Ruth Mills said the surgery would close. A Barclays spokesman said the bank was reviewing its options. "
            '"No decision has been made," she said.')
    assert _pronoun(engine, text, "she")[0].speaker == "Ruth Mills"


@pytest.mark.parametrize(("text", "paper"), [
    pytest.param(
        "A leaked memo shows that Ashford Borough Council plans to close six libraries. It says that eight sites is "
        "the only viable option.", "A leaked memo", id="editors_leaked_memo"),
    pytest.param(
        "A draft report suggests that Northfield County Council will cut 40 jobs. It says that the savings are needed.",
        "A draft report", id="a_draft_report"),
    pytest.param(
        "A leaked email shows that the Ministry of Defence wants to sell the site. It says a buyer has been found.",
        "A leaked email", id="a_leaked_email"),
])
def test_it_after_an_unnamed_paper_is_the_paper(engine, text, paper):
    """ "It" is the paper, not the body named in what the paper says; the paper's flag carries on to it."""
    found, result = _pronoun(engine, text, "It")
    assert found.speaker is None
    assert flag_pairs(result, "anonymous_source") == [(paper, "medium"), ("It", "medium")]


@pytest.mark.parametrize("text", [
    pytest.param("Northfield County Council has cut 40 jobs. It says that the savings are needed.", id="the_body"),
    pytest.param("Northfield County Council published a report on Monday. It says that rents are too high.",
                 id="a_paper_that_is_no_source"),
])
def test_it_after_a_body_is_still_the_body(engine, text):
    assert _pronoun(engine, text, "It")[0].speaker == "Northfield County Council"
