"""Frames an editor's review found misread: raised passives the parser breaks, "it is learnt", a by-phrase on a
judgement, a time after "by", a quoted lyric, and speakers hidden behind a description or a fronted participle.
Sentences written for these tests."""

from __future__ import annotations

from tests.findings import claim, flag_pairs


def test_understood_to_favour_is_an_unsourced_claim_however_it_is_parsed(engine):
    result = engine.analyze("Freeze\n\nChancellor Harriet Vane is understood to favour ending the 12-year freeze.")
    assert flag_pairs(result, "no_source") == [("is understood", "medium")]


def test_a_report_to_police_is_still_no_claim(engine):
    result = engine.analyze("Theft\n\nThe theft was reported to police on Monday.")
    assert flag_pairs(result, "no_source") == []


def test_it_is_learnt_that_is_it_is_understood(engine):
    result = engine.analyze("Lake\n\nIt is learnt that the pollution board has collected water samples from the lake.")
    assert flag_pairs(result, "no_source") == [("is learnt", "medium")]
    learning = engine.analyze("Home\n\nHe's only recently learned to use the microwave. Lessons have been learnt.")
    assert flag_pairs(learning, "no_source") == []


def test_a_fields_understanding_is_not_a_claim(engine):
    result = engine.analyze("Obituary\n\nLindqvist, whose work transformed scientists' understanding of how the "
                            "oceans store heat, died on Saturday.")
    assert flag_pairs(result) == []


def test_she_became_a_voice_warning_is_her_warning(engine):
    result = engine.analyze("Obituary\n\nMargarethe Lindqvist studied the deep currents for forty years. In the "
                            "1990s, she became an early and outspoken voice warning that a warming climate could slow "
                            "the conveyor belt.")
    warning = claim(result, "warning")
    assert warning.source is not None and warning.source.text == "she"
    assert flag_pairs(result) == []


def test_a_by_phrase_on_a_judgement_is_its_source_but_a_date_is_not(engine):
    judged = engine.analyze("Obituary\n\nThat view was considered alarmist by some colleagues at the time.")
    considered = claim(judged, "was considered")
    assert considered.source is not None and considered.source.text == "some colleagues"
    assert [c for c, _ in flag_pairs(judged)] == ["some colleagues"]
    dated = engine.analyze("Court\n\nA decision is expected by the end of June.")
    assert all(a.source is None for a in dated.attributions)


def test_a_quoted_lyric_is_a_works_words(engine):
    result = engine.analyze("Song\n\nThe track, released on Friday, includes the lyric \"you love the game more than "
                            "you ever loved me.\"")
    assert flag_pairs(result, "unattributed_quote") == []


def test_he_after_a_referees_decision_is_the_manager_who_complained(engine):
    result = engine.analyze("Match\n\nManager Graham Pike said his side had been unlucky. Pike was also unhappy with "
                            "referee Steven Clarke's decision not to award a penalty when Jones went down in the box. "
                            "\"It's a penalty all day long,\" he said.")
    [quote] = [a for a in result.attributions if a.direct_quote]
    assert quote.speaker == "Graham Pike"


def test_a_clerics_name_beside_a_spokesman_is_who_spoke(engine):
    result = engine.analyze("Church\n\nThe diocese has consulted widely. Its spokesman, the Rev Daniel Okafor, said "
                            "that every parish council had been consulted. \"Fourteen of the proposals were "
                            "altered,\" he said.")
    assert [a.speaker for a in result.attributions] == ["Rev Daniel Okafor", "Rev Daniel Okafor"]


def test_a_speaker_after_a_fronted_speaking_clause_is_found(engine):
    result = engine.analyze("Floods\n\nSpeaking to reporters in Hollins Mill, the agency's area manager, Tom Raikes, "
                            "said water levels had risen by more than a metre in four hours.")
    said = claim(result, "said")
    assert said.source is not None and said.source_kind == "named" and "Raikes" in said.source.text


def test_a_named_courts_opinion_is_its_ruling_but_opinion_alone_is_vague(engine):
    ruling = engine.analyze("Court\n\nThe Eighth Circuit's opinion, written by Judge Ansel Mbeki, concluded that the "
                            "ban imposed only a modest burden on voters.")
    assert [a.source_kind for a in ruling.attributions] == ["named"] and flag_pairs(ruling) == []
    polled = engine.analyze("Ban\n\nOpinion is divided, but opinion polls suggest most voters back the ban.")
    assert polled.attributions and all(a.source_kind != "named" for a in polled.attributions)


def test_a_line_of_attack_is_not_a_strong_claim(engine):
    result = engine.analyze("Politics\n\nRepublicans, for their part, believe they have found a potent line of "
                            "attack.")
    assert flag_pairs(result, "vague_source") == [("Republicans", "low")]


def test_a_spokeswoman_after_the_claim_is_the_source_not_her_hospital(engine):
    result = engine.analyze("Crash\n\nMost of the injuries were minor, but two people were being treated for back "
                            "injuries, a spokeswoman for Porthaven General Hospital said.")
    said = claim(result, "said")
    assert said.source is not None and said.source.text == "a spokeswoman for Porthaven General Hospital"
    assert said.source_kind == "named" and flag_pairs(result) == []


