"""Parsing long texts in pieces: the pieces join back exactly and the joined parse matches a whole parse."""

from __future__ import annotations

from itertools import pairwise

from hypothesis import example, given, settings
from hypothesis import strategies as st
from spacy.language import Language

from bot.analysis import parse, segment

PARAGRAPHS = [
    "Talks at the harbour broke down on Tuesday, a union official said.",
    '"We gave them every chance," said Marta Okonkwo, the regional secretary.',
    "According to a senior official, ministers want a mediator.\nShips wait outside the breakwater.",
    "Mr. Lindqvist has not commented. It is understood that the reserve covers half of weekly pay.",
]


def _article(n_paragraphs: int, sep: str = "\n\n") -> str:
    return sep.join(PARAGRAPHS[i % len(PARAGRAPHS)] for i in range(n_paragraphs)) + "\n"


@given(st.text(alphabet=st.sampled_from(list("ab .\n\r\t\u00a0")), max_size=300), st.integers(1, 8))
@example("a a a a a\na", 2)  # a long line's last cut left one word on its own: it now stays with the piece before
@settings(max_examples=200, deadline=None)
def test_pieces_join_back_and_cut_only_after_whitespace_runs(text: str, piece_words: int) -> None:
    parts = parse.pieces(text, piece_words, whole_up_to=0)
    assert "".join(parts) == text
    assert all(parts[:-1])
    for left, right in pairwise(parts):
        assert left[-1].isspace()
        assert not right[0].isspace()
        assert len(left.split()) >= piece_words


def test_short_text_stays_whole() -> None:
    assert parse.pieces(_article(3), 1000) == [_article(3)]
    assert parse.pieces(_article(60), 10) == [_article(60)]


def test_a_text_on_one_line_is_cut_at_sentence_ends_not_after_a_title() -> None:
    """An article pasted as one line used to parse whole (832 MB for 199 KB): it is cut after full stops now."""
    one_line = " ".join(PARAGRAPHS * 200).replace("\n", " ")
    parts = parse.pieces(one_line, 100, whole_up_to=0)
    assert "".join(parts) == one_line and len(parts) > 10
    for left, right in pairwise(parts):
        assert left.rstrip()[-1] in '."' and right[0].isupper()
        assert not left.rstrip().endswith("Mr.")
        assert 100 <= len(left.split()) <= parse.LONG_LINE_PIECES * 100


def test_a_one_line_text_is_never_cut_after_an_abbreviation_or_initial() -> None:
    sentences = ["Lawmakers in the U.S. Senate said the plan was sound.", "Voting is on Jan. 5 in the capital.",
                 "John F. Kennedy spoke here once.", "Mr. Okafor agreed."]
    one_line = " ".join(sentences * 300)
    parts = parse.pieces(one_line, 20, whole_up_to=0)
    assert "".join(parts) == one_line and len(parts) > 10
    for left in parts[:-1]:
        assert left.rstrip().endswith(("sound.", "capital.", "once.", "agreed.")), left[-30:]


def test_a_run_on_line_without_sentence_ends_is_cut_after_words() -> None:
    run_on = "Reportedly " * 5_000
    parts = parse.pieces(run_on, 100, whole_up_to=0)
    assert "".join(parts) == run_on
    assert all(len(p.split()) == parse.LONG_LINE_PIECES * 100 for p in parts[:-1])


def test_lines_within_a_piece_keep_it_whole() -> None:
    """Only a line far longer than a piece is cut inside: a long paragraph of normal length is not."""
    paragraph = " ".join(PARAGRAPHS).replace("\n", " ")  # about 60 words on one line
    text = "\n".join([paragraph] * 10) + "\n"
    parts = parse.pieces(text, 100, whole_up_to=0)
    assert all(p.endswith("\n") for p in parts[:-1]) or len(parts) == 1


def test_long_text_is_cut_into_pieces_of_at_least_the_minimum() -> None:
    text = _article(60)
    parts = parse.pieces(text, 100, whole_up_to=0)
    assert len(parts) > 3
    assert all(len(p.split()) >= 100 for p in parts[:-1])


