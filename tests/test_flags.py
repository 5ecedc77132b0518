"""Source flags on articles written for these tests: each category, severities, and what must not be flagged."""

from __future__ import annotations

import pytest

from bot.analysis.result import Result


def check_offsets(text: str, result: Result) -> None:
    for f in result.flags:
        assert text[f.evidence.start : f.evidence.end] == f.evidence.text
        assert f.start <= f.evidence.start <= f.evidence.end <= f.end
        assert f.evidence.text.strip()
        assert f.reason.endswith(".")


def flags_of(engine, text: str, category: str | None = None):
    result = engine.analyze(text)
    check_offsets(text, result)
    return [f for f in result.flags if category is None or f.category == category]


def test_anonymous_source_behind_direct_quote_is_high(engine):
    text = '"The contract was arranged before bidding opened," one official said.'
    [flag] = flags_of(engine, text, "anonymous_source")
    assert flag.severity == "high"
    assert flag.evidence.text == "one official"
    assert "one official" in flag.reason and "direct quote" in flag.reason


def test_anonymous_source_for_a_plain_claim_is_medium(engine):
    text = "Sources familiar with the talks said the merger would be announced in June."
    [flag] = flags_of(engine, text, "anonymous_source")
    assert flag.severity == "medium"
    assert flag.evidence.text == "Sources familiar with the talks"


def test_anonymous_source_behind_a_strong_claim_is_high(engine):
    text = "A senior official said the director had accepted a bribe from the contractor."
    [flag] = flags_of(engine, text, "anonymous_source")
    assert flag.severity == "high"
    assert "strong" in flag.reason


def test_vague_source(engine):
    text = "Critics say the new stadium is too expensive for the town."
    [flag] = flags_of(engine, text, "vague_source")
    assert flag.evidence.text == "Critics"
    assert flag.severity == "low"
    assert "'Critics'" in flag.reason


def test_no_source_reportedly_and_passive(engine):
    text = "The firm reportedly moved the money offshore. It is believed that the board knew."
    flags = flags_of(engine, text, "no_source")
    evidence = sorted(f.evidence.text for f in flags)
    assert evidence == ["is believed", "reportedly"]
    assert all(f.severity == "medium" for f in flags)
    assert any("'reportedly'" in f.reason for f in flags)


def test_the_writers_own_hedge_is_not_a_missing_source(engine):
    """ "seems" is the writer's reading, not a claim someone unnamed made; "is expected to" still is."""
    assert flags_of(engine, "The plan seems to have support in the council.", "no_source") == []
    assert flags_of(engine, "The plan is expected to win support in the council.", "no_source")
    assert flags_of(engine, "Three people were reported dead after the storm.", "no_source")  # not "missing"
    # a quotation inside the hedged clause does not make the hedge someone else's claim
    assert flags_of(engine, 'The move appears to confirm the "deep unease" among party members.', "no_source") == []
    assert flags_of(engine, 'It seems, Robin said, that the pilot "wanted to destroy the aircraft."') == []


def test_unattributed_quote(engine):
    text = (
        "The bridge closed on Monday.\n\n"
        '"The whole structure could fail if nobody repairs the cables before winter."\n\n'
        "Repairs will start next week."
    )
    [flag] = flags_of(engine, text, "unattributed_quote")
    assert flag.evidence.text.startswith('"The whole structure')
    assert flag.severity == "medium"
    assert text[flag.start : flag.end] == flag.evidence.text


def test_short_scare_quotes_are_not_flagged(engine):
    text = 'The mayor called the report "fake news" on Tuesday.'
    assert flags_of(engine, text, "unattributed_quote") == []


def test_named_sources_are_not_flagged(engine):
    text = (
        "Governor Ana Silva said the budget is balanced. "
        '"We cut waste, not services," Silva told reporters. '
        "According to the state treasurer, reserves grew by 4 percent."
    )
    assert flags_of(engine, text) == []


@pytest.mark.parametrize("text", [
    'The scheme has been called "strategic ambiguity" by Joshua Hendrick, a professor at Loyola.',
    "The mayor was labelled a liar by Senator Ann Cole on Friday.",
])
def test_a_name_given_by_a_named_person_in_the_passive_is_theirs(engine, text):
    """The parser hangs "by Joshua Hendrick" on the name given ("ambiguity", "liar"), not on the verb, so the claim
    was read as having no source and flagged; the named person is its source."""
    [given] = [a for a in engine.analyze(text).attributions if a.cue.text.endswith(("called", "labelled"))]
    assert given.source is not None and given.source_kind == "named"
    assert given.source.text in ("Joshua Hendrick", "Senator Ann Cole")
    assert flags_of(engine, text) == []


def test_pronoun_with_named_antecedent_is_not_flagged(engine):
    text = "Mayor Tom Reyes spoke at the rally on Sunday.\n\nHe said the park would reopen in May."
    result = engine.analyze(text)
    [a] = [a for a in result.attributions if a.cue.text == "said"]
    assert a.source_kind == "pronoun" and a.speaker is not None and "Reyes" in a.speaker
    assert result.flags == []


def test_pronoun_continuing_an_anonymous_source_is_flagged(engine):
    text = "A senior official described the meeting as tense. He said the talks could collapse."
    flags = flags_of(engine, text, "anonymous_source")
    assert [f.evidence.text for f in flags] == ["A senior official", "He"]
    assert "refers back" in flags[1].reason


def test_she_after_an_unnamed_speaker_is_not_handed_to_an_earlier_name(engine):
    """The unnamed parent spoke last: her quote rests on nobody named, however near Ms Hollis is."""
    text = ("Ms Rachel Hollis said the school had not written to families. Another parent said teachers had been "
            "warned. 'Everyone is terrified of saying the wrong thing,' she said.")
    result = engine.analyze(text)
    quote = next(a for a in result.attributions if a.direct_quote)
    assert quote.source is not None and quote.source.text == "she" and quote.speaker is None
    [flag] = [f for f in result.flags if f.evidence is not None and f.evidence.text == "she"]
    assert flag.category == "anonymous_source" and flag.severity == "high"


@pytest.mark.parametrize("between", ["One man said teachers had been warned.",
                                     "A statement from the council said teachers had been warned.",
                                     "She said a teacher told her the school had lied.",
                                     "Anecdotal evidence suggests teachers had been warned."])
def test_she_still_finds_the_name_when_the_unnamed_speaker_cannot_be_her(engine, between):
    """A man, a paper, someone inside her own report, or evidence: "she" is still Ms Hollis, and nothing is flagged
    on it."""
    text = (f"Ms Rachel Hollis said the school had not written to families. {between} "
            "'Everyone is terrified of saying the wrong thing,' she said.")
    result = engine.analyze(text)
    quote = next(a for a in result.attributions if a.direct_quote)
    assert quote.speaker is not None and "Hollis" in quote.speaker
    assert not [f for f in result.flags if f.evidence is not None and f.evidence.text == "she"]


def test_he_does_not_continue_an_unnamed_source_past_a_named_person(engine):
    text = ("A senior official described the plan as doomed. For $90, trader Lena Marsh will sell you a copy, "
            "she says.")
    flags = flags_of(engine, text, "anonymous_source")
    assert [f.evidence.text for f in flags] == ["A senior official"]


@pytest.mark.parametrize(
    "text",
    [
        # the body is named earlier in the same sentence
        "The Harlow County Sheriff's Office is handling the crash, but a spokeswoman said it had no details yet.",
        # the modifier is a word of a firm named earlier
        "The gallery signed a lease for a shop owned by TF Cornerstone. Cornerstone representatives said the move "
        "will draw visitors.",
        # the statement the named office put out, however the parser hung "saying in a statement"
        "The office moved fast. The solicitor's office announced Monday that prosecutors would amend his sentence, "
        'saying in a statement, "The sentence was far too harsh for a first offense." "As such, the court has '
        'amended its sentence to time served," the statement said.',
        # "the firm" can only be the firm the story named
        "Shares in Halvorsen Foods rose on Monday. A spokesman for the firm said the sale was going ahead.",
    ],
)
def test_a_spokesperson_for_a_body_named_just_before_is_not_flagged(engine, text):
    assert flags_of(engine, text, "anonymous_source") == []


@pytest.mark.parametrize(
    "text",
    [
        "The vote is close. Supporters of the plan would argue that it fits the mood of the town.",
        "The vote is close. Many residents might consider the plan a good deal for the harbour.",
        "The vote is close. Critics will say the tower blocks the sun on the beach.",
    ],
)
def test_a_guess_at_what_unnamed_people_would_say_is_not_flagged(engine, text):
    assert [f for f in flags_of(engine, text) if f.category in ("anonymous_source", "vague_source")] == []