def test_speakers_in_an_aside_after_a_noun_are_the_plural_noun(engine):
    result = engine.analyze("Church\n\nRural dioceses have been accused of abandoning the countryside, a charge church "
                            "leaders strongly deny.")
    deny = claim(result, "deny")
    assert deny.source is not None and deny.source.text == "leaders"


def test_urging_the_person_written_to_is_the_writers_claim(engine):
    result = engine.analyze("Letter\n\nSeveral MPs have written to the prime minister urging him to keep the freeze.")
    urging = claim(result, "urging")
    assert urging.source is not None and urging.source.text == "Several MPs"


def test_talk_that_surfaced_or_was_there_has_no_source(engine):
    emerged = engine.analyze("Bill\n\nAllegations have also emerged that some legislators were offered money to "
                             "support the bill.")
    assert flag_pairs(emerged, "no_source") == [("emerged", "medium")]
    existed = engine.analyze("Budget\n\nThere were reports last month that the city faces a budget gap.")
    assert flag_pairs(existed, "no_source") == [("reports", "medium")]
    owned = engine.analyze("Bill\n\nHis claims emerged that some legislators were offered money.")
    assert flag_pairs(owned, "no_source") == []


def test_a_quote_of_the_first_verb_is_not_the_joined_verbs_content(engine):
    result = engine.analyze("Yard\n\nOpposition spokeswoman Karen Maddox said the figures were \"a disgrace\" and "
                            "accused Defence Minister Peter Albrook of hiding the blowout. \"The minister knew this "
                            "number in January,\" she said.")
    accused = claim(result, "accused")
    assert accused.content is not None and "disgrace" not in accused.content.text
    assert "January" not in accused.content.text and not accused.direct_quote


def test_putting_a_figure_on_it_is_an_estimate_someone_gives(engine):
    result = engine.analyze("Fraud\n\nThe company did not say how much money was involved. One person familiar with "
                            "the internal review put the figure at more than $11 million.")
    assert flag_pairs(result, "anonymous_source") == [("One person familiar with the internal review", "medium")]
    placed = engine.analyze("Shelf\n\nShe put the box at the back of the shelf.")
    assert flag_pairs(placed) == []


def test_what_television_showed_is_a_picture(engine):
    shown = engine.analyze("Quake\n\nPresident Aram Velikov visited the region on Monday. State television showed him "
                           "embracing survivors at a temporary camp.")
    assert flag_pairs(shown) == []


def test_a_title_run_into_the_name_is_one_source(engine):
    result = engine.analyze("Royals\n\nVeteran royal biographer Margaret Hume said the prince could hardly be "
                            "surprised.")
    said = claim(result, "said")
    assert said.source is not None and said.source.text == "Veteran royal biographer Margaret Hume"


def test_a_transcripts_speaker_in_capitals_is_found_whatever_the_tagger_says(engine):
    result = engine.analyze("Fares\n\nQ: Did you look at that?\n\nCROSSLEY: We looked at everything. We have cut 41 "
                            "management posts already.\n")
    [label] = [a for a in result.attributions if a.cue.text == ":" and a.source is not None]
    assert label.source.text == "CROSSLEY" and label.source_kind == "named"
    kicker = engine.analyze("Road\n\nUPDATE: The road has reopened.\n")
    assert not [a for a in kicker.attributions if a.source is not None and a.source.text == "UPDATE"]


def test_killing_an_idea_is_not_a_strong_claim(engine):
    result = engine.analyze("Work\n\nIt is often claimed that remote work kills innovation.")
    assert flag_pairs(result, "no_source") == [("claimed", "medium")]
    deadly = engine.analyze("Raid\n\nIt is claimed that the militia killed three villagers.")
    assert flag_pairs(deadly, "no_source") == [("is claimed", "high")]


def test_a_main_verb_read_as_a_participle_still_reports(engine):
    result = engine.analyze("Split\n\nAn insider revealed to Us Weekly that the pair had attended therapy.")
    assert flag_pairs(result, "anonymous_source") == [("An insider", "medium")]
    feared = engine.analyze("Quake\n\nThousands of people feared dead after the quake.")
    assert flag_pairs(feared, "anonymous_source") == []


def test_what_reporters_were_told_has_no_source(engine):
    result = engine.analyze("Trial\n\nReporters were told that the charity had since closed two of its four homes.")
    assert flag_pairs(result, "no_source") == [("were told", "medium")]
    jury = engine.analyze("Trial\n\nThe jury was told that the charity had closed two homes.")
    assert flag_pairs(jury, "no_source") == []


def test_a_claim_and_the_charge_a_firm_denies_are_both_reported(engine):
    result = engine.analyze("Strike\n\nUnion insiders claim that the company is dragging out the dispute to save on "
                            "wages, a charge Southern Crown denies.")
    by_cue = {a.cue.text: a for a in result.attributions}
    assert by_cue["claim"].source is not None and by_cue["claim"].source.text == "Union insiders"
    assert by_cue["denies"].source is not None and by_cue["denies"].source.text == "Southern Crown"
    assert flag_pairs(result, "anonymous_source") == [("Union insiders", "medium")]
    nested = engine.analyze("Row\n\nThe mayor said critics claim the plan is too costly.")
    assert [a.cue.text for a in nested.attributions] == ["said"]  # a claim inside another's stays nested
