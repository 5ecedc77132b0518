"""Sentence segmentation: line breaks, abbreviations, quotes, CRLF and blank lines (own example texts)."""

from __future__ import annotations

import pytest

from bot.analysis import segment


def split(nlp, text: str) -> list[str]:
    sents = segment.sentences(nlp(text))
    for s in sents:
        assert text[s.start : s.end] == text[s.start : s.end].strip()
        assert s.end > s.start
    return [text[s.start : s.end] for s in sents]


def test_line_break_ends_a_headline_without_full_stop(nlp):
    text = "Ferry service to Inchmore resumes\nThe first boat left the harbour at dawn. It was full."
    assert split(nlp, text) == [
        "Ferry service to Inchmore resumes",
        "The first boat left the harbour at dawn.",
        "It was full.",
    ]
    sents = segment.sentences(nlp(text))
    assert segment.title(text, sents) == "Ferry service to Inchmore resumes"


def test_a_first_line_with_a_full_stop_is_not_a_title(nlp):
    text = "The ferry left at dawn.\nIt was full."
    assert segment.title(text, segment.sentences(nlp(text))) is None


def test_every_line_is_its_own_sentence(nlp):
    text = "Key points\n- fares stay the same\n- two boats a day\nThe council agreed."
    assert split(nlp, text) == ["Key points", "- fares stay the same", "- two boats a day", "The council agreed."]


@pytest.mark.parametrize(
    "text",
    [
        "The U.S. Coast Guard towed the trawler back to port on Monday.",
        "Mr. Okafor and Mrs. Lindqvist signed the lease in the morning.",
        "The hearing is set for Jan. 14 at the county court.",
        "Gov. Ramirez vetoed the bill on Friday evening.",
        "The polls open at 7 a.m. and close at 8 p.m. on election day.",
        "Dr. Haddad told Sen. Whitfield that the clinic would stay open.",
        "Shares in Brightwater Corp. rose after the report.",
        "The portrait of Malcolm X. Jordan hung in the hall.",  # an initial, not the platform
        # titles the model's tokenizer splits from their full stop ("Sgt" + "."), unlike "Dr."
        '"It has been a hard week," said Sgt. Alicia Moreno, president of the police union.',
        "Det. Supt. John Reid and Capt. Ana Lee led the inquiry.",
        "Lt. Col. Marcus Webb and Maj. Rosa Diaz flew in on Tuesday.",
    ],
)
def test_abbreviations_do_not_split_a_sentence(nlp, text):
    assert split(nlp, text) == [text]


@pytest.mark.parametrize("text", ["She was diagnosed with MS. Doctors said she would recover.",
                                  "He has worked as a sales rep. He said the firm cheated customers."])
def test_a_title_written_as_a_word_still_ends_a_sentence(nlp, text):
    """Only "Sgt." as titles are written is kept whole: "MS." and "a sales rep." end their sentences."""
    assert len(split(nlp, text)) == 2


def test_a_time_before_an_opening_quote_ends_its_sentence(nlp):
    text = 'Witnesses heard four explosions shortly after 2 a.m. "The whole sky turned orange," said one resident.'
    assert split(nlp, text) == ["Witnesses heard four explosions shortly after 2 a.m.",
                                '"The whole sky turned orange," said one resident.']


def test_abbreviation_at_the_real_end_of_a_sentence_still_splits(nlp):
    text = "The trawler was towed to the U.S. It had lost power overnight."
    assert split(nlp, text) == ["The trawler was towed to the U.S.", "It had lost power overnight."]


def test_closing_quote_stays_with_its_sentence(nlp):
    text = '"We will rebuild the pier," the mayor said. "Work starts in May."'
    parts = split(nlp, text)
    assert parts == ['"We will rebuild the pier," the mayor said.', '"Work starts in May."']


def test_exclamation_inside_quote_followed_by_attribution_is_one_sentence(nlp):
    text = '"Get off the pier!" a guard shouted. Nobody moved.'
    assert split(nlp, text) == ['"Get off the pier!" a guard shouted.', "Nobody moved."]


def test_curly_quotes_stay_with_their_sentences(nlp):
    text = "“The water rose fast.” “We had ten minutes,” said Ana Ruiz."
    parts = split(nlp, text)
    assert parts == ["“The water rose fast.”", "“We had ten minutes,” said Ana Ruiz."]


def test_straight_single_quotes_open_and_close_their_sentences(nlp):
    """British papers quote in single marks: after a full stop and a space the mark opens the next sentence (it was
    left on the sentence before, or alone), and a mark glued to '?' or '!' still closes its own."""
    text = "The pier will shut. 'We had ten minutes,' said Ana Ruiz. 'Run!' a guard shouted. The film, 'Why?', won."
    assert split(nlp, text) == [
        "The pier will shut.", "'We had ten minutes,' said Ana Ruiz.", "'Run!' a guard shouted.",
        "The film, 'Why?', won.",
    ]


def test_a_quote_after_a_list_number_an_abbreviation_or_an_initial_does_not_start_a_sentence(nlp):
    """The rule that a quote mark after a full stop opens the next sentence must not fire where the stop ends no
    sentence; and a numbered list's item is one sentence with its number (the parser cut '2. | "Alien"' too)."""
    assert split(nlp, '1. "Jaws" (1975)\n2. "Alien" (1979)\n3. \'Heat\' (1995)') == [
        '1. "Jaws" (1975)', '2. "Alien" (1979)', "3. 'Heat' (1995)",
    ]
    for text in ('He bought a No. "1" ticket.', "He was No. 'One' in the polls.", 'It was signed by J. "Bud" Smith.',
                 "Mr. 'Big' arrived."):
        assert split(nlp, text) == [text], text