def test_an_unnamed_source_who_would_not_say_is_still_flagged(engine):
    text = "The vote is close. A senior official would not disclose how the council had voted on the tower."
    assert [f.evidence.text for f in flags_of(engine, text, "anonymous_source")] == ["A senior official"]


def test_a_document_spoken_of_again_beside_its_maker_is_not_flagged(engine):
    text = (
        "The economy grew in 2004, the International Monetary Fund said. An IMF mission made the comments in a "
        "report published after ten days of talks. In particular, the report pointed to the sale of iron ore."
    )
    assert flags_of(engine, text, "anonymous_source") == []
    text = "A report on the harbour came out on Monday. The report said the beach would lose its afternoon sun."
    assert [f.evidence.text for f in flags_of(engine, text, "anonymous_source")] == ["The report"]


def test_a_first_mention_of_a_definite_document_is_still_flagged(engine):
    text = "The council met on Monday. The memo said the tower would add 1,200 jobs."
    assert [f.evidence.text for f in flags_of(engine, text, "anonymous_source")] == ["The memo"]


def test_the_prosecution_in_a_court_story_is_on_the_record(engine):
    text = (
        "Dana Voss went on trial on Monday, charged with fraud. Prosecutors said she moved the money through two "
        "shell firms. Two former prosecutors said the case would be hard to win."
    )
    flagged = [f.evidence.text for f in flags_of(engine, text) if f.category == "anonymous_source"]
    assert flagged == ["Two former prosecutors"]


def test_one_prosecutor_speaking_alone_is_still_unnamed(engine):
    text = "Dana Voss went on trial on Monday, charged with fraud. A prosecutor said the money was never found."
    assert [f.evidence.text for f in flags_of(engine, text, "anonymous_source")] == ["A prosecutor"]


def test_calling_it_a_judgement_in_quote_marks_is_still_flagged(engine):
    text = 'The team lost again. Critics call it "a disaster for the whole town" after a run of defeats.'
    assert [f.evidence.text for f in flags_of(engine, text, "vague_source")] == ["Critics"]


def test_the_researchers_of_a_named_person_are_not_a_vague_source(engine):
    text = "Paul Allen funded the search. The gun blew sailors off the deck, Allen's researchers said."
    assert [f for f in flags_of(engine, text) if f.category in ("anonymous_source", "vague_source")] == []


def test_a_bare_spokesperson_is_still_flagged(engine):
    text = "The plane came down near the river. A spokeswoman said it had no details yet."
    assert [f.evidence.text for f in flags_of(engine, text, "anonymous_source")] == ["A spokeswoman"]
    text = "The plane came down near the river. A spokeswoman for the firm said it had no details yet."
    assert [f.evidence.text for f in flags_of(engine, text, "anonymous_source")] == ["A spokeswoman for the firm"]


def test_the_expert_after_an_unnamed_expert_is_still_unnamed(engine):
    text = ('An independent expert said the findings were "encouraging but not conclusive." '
            '"The volunteers are not a random sample," the expert said. '
            "The study was paid for by the charity. It followed 80,000 adults. "
            "Prof. James Haddad, a neurologist who was not involved, said the study was large.")
    flags = flags_of(engine, text, "anonymous_source")
    assert [f.evidence.text for f in flags][:1] == ["An independent expert"]
    [said] = [a for a in engine.analyze(text).attributions if a.source is not None and a.source.text == "the expert"]
    assert said.source_kind == "anonymous"


def test_the_analyst_beside_a_name_stays_named(engine):
    text = ("Roffman, a securities analyst for a Philadelphia firm, doubted the casino would pay. "
            "The analyst said the casino would fail within a year.")
    assert flags_of(engine, text, "anonymous_source") == []


def test_a_pronoun_does_not_carry_on_an_unnamed_source_that_was_not_flagged(engine):
    # "The three officers" tried something (an act, not flagged), so "they thought" does not carry a flag on
    text = ("Patrolman Dan Reyes, Sgt. Ana Ruiz and Officer Tom Hale chased the van. The three officers tried to stop "
            "it at the bridge. They thought they would be able to arrest the driver.")
    assert [f for f in flags_of(engine, text) if f.category.endswith("_source")] == []


def test_an_unnamed_source_named_next_by_the_same_marks_is_not_flagged(engine):
    text = ("Four crew members are believed dead after the jet crashed, an Air Force official said. "
            "Air Force Col. Dana Reyes said the crew had reported no problems.")
    assert [f for f in flags_of(engine, text, "anonymous_source")] == []


def test_another_unnamed_official_is_still_flagged_when_a_different_name_follows(engine):
    text = ("Four crew members are believed dead, an Air Force official said. "
            "Navy Capt. Dana Reyes said the search would go on.")
    assert [f.evidence.text for f in flags_of(engine, text, "anonymous_source")] == ["an Air Force official"]


def test_each_flag_sits_on_its_own_sentence(engine):
    text = "The weather was fine. Critics say the fair was badly run. Nothing else happened."
    [flag] = flags_of(engine, text, "vague_source")
    assert text[flag.start : flag.end] == "Critics say the fair was badly run."


@pytest.mark.parametrize(
    "text",
    [
        "A county judge barred the company from the auction.",  # an action, not a claim
        "Several retailers have cut hundreds of jobs this year.",
        "Border officers opened the suitcase and found the jewels.",  # "find" as an act
        "In a radio address announcing the curfew, the mayor's aide said the streets were calm.",
        "Fuel prices rose faster than expected in March.",  # a comparison
        "The chemicals, known as PFAS, stay in the soil for decades.",  # a name
        'The team won again. Economists call it the "Cinderella Effect" after a run of wins.',  # a name given
        "Declared candidates.\n\nSen. Ada Quill (D-Maine) \u2014 Announced March 23, 2015\n",  # a caption's date
    ],
)
def test_actions_names_and_comparisons_are_not_flagged_as_unsourced(engine, text):
    flagged = [f for f in flags_of(engine, text) if f.category in ("anonymous_source", "vague_source", "no_source")]
    if "mayor's aide said" in text:  # the speech in that sentence is still flagged, the participle is not
        assert [f.evidence.text for f in flagged] == ["the mayor's aide"]
    else:
        assert flagged == []


@pytest.mark.parametrize(
    ("text", "category", "evidence"),
    [
        ("Some residents attacked the plan at the meeting.", "vague_source", "Some residents"),
        ("Two officials confirmed the deal.", "anonymous_source", "Two officials"),
        ("Many analysts see the merger as a mistake.", "vague_source", "Many analysts"),
        ("The plant is expected to close next year.", "no_source", "is expected"),
    ],
)
def test_stances_judgements_and_predictions_are_still_flagged(engine, text, category, evidence):
    assert [f.evidence.text for f in flags_of(engine, text, category)] == [evidence]


def test_one_source_taking_two_stances_in_a_sentence_is_one_flag(engine):
    text = "Business groups welcomed the tax cut and warned against further rises in fuel duty."
    assert [f.evidence.text for f in flags_of(engine, text, "vague_source")] == ["Business groups"]


def test_a_quoted_question_before_its_speaker_is_not_unattributed(engine):
    assert flags_of(engine, '"Where do we go when the river floods?" Dana Brooks asked.') == []


def test_a_quote_that_ends_in_a_nested_question_before_its_speaker_is_not_unattributed(engine):
    text = "\u201cShe asked us, \u2018What can I do? What help do you need?\u2019\u201d Mara Voss said."
    assert flags_of(engine, text, "unattributed_quote") == []


def test_a_quote_right_after_a_named_speaker_is_theirs(engine):
    text = "Ravi Patel agreed with the board.\n\n\"I would never keep that much cash at home, not ever.\""
    assert flags_of(engine, text, "unattributed_quote") == []


def test_a_quote_after_he_was_quoted_as_saying_is_still_his(engine):
    text = (
        'He declined the offer. "I will not go," he was quoted as saying by French radio station RTL. '
        '"They cannot buy me with a little piece of paper. I am not a child."'
    )
    assert flags_of(engine, text, "unattributed_quote") == []


def test_a_title_in_quotes_is_not_an_unattributed_quote(engine):
    text = 'The gallery bought the engraving "The Anatomy of a Horse Seen From the Side" last year.'
    assert flags_of(engine, text, "unattributed_quote") == []


def test_a_quote_with_no_speaker_anywhere_near_is_still_flagged(engine):
    text = "It was a long and wet afternoon.\n\n\"We want answers from the council right now and today.\""
    assert [f.category for f in flags_of(engine, text)] == ["unattributed_quote"]


