"""Flags that came from a misreading of the sentence rather than from an unnamed source (twelfth session's set W,
PolNeAR train articles), each with a sentence near it that must stay flagged. Sentences written for these tests."""

from __future__ import annotations

import pytest

from tests.test_flag_rule_limits import evidence


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        # the adjective the parser took for an object does not announce anything; the governor does
        ("Attorney General Ama Okafor took the official last step Wednesday of announcing that the ministry would not "
         "prosecute Lee.", []),
        ("The mayor took the unusual step of saying that the audit was wrong.", []),
        # the accused did the saying, and stays unnamed
        ("The minister attacked a senior official for saying that the port would close.", ["a senior official"]),
    ],
)
def test_what_someone_is_blamed_for_doing_is_theirs_and_a_step_is_nobodys(engine, text, flagged):
    assert evidence(engine, text) == flagged


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("The firm earned about $60 million last year, according to public filings.", []),
        ("Regulatory filings show the bank lent him $2 million.", []),
        # a record nobody says is open, or one leaked by someone unnamed, is still flagged
        ("The firm earned about $60 million last year, according to documents.", ["documents"]),
        ("The firm earned $60 million, according to internal filings seen by a source.", ["internal filings"]),
    ],
)
def test_a_public_or_regulatory_record_is_one_a_reader_can_ask_for(engine, text, flagged):
    assert evidence(engine, text) == flagged


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("The Iowa Electronic Markets, where traders bet on the outcome, show the governor even more likely to win the "
         "vote.", []),
        # a group named by the body it sits in is still a group
        ("Senate Republicans said the plan was dead.", ["Senate Republicans"]),
        ("Markets expect the bank to cut rates.", ["Markets"]),
    ],
)
def test_a_long_name_ending_in_a_group_word_is_a_name(engine, text, flagged):
    assert evidence(engine, text) == flagged


GROUP_THEN_VOICE = (
    'Harbour doctors welcomed the new clinic. "It will save lives," said Dr. Ama Okafor, who runs the ward.'
)


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        (GROUP_THEN_VOICE, []),
        # a quotation of two sentences has its "said" in the second
        ('Some Democrats argued that the rules had served them well. "They kept the party together. I think they '
         'still do," said Sen. Ama Okafor of Leeds.', []),
        # the other side's voice, an insider, figures, or a voice two sentences on do not name the group
        ('Harbour doctors welcomed the new clinic. But "it will cost lives," said Dr. Ama Okafor.',
         ["Harbour doctors"]),
        ('Officials welcomed the new clinic. "It will save lives," said Dr. Ama Okafor.', ["Officials"]),
        ('Polls suggest voters are angry about the tax. "We will win," said Tom Lee.', ["Polls"]),
        ('Harbour doctors welcomed the new clinic. It opens in May. "It will save lives," said Dr. Ama Okafor.',
         ["Harbour doctors"]),
        # a named person's words told, not quoted, are not the story handing the group a voice to check
        ("Harbour doctors welcomed the new clinic. Dr. Ama Okafor said it would save lives.", ["Harbour doctors"]),
        # nor is a quotation the sentence comes to after a new point of the story's
        ('Harbour doctors welcomed the new clinic. After the vote, Dr. Ama Okafor said "it will save lives."',
         ["Harbour doctors"]),
        # an expert group's view is voiced only by someone the story says is one of them
        ('Insurance experts say claims could top $500 million. "It sounded like a freight train," said Debra '
         'Collins, 63, of Warner Robins.', ["Insurance experts"]),
        ('Insurance experts say claims could top $500 million. "The losses are huge," said Ann Reyes, an insurance '
         "expert at Moody's.", []),
        # a doubled apostrophe that opens the quotation may close the sentence before it
        ("Harbour doctors welcomed the new clinic. ''It will save lives,'' said Dr. Ama Okafor.", []),
    ],
)
def test_a_group_given_a_named_voice_at_once_is_not_flagged(engine, text, flagged):
    assert evidence(engine, text) == flagged


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("Lee was exempted from the rule; she is famously shown in a photograph using her phone on a military plane.",
         []),
        ("The mayor was seen on the video leaving the hall at midnight.", []),
        # a judgement with nobody behind it is still flagged
        ("She is widely seen as the favourite to win the seat.", ["seen"]),
    ],
)
def test_what_a_picture_shows_is_not_a_claim_without_a_source(engine, text, flagged):
    assert evidence(engine, text) == flagged


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("If he held his 39 delegates, he would still need 159 delegates now supporting Okafor to clinch the "
         "nomination.", []),
        # people who are backing someone, said in a clause of its own, still take a side
        ("Two aides said that 159 delegates are now supporting Okafor.", ["Two aides"]),
    ],
)
def test_delegates_supporting_someone_says_which_delegates(engine, text, flagged):
    assert evidence(engine, text) == flagged


AS_OSEI_PUT_IT = (
    "The judge least friendly to business is Ama Lee, exactly the kind of liberal jurist many Republicans fear "
    "Mrs. Okafor would choose.\n\nAs Dana Osei, professor of constitutional law at Yale and author of ''America's "
    "Unwritten Constitution,'' put it, ''Senate Republicans should remember that a deal today may be far better for "
    "them.''"
)