@pytest.mark.parametrize("text", ["The mayor said“", "The mayor said. “", "The mayor said. '", 'He left. "', "‘"])
def test_a_text_ending_on_an_opening_mark_is_split_without_error(nlp, text):
    """The quote-opens-a-sentence rule looked at the word after the mark, and there is none (the property test
    found "The mayor said“")."""
    assert "".join(split(nlp, text)).replace(" ", "") == text.replace(" ", "")


def test_a_title_ending_in_a_question_mark_inside_quotes_does_not_end_the_sentence(nlp):
    text = 'The ad, titled "Unifier?", concludes that the plan is too "dangerous and reckless" to pass.'
    assert split(nlp, text) == [text]


def test_quotation_running_across_sentences(nlp):
    text = 'She said: "The pier is unsafe. Nobody should walk on it. We will close it." Then she left.'
    parts = split(nlp, text)
    # A quotation may hold several sentences, but no sentence starts with the closing mark,
    # and the text after the quotation is a sentence of its own.
    assert not any(p.startswith('" ') or p == '"' for p in parts)
    assert parts[-1] == "Then she left."
    assert any(p.endswith('close it."') for p in parts)
    assert "".join(parts).replace(" ", "") == text.replace(" ", "")


def test_crlf_line_breaks_and_offsets(nlp):
    text = "Pier closed\r\n\r\nThe council shut the pier on Tuesday.\r\nRepairs will take a month.\r\n"
    parts = split(nlp, text)
    assert parts == ["Pier closed", "The council shut the pier on Tuesday.", "Repairs will take a month."]
    assert not any("\r" in p or "\n" in p for p in parts)


def test_blank_lines_and_white_space_make_no_empty_sentences(nlp):
    text = "\n\n  First line.\n\n\n   \n\nSecond line.\n \n"
    assert split(nlp, text) == ["First line.", "Second line."]
    assert split(nlp, " \n\t\n ") == []


def test_sentence_indices_and_token_ranges_are_consistent(nlp):
    text = "Title here\n\nOne sentence. Another one! A third?"
    doc = nlp(text)
    sents = segment.sentences(doc)
    assert [s.index for s in sents] == list(range(len(sents)))
    for s in sents:
        span = doc[s.token_start : s.token_end]
        assert span.start_char == s.start and span.end_char == s.end


def test_closing_straight_quote_before_a_paragraph_break_stays_with_its_sentence(nlp):
    """A straight quote right after a full stop and before a line break closes the quotation."""
    text = 'An aide called it "a deal nobody wants to discuss in public."\n\nThe vote is next week.'
    got = [text[s.start : s.end] for s in segment.sentences(nlp(text))]
    assert got == ['An aide called it "a deal nobody wants to discuss in public."', "The vote is next week."]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Profits could rise by £400m. \"None of this changes much,\" said Jo Lane.",
         ["Profits could rise by £400m.", "\"None of this changes much,\" said Jo Lane."]),
        ("Sales reached $40m. Analysts were pleased.", ["Sales reached $40m.", "Analysts were pleased."]),
        ("The fee was £5m. a year until 2020.", ["The fee was £5m. a year until 2020."]),
    ],
)
def test_a_money_unit_with_a_full_stop_ends_the_sentence_before_a_capital(nlp, text, expected):
    assert split(nlp, text) == expected


def test_the_platform_x_ends_a_sentence(nlp):
    text = '"Never flying Skyvale again," one user wrote on X. Another posted: "Six hours with no water."'
    assert split(nlp, text) == ['"Never flying Skyvale again," one user wrote on X.',
                                'Another posted: "Six hours with no water."']


@pytest.mark.parametrize(
    "text",
    [
        "Two of the crew, 1st Lt Omar Reyes and 2nd Lt Jo Kim, were flown home on Friday.",
        "The medal went to 2nd Lt Aaron Pike, who carried two wounded men to safety.",
        "Among the dead was 1st Sgt Carla Dunn, a veteran of three tours.",
    ],
)
def test_no_sentence_starts_right_after_a_bare_word(nlp, text):
    """The parser cut "2nd | Lt Aaron Pike" (and, in longer articles, "a hit with All | Right Now", "Chancellor |
    Gordon Brown"): a sentence in prose ends with a mark or a line break, never straight after a word."""
    assert split(nlp, text) == [text]


def test_a_line_break_after_a_bare_word_still_ends_the_sentence(nlp):
    text = "Ferry fares frozen for a year\nThe council agreed on Monday.\nKey points\nNo change to timetables"
    assert split(nlp, text) == text.split("\n")


def test_text_without_full_stops_keeps_the_parsers_cuts(nlp):
    """A transcript or a caption dump has no marks to end its sentences; there the parser's cuts are all the
    structure there is, so the bare-word rule stands aside (it had made the sample article, stripped of its marks,
    four sentences and a summary line of 1,039 characters)."""
    import re
    from pathlib import Path

    text = re.sub(r"[.!?]", "", (Path(__file__).parents[1] / "examples" / "sample-article.txt").read_text())
    text = text.replace("\n", " ")
    with nlp.select_pipes(disable=["byline_newline_boundaries"]):
        bare = split(nlp, text)
    assert len(bare) > 4
    assert split(nlp, text) == bare


def test_a_link_ends_a_run_on_line_where_the_parser_cuts_it(nlp):
    text = "Read more at https://example.com/story The council said the bridge would close."
    assert split(nlp, text) == ["Read more at https://example.com/story", "The council said the bridge would close."]