@pytest.mark.parametrize(
    "text",
    [
        "The mill is believed to be the oldest in the valley, according to the Dorset Heritage Trust.",
        "When asked about the deficit, Mayor Ines Duarte said the town would borrow.",
        "The mayor said the depot is expected to close in May.",
    ],
)
def test_a_hedge_inside_a_sourced_claim_is_not_a_missing_source(engine, text):
    assert flags_of(engine, text, "no_source") == []


def test_an_evidential_on_the_claim_itself_is_still_flagged(engine):
    text = "The depot is reportedly backed by two local unions."
    assert [f.evidence.text for f in flags_of(engine, text, "no_source")] == ["reportedly"]


def test_research_stays_unnamed_when_the_next_sentence_names_a_person_not_a_study(engine):
    text = "Most readers now get their news on a phone, research suggests. Editor Ada Park said she was not surprised."
    assert [f.evidence.text for f in flags_of(engine, text)] == ["research"]


def test_she_does_not_continue_a_crowd(engine):
    text = "Singer Ana Ruiz played in Leeds. Fans waved flags and sang along. She said the tour would end in May."
    assert [f for f in flags_of(engine, text) if f.category.endswith("_source")] == []


@pytest.mark.parametrize(
    "text",
    [
        "Rescuers named the turtle Yawkey after the old ballpark.",
        "A county court found the landlord liable for the damage.",
        "The group is now known as Meridian Energy.",
        "The builder has not been charged with any offence.",
        "People should not expect the fares to fall this year.",
        "Revenue fell to £90m from the £130m seen a year earlier.",
        "Air passengers can demand compensation for long delays.",  # what they could do
        "The storm has been dubbed Big Ben by forecasters at sea.",  # a name
        "Whether the deal survives remains to be seen.",
        "It has yet to be seen if the levy will work.",
        "Called aurora borealis in the north, the lights filled the sky.",
        "The dairy group was declared insolvent in December.",
        "A Welsh bank has agreed to pay $5m to the victims. Harbour Bank will put the money in a fund.",
        "Most readers now get their news on a phone, research suggests. "
        "Half of adults read no paper at all, according to a report by the think-tank Civitas.",
        "Police blamed a local gang for the fire, but no group claimed responsibility.",  # nobody claimed it
        "Wales and Ireland will share the cup, which both countries say is fair.",  # the two just named
        "Neighbours called after they heard glass breaking.",  # they telephoned
        "Prosecutors called three nurses to the stand on Tuesday.",  # a summons
        "Armed men attacked the Ravenna gas plant in 2013.",  # an assault on a place
        'The old bridge is called "Harbour Link" on the new maps.',  # a name
        'To mark "Black Friday," as the crash became known, the bank closed early.',
        "Chief prosecutor Ada Vance said the driver was drunk. The prosecutor said he had ignored two warnings.",
        'The transport ministry said in a statement that the line was safe. Engineers checked it twice. '
        '"We regret the delays," the statement said.',
        'A Leeds man held in Dubai said he was sorry. "I regret every word," Tom Reddy said.',  # named right after
        "Officials with the regional water authority said the dam held.",  # the body speaks through them
        "Four patients were infected, according to a statement released by the hospital.",
        "The hall will close, said a letter sent to members by the city council.",
        "A telegram from the embassy in Lima described the kidnapping.",
        "A Daily Courier profile of the mayor described her early years.",
        "He had fled the country, according to local media reports. The Harbour Gazette reported that he left by boat.",
        "Video shot from a police helicopter above the bridge showed that traffic was moving by noon.",
        'If sales of the "no sugar" range grow as expected, the firm will extend it to all its drinks.',
        'This week a start-up is launching a free course called "Introduction to Marine Biology."',
        'He wrote a book called "The Sound of Money" in 1990.',
        'Harbour Foods has filed a lawsuit against a former manager. The complaint said she "took the recipes".',
        "A lot of my friends in Leeds say the city is too loud.",  # the writer's own circle
        "A car maker says the new rules will cost jobs. Ford Europe said 300 posts were at risk.",  # named next
        "My phone company did not tell me that the bill had risen.",
    ],
)
def test_names_rulings_facts_advice_and_held_back_names_are_not_flagged(engine, text):
    assert [f for f in flags_of(engine, text) if f.category != "unattributed_quote"] == []


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("The builder has been accused of cutting corners on the site.", "no_source"),
        ("There were allegations of fraud at the council.", "no_source"),
        ("A senior official said the talks had failed. Harbour Bank will put the money in a fund.",
         "anonymous_source"),
    ],
)
def test_accusations_and_unnamed_officials_are_still_flagged(engine, text, category):
    assert flags_of(engine, text, category)


def test_an_expert_named_in_the_next_sentence_is_not_flagged(engine):
    text = (
        "A leading expert says the levy is a desperate measure. "
        '"It will not raise the money," says Jose Ortega of Harbour Capital.'
    )
    assert [f for f in flags_of(engine, text) if f.category == "anonymous_source"] == []


def test_an_unnamed_official_in_the_opening_is_still_flagged_when_someone_else_is_named(engine):
    text = "A senior official said the talks had failed. Mayor Lena Park said the plan was weak."
    assert [f.evidence.text for f in flags_of(engine, text, "anonymous_source")] == ["A senior official"]


def test_the_writers_own_i_is_not_an_unnamed_source(engine):
    text = "A senior official said the talks had failed. I think the plan was weak from the start."
    assert [f.evidence.text for f in flags_of(engine, text, "anonymous_source")] == ["A senior official"]


@pytest.mark.parametrize(
    "text",
    [
        # a long quote whose paragraphs ran together ('... done. "Next ...') is one speaker's
        'Coach Lena Ortiz was pleased. "I thought we started slowly and then found our rhythm. '
        '"The second half was the best we have played all season. '
        '"We will enjoy tonight and then get ready for the cup tie."',
        # a "she" who said something just before
        "Ines Varga took the photographs over a year. She said she gave no direction for how anyone should pose.\n\n"
        '"My favourite part of this project was how relaxed everybody was."',
        # a quote handed to a person with any verb names its speaker, and the next quote is theirs too
        "The girl enrolled in January.\n\n"
        '"It is so interesting and it has the kind of maths I love," she giggles. '
        '"It was easy for me because my mum taught me in a nice way."',
        # a known speaker's quotes may pause for three sentences of narration and still be theirs
        '"It has far more room to grow than the old one," said Dr Ada Quill. Standards matter on a network this '
        "size. Agreeing on them is slow work. Most users will never notice the change. "
        '"Our first goal is that nobody should notice any difference at all."',
        # a quoted title or name beside what it names is nobody's words
        'Ella shot the portraits in a week. Her series, "First and foremost I am the one," has 21 portraits.',
        'The town launched a campaign called "Keep the pier open for all of us" in May.',
    ],
)
def test_quotes_whose_speaker_a_reader_can_tell_are_not_unattributed(engine, text):
    assert flags_of(engine, text, "unattributed_quote") == []


def test_a_quote_after_a_sentence_naming_a_person_the_tagger_typed_otherwise_is_theirs(engine):
    text = (
        "Donald Trump gave an interview on Sunday.\n\n"
        "What \u201cgo after them\u201d actually means is left to the imagination of voters, since Trump spoke only "
        "in evasive bromides during the interview.\n\n"
        "\u201cWe have to do something and it\u2019s the only way you stop it.\u201d\u00a0\n"
        "\u201cWe have to be a lot tougher. We are playing with a different set of rules.\u201d\n"
    )
    assert flags_of(engine, text, "unattributed_quote") == []


def test_a_quote_four_sentences_of_narration_after_a_speaker_is_flagged(engine):
    text = (
        '"It has far more room to grow than the old one," said Dr Ada Quill. Standards matter on a network this '
        "size. Agreeing on them is slow work. Most users will never notice the change. Rollout begins in spring. "
        '"Our first goal is that nobody should notice any difference at all."'
    )
    [flag] = flags_of(engine, text, "unattributed_quote")
    assert flag.evidence.text.startswith('"Our first goal')


@pytest.mark.parametrize(
    "text",
    [
        # a person described by a role and named two sentences on
        "A former instructor at the flying school said the course is exhausting. Most trainees finish it. "
        '"I never saw anyone take a break halfway through the course," Oly Olsen said.',
        # a body named by the same word in the next sentence (not in the opening, where an older rule applied)
        "The pilot had flown for the airline since 2013. He lived with his parents. He trained in Arizona. "
        "A Leeds clinic said he had been treated there twice last year. "
        "But the Riverside Clinic said it had never treated him for depression.",
        # a body described first and named in the next sentence
        "The shelling went on all night. Troops moved into the old town. "
        "At least 40 people were killed, an activist group said. "
        "The London-based Syrian Observatory for Human Rights said most of the dead were civilians.",
    ],
)
def test_an_unnamed_source_named_soon_after_is_not_flagged(engine, text):
    assert flags_of(engine, text, "anonymous_source") == []


