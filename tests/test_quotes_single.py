"""Single quotation marks, as British and Irish papers print quotes: found as quotes where they close the way a quoted
sentence does, and never mistaken for the apostrophes they share a key with. Every text is written for these tests."""

from __future__ import annotations

import pytest

from bot.analysis.quotes import find_quotes


def quoted(text: str) -> list[str]:
    return [text[q.start : q.end] + ("" if q.closed else " [open]") for q in find_quotes(text)]


def test_british_quotes_with_their_own_punctuation_are_quotes():
    text = ("'We will not stand for it,' said Jane Smith. 'The money is simply not there.'\n"
            "‘Is it fair?’ asked Ms O’Neill.")
    assert quoted(text) == ["'We will not stand for it,'", "'The money is simply not there.'", "‘Is it fair?’"]


def test_apostrophes_and_scare_quotes_are_not_quotes():
    for text in (
        "The students' union said the '90s were 'different'.",
        "He called the bill 'a fantasy'. The O'Briens aren't convinced.",
        "Rock 'n' roll never died, the Joneses' neighbour insists.",
        "'Tis the season, and the shop's owners' hopes are high.",
    ):
        assert quoted(text) == [], text


def test_an_apostrophe_waiting_for_a_close_gives_way_to_a_quote_that_opens_a_sentence():
    text = "She loves rock 'n' roll. 'It is great,' she said."
    assert quoted(text) == ["'It is great,'"]


# An apostrophe, a decade or a scare quote earlier in the sentence must not become the start of the quote after it.
AFTER_AN_APOSTROPHE = [
    ("Fans of rock 'n' roll packed the hall. A spokesman said it was 'a great night for the town, really,' and left.",
     ["'a great night for the town, really,'"]),
    ("Asked about the '90s, council leader Jane Smith said 'we will not back down,' before leaving.",
     ["'we will not back down,'"]),
    ("The council called the scheme 'a fantasy' in May. Ministers said 'it will go ahead, whatever happens,' and left.",
     ["'it will go ahead, whatever happens,'"]),
    ("Smith said the plan was 'unworkable', and Jones called it 'a betrayal of every resident, frankly,' and left.",
     ["'a betrayal of every resident, frankly,'"]),
    ("In the ‘90s, she said, ‘everyone was poor.’", ["‘everyone was poor.’"]),
    ("The '60s–'70s era, he said, was 'over, done,' and gone.", ["'over, done,'"]),
    ("'It was the best decade. '90s kids know that,' she said.", ["'It was the best decade. '90s kids know that,'"]),
    ("In the '90s, the U.S.' role grew.", []),
]


@pytest.mark.parametrize(("text", "expected"), AFTER_AN_APOSTROPHE, ids=[t[:30] for t, _ in AFTER_AN_APOSTROPHE])
def test_a_mark_that_never_closed_does_not_start_a_later_quote(text: str, expected: list[str]):
    assert quoted(text) == expected


def test_quotes_opening_with_a_figure_a_bracket_or_an_ellipsis_and_one_ending_in_a_nested_quote():
    text = ("'£5m is simply too much,' said the treasurer. '(Laughs) No comment,' he said.\n"
            "'...and then it all went dark,' she said. 'He shouted \"Get out!\"' she said.")
    assert quoted(text) == ["'£5m is simply too much,'", "'(Laughs) No comment,'", "'...and then it all went dark,'",
                            "'He shouted \"Get out!\"'"]


def test_single_quotes_inside_double_quotes_are_part_of_them():
    text = "\"He told me, 'Go home,' and walked off,\" said Ada Bell."
    assert quoted(text) == ["\"He told me, 'Go home,' and walked off,\""]


def test_double_quotes_inside_single_quotes_are_part_of_them():
    text = "'The sign said \"closed\", so we left,' said Ada Bell."
    assert quoted(text) == ["'The sign said \"closed\", so we left,'"]


def test_a_long_quote_reopened_by_the_next_paragraph_continues_there():
    text = "'We will fight this in the courts.\n'And we will win,' she said.\n'Not closed here.\nThe council disagreed."
    assert quoted(text) == ["'We will fight this in the courts. [open]", "'And we will win,'"]
    text = "The minister said: 'We will fight.\n\n'We will win.\n\n'And nobody will stop us,' she said."
    assert quoted(text) == ["'We will fight. [open]", "'We will win. [open]", "'And nobody will stop us,'"]


def test_paragraphs_that_open_with_a_mark_are_one_quote_only_if_the_last_of_them_closes_as_a_quote():
    for text in (
        "'We will fight.\n\n'Levelling up' was the slogan.",
        "The council met.\n\n'Levelling up' was the slogan, and it won.\n\n'Take back control' was the one before.",
        "'Til the early '90s it played here.\n\n'Em lot from the city never came, locals joke.",
    ):
        assert quoted(text) == [], text