def test_pieced_parse_matches_whole_parse(nlp: Language, monkeypatch) -> None:
    text = _article(40, sep="\r\n\r\n")
    monkeypatch.setattr(parse, "PIECE_WORDS", 50)
    monkeypatch.setattr(parse, "WHOLE_UP_TO", 0)
    assert len(parse.pieces(text, parse.PIECE_WORDS, 0)) > 5
    view = parse.parseable(text)  # what the parser reads: the same length, "\r\n" read as " \n"
    assert len(view) == len(text) and "\r" not in view
    whole = nlp(view)
    joins = []
    real_join = parse._join
    monkeypatch.setattr(parse, "_join", lambda *a: joins.append(1) or real_join(*a))
    pieced = parse.parse(nlp, text)
    assert joins == [1]
    assert pieced.text == view
    assert [(t.idx, t.text) for t in pieced] == [(t.idx, t.text) for t in whole]
    assert segment.sentences(pieced) == segment.sentences(whole)
    assert [(e.start_char, e.end_char, e.label_) for e in pieced.ents] == [
        (e.start_char, e.end_char, e.label_) for e in whole.ents
    ]
    assert [t.dep_ for t in pieced] == [t.dep_ for t in whole]


def test_parse_many_keeps_order_and_mixes_short_and_long(nlp: Language, monkeypatch) -> None:
    monkeypatch.setattr(parse, "PIECE_WORDS", 50)
    monkeypatch.setattr(parse, "WHOLE_UP_TO", 0)
    texts = [_article(30), "A short note.", _article(12), _article(1)]
    docs = list(parse.parse_many(nlp, texts, batch_size=3))
    assert [d.text for d in docs] == texts


def test_piece_batch_changes_no_annotation_and_pieces_keep_no_tensor(nlp: Language, monkeypatch) -> None:
    """Memory settings only: parsing pieces one at a time or several together gives the same Doc."""
    text = _article(40)
    monkeypatch.setattr(parse, "PIECE_WORDS", 50)
    monkeypatch.setattr(parse, "WHOLE_UP_TO", 0)
    annotated = []
    for batch in (1, 3):
        monkeypatch.setattr(parse, "PIECE_BATCH", batch)
        doc = parse.parse(nlp, text)
        assert doc.tensor.size == 0  # the tok2vec output is freed, not carried into the joined Doc
        annotated.append([(t.idx, t.tag_, t.dep_, t.head.i, t.ent_iob_, t.ent_type_, t.is_sent_start) for t in doc])
    assert annotated[0] == annotated[1]
    (joined,) = parse.parse_many(nlp, [text], batch_size=4)
    assert joined.tensor.size == 0
    assert [(t.idx, t.tag_, t.dep_, t.head.i) for t in joined] == [a[:4] for a in annotated[0]]


def test_a_long_run_of_one_mark_is_shown_to_the_parser_as_a_few_marks_and_spaces() -> None:
    """spaCy's tokenizer re-reads a run of apostrophes at every mark it splits off, so a hostile paste of such runs
    cost seconds before the parse began; the parser's view keeps each run's first marks and its length."""
    run = "'" * 1000
    text = f"Mr. Lee said it.\n{run} and {'=' * 40}\nThe end ’’’’ {'’' * 15}."
    view = parse.parseable(text)
    assert len(view) == len(text)
    assert "'''" + " " * 997 + " and ===" + " " * 37 + "\n" in view
    assert view.endswith("The end ’’’’ " + "’" * 15 + ".")  # short runs are prose's business, left alone
    assert parse.parseable("'-" * 10) == "'-'-'-'-'-'-'-'-'-'-"  # only a run of one repeated mark is cut


def test_engine_offsets_stay_exact_over_long_runs_of_marks(engine) -> None:
    """The parser reads the blanked view, but every span the result gives is cut from the exact input."""
    text = "“A deal is close,” officials said.\n" + ("'" * 900 + " ") * 3 + "\nThe talks resume, reportedly."
    result = engine.analyze(text)
    spans = [a.cue for a in result.attributions] + [f.evidence for f in result.flags if f.evidence]
    assert spans
    assert all(text[s.start : s.end] == s.text for s in spans)
    assert {a.cue.text for a in result.attributions} >= {"said", "reportedly"}


def test_emoji_glued_to_words_do_not_become_sources(engine) -> None:
    """An emoji sequence's zero-width joiners once parsed as the object of "according to": an invisible source."""
    text = "The deal collapsed, according\U0001f469\u200d\U0001f469\u200d\U0001f467 to three people.\n"
    view = parse.parseable(text)
    assert len(view) == len(text) and "\u200d" not in view
    (claim,) = engine.analyze(text).attributions
    assert claim.source is not None and claim.source.text == "three people" and claim.source_kind == "vague"