def test_a_run_of_quotes_with_no_speaker_is_flagged_once(engine):
    text = (
        "The match ended in a draw.\n\n"
        '"I felt we did enough to win the game even though the first half was flat. '
        '"We dominated after the break and should have scored five or six."'
    )
    flags = flags_of(engine, text, "unattributed_quote")
    assert len(flags) == 1 and flags[0].evidence.text.startswith('"I felt we did enough')
    assert flags[0].severity == "high"  # severity weighs the whole run (27 words), not its first quote


def test_a_name_set_before_a_quote_labels_it(engine):
    # The NER misses both names here, so only the label rule can tell the quote is theirs.
    for name in ("Wexford boss Aled Pryce", "Carlisle boss Brogan Heath"):
        text = f'Reaction:\n- {name} "We were sharper after the break and the goal was coming."'
        assert flags_of(engine, text, "unattributed_quote") == []


def test_an_official_stays_unnamed_even_if_a_named_official_speaks_next(engine):
    text = (
        "A senior official said the talks had collapsed on Monday night. "
        '"We remain hopeful that the talks can resume next week," official spokesperson Ana Ruiz said.'
    )
    assert [f.evidence.text for f in flags_of(engine, text, "anonymous_source")] == ["A senior official"]


@pytest.mark.parametrize(
    "text",
    [
        "Using the counting method favoured by statisticians, Reid graded every round he played.",  # describes
        "Tensions between the two villages flared again when the bridge closed and the council did not step in.",
        "A late header from Tom Price condemned Rovers to a fifth straight defeat.",  # a consequence
        'Local police officials detained the driver and charged him with "reckless endangerment."',  # a legal act
        "Some towns joined voluntarily, while others were ordered by federal judges to recognise the unions.",
        "The bank had employed him since 2015, the company's press office said.",  # an identified office
        "No note was found, the public prosecutor's office in Lyon said in a statement.",
        "The boy's parents offered him several treats, such as sweets and toys, to go to school.",  # examples
        "The first half saw Rovers keep the ball and hit the post twice.",  # a stretch of time
        "Footage of the crash shows the van swerving onto the pavement.",  # a picture of events
        "A nearby security camera showed the van leaving at midnight.",  # a camera records, it does not claim
        "A lawmaker in Manila says the singer should be banned. Ana Cruz said in a bill that he had insulted us.",
        "Two files were deleted, according to a memo released on Friday by the agency's watchdog.",
        "The award went to a phone app designed to let people write, edit and share songs.",  # an ability
        "Police have not said whether they know where the driver is.",  # no claim was made
        "A poll for the Harbour Gazette asked 900 voters about the mayor. Women back her by almost 20 points.",
        "According to the Harbour Gazette, the studio wants a sequel. The director will reportedly meet them soon.",
        "The indictment against him says he ran over his brother.",  # a court's paper
        'Residents said jets pushed the fighters back. "We heard them all night," said resident Ari Bello.',
        "The aides, led by campaign manager Tom Reyes, told donors that they would lose the first vote.",
        "Attorneys for Ada Moss said her account was private.",  # a named party's lawyers
        "Voters should choose freely, Reyes said, according to an Associated Press account.",
        "Doctors Without Borders said the clinic had been hit twice.",  # a name made of common nouns
        'One user, identified as Ada Vance, said, "Do not let this go."',  # the phrase gives the name
        "But think about it this way: if you do not vote, the problem becomes yours.",  # the writer to readers
        "Only time will tell whether the plan works.",  # an idiom
        "Reporters asked residents about the fire, but many declined.",  # a refusal, no claim
        "There is no suggestion that the mayor opposes the plan.",  # the writer rules a claim out
        "Many of you have noted the difference between the two speeches.",
        "Critics praised the show, with The Harbour Courier's Ada Moss saying it was the best of the year.",
        '"Everyone has the right to a dignified death," the proposed law says.',  # a public text
        "A projection from the Cook Political Report shows that the number could fall.",
        "Spokespeople at the State Department declined to say whether the rules had changed.",
        "Ana Cruz was projected the winner on Tuesday, with Fox News and NBC News calling the race.",
        "It was his first film, said his best friend at Lehigh, Tom Reyes.",
        "An uncle of Ana Cruz, Paulo Cruz, told reporters that no one had seen her.",
        "Researchers with the Harbour Medical Institute said the drug works.",  # staff of a named body
        "Section 12 of the Harbour Penal Code says bail may be refused.",  # a statute
        "Friends called him Tony.",  # a name
        "A few students, including Ada Moss from Leeds, said the course was too hard.",  # a named member
        "The mayor has resigned, local media said, citing council leader Ann Hale.",  # a named source relayed
        'The skater has been described as a "national treasure" by fellow skater Ann Lee.',
        "He fled, according to an affidavit signed on Friday by FBI agent Tom Reyes. The document says he left "
        "by boat.",
        "A US remake has reportedly been planned. Two writers are involved, according to reports in the trade "
        "paper Variety.",
        "A prosecutor said the case would go ahead. County Attorney Ann Cole said a date would be set soon.",
        "What the town needs are more councillors who tell voters the truth about the budget.",  # which ones
        'The magazine specified that a gadget must be a "self-contained device that can be used on its own".',
        "The speech was a warning, according to excerpts released by the White House.",
        "About two litres of water backed up in the cellar overnight.",
        "In 2004 a coalition government agreed to a new border crossing at the river.",  # a decision
        "Harbour officials originally declined to issue a permit for the march.",  # a refusal to act
        "If campaigners want to save the pier, they will have to raise the money themselves.",  # a supposition
        'One local resident put the question online: "Who pays for the repairs now?"',  # a question
        "Big retailers know that the high street is changing for good.",  # the writer's account of a group
        "Voters in both parties want a fresh face on the ballot this time.",
        'Whatever the trial finds, all know who created the "climate of fear" in the town.',  # a quoted fragment
        "The character gains weight according to how long he spends on the sofa.",  # "depending on"
        "She had planned the killing with her lover for months, according to court testimony.",  # a public record
        "He had been drinking heavily before the flight, court papers said.",
        "Authorities said in court papers that he had been drinking heavily before the flight.",
        "According to the Wilson County Sheriff's Office, deputies responded to an armed robbery at 7 p.m.",
        "The truck had no faults, a county mechanic found, according to Sheriff Ada Woodard.",  # told by a named one
        "Not according to a county mechanic, who \"found no faults\" with the truck, according to Sheriff Ada Woodard.",
        "Almost 83 million people have downloaded the app, according to the phone firm's website.",
        "Older residents still remember the flood of 1953.",  # a memory of an event, no claim told
        "More than half of her address was devoted to criticizing the mayor's housing record.",  # a gerund's doer
        "He was sentenced to probation after pleading guilty to fraud.",
        "And did anyone see them being led into the woods?",  # the writer's own question claims nothing
        "A veteran from Ohio pleaded not guilty to the charges on Monday.",  # a plea, on the court record
        "The fighter collapsed in the ring, according to video footage of the bout.",  # pictures say nothing
        "A bailiff called police after discovering the body in the courthouse.",  # finding a thing, not a claim
        # a city's or county's own records are public, and so is a paper from a named office
        "According to city payroll records, three captains each received more than $90,000 in overtime last year.",
        "County property records show the house was sold in 2019.",
        "The city hired a law firm, according to a statement from the mayor's office.",
        "There is no report of injuries.",  # the writer rules a claim out
        "Hillary Clinton, who’s called for big tax hikes on the rich, attacked the plan.",  # "has called for"
        "Hillary Clinton, who's called for big tax hikes on the rich, attacked the plan.",
        "I was told the mass was benign.",  # a memoir's past, told by the doctor just mentioned
        "Ann Lee pointed to reports that the mayor had lied.",  # reports a named person answers or points to
        # "the researchers" point back to the ones the story tied to a named university
        "Researchers at the University of Lindmoor followed 11,000 pupils. The researchers found that the link held.",
        # evidence given in open court, as British court reports set it down
        "Bank records show that much of the money was moved to accounts in Gibraltar, the court heard.",
        "Witnesses said he had been drinking, the inquest heard.",
        "Shares fell after BBC reports that the bank would be sold.",  # reports with a name on them
        "Jones described the plan as a failure.",  # a surname, though it ends in "s" and opens the sentence
        "Landlords with mortgages have seen their costs rise sharply.",  # what happened to them, witnessed
        # a named charity's survey, though the tagger calls the charity a place: "most" are its respondents
        "A survey of 300 parents by the charity Parentkind found that 58 per cent supported banning phones. Most said "
        "they worried about the effect of social media on young children.",
        "Labour MP Jo Cox said the minister had lied.",  # the MP is named
        "Lufthansa, whose CEO previously said the pilot was fit to fly, described its statement as a clarification.",
        'For Bonhoeffer, "cheap grace" is seeking forgiveness without remorse.',  # a term in quotes is no speaker
        "The pilot had not reported any fault, according to an update on Monday from the NTSB.",  # a body's paper
        "Clinton leads by 300 delegates, according to a tally by the Associated Press.",
        "Our research has found that people feel phones buzz when they do not.",  # the writer's own work
        "According to protocol, the controllers should have called their colleagues at once.",  # a rule, not a word
        # a court paper filed by a body the story named, and the same paper again
        "Lee was finance director of St Columba's Hospital Trust. A civil complaint filed by the trust says the couple "
        "moved the money abroad. The complaint says the trust has recovered little of it.",
        "Analysts polled by FactSet had expected 81 cents a share.",  # a named body's published survey
        'A second photo showed a hatch on which the words "engine room" are still legible.',  # what a picture shows
        'The video showed the men chanting "we will return" outside the gates.',
        'Not only did the video explode the myth, showing the impact of serving as "child soldiers," in his phrase, '
        "but it became a legal football.",
        # a record of the named speaker's own words, and a web address, which names its owner
        '"We are not going to back down," Walker said, according to a transcript provided by his staff.',
        "The jet has a range of 7,000 miles, according to gulfstream.com.",
        "Trump has won 758 delegates, according to a CNN tally.",  # a thing a named body compiled
        'That was a reference to a BBC story claiming Downing Street "sexed up" the dossier.',
        "A 1996 FEC advisory opinion added that paid speeches would count as campaign events.",
        "The hiker was reported missing a week later.",  # a missing-person report, an event
        "People with hand tremors find it hard to use conventional mice.",  # what they go through
        # the writer's own lesson, a replay, and a group the writer counts in
        "History has shown that every cut to the military costs more later.",
        "But replays suggested the defender was perhaps unfortunate to see red.",
        "Many observers of the computing scene, including myself, think the results will be disastrous.",
        # a ruling on record, and the writer's own description or irony
        "More than 1,200 emails have now been deemed classified.",
        "The Iranian response is best described as one that reflects a clash of visions.",
        "The Houthis are, ostensibly, hostile to the United States.",
        # "someone", "everyone", "anyone": anybody at all, or a bystander in a scene, not a source kept back
        "The next time someone accuses you of acting like a Neanderthal, do not be offended.",
        "When she asked her students, everyone in the class said they knew the word.",
        # a crowd's protest is an event in public, not a claim that needs a source
        "Hundreds of thousands of protesters packed the streets, demanding cheaper housing.",
        "In 2012, when tens of thousands protested against Putin, he was arrested again.",
        "By the end the home fans were chanting for the head of the chairman.",
        "Fans are waiting for the recently-announced spinoff movie.",  # which movie, not a claim about it
    ],
)
def test_what_only_looks_like_a_sourced_claim_is_not_flagged(engine, text):
    assert flags_of(engine, text) == []


