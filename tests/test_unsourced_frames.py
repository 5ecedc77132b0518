"""Claims with no source in frames the cue model misses, and a subject the parser cuts off from its verb (fourteenth
session, from PolNeAR dev misses; checked on train). Sentences written for these tests."""

from __future__ import annotations

import pytest

from tests.test_attribution import find
from tests.test_flag_rule_limits import evidence


def found(nlp, text: str) -> list[tuple[str, str | None, str]]:
    return [(a.cue.text, a.source.text if a.source else None, a.source_kind) for a in find(nlp, text)]


@pytest.mark.parametrize(
    ("text", "cue"),
    [
        ("The clip has faced ridicule online since it aired on Tuesday.", "faced ridicule"),
        ("The council has faced more pushback this year.", "faced more pushback"),
    ],
)
def test_a_received_reaction_with_nobody_behind_it_has_no_source(nlp, text, cue):
    assert found(nlp, text) == [(cue, None, "none")]


def test_a_received_reaction_from_someone_is_theirs(nlp):
    assert found(nlp, "The plan has drawn scrutiny from the auditor.") == [("drawn scrutiny", "the auditor", "named")]


@pytest.mark.parametrize(
    "text",
    [
        "The band drew loud applause.",
        "The minister is facing this question with her own family.",
        "The minister received a phone call from her aide.",
    ],
)
def test_applause_a_dilemma_and_a_phone_call_voice_no_claim(nlp, text):
    assert found(nlp, text) == []


def test_as_predicted_says_someone_foretold_it(nlp):
    assert found(nlp, "The dam failed in July, as predicted.") == [("predicted", None, "none")]


@pytest.mark.parametrize(
    ("text", "cue"),
    [
        ("Most of her statements were rated as mostly true.", "were rated"),
        ("Okafor has been mentioned as a possible finance minister.", "been mentioned"),
        ("Peacekeepers have been blamed for the outbreak.", "been blamed"),
    ],
)
def test_a_judgement_in_the_passive_hides_who_judged(nlp, text, cue):
    assert found(nlp, text) == [(cue, None, "none")]


def test_a_rating_without_as_is_a_grade_not_a_view(nlp):
    assert found(nlp, "The bond is rated AAA.") == []


def test_a_subject_cut_off_by_its_appositive_keeps_its_verb(nlp):
    """The parser hangs "called" on "election" as a participle and gives the governor only "saying"."""
    text = (
        "Governor Ama Okafor (D), the mayor's rival in the coming election, called Friday for the release of the "
        'tapes, saying that openness "builds trust."'
    )
    assert ("called", "Governor Ama Okafor", "named") in found(nlp, text)


@pytest.mark.parametrize(
    "text",
    [
        "Ortiz, the party's most senior figure, on Friday called Reyes's comments about the budget ''false,'' a sharp "
        "rebuke.",
        # the parser had given the verb the day as its subject
        "Ortiz, the city's longest-serving councillor, on Monday called Tom Reyes's remarks about the harbour board "
        "''shameful,'' a rare rebuke that drew a wave of criticism.",
    ],
)
def test_a_subject_cut_off_by_any_aside_keeps_its_verb(nlp, text):
    """After a subject and an aside between two commas, the parser may hang "called" inside the aside."""
    assert [(cue, source) for cue, source, _ in found(nlp, text) if cue == "called"] == [("called", "Ortiz")]


def test_a_participle_on_the_subject_itself_is_a_description(nlp):
    text = "The Harbour Front, known as the HF, said it would sue."
    assert ("known", "The Harbour Front", "named") not in found(nlp, text)


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        # accusations received with nobody making them are flagged, as the noun alone was
        ("With the mayor facing accusations of favoritism, her husband said the fund would close.",
         ["facing accusations"]),
        # criticism from a vague group is the group's
        ("The plan has drawn criticism from critics within the party.", ["critics within the party"]),
        # criticism with nobody behind it is not flagged, as the noun alone was not
        ("The mayor faced criticism over the plan.", []),
        # a received reaction holds no claim of its subject's, so a view inside it is still its own
        ("The mayor is facing sharp criticism over what is seen as a soft line on crime.", ["is seen"]),
    ],
)
def test_a_received_reaction_is_flagged_as_its_noun_would_be(engine, text, flagged):
    assert evidence(engine, text) == flagged


def test_a_source_never_ends_on_a_dangling_and(nlp):
    """The parser reads "leftwing" as a verb and leaves "and" on the first group; the span stops before it."""
    text = "Matt Lauer faced heavy criticism from mainstream media outlets and leftwing activist reporters on Friday."
    sources = [a.source.text for a in find(nlp, text) if a.source is not None]
    assert sources == ["mainstream media outlets"]


def test_the_one_asked_is_not_the_one_who_asked(nlp):
    """A bare participle of "ask" is a passive: the speaker was asked, and who asked is not said."""
    text = "Asked what a firm deal looks like, Ortiz replied: \u201cWe are a long way off from that.\u201d"
    assert next((cue, source) for cue, source, _ in found(nlp, text)) == ("Asked", None)