def test_as_someone_put_it_is_theirs_and_gives_no_group_its_voice(engine):
    """The parser reads "As" as a preposition with Osei its object, leaving "put" no subject: Osei is the source,
    not the senators in the quote. And "As X put it" borrows words for the writer's point, so the group before it
    is still unnamed."""
    result = engine.analyze(AS_OSEI_PUT_IT)
    assert ("put", "Dana Osei") in {(a.cue.text, a.source.text) for a in result.attributions if a.source}
    assert [f.evidence.text for f in result.flags] == ["many Republicans"]


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("But then came a judge's order to release a police video of the shooting.", []),
        ("An appeals court overruled a district court judge's decision that the law was valid.", []),
        # an unnamed official's warning is still someone's word nobody can check
        ("A senior official's warning that the bridge would fail was ignored.", ["A senior official's"]),
    ],
)
def test_a_judges_order_is_a_ruling_on_the_record(engine, text, flagged):
    assert evidence(engine, text) == flagged


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("Exit polling shows he won 83% of voters under 30 in the state.", []),
        ("Whites without a degree made up 36 percent of the electorate, according to the exit polls.", []),
        # polls nobody names are still vague, and exit polls later do not name them
        ("Polls suggest voters are angry about the tax. The mayor won 60% of the vote, according to exit polls.",
         ["Polls"]),
    ],
)
def test_exit_polls_are_the_published_survey_of_voters(engine, text, flagged):
    assert evidence(engine, text) == flagged


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ('When asked why, Okafor replied in a text message: "Lee will be the nominee."', []),
        ("At one point, the band was instructed to begin playing as the fight went on.", []),
        # who says the order was given is still asked
        ("At one point, the band was instructed to begin playing, officials said.", ["officials"]),
    ],
)
def test_a_question_put_and_an_order_given_are_not_claims(engine, text, flagged):
    assert evidence(engine, text) == flagged


def test_as_clause_with_a_verb_that_goes_on_is_not_as_someone_put_it(engine):
    """ "as the co-chairman ..., Liam Fox, on Saturday called him ...": "as" here means "while", and the parser's
    broken "co" is not a speaker; only "as X put it," and "as X wrote," take the object of "as" as the source."""
    text = ('His comments come as the co-chairman of the Harbour Party, Liam Fox, on Saturday called him "a '
            'disappointment of historic proportions" as a leader.')
    result = engine.analyze(text)
    assert "the co" not in {a.source.text for a in result.attributions if a.source}


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("Okafor was dismissed on Monday as the club's manager after a run of defeats.", []),
        ("Tom Reyes was dismissed after posting the memo online.", []),
        # waving a person or a warning away is a judgement whose holder is not given
        ("She was dismissed as a dreamer.", ["was dismissed"]),
        ("Her warnings were dismissed as alarmist.", ["were dismissed"]),
    ],
)
def test_a_person_dismissed_from_a_post_is_sacked_not_waved_away(engine, text, flagged):
    assert evidence(engine, text) == flagged


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        # the tagger reads the surname as an adjective on the group noun; a named person still speaks
        ("Donald Trump spoke in Ohio on Monday. Trump and other Republicans said the plan would fail.", []),
        ("Some Democrats and other critics said the plan would fail.", ["Some Democrats and other critics"]),
    ],
)
def test_a_named_person_with_others_is_a_named_source(engine, text, flagged):
    assert evidence(engine, text) == flagged


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("He still leads the field with 24.6 percent, according to a recent poll by RealClearPolitics.", []),
        ("She leads by three points, according to a new survey by PollWorks.", []),
        ("He still leads the field with 24.6 percent, according to a recent poll.", ["a recent poll"]),
    ],
)
def test_a_pollster_written_in_camel_case_is_a_name(engine, text, flagged):
    assert evidence(engine, text) == flagged


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("She lost the Vermont primary but led in Maine, according to complete but unofficial returns.", []),
        ("Early results from the state's nine districts showed that Okoro had picked up delegates.", []),
        # a poll's results, a tax return and a count with no vote in sight keep their own rules
        ("Okoro led among women, according to early results of an exit poll.", ["early results of an exit poll"]),
        ("Early results showed that the new drug worked, researchers said.", ["researchers"]),
    ],
)
def test_the_count_of_a_vote_is_published_as_it_comes_in(engine, text, flagged):
    assert evidence(engine, text) == flagged


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("In 1999, Representative Ada Okoro lined up with her husband to be photographed with the governor.\n\n"
         "When the Okoros' turn came and they were announced, Ms. Okoro said in an interview, the governor ''kind of "
         "looked at me funny for a moment, then she gave me a huge smile and said: 'Thanks for coming.'.''", []),
        ("The closures were announced as a cost-saving measure, sources said.", ["sources"]),
    ],
)
def test_people_announced_at_an_event_are_called_out_not_reported(engine, text, flagged):
    assert evidence(engine, text) == flagged


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ('"The mayor has got to go!" some protesters chanted as they marched down Main Street.', []),
        # what a protester says, rather than chants, is still theirs to be named for
        ('Some protesters said, "The mayor lied to us about the video."', ["Some protesters"]),
    ],
)
def test_a_crowds_quoted_chant_is_a_slogan_heard_in_public(engine, text, flagged):
    assert evidence(engine, text) == flagged


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("It was announced that the plant would close in May.", ["was announced"]),
        # an announcement of a thing, with no claim in a clause, is an event
        ("The closure of the plant was announced on Monday.", []),
    ],
)
def test_it_was_announced_that_hides_who_announced(engine, text, flagged):
    assert evidence(engine, text) == flagged


def test_a_time_clause_it_was_announced_is_the_thing_not_a_claim(engine):
    """ "When it was first announced, some pundits thought ...": the pundits' view is the claim, not the launch."""
    text = "When it was first announced some pundits thought the phone was designed as a games console."
    assert evidence(engine, text) == ["some pundits"]
