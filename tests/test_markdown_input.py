"""Discord markdown in a pasted article reads as the same article without it.

Members paste with their formatting: a bold speaker lost its claim ("said **Tom Baker**" left an unattributed quote),
underscores around an unnamed source made it a named source "_", and bold reporting words hid the claim. The
parser now sees paired marks, block-quote marks and masked-link syntax as spaces; spans still index the input.
"""

from __future__ import annotations

import pytest

from bot.analysis import parse

FORMATTED = [
    ('"We cannot keep patching a structure that is falling apart," said **Tom Baker**, the council leader.', "**"),
    ('"We cannot keep patching a structure that is falling apart," said __Tom Baker__, the council leader.', "__"),
    ("__Sources familiar with the talks__ said the deal was close.", "__"),
    ("||A senior official|| said the deal was close.", "||"),
    ("[Critics](https://example.com/a) have long argued that the scheme is unfair.", "]("),
    ("It is **widely believed** that the plan will fail.", "**"),
    ("The minister has __been accused of__ lying to parliament.", "__"),
    ("The plan is [reportedly](https://example.com/a) close to collapse.", "]("),
    ("According to *a senior official*, the deal was close.", "*"),
    ("The council met on Monday.\n\n**\"We cannot keep patching a structure that is falling apart.\"**\n", "**"),
    ('> "We cannot keep patching a structure.\n> \n> "We have to close it now," said Tom Baker.\n', "> "),
    ("A senior official described the meeting as tense. **He said** the talks could collapse within days.", "**"),
]


def _plain(text: str) -> str:
    for mark in ("**", "__", "||", "*", "> "):
        text = text.replace(mark, "")
    return text.replace("[", "").replace("](https://example.com/a)", "")


def _reading(result) -> tuple:
    return ([(a.cue.text, a.source.text if a.source else None, a.source_kind) for a in result.attributions],
            [(f.category, f.severity, f.evidence.text) for f in result.flags])


@pytest.mark.parametrize(("text", "mark"), FORMATTED, ids=[t[:40] for t, _ in FORMATTED])
def test_formatted_text_reads_as_the_plain_text(engine, text: str, mark: str) -> None:
    assert mark in text
    got, plain = engine.analyze(text), engine.analyze(_plain(text))
    assert _reading(got) == _reading(plain)
    for a in got.attributions:
        for span in (a.cue, a.source, a.content):
            assert span is None or text[span.start:span.end] == span.text


@pytest.mark.parametrize("text", [
    "There will never be a ni**** in the club, he wrote.",  # a censored word keeps its stars
    "Critics seized on the phrase `burden to Britain' at once.",  # a lone backtick used as a quote mark
    "The ratio was 5 * 3 * 2 in the model.",
    "___\n",
    "It`s claimed that the plan isn`t working.",  # backticks typed as apostrophes
    "According to the memo at https://example.com/_drafts_/memo, officials said it failed.",  # marks in an address
    "See https://example.com/a__b__c and https://x.example/**y** for the files.",
])
def test_marks_that_do_not_pair_are_left_as_they_are(text: str) -> None:
    assert parse.parseable(text) == text


def test_nested_and_triple_marks_are_all_spaces_and_lengths_hold() -> None:
    text = "||**Officials** said|| and ***the board*** agreed; see `the memo`."
    view = parse.parseable(text)
    assert len(view) == len(text)
    assert not any(mark in view for mark in "*|`")
    assert view.split() == ["Officials", "said", "and", "the", "board", "agreed;", "see", "the", "memo", "."]


def test_a_markdown_image_is_no_part_of_its_sentence(engine) -> None:
    """ "the bridge ![plan](https://...) would cost" was cut at the image's "!" into "the bridge !" and
    "plan](https://...) would cost ...", and a summary showed both halves; the image is now read as nothing."""
    text = ("The council said the bridge ![plan](https://example.com/p.png) would cost more than planned. "
            "A senior official said the work would start in May.")
    view = parse.parseable(text)
    assert len(view) == len(text) and view.split()[:6] == ["The", "council", "said", "the", "bridge", "would"]
    result = engine.analyze(text)
    assert [s.text for s in engine.analyze(text, sentences=2).summary] == [
        "The council said the bridge ![plan](https://example.com/p.png) would cost more than planned.",
        "A senior official said the work would start in May.",
    ]
    assert result.sentences == 2


def test_links_with_brackets_in_the_address_or_a_title_are_read_whole() -> None:
    """A Wikipedia address holds brackets ("/wiki/Bridge_(structure)") and an image may carry a title in quotes: the
    link's text stays and the rest is spaces, with no stray ")" or title words left in the sentence."""
    text = ('The [bridge](https://en.wikipedia.org/wiki/Bridge_(structure)) fell, and '
            '![plan](https://example.com/p.png "Site plan") showed the cost.')
    view = parse.parseable(text)
    assert len(view) == len(text)
    assert view.split() == ["The", "bridge", "fell,", "and", "showed", "the", "cost."]