def test_a_bare_asked_is_a_question_put_not_a_flag(engine):
    """The tagger reads this "asked" as a past tense; with nobody asking, it is still not a claim to flag."""
    text = "The mayor, asked about the strike, had said, ''I think the port does plenty of damage also.''"
    result = engine.analyze(text)
    assert [(a.cue.text, a.source_kind) for a in result.attributions if a.cue.text == "asked"] == [("asked", "none")]
    assert [f.evidence.text for f in result.flags] == []


@pytest.mark.parametrize(
    ("text", "holders", "kind"),
    [
        ("The decision is seen by many residents as a betrayal.", "many residents", "vague"),
        ("The closure is seen by critics as a mistake.", "critics", "vague"),
        ("The move was seen by some as a demotion for the chairman.", "some", "vague"),
        ("The plan is regarded by the auditor as reckless.", "the auditor", "named"),
    ],
)
def test_seen_by_holders_as_a_view_is_their_claim(nlp, text, holders, kind):
    """A reviewer's find: "is seen as" and "is viewed by many as" were claims, "is seen by many residents as" none,
    because the parser hangs "as" on the holders and the sighting rule looked for it on the verb."""
    assert found(nlp, text)[0][1:] == (holders, kind)


@pytest.mark.parametrize("text", [
    "The suspect was seen by witnesses leaving the building.",
    "The car was seen by police as it left the depot.",
    "She was seen by doctors as soon as she arrived at the hospital.",
    "He was seen by police as well as by neighbours.",
    "The dog was last seen by some residents as recently as Tuesday.",
    "A letter seen by Reuters shows the firm as the main bidder.",
])
def test_a_sighting_by_someone_is_no_claim(nlp, text):
    assert not any("seen" in cue for cue, _, _ in found(nlp, text))


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        # the parser hangs "as" on the adjective when a clause follows; it is still a view nobody holds
        ("Braverman's position is widely seen as precarious after she wrote an article criticising the police.", True),
        ("He was seen leaving the building after midnight.", False),  # a sighting
        ("He was seen as soon as he arrived at the gate.", False),  # a comparison's "as"
    ],
)
def test_seen_as_with_the_as_on_the_adjective(engine, text, flagged):
    flags = [f for f in engine.analyze(text).flags if f.category == "no_source"]
    assert bool(flags) == flagged


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        # "according to its accounts" sources the debts of the relative clause it closes, not the belief
        ("It is believed he will be asked about the club's debts, which stood at £62m last year, according to its "
         "accounts.", True),
        ("It is believed the club owes £62m, according to its accounts.", False),
        ("The bridge, which spans the river, is believed to be the oldest, according to the society.", False),
        # a relative clause on people may be the statement's account of the whole sentence
        ("Those residences are believed to have catered to women from China, who paid up to $50,000 for lodging, "
         "according to a statement by U.S. Immigration and Customs Enforcement.", False),
    ],
)
def test_according_to_closing_a_relative_clause_does_not_source_the_belief(engine, text, flagged):
    flags = [f for f in engine.analyze(text).flags if f.category == "no_source"]
    assert bool(flags) == flagged


def test_an_accusing_passive_joined_to_another_verb_has_no_source(engine):
    text = "She played 78 matches for the club, and has been criticized for entering exhibition events."
    assert [(f.category, f.evidence.text) for f in engine.analyze(text).flags] == [("no_source", "been criticized")]


def test_who_wrote_a_paper_is_not_a_claim(engine):
    text = ('The memo, dated 3 October and marked "official-sensitive", was written by officials in the '
            "Treasury's fiscal policy unit.")
    assert engine.analyze(text).flags == []


def test_fears_among_a_group_are_that_groups(engine):
    text = "There are growing fears among Tory moderates that the party's polling slump will deepen."
    assert [(f.category, f.evidence.text) for f in engine.analyze(text).flags] == [("vague_source", "Tory moderates")]
    text = "There are fears that the bridge will fail."
    assert [(f.category, f.evidence.text) for f in engine.analyze(text).flags] == [("no_source", "fears")]


def test_a_price_moving_on_reports_is_a_claim_with_no_source(engine):
    flags = engine.analyze("The pound fell on reports that the chancellor was preparing to raise taxes.").flags
    assert [(f.category, f.evidence.text) for f in flags] == [("no_source", "reports")]
    # answering talk is not setting it down as the news
    assert engine.analyze("The minister declined to comment on reports that he would resign.").flags == []


def test_charges_someone_denies_do_not_make_a_story_a_court_case(engine):
    text = ("The RSF has been accused of ethnically motivated killings in Darfur last year, charges it denies. "
            "The army has also been accused of indiscriminate bombing.")
    accused = [f for f in engine.analyze(text).flags if f.evidence.text == "been accused"]
    assert [f.severity for f in accused] == ["high", "high"]
    # a real case still keeps its legal words out of the flags
    assert engine.analyze("He faces charges of fraud. He has been accused of stealing funds.").flags == []


def test_will_be_remembered_as_is_the_writers_forecast(engine):
    assert engine.analyze("She will be remembered as a champion of the poor.").flags == []
    # a view said to be held now stays a claim with nobody behind it
    flags = engine.analyze("He is widely remembered as a bully.").flags
    assert [f.category for f in flags] == ["no_source"]
