"""Unnamed sources read in the light of the sentences around them: who a later named speaker can be, which back-
references stay unnamed, and which documents and spokespeople are on record. Sentences written for these tests."""

from __future__ import annotations

import pytest

from tests.findings import flag_pairs, kind_of


@pytest.mark.parametrize("text, evidence, severity", [
    ("Fire sweeps town\n\nOne woman who fled with her three children said she did not receive an alert on her phone. "
     "Several residents complained that the sirens were silent. Sheriff Alan Booker said deputies went door to door.",
     "One woman", "medium"),
    ("Floods hit town\n\n\"The water was at the door before anybody knocked,\" one woman told the BBC. "
     "Councillor Sameena Ashraf said the council had opened two rest centres.", "one woman", "high"),
])
def test_a_named_official_speaking_next_is_not_the_unnamed_woman(engine, text, evidence, severity):
    """An office ("Sheriff", "Councillor") marks a new person, so the woman is not "named at last" by them."""
    assert (evidence, severity) in flag_pairs(engine.analyze(text), "anonymous_source")


def test_a_person_named_without_an_office_may_still_be_the_one_held_back(engine):
    text = "Course\n\nA former trainer said the course is hard. \"It breaks people,\" Oly Olson said."
    assert flag_pairs(engine.analyze(text), "anonymous_source") == []


def test_one_of_a_group_just_cited_is_flagged_with_the_group(engine):
    text = ("Talks fail\n\nTwo officials said the meeting went badly. "
            "\"It was a disaster from start to finish, honestly,\" one said.")
    flags = flag_pairs(engine.analyze(text), "anonymous_source")
    assert flags == [("Two officials", "medium"), ("one", "high")]


@pytest.mark.parametrize("text", [
    "Talks fail\n\nAn official said the meeting went badly. \"It was a disaster,\" one said.",  # one person, no group
    "Plan\n\nCritics said the plan was flawed. One might argue that the senator was motivated by high ideals.",
])
def test_one_is_not_carried_from_a_single_person_or_as_anyone_at_all(engine, text):
    evidence = [e for e, _ in flag_pairs(engine.analyze(text))]
    assert len(evidence) == 1 and evidence[0].lower() != "one"  # the first source's own flag only


@pytest.mark.parametrize("text, source", [
    ("Bill passes\n\nOne MP from Kisumu said privately that 30 members had considered voting against it.",
     "One MP from Kisumu"),
    ("Row\n\nOne senior Labor MP said the party room was furious. "
     "\"We found out from the transcript,\" the MP said.", "the MP"),
    ("Row\n\nA source close to Rory said the couple were fine. \"He adores her,\" the pal added.", "the pal"),
])
def test_members_and_pals_are_people_not_names(engine, text, source):
    result = engine.analyze(text)
    assert kind_of(result, source) == "anonymous"
    assert any(e == source for e, _ in flag_pairs(result, "anonymous_source"))


def test_reports_in_a_country_are_vague_but_reports_in_a_paper_are_named(engine):
    spain = engine.analyze("Transfer\n\nRedbridge are closing in on a deal for Castellano, according to reports in "
                           "Spain.")
    assert kind_of(spain, "reports in Spain") == "vague"
    assert flag_pairs(spain, "vague_source") == [("reports in Spain", "low")]
    marca = engine.analyze("Transfer\n\nRedbridge are closing in on a deal, according to reports in Marca.")
    assert kind_of(marca, "reports in Marca") == "named"
    ads = engine.analyze("Perfume\n\nBurger King ads in Japan promise a limited-edition perfume.")
    assert kind_of(ads, "Burger King ads in Japan") == "named"  # the maker is before the noun


@pytest.mark.parametrize("text, source", [
    ("Care homes\n\nCorvane, which runs 146 homes, denied any wrongdoing. \"We do not recognise the picture painted "
     "by these allegations,\" a spokesman said.", "a spokesman"),
    ("Church\n\nAccording to the diocese's annual report, the cost of clergy rose by 9 percent. The report warned "
     "that the diocese could run out of reserves by 2029.", "The report"),
    ("Drought\n\nRelief payments took nearly a year to arrive, according to a review by the state auditor.",
     "a review by the state auditor"),
])
def test_a_body_just_named_and_its_public_papers_are_on_record(engine, text, source):
    result = engine.analyze(text)
    assert kind_of(result, source) == "named"
    assert not [e for e, _ in flag_pairs(result) if e == source]


def test_a_bare_spokesman_and_an_unnamed_paper_are_still_flagged(engine):
    result = engine.analyze("Care homes\n\nThe homes were inspected in May. \"We do not recognise the picture,\" a "
                            "spokesman said. A review found that staff were untrained.")
    assert ("a spokesman", "high") in flag_pairs(result, "anonymous_source")


def test_a_classified_paper_stays_unnamed_when_the_next_sentence_says_who_wrote_it(engine):
    text = ("Missiles\n\nA classified Pentagon assessment warns that the United States could exhaust its stockpile "
            "within two weeks of a major conflict, according to a copy reviewed by The Ledger.\n\nThe 40-page "
            "assessment, prepared by the Joint Staff in January, concludes that production cannot be expanded.")
    result = engine.analyze(text)
    assert kind_of(result, "A classified Pentagon assessment") == "anonymous"
    assert ("A classified Pentagon assessment", "medium") in flag_pairs(result, "anonymous_source")


