"""An unnamed source met again ("the minister said", "the person said") stays unnamed, and a party's member counted
by "a" or "one" is a person, not a name. Sentences written for these tests."""

from __future__ import annotations

from tests.findings import flag_pairs, kind_of


def test_the_minister_after_one_unnamed_minister_is_still_unnamed(engine):
    text = ("The mood in government is grim. One cabinet minister said the government was paralysed. "
            "Ministers met on Monday. \"Nobody can get anything done,\" the minister said.")
    result = engine.analyze(text)
    assert kind_of(result, "the minister") == "anonymous"
    # the second mention no longer "names" the first, so both keep their flags; the quote makes the second high
    assert flag_pairs(result, "anonymous_source") == [("One cabinet minister", "medium"), ("the minister", "high")]


def test_any_role_word_carries_its_first_mention(engine):
    text = ("An engineer who has worked on the project said the decision was driven by space. "
            "\"Every millimetre counts,\" the engineer said.")
    result = engine.analyze(text)
    assert kind_of(result, "the engineer") == "anonymous"
    assert ("the engineer", "high") in flag_pairs(result, "anonymous_source")


def test_the_person_and_the_people_after_people_familiar_with_the_talks(engine):
    text = ("Acme is in talks to buy Beta, according to people familiar with the matter. "
            "A deal could come next week, the people said. The person said the price was high.")
    result = engine.analyze(text)
    assert kind_of(result, "the people") == "anonymous"
    assert kind_of(result, "The person") == "anonymous"


def test_a_role_met_earlier_only_in_passing_does_not_unname_the_holder(engine):
    # "A president" here is anyone who holds the office; "the president" who speaks is the one the story named
    text = ("A president must answer to voters. Barack Obama flew to Ohio on Monday. "
            "The president said the plant would stay open.")
    result = engine.analyze(text)
    assert kind_of(result, "The president") == "named"
    assert flag_pairs(result, "anonymous_source") == []


def test_a_counted_party_member_is_an_unnamed_person(engine):
    text = ("One House Republican said the former president had urged allies to kill the deal. "
            "A Senate Democrat said the bill was dead. Two House Democrats said they would vote no.")
    result = engine.analyze(text)
    assert [e for e, _ in flag_pairs(result, "anonymous_source")] == [
        "One House Republican", "A Senate Democrat", "Two House Democrats"]


def test_party_members_as_a_crowd_or_beside_a_name_are_not_anonymous(engine):
    text = ("Rep. Xavier Becerra, a California Democrat, said the plan was sound. "
            "Democrats said the vote was a test. Six in 10 Republicans said the party was divided.")
    result = engine.analyze(text)
    assert flag_pairs(result, "anonymous_source") == []
    assert [e for e, _ in flag_pairs(result, "vague_source")] == ["Democrats", "Six in 10 Republicans"]


def test_a_chain_stops_at_a_mention_that_names_the_body(engine):
    # "the Commons science committee" names the committee of MPs, so "the committee" after it is that named one
    text = ("A national body should be set up, a committee of MPs has said. There was a crisis in recruitment, the "
            "Commons science and technology committee added. The committee said the council had done too little.")
    result = engine.analyze(text)
    assert kind_of(result, "The committee") == "named"
    assert [f for f in result.flags if f.category == "anonymous_source"] == []


def test_a_spokesman_for_one_bank_is_not_named_by_the_next_speaker(engine):
    text = ('A spokesman for one bank said it was "in discussions with Cloudnine about what happened". '
            "Menon said he would answer questions at the hearing.")
    assert flag_pairs(engine.analyze(text), "anonymous_source") == [("A spokesman for one bank", "high")]


def test_those_familiar_or_close_are_insiders_and_those_who_know_her_a_crowd(engine):
    text = ("Those familiar with the talks said a deal was close. Those close to the striker say he wants to leave. "
            "Those who know her say the silence is the point.")
    result = engine.analyze(text)
    assert [(f.category, f.evidence.text) for f in result.flags] == [
        ("anonymous_source", "Those familiar with the talks"), ("anonymous_source", "Those close to the striker"),
        ("vague_source", "Those")]


def test_a_person_the_story_already_named_does_not_name_an_unnamed_witness(engine):
    text = ("Inspector Jane Baird said the search would go on. A neighbour said she saw Fiona on Monday. "
            '"She looked tired," the neighbour said. Baird said the force was checking cameras.')
    flagged = flag_pairs(engine.analyze(text), "anonymous_source")
    assert flagged == [("A neighbour", "medium"), ("the neighbour", "high")]
    # a name new to the story still names the role held back a sentence
    text = 'A former trainer said the course is hard. "It breaks people," Oly Olson said.'
    assert flag_pairs(engine.analyze(text), "anonymous_source") == []