def test_british_article_reads_like_its_american_twin(engine):
    """The same article with single and with double marks gives the same speakers, direct quotes and flags."""
    british = (
        "'We will not stand for it,' said council leader Jane Smith.\n"
        "A senior official said: 'This is a disaster for the town.'\n"
        "'It is a betrayal of every resident,' one insider said.\n"
    )
    american = british.replace(",'", ",\"").replace(".'", ".\"").replace(" '", " \"").replace("\n'", "\n\"")
    american = '"' + american[1:]
    results = [engine.analyze(text) for text in (british, american)]
    for result in results:
        assert all(a.direct_quote for a in result.attributions)
    views = [
        [(a.source.text if a.source else None, a.source_kind, a.content.text if a.content else None)
         for a in result.attributions]
        for result in results
    ]
    assert views[0] == views[1]
    assert views[0][:1] == [("council leader Jane Smith", "named", "We will not stand for it")]
    for result in results:
        severities = {f.evidence.text: f.severity for f in result.flags if f.category == "anonymous_source"}
        assert severities == {"A senior official": "high", "one insider": "high"}


def test_a_single_quoted_quote_with_no_speaker_is_flagged(engine):
    text = "The bridge has been shut since May.\n\n'Nobody will ever use this bridge again.'\n\nRepairs start in June."
    [flag] = [f for f in engine.analyze(text).flags if f.category == "unattributed_quote"]
    assert flag.evidence.text.startswith("'Nobody will ever use")


def test_a_scare_quote_at_a_claims_end_keeps_its_closing_mark(engine):
    """The parser ends these two claims before the closing mark."""
    for text, cue, claim in (
        ("Tom Reyes added that the budget was 'a fantasy'.", "added", "that the budget was 'a fantasy'"),
        ("Tom Reyes called the budget ‘a fantasy’.", "called", "the budget ‘a fantasy’"),
    ):
        [found] = [a for a in engine.analyze(text).attributions if a.cue.text == cue]
        assert found.content is not None and found.content.text == claim
        assert not found.direct_quote


def test_a_possessive_after_a_claim_is_not_taken_for_a_closing_mark(engine):
    """The parser ends this claim before the possessive's apostrophe; no mark opens in the claim, so none closes."""
    text = "Tom Reyes added that the vote was the students'."
    [added] = [a for a in engine.analyze(text).attributions if a.cue.text == "added"]
    assert added.content is not None and added.content.text == "that the vote was the students"


def test_an_apostrophe_before_a_british_quote_keeps_its_speaker(engine):
    text = ("Fans of rock 'n' roll packed the hall. A spokesman said it was 'a great night for the town, really,' "
            "and thanked volunteers.")
    [said] = [a for a in engine.analyze(text).attributions if a.cue.text == "said"]
    assert said.source is not None and said.source.text == "A spokesman"
    assert said.direct_quote and said.content is not None and said.content.text.startswith("it was 'a great night")


def test_paragraphs_opening_with_scare_quotes_raise_no_quote_flag(engine):
    text = ("The council met on Tuesday.\n\n'Levelling up' was the slogan of the last election campaign, and the town "
            "voted for it.\n\n'Take back control' was the one before it, and it worked.")
    assert not [f for f in engine.analyze(text).flags if f.category == "unattributed_quote"]


def test_a_single_mark_after_a_full_stop_opens_the_next_sentence(engine):
    """ "... the decision. 'He thinks ...": the mark was left on the sentence before (or alone), so the quote's
    sentence began mid-quote and a flag showed it that way."""
    text = ("A senior source said the leader would try to overturn the decision. 'He thinks he has been ambushed,' "
            "the source said. The repairs would cost £4m. 'Somebody has to pay,' Tom Reyes said.")
    result = engine.analyze(text, sentences=4)
    assert [s.text for s in result.summary] == [
        "A senior source said the leader would try to overturn the decision.",
        "'He thinks he has been ambushed,' the source said.",
        "The repairs would cost £4m.",
        "'Somebody has to pay,' Tom Reyes said.",
    ]
    [flag] = [f for f in result.flags if f.evidence.text == "the source"]
    assert text[flag.start : flag.end] == "'He thinks he has been ambushed,' the source said."


def test_a_single_quoted_claim_resumed_after_its_speaker_reads_as_one_quote(engine):
    text = "'We will not back down,' said Tom O'Neill, the council's leader. 'Nobody can stop us now.'"
    [said] = [a for a in engine.analyze(text).attributions if a.cue.text == "said"]
    assert said.direct_quote
    assert said.claim == "We will not back down … Nobody can stop us now."


def test_a_double_quoted_claim_with_apostrophes_and_nested_single_quotes_is_shown_as_it_is(engine):
    """Only a claim in single marks whose first mark hands over to the next quote is joined as "A … B"; an American
    quote with a possessive and a nested quote inside is left whole."""
    text = "\"The Smiths' lawyer told me, 'We lost.' Then he said 'sorry,'\" Ann Bell said."
    [said] = [a for a in engine.analyze(text).attributions if a.source is not None and a.source.text == "Ann Bell"]
    assert said.content is not None and said.claim == said.content.text
    assert "'We lost.' Then he said 'sorry,'" in said.claim


def test_a_short_single_quote_gives_the_claim_its_double_quoted_twin_gets(engine):
    """Too short to count as a quote, "'We win,'" leaves the parser's clause, which started on the opening mark."""
    claims = [[(a.cue.text, a.content.text if a.content else None) for a in engine.analyze(text).attributions]
              for text in ("'We win,' she said, 'and they lose.'", '"We win," she said, "and they lose."')]
    assert claims[0] == claims[1] == [("said", "We win")]
