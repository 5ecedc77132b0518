"""Who speaks in frames the small parser misreads or the rules missed, found by reading articles: a trailing speaker
("..., a source close to the star said on Friday"), a leaked paper of a named body, "a union spokesman" after the
union, and a passive with its "is" left out ("the club, understood to have ..."). Sentences written for these tests.
"""

from __future__ import annotations

from bot.analysis.result import Result
from tests.test_attribution import find


def _by_source(result: Result) -> dict[str, tuple[str, str | None]]:
    return {a.source.text: (a.source_kind, a.content.text if a.content else None)
            for a in result.attributions if a.source is not None}


def test_a_trailing_unnamed_speaker_is_the_source_not_the_subject(engine):
    result = engine.analyze("The actor has separated from his wife, a source close to the star said on Friday.")
    found = _by_source(result)
    assert "The actor" not in found
    assert found["a source close to the star"] == ("anonymous", "The actor has separated from his wife")
    assert [f.evidence.text for f in result.flags] == ["a source close to the star"]


def test_a_trailing_speaker_the_parser_hung_on_a_noun_is_found(engine):
    text = ("Actor Jake Morrow and singer Lila Grant have separated after four years together, a representative "
            "for the couple confirmed on Sunday.")
    kind, content = _by_source(engine.analyze(text))["a representative for the couple"]
    assert kind == "named"  # the couple's own representative, on the record
    assert content is not None and content.startswith("Actor Jake Morrow and singer Lila Grant have separated")


def test_a_clause_after_the_verb_is_not_a_trailing_speaker(engine):
    text = "Carson drew close to, or even ahead of, front-runner Donald Trump in polls and held a strong position."
    assert all(a.source is None or "front-runner" not in a.source.text for a in engine.analyze(text).attributions)


def test_a_leaked_or_confidential_paper_is_unnamed(engine):
    text = ("A leaked Treasury memo has warned that the spending plans leave a gap of £20bn. "
            "A confidential Home Office document says the scheme has failed. "
            "A Treasury spokesman said the figures were out of date.")
    result = engine.analyze(text)
    kinds = {source: kind for source, (kind, _) in _by_source(result).items()}
    assert kinds == {"A leaked Treasury memo": "anonymous", "A confidential Home Office document": "anonymous",
                     "A Treasury spokesman": "named"}
    assert [f.evidence.text for f in result.flags if f.category.endswith("_source")] == [
        "A leaked Treasury memo", "A confidential Home Office document"]


def test_a_spokesperson_named_by_the_kind_of_body_the_story_named_is_on_record(engine):
    result = engine.analyze("Unison said 31 jobs would go. A union spokesman said it would ballot members.")
    assert _by_source(result)["A union spokesman"][0] == "named"
    assert result.flags == []
    # with no organisation named before, "a company spokeswoman" could be anyone's
    result = engine.analyze("The plane came down near the river. A company spokeswoman said it had no details yet.")
    assert [f.evidence.text for f in result.flags] == ["A company spokeswoman"]


def test_a_passive_with_its_is_left_out_has_no_source(engine):
    text = ("Rovers agreed a fee, with the Portuguese club understood to have accepted the offer in principle. "
            "City, said to be furious, have complained.")
    result = engine.analyze(text)
    assert [(a.cue.text, a.source) for a in result.attributions if a.cue.text in ("understood", "said")] == [
        ("understood", None), ("said", None)]
    assert [f.evidence.text for f in result.flags if f.category == "no_source"] == ["understood", "said"]


def test_an_active_verb_with_its_object_moved_in_front_keeps_its_subject(engine):
    text = "He survived what many people believed to be a campaign killer."
    [believed] = [a for a in engine.analyze(text).attributions if a.cue.text == "believed"]
    assert believed.source is not None and believed.source.text == "many people"


def test_staff_at_a_firm_the_tagger_does_not_know_are_the_firms(engine):
    text = "Analysts at Peel Hunt said the cut was a blow. Analysts at Berenberg said it was deeper than expected."
    result = engine.analyze(text)
    assert {kind for kind, _ in _by_source(result).values()} == {"named"}
    assert result.flags == []


def test_has_said_joined_to_a_since_clause_shares_the_main_subject(engine):
    text = ("Viktor Orban has met President Vladimir Putin several times since the war began and has repeatedly said "
            "that sanctions have hurt Europe.")
    [said] = [a for a in engine.analyze(text).attributions if a.cue.text == "said"]
    assert said.source is not None and said.source.text == "Viktor Orban"