@pytest.mark.parametrize(
    ("text", "category", "evidence"),
    [
        ("A clinic in Leeds said he had been treated there twice.", "anonymous_source", "A clinic in Leeds"),
        ('A senior official said the talks had failed, adding: "What else could we do?"', "anonymous_source",
         "A senior official"),  # a sentence ending in a quoted question is no question of the writer's
        ("A doctor from Johns Hopkins said the drug was unsafe.", "anonymous_source", "A doctor from Johns Hopkins"),
        # a judgement whose "as" the parser hangs on the agent; the source ends before it
        ("The speech is being hailed by allies as the best budget in years.", "anonymous_source", "allies"),
        # a plural role in capitals is a group, though the tagger calls "MPs" an organisation
        ("Several MPs said the budget would do too little for business.", "vague_source", "Several MPs"),
        # a study is no poll of the economists: its maker named next does not make "many" its respondents
        ("Many economists see the tariffs as a tax on consumers. A study by the Peterson Institute estimated that "
         "similar measures cost each household $400 a year.", "vague_source", "Many economists"),
        # an uncounted group is vague, a counted one ("two farmers") stays anonymous
        ("Some farmers have called for compensation.", "vague_source", "Some farmers"),
        ("Two farmers have called for compensation.", "anonymous_source", "Two farmers"),
        # remembering out loud, with a that-clause, is telling what happened
        ("Colleagues recalled that she once refused to leave a field site during a storm.", "anonymous_source",
         "Colleagues"),
        ("The singer, widely regarded as the finest of her generation, retired on Friday.", "no_source", "regarded"),
        ("Some see the decline of local papers as stemming from a loss of trust.", "vague_source", "Some"),
        ("There are fears the new bridge will not be ready before winter.", "no_source", "fears"),
        ("There are reports that the company plans to close three shops.", "no_source", "reports"),
        ("There have been warnings that the dam could fail.", "no_source", "warnings"),
        # talk set down as the news's circumstance, with its claim spelled out and nobody's name on it
        ("Shares fell amid rumours that the bank would be sold.", "no_source", "rumours"),
        ("Fans have been left furious by reports that the club could sell its star.", "no_source", "reports"),
        ("Critics say the court heard too little evidence.", "vague_source", "Critics"),  # what it heard
        ("Researchers followed 11,000 pupils. The researchers found that the link held.", "vague_source",
         "The researchers"),  # never tied to anyone named
        ("There are growing fears that the scandal could cost the party seats.", "no_source", "fears"),
        # one flag for "advocates, who say": the same group twice in a sentence
        ("The deal has been criticised by immigration advocates, who say it would make it harder for families to "
         "claim asylum.", "vague_source", "immigration advocates"),
        ("A firm whose spokesman said the plant was safe declined to comment.", "anonymous_source",
         "whose spokesman"),  # a firm nobody named
        ("Experts see that the plan will fail.", "vague_source", "Experts"),  # seeing that: a judgement
        ("Party strategists have seen the Tories seizing a poll advantage.", "anonymous_source", "Party strategists"),
        # "MP" is a role, like "official": one MP unnamed is an anonymous source
        ("One Labour MP said the minister had lied to the House.", "anonymous_source", "One Labour MP"),
        # a claim voiced as a concern, with its clause spelled out, is the group's claim
        ("Health economists have raised concerns that health systems will struggle to pay for it.", "vague_source",
         "Health economists"),
        # the by-phrase belongs to the attempt, not to whoever sees it so
        ("The move is widely seen as an attempt by Nimbus to reduce its dependence on suppliers.", "no_source",
         "seen"),
        # a plural the tagger took for a name only because it opens the sentence
        ("Neighbours described Shadwell as a gentle giant.", "vague_source", "Neighbours"),
        # the reporter's "I'm told", with a straight or a curly apostrophe
        ("I'm told the minister will resign before the summer.", "no_source", "told"),
        ("I’m told the minister will resign before the summer.", "no_source", "told"),
        ("According to state media reports, the general was arrested.", "anonymous_source", "state media reports"),
        ("Officials agreed that the old bridge was no longer safe for lorries.", "anonymous_source", "Officials"),
        ("It is understood that the manager will be replaced before the cup tie.", "no_source", "is understood"),
        ("Many residents say they feel ignored. What explains this sudden silence from the council?", "vague_source",
         "Many residents"),  # "what" does not carry the group over
        ("Critics say the plan was rushed. The mayor resigned on Friday. That says it all.", "vague_source",
         "Critics"),  # nor does "that"
    ],
)
def test_weasel_forms_and_unidentified_sources_are_still_flagged(engine, text, category, evidence):
    assert [(f.category, f.evidence.text) for f in flags_of(engine, text)] == [(category, evidence)]


def test_a_named_possessor_before_a_curly_apostrophe_names_the_source(engine):
    text = "Bernie Sanders won Oregon. Sanders’ campaign announced it would seek a recanvass in Kentucky."
    assert flags_of(engine, text) == []
    assert flags_of(engine, "Officials’ statements said the count was wrong.", "anonymous_source")


@pytest.mark.parametrize(
    "text",
    ["A CNN producer said the tape was real.", "One Sanders supporter said the count was rigged.",
     "A March speech claimed the count was rigged."],
)
def test_a_person_beside_a_named_body_and_a_dated_speech_stay_unnamed(engine, text):
    assert flags_of(engine, text, "anonymous_source")


@pytest.mark.parametrize(
    "text, evidence",
    [
        ("A head teacher I spoke to said the new tests were a disaster.", "A head teacher"),  # not the writer
        ("We are told that the new tests will raise standards.", "are told"),  # told by nobody named
        ("I was told that the executives did not want to sit with him.", "was told"),
    ],
)
def test_what_the_writer_was_told_by_someone_unnamed_is_flagged(engine, text, evidence):
    assert [f.evidence.text for f in flags_of(engine, text)] == [evidence]


