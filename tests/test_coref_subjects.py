"""Which person "he" or "she" stands for when a sentence names several: the one it is about (its main subject), a
surname the small tagger took for a place, and never a pollster. Sentences written for these tests."""

from __future__ import annotations

import pytest

from bot.analysis import attribution, segment


def _speakers(nlp, text: str, pronoun: str) -> list[str | None]:
    doc = nlp(text)
    found = attribution.find_attributions(doc, segment.sentences(doc))
    return [a.speaker for a in found if a.source is not None and a.source.text == pronoun]


@pytest.mark.parametrize(("text", "pronoun", "expected"), [
    pytest.param(
        "Secretary of State Antony Blinken ended a three-day visit to China on Friday. "
        "Blinken met President Xi Jinping for about 80 minutes, after five hours of talks with Foreign Minister "
        "Wang Yi on Thursday. Speaking to reporters afterwards, he said he had raised serious concerns.",
        "he", ["Blinken"], id="he_is_the_subject_of_the_sentence_before_not_its_last_name"),
    pytest.param(
        "Democrat Katie Hobbs is fighting Republican Kari Lake for governor. Speaking in Tucson, Hobbs said Lake "
        "had never talked seriously about the river. She said she would create a new water authority.",
        "She", ["Katie Hobbs"], id="she_is_the_speaker_not_the_person_she_spoke_about"),
    pytest.param(
        "Clinton put Bernie Sanders on the defensive through much of the debate, but a hoarse-voiced Sanders got "
        "in numerous digs. He said Clinton was too cozy with Wall Street.",
        "He", ["Bernie Sanders"], id="the_subject_of_the_last_main_clause_wins"),
    # the small tagger reads "Hobbs" here as a place and a body, so only the poll's firm looked like a name
    pytest.param(
        "With three weeks left, the race for Arizona governor has become a fight over water, with Democrat Katie "
        "Hobbs accusing her Republican opponent of ignoring the state's shrinking supply and Kari Lake saying "
        "Hobbs has no plan to secure it.\n\nA poll released Wednesday by the Phoenix-based firm OH Predictive "
        "Insights showed Hobbs with 46 percent to Lake's 45 percent.\n\nSpeaking at a town hall in Tucson on "
        'Tuesday night, Hobbs said Lake had "never once talked seriously about the Colorado River." She said she '
        "would create a new water authority.",
        "She", ["Katie Hobbs"], id="a_poll_by_a_named_firm_is_not_a_she"),
    pytest.param(
        '"Donald Trump is a presidential candidate unlike any we have ever seen," said Baron. "His candidacy has '
        "defied all conventions. Given that he could ascend to the most powerful position in the world, Trump's "
        'life deserves to be explored in depth."\n\nHe continued, "That is what we intend to do."',
        "He", ["Baron"], id="a_name_inside_a_quote_is_not_what_the_story_is_about"),
    pytest.param(
        'Anna Keane coached the team for ten years. A former player, who asked not to be named, said Keane could '
        'be "cold" with girls who were not in the first team. "If you weren\'t one of her players, you could feel '
        'invisible," she said.',
        "she", [None], id="a_quote_after_an_unnamed_speaker_is_not_handed_to_the_person_spoken_of"),
    pytest.param(
        "Ms Lee won the seat. Mr Price later accused her of cheating. She said the claim was nonsense.",
        "She", ["Ms Lee"], id="a_title_in_an_untagged_name_says_which_pronoun_fits"),
])
def test_the_person_a_pronoun_stands_for(nlp, text, pronoun, expected):
    assert _speakers(nlp, text, pronoun) == expected