def test_the_researchers_of_a_named_team_are_on_record(engine):
    for text in ("A team at the University of New Mexico found plastic in every sample. The researchers said they had "
                 "taken steps to avoid contamination.",
                 "Dr Ana Campen's team found plastic in every sample. The researchers said they had taken steps to "
                 "avoid contamination."):
        assert _by_source(engine.analyze(text))["The researchers"][0] == "named"
    # a team of something else does not name researchers
    result = engine.analyze("A team of divers searched the lake. The researchers said the water was cold.")
    assert [f.evidence.text for f in result.flags] == ["The researchers"]


def test_a_paper_seen_by_or_obtained_by_a_newsroom_is_unnamed(engine):
    text = ("According to a draft seen by Reuters, the floor would apply for three years. "
            "A letter seen by the Guardian said the plan was dead. "
            "A report published by the Treasury said growth would slow.")
    kinds = {source: kind for source, (kind, _) in _by_source(engine.analyze(text)).items()}
    assert kinds == {"a draft": "anonymous", "A letter": "anonymous", "A report": "named"}


def test_a_partys_mps_are_a_vague_group_and_federal_data_a_record(engine):
    text = ("Labour MPs said the plan was a mistake. The region has warmed by 2 degrees since the 1970s, federal data "
            "show.")
    result = engine.analyze(text)
    assert [(f.category, f.evidence.text) for f in result.flags] == [("vague_source", "Labour MPs")]


def test_staff_at_a_named_hospital_or_service_speak_for_it(engine):
    text = ("Forecasters at the National Weather Service said gusts were expected. Doctors at Great Ormond Street "
            "Hospital said the boy was stable. Doctors said the girl was stable.")
    assert [f.evidence.text for f in engine.analyze(text).flags] == ["Doctors"]


def test_a_bare_spokesperson_right_after_a_named_body_spoke_is_that_bodys(engine):
    for text in ("Leeds City Council said the road would reopen. A spokeswoman said the work was needed.",
                 "The hospital trust apologised to the family. A spokesperson said lessons had been learned."):
        assert engine.analyze(text).flags == []


def test_what_witnesses_saw_is_not_a_claim_but_what_they_said_is(engine):
    text = ("Witnesses saw a white car leave the scene. A neighbour heard a loud bang. "
            "Witnesses said the car was white.")
    assert [f.evidence.text for f in engine.analyze(text).flags] == ["Witnesses"]


def test_a_firm_whose_name_reads_as_a_plural_is_named_once_the_story_shows_it(engine):
    text = ("Grovers said on Friday that it was withdrawing the pies. A Grovers spokeswoman said eleven complaints "
            "had come in. Millennials say they love the pies.")
    kinds = {source: kind for source, (kind, _) in _by_source(engine.analyze(text)).items()}
    assert kinds["Grovers"] == "named" and kinds["Millennials"] == "vague"


def test_regressions_found_on_the_cnndm_and_bbc_texts(engine):
    """Four readings the session's own rules got wrong on a run over the CNN/DM and BBC dev texts."""
    # a court's record stays named, whoever obtained it
    assert engine.analyze("He was arrested in January, according to court documents obtained by CNN.").flags == []
    # a plural common noun stays a group beside a body whose name holds it
    text = ("Airlines fear the rules may not include bad weather. The European Low-fare Airlines Association said it "
            "would sue.")
    assert [f.evidence.text for f in engine.analyze(text).flags] == ["Airlines"]
    # the role as a name's title: "the spokesman" is the one just named
    text = ("David Crosby hit a jogger with his car, a spokesman said. Crosby was driving at 50 mph, according to "
            "California Highway Patrol Spokesman Don Clotworthy. According to the spokesman, the jogger was on the "
            "wrong side.")
    assert _by_source(engine.analyze(text))["the spokesman"][0] == "named"


def test_an_although_clause_right_after_the_verb_is_the_speakers_own(nlp):
    text = ("The National Audit Office said although the latest figures showed reported fraud was falling, the EU "
            "still had no common definition of fraud.")
    assert [a.cue.text for a in find(nlp, text)] == ["said"]


def test_residents_seeing_a_thing_as_something_is_a_view(engine):
    text = "Many residents see the project as the start of a wave of luxury development."
    assert [(f.category, f.evidence.text) for f in engine.analyze(text).flags] == [("vague_source", "Many residents")]


def test_an_inquiry_a_named_body_acted_on_is_its_own(engine):
    for text in ("The European Commission imposed duties on Chinese cars after an anti-subsidy investigation found "
                 "that Beijing had unfairly supported its carmakers.",
                 "Ofcom fined the broadcaster £50,000 after an investigation found it had broken the rules."):
        assert engine.analyze(text).flags == []
    # a body that acted on nothing did not run the inquiry that brought it down
    text = "Enron collapsed after an investigation found it had lied."
    assert [f.evidence.text for f in engine.analyze(text).flags] == ["an investigation"]