def test_a_memoirs_bare_i_was_told_and_a_day_are_not_sources(engine):
    assert flags_of(engine, "We met the surgeon. I was told the mass was probably not cancer.") == []
    assert flags_of(engine, "I was a supporter on the day I became the first member to endorse him.") == []


@pytest.mark.parametrize(
    "text",
    [
        'Any other accusations of flip-flopping, he added, "are just ridiculous."',  # his words about them
        "But the staffing change, hammered out on Sunday and formally announced on Wednesday, was a surprise.",
    ],
)
def test_a_claim_noun_in_a_named_speakers_words_and_an_announced_event_are_not_flagged(engine, text):
    assert flags_of(engine, text, "no_source") == []


def test_a_hedging_participle_after_a_comma_has_no_source(engine):
    """ "..., believed to have been ...": the attackers named before the comma do not believe anything."""
    text = "The attack was carried out by two gunmen, believed to have been supported by at least two accomplices."
    assert [(f.category, f.evidence.text) for f in flags_of(engine, text)] == [("no_source", "believed")]


def test_someone_in_the_know_is_still_flagged(engine):
    assert flags_of(engine, "Someone familiar with the talks said the deal was close.")


def test_what_protesters_say_is_still_a_claim(engine):
    assert flags_of(engine, "Protesters said the police had fired first.", "vague_source")
    assert flags_of(engine, "Critics find it hard to believe the plan will work.", "vague_source")  # a stance


def test_a_person_relaying_a_named_speakers_words_is_still_flagged(engine):
    text = '"We will not back down," Walker said, according to a campaign official.'
    assert [f.evidence.text for f in flags_of(engine, text)] == ["a campaign official"]


def test_a_named_polls_respondents_are_its_findings_not_vague_sources(engine):
    text = (
        "Shoppers are wary of smart price tags, a survey says.\n\n"
        "More than half of 2,000 people surveyed said they had privacy worries about the tags. "
        "The survey of shoppers in four countries was carried out by consultancy group Brightwater. "
        "The tags are cheap to make. Stores like them. They track stock.\n\n"
        "Sixty percent of people said they were worried that the data would be sold."
    )
    assert flags_of(engine, text) == []


def test_a_group_the_named_poll_did_not_ask_is_still_a_vague_source(engine):
    text = ("A YouGov poll for The Times found 60 per cent of voters want a reshuffle. "
            "Some MPs believe a reshuffle could give the government a reset. "
            "Most voters said the economy mattered more.")
    assert [f.evidence.text for f in flags_of(engine, text)] == ["Some MPs"]


@pytest.mark.parametrize(
    ("text", "evidence"),
    [
        # no one is named as the poll's maker: the respondents lean on an unnamed survey
        ("A poll in Portugal asked 2,000 adults about rents. Many of those questioned said rents were too high.",
         "Many of those questioned"),
        # a count of officials is a kept-unnamed source, not a poll's respondents
        ("A poll for the broadcaster RTN found voters split. One senior official said the vote would be delayed.",
         "One senior official"),
        ("One recent study found that the boards had more men called John than women of any name.",
         "One recent study"),
    ],
)
def test_an_unnamed_poll_and_unnamed_officials_are_still_flagged(engine, text, evidence):
    assert evidence in [f.evidence.text for f in flags_of(engine, text)]


def test_a_speaker_keeps_the_floor_through_a_line_of_narration(engine):
    text = (
        'Ms Cole said the library would stay open this year. "We have the money for this year at least," she said. '
        'The council meets again in May. "After that, nobody knows what will happen to the building."'
    )
    assert flags_of(engine, text, "unattributed_quote") == []


def test_a_quote_long_after_the_last_speaker_is_still_flagged(engine):
    text = (
        '"We have the money for this year at least," Ms Cole said. The council meets again in May. '
        "The building dates from 1902. Its roof was mended in 2010. Repairs cost a great deal.\n\n"
        '"After that, nobody knows what will happen to the building."'
    )
    assert [f.category for f in flags_of(engine, text)] == ["unattributed_quote"]


def test_she_does_not_continue_an_unnamed_man(engine):
    text = "Nurse Ada Lin was hurt in the blast. A man told her she would live. Later, she testified, she felt cold."
    assert [f.evidence.text for f in flags_of(engine, text)] == ["A man"]


@pytest.mark.parametrize(
    ("text", "evidence"),
    [
        ("Critics called for the mayor to resign.", "Critics"),  # a demand is a stance
        ("Officials at the scene said the fire spread fast.", "Officials at the scene"),  # a place, not a body
        ("Two officials at the ministry said the deal was off.", "Two officials at the ministry"),  # counted people
        ("A senior official at the Treasury said the talks had failed.", "A senior official at the Treasury"),
        ("Most adults own a phone, according to official figures. It is estimated that half of children do, "
         "according to Ofcom.", "official figures"),  # the next sentence names another source
        ("A statement released by a hospital said the patients were safe.", "A statement"),
        ("A friend of the mayor said the plan would fail.", "A friend of the mayor"),
        ("The riot was portrayed as violence by an angry mob, officials said.", "officials"),
        ("Officials did not deny that the plant would close.", "Officials"),  # a denial refused is a claim
        ("The mayor, a regular in recent years, isn't expected to attend.", "isn't expected"),  # a forecast
        ("Attorneys said the plan was illegal.", "Attorneys"),
        ("Doctors without experience said the drug works.", "Doctors without experience"),
        ("An official from Lehigh, Pennsylvania, said the plan would fail.", "An official from Lehigh, Pennsylvania"),
        ("U.S. officials were quick to call it murder, with the head of the union calling it an attack.",
         "U.S. officials"),  # officials stay unnamed whoever else speaks
        ("Researchers at a university in Ohio said the drug works.", "Researchers at a university in Ohio"),
        ("A poll for the Harbour Gazette asked 900 voters. Sales rose 26% last year, according to analysts.",
         "analysts"),  # market figures, not the poll's
        ("Singer Ada Moss has reportedly split from her band. Her manager Tom Ray said she was resting.",
         "reportedly"),
        ("The company is reportedly exploring the sale of its gaming division. Analysts at Pembroke Capital said in "
         "a note that the cuts would save $400m a year.", "reportedly"),
        ("Some critics say the tax will drive shops away. The mayor opened a market on Friday.", "Some critics"),
        # a named critic reported next does not answer for the group (one quoted at once does since the twelfth
        # session: tests/test_flag_misreadings.py)
        ("Some critics say the tax will drive shops away. Trader Ada Lumb of Leeds said it was a disaster.",
         "Some critics"),
        ("All signs point to the mayor accepting the plan.", "All signs"),
        ('Many viewers have compared the film to "The Day After Tomorrow," a disaster epic.', "Many viewers"),
        ("Campaigners called the plan a disaster for the coast.", "Campaigners"),
        ("Critics attacked the plan as reckless.", "Critics"),  # words, not force
        ('The deal is called "a disaster" in some quarters.', "is called"),  # a judgement, not a name
        ('The mayor has been called the "Trump of the North" for his remarks.', "been called"),  # a label
        ("A prosecutor said the driver was drunk. The prosecutor said he had ignored two warnings.", "A prosecutor"),
    ],
)
def test_demands_judgements_and_a_role_never_named_are_still_flagged(engine, text, evidence):
    assert evidence in [f.evidence.text for f in flags_of(engine, text)]


def test_a_court_story_s_allegedly_reports_the_charges(engine):
    text = (
        "Ravi Mehta, 31, went on trial on Monday. Prosecutors say he stole from the charity. "
        "He allegedly moved the money to a bank in Jersey."
    )
    assert [f for f in flags_of(engine, text) if f.category == "no_source"] == []


def test_allegedly_outside_a_court_story_is_still_flagged(engine):
    text = "The singer allegedly moved the money to a bank in Jersey before the tour."
    assert [f.evidence.text for f in flags_of(engine, text, "no_source")] == ["allegedly"]


def test_reportedly_is_flagged_even_in_a_court_story(engine):
    text = "Ravi Mehta, 31, went on trial on Monday. He reportedly moved the money to a bank in Jersey."
    assert [f.evidence.text for f in flags_of(engine, text, "no_source")] == ["reportedly"]


@pytest.mark.parametrize(
    "text",
    [
        'Patients ask the same things. "Should I take a pill?" "Which one is safest?" Doctors rarely have time.',
        'The motel rebranded itself as "Sunny Coast Holiday Village." Guests kept coming.',
    ],
)
def test_a_quoted_question_or_name_is_not_an_unattributed_quote(engine, text):
    assert flags_of(engine, text, "unattributed_quote") == []