@pytest.mark.parametrize("text, evidence", [
    ("Quake\n\nOne doctor at the city's main hospital said staff had been operating by torchlight. President Aram "
     "Velikov said every family would be rehoused.", "One doctor at the city's main hospital"),
    ("Shooting\n\nA woman who lives above the store, and who asked not to be named for fear of retaliation, said she "
     "heard gunfire. \"I've lived here 31 years and I've never been this scared,\" said Harold Beecham, a retired bus "
     "driver.", "A woman"),
])
def test_a_source_kept_unnamed_or_given_another_office_is_not_named_next(engine, text, evidence):
    assert (evidence, "medium") in flag_pairs(engine.analyze(text), "anonymous_source")


def test_another_after_one_member_carries_the_flag(engine):
    text = ("Dail\n\nOne TD who was present said the Taoiseach had been taken aback. \"It was the worst meeting I "
            "have seen in this Government,\" another said.")
    assert flag_pairs(engine.analyze(text), "anonymous_source") == [("One TD", "medium"), ("another", "high")]


def test_courtiers_are_insiders(engine):
    result = engine.analyze("Palace\n\nCourtiers say the move is not intended as a punishment.")
    assert flag_pairs(result, "anonymous_source") == [("Courtiers", "medium")]


def test_people_with_ties_to_a_body_are_insiders_but_anyone_with_a_connection_is_not(engine):
    result = engine.analyze("Liu\n\nLiu clashed with provincial leaders over a plan to cap bond issuance, according to "
                            "two people with ties to the ministry.\n\nA survey by the European Chamber of Commerce "
                            "found that 44 percent of its members planned to cut investment.")
    assert flag_pairs(result, "anonymous_source") == [("two people with ties to the ministry", "medium")]
    online = engine.analyze("Fibre\n\nThe firm laid fibre downtown so that anyone with an Internet connection sees "
                            "the convention.")
    assert flag_pairs(online) == []


@pytest.mark.parametrize("text, source", [
    ("Lawsuit\n\nThe complaint, filed in federal court in Boston on Tuesday, alleges that the company hid the defect. "
     "The filing says the firm knew of the problem in 2019.", "The filing"),
    ("Lawsuit\n\nThe complaint, filed in federal court in Boston on Tuesday, alleges that the company hid the "
     "defect.", "The complaint"),
    ("Summit\n\nThe draft, published by the summit presidency at 3 a.m., proposes that rich countries double their "
     "funding.", "The draft"),
])
def test_papers_on_a_courts_file_or_put_out_by_an_office_are_on_record(engine, text, source):
    result = engine.analyze(text)
    assert kind_of(result, source) == "named" and flag_pairs(result) == []


def test_many_lawyers_are_a_vague_share_of_a_profession(engine):
    result = engine.analyze("Detention numbers hit record\n\nThe Brazos Ridge Processing Center is holding about 2,100 "
                            "detainees in a space built for 1,600.\n\nMany immigration lawyers say the conditions "
                            "amount to punishment.")
    assert flag_pairs(result, "vague_source") == [("Many immigration lawyers", "low")]


def test_they_after_unnamed_people_are_those_people_not_a_firm(engine):
    result = engine.analyze("Deal\n\nHalvern is in talks to buy Crisply, according to people familiar with the matter. "
                            "A deal could be announced next week, though they cautioned that the talks could still "
                            "fall apart.")
    [they] = [a for a in result.attributions if a.source is not None and a.source.text == "they"]
    assert they.speaker is None
    assert ("they", "medium") in flag_pairs(result, "anonymous_source")


def test_the_company_after_a_headlines_bare_company_is_the_one_the_story_names(engine):
    text = ("Hackers stole data of 4 million Quillpay customers, company admits\n\n"
            "Payments app Quillpay has confirmed that hackers accessed the details of about 4.1 million customers. "
            "In a statement on Tuesday, the company said passwords were encrypted and \"remain secure\".")
    result = engine.analyze(text)
    assert kind_of(result, "the company") == "named"
    assert not [e for e, _ in flag_pairs(result) if e == "the company"]


def test_one_of_a_bodys_volunteers_is_unnamed_and_so_is_the_volunteer_after(engine):
    text = ("Vote\n\nThe monitoring group said it had received 140 complaints. One of its volunteers in Tarsk said he "
            "had been threatened by a man. \"He told me he knew where my mother lived,\" the volunteer said.")
    result = engine.analyze(text)
    assert kind_of(result, "One of its volunteers in Tarsk") == "anonymous"
    assert kind_of(result, "the volunteer") == "anonymous"
    council = engine.analyze("UN\n\nThe Council is stuck because one or more of its permanent members have said they "
                             "will veto it.")
    assert all(a.source_kind != "anonymous" for a in council.attributions)


def test_a_speaker_hung_on_outside_court_is_still_the_speaker(engine):
    result = engine.analyze("Trial\n\nOutside court, a former trustee of the charity, who did not want to be "
                            "identified, said staff had been \"devastated\" when they learned of the losses.")
    [said] = [a for a in result.attributions if a.cue.text == "said"]
    assert said.source is not None and said.source.text.startswith("a former trustee")
    assert said.source_kind == "anonymous"