def test_a_quoted_claim_still_needs_a_speaker(engine):
    text = 'The council met on Monday. "The budget is a disaster and everyone knows it." The vote was delayed.'
    assert [f.category for f in flags_of(engine, text)] == ["unattributed_quote"]


def test_who_after_a_named_person_does_not_continue_an_unnamed_group(engine):
    text = "Some fans worried for the singer Ada Moss, who wrote in her column that she was ill."
    assert [f.evidence.text for f in flags_of(engine, text)] == ["Some fans"]


def test_a_pronoun_inside_what_an_unnamed_group_said_is_not_flagged_again(engine):
    text = "Critics say that they were never consulted about the bridge."
    assert [f.evidence.text for f in flags_of(engine, text)] == ["Critics"]


def test_one_of_them_carries_an_unnamed_group_over_and_is_flagged(engine):
    text = 'Two nurses said they felt betrayed. "We trusted these people with our future," one of them said.'
    flagged = [f for f in engine.analyze(text).flags if f.evidence.text == "one of them"]
    assert flagged and flagged[0].category == "anonymous_source" and "Two nurses" in flagged[0].reason
    named = 'Two nurses, Ann Lee and Bo Chan, said they felt betrayed. "We trusted them," one of them said.'
    assert not [f for f in engine.analyze(named).flags if f.evidence.text == "one of them"]


def test_a_group_that_names_a_member_body_is_not_flagged(engine):
    text = "Groups including the Musicians' Union are calling for an end to the high cost of visas, saying it hurts."
    assert not [f for f in engine.analyze(text).flags if f.evidence.text.startswith("Groups")]


@pytest.mark.parametrize(
    ("text", "evidence"),
    [
        # an agentless reporting passive in a relative clause is the writer's aside, nobody's word
        ("Rovers signed Marco Lenz, who is said to be unhappy.", "is said"),
        ("It has been argued that such studies overstate the benefit.", "been argued"),
        ("It has been suggested that the council hid the report.", "been suggested"),
        # a firm named "... Research" is not a poll whose respondents the next sentence quotes
        ("Phone sales fell 9% in the quarter, according to Counterpoint Research. Two people familiar with the "
         "matter said Lumen would cut prices.", "Two people familiar with the matter"),
        # "a charge the company denies" and "in charge of" do not make a court story
        ("Greenline has been accused of falsifying maintenance logs, a charge the company denies.", "been accused"),
        ("The minister allegedly took bribes from a developer. She is in charge of the housing budget.", "allegedly"),
        ("The striker allegedly punched a teammate. He will be a judge on a TV talent show next year.", "allegedly"),
    ],
)
def test_unsourced_claims_the_rules_used_to_miss_are_flagged(engine, text, evidence):
    assert evidence in [f.evidence.text for f in engine.analyze(text).flags]


@pytest.mark.parametrize(
    "text",
    [
        "The striker allegedly punched a teammate. He was charged with assault on Monday.",
        "The striker allegedly punched a teammate. A judge ordered him to stay away from the club.",
        # an aside inside what a named source says stays theirs
        "The MMF say British artists face an uphill struggle, thanks to visa rules, which are also seen as harsh.",
    ],
)
def test_court_hedges_and_asides_in_named_claims_stay_unflagged(engine, text):
    assert not [f for f in engine.analyze(text).flags if f.category == "no_source"]


@pytest.mark.parametrize(
    ("text", "evidence"),
    [
        ('The singer has split from her husband, a representative for Lindqvist confirmed on Sunday. "They have '
         'decided to part ways with love and respect," the representative said in a statement.',
         "the representative"),
        ("A spokesperson for Lindqvist said the tour was cancelled. The spokesperson said refunds would follow.",
         "The spokesperson"),
        ("The Valley Water Authority warned of shortages. The authority says it is spending more on pipes.",
         "The authority"),
        ("Gunmen seized the town, leaving as many as 2,000 people feared dead.", "as many as 2,000 people"),
    ],
)
def test_back_references_and_what_is_feared_are_not_unnamed_sources(engine, text, evidence):
    assert evidence not in [f.evidence.text for f in engine.analyze(text).flags]


def test_an_accusation_is_a_strong_claim_whatever_its_form(engine):
    (flag,) = engine.analyze("The minister has been accused of taking bribes.").flags
    assert flag.category == "no_source" and flag.severity == "high"


@pytest.mark.parametrize(("text", "severity"), [
    ("The scheme will reportedly bring more traffic to the town.", "medium"),  # a British "scheme" is a plan
    ("The minister reportedly lied to parliament about the contracts.", "high"),
    ("He is reportedly lying about the contracts.", "high"),
    ("The minister is reportedly lying.", "high"),
    ("Hard times reportedly lie ahead for the party.", "medium"),  # what lies ahead
    ("The firm will reportedly lay off 300 workers.", "medium"),  # "lay off" is not a lie
    ("The troops will reportedly lay the groundwork for talks.", "medium"),
    ("Residents in low-lying areas were reportedly told to prepare for evacuation.", "medium"),  # a place, low
    ("Two people were reportedly lying in the road.", "medium"),  # lying down, not lying
])
def test_lie_is_a_strong_word_only_as_a_falsehood(engine, text, severity):
    (flag,) = engine.analyze(text).flags
    assert flag.category == "no_source" and flag.severity == severity


def test_a_copula_with_no_claim_is_not_flagged(engine):
    assert not engine.analyze("Fans were quick to react online.").flags


def test_a_study_published_in_a_named_journal_is_named(engine):
    named = engine.analyze("The drug cut deaths by a third, according to a study published in the journal Nature.")
    assert not named.flags
    unnamed = engine.analyze("The drug cut deaths by a third, according to a study published last year.")
    assert [f.evidence.text for f in unnamed.flags] == ["a study"]


@pytest.mark.parametrize(
    ("text", "not_flagged"),
    [
        # a bare thing after an inverted verb of saying is what is promised, not who promises
        ("Lumen unveils folding laptop, promises all-day battery\nThe company said it ships in May.",
         "all-day battery"),
        # a present-tense verb with no subject, read by the parser as a statement, is the writer's imperative
        ("Once again, expect cinematic cut scenes and polished production values.", None),
    ],
)
def test_misread_headlines_and_imperatives_are_not_flagged(engine, text, not_flagged):
    raised = [f.evidence.text for f in engine.analyze(text).flags]
    assert not_flagged not in raised if not_flagged else not raised


@pytest.mark.parametrize(
    ("text", "source"),
    [
        ('"The plan is dead," said police.', "police"),
        ('"The plan is dead," say experts.', "experts"),
        ('"Come back!" yells his grandmother.', "his grandmother"),
        ("Software writers are at risk, warns former programmer and inventor Florian Mueller.",
         "former programmer and inventor Florian Mueller"),
    ],
)
def test_inverted_speakers_are_still_found(engine, text, source):
    assert source in [a.source.text for a in engine.analyze(text).attributions if a.source is not None]


@pytest.mark.parametrize(
    "heading",
    [
        "Critics say harbour plan will hurt fishermen\n\n",  # a title line
        "Critics say harbour plan will hurt fishermen.\n\n",  # a sentence-case headline with a stop
        "Harbour plan under fire.\nCritics say fishermen will suffer.\n\n",  # a headline and a deck line
    ],
)
def test_a_heading_is_not_flagged_but_the_body_still_is(engine, heading):
    body = (
        "The council unveiled its harbour plan on Monday. Critics say the plan will hurt fishermen, "
        "and some residents fear higher rents."
    )
    text = heading + body
    flags = flags_of(engine, text)
    assert flags, "the body's own unnamed sources must still be flagged"
    assert all(f.start >= len(heading) for f in flags)
    assert sorted(f.evidence.text for f in flags) == ["Critics", "some residents"]


def test_a_short_first_paragraph_is_a_heading_but_a_long_lede_is_not(engine):
    lede = (
        "Critics say the harbour plan the council unveiled on Monday will hurt the fishermen who have worked "
        "the quay for generations.\n\nThe council disagrees."
    )
    assert [f.evidence.text for f in flags_of(engine, lede)] == ["Critics"]


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        # the campaign put the email out, so the email speaks for the campaign
        ("On Saturday, the Okafor campaign sent out a fundraising email stressing that the race had turned.", []),
        ("The Okafor campaign sent an email to supporters on Monday.\n\n"
         '"We can win this race if you give today," the email read. It said that the polls had turned.', []),
        # nobody is said to have put it out, or it is someone else's
        ("On Saturday, a fundraising email stressed that the race had turned.", ["a fundraising email"]),
        ("On Saturday, a donor obtained a fundraising email stressing that the race had turned.",
         ["a fundraising email"]),
    ],
)
def test_a_document_a_named_sender_put_out_speaks_for_them(engine, text, flagged):
    assert [f.evidence.text for f in flags_of(engine, text)] == flagged


@pytest.mark.parametrize(
    "text",
    [
        "A quick look at the figures suggests that the plan is failing.",  # the writer looking, nobody's word
        "A walk through the new offices hints at the changes.",
        "Reporters wrote about a student referred to online as #stickerboy, who got into the rally.",  # a name
        "While Okafor was formally nominated as the party's candidate, her rival met donors across the street.",
        # the parser hangs the friend's quotation on "nominated" too
        '"Some staffer slipped up. Let\'s move on," said Curt Brown, a close friend of Gov. Ann Lee, who was '
        "formally nominated as the running mate on Tuesday.",
        # "what to expect" is a question, not a claim
        "The basic job of the newsletter, for its 5,000 readers, is to be useful, not loud; to give readers a sense "
        "of what to expect over the next day, not to explore the deeper problems of the town.",
    ],
)
def test_looking_naming_appointing_and_asking_what_to_expect_are_not_claims(engine, text):
    flagged = [(f.category, f.evidence.text) for f in flags_of(engine, text)]
    assert all(category == "vague_source" and evidence == "Reporters" for category, evidence in flagged), flagged


@pytest.mark.parametrize(
    ("text", "evidence"),
    [
        ("A senior official suggests that the plan is failing.", "A senior official"),
        ("Voters expect the plan to fail, many say.", "many"),
        ("The plan is expected to fail.", "is expected"),
    ],
)
def test_unnamed_sources_next_to_those_rules_are_still_flagged(engine, text, evidence):
    assert evidence in [f.evidence.text for f in flags_of(engine, text)]


def test_people_doing_the_looking_still_speak(engine):
    text = ("Investigators searching the pilot's Berlin apartment said they found documents revealing he had been "
            "declared unfit for work.")
    assert any(f.evidence.text.startswith("Investigators") for f in flags_of(engine, text, "anonymous_source"))


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        # the leaders of a body the story named speak for it on the record
        ("The Meridian Foundation invited every candidate.\n\nLeaders of the organization have said they invite all "
         "candidates to speak.", []),
        ("The Meridian Foundation invited every candidate.\n\nOther leaders of the organization said they were uneasy.",
         ["Other leaders of the organization"]),
        ("Leaders have said they will fight the plan.", ["Leaders"]),
        # an effort is its maker's, not a source of its own
        ("Okafor will try to move past the row in an effort to rally voters and paint her rival as a relic.", []),
        # an idiom
        ("Now that Okafor has claimed the mayor founded the gang, the candidate had some explaining to do.", []),
    ],
)
def test_a_bodys_leaders_an_effort_and_some_explaining(engine, text, flagged):
    assert [f.evidence.text for f in flags_of(engine, text)] == flagged


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("On Thursday, the Meridian Foundation announced she was not coming.\n\n"
         '"She will not attend the meeting," the release said.', []),
        ('"She will not attend the meeting," the release said.', ["the release"]),
        # an announcement by nobody named does not name the release
        ("On Thursday, officials announced she was not coming.\n\n"
         '"She will not attend the meeting," the release said.', ["officials", "the release"]),
    ],
)
def test_a_release_just_after_a_named_announcement_is_that_announcement(engine, text, flagged):
    assert sorted(f.evidence.text for f in flags_of(engine, text)) == flagged


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("About 40 teachers have said that they will join the strike on Monday, according to an organizer.",
         ["an organizer"]),
        # not a report of what they said: the according-to may be about the deal alone
        ("Unions also denounced the deal, which would cut the firm's tax rate to 17 percent, according to an "
         "organizer.", ["Unions", "an organizer"]),
    ],
)
def test_the_source_of_a_reported_saying_is_the_one_it_is_according_to(engine, text, flagged):
    assert sorted(f.evidence.text for f in flags_of(engine, text)) == flagged


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("Neither candidate has said whether the tax would rise.", []),  # nobody claimed anything
        ("Okafor and Lee met voters on Monday. Each candidate said the race was close.", []),  # both named
        ("Okafor and Lee met voters on Monday. A candidate said the race was close.", ["A candidate"]),
    ],
)
def test_neither_and_each_of_the_named_candidates(engine, text, flagged):
    assert [f.evidence.text for f in flags_of(engine, text)] == flagged


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        # a group given a named member to ask
        ("Proponents like Mr. Eisenbrey urged the council to raise the cutoff.", []),
        ("Some staunch defenders of trade, like Gary Clyde Hufbauer, a senior fellow at the institute, said the "
         "deal was sound.", []),
        ("Some staunch defenders of trade said the deal was sound.", ["Some staunch defenders of trade"]),
        # the parser takes a preposition, or a contracted "’s", for the subject
        ('Of Carson, Levine, who has given money to Rubio, said, "He is scary."', []),
    ],
)
def test_groups_with_a_named_member_and_misparsed_subjects(engine, text, flagged):
    assert [f.evidence.text for f in flags_of(engine, text)] == flagged


def test_a_contracted_has_is_not_the_speaker(nlp):
    from bot.analysis import attribution, segment

    doc = nlp("While he’s said he believes marriage is between a man and a woman, he has also feted gay couples.")
    found = attribution.find_attributions(doc, segment.sentences(doc))
    said = next(a for a in found if a.cue.text == "said")
    assert said.source is not None and said.source.text == "he" and said.source_kind == "pronoun"


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("His complaint, according to an interview with The Harbour Times at the time, was the cost.", []),
        ("He wants a bigger role, according to interviews with more than a dozen of Okafor's friends and aides.",
         ["interviews with more than a dozen of Okafor's friends and aides"]),
    ],
)
def test_an_interview_with_a_named_outlet_is_on_record(engine, text, flagged):
    assert [f.evidence.text for f in flags_of(engine, text)] == flagged


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("Holding rates near zero has encouraged borrowing and risk-taking, supporting faster growth.", []),
        # the parser makes "clamoring" the subject and hangs the voters under it: they are the source
        ("Many voters clamoring for lower taxes support the new bill for their own reasons.", ["Many voters"]),
        # the parser makes "collecting" the head, but the page is what speaks
        ("A GoFundMe page collecting donations for Okafor's family says he was hoping to go to college and study "
         "business.", ["A GoFundMe page collecting donations for Okafor's family"]),
    ],
)
def test_a_doing_is_no_speaker_but_the_people_under_it_are(engine, text, flagged):
    assert [f.evidence.text for f in flags_of(engine, text)] == flagged


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        # a surname ending in -ly, which the tagger reads as an adverb
        ('Skelly praised the pick. And Skelly called Braynard "a real smart guy."', []),
        ("For those focused on ratings, it's worth pointing out that our first debate broke the record.", []),
        ("Dahlys Hamilton is listed as the chairman of the group.", []),  # what a record says
        ("Ultimately, critics said the plan was doomed.", ["critics"]),  # a real adverb before a verb
    ],
)
def test_ly_surnames_asides_and_listings(engine, text, flagged):
    assert [f.evidence.text for f in flags_of(engine, text)] == flagged


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        # an open question or an instruction claims nothing
        ("Guests are given color-coded, timed tickets telling them when to join the queue.", []),
        # but these still report what unnamed people said
        ("Officials said who was behind the attack.", ["Officials"]),
        ("Delegates questioned how Okafor could break a pledge he made.", ["Delegates"]),
        ("The changes, which officials said will take effect soon, do not cover everyone.", ["officials"]),
    ],
)
def test_open_questions_and_instructions_are_not_claims(engine, text, flagged):
    assert [f.evidence.text for f in flags_of(engine, text)] == flagged


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("Okafor and Lee met on Monday. The two said they would debate again.", []),  # the two just named
        ("Two said they would not debate again.", ["Two"]),
    ],
)
def test_the_two_just_named_are_named(engine, text, flagged):
    assert [f.evidence.text for f in flags_of(engine, text)] == flagged


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        # which group it is, a choice made, a bill sent: no claim
        ("Mr. Rastin also gave $300,000 to an independent group backing Gov. Okafor.", []),
        ("Harbour Republicans chose Okafor as their nominee in a March caucus.", []),
        ("A company he owns has charged the campaign about $3.7 million in travel costs.", []),
        # a group that says something is still flagged, and so is a charge of wrongdoing
        ("Groups backing the mayor say the audit was rigged.", ["Groups"]),
        ("A former aide has charged that the campaign hid the costs.", ["A former aide"]),
    ],
)
def test_siding_choosing_and_billing_are_not_claims(engine, text, flagged):
    assert [f.evidence.text for f in flags_of(engine, text)] == flagged
